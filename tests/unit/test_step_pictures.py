"""Every step's picture renders, within Telegram's and a phone's limits, and each view matches
its checked-in reference, so that a change to the drawing shows in review (the references and
how to regenerate them: tests/support/picture_references.py).
"""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from bot.catalog import load_catalog
from bot.domain.face_map import VIEWS
from bot.pictures.illustrations import illustration
from bot.pictures.strokes import step_diagram
from bot.pictures.views import view_template
from bot.services.step_pictures import (
    StepPicture,
    _write_whole,
    cached_file,
    render_all,
    step_pictures,
)
from tests.support.content import real_catalog
from tests.support.picture_references import assert_matches_reference

MAX_BYTES = 1_000_000  # well under Telegram's photo limit, and quick on a phone's data
MIN_WIDTH = 800


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
    assert_matches_reference(_image(view_template(view)), view)


def test_render_all_draws_each_picture_once_and_a_copy_per_step(tmp_path: Path) -> None:
    catalog = load_catalog(Path(__file__).parent / "catalog_fixtures" / "content")
    seen: list[int] = []
    first = render_all(catalog, tmp_path, lambda done, total, _: seen.append(done))
    assert first.pictures == len(seen) == sum(len(r.steps) for r in catalog.routines("en"))
    assert 0 < first.drawn < first.pictures  # the same neck stroke is in every routine
    assert first.animated == first.drawn  # an animation for each distinct diagram
    for picture in step_pictures(catalog):
        assert cached_file(tmp_path, picture, animated=False).read_bytes().startswith(b"\x89PNG")
        assert cached_file(tmp_path, picture, animated=True).read_bytes().startswith(b"GIF89a")
    assert (tmp_path / "classic" / "03-neck.png").exists()
    assert (tmp_path / "classic" / "03-neck.gif").read_bytes().startswith(b"GIF89a")
    assert not list(tmp_path.rglob("*.tmp"))  # every file written whole, under its name
    again = render_all(catalog, tmp_path, lambda *_: None)
    assert (again.drawn, again.animated) == (0, 0)  # all cached


def test_renderers_writing_one_file_at_once_never_share_a_temporary_file(tmp_path: Path) -> None:
    # Two renderers (processes, or threads of one) may write the same picture at once: each
    # writes a temporary file of its own, so both succeed and the file is one of them whole.
    target = tmp_path / "picture.png"
    payloads = [bytes([n]) * 200_000 for n in range(8)]

    def write(payload: bytes) -> None:
        for _ in range(20):
            _write_whole(target, payload)

    with ThreadPoolExecutor(max_workers=len(payloads)) as pool:
        list(pool.map(write, payloads))
    assert target.read_bytes() in payloads
    assert [p.name for p in tmp_path.iterdir()] == ["picture.png"]
