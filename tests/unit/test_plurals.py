"""Every count reads right: each message that takes a number is rendered with counts that reach
every plural form (0, 1, 2, 5, 11, 21, 22, 25, 101), and none says "1 days", "2 step" or
"freeze(s)"."""

from __future__ import annotations

import re

import pytest

from bot.catalog.texts import SAMPLE_COUNTS
from tests.support.content import real_catalog

catalog = real_catalog()
COUNTS = [n for n in SAMPLE_COUNTS if isinstance(n, int)]
NOUNS = r"(day|step|week|time|routine|freeze|reminder|minute|hour|check-in|pair)"
# One of something said as many, or many said as one.
TAGS = r"(?:</?\w+>)*"  # "<b>1</b> days": the markup between a number and its noun
ONE_AS_MANY = re.compile(rf"(?<![\d.,])1{TAGS}\s+{TAGS}{NOUNS}s\b")
MANY_AS_ONE = re.compile(rf"(?<![\d.,])(?:[02-9]|\d\d+){TAGS}\s+{TAGS}{NOUNS}\b(?!s)")
HEDGED = re.compile(r"\w\(s\)")


def _rendered(locale: str):
    for key in sorted(catalog.text_keys()):
        names = catalog.text_placeholders(key)
        for name in sorted(names):
            for count in COUNTS:
                values: dict[str, object] = dict.fromkeys(names, "x")
                values[name] = count
                yield key, name, count, catalog.text(locale, key, **values)


@pytest.mark.parametrize("locale", catalog.locales)
def test_no_count_reads_wrong(locale):
    wrong = [
        (key, name, count, found.group(0))
        for key, name, count, text in _rendered(locale)
        for pattern in (ONE_AS_MANY, MANY_AS_ONE, HEDGED)
        if (found := pattern.search(text))
    ]
    assert wrong == []


def test_the_check_sees_a_wrong_count():
    assert ONE_AS_MANY.search("Today would make it <b>1</b> days in a row")
    assert ONE_AS_MANY.search("Routines in the last 1 weeks")
    assert MANY_AS_ONE.search("5 step")
    assert HEDGED.search("freeze(s)")
    assert not ONE_AS_MANY.search("11 days") and not MANY_AS_ONE.search("1 day")
