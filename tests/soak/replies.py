"""Recognising the bot's answers: which message of content/en/texts.ftl a message is, and its
parameters, so that a simulated user learns what the bot says it did.

Each message becomes regular expressions over the message's HTML as sent (the bot sends
HTML), one for each of its variants (a count's plural forms, a value's choices): the text
around the variables must match exactly, a variable matches anything.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fluent.syntax import FluentParser, ast

from bot.catalog.texts import TEXTS_FILE
from bot.config import DEFAULT_CONTENT_DIR

# The answers the model needs to recognise. A key listed in PREFIX_KEYS may be followed by
# more text (the reminder gets a streak line appended).
KEYS = (
    "remind_set",
    "remind_added",
    "remind_off",
    "remind_none",
    "remind_current",
    "remind_invalid",
    "remind_in_quiet_hours",
    "remind_ask",
    "remind_ask_full",
    "remind_ask_only",
    "remind_replaced",
    "remind_kept",
    "reminders_limit",
    "timezone_set",
    "timezone_current",
    "timezone_invalid",
    "timezone_no_sign",
    "daystart_set",
    "profile_q_stop",
    "quiet_set",
    "quiet_off",
    "quiet_current",
    "quiet_none",
    "quiet_invalid",
    "quiet_conflict",
    "skipped_today",
    "snoozed",
    "settings_saved",
    "reminder",
    "nudge",
    "flight_checkin",
    "error_generic",
    "routine_recorded",
    "routine_already_recorded",
    "routine_rating_before",
    "routine_rating_after",
    "unknown_command",
    "unknown_command_typo",
    "unknown_message_command",
    "unknown_message",
    "press_invalid",
    "press_stale",
    "press_closed",
)
PREFIX_KEYS = frozenset({"reminder", "routine_recorded", "routine_already_recorded"})


@dataclass(frozen=True)
class Reply:
    key: str
    params: dict[str, str]


def _variants(elements: list[ast.PatternElement]) -> Iterator[list[str | ast.VariableReference]]:
    """The pattern spelled out once for every combination of its selects' variants: pieces of
    text and the variables between them."""
    choices: list[list[list[str | ast.VariableReference]]] = []
    for element in elements:
        if isinstance(element, ast.TextElement):
            choices.append([[element.value]])
        elif isinstance(element.expression, ast.VariableReference):
            choices.append([[element.expression]])
        elif isinstance(element.expression, ast.SelectExpression):
            variants = element.expression.variants
            choices.append([piece for v in variants for piece in _variants(v.value.elements)])
        elif isinstance(element.expression, ast.StringLiteral):
            choices.append([[element.expression.parse()["value"]]])
        else:
            kind = type(element.expression).__name__
            raise ValueError(f"tests/soak/replies.py cannot read a {kind}")
    for combination in itertools.product(*choices):
        yield [piece for part in combination for piece in part]


def _pattern(pieces: list[str | ast.VariableReference], prefix: bool) -> re.Pattern[str]:
    seen: set[str] = set()
    body = ""
    for piece in pieces:
        if isinstance(piece, str):
            body += re.escape(piece)
        elif piece.id.name in seen:
            body += f"(?P={piece.id.name})"
        else:
            seen.add(piece.id.name)
            body += f"(?P<{piece.id.name}>.*?)"
    return re.compile(body.strip() + ("" if prefix else r"\Z"), re.DOTALL)


@cache
def _patterns(content_dir: Path = DEFAULT_CONTENT_DIR) -> list[tuple[str, re.Pattern[str]]]:
    source = (content_dir / "en" / TEXTS_FILE).read_text(encoding="utf-8")
    messages = {
        entry.id.name: entry
        for entry in FluentParser().parse(source).body
        if isinstance(entry, ast.Message) and entry.value is not None
    }
    missing = [key for key in KEYS if key not in messages]
    if missing:
        raise KeyError(f"{TEXTS_FILE} has no {', '.join(missing)}: update tests/soak/replies.py")
    return [
        (key, _pattern(pieces, key in PREFIX_KEYS))
        for key in KEYS
        for pieces in _variants(messages[key].value.elements)  # type: ignore[union-attr]
    ]


def classify(html: str | None) -> Reply | None:
    """The text key and parameters of a message's HTML, or None if it is none of KEYS."""
    if not html:
        return None
    for key, pattern in _patterns():
        found = pattern.match(html.strip())
        if found is not None:
            return Reply(key, found.groupdict())
    return None


def find(html: str | None, *keys: str) -> bool:
    """Whether this HTML contains (anywhere) one of the texts named `keys`; for answers made
    of several texts joined, like a routine's completion message."""
    if not html:
        return False
    wanted = set(keys)
    return any(key in wanted and pattern.search(html) for key, pattern in _patterns())
