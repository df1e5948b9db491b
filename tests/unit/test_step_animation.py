"""Every step's animation: a GIF Telegram plays as an animation, looping, small, at the step's
pace, with the marker going where the diagram's arrows go; two frames match their checked-in
references (tests/support/picture_references.py says how to regenerate them)."""

from __future__ import annotations

import io
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import pytest
from PIL import Image, ImageChops

from bot.pictures.animation import step_animation
from bot.pictures.drawing import Canvas
from bot.pictures.markers import MARKER
from bot.pictures.motion import (
    FPS,
    LIFT_SECONDS,
    PAUSE_SECONDS,
    STRETCH_HELD,
    TAPS_PER_SECOND,
    frames,
)
from bot.pictures.strokes import CIRCLE_RADII, Drawing, step_drawing
from bot.pictures.views import HEIGHT, WIDTH
from bot.services.step_pictures import StepPicture, step_pictures
from tests.support.content import real_catalog
from tests.support.picture_references import assert_matches_reference

MAX_BYTES = 1_000_000  # the limit asked of a step's animation (Telegram's is 50 MB)
MIN_WIDTH = 800  # Telegram shows an animation at the phone's width
Pixel = tuple[float, float]


@pytest.fixture(scope="module")
def animations() -> dict[str, tuple[StepPicture, bytes]]:
    """Each distinct step animation of the real catalogue, drawn once."""
    drawn: dict[str, tuple[StepPicture, bytes]] = {}
    for picture in step_pictures(real_catalog()):
        if picture.animation_key not in drawn:
            gif = step_animation(picture.strokes, picture.areas)
            drawn[picture.animation_key] = (picture, gif)
    return drawn


@pytest.fixture(scope="module")
def played(animations) -> list[tuple[StepPicture, Played]]:
    return [(picture, Played(gif)) for picture, gif in animations.values()]


class Played:
    """An animation as it plays: its frames' times, and the frame showing at a moment."""

    def __init__(self, gif: bytes) -> None:
        self.image = Image.open(io.BytesIO(gif))
        self.durations = []
        for index in range(self.image.n_frames):
            self.image.seek(index)
            self.durations.append(self.image.info["duration"])
        self.starts = [sum(self.durations[:i]) for i in range(len(self.durations))]

    def at(self, seconds: float) -> Image.Image:
        """The frame showing `seconds` into the loop, in colour."""
        index = max(i for i, start in enumerate(self.starts) if start <= seconds * 1000 + 1)
        assert seconds * 1000 < sum(self.durations), f"the loop is shorter than {seconds} s"
        self.image.seek(index)
        return self.image.convert("RGB")


def _step(
    animations: dict[str, tuple[StepPicture, bytes]], step_id: str
) -> tuple[StepPicture, Played]:
    picture, gif = next(v for v in animations.values() if v[0].step_id == step_id)
    return picture, Played(gif)


def _orange(frame: Image.Image) -> list[Pixel]:
    """The pixels in the marker's colour."""
    bands = [
        band.point(lambda v, c=c: 255 if v == c else 0)
        for band, c in zip(frame.split(), MARKER, strict=True)
    ]
    mask = ImageChops.darker(ImageChops.darker(bands[0], bands[1]), bands[2])
    box = mask.getbbox()
    if box is None:
        return []
    width = box[2] - box[0]
    found = mask.crop(box).tobytes()
    return [(box[0] + i % width, box[1] + i // width) for i, v in enumerate(found) if v]


def _patches(pixels: Sequence[Pixel]) -> list[list[Pixel]]:
    """The pixels gathered into patches that touch."""
    left, found = set(pixels), []
    while left:
        patch, edge = [], [left.pop()]
        while edge:
            x, y = edge.pop()
            patch.append((x, y))
            touching = {(x + dx, y + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)} & left
            left -= touching
            edge += touching
        found.append(patch)
    return found


def _marker_centres(frame: Image.Image) -> list[Pixel]:
    """Where each marker shows (a mirrored step moves both sides at once, lanes move
    together): the centroids of the orange patches, those about one centre taken together
    (a cup's rim splits its orange in two)."""
    markers: list[list[Pixel]] = []
    for patch in _patches(_orange(frame)):
        if len(patch) < 20:  # a stray blend at a sprite's edge
            continue
        same = next((m for m in markers if math.dist(_centroid(m), _centroid(patch)) < 8), None)
        if same is None:
            markers.append(patch)
        else:
            same += patch
    return [_centroid(m) for m in markers]


def _centroid(pixels: Sequence[Pixel]) -> Pixel:
    return (sum(x for x, _ in pixels) / len(pixels), sum(y for _, y in pixels) / len(pixels))


def _near(centres: Sequence[Pixel], point: Pixel) -> float:
    assert centres, "no marker in this frame"
    return min(math.dist(c, point) for c in centres)


def _halfway(curve: Sequence[Pixel]) -> Pixel:
    """The point halfway along the polyline by length (worked out here, not by motion.py)."""
    lengths = [math.dist(a, b) for a, b in itertools.pairwise(curve)]
    left = sum(lengths) / 2
    for (a, b), length in zip(itertools.pairwise(curve), lengths, strict=True):
        if length and left <= length:
            return (a[0] + (b[0] - a[0]) * left / length, a[1] + (b[1] - a[1]) * left / length)
        left -= length
    return curve[-1]


def _pass_end(pass_seconds: float) -> float:
    """When a pass's last frame shows: the pass is drawn in whole frames."""
    return (max(2, round(pass_seconds * FPS)) - 1) / FPS


def test_every_step_has_an_animation_of_its_own_kind() -> None:
    pictures = step_pictures(real_catalog())
    steps = {(r.id, s.id) for r in real_catalog().routines("en") for s in r.steps}
    assert {(p.routine_id, p.step_id) for p in pictures} == steps
    # One animation per distinct diagram, under a key of its own.
    pairs = {(p.key, p.animation_key) for p in pictures}
    assert len({k for k, _ in pairs}) == len({a for _, a in pairs}) == len(pairs)
    assert all(key != animation for key, animation in pairs)


def test_every_animation_is_a_small_gif_that_loops_forever(animations) -> None:
    assert len(animations) >= 20
    for picture, gif in animations.values():
        where = (picture.routine_id, picture.step_id, len(gif))
        image = Image.open(io.BytesIO(gif))
        assert image.format == "GIF" and gif.startswith(b"GIF89a"), where
        assert image.is_animated and image.n_frames >= 2, where
        assert image.info["loop"] == 0, where
        assert image.width >= MIN_WIDTH and image.height >= image.width, where
        assert len(gif) < MAX_BYTES, where


def test_a_loop_lasts_its_passes_at_the_steps_pace(played) -> None:
    # Paths of one order (or all, when none has one) are done together for pass_seconds;
    # orders follow one another with a lift between; then the pause. An illustration: one pass.
    for picture, animation in played:
        strokes = picture.strokes
        passes = len({p.order for p in strokes.paths}) if strokes.paths else 1
        expected = passes * strokes.pass_seconds + (passes - 1) * LIFT_SECONDS + PAUSE_SECONDS
        total = sum(animation.durations) / 1000
        # Each part is a whole number of frames.
        assert abs(total - expected) <= (passes + 1) / FPS, (picture.step_id, total, expected)


def test_the_hands_are_off_in_the_pause_at_the_end_of_the_loop(played) -> None:
    for picture, animation in played:
        if picture.strokes.paths:
            assert animation.durations[-1] >= PAUSE_SECONDS * 1000
            last = animation.at(sum(animation.durations) / 1000 - 0.01)
            assert _marker_centres(last) == [], picture.step_id


@pytest.mark.parametrize("step_id", ["neck-sides", "cheeks", "shoulders", "stone-cheeks"])
def test_the_marker_glides_along_the_first_path_at_the_steps_pace(animations, step_id) -> None:
    picture, image = _step(animations, step_id)
    drawing = step_drawing(picture.strokes, picture.areas)
    curve = drawing.curves[0]
    end = _pass_end(picture.strokes.pass_seconds)
    tolerance = 6
    assert _near(_marker_centres(image.at(0)), curve[0]) <= tolerance
    assert _near(_marker_centres(image.at(end)), curve[-1]) <= tolerance
    # Halfway through the time, about halfway along (within the ground a frame covers).
    step = sum(math.dist(a, b) for a, b in itertools.pairwise(curve)) / (end * FPS)
    halfway = _marker_centres(image.at(end / 2))
    assert _near(halfway, _halfway(curve)) <= tolerance + step
    # Mirrored on the front: the other side's marker moves at the same time.
    if picture.strokes.mirrored and picture.strokes.view != "side":
        assert len(halfway) == 2


def test_ordered_paths_follow_one_another(animations) -> None:
    # cheeks: below the cheekbone first, then on it.
    picture, image = _step(animations, "cheeks")
    drawing = step_drawing(picture.strokes, picture.areas)
    second = next(i for i, p in enumerate(drawing.paths) if p.order == 2)
    start = _pass_end(picture.strokes.pass_seconds) + 1 / FPS + LIFT_SECONDS
    centres = _marker_centres(image.at(start))
    assert _near(centres, drawing.curves[second][0]) <= 6
    assert _near(centres, drawing.curves[0][0]) > 30


def _circling(drawing: Drawing) -> tuple[Pixel, float, float]:
    index = next(i for i, p in enumerate(drawing.paths) if p.kind == "circles")
    centre = drawing.curves[index][0]
    radii = (CIRCLE_RADII[0] * WIDTH * drawing.zoom, CIRCLE_RADII[1] * HEIGHT * drawing.zoom)
    return centre, min(radii), max(radii)


def test_circles_go_round_the_loop_as_many_times_as_the_step_says(animations) -> None:
    picture, image = _step(animations, "temples")
    drawing = step_drawing(picture.strokes, picture.areas)
    centre, smallest, largest = _circling(drawing)
    turns = next(p.turns for p in picture.strokes.paths if p.kind == "circles")
    end = _pass_end(picture.strokes.pass_seconds)
    angles = []
    for tenth in range(round(end * FPS) + 1):
        centres = _marker_centres(image.at(tenth / FPS))
        marker = min(centres, key=lambda c: math.dist(c, centre))
        assert smallest - 4 <= math.dist(marker, centre) <= largest + 4
        angles.append(math.atan2(marker[1] - centre[1], marker[0] - centre[0]))
    # Clockwise on the screen (the way the looping arrow points): the angle only grows.
    steps = [(b - a + math.pi) % (2 * math.pi) - math.pi for a, b in itertools.pairwise(angles)]
    assert all(s > -0.05 for s in steps)
    assert sum(steps) == pytest.approx(2 * math.pi * turns, abs=0.3)


def test_a_stretch_moves_the_skin_holds_and_lets_go(animations) -> None:
    picture, image = _step(animations, "collarbone")
    drawing = step_drawing(picture.strokes, picture.areas)
    rest, stretched = drawing.curves[0][0], drawing.curves[0][-1]
    end = _pass_end(picture.strokes.pass_seconds)
    assert _near(_marker_centres(image.at(0)), rest) <= 6
    assert _near(_marker_centres(image.at(end * (STRETCH_HELD - 0.05))), stretched) <= 6
    assert _near(_marker_centres(image.at(end)), rest) <= 6


def test_a_breath_swells_the_belly_and_settles(animations) -> None:
    picture, image = _step(animations, "prepare")
    end = _pass_end(picture.strokes.pass_seconds)
    # The ring's top: halfway through the breath it is higher (wider), at the end back down.
    tops = [min(y for _, y in _orange(image.at(t * end))) for t in (0, 0.5, 1)]
    assert tops[1] < tops[0] - 30
    assert abs(tops[2] - tops[0]) <= 3


@pytest.mark.parametrize(("step_id", "share"), [("cheeks", 0.5), ("stone-jaw", 0.4)])
def test_a_frame_matches_its_reference(animations, step_id: str, share: float) -> None:
    picture, image = _step(animations, step_id)
    frame = image.at(share * _pass_end(picture.strokes.pass_seconds))
    assert_matches_reference(frame, f"animation-{step_id}")


@dataclass(frozen=True)
class _Path:
    kind: str
    points: tuple[tuple[float, float], ...]
    order: int | None = None
    turns: int | None = None
    hands: str | None = None


@dataclass(frozen=True)
class _Strokes:
    paths: tuple[_Path, ...]
    pass_seconds: float = 2.0
    view: str | None = "front"
    hands: str | None = "fingertips"
    repeat: int | None = None
    mirrored: bool = False
    illustration: str | None = None


def test_taps_show_and_lift_one_after_another_along_the_path() -> None:
    # No step taps yet: the motion alone, on a straight path 400 pixels long.
    path = _Path("tap", ((0.2, 0.5), (0.6, 0.5)))
    curve = ((180.0, 500.0), (540.0, 500.0))
    strokes = _Strokes((path,))
    drawing = Drawing(Canvas(1, 1), (path,), ("fingertips",), (curve,))
    played = frames(drawing, strokes)[: round(strokes.pass_seconds * FPS)]
    shown = [frame[0].at[0] if frame else None for frame in played]
    taps = [x for x, _ in itertools.groupby(shown) if x is not None]
    assert taps == sorted(taps) and taps[0] == curve[0][0] and taps[-1] == curve[-1][0]
    assert len(taps) == round(strokes.pass_seconds * TAPS_PER_SECOND)
    assert shown.count(None) >= len(taps) - 1  # lifted between taps
