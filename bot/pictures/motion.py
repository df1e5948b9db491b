"""Where a step's animation shows the hand in each frame: along its paths, at its pace.

Pure geometry (no Pillow): a step's strokes and its drawing's paths, in the picture's final
pixels, in; one tuple of overlays per frame out, FPS frames a second, for animation.py to draw
over the diagram. One loop: each group of paths done together (the paths of one order, or all
of them when the order does not matter, as both sides at once) takes `pass_seconds`, groups
in order with a short lift between, then a pause with the hands off before it starts again.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from bot.pictures.strokes import CIRCLE_ARC, CIRCLE_RADII, Drawing, Pixel, StrokesLike
from bot.pictures.views import HEIGHT, WIDTH

FPS = 10  # frames a second: smooth enough at a massage's pace, and GIF times are centiseconds
PAUSE_SECONDS = 1.0  # hands off at the end of each loop, so that the repeat reads as one
LIFT_SECONDS = 0.3  # between groups: the hand lifts and goes to where the next one starts
DEFAULT_TURNS = 3  # circles that say "as many as feel right"
TAPS_PER_SECOND = 2.5  # light taps, each shown then lifted
# A stretch: the skin moves over the first part of the pass, is held, then let go.
STRETCH_MOVED, STRETCH_HELD = 0.55, 0.8


@dataclass(frozen=True)
class Marker:
    """The hand (or tool) on the skin at `at`, going the way `heading` (radians, screen
    coordinates: a stone or roller lies across it); `pressed` False while letting go."""

    at: Pixel
    heading: float
    hands: str
    pressed: bool = True
    zoom: float = 1.0  # the diagram's close-up: a tool is drawn as large as on the diagram


@dataclass(frozen=True)
class Breath:
    """The belly's ring, `grow` (0-1) of the way from the innermost ring to the outermost."""

    grow: float


@dataclass(frozen=True)
class Timer:
    """A clock face filled `share` (0-1) of the way round: how long to stay with it."""

    share: float


Overlay = Marker | Breath | Timer
Frame = tuple[Overlay, ...]


def frame_count(seconds: float) -> int:
    return max(1, round(seconds * FPS))


def groups(orders: Sequence[int | None]) -> list[list[int]]:
    """The paths' indices by when they are done: by order, or all at once without one."""
    distinct = sorted({o for o in orders if o is not None})
    if not distinct:
        return [list(range(len(orders)))]
    return [[i for i, o in enumerate(orders) if o == order] for order in distinct]


def _pass_frames(strokes: StrokesLike) -> int:
    return max(2, frame_count(strokes.pass_seconds))


def frames(drawing: Drawing, strokes: StrokesLike) -> list[Frame]:
    """Every frame of one loop."""
    if not drawing.paths:
        return _illustration_frames(strokes)
    count = _pass_frames(strokes)
    out: list[Frame] = []
    for number, group in enumerate(groups([p.order for p in drawing.paths])):
        if number:
            out += [()] * frame_count(LIFT_SECONDS)
        tracks = [_track(drawing, i, count, strokes.pass_seconds) for i in group]
        out += [tuple(m for m in moment if m is not None) for moment in zip(*tracks, strict=True)]
    return out + [()] * frame_count(PAUSE_SECONDS)


def _illustration_frames(strokes: StrokesLike) -> list[Frame]:
    """A breath: the belly's ring swells and settles, then rests for the pause. Anything else
    (oil, water, a compress): a clock filling over the pass, full through the pause."""
    count = _pass_frames(strokes)
    moments = [i / (count - 1) for i in range(count)]
    pause = frame_count(PAUSE_SECONDS)
    if strokes.illustration == "breathe":
        swell: list[Frame] = [(Breath((1 - math.cos(2 * math.pi * t)) / 2),) for t in moments]
        return swell + [(Breath(0.0),)] * pause
    fill: list[Frame] = [(Timer(t),) for t in moments]
    return fill + [(Timer(1.0),)] * pause


def _track(drawing: Drawing, index: int, count: int, seconds: float) -> list[Marker | None]:
    """Where the hand is on path `index` in each of the pass's `count` frames (None: lifted)."""
    path, hands, curve = drawing.paths[index], drawing.hands[index], drawing.curves[index]
    moments = [i / (count - 1) for i in range(count)]
    track: list[Marker | None]
    if path.kind == "circles":
        turns = path.turns or DEFAULT_TURNS
        track = [_circling(curve, drawing.zoom, turns, hands, t) for t in moments]
    elif path.kind == "stretch":
        track = [_stretching(curve, hands, t) for t in moments]
    elif path.kind == "tap":
        taps = max(2, round(seconds * TAPS_PER_SECOND))
        track = [_tapping(curve, hands, taps, t) for t in moments]
    else:
        track = [Marker(*along(curve, ease(t)), hands) for t in moments]
    return [None if m is None else dataclasses.replace(m, zoom=drawing.zoom) for m in track]


def ease(t: float) -> float:
    """Half steady, half easing in and out: a hand starts and ends a stroke gently. Symmetric,
    so halfway through the time is halfway along."""
    return 0.5 * t + 0.5 * t * t * (3 - 2 * t)


def along(curve: Sequence[Pixel], share: float) -> tuple[Pixel, float]:
    """The point `share` (0-1) of the way along the polyline by length, and its heading."""
    segments = [(a, b, math.dist(a, b)) for a, b in itertools.pairwise(curve)]
    segments = [(a, b, length) for a, b, length in segments if length > 0]
    if not segments:
        return curve[0], 0.0
    left = min(max(share, 0.0), 1.0) * sum(length for _, _, length in segments)
    for a, b, length in segments:
        if left <= length:
            f = left / length
            heading = math.atan2(b[1] - a[1], b[0] - a[0])
            return (a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f), heading
        left -= length
    a, b, _ = segments[-1]  # rounding left a hair over: the end
    return b, math.atan2(b[1] - a[1], b[0] - a[0])


def _stretching(curve: Sequence[Pixel], hands: str, t: float) -> Marker:
    """Out slowly to the stretch's end, held there, then let go back to where it rested."""
    if t <= STRETCH_MOVED:
        share, pressed = ease(t / STRETCH_MOVED), True
    elif t <= STRETCH_HELD:
        share, pressed = 1.0, True
    else:
        share, pressed = 1 - ease((t - STRETCH_HELD) / (1 - STRETCH_HELD)), False
    at, heading = along(curve, share)
    return Marker(at, heading, hands, pressed)


def _circling(centres: Sequence[Pixel], zoom: float, turns: int, hands: str, t: float) -> Marker:
    """Round the looping arrow of each centre in turn, `turns` times, the way it points."""
    spot = min(int(t * len(centres)), len(centres) - 1)
    local = t * len(centres) - spot
    angle = math.radians(CIRCLE_ARC[0]) + 2 * math.pi * turns * ease(local)
    (cx, cy), (rx, ry) = centres[spot], CIRCLE_RADII
    at = (cx + rx * WIDTH * zoom * math.cos(angle), cy + ry * HEIGHT * zoom * math.sin(angle))
    return Marker(at, angle + math.pi / 2, hands)


def _tapping(curve: Sequence[Pixel], hands: str, taps: int, t: float) -> Marker | None:
    """`taps` taps evenly along the path, each down for the first half of its time."""
    tap = min(int(t * taps), taps - 1)
    if t * taps - tap >= 0.5:
        return None
    at, heading = along(curve, tap / (taps - 1))
    return Marker(at, heading, hands)
