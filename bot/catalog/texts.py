"""Interface texts (`texts.ftl`, Project Fluent): validation against the reference locale, and
rendering.

Fluent, not format strings: a count picks its words by the locale's CLDR plural rules ("1 day",
"2 days"; «1 день», «2 дня», «5 дней»), a value can pick a variant (`$cause -> [flight] ...`),
and numbers are written the locale's way. The default locale's file is the reference: it
defines which messages exist and which `$variables` each takes. A translation must have every
message, with the same variables, and every plural form its language needs; each message,
rendered with every variant, must be HTML that Telegram accepts.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from fluent.runtime import FluentBundle, FluentResource
from fluent.runtime.errors import FluentReferenceError
from fluent.syntax import FluentParser, ast
from fluent.syntax.visitor import Visitor

from bot.domain.localised import cldr_locale, plural_forms

from .errors import Problem
from .source import read_text
from .telegram_html import html_problems

TEXTS_FILE = "texts.ftl"
# CLDR's plural categories: a select whose variants are named so is a count's plural.
PLURAL_CATEGORIES = frozenset({"zero", "one", "two", "few", "many", "other"})
# Counts that reach every plural form of the languages we know (0, 1, 2-4, 5-20, 21, 22, 25,
# 101, 111 between them cover English and Russian, and most others), and a fractional one.
SAMPLE_COUNTS = (0, 1, 2, 5, 11, 21, 22, 25, 101, 111, 1.5)


@dataclass(frozen=True)
class LocaleTexts:
    """One locale's messages, ready to render."""

    locale: str
    bundle: FluentBundle
    # Each message's variables, and its text as written (for checks that read the words).
    variables: Mapping[str, frozenset[str]]
    sources: Mapping[str, str]

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(self.variables)

    def format(self, key: str, params: Mapping[str, object]) -> str:
        """Render `key`. Text values are escaped, so user input can never inject markup;
        numbers stay numbers, for the plural rules and the locale's way of writing them.
        Raises KeyError for an unknown key or a variable left without a value."""
        if key not in self.variables:
            raise KeyError(key)
        message = self.bundle.get_message(key)
        assert message.value is not None  # read_texts keeps only messages with a value
        text, errors = self.bundle.format_pattern(message.value, _arguments(params))
        for error in errors:
            if isinstance(error, FluentReferenceError) and "Unknown external" in str(error):
                name = str(error).rsplit(":", 1)[-1].strip()
                raise KeyError(f"text {key!r} needs the parameter {name!r}")
            raise ValueError(f"text {key!r}: {error}")
        return str(text)


def _arguments(params: Mapping[str, object]) -> dict[str, str | int | float]:
    out: dict[str, str | int | float] = {}
    for name, value in params.items():
        if isinstance(value, int | float) and not isinstance(value, bool):
            out[name] = value
        else:
            out[name] = html.escape(str(value), quote=False)
    return out


# A select's variable (None when it selects on something else) and its variants' keys.
Select = tuple[str | None, list[str | float]]


class _Variables(Visitor):
    """Every `$variable` a message uses, and the variants each select offers by variable."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self.selects: list[Select] = []

    def visit_VariableReference(self, node: ast.VariableReference) -> None:
        self.names.add(node.id.name)

    def visit_SelectExpression(self, node: ast.SelectExpression) -> None:
        selector = node.selector
        name = selector.id.name if isinstance(selector, ast.VariableReference) else None
        keys: list[str | float] = [
            v.key.name if isinstance(v.key, ast.Identifier) else float(v.key.value)
            for v in node.variants
        ]
        self.selects.append((name, keys))
        self.generic_visit(node)


def read_texts(
    path: Path, shown: str, locale: str, reference: LocaleTexts | None
) -> tuple[LocaleTexts | None, list[Problem]]:
    """Validate one texts file (None when it cannot be read). `reference` is None for the
    default locale itself."""
    source, unread = read_text(path, shown)
    if source is None:
        return None, unread
    return parse_texts(source, shown, locale, reference)


def parse_texts(
    source: str, shown: str, locale: str, reference: LocaleTexts | None
) -> tuple[LocaleTexts, list[Problem]]:
    """Validate Fluent `source` as `locale`'s texts (see read_texts); `shown` names it."""
    reading = _Reading(source, shown, locale, reference)
    for entry in FluentParser(with_spans=True).parse(source).body:
        if isinstance(entry, ast.Junk):
            reading.junk(entry)
        elif isinstance(entry, ast.Message):
            reading.message(entry)
        # Comments are for people; terms (-brand) are used through the messages.
    reading.check_complete()
    bundle = FluentBundle([str(cldr_locale(locale)).replace("_", "-")], use_isolating=False)
    bundle.add_resource(FluentResource(source))
    texts = LocaleTexts(locale, bundle, reading.variables, reading.sources)
    reading.check_rendering(texts)
    return texts, reading.problems


@dataclass
class _Reading:
    """One texts file being read: what is usable so far, and what is wrong."""

    source: str
    shown: str
    locale: str
    reference: LocaleTexts | None
    problems: list[Problem] = field(default_factory=list)
    variables: dict[str, frozenset[str]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    selects: dict[str, list[Select]] = field(default_factory=dict)
    spans: dict[str, ast.Span | None] = field(default_factory=dict)

    def problem(self, span: ast.Span | None, reason: str, key: str = "") -> None:
        line = self.source.count("\n", 0, span.start) + 1 if span is not None else None
        self.problems.append(Problem(self.shown, reason, line, key))

    def junk(self, entry: ast.Junk) -> None:
        reasons = "; ".join(str(a.message) for a in entry.annotations) or "not Fluent syntax"
        self.problem(entry.span, f"not a Fluent message: {reasons}")

    def message(self, entry: ast.Message) -> None:
        key = entry.id.name
        # From the name on: a message's span takes in the comment written above it.
        span = (
            ast.Span(entry.id.span.start, entry.span.end) if entry.id.span and entry.span else None
        )
        reason = _entry_problem(entry, key, self.variables, self.reference)
        found = _Variables()
        if reason is None:
            found.visit(entry)
            reason = _against_reference(key, frozenset(found.names), self.reference)
            reason = reason or _plural_problem(found.selects, self.locale)
        if reason is not None:
            self.problem(span, reason, key)
            return
        self.variables[key] = frozenset(found.names)
        self.selects[key] = found.selects
        self.spans[key] = span
        self.sources[key] = self.source[span.start : span.end] if span else key

    def check_complete(self) -> None:
        """A translation has every message of the default locale (broken ones are reported
        already, as what they are)."""
        if self.reference is None:
            return
        missing = sorted(self.reference.keys - set(self.variables) - _broken_keys(self.problems))
        if missing:
            self.problems.append(
                Problem(self.shown, f"missing, to translate: {', '.join(missing)}")
            )

    def check_rendering(self, texts: LocaleTexts) -> None:
        for key in texts.keys:
            for reason in _rendering_problems(texts, key, self.selects[key]):
                self.problem(self.spans[key], reason, key)


def _broken_keys(problems: list[Problem]) -> set[str]:
    return {p.path for p in problems if p.path}


def _entry_problem(
    entry: ast.Message,
    key: str,
    variables: Mapping[str, frozenset[str]],
    reference: LocaleTexts | None,
) -> str | None:
    if key in variables:
        return "written twice: each message once"
    if entry.value is None:
        return "has no text: write it after the ="
    if entry.attributes:
        return "attributes (.name = ...) are not used: one text per message"
    if reference is not None and key not in reference.variables:
        return "unknown message: the default locale has no such text (translate existing ones)"
    return None


def _against_reference(
    key: str, found: frozenset[str], reference: LocaleTexts | None
) -> str | None:
    if reference is None or found == reference.variables[key]:
        return None
    return (
        f"variables {_show(found)} differ from the default locale's "
        f"{_show(reference.variables[key])}"
    )


def _plural_problem(selects: list[Select], locale: str) -> str | None:
    """A count's plural select must name every form the language has."""
    needed = plural_forms(locale)
    for name, keys in selects:
        named = {k for k in keys if isinstance(k, str)}
        if not named & (PLURAL_CATEGORIES - {"other"}):
            continue  # a select on a value (flight, party...), not a count's plural
        missing = needed - named
        if missing:
            language = cldr_locale(locale).english_name
            return (
                f"${name} needs the plural forms {', '.join(sorted(missing))} too "
                f"({language} has {', '.join(sorted(needed))})"
            )
    return None


def _rendering_problems(texts: LocaleTexts, key: str, selects: list[Select]) -> Iterator[str]:
    """Render every variant (each select's keys, counts of every plural form) and check each
    result is Telegram HTML; yields each problem once."""
    names = texts.variables[key]
    base: dict[str, object] = dict.fromkeys(names, "x")
    trials: list[dict[str, object]] = [base]
    for name, keys in selects:
        if name is None:
            continue
        values: list[object] = [k for k in keys if k != "other"]
        values += list(SAMPLE_COUNTS)
        trials += [{**base, name: value} for value in values]
    seen: set[str] = set()
    for args in trials:
        try:
            rendered = texts.format(key, args)
        except (KeyError, ValueError) as exc:
            reason = f"cannot be rendered: {exc}"
        else:
            reason = "; ".join(f"invalid Telegram HTML: {r}" for r in html_problems(rendered))
        if reason and reason not in seen:
            seen.add(reason)
            yield reason


def _show(names: frozenset[str]) -> str:
    return " ".join(f"${name}" for name in sorted(names)) if names else "(none)"
