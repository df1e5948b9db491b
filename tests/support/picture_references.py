"""Checked-in reference pictures: a drawing compared with its reference within a small pixel
tolerance, so that a change to it shows in review (README, "Testing").

The references are tests/unit/picture_references/<name>.png, at half size. After changing a
drawing on purpose, look at the new pictures (`python -m bot render-pictures`; for the
calendar and the chart, the regenerated references themselves), then regenerate them with

    UPDATE_PICTURE_REFERENCES=1 .venv/bin/python -m pytest tests/unit/test_step_pictures.py \
        tests/unit/test_step_animation.py tests/unit/test_picture_locales.py

and commit the new PNGs with the change: the diff shows the pictures that changed.
"""

from __future__ import annotations

import os
from pathlib import Path

from PIL import Image, ImageChops, ImageStat

REFERENCES = Path(__file__).parents[1] / "unit" / "picture_references"
UPDATE = os.environ.get("UPDATE_PICTURE_REFERENCES") == "1"
# A mean difference this small is antialiasing noise (another zlib, a rounding), and few
# pixels may differ by much.
MEAN_TOLERANCE = 0.5
CHANGED_SHARE = 0.002


def assert_matches_reference(image: Image.Image, name: str) -> None:
    """`image`, at half size, matches REFERENCES/<name>.png (written instead when UPDATE)."""
    rendered = image.convert("RGB")
    small = rendered.resize((rendered.width // 2, rendered.height // 2), Image.Resampling.LANCZOS)
    path = REFERENCES / f"{name}.png"
    if UPDATE:
        small.save(path, format="PNG", optimize=True)
    assert path.exists(), f"no reference {path.name}: run with UPDATE_PICTURE_REFERENCES=1"
    reference = Image.open(path).convert("RGB")
    assert reference.size == small.size
    difference = ImageChops.difference(small, reference).convert("L")
    mean = ImageStat.Stat(difference).mean[0]
    changed = sum(difference.point(lambda v: 255 if v > 48 else 0).histogram()[255:])
    share = changed / (small.width * small.height)
    assert mean <= MEAN_TOLERANCE and share <= CHANGED_SHARE, (
        f"{name} differs from {path.name} (mean {mean:.2f}, {share:.2%} of pixels): if the "
        "change is meant, look at it and regenerate (see tests/support/picture_references.py)"
    )
