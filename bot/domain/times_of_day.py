"""Times of day as text, at the edges: what people type, and the one "HH:MM" form that is
stored and shown. Everything in between works with datetime.time."""

from __future__ import annotations

import re
from datetime import time

_TYPED = re.compile(r"^(?P<h>\d{1,2})(?:[:.h]?(?P<m>\d{2}))?$")


def parse_time(text: str) -> time | None:
    """A 24-hour time as people type it: 7:30, 07:30, 0730, 730, 7.30, 7h30, 7. Else None."""
    match = _TYPED.match(text.strip().lower())
    if match is None:
        return None
    hour, minute = int(match["h"]), int(match["m"] or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def stored_time(text: str) -> time:
    """A time of day as the database keeps it (see format_time). Raises ValueError for
    anything else: a stored value is ours, so a bad one is a bug, not a typo."""
    return time.fromisoformat(text)


def format_time(at: time) -> str:
    """The one written form of a time of day, "07:30": as stored, and as shown to people."""
    return at.strftime("%H:%M")
