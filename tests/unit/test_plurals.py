"""Every count reads right: each message that takes a number is rendered with counts that reach
every plural form (0, 1, 2, 5, 11, 21, 22, 25, 101): in English none says "1 days", "2 step" or
"freeze(s)", and in every language the counts CLDR puts in one plural form read alike."""

from __future__ import annotations

import re

import pytest
from fluent.syntax import FluentParser, ast
from fluent.syntax.visitor import Visitor

from bot.catalog.texts import SAMPLE_COUNTS, TEXTS_FILE, parse_texts
from bot.config import DEFAULT_CONTENT_DIR
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


def _counted(locale: str) -> dict[str, set[str]]:
    """Each message's variables that a plural select picks words by, read from the file."""
    source = (DEFAULT_CONTENT_DIR / locale / TEXTS_FILE).read_text(encoding="utf-8")
    counted: dict[str, set[str]] = {}
    for entry in FluentParser().parse(source).body:
        if not isinstance(entry, ast.Message):
            continue
        found = _PluralSelects()
        found.visit(entry)
        if found.names:
            counted[entry.id.name] = found.names
    return counted


class _PluralSelects(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def visit_SelectExpression(self, node: ast.SelectExpression) -> None:
        keys = {v.key.name for v in node.variants if isinstance(v.key, ast.Identifier)}
        if isinstance(node.selector, ast.VariableReference) and keys & {"one", "few", "many"}:
            self.names.add(node.selector.id.name)
        self.generic_visit(node)


# Counts that must read alike, by the CLDR rules of each language: the words around the
# number are the same within a group (between groups they may coincide: Russian says «из 2
# дней» and «из 5 дней» alike). A variant for one number ([21] ...) must not break its group.
ALIKE = {
    "en": [(1,), (0, 2, 5, 11, 21, 22, 25, 101)],
    "ru": [(1, 21, 101), (2, 22), (0, 5, 11, 25)],
}


def disagreements(render, locale: str) -> list[set[str]]:
    """The groups of ALIKE when some count in a group reads differently from the others
    (`render(n)`, the number masked); empty when each group reads alike."""

    def words(n: int) -> str:
        return re.sub(rf"(?<![\d.,]){n}(?![\d.,])", "#", render(n))

    groups = [{words(n) for n in group} for group in ALIKE[locale]]
    return [] if all(len(g) == 1 for g in groups) else groups


@pytest.mark.parametrize("locale", sorted(set(ALIKE) & set(catalog.locales)))
def test_every_counted_message_agrees_with_its_number(locale):
    counted = _counted(locale)
    assert counted, "no message counts anything"
    for key, names in counted.items():
        values: dict[str, object] = dict.fromkeys(catalog.text_placeholders(key), "x")
        for name in names:
            found = disagreements(
                lambda n, k=key, v=name, rest=values: catalog.text(locale, k, **{**rest, v: n}),
                locale,
            )
            assert found == [], (key, name, found)


def test_the_agreement_check_sees_a_wrong_form():
    # 21 singled out as if it took "many": «21 дней», which Russian never says.
    wrong = (
        "days = { $n ->\n    [21] { $n } дней\n    [one] { $n } день\n    [few] { $n } дня\n"
        "    [many] { $n } дней\n   *[other] { $n } дня\n}\n"
    )
    texts, problems = parse_texts(wrong, "ru.ftl", "ru", None)
    assert problems == []
    assert disagreements(lambda n: texts.format("days", {"n": n}), "ru") != []
    right = wrong.replace("    [21] { $n } дней\n", "")
    texts, _ = parse_texts(right, "ru.ftl", "ru", None)
    assert disagreements(lambda n: texts.format("days", {"n": n}), "ru") == []
