"""Time zones as users give them: IANA names (any case) or UTC offsets (+03:00, UTC-5, UTC).

One representation everywhere: a zone is its canonical name, the IANA spelling ("Asia/Tokyo")
or "UTC+05:30" for an offset (and "UTC" for no offset). That name is what is stored (users,
completions, streaks), compared, shown and carried in callback data, so every function of
`bot.domain` takes the name, never a tzinfo: a tzinfo cannot be stored or shown without a second
conversion back, and two representations let one caller pass what another does not expect.
`zone_for` is the only way from a name to a tzinfo; only `bot.domain` calls it (a test checks).

Offsets are kept as offsets (not mapped to Etc/GMT-3, whose sign is the reverse of what people
expect), and they never change with DST.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import cache, lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from tzfpy import get_tz

from bot.domain.times_of_day import format_time

log = logging.getLogger(__name__)

# A sign is a sign: ASCII plus, hyphen-minus, or the real minus sign U+2212. (Written as a
# character class `[+-−]` it was a range, which took digits and letters for signs: "12" read
# as UTC-02:00.) Hours then optional minutes, with or without a colon: +3, +03:00, +0530.
_OFFSET = re.compile(
    r"^(?:utc|gmt)?(?P<sign>[-+\u2212])(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?$"
)
# An offset but for its sign ("12", "0730", "utc5"): worth a hint that the sign is missing.
_UNSIGNED = re.compile(r"^(?:utc|gmt)?(?P<digits>\d{1,2}(?::?\d{2})?)$")
_CANONICAL_OFFSET = re.compile(r"^UTC(?P<sign>[+-])(?P<hours>\d{2}):(?P<minutes>\d{2})$")
_UTC_WORDS = {"utc", "gmt", "z", "zulu", "utc+0", "utc-0", "gmt+0", "gmt-0", "+0", "-0"}
# Real-world offsets run from UTC-12:00 to UTC+14:00.
_MIN_OFFSET, _MAX_OFFSET = timedelta(hours=-12), timedelta(hours=14)
# Canonical names are a bounded set (some 600 IANA names, offsets by the minute); the bound
# only matters should stored garbage be looked up.
_CACHED_ZONES = 4096


@cache
def _iana_by_lower_name() -> dict[str, str]:
    names = available_timezones() - {"Factory", "localtime"}
    return {name.lower(): name for name in names}


# IANA areas that name places people live in; "US/Eastern" and "Etc/GMT+3" are links or
# technical names, not somewhere a person says they are.
_PLACE_AREAS = frozenset(
    {
        "Africa",
        "America",
        "Antarctica",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
    }
)


@cache
def _iana_by_lower_city() -> dict[str, str]:
    """ "moscow" -> "Europe/Moscow", "new_york" -> "America/New_York": a zone by its city, for
    people who type the city they read on a button. A city in two zones is left out."""
    found: dict[str, set[str]] = {}
    for name in available_timezones():
        area, _, rest = name.partition("/")
        if area in _PLACE_AREAS and rest:
            found.setdefault(rest.rsplit("/", 1)[-1].lower(), set()).add(name)
    return {city: names.pop() for city, names in found.items() if len(names) == 1}


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
    iana = _iana_by_lower_name().get(lowered) or _iana_by_lower_city().get(
        "_".join(lowered.split())
    )
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


def lacks_sign(text: str) -> bool:
    """Whether `text` would be an offset with a + or - in front ("12", "0730"): the sign
    decides east or west, so it is asked for rather than guessed."""
    match = _UNSIGNED.match(text.strip().lower().replace(" ", ""))
    if match is None:
        return False
    return any(parse_timezone(sign + match["digits"]) for sign in "+-")


@lru_cache(maxsize=_CACHED_ZONES)
def zone_for(name: str) -> tzinfo:
    """The tzinfo of a stored zone name: the one way from a name to a tzinfo.

    A name that is no longer a zone (say, removed from tzdata) must not break every handler
    of that user: it reads as UTC, with a warning logged once (the answer is cached).
    """
    if not isinstance(name, str):
        # A programming error, not bad data: callers pass the canonical name, never a tzinfo.
        raise TypeError(f"a zone is its canonical name, not {type(name).__name__}")
    canonical = parse_timezone(name)
    if canonical is not None:
        if canonical == "UTC":
            return UTC
        fixed = _CANONICAL_OFFSET.match(canonical)
        if fixed is not None:
            sign = 1 if fixed["sign"] == "+" else -1
            offset = timedelta(hours=int(fixed["hours"]), minutes=int(fixed["minutes"]))
            return timezone(sign * offset, canonical)
        try:
            return ZoneInfo(canonical)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
    log.warning("time zone %r is not a zone (any more); using UTC for it", name)
    return UTC


def local_datetime(instant: datetime, name: str) -> datetime:
    """`instant` (aware) as the clock and calendar of the zone `name` show it."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime: pass an aware instant")
    return instant.astimezone(zone_for(name))


def local_date(instant: datetime, name: str) -> date:
    """The calendar date in the zone `name` at `instant` (midnight to midnight, unlike the
    ritual day of bot.domain.local_time)."""
    return local_datetime(instant, name).date()


def wall_clock(instant: datetime, name: str) -> str:
    """ "HH:MM" as a clock in the zone `name` shows it at `instant`."""
    return format_time(local_datetime(instant, name).time())


def zone_at(latitude: float, longitude: float) -> str | None:
    """The IANA zone of a place (offline lookup; open sea gives an Etc/GMT zone)."""
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    name = get_tz(longitude, latitude)
    return parse_timezone(name) if name else None
