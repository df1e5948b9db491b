"""Ritual dates: the user's local date, where a day starts at 04:00 local time."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.local_time import DAY_STARTS_AT, ritual_date

ZONES = sorted(available_timezones() - {"Factory", "localtime"})
instants = st.datetimes(
    min_value=datetime(1971, 1, 1), max_value=datetime(2037, 12, 31), timezones=st.just(UTC)
)


def test_far_zones_on_both_sides_of_utc():
    evening_utc = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)
    assert ritual_date(evening_utc, "Pacific/Kiritimati").isoformat() == "2026-11-26"  # 10:00
    assert ritual_date(evening_utc, "Pacific/Pago_Pago").isoformat() == "2026-11-25"  # 09:00
    # 03:30 on the 26th in Kiritimati is still the night of the 25th; 04:30 is the 26th.
    assert ritual_date(datetime(2026, 11, 25, 13, 30, tzinfo=UTC), "Pacific/Kiritimati").day == 25
    assert ritual_date(datetime(2026, 11, 25, 14, 30, tzinfo=UTC), "Pacific/Kiritimati").day == 26


def test_one_am_counts_for_the_evening_before():
    tz = ZoneInfo("Europe/Berlin")
    late = datetime(2026, 3, 10, 1, 0, tzinfo=tz).astimezone(UTC)
    morning = datetime(2026, 3, 10, 4, 0, tzinfo=tz).astimezone(UTC)
    assert ritual_date(late, "Europe/Berlin").isoformat() == "2026-03-09"
    assert ritual_date(morning, "Europe/Berlin").isoformat() == "2026-03-10"


def test_naive_instants_are_refused():
    with pytest.raises(ValueError):
        ritual_date(datetime(2026, 1, 1), "UTC")


@given(instants, st.sampled_from(ZONES))
def test_the_ritual_date_is_the_local_date_shifted_by_the_day_start(now, zone):
    local = now.astimezone(ZoneInfo(zone))
    day = ritual_date(now, zone)
    shift = timedelta(hours=DAY_STARTS_AT.hour, minutes=DAY_STARTS_AT.minute)
    assert day == (local.replace(tzinfo=None) - shift).date()
    assert day in (local.date(), local.date() - timedelta(days=1))


@given(instants, st.sampled_from(ZONES), st.integers(1, 48 * 60))
def test_ritual_dates_never_go_backwards(now, zone, minutes):
    assert ritual_date(now + timedelta(minutes=minutes), zone) >= ritual_date(now, zone)
