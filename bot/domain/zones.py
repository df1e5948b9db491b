"""Time zones as users give them: IANA names (any case) or UTC offsets (+03:00, UTC-5, UTC).

A zone is stored as its canonical name: the IANA spelling, or "UTC+05:30" for an offset, which
`zone_for` turns back into a tzinfo. Offsets are kept as offsets (not mapped to Etc/GMT-3,
whose sign is the reverse of what people expect), and they never change with DST.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from tzfpy import get_tz

_OFFSET = re.compile(
    r"^(?:utc|gmt)?\s*(?P<sign>[+-−])\s*(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?$"
)
_UTC_WORDS = {"utc", "gmt", "z", "zulu", "utc+0", "utc-0", "gmt+0", "gmt-0", "+0", "-0"}
# Real-world offsets run from UTC-12:00 to UTC+14:00.
_MIN_OFFSET, _MAX_OFFSET = timedelta(hours=-12), timedelta(hours=14)


@cache
def _iana_by_lower_name() -> dict[str, str]:
    names = available_timezones() - {"Factory", "localtime"}
    return {name.lower(): name for name in names}


def offset_name(offset: timedelta) -> str:
    sign = "+" if offset >= timedelta(0) else "-"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def parse_timezone(text: str) -> str | None:
    """The canonical zone name for what a user typed, or None if it is not one."""
    cleaned = text.strip().replace(" ", "_") if "/" in text else text.strip()
    lowered = cleaned.lower()
    if lowered in _UTC_WORDS:
        return "UTC"
    iana = _iana_by_lower_name().get(lowered)
    if iana is not None:
        return iana
    match = _OFFSET.match(lowered.replace(" ", ""))
    if match is None:
        return None
    hours, minutes = int(match["hours"]), int(match["minutes"] or 0)
    if minutes >= 60:
        return None
    offset = timedelta(hours=hours, minutes=minutes)
    if match["sign"] != "+":
        offset = -offset
    if not _MIN_OFFSET <= offset <= _MAX_OFFSET:
        return None
    return "UTC" if offset == timedelta(0) else offset_name(offset)


def zone_for(name: str) -> tzinfo:
    """The tzinfo of a canonical zone name (see parse_timezone). Raises ValueError if unknown."""
    if name.startswith("UTC") and len(name) == 9:
        parsed = parse_timezone(name)
        if parsed != name:
            raise ValueError(f"not a zone: {name!r}")
        sign = 1 if name[3] == "+" else -1
        offset = timedelta(hours=int(name[4:6]), minutes=int(name[7:9]))
        return timezone(sign * offset, name)
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError) as exc:
        raise ValueError(f"not a zone: {name!r}") from exc


def zone_at(latitude: float, longitude: float) -> str | None:
    """The IANA zone of a place (offline lookup; open sea gives an Etc/GMT zone)."""
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    name = get_tz(longitude, latitude)
    return parse_timezone(name) if name else None


def wall_clock(instant: datetime, name: str) -> str:
    """ "HH:MM" as a clock in the zone `name` shows it at `instant`."""
    return instant.astimezone(zone_for(name)).strftime("%H:%M")
