"""Pictures for the steps that move no skin: slow breaths, oil, water, a warm compress.

Like the diagrams, they carry no words and use the Okabe-Ito colours, at the same size.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from bot.domain.face_map import Point
from bot.pictures.drawing import Canvas, Colour
from bot.pictures.views import (
    ART_WIDTH,
    FAINT,
    HEIGHT,
    LINE,
    SKIN,
    STROKE,
    WARM,
    WHITE,
    WIDTH,
    arc,
    ellipse,
    px,
    pxs,
    repeat_badge,
    smooth,
    view_picture,
)

WATER: Colour = (86, 180, 233)  # Okabe-Ito sky blue
WATER_LIGHT: Colour = (200, 230, 247)
OIL: Colour = (240, 200, 60)  # Okabe-Ito yellow, a little deeper to show on white
CLOTH: Colour = (250, 218, 170)  # orange, lightened: warm


def _drop(canvas: Canvas, tip: Point, size: float, colour: Colour) -> None:
    """A teardrop hanging from `tip` (normalised), `size` tall."""
    x, y = tip
    body = arc(x, y + size * 0.62, size * 0.36, size * 0.36 * WIDTH / HEIGHT * 1.1, -30, 210)
    canvas.polygon(pxs([tip, *body]), fill=colour, outline=LINE, width=3)


def _palm(canvas: Canvas, centre: Point, facing: int) -> None:
    """An open hand seen from above its palm; `facing` 1 or -1 turns it towards the middle."""
    cx, cy = centre
    outline = [
        (cx - 0.09, cy + 0.16),
        (cx - 0.10, cy),
        (cx - 0.085, cy - 0.12),
        (cx - 0.05, cy - 0.15),
        (cx + 0.06, cy - 0.15),
        (cx + 0.09, cy - 0.10),
        (cx + 0.10, cy),
        (cx + 0.085, cy + 0.16),
    ]
    shape = [(cx + (x - cx) * facing, y) for x, y in smooth(outline, 6)]
    canvas.polygon(pxs(shape), fill=SKIN, outline=LINE, width=ART_WIDTH)
    for i in range(3):  # finger creases
        x = cx - 0.05 + i * 0.05
        canvas.line(pxs([(x, cy - 0.14), (x, cy - 0.07)]), fill=FAINT, width=3)
    thumb_x = cx + 0.10 * facing
    thumb = [
        (thumb_x, cy + 0.02),
        (thumb_x + 0.06 * facing, cy - 0.04),
        (thumb_x + 0.075 * facing, cy - 0.01),
        (thumb_x + 0.01 * facing, cy + 0.09),
    ]
    canvas.polygon(pxs(smooth(thumb, 6)), fill=SKIN, outline=LINE, width=ART_WIDTH)


# How far the belly's outermost ring is from its innermost (the animation's breath spans it).
BELLY_GROWTH = 0.10


def belly_ring(grow: float) -> list[Point]:
    """The arc above the hands on the belly, `grow` out from the innermost."""
    return arc(0.5, 0.76, 0.20 + grow, 0.11 + grow * 0.8, 200, 340)


def _breathe(canvas: Canvas) -> None:
    torso = [
        (0.12, 1.0),
        (0.14, 0.62),
        (0.20, 0.47),
        (0.40, 0.41),
        (0.43, 0.34),
        (0.57, 0.34),
        (0.60, 0.41),
        (0.80, 0.47),
        (0.86, 0.62),
        (0.88, 1.0),
    ]
    canvas.polygon(pxs(smooth(torso, 6)), fill=SKIN, outline=LINE, width=ART_WIDTH)
    head = ellipse(0.5, 0.20, 0.12, 0.135)
    canvas.polygon(pxs(head), fill=SKIN, outline=LINE, width=ART_WIDTH)
    for side in (-1, 1):  # closed eyes, resting
        canvas.line(pxs(arc(0.5 + side * 0.045, 0.19, 0.025, 0.012, 20, 160)), fill=LINE, width=4)
    canvas.line(pxs(arc(0.5, 0.245, 0.03, 0.015, 30, 150)), fill=LINE, width=4)
    # The belly swells with each breath: rings round the hands resting on it.
    for grow in (0.0, BELLY_GROWTH / 2, BELLY_GROWTH):
        canvas.line(pxs(belly_ring(grow)), fill=WATER, width=5, round_joints=True)
    for x, facing in ((0.42, 1), (0.58, -1)):
        hand = [
            (x - 0.09 * facing, 0.80),
            (x - 0.06 * facing, 0.745),
            (x + 0.05 * facing, 0.735),
            (x + 0.10 * facing, 0.76),
            (x + 0.07 * facing, 0.81),
            (x - 0.05 * facing, 0.83),
        ]
        canvas.polygon(pxs(smooth(hand, 6)), fill=SKIN, outline=LINE, width=ART_WIDTH)


def _oil(canvas: Canvas) -> None:
    # A dropper bottle over two open palms, three drops falling between them.
    bottle = [(0.44, 0.10), (0.56, 0.10), (0.58, 0.14), (0.58, 0.30), (0.42, 0.30), (0.42, 0.14)]
    canvas.polygon(pxs(bottle), fill=OIL, outline=LINE, width=ART_WIDTH)
    canvas.polygon(pxs([(0.47, 0.04), (0.53, 0.04), (0.53, 0.10), (0.47, 0.10)]), fill=LINE)
    canvas.polygon(pxs([(0.49, 0.30), (0.51, 0.30), (0.505, 0.36), (0.495, 0.36)]), fill=LINE)
    for i, y in enumerate((0.39, 0.47, 0.55)):
        _drop(canvas, (0.5 + (i - 1) * 0.015, y), 0.045, OIL)
    _palm(canvas, (0.32, 0.78), 1)
    _palm(canvas, (0.68, 0.78), -1)
    # Warming: the palms rub together, so arrows meet in the middle.
    for side in (-1, 1):
        start, end = px((0.5 + side * 0.13, 0.62)), px((0.5 + side * 0.04, 0.62))
        canvas.line([start, end], fill=STROKE, width=10)
        canvas.polygon(
            [
                (end[0] - side * 18, end[1]),
                (end[0] + side * 14, end[1] - 18),
                (end[0] + side * 14, end[1] + 18),
            ],
            fill=STROKE,
        )


def _water(canvas: Canvas) -> None:
    # A glass of water, and cool water splashed onto a face.
    glass = [(0.10, 0.35), (0.34, 0.35), (0.31, 0.80), (0.13, 0.80)]
    level = [(0.115, 0.47), (0.325, 0.47), (0.31, 0.80), (0.13, 0.80)]
    canvas.polygon(pxs(glass), fill=WHITE)
    canvas.polygon(pxs(level), fill=WATER_LIGHT)
    canvas.line(pxs(level[:2]), fill=WATER, width=5)
    canvas.polygon(pxs(glass), outline=LINE, width=ART_WIDTH)
    face = ellipse(0.70, 0.50, 0.19, 0.26)
    canvas.polygon(pxs(face), fill=SKIN, outline=LINE, width=ART_WIDTH)
    for side in (-1, 1):
        canvas.line(pxs(arc(0.70 + side * 0.07, 0.45, 0.03, 0.013, 20, 160)), fill=LINE, width=4)
    canvas.line(pxs(arc(0.70, 0.60, 0.04, 0.02, 30, 150)), fill=LINE, width=4)
    for tip in ((0.45, 0.30), (0.50, 0.40), (0.44, 0.50), (0.49, 0.60), (0.43, 0.68)):
        _drop(canvas, tip, 0.05, WATER)


def _compress(canvas: Canvas) -> None:
    # The front view with a warm cloth over the face, the nose left free, warmth rising.
    cloth = [
        (0.27, 0.20),
        (0.73, 0.20),
        (0.75, 0.45),
        (0.70, 0.62),
        (0.5, 0.70),
        (0.30, 0.62),
        (0.25, 0.45),
    ]
    canvas.polygon(pxs(smooth([*cloth, cloth[0]], 6)), fill=CLOTH, outline=WARM, width=ART_WIDTH)
    for y in (0.30, 0.52):  # folds
        canvas.line(
            pxs(smooth([(0.30, y), (0.45, y + 0.015), (0.60, y - 0.01), (0.70, y)])),
            fill=WARM,
            width=4,
        )
    nose = ellipse(0.5, 0.43, 0.045, 0.06)
    canvas.polygon(pxs(nose), fill=SKIN, outline=WARM, width=4)
    canvas.line(pxs(smooth([(0.478, 0.40), (0.47, 0.43), (0.46, 0.455)])), fill=LINE, width=4)
    for x in (0.40, 0.5, 0.60):
        wave = [(x + 0.015 * math.sin(i * math.pi / 2), 0.13 - i * 0.02) for i in range(5)]
        canvas.line(pxs(smooth(wave)), fill=WARM, width=7, round_joints=True)


_SCENES: dict[str, Callable[[Canvas], None]] = {
    "breathe": _breathe,
    "oil": _oil,
    "water": _water,
}


def illustration_canvas(kind: str, repeat: int | None) -> Canvas:
    """The picture for an illustration step, with the repeat badge when it repeats."""
    if kind == "compress":
        canvas = view_picture("front")
        _compress(canvas)
    else:
        canvas = Canvas(WIDTH, HEIGHT)
        _SCENES[kind](canvas)
    if repeat is not None:
        repeat_badge(canvas, repeat)
    return canvas


def illustration(kind: str, repeat: int | None) -> bytes:
    """The picture for an illustration step, as PNG."""
    return illustration_canvas(kind, repeat).png()
