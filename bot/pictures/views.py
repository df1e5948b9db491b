"""The three views a step is drawn on: line drawings of the face, the profile and the neck.

The views and their regions are bot/domain/face_map.py's, in normalised coordinates; this
module draws them at WIDTH x HEIGHT, with the step's areas tinted and the avoided regions
striped. Colours are the Okabe-Ito palette, which colour-blind people tell apart, and
nothing is told by colour alone: avoided regions are striped, strokes are arrows with a start
dot, the order is a number. The pictures carry no words, so they serve every language.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from bot.domain.face_map import (
    ASPECT,
    AVOIDED,
    SIDE_JAWLINE,
    Point,
    mirror,
    mirror_point,
    regions,
)
from bot.pictures.drawing import Canvas, Colour

WIDTH = 900
HEIGHT = round(WIDTH * ASPECT)  # the views' coordinates are drawn to this shape

# Okabe-Ito: https://jfly.uni-koeln.de/color/ (blue, vermillion, bluish green, orange).
STROKE: Colour = (0, 114, 178)
AVOID: Colour = (213, 94, 0)
AREA: Colour = (196, 234, 220)  # bluish green, lightened: the areas the step works on
CONTACT: Colour = (160, 207, 236)  # sky blue, lightened: how wide the hand touches
WARM: Colour = (230, 159, 0)
LINE: Colour = (45, 48, 56)
FAINT: Colour = (150, 154, 162)
SKIN: Colour = (252, 246, 240)
WHITE: Colour = (255, 255, 255)

ART_WIDTH = 5


def px(point: Point) -> tuple[float, float]:
    return point[0] * WIDTH, point[1] * HEIGHT


def pxs(points: Iterable[Point]) -> list[tuple[float, float]]:
    return [px(p) for p in points]


def ellipse(cx: float, cy: float, rx: float, ry: float, n: int = 48) -> list[Point]:
    return [
        (cx + rx * math.cos(2 * math.pi * i / n), cy + ry * math.sin(2 * math.pi * i / n))
        for i in range(n)
    ]


def arc(cx: float, cy: float, rx: float, ry: float, start: float, end: float) -> list[Point]:
    """Points on an ellipse from `start` to `end` degrees (0 = right, 90 = down)."""
    steps = max(2, int(abs(end - start) / 6))
    return [
        (
            cx + rx * math.cos(math.radians(start + (end - start) * i / steps)),
            cy + ry * math.sin(math.radians(start + (end - start) * i / steps)),
        )
        for i in range(steps + 1)
    ]


def smooth(points: Sequence[Point], per_segment: int = 12) -> list[Point]:
    """A Catmull-Rom curve through `points` (the strokes are drawn as curves, not corners)."""
    if len(points) < 3:
        return list(points)
    padded = [points[0], *points, points[-1]]
    out: list[Point] = []
    for i in range(1, len(padded) - 2):
        p0, p1, p2, p3 = padded[i - 1], padded[i], padded[i + 1], padded[i + 2]
        for step in range(per_segment):
            t = step / per_segment
            t2, t3 = t * t, t * t * t
            x, y = (
                0.5
                * (
                    2 * p1[k]
                    + (-p0[k] + p2[k]) * t
                    + (2 * p0[k] - 5 * p1[k] + 4 * p2[k] - p3[k]) * t2
                    + (-p0[k] + 3 * p1[k] - 3 * p2[k] + p3[k]) * t3
                )
                for k in (0, 1)
            )
            out.append((x, y))
    out.append(points[-1])
    return out


# --- the views ---------------------------------------------------------------------------------


def _front_head() -> list[Point]:
    """The face's outline: crown, temples, cheekbones, the angle of the jaw, the chin."""
    right = [
        (0.5, 0.055),
        (0.60, 0.07),
        (0.685, 0.13),
        (0.735, 0.23),
        (0.752, 0.34),
        (0.748, 0.44),
        (0.728, 0.52),
        (0.69, 0.59),
        (0.63, 0.645),
        (0.56, 0.682),
    ]
    left = [mirror_point(p) for p in reversed(right[1:])]
    return smooth([*right, (0.5, 0.695), *left, right[0]], 8)


def _front(canvas: Canvas, areas: Sequence[str]) -> None:
    head = _front_head()
    body = [
        (0.0, 1.0),
        (0.0, 0.90),
        (0.06, 0.855),
        (0.22, 0.815),
        (0.37, 0.79),
        (0.385, 0.62),
        (0.615, 0.62),
        (0.63, 0.79),
        (0.78, 0.815),
        (0.94, 0.855),
        (1.0, 0.90),
        (1.0, 1.0),
    ]
    ears = [ellipse(0.245, 0.40, 0.032, 0.065), mirror(ellipse(0.245, 0.40, 0.032, 0.065))]
    silhouette = [body, *ears, head]
    for shape in silhouette:
        canvas.polygon(pxs(shape), fill=SKIN)
    _areas(canvas, "front", areas, silhouette)
    for ear in ears:
        canvas.line(pxs([*ear, ear[0]]), fill=LINE, width=ART_WIDTH, round_joints=True)
    canvas.polygon(pxs(head), outline=LINE, width=ART_WIDTH)
    for side in (False, True):

        def m(points: Sequence[Point], side: bool = side) -> list[tuple[float, float]]:
            return pxs(mirror(points)[::-1] if side else points)

        canvas.line(m(arc(0.245, 0.40, 0.015, 0.035, 110, 250)), fill=FAINT, width=3)
        # Brow, eye (an almond with its iris), the neck's side, collarbone, shoulder line.
        canvas.line(
            m(smooth([(0.335, 0.305), (0.39, 0.29), (0.455, 0.30)])),
            fill=LINE,
            width=ART_WIDTH + 2,
            round_joints=True,
        )
        eye_top = smooth([(0.34, 0.362), (0.37, 0.345), (0.40, 0.342), (0.43, 0.35), (0.45, 0.362)])
        eye_bottom = smooth([(0.45, 0.362), (0.425, 0.375), (0.39, 0.377), (0.34, 0.362)])
        canvas.polygon(m([*eye_top, *eye_bottom]), fill=WHITE)
        canvas.ellipse(box(m([(0.395, 0.36)])[0], 15), fill=LINE)
        canvas.line(m([*eye_top, *eye_bottom]), fill=LINE, width=ART_WIDTH - 1, round_joints=True)
        canvas.line(m([(0.385, 0.63), (0.38, 0.72), (0.372, 0.79)]), fill=LINE, width=ART_WIDTH)
        canvas.line(
            m(smooth([(0.475, 0.86), (0.40, 0.845), (0.30, 0.84), (0.21, 0.825)])),
            fill=LINE,
            width=ART_WIDTH,
            round_joints=True,
        )
        canvas.line(
            m(smooth([(0.372, 0.79), (0.25, 0.81), (0.10, 0.845), (0.02, 0.90)])),
            fill=LINE,
            width=ART_WIDTH,
            round_joints=True,
        )
    # Nose, lips, hairline.
    canvas.line(
        pxs(smooth([(0.478, 0.36), (0.47, 0.42), (0.458, 0.458)])),
        fill=LINE,
        width=ART_WIDTH - 1,
        round_joints=True,
    )
    canvas.line(
        pxs(smooth([(0.452, 0.456), (0.475, 0.472), (0.5, 0.476), (0.525, 0.472), (0.548, 0.456)])),
        fill=LINE,
        width=ART_WIDTH - 1,
        round_joints=True,
    )
    upper = smooth([(0.435, 0.535), (0.47, 0.522), (0.5, 0.527), (0.53, 0.522), (0.565, 0.535)])
    lower = smooth([(0.565, 0.535), (0.53, 0.557), (0.5, 0.561), (0.47, 0.557), (0.435, 0.535)])
    canvas.polygon(pxs([*upper, *lower]), fill=(236, 196, 190))
    canvas.line(pxs([*upper, *lower]), fill=LINE, width=ART_WIDTH - 1, round_joints=True)
    canvas.line(pxs([(0.44, 0.536), (0.56, 0.536)]), fill=LINE, width=3)
    canvas.line(
        pxs(smooth([(0.315, 0.16), (0.40, 0.118), (0.5, 0.108), (0.60, 0.118), (0.685, 0.16)])),
        fill=FAINT,
        width=3,
        round_joints=True,
    )
    canvas.line(pxs(smooth([(0.47, 0.87), (0.5, 0.885), (0.53, 0.87)])), fill=LINE, width=4)


def _side(canvas: Canvas, areas: Sequence[str]) -> None:
    face = [
        (0.43, 0.08),
        (0.36, 0.11),
        (0.30, 0.17),
        (0.275, 0.25),
        (0.272, 0.30),
        (0.29, 0.335),
        (0.27, 0.38),
        (0.225, 0.435),
        (0.24, 0.455),
        (0.275, 0.465),
        (0.262, 0.50),
        (0.28, 0.52),
        (0.262, 0.55),
        (0.285, 0.575),
        (0.276, 0.615),
        (0.30, 0.648),
        (0.37, 0.642),
        (0.40, 0.662),
        (0.398, 0.72),
        (0.382, 0.80),
        (0.365, 0.88),
    ]
    back = [
        (0.67, 0.86),
        (0.66, 0.74),
        (0.66, 0.60),
        (0.71, 0.55),
        (0.775, 0.48),
        (0.80, 0.36),
        (0.77, 0.22),
        (0.68, 0.12),
        (0.55, 0.075),
    ]
    body = [
        (0.30, 1.0),
        (0.33, 0.90),
        (0.36, 0.87),
        (0.50, 0.86),
        (0.67, 0.84),
        (0.85, 0.87),
        (1.0, 0.93),
        (1.0, 1.0),
    ]
    outline = smooth([*back, *face], 6)
    head = outline
    ear = ellipse(0.575, 0.40, 0.038, 0.068)
    silhouette = [body, head]
    for shape in silhouette:
        canvas.polygon(pxs(shape), fill=SKIN)
    _areas(canvas, "side", areas, [*silhouette, ear])
    canvas.line(pxs(outline), fill=LINE, width=ART_WIDTH, round_joints=True)
    canvas.polygon(pxs(ear), fill=SKIN, outline=LINE, width=ART_WIDTH)
    canvas.line(pxs(arc(0.575, 0.40, 0.018, 0.04, 200, 340)), fill=FAINT, width=3)
    # Hairline, brow, eye, nostril, mouth, jawline, collarbone, shoulder.
    canvas.line(
        pxs(smooth([(0.36, 0.13), (0.45, 0.16), (0.52, 0.26), (0.62, 0.34), (0.66, 0.50)])),
        fill=FAINT,
        width=3,
        round_joints=True,
    )
    canvas.line(
        pxs([(0.285, 0.305), (0.345, 0.298), (0.385, 0.31)]),
        fill=LINE,
        width=ART_WIDTH + 2,
        round_joints=True,
    )
    canvas.polygon(pxs([(0.30, 0.335), (0.33, 0.325), (0.35, 0.338), (0.325, 0.346)]), fill=LINE)
    canvas.line(pxs(smooth([(0.245, 0.45), (0.262, 0.44), (0.27, 0.455)])), fill=LINE, width=3)
    canvas.line(pxs([(0.28, 0.52), (0.315, 0.522)]), fill=LINE, width=3)
    canvas.line(pxs(smooth(list(SIDE_JAWLINE))), fill=FAINT, width=3, round_joints=True)
    canvas.line(
        pxs(smooth([(0.37, 0.885), (0.46, 0.87), (0.56, 0.865), (0.64, 0.85)])),
        fill=LINE,
        width=ART_WIDTH,
        round_joints=True,
    )
    canvas.line(
        pxs(smooth([(0.67, 0.84), (0.80, 0.86), (0.92, 0.89), (1.0, 0.93)])),
        fill=LINE,
        width=ART_WIDTH,
        round_joints=True,
    )


def _neck(canvas: Canvas, areas: Sequence[str]) -> None:
    chin = smooth(
        [
            (0.20, -0.02),
            (0.30, 0.06),
            (0.40, 0.11),
            (0.5, 0.125),
            (0.60, 0.11),
            (0.70, 0.06),
            (0.80, -0.02),
        ]
    )
    body = [
        (0.0, 1.0),
        (0.0, 0.70),
        (0.04, 0.60),
        (0.14, 0.52),
        (0.30, 0.45),
        (0.37, 0.40),
        (0.365, 0.0),
        (0.635, 0.0),
        (0.63, 0.40),
        (0.70, 0.45),
        (0.86, 0.52),
        (0.96, 0.60),
        (1.0, 0.70),
        (1.0, 1.0),
    ]
    silhouette = [body, [*chin, (0.80, -0.05), (0.20, -0.05)]]
    for shape in silhouette:
        canvas.polygon(pxs(shape), fill=SKIN)
    _areas(canvas, "neck", areas, silhouette)
    canvas.line(pxs(chin), fill=LINE, width=ART_WIDTH, round_joints=True)
    for side in (False, True):

        def m(points: Sequence[Point], side: bool = side) -> list[tuple[float, float]]:
            return pxs(mirror(points)[::-1] if side else points)

        canvas.line(m([(0.37, 0.095), (0.37, 0.40)]), fill=LINE, width=ART_WIDTH)
        canvas.line(
            m(smooth([(0.37, 0.40), (0.30, 0.45), (0.14, 0.52), (0.04, 0.60), (0.0, 0.70)])),
            fill=LINE,
            width=ART_WIDTH,
            round_joints=True,
        )
        canvas.line(
            m(smooth([(0.47, 0.60), (0.40, 0.585), (0.30, 0.58), (0.20, 0.565), (0.10, 0.58)])),
            fill=LINE,
            width=ART_WIDTH + 1,
            round_joints=True,
        )
    canvas.line(pxs(smooth([(0.465, 0.60), (0.5, 0.62), (0.535, 0.60)])), fill=LINE, width=4)
    canvas.line(pxs([(0.5, 0.66), (0.5, 0.80)]), fill=FAINT, width=3)


VIEWS = {"front": _front, "side": _side, "neck": _neck}


def _areas(
    canvas: Canvas, view: str, areas: Sequence[str], silhouette: Sequence[Sequence[Point]]
) -> None:
    """Tint the step's areas, within the figure."""
    shapes = [pxs(p) for p in regions(view, areas)]
    if shapes:
        canvas.tint(shapes, colour=AREA, clip=[pxs(s) for s in silhouette], soften=10)


def _avoided(canvas: Canvas, view: str) -> None:
    shapes = [pxs(region.polygon) for region in AVOIDED[view]]
    canvas.tint(shapes, colour=AVOID, stripes=14)
    for shape in shapes:
        canvas.polygon(shape, outline=AVOID, width=3)


def box(centre: tuple[float, float], radius: float) -> tuple[float, float, float, float]:
    x, y = centre
    return x - radius, y - radius, x + radius, y + radius


def view_picture(view: str, areas: Sequence[str] = ()) -> Canvas:
    """The bare view (with `areas` tinted and the avoided regions marked), to draw on."""
    canvas = Canvas(WIDTH, HEIGHT)
    VIEWS[view](canvas, areas)
    _avoided(canvas, view)
    return canvas


def view_template(view: str) -> bytes:
    """The view alone, as PNG: what the reference pictures in the tests hold."""
    return view_picture(view).png()


def count_label(
    canvas: Canvas,
    centre: tuple[float, float],
    number: int,
    size: int,
    colour: Colour,
    max_width: float | None = None,
) -> None:
    """ "3×" centred on `centre`, in bold to hold its own beside the thick strokes; smaller
    when it would be wider than `max_width`."""
    text = f"{number}×"
    if max_width is not None:
        size = canvas.fitting_size(text, max_width, size, bold=True)
    canvas.text(centre, text, size=size, fill=colour, anchor="mm", bold=True)


def repeat_badge(canvas: Canvas, repeat: int | None) -> None:
    """Top right: a looping arrow, with the count when the step gives one, on a white card
    (a close-up may put the face behind it)."""
    centre = (WIDTH - 70, 70)
    left = WIDTH - (200 if repeat is not None else 130)
    canvas.rect((left, 10, WIDTH - 10, 132), fill=WHITE, outline=FAINT, width=2, radius=24)
    loop = pxs(arc(centre[0] / WIDTH, centre[1] / HEIGHT, 0.036, 0.032, -40, 250))
    canvas.line(loop, fill=LINE, width=7, round_joints=True)
    angle_end = loop[-1]
    canvas.polygon(
        [
            (angle_end[0] + 16, angle_end[1]),
            (angle_end[0] - 14, angle_end[1] - 14),
            (angle_end[0] - 10, angle_end[1] + 16),
        ],
        fill=LINE,
    )
    if repeat is not None:  # between the card's left edge and the loop
        room_left, room_right = left + 12, centre[0] - 44
        middle = ((room_left + room_right) / 2, centre[1])
        count_label(canvas, middle, repeat, 40, LINE, max_width=room_right - room_left)
