"""Recognising the bot's answers: which text of content/en/texts.yaml a message is, and its
parameters, so that a simulated user learns what the bot says it did.

Each template becomes a regular expression over the message's HTML as sent (the bot sends
HTML): the text around the placeholders must match exactly, a placeholder matches anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from bot.config import DEFAULT_CONTENT_DIR

_PLACEHOLDER = re.compile(r"\\\{(\w+)\\\}")

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


def _pattern(template: str, prefix: bool) -> re.Pattern[str]:
    seen: set[str] = set()

    def group(match: re.Match[str]) -> str:
        name = match[1]
        if name in seen:
            return f"(?P={name})"
        seen.add(name)
        return f"(?P<{name}>.*?)"

    body = _PLACEHOLDER.sub(group, re.escape(template.strip()))
    return re.compile(body + ("" if prefix else r"\Z"), re.DOTALL)


@cache
def _patterns(content_dir: Path = DEFAULT_CONTENT_DIR) -> list[tuple[str, re.Pattern[str]]]:
    texts = yaml.safe_load((content_dir / "en" / "texts.yaml").read_text())
    missing = [key for key in KEYS if key not in texts]
    if missing:
        raise KeyError(f"texts.yaml has no {', '.join(missing)}: update tests/soak/replies.py")
    return [(key, _pattern(str(texts[key]), key in PREFIX_KEYS)) for key in KEYS]


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
