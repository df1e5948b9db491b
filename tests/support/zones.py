"""Hypothesis strategies over time zones as the bot stores them, IANA names and fixed offsets,
each paired with a tzinfo built here without the bot: the oracle its answers are checked with."""

from __future__ import annotations

from datetime import UTC, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, available_timezones

from hypothesis import strategies as st

NAMED = sorted(available_timezones() - {"Factory", "localtime"})
# The offsets people live at: UTC-12:00 to UTC+14:00 (the parser takes any minute between).
MIN_OFFSET_MINUTES, MAX_OFFSET_MINUTES = -12 * 60, 14 * 60


def offset_zone(minutes: int) -> tuple[str, tzinfo]:
    """The canonical name of a fixed offset, spelled out here independently of the bot."""
    if minutes == 0:
        return "UTC", UTC
    sign = "+" if minutes > 0 else "-"
    name = f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return name, timezone(timedelta(minutes=minutes))


named_zones = st.sampled_from(NAMED).map(lambda name: (name, ZoneInfo(name)))
fixed_offsets = st.integers(MIN_OFFSET_MINUTES, MAX_OFFSET_MINUTES).map(offset_zone)
# (canonical name, oracle tzinfo), named or fixed, about half and half.
zones = st.one_of(named_zones, fixed_offsets)
zone_names = zones.map(lambda zone: zone[0])
