"""An animated GIF written frame by frame, each frame only the patch that changed.

Pillow's own `save_all` keeps a full copy of every frame until it writes the file (hundreds
of megabytes for a loop of a hundred 900x1000 frames) and remaps each to the palette again;
a step's animation knows where its marker moved, so it hands over just those patches, through
Pillow's GIF header and frame encoders (GifImagePlugin.getheader and getdata).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PIL import GifImagePlugin, Image

# The palette index left out of every picture: a patch's pixels of this index leave the frame
# beneath as it was (GIF transparency), so that only what changed is encoded.
UNCHANGED = 255
_KEEP = 1  # GIF disposal: each frame stays, the next is drawn over it


@dataclass(frozen=True)
class Patch:
    """Frame after frame: `image` ("P", the first frame's palette) put at (`left`, `top`),
    its UNCHANGED pixels see-through, then shown for `ms` milliseconds."""

    image: Image.Image
    left: int
    top: int
    ms: int


def animated_gif(first: Image.Image, first_ms: int, patches: Iterable[Patch]) -> bytes:
    """A GIF that loops forever: `first` (the whole picture, "P" with fewer than 256 colours
    so that UNCHANGED is free) for `first_ms`, then each patch in turn."""
    palette = first.getpalette() or []
    if len(palette) > 3 * UNCHANGED:
        raise ValueError("the palette must leave index 255 free for the unchanged pixels")
    header, _ = GifImagePlugin.getheader(first.copy(), info={"loop": 0})
    out = [*header, *GifImagePlugin.getdata(first, duration=first_ms, disposal=_KEEP)]
    for patch in patches:
        out += GifImagePlugin.getdata(
            patch.image,
            (patch.left, patch.top),
            duration=patch.ms,
            disposal=_KEEP,
            transparency=UNCHANGED,
        )
    return b"".join(out) + b";"
