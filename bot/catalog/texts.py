"""Interface texts (`texts.yaml`): validation against the reference locale, and rendering.

The default locale's file is the reference: it defines which keys exist and which {placeholders}
each one takes. Translations may cover any subset, and must agree with it on placeholders, since
the code fills the same names whatever the language.
"""

from __future__ import annotations

import html
import re
import string
from collections.abc import Mapping
from typing import Any

from .errors import Problem
from .source import YamlDoc
from .telegram_html import html_problems

# Loose on purpose: the keys belong to the bot's code, we only keep them usable as identifiers.
_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")
_FORMATTER = string.Formatter()


def placeholders(template: str) -> frozenset[str]:
    """The {names} in `template`. Raises ValueError on a format error or a non-plain placeholder.

    Only plain names are allowed: values arrive as escaped strings, so positional fields, format
    specs and conversions could only fail or leak a repr at run time.
    """
    names: set[str] = set()
    try:
        parsed = list(_FORMATTER.parse(template))
    except ValueError as exc:
        raise ValueError(f"{exc}; write {{{{ and }}}} for literal braces") from None
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier():
            raise ValueError(
                f"placeholder {{{name}}} must be a plain name like {{name}}; "
                "write {{ and }} for literal braces"
            )
        if spec or conversion:
            raise ValueError(f"placeholder {{{name}}} must be plain, without '!' or ':'")
        names.add(name)
    return frozenset(names)


def read_texts(
    doc: YamlDoc, reference: Mapping[str, frozenset[str]] | None
) -> tuple[dict[str, str], dict[str, frozenset[str]], list[Problem]]:
    """Validate one texts file. `reference` is None for the default locale itself.

    Returns the usable texts, their placeholders, and the problems found.
    """
    if not isinstance(doc.data, dict):
        return {}, {}, [doc.problem((), "must be a mapping of text key -> text")]
    texts: dict[str, str] = {}
    names: dict[str, frozenset[str]] = {}
    problems: list[Problem] = []
    for key, value in doc.data.items():
        loc = (str(key),)
        reason = _check_entry(key, value)
        if reason is None:
            try:
                found = placeholders(value)
            except ValueError as exc:
                reason = f"placeholder format error: {exc}"
        if reason is None and reference is not None:
            reason = _against_reference(key, found, reference)
        if reason is not None:
            problems.append(doc.problem(loc, reason))
            continue
        # Recorded even if the HTML is wrong: translations are still compared against it.
        names[key] = found
        bad_html = html_problems(value)
        if bad_html:
            problems.extend(doc.problem(loc, f"invalid Telegram HTML: {r}") for r in bad_html)
            continue
        texts[key] = value
    return texts, names, problems


def _check_entry(key: Any, value: Any) -> str | None:
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        return "a text key must start with a letter and use only letters, digits, _ . or -"
    if not isinstance(value, str):
        return f"must be a text (a string), not {type(value).__name__}"
    if not value.strip():
        return "must not be empty"
    return None


def _against_reference(
    key: str, found: frozenset[str], reference: Mapping[str, frozenset[str]]
) -> str | None:
    if key not in reference:
        return "unknown key: the default locale has no such text (translate existing keys only)"
    if found != reference[key]:
        return (
            f"placeholders {_show(found)} differ from the default locale's {_show(reference[key])}"
        )
    return None


def _show(names: frozenset[str]) -> str:
    return " ".join(f"{{{name}}}" for name in sorted(names)) if names else "(none)"


def render(template: str, params: Mapping[str, object]) -> str:
    """Fill `template`. Values are str()-ed and escaped, so user input can never inject markup."""
    escaped = {name: html.escape(str(value), quote=False) for name, value in params.items()}
    return template.format_map(escaped)
