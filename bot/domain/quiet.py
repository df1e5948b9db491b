"""Quiet hours: a daily window (it may wrap past midnight) when the bot sends nothing of its own
accord; snoozes and check-ins that fall inside wait for its end."""

from __future__ import annotations

import re
from datetime import datetime, time

from bot.domain.schedule import next_occurrence
from bot.domain.times_of_day import format_time, parse_time
from bot.domain.zones import local_datetime

# Quiet hours from `start` to `end`, local times of day; `end` may be earlier (past midnight).
Window = tuple[time, time]

_RANGE = re.compile(r"^\s*(?P<start>[^-–]+?)\s*[-–]\s*(?P<end>[^-–]+?)\s*$")


def parse_quiet_hours(text: str) -> Window | None:
    """'22:00-07:00', '22-7', '23:30 – 6:45' -> (start, end); None if not a window."""
    match = _RANGE.match(text)
    if match is None:
        return None
    start, end = parse_time(match["start"]), parse_time(match["end"])
    if start is None or end is None or start == end:
        return None
    return start, end


def stored_window(window: str | None) -> Window | None:
    """A user's quiet hours as stored (see format_window; None or "" when they have none)."""
    return parse_quiet_hours(window) if window else None


def format_window(start: time, end: time) -> str:
    """The one written form of quiet hours, "22:00-07:00": as stored, and as shown."""
    return f"{format_time(start)}-{format_time(end)}"


def in_quiet_hours(window: Window | None, moment: time) -> bool:
    """Whether the local time of day `moment` falls in the quiet hours `window` (None: none)."""
    if window is None:
        return False
    start, end = window
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def end_of_quiet(window: Window | None, due_at: datetime, zone: str) -> datetime | None:
    """When the quiet hours `window` (None: none) that cover `due_at` end, in UTC; None if
    `due_at` is not in them. `zone` is a canonical zone name."""
    if window is None or not in_quiet_hours(window, local_datetime(due_at, zone).time()):
        return None
    return next_occurrence(due_at, window[1], zone)
