"""A step's animation: its diagram with the hand (or the tool) moving along the paths at the
step's pace, as a GIF that loops forever (Telegram's sendAnimation).

Pure: strokes and areas in, GIF bytes out. Frames are the diagram in one fixed palette with
the marker drawn over it (motion.py says where, markers.py draws it): no frame is quantized
again, and each is written as the patch where the marker was and is (gif.py), a few hundred
kilobytes for a loop of several seconds.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

from PIL import Image, ImageChops

from bot.pictures.drawing import Box
from bot.pictures.gif import UNCHANGED, Patch, animated_gif
from bot.pictures.markers import COLOURS, Sprite, sprite
from bot.pictures.motion import FPS, Frame, frames
from bot.pictures.strokes import StrokesLike, step_drawing

# The diagram's own colours: line art, flat tints, the antialiasing between them. The markers'
# are added (drawn exact), and UNCHANGED stays free.
DIAGRAM_COLOURS = 240
FRAME_MS = round(1000 / FPS)
_EXACT = Image.Dither.NONE  # dithering would speckle flat areas and change with every frame


def step_animation(strokes: StrokesLike, areas: Sequence[str]) -> bytes:
    """The step's animation as GIF bytes."""
    drawing = step_drawing(strokes, areas)
    scene = _Scene(drawing.canvas.image())
    timeline = _held(frames(drawing, strokes))
    first, first_ms = timeline[0]
    return animated_gif(scene.whole(first), first_ms, scene.patches(timeline))


def _held(timeline: Sequence[Frame]) -> list[tuple[Frame, int]]:
    """Each frame with how long it shows: a frame repeated (a hold, the pause) shows once,
    for longer."""
    return [(frame, FRAME_MS * len(list(run))) for frame, run in itertools.groupby(timeline)]


class _Scene:
    """The diagram in its palette, and the frames drawn over it."""

    def __init__(self, background: Image.Image) -> None:
        self.background = background
        diagram = background.quantize(DIAGRAM_COLOURS, Image.Quantize.MEDIANCUT, dither=_EXACT)
        colours = (diagram.getpalette() or [])[: 3 * DIAGRAM_COLOURS]
        self.palette = Image.new("P", (1, 1))
        self.palette.putpalette(colours + [c for colour in COLOURS for c in colour])
        self.still = background.quantize(palette=self.palette, dither=_EXACT)

    def whole(self, frame: Frame) -> Image.Image:
        return self._drawn([sprite(o) for o in frame], (0, 0, *self.still.size))

    def patches(self, timeline: Sequence[tuple[Frame, int]]) -> Iterator[Patch]:
        """After the first frame, each next one as the patch where the sprites were or are,
        its pixels that stay as they were left UNCHANGED."""
        for (before, _), (after, ms) in itertools.pairwise(timeline):
            old, new = [sprite(o) for o in before], [sprite(o) for o in after]
            box = _bounds([*old, *new], self.still.size)
            if box is None:  # nothing shows either way: one unchanged pixel, for the time
                yield Patch(Image.new("P", (1, 1), UNCHANGED), 0, 0, ms)
                continue
            patch = self._drawn(new, box)
            difference = ImageChops.difference(patch, self._drawn(old, box))
            changed = Image.frombytes("L", patch.size, difference.tobytes()).point(_nonzero)
            patch.paste(UNCHANGED, (0, 0, *patch.size), ImageChops.invert(changed))
            inner = changed.getbbox() or (0, 0, 1, 1)  # (all the same: one pixel, for the time)
            yield Patch(patch.crop(inner), box[0] + inner[0], box[1] + inner[1], ms)

    def _drawn(self, sprites: Sequence[Sprite], box: tuple[int, int, int, int]) -> Image.Image:
        """The part `box` of the frame with `sprites` over the diagram: they are blended with
        the diagram's colours beneath, then put into the palette where they cover it."""
        part = self.still.crop(box)
        if not sprites:
            return part
        region = self.background.crop(box)
        covered = Image.new("L", region.size, 0)
        for s in sprites:
            offset = (s.left - box[0], s.top - box[1])
            region.paste(s.rgb, offset, s.mask)
            covered.paste(
                255, (*offset, offset[0] + s.mask.width, offset[1] + s.mask.height), s.mask
            )
        touched = covered.point(_nonzero)
        part.paste(region.quantize(palette=self.palette, dither=_EXACT), (0, 0), touched)
        return part


def _nonzero(value: int) -> int:
    return 255 if value else 0


def _bounds(sprites: Sequence[Sprite], size: tuple[int, int]) -> tuple[int, int, int, int] | None:
    """The box round every sprite, within the picture; None if there is none in it."""
    if not sprites:
        return None
    box: Box = (
        max(0, min(s.left for s in sprites)),
        max(0, min(s.top for s in sprites)),
        min(size[0], max(s.left + s.rgb.width for s in sprites)),
        min(size[1], max(s.top + s.rgb.height for s in sprites)),
    )
    left, top, right, bottom = (int(v) for v in box)
    return (left, top, right, bottom) if right > left and bottom > top else None
