"""What an animation draws over the diagram, as small sprites: the fingertip or the tool, the
belly's breathing ring, a clock.

Each sprite is its colours and a mask (how much of each pixel it covers), antialiased by
drawing at SCALE times the size, placed by its top left corner in the picture's pixels.
The marker is Okabe-Ito orange with a dark outline and a white rim: apart from the strokes'
blue for every kind of colour vision, and clear on skin, on the tinted areas and on an arrow.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw

from bot.pictures.drawing import Colour
from bot.pictures.illustrations import BELLY_GROWTH, belly_ring
from bot.pictures.motion import Breath, Marker, Overlay
from bot.pictures.views import FAINT, LINE, WHITE, pxs

MARKER: Colour = (230, 159, 0)  # Okabe-Ito orange
# The colours a sprite is drawn in (the animation's palette keeps each of them exact).
COLOURS: tuple[Colour, ...] = (MARKER, LINE, WHITE, FAINT)
# The marker's radius: a fingertip, larger for what touches more (about the width of the band
# the diagram draws under the path), clear at phone width.
RADIUS = {"flat_fingers": 24, "v_grip": 24, "palm": 30, "cup": 34}
FINGERTIP = 22
TOOLS = ("cup", "stone", "roller")
RIM = 4  # the white rim round every marker, so that it shows on the dark arrows too
OUTLINE = 4
SCALE = 4  # drawn this many times larger, then reduced: smooth edges
HEADING_STEP = math.radians(5)  # tools turn in steps this fine (so their sprites are cached)
CLOCK_CENTRE, CLOCK_RADIUS = (71.0, 71.0), 42.0  # top left, where the repeat badge is not


@dataclass(frozen=True)
class Sprite:
    rgb: Image.Image
    mask: Image.Image  # "L": 255 where the sprite covers the picture, less at its edges
    left: int
    top: int


class _Sketch:
    """Draws shapes into a sprite reaching `radius` pixels round (0, 0): colours and mask."""

    def __init__(self, radius: int) -> None:
        self.radius = radius
        side = 2 * radius * SCALE
        self.rgb = Image.new("RGB", (side, side), WHITE)
        self.mask = Image.new("L", (side, side), 0)
        self._rgb, self._mask = ImageDraw.Draw(self.rgb), ImageDraw.Draw(self.mask)

    def _at(self, points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
        return [((x + self.radius) * SCALE, (y + self.radius) * SCALE) for x, y in points]

    def disk(self, centre: tuple[float, float], radius: float, colour: Colour) -> None:
        (x, y), r = self._at([centre])[0], radius * SCALE
        self._rgb.ellipse((x - r, y - r, x + r, y + r), fill=colour)
        self._mask.ellipse((x - r, y - r, x + r, y + r), fill=255)

    def polygon(self, points: Sequence[tuple[float, float]], colour: Colour) -> None:
        self._rgb.polygon(self._at(points), fill=colour)
        self._mask.polygon(self._at(points), fill=255)

    def line(self, points: Sequence[tuple[float, float]], colour: Colour, width: float) -> None:
        scaled, pixels = self._at(points), round(width * SCALE)
        self._rgb.line(scaled, fill=colour, width=pixels, joint="curve")
        self._mask.line(scaled, fill=255, width=pixels, joint="curve")
        for x, y in (scaled[0], scaled[-1]):
            r = pixels / 2
            self._rgb.ellipse((x - r, y - r, x + r, y + r), fill=colour)
            self._mask.ellipse((x - r, y - r, x + r, y + r), fill=255)

    def card(self, half: float, radius: float, fill: Colour, outline: Colour) -> None:
        """A rounded square centred on (0, 0), like the repeat badge's card."""
        (x, y), h = self._at([(0, 0)])[0], half * SCALE
        box = (x - h, y - h, x + h, y + h)
        self._rgb.rounded_rectangle(box, radius * SCALE, fill, outline, 2 * SCALE)
        self._mask.rounded_rectangle(box, radius * SCALE, 255)

    def pie(self, radius: float, start: float, end: float, colour: Colour) -> None:
        (x, y), r = self._at([(0, 0)])[0], radius * SCALE
        self._rgb.pieslice((x - r, y - r, x + r, y + r), start, end, fill=colour)

    def sprite(self, centre: tuple[float, float]) -> Sprite:
        rgb, mask = self.rgb.reduce(SCALE), self.mask.reduce(SCALE)
        return Sprite(rgb, mask, round(centre[0]) - self.radius, round(centre[1]) - self.radius)


def sprite(overlay: Overlay) -> Sprite:
    if isinstance(overlay, Marker):
        return _marker(overlay)
    if isinstance(overlay, Breath):
        return _breath(round(overlay.grow, 2))
    return _clock(round(overlay.share, 3))


def _marker(marker: Marker) -> Sprite:
    heading = round(marker.heading / HEADING_STEP) % round(2 * math.pi / HEADING_STEP)
    # A tool as large as the diagram draws it (on a close-up too); a fingertip as large as
    # reads well, whatever the close-up.
    zoom = round(marker.zoom, 2) if marker.hands in TOOLS else 1.0
    drawn = _marker_shape(marker.hands, heading, marker.pressed, zoom)
    # Whole pixels: the sprite is the same wherever it goes (its fraction rounds away).
    x, y = round(marker.at[0]), round(marker.at[1])
    return Sprite(drawn.rgb, drawn.mask, x + drawn.left, y + drawn.top)


@lru_cache(maxsize=256)  # every heading a tool takes, both sides, a few steps
def _marker_shape(hands: str, heading_steps: int, pressed: bool, zoom: float) -> Sprite:
    """The marker centred on (0, 0): a tool `zoom` times its size on the whole view (the
    diagram's own tool, views in strokes.py), turned across `heading_steps` of HEADING_STEP;
    else a fingertip. Not pressed (letting go): white, an orange core."""
    heading = heading_steps * HEADING_STEP
    along = (math.cos(heading), math.sin(heading))
    across = (-along[1], along[0])

    def at(a: float, b: float) -> tuple[float, float]:
        return (across[0] * a + along[0] * b, across[1] * a + along[1] * b)

    fill = MARKER if pressed else WHITE
    if hands == "stone":  # a flat stone lying across the stroke
        sketch = _Sketch(math.ceil(46 * zoom) + RIM + 2)
        for grow, colour in ((RIM, WHITE), (0, LINE), (-OUTLINE, fill)):
            a, b = 46 * zoom + grow, 20 * zoom + grow
            sketch.polygon([at(a * math.cos(t), b * math.sin(t)) for t in _turn(32)], colour)
    elif hands == "roller":  # its drum across the stroke, the handle behind it
        sketch = _Sketch(math.ceil(70 * zoom) + RIM + 6)
        handle = [at(0, 0), at(0, -70 * zoom)]
        sketch.line(handle, WHITE, 8 * zoom + 2 * RIM)
        sketch.line(handle, LINE, 8 * zoom)
        for grow, colour in ((RIM, WHITE), (0, LINE), (-OUTLINE, fill)):
            a, b = 36 * zoom + grow, 12 * zoom + grow
            sketch.polygon([at(-a, -b), at(a, -b), at(a, b), at(-a, b)], colour)
    else:
        radius = RADIUS.get(hands, FINGERTIP) * zoom
        sketch = _Sketch(math.ceil(radius) + RIM + 2)
        sketch.disk((0, 0), radius + RIM, WHITE)
        sketch.disk((0, 0), radius, LINE)
        sketch.disk((0, 0), radius - OUTLINE, fill)
        if hands == "cup":  # its rim
            sketch.disk((0, 0), radius * 0.65, LINE)
            sketch.disk((0, 0), radius * 0.65 - 3, fill)
    if not pressed:
        sketch.disk((0, 0), FINGERTIP - OUTLINE - 5, MARKER)
    return sketch.sprite((0, 0))


def _turn(count: int) -> list[float]:
    return [2 * math.pi * i / count for i in range(count)]


# Each frame's ring and clock are drawn twice (as they are, and as they were for the next
# frame): a short cache; they are large, and no two loops share them.
@lru_cache(maxsize=4)
def _breath(grow: float) -> Sprite:
    """The belly's ring `grow` of the way out, drawn over the still rings."""
    ring = pxs(belly_ring(grow * BELLY_GROWTH))
    xs, ys = [x for x, _ in ring], [y for _, y in ring]
    centre = ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
    radius = round(max(max(xs) - min(xs), max(ys) - min(ys)) / 2) + 12
    sketch = _Sketch(radius)
    local = [(x - centre[0], y - centre[1]) for x, y in ring]
    sketch.line(local, WHITE, 9 + 2 * RIM)
    sketch.line(local, LINE, 13)
    sketch.line(local, MARKER, 7)
    return sketch.sprite(centre)


@lru_cache(maxsize=4)
def _clock(share: float) -> Sprite:
    """A clock face on a white card, filled clockwise from the top `share` of the way."""
    sketch = _Sketch(round(CLOCK_RADIUS) + 20)
    sketch.card(CLOCK_RADIUS + 19, 24, WHITE, FAINT)
    sketch.disk((0, 0), CLOCK_RADIUS, LINE)
    sketch.disk((0, 0), CLOCK_RADIUS - OUTLINE, WHITE)
    if share > 0:
        sketch.pie(CLOCK_RADIUS - OUTLINE - 3, -90, -90 + 360 * share, MARKER)
    return sketch.sprite(CLOCK_CENTRE)
