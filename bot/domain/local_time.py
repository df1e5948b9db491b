"""Local dates and times of a user, from UTC instants and zone names (DST-aware via zoneinfo).

Zones are canonical names (see bot.domain.zones), turned into a tzinfo by `zone_for` only.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from bot.domain.zones import zone_for

# A routine done at 1 a.m. belongs to the evening before: the ritual day starts at 04:00 local.
DAY_STARTS_AT = time(4, 0)


def require_aware(now: datetime) -> datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("naive datetime: pass an aware UTC instant")
    return now.astimezone(UTC)


def ritual_date(now: datetime, zone: str, day_starts_at: time = DAY_STARTS_AT) -> date:
    """The user's ritual day at instant `now`: their local date, with the day starting late."""
    local = require_aware(now).astimezone(zone_for(zone))
    shift = timedelta(hours=day_starts_at.hour, minutes=day_starts_at.minute)
    return (local - shift).date()


def rest_dates(now: datetime, zone: str, day_starts_at: time = DAY_STARTS_AT) -> tuple[date, ...]:
    """The ritual dates a red flag or a stop-sign at `now` makes rest days: its ritual day,
    and in the small hours (after local midnight, before the day starts) the day just
    beginning too. "No massage today" said at 2 a.m. means the day the user wakes into, not
    the two hours left of the evening before."""
    day = ritual_date(now, zone, day_starts_at)
    calendar = require_aware(now).astimezone(zone_for(zone)).date()
    return (day,) if calendar == day else (day, calendar)


def ritual_day_start(day: date, zone: str, day_starts_at: time = DAY_STARTS_AT) -> datetime:
    """The UTC instant the ritual date `day` begins in `zone` (its day-start hour, local)."""
    return datetime.combine(day, day_starts_at, zone_for(zone)).astimezone(UTC)
