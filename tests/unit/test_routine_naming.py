"""/routine <words>: the routine people mean by what they read in the menu, over the real
catalogue, with the typos people make; words that name several routines, or none, name none
(the menu answers them)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.support.content import real_catalog

CATALOG = real_catalog()
HANDS_ONLY: tuple[str, ...] = ()
BOTH_TOOLS = ("cups", "gua_sha")


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [
        ("classic", "classic"),
        ("Classic", "classic"),
        ("quick", "quick"),
        ("evening", "evening-oil"),
        ("evening-oil", "evening-oil"),
        ("evening routine with oil", "evening-oil"),
        ("oil", "evening-oil"),
        ("neck", "neck-and-collar"),
        ("neck and shoulders", "neck-and-collar"),
        ("neck-and-collar", "neck-and-collar"),
        ("clasic", "classic"),
        ("evenning", "evening-oil"),
        ("shoulders", "neck-and-collar"),
        ("flight", "depuff-flight"),
        ("party", "depuff-party"),
        ("gua sha", "gua-sha"),
        ("guasha", "gua-sha"),
        ("cups", "cups"),
    ],
)
def test_a_routine_is_found_by_what_the_menu_shows(wanted: str, expected: str) -> None:
    found = CATALOG.named("en", wanted, BOTH_TOOLS)
    assert found is not None and found.id == expected


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [
        ("быстрый", "quick"),
        ("быстрая", "quick"),
        ("быстро", "quick"),
        ("классика", "classic"),
        ("классический", "classic"),
        ("вечерний", "evening-oil"),
        ("шея", "neck-and-collar"),
        ("гуаша", "gua-sha"),
        ("банки", "cups"),
        ("quick", "quick"),
    ],
)
def test_a_russian_name_is_found_in_any_of_its_forms(wanted: str, expected: str) -> None:
    found = CATALOG.named("ru", wanted, BOTH_TOOLS)
    assert found is not None and found.id == expected


def test_a_tool_routine_is_found_by_name_without_the_tool_so_it_can_say_what_it_needs() -> None:
    found = CATALOG.named("en", "gua sha", HANDS_ONLY)
    assert found is not None and found.tool == "gua_sha"


@pytest.mark.parametrize(
    "wanted", ["pilates", "", "routine", "the", "full", "short", "late night", "x", "a b"]
)
def test_words_naming_none_or_several_routines_name_none(wanted: str) -> None:
    assert CATALOG.named("en", wanted, BOTH_TOOLS) is None


@given(st.text(max_size=40))
def test_any_text_names_at_most_one_known_routine_and_never_fails(wanted: str) -> None:
    found = CATALOG.named("en", wanted, HANDS_ONLY)
    assert found is None or found in CATALOG.routines("en")
