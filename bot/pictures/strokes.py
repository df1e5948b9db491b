"""A step's diagram: where the hands go and which way, on a line drawing of the face or neck.

Pure: a step's strokes and areas in, PNG bytes out (no Telegram, no SQL). Paths are arrows with
a start dot, drawn over a band as wide as the hand that touches (a fingertip, flat fingers, a
palm), numbered when their order matters; a looping arrow says the step repeats. Steps that
move no skin get an illustration (illustrations.py).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.domain.face_map import AVOIDED, Point, mirror_point, regions
from bot.pictures.drawing import Box, Canvas, Colour
from bot.pictures.illustrations import illustration_canvas
from bot.pictures.views import (
    CONTACT,
    FAINT,
    HEIGHT,
    LINE,
    STROKE,
    WHITE,
    WIDTH,
    arc,
    box,
    count_label,
    pxs,
    repeat_badge,
    smooth,
    view_picture,
)

# How wide each hand or tool touches the skin, in pixels: a fingertip is a line, a palm a band.
CONTACT_WIDTH = {
    "fingertips": 0,
    "ring_fingers": 0,
    "flat_fingers": 40,
    "v_grip": 30,
    "palm": 60,
    "cup": 0,
    "stone": 40,
    "roller": 44,
}
STROKE_WIDTH = 14
TOOL_FILL: Colour = (218, 222, 228)


class PathLike(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def points(self) -> Sequence[tuple[float, float]]: ...
    @property
    def order(self) -> int | None: ...
    @property
    def turns(self) -> int | None: ...
    @property
    def hands(self) -> str | None: ...


class StrokesLike(Protocol):
    """What a step's strokes say (bot/catalog/strokes.py StepStrokes)."""

    @property
    def view(self) -> str | None: ...
    @property
    def hands(self) -> str | None: ...
    @property
    def repeat(self) -> int | None: ...
    @property
    def mirrored(self) -> bool: ...
    @property
    def pass_seconds(self) -> float: ...
    @property
    def paths(self) -> Sequence[PathLike]: ...
    @property
    def illustration(self) -> str | None: ...


# --- strokes -----------------------------------------------------------------------------------


def _arrowhead(canvas: Canvas, tip: tuple[float, float], frm: tuple[float, float]) -> None:
    angle = math.atan2(tip[1] - frm[1], tip[0] - frm[0])
    length, spread = 42, math.radians(28)
    back = [
        (tip[0] - length * math.cos(angle + s), tip[1] - length * math.sin(angle + s))
        for s in (spread, -spread)
    ]
    nudge = (tip[0] + 6 * math.cos(angle), tip[1] + 6 * math.sin(angle))
    canvas.polygon([nudge, back[0], back[1]], fill=STROKE)


def _tail(points: Sequence[tuple[float, float]], back: float = 30) -> tuple[float, float]:
    """A point about `back` pixels before the end of the polyline, for the arrow's direction."""
    tip = points[-1]
    for point in reversed(points[:-1]):
        if math.dist(point, tip) >= back:
            return point
    return points[0]


def _start_dot(canvas: Canvas, at: tuple[float, float]) -> None:
    canvas.ellipse(box(at, 17), fill=WHITE)
    canvas.ellipse(box(at, 13), fill=STROKE)


def _badge(canvas: Canvas, at: tuple[float, float], number: int) -> None:
    canvas.ellipse(box(at, 22), fill=LINE)
    canvas.text(at, str(number), size=28, fill=WHITE, anchor="mm", bold=True)


def _tool(canvas: Canvas, hands: str, at: tuple[float, float], toward: tuple[float, float]) -> None:
    """The tool where its path starts, under the start dot: a cup's rim, a flat stone lying
    across the stroke, a roller (its drum across the stroke, the handle behind)."""
    if hands == "cup":
        canvas.ellipse(box(at, 34), fill=TOOL_FILL, outline=LINE, width=5)
        canvas.ellipse(box(at, 22), outline=LINE, width=3)
        return
    if hands not in ("stone", "roller"):
        return
    heading = math.atan2(toward[1] - at[1], toward[0] - at[0])
    across = (math.cos(heading + math.pi / 2), math.sin(heading + math.pi / 2))
    along = (math.cos(heading), math.sin(heading))

    def corner(a: float, b: float) -> tuple[float, float]:
        return (at[0] + across[0] * a + along[0] * b, at[1] + across[1] * a + along[1] * b)

    if hands == "stone":
        outline = [
            corner(46 * math.cos(t / 12 * math.pi), 20 * math.sin(t / 12 * math.pi))
            for t in range(24)
        ]
        canvas.polygon(outline, fill=TOOL_FILL, outline=LINE, width=4)
    else:
        canvas.line([corner(0, 0), corner(0, -70)], fill=LINE, width=8, round_joints=True)
        drum = [corner(-36, -12), corner(36, -12), corner(36, 12), corner(-36, 12)]
        canvas.polygon(drum, fill=TOOL_FILL, outline=LINE, width=4)


def _mirror_mark(canvas: Canvas) -> None:
    """Top left, on a profile: "both sides alike", a dashed middle line with an arrow out to
    each side."""
    x, top, bottom, middle = 80.0, 24.0, 128.0, 76.0
    canvas.rect((6, 10, 154, 142), fill=WHITE, outline=FAINT, width=2, radius=24)
    for y in range(int(top), int(bottom), 20):
        canvas.line([(x, y), (x, y + 11)], fill=LINE, width=5)
    for side in (-1, 1):
        tip = (x + side * 62, middle)
        canvas.line([(x + side * 12, middle), tip], fill=LINE, width=8)
        canvas.polygon(
            [
                (tip[0] + side * 8, tip[1]),
                (tip[0] - side * 16, tip[1] - 16),
                (tip[0] - side * 16, tip[1] + 16),
            ],
            fill=LINE,
        )


def _draw_path(
    canvas: Canvas, path: PathLike, hands: str, tools: list[tuple[float, float]]
) -> list[tuple[float, float]]:
    """Draws one path; returns the points it was drawn through, in pixels. `tools`: where a
    tool is drawn already (lanes starting close together show one)."""
    points = pxs(path.points)
    if path.kind == "circles":
        _draw_circles(canvas, points, path.turns)
        return points
    curve = pxs(smooth(list(path.points))) if path.kind == "glide" else points
    # Bottom up: the band the hand covers, the tool, then the arrow over them.
    _contact_band(canvas, curve, hands)
    if path.kind != "stretch" and _no_tool_near(curve[0], tools):
        _tool(canvas, hands, curve[0], curve[min(len(curve) - 1, 3)])
        tools.append(curve[0])
    if path.kind == "stretch":
        _stretch_arrow(canvas, points)
    elif path.kind == "tap":
        _tap_arrow(canvas, curve)
    else:
        _glide_arrow(canvas, curve)
    return curve


# The looping arrow of a circles path: its radii (as a share of the picture's width and height)
# and the degrees it runs from and to (0 = right, 90 = down: clockwise on the screen).
CIRCLE_RADII = (0.048, 0.043)
CIRCLE_ARC = (-60, 230)


def _draw_circles(canvas: Canvas, points: Sequence[tuple[float, float]], turns: int | None) -> None:
    """A looping arrow at each point (with how many turns, if said), a thin line joining them."""
    for centre in points:
        loop = pxs(arc(centre[0] / WIDTH, centre[1] / HEIGHT, *CIRCLE_RADII, *CIRCLE_ARC))
        canvas.line(loop, fill=STROKE, width=STROKE_WIDTH - 2, round_joints=True)
        _arrowhead(canvas, loop[-1], loop[-4])
        if turns:
            count_label(canvas, (centre[0], centre[1]), turns, 32, STROKE)
    if len(points) > 1:
        canvas.line(points, fill=STROKE, width=4)


def _contact_band(canvas: Canvas, curve: Sequence[tuple[float, float]], hands: str) -> None:
    """Under the path, as wide as what touches the skin: two lines for a V grip (a finger
    each side of the bone), a band of dots for the rest; nothing for a fingertip."""
    contact = CONTACT_WIDTH.get(hands, 0)
    if not contact or len(curve) < 2:
        return
    if hands == "v_grip":
        for offset in (-16, 16):
            canvas.line(
                [(x, y + offset) for x, y in curve], fill=CONTACT, width=12, round_joints=True
            )
    else:
        for point in _spaced(curve, 4, keep_last=True):
            canvas.ellipse(box(point, contact / 2), fill=CONTACT)


def _no_tool_near(start: tuple[float, float], tools: Sequence[tuple[float, float]]) -> bool:
    """Whether a path starting at `start` shows its own tool: none is drawn close by on the
    same side of the face (lanes starting together share one)."""
    side = start[0] < WIDTH / 2
    return all(math.dist(start, t) > 80 or (t[0] < WIDTH / 2) != side for t in tools)


def _stretch_arrow(canvas: Canvas, points: Sequence[tuple[float, float]]) -> None:
    """Where the fingers rest, and a short thick arrow as far as the skin moves."""
    canvas.ellipse(box(points[0], 36), fill=CONTACT, outline=STROKE, width=4)
    canvas.line(points, fill=STROKE, width=STROKE_WIDTH + 4, round_joints=True)
    _arrowhead(canvas, points[-1], points[0])


def _tap_arrow(canvas: Canvas, curve: Sequence[tuple[float, float]]) -> None:
    """A dotted line: a tap at each dot."""
    for x, y in _spaced(curve, 34):
        canvas.ellipse(box((x, y), 8), fill=STROKE)
    _arrowhead(canvas, curve[-1], _tail(curve))
    _start_dot(canvas, curve[0])


def _glide_arrow(canvas: Canvas, curve: Sequence[tuple[float, float]]) -> None:
    canvas.line(curve, fill=STROKE, width=STROKE_WIDTH, round_joints=True)
    _arrowhead(canvas, curve[-1], _tail(curve))
    _start_dot(canvas, curve[0])


def _spaced(
    points: Sequence[tuple[float, float]], every: float, keep_last: bool = False
) -> list[tuple[float, float]]:
    """Points along the polyline about `every` pixels apart (the last one left out, where an
    arrowhead goes, unless `keep_last`)."""
    out = [points[0]]
    for a, b in itertools.pairwise(points):
        count = max(1, math.ceil(math.dist(a, b) / every))
        out += [
            (a[0] + (b[0] - a[0]) * i / count, a[1] + (b[1] - a[1]) * i / count)
            for i in range(1, count + 1)
        ]
    return out if keep_last or len(out) < 2 else out[:-1]


def _badge_place(
    curve: Sequence[tuple[float, float]],
    drawn: Sequence[tuple[float, float]],
    taken: Sequence[tuple[float, float]],
) -> tuple[float, float]:
    """Beside the path's start, where it stands clearest of every stroke drawn and every
    badge placed: behind the start, or to either side of it."""
    (x0, y0), (x1, y1) = curve[0], curve[min(len(curve) - 1, 3)]
    reach = 50 if len(curve) > 1 else 80  # circles on the spot: clear of the loop
    heading = math.atan2(y1 - y0, x1 - x0) if (x1, y1) != (x0, y0) else -math.pi / 2
    candidates = [
        (x0 + reach * math.cos(heading + turn), y0 + reach * math.sin(heading + turn))
        for turn in (math.pi, math.pi * 0.75, -math.pi * 0.75, math.pi / 2, -math.pi / 2)
    ]
    inside = [c for c in candidates if 26 <= c[0] <= WIDTH - 26 and 26 <= c[1] <= HEIGHT - 26]

    def clearance(c: tuple[float, float]) -> float:
        near = [math.dist(c, p) for p in drawn] + [math.dist(c, t) * 0.6 for t in taken]
        return min(near, default=math.inf)

    return max(inside or candidates, key=clearance)


def _mirrored(path: PathLike) -> PathLike:
    class Mirrored:
        kind, order, turns, hands = path.kind, path.order, path.turns, path.hands
        points = tuple(mirror_point(p) for p in path.points)

    return Mirrored()


# A step over a small part of the face is shown closer, so that its strokes read on a phone:
# at most this much closer (the canvas stays sharp up to SUPERSAMPLE), with this much of the
# picture's width around the strokes, so that where they are on the face still shows.
MAX_ZOOM = 1.6
CLOSE_UP_MARGIN = 0.14


def _close_up_frame(
    curves: Sequence[Sequence[tuple[float, float]]], areas: Sequence[Sequence[Point]]
) -> Box | None:
    """The part of the picture to magnify (the picture's own shape), or None for all of it."""
    xs = [x for curve in curves for x, _ in curve] + [x * WIDTH for a in areas for x, _ in a]
    ys = [y for curve in curves for _, y in curve] + [y * HEIGHT for a in areas for _, y in a]
    margin = CLOSE_UP_MARGIN * WIDTH
    width = max(max(xs) - min(xs) + 2 * margin, (max(ys) - min(ys) + 2 * margin) * WIDTH / HEIGHT)
    zoom = min(MAX_ZOOM, WIDTH / width)
    if zoom < 1.1:  # hardly closer: the whole view reads better
        return None
    w, h = WIDTH / zoom, HEIGHT / zoom
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    left = min(max(cx - w / 2, 0), WIDTH - w)
    top = min(max(cy - h / 2, 0), HEIGHT - h)
    return left, top, left + w, top + h


def _on_close_up(point: tuple[float, float], frame: Box | None) -> tuple[float, float]:
    if frame is None:
        return point
    left, top, right, _ = frame
    zoom = WIDTH / (right - left)
    return (point[0] - left) * zoom, (point[1] - top) * zoom


Pixel = tuple[float, float]


@dataclass(frozen=True)
class Drawing:
    """A step's finished picture, with what an animation moves over it: each path as drawn (a
    mirrored step's mirror images included), what touches the skin on it, and the points it
    was drawn through in the picture's final pixels (after the close-up); for circles, the
    centres. No paths for an illustration."""

    canvas: Canvas
    paths: tuple[PathLike, ...] = ()
    hands: tuple[str, ...] = ()
    curves: tuple[tuple[Pixel, ...], ...] = ()
    zoom: float = 1.0  # how much closer the close-up is than the whole view


def step_diagram(strokes: StrokesLike, areas: Sequence[str]) -> bytes:
    """The step's picture as PNG: its view with its areas, its paths as arrows (numbered when
    their order matters), or its illustration."""
    return step_drawing(strokes, areas).canvas.png()


def step_drawing(strokes: StrokesLike, areas: Sequence[str]) -> Drawing:
    """The step's picture (see step_diagram), and where its paths ended up on it."""
    if strokes.illustration is not None:
        return Drawing(illustration_canvas(strokes.illustration, strokes.repeat))
    if strokes.view is None:
        raise ValueError("strokes without an illustration need a view")
    canvas = view_picture(strokes.view, areas)
    paths = _paths_drawn(strokes)
    hands = tuple(p.hands or strokes.hands or "fingertips" for p in paths)
    tools: list[tuple[float, float]] = []
    curves = [_draw_path(canvas, p, h, tools) for p, h in zip(paths, hands, strict=True)]
    badges = _badges(paths, curves, _kept_clear(curves, strokes.view))
    # The badges go on after the close-up, so that they keep their size on it.
    frame = _close_up_frame(curves, regions(strokes.view, areas))
    if frame is not None:
        canvas.close_up(frame)
    for where, number in badges:
        _badge(canvas, _on_close_up(where, frame), number)
    repeat_badge(canvas, strokes.repeat)
    if strokes.mirrored and strokes.view == "side":
        _mirror_mark(canvas)
    placed = tuple(tuple(_on_close_up(p, frame) for p in curve) for curve in curves)
    zoom = 1.0 if frame is None else WIDTH / (frame[2] - frame[0])
    return Drawing(canvas, tuple(paths), hands, placed, zoom)


def _paths_drawn(strokes: StrokesLike) -> list[PathLike]:
    """The step's paths, and for a mirrored step their mirror images too (a profile shows one
    side only: it gets the both-sides mark instead)."""
    paths: list[PathLike] = list(strokes.paths)
    if strokes.mirrored and strokes.view != "side":
        paths += [_mirrored(p) for p in strokes.paths]
    return paths


def _kept_clear(
    curves: Sequence[Sequence[tuple[float, float]]], view: str
) -> list[tuple[float, float]]:
    """The points a badge keeps away from: along every stroke drawn, and round the regions to
    avoid, so that the eyes and the throat stay readable."""
    drawn = [point for curve in curves for point in _spaced(curve, 12, keep_last=True)]
    drawn += [point for region in AVOIDED[view] for point in pxs(region.polygon)]
    return drawn


def _badges(
    paths: Sequence[PathLike],
    curves: Sequence[Sequence[tuple[float, float]]],
    drawn: Sequence[tuple[float, float]],
) -> list[tuple[tuple[float, float], int]]:
    """Where each order number goes, and the number, for the paths that have one."""
    placed: list[tuple[tuple[float, float], int]] = []
    starts: list[tuple[tuple[float, float], int]] = []
    for path, curve in zip(paths, curves, strict=True):
        if path.order is None:
            continue
        # Lanes starting close together with one number share their badge.
        # (Both sides' lanes from the middle of the face too.)
        shared = any(n == path.order and math.dist(s, curve[0]) < 120 for s, n in starts)
        starts.append((curve[0], path.order))
        if not shared:
            placed.append((_badge_place(curve, drawn, [w for w, _ in placed]), path.order))
    return placed
