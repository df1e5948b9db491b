"""Shared Pillow plumbing for the pictures: a supersampled canvas, fonts, a legend, PNG bytes."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from functools import cache, lru_cache, partial
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

# Shapes are drawn at twice the size and halved at the end: Pillow does not antialias shapes,
# so this is what keeps round corners, circles and diagonals smooth on a phone screen.
SUPERSAMPLE = 2

Colour = tuple[int, int, int]
# (left, top, right, bottom) in the PNG's own pixels, right and bottom exclusive (as Image.crop).
Box = tuple[float, float, float, float]

BACKGROUND: Colour = (255, 255, 255)
INK: Colour = (36, 41, 47)
MUTED: Colour = (101, 109, 118)
GRID: Colour = (228, 231, 235)
GREEN: Colour = (46, 160, 67)
RED: Colour = (220, 38, 38)

# DejaVu Sans, shipped with the package (fonts/README.md): Latin and Cyrillic, and the ×, →
# and dashes, which Pillow's own font lacks; the same file everywhere, so the same pixels.
FONTS = Path(__file__).parent / "fonts"
REGULAR_FONT = FONTS / "DejaVuSans.ttf"
BOLD_FONT = FONTS / "DejaVuSans-Bold.ttf"


@lru_cache(maxsize=64)
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    # The basic layout, not Raqm even where Pillow has it: Latin and Cyrillic need no shaping,
    # and a machine with Raqm would otherwise draw other pixels (and other fingerprints).
    path = BOLD_FONT if bold else REGULAR_FONT
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)


@lru_cache(maxsize=8)
def _stripes(size: tuple[int, int], step: int) -> Image.Image:
    """Diagonal stripes over a whole canvas, as a mask (read only: callers combine it)."""
    pattern = Image.new("L", size, 0)
    draw = ImageDraw.Draw(pattern)
    width, height = size
    for offset in range(-height, width, step):
        draw.line((offset, height, offset + height, 0), fill=255, width=2 * SUPERSAMPLE)
    return pattern


class Canvas:
    """A white picture addressed in final pixels; draws at SUPERSAMPLE times the size."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self._image = Image.new("RGB", (width * SUPERSAMPLE, height * SUPERSAMPLE), BACKGROUND)
        self._draw = ImageDraw.Draw(self._image)

    @staticmethod
    def _box(box: Box) -> tuple[int, int, int, int] | None:
        left, top, right, bottom = (round(v * SUPERSAMPLE) for v in box)
        if right <= left or bottom <= top:
            return None
        return left, top, right - 1, bottom - 1  # Pillow's boxes include the far edge

    def rect(
        self,
        box: Box,
        *,
        fill: Colour | None = None,
        outline: Colour | None = None,
        width: float = 1,
        radius: float = 0,
    ) -> None:
        scaled = self._box(box)
        if scaled is not None:
            self._draw.rounded_rectangle(
                scaled,
                radius=round(radius * SUPERSAMPLE),
                fill=fill,
                outline=outline,
                width=round(width * SUPERSAMPLE),
            )

    def ellipse(
        self,
        box: Box,
        *,
        fill: Colour | None = None,
        outline: Colour | None = None,
        width: float = 1,
    ) -> None:
        scaled = self._box(box)
        if scaled is not None:
            self._draw.ellipse(scaled, fill=fill, outline=outline, width=round(width * SUPERSAMPLE))

    def polygon(
        self,
        points: Sequence[tuple[float, float]],
        *,
        fill: Colour | None = None,
        outline: Colour | None = None,
        width: float = 1,
    ) -> None:
        scaled = [(x * SUPERSAMPLE, y * SUPERSAMPLE) for x, y in points]
        self._draw.polygon(scaled, fill=fill)
        if outline is not None:
            self.line([*points, points[0]], fill=outline, width=width, round_joints=True)

    def line(
        self,
        points: Sequence[tuple[float, float]],
        *,
        fill: Colour,
        width: float = 1,
        round_joints: bool = False,
    ) -> None:
        """A polyline; `round_joints` rounds its corners and ends (for drawn curves)."""
        scaled = [(x * SUPERSAMPLE, y * SUPERSAMPLE) for x, y in points]
        pixels = max(1, round(width * SUPERSAMPLE))
        self._draw.line(scaled, fill=fill, width=pixels, joint="curve" if round_joints else None)
        if round_joints and pixels > 2:
            for x, y in (scaled[0], scaled[-1]):
                r = pixels / 2
                self._draw.ellipse((x - r, y - r, x + r, y + r), fill=fill)

    def tint(
        self,
        shapes: Sequence[Sequence[tuple[float, float]]],
        *,
        colour: Colour,
        clip: Sequence[Sequence[tuple[float, float]]] = (),
        stripes: float | None = None,
        soften: float = 0,
    ) -> None:
        """Paint the union of the polygons `shapes`, only where it is inside the union of
        `clip` (when given); with `stripes`, as diagonal stripes that far apart: a pattern,
        so that a region reads as marked without relying on its colour alone; `soften`
        blurs the edges by about that many pixels."""
        mask = self._mask(shapes)
        if clip:
            mask = ImageChops.darker(mask, self._mask(clip))
        if stripes is not None:
            mask = ImageChops.darker(mask, _stripes(self._image.size, round(stripes * SUPERSAMPLE)))
        if soften:
            mask = mask.filter(ImageFilter.GaussianBlur(soften * SUPERSAMPLE))
        self._image.paste(colour, (0, 0, *self._image.size), mask)

    def _mask(self, shapes: Sequence[Sequence[tuple[float, float]]]) -> Image.Image:
        mask = Image.new("L", self._image.size, 0)
        draw = ImageDraw.Draw(mask)
        for shape in shapes:
            draw.polygon([(x * SUPERSAMPLE, y * SUPERSAMPLE) for x, y in shape], fill=255)
        return mask

    def text(
        self,
        xy: tuple[float, float],
        text: str,
        *,
        size: int,
        fill: Colour = INK,
        anchor: str = "la",
        bold: bool = False,
    ) -> None:
        """Write text; `anchor` as in Pillow ("lm" = left edge, vertical middle, ...)."""
        x, y = xy
        self._draw.text(
            (x * SUPERSAMPLE, y * SUPERSAMPLE),
            text,
            font=_font(size * SUPERSAMPLE, bold),
            fill=fill,
            anchor=anchor,
        )

    @staticmethod
    def text_width(text: str, size: int, *, bold: bool = False) -> float:
        return _font(size * SUPERSAMPLE, bold).getlength(text) / SUPERSAMPLE

    def fitting_size(
        self, text: str, max_width: float, size: int, smallest: int = 9, *, bold: bool = False
    ) -> int:
        """The largest font size up to `size` at which `text` fits (long localised labels)."""
        while size > smallest and self.text_width(text, size, bold=bold) > max_width:
            size -= 1
        return size

    def close_up(self, box: Box) -> None:
        """Magnify `box` (in the picture's pixels, the same shape as the picture) to fill the
        picture; what is drawn next is drawn over the close-up. Sharp up to SUPERSAMPLE times,
        since the canvas holds that many pixels per picture pixel."""
        left, top, right, bottom = (round(v * SUPERSAMPLE) for v in box)
        region = self._image.crop((left, top, right, bottom))
        self._image = region.resize(self._image.size, Image.Resampling.LANCZOS)
        self._draw = ImageDraw.Draw(self._image)

    def image(self) -> Image.Image:
        """The picture at its final size (a new image: drawing on goes on the canvas)."""
        return self._image.reduce(SUPERSAMPLE)

    def png(self) -> bytes:
        """The picture at its final size as PNG bytes (deterministic: no timestamps)."""
        buffer = io.BytesIO()
        # No `optimize`: it more than doubles the time (45 ms against 19 for a calendar) to
        # save 5% of a 16 kB upload that Telegram re-encodes anyway.
        self.image().save(buffer, format="PNG")
        return buffer.getvalue()


Swatch = Callable[[Canvas, Box], None]

_SWATCH_GAP = 8  # between a swatch and its label
_ITEM_GAP = 24  # between legend items
_LINE_HEIGHT = 1.6  # between the middles of a legend's lines, in font sizes

LegendItem = tuple[Swatch, str]
Width = Callable[[Sequence[LegendItem]], float]  # of a line of legend items


def draw_legend(
    canvas: Canvas,
    items: Sequence[LegendItem],
    *,
    middle_y: float,
    left: float,
    right: float,
    size: int = 16,
    lines: int = 1,
    smallest: int = 13,
) -> None:
    """A legend centred between `left` and `right` and on `middle_y`: on one line at the
    largest size down to `smallest` that fits, else on up to `lines` lines as even as can be;
    past that it shrinks the font to 11, then drops trailing items, rather than spilling out
    of the picture. Items are never split, and each line is centred."""
    room = right - left

    @cache  # one legend's labels, measured again and again while laid out
    def label_width(label: str, font_size: int) -> float:
        return font_size + _SWATCH_GAP + canvas.text_width(label, font_size)

    def width(entries: Sequence[LegendItem], font_size: int) -> float:
        each = (label_width(label, font_size) for _, label in entries)
        return sum(each) + _ITEM_GAP * max(0, len(entries) - 1)

    def layout() -> tuple[int, list[list[LegendItem]]]:
        for count in range(1, lines + 1):
            for font_size in range(size, smallest - 1, -1):
                wrapped = _even_lines(items, partial(width, font_size=font_size), room, count)
                if wrapped is not None:
                    return font_size, wrapped
        wrapped = _fill(items, partial(width, font_size=11), room)[:lines]
        return 11, [line for line in wrapped if width(line, 11) <= room]  # too long alone: out

    font_size, wrapped = layout()
    step = font_size * _LINE_HEIGHT
    for index, line in enumerate(wrapped):
        y = middle_y + (index - (len(wrapped) - 1) / 2) * step
        x = left + (room - width(line, font_size)) / 2
        for swatch, label in line:
            swatch(canvas, (x, y - font_size / 2, x + font_size, y + font_size / 2))
            x += font_size + _SWATCH_GAP
            canvas.text((x, y), label, size=font_size, fill=MUTED, anchor="lm")
            x += canvas.text_width(label, font_size) + _ITEM_GAP


def _fill(items: Sequence[LegendItem], width: Width, limit: float) -> list[list[LegendItem]]:
    """Items in order, as many on each line as fit in `limit` (always at least one)."""
    filled: list[list[LegendItem]] = []
    for item in items:
        if filled and width([*filled[-1], item]) <= limit:
            filled[-1].append(item)
        else:
            filled.append([item])
    return filled


def _even_lines(
    items: Sequence[LegendItem], width: Width, room: float, count: int
) -> list[list[LegendItem]] | None:
    """Items in order on at most `count` lines no wider than `room`, the widest line as
    narrow as can be (so two lines come out about even, not four items and one); None when
    they do not fit. The narrowest widest line is the width of some run of items: try each."""
    runs = {width(items[i:j]) for i in range(len(items)) for j in range(i + 1, len(items) + 1)}
    for limit in sorted(run for run in runs if run <= room):
        filled = _fill(items, width, limit)
        if len(filled) <= count and all(width(line) <= limit for line in filled):
            return filled
    return None
