"""Broken-content tests: a copy of the small valid fixture tree (tests/unit/catalog_fixtures/
content) to break one thing in, and the loader's message for it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.catalog import CatalogError, load_catalog

FIXTURE = Path(__file__).resolve().parents[1] / "unit" / "catalog_fixtures" / "content"


def copy_fixture(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed? {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def load_error(root: Path, default_locale: str = "en") -> str:
    with pytest.raises(CatalogError) as info:
        load_catalog(root, default_locale=default_locale)
    return str(info.value)
