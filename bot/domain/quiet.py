"""Quiet hours: a daily window (it may wrap past midnight) when the bot sends nothing of its own
accord; snoozes and check-ins that fall inside wait for its end."""

from __future__ import annotations

import re
from datetime import datetime, time

from bot.domain.schedule import next_occurrence, parse_time
from bot.domain.zones import local_datetime

_RANGE = re.compile(r"^\s*(?P<start>[^-–]+?)\s*[-–]\s*(?P<end>[^-–]+?)\s*$")


def parse_quiet_hours(text: str) -> tuple[time, time] | None:
    """'22:00-07:00', '22-7', '23:30 – 6:45' -> (start, end); None if not a window."""
    match = _RANGE.match(text)
    if match is None:
        return None
    start, end = parse_time(match["start"]), parse_time(match["end"])
    if start is None or end is None or start == end:
        return None
    return start, end


def stored_window(window: str | None) -> tuple[time, time] | None:
    """A user's quiet hours as stored ("22:00-07:00"; None or "" when they have none)."""
    return parse_quiet_hours(window) if window else None


def is_quiet(moment: time, start: time, end: time) -> bool:
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def in_quiet_hours(window: str | None, moment: time) -> bool:
    """Whether the local time of day `moment` falls in the quiet hours `window` (as stored)."""
    parsed = stored_window(window)
    return parsed is not None and is_quiet(moment, *parsed)


def format_window(start: time, end: time) -> str:
    return f"{start:%H:%M}-{end:%H:%M}"


def end_of_quiet(window: str | None, due_at: datetime, zone: str) -> datetime | None:
    """When the quiet hours `window` (as stored, "22:00-07:00"; None: none) that cover `due_at`
    end, in UTC; None if `due_at` is not in them. `zone` is a canonical zone name."""
    parsed = stored_window(window)
    if parsed is None or not in_quiet_hours(window, local_datetime(due_at, zone).time()):
        return None
    return next_occurrence(due_at, parsed[1], zone)
