"""The bundled picture font has a glyph for every character the pictures can draw, in every
locale of the catalogue and in Russian (to come): a missing one would show as an empty box
(.notdef) in someone's calendar or chart."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from datetime import date
from functools import cache

import pytest

from bot.domain.localised import compact_count, day_and_month, month_names, weekday_names
from bot.pictures.drawing import BOLD_FONT, REGULAR_FONT, _font
from bot.telegram.progress_views import calendar_labels, progress_labels
from tests.support.content import real_catalog
from tests.support.picture_labels import RUSSIAN_ALPHABET, RUSSIAN_CALENDAR, RUSSIAN_PROGRESS

SIZE = 32
# Drawn by the pictures themselves: digits (badges, axes, dates), "3×" counts, and what a
# label may well hold.
SYMBOLS = "0123456789×→–—%+-−.,:;()«»“”„'\"!?/ "
# A private-use code point: no font has a glyph of its own there, so it draws .notdef.
NOT_IN_ANY_FONT = "\ue000"


@cache
def _notdef(bold: bool) -> tuple[tuple[int, int], bytes]:
    return _mask(NOT_IN_ANY_FONT, bold)


@cache
def _mask(char: str, bold: bool) -> tuple[tuple[int, int], bytes]:
    mask = _font(SIZE, bold).getmask(char)
    return mask.size, bytes(mask)


def missing_glyphs(text: str) -> set[str]:
    """The characters of `text` either font draws as .notdef (a space has a glyph, blank)."""
    return {char for char in text for bold in (False, True) if _mask(char, bold) == _notdef(bold)}


def _words(labels: object) -> Iterator[str]:
    """Every text a labels dataclass holds (its fields and the values of its mappings)."""
    for field in dataclasses.fields(labels):  # type: ignore[arg-type]
        value = getattr(labels, field.name)
        if isinstance(value, Mapping):
            yield from value.values()
        elif isinstance(value, str):
            yield value


def _from_babel(locale: str) -> Iterator[str]:
    """What the pictures take from the locale itself: names, dates and shortened counts."""
    yield from weekday_names(locale)
    yield from month_names(locale)
    for month in range(1, 13):
        yield day_and_month(date(2026, month, 28), locale)
    for number in (9_999, 12_345, 1_234_567, 1_234_567_890, 10**15):
        yield compact_count(number, locale)


def _labels_by_locale() -> dict[str, list[str]]:
    catalog = real_catalog()
    labels = {
        locale: [
            *_words(calendar_labels(catalog, locale)),
            *_words(progress_labels(catalog, locale)),
            *_from_babel(locale),
        ]
        for locale in catalog.locales
    }
    labels.setdefault("ru", [])  # Russian before content/ has it: its sample labels
    labels["ru"] += [*_words(RUSSIAN_CALENDAR), *_words(RUSSIAN_PROGRESS), *_from_babel("ru")]
    labels["ru"].append(RUSSIAN_ALPHABET)
    return labels


LABELS = _labels_by_locale()


def test_the_fonts_are_the_bundled_files():
    assert REGULAR_FONT.is_file() and BOLD_FONT.is_file()
    assert (REGULAR_FONT.parent / "LICENSE-DejaVu.txt").is_file()
    assert _font(SIZE).getname() == ("DejaVu Sans", "Book")
    assert _font(SIZE, bold=True).getname() == ("DejaVu Sans", "Bold")


def test_the_check_finds_what_the_font_lacks():
    # A CJK ideograph, a Devanagari letter and an emoji DejaVu Sans does not have: the check
    # must fail on them, or it would pass on anything.
    assert missing_glyphs("Oct 中 क 🙂") == {"中", "क", "🙂"}
    assert missing_glyphs("Jan янв. 3× → – 50%") == set()


@pytest.mark.parametrize("locale", sorted(LABELS))
def test_every_label_of_a_locale_has_its_glyphs(locale: str):
    assert LABELS[locale], locale
    missing = {text: missing_glyphs(text) for text in LABELS[locale]}
    assert {text: chars for text, chars in missing.items() if chars} == {}


def test_the_symbols_the_pictures_draw_have_their_glyphs():
    assert missing_glyphs(SYMBOLS) == set()
