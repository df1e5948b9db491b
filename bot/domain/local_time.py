"""Local dates and times of a user, from UTC instants and IANA zones (DST-aware via zoneinfo)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# A routine done at 1 a.m. belongs to the evening before: the ritual day starts at 04:00 local.
DAY_STARTS_AT = time(4, 0)


def require_aware(now: datetime) -> datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("naive datetime: pass an aware UTC instant")
    return now.astimezone(UTC)


def ritual_date(now: datetime, timezone: str, day_starts_at: time = DAY_STARTS_AT) -> date:
    """The user's ritual day at instant `now`: their local date, with the day starting late."""
    local = require_aware(now).astimezone(ZoneInfo(timezone))
    shift = timedelta(hours=day_starts_at.hour, minutes=day_starts_at.minute)
    return (local - shift).date()
