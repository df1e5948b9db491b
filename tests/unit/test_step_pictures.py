"""Every step's picture renders, within Telegram's and a phone's limits, and each view matches
its checked-in reference, so that a change to the drawing shows in review.

The references are tests/unit/picture_references/<view>.png, at half size. After changing the
drawing on purpose, look at the new pictures (`python -m bot render-pictures`), then
regenerate them with:

    UPDATE_PICTURE_REFERENCES=1 .venv/bin/python -m pytest tests/unit/test_step_pictures.py

and commit the new PNGs with the change: the diff shows the pictures that changed.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from bot.catalog import load_catalog
from bot.domain.face_map import VIEWS
from bot.pictures.illustrations import illustration
from bot.pictures.strokes import step_diagram
from bot.pictures.views import view_template
from bot.services.step_pictures import StepPicture, render_all, step_pictures
from tests.support.content import real_catalog

REFERENCES = Path(__file__).parent / "picture_references"
UPDATE = os.environ.get("UPDATE_PICTURE_REFERENCES") == "1"
MAX_BYTES = 1_000_000  # well under Telegram's photo limit, and quick on a phone's data
MIN_WIDTH = 800
# Pixel tolerance against the references: a mean difference this small is antialiasing noise
# (another zlib, a rounding), and few pixels may differ by much.
MEAN_TOLERANCE = 0.5
CHANGED_SHARE = 0.002


def _image(png: bytes) -> Image.Image:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    return Image.open(io.BytesIO(png))


@pytest.fixture(scope="module")
def distinct() -> dict[str, tuple[StepPicture, bytes]]:
    """Each distinct step picture of the real catalogue, drawn once (the same stroke appears
    in many routines)."""
    drawn: dict[str, tuple[StepPicture, bytes]] = {}
    for picture in step_pictures(real_catalog()):
        if picture.key not in drawn:
            drawn[picture.key] = (picture, step_diagram(picture.strokes, picture.areas))
    return drawn


def test_every_step_of_every_routine_has_a_picture() -> None:
    catalog = real_catalog()
    pictures = {(p.routine_id, p.step_id) for p in step_pictures(catalog)}
    steps = {(r.id, s.id) for r in catalog.routines("en") for s in r.steps}
    assert pictures == steps


def test_every_picture_renders_within_the_limits(distinct) -> None:
    assert len(distinct) >= 20
    for picture, png in distinct.values():
        image = _image(png)
        assert len(png) < MAX_BYTES, (picture.routine_id, picture.step_id, len(png))
        assert image.width >= MIN_WIDTH and image.height >= image.width
        assert image.mode == "RGB"


def test_a_step_picture_shows_its_strokes_over_the_bare_view(distinct) -> None:
    # The strokes' blue is on the picture, and the picture differs from the bare view.
    bare_views = {view: _image(view_template(view)).convert("RGB") for view in VIEWS}
    for picture, png in distinct.values():
        if picture.strokes.view is None:
            continue
        image = _image(png).convert("RGB")
        bare = bare_views[picture.strokes.view]
        assert ImageChops.difference(image, bare).getbbox() is not None
        colours = {colour for _, colour in image.getcolors(1 << 20) or []}
        assert (0, 114, 178) in colours, (picture.routine_id, picture.step_id)


@pytest.mark.parametrize("kind", ["breathe", "oil", "water", "compress"])
def test_every_illustration_renders(kind: str) -> None:
    plain, repeated = illustration(kind, None), illustration(kind, 5)
    assert _image(plain).width >= MIN_WIDTH and len(plain) < MAX_BYTES
    assert plain != repeated  # the repeat badge shows


def test_pictures_are_the_same_every_time() -> None:
    picture = step_pictures(real_catalog())[3]
    first = step_diagram(picture.strokes, picture.areas)
    assert step_diagram(picture.strokes, picture.areas) == first


@pytest.mark.parametrize("view", VIEWS)
def test_each_view_matches_its_reference(view: str) -> None:
    rendered = _image(view_template(view)).convert("RGB")
    small = rendered.resize((rendered.width // 2, rendered.height // 2), Image.Resampling.LANCZOS)
    path = REFERENCES / f"{view}.png"
    if UPDATE:
        small.save(path, format="PNG", optimize=True)
    assert path.exists(), f"no reference for {view}: run with UPDATE_PICTURE_REFERENCES=1"
    reference = Image.open(path).convert("RGB")
    assert reference.size == small.size
    difference = ImageChops.difference(small, reference).convert("L")
    mean = ImageStat.Stat(difference).mean[0]
    changed = sum(difference.point(lambda v: 255 if v > 48 else 0).histogram()[255:])
    share = changed / (small.width * small.height)
    assert mean <= MEAN_TOLERANCE and share <= CHANGED_SHARE, (
        f"the {view} view differs from {path.name} (mean {mean:.2f}, {share:.2%} of pixels): "
        "if the change is meant, look at it and regenerate (see this file's docstring)"
    )


def test_render_all_draws_each_picture_once_and_a_copy_per_step(tmp_path: Path) -> None:
    catalog = load_catalog(Path(__file__).parent / "catalog_fixtures" / "content")
    seen: list[int] = []
    first = render_all(catalog, tmp_path, lambda done, total, _: seen.append(done))
    assert first.pictures == len(seen) == sum(len(r.steps) for r in catalog.routines("en"))
    assert 0 < first.drawn < first.pictures  # the same neck stroke is in every routine
    assert (tmp_path / "classic" / "03-neck.png").exists()
    again = render_all(catalog, tmp_path, lambda *_: None)
    assert again.drawn == 0  # all cached
