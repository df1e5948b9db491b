"""When a daily reminder next fires: a local wall-clock time, in a zone, after an instant.

DST, as a person expects it: a reminder time that does not exist on a given day (the clock
jumps over it) fires at the first minute that does exist after it; a time that happens twice
(the clock falls back) fires once, at its first occurrence. `after` and the result are UTC;
zones are canonical names (see bot.domain.zones).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

from bot.domain.local_time import require_aware
from bot.domain.zones import zone_for

# Samoa skipped a whole day in 2011; no real gap is longer, so a minute-by-minute search
# within a day and a half always ends.
_LONGEST_GAP = timedelta(hours=36)


def _exists(local: datetime, zone: tzinfo) -> bool:
    aware = local.replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == local


def occurrence(day: date, at: time, zone: str) -> datetime:
    """The UTC instant of wall time `at` on `day` in `zone`: the first occurrence when it
    happens twice, the first existing minute after it when the clock skips it."""
    return _occurrence(day, at, zone_for(zone))


def _occurrence(day: date, at: time, zone: tzinfo) -> datetime:
    local = datetime.combine(day, at)
    limit = local + _LONGEST_GAP
    while not _exists(local, zone):
        local += timedelta(minutes=1)
        if local > limit:
            raise ValueError(f"no valid time after {at} on {day} in {zone}")
    return local.replace(tzinfo=zone, fold=0).astimezone(UTC)


def next_occurrence(after: datetime, at: time, zone: str) -> datetime:
    """The first reminder instant strictly after `after` (UTC in, UTC out)."""
    after = require_aware(after)
    tz = zone_for(zone)
    today = after.astimezone(tz).date()
    for days in range(-1, 3):
        candidate = _occurrence(today + timedelta(days=days), at, tz)
        if candidate > after:
            return candidate
    raise AssertionError("a daily time always recurs within two days")
