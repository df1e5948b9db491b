"""Ritual dates: the user's local date, where a day starts at 04:00 local time, in any zone,
named or a fixed offset."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.local_time import rest_dates, ritual_date, ritual_day_start
from tests.support.zones import fixed_offsets, zones

day_starts = st.builds(time, st.integers(0, 6), st.sampled_from([0, 15, 30, 45]))
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
    # The same at fixed offsets, as /timezone +14 or UTC-11 stores them.
    assert ritual_date(evening_utc, "UTC+14:00").isoformat() == "2026-11-26"
    assert ritual_date(evening_utc, "UTC-11:00").isoformat() == "2026-11-25"
    assert ritual_date(datetime(2026, 11, 25, 13, 30, tzinfo=UTC), "UTC+14:00").day == 25


def test_one_am_counts_for_the_evening_before():
    tz = ZoneInfo("Europe/Berlin")
    late = datetime(2026, 3, 10, 1, 0, tzinfo=tz).astimezone(UTC)
    morning = datetime(2026, 3, 10, 4, 0, tzinfo=tz).astimezone(UTC)
    assert ritual_date(late, "Europe/Berlin").isoformat() == "2026-03-09"
    assert ritual_date(morning, "Europe/Berlin").isoformat() == "2026-03-10"


def test_naive_instants_are_refused():
    with pytest.raises(ValueError):
        ritual_date(datetime(2026, 1, 1), "UTC")


@given(instants, zones, day_starts)
def test_the_ritual_date_is_the_local_date_shifted_by_the_day_start(now, zone, day_start):
    name, oracle = zone
    local = now.astimezone(oracle)
    day = ritual_date(now, name, day_start)
    shift = timedelta(hours=day_start.hour, minutes=day_start.minute)
    assert day == (local.replace(tzinfo=None) - shift).date()
    assert day in (local.date(), local.date() - timedelta(days=1))


@given(instants, zones, st.integers(1, 48 * 60))
def test_ritual_dates_never_go_backwards(now, zone, minutes):
    name, _ = zone
    assert ritual_date(now + timedelta(minutes=minutes), name) >= ritual_date(now, name)


@given(instants, zones, day_starts)
def test_a_ritual_day_starts_at_its_local_day_start(now, zone, day_start):
    name, oracle = zone
    day = ritual_date(now, name, day_start)
    start = ritual_day_start(day, name, day_start)
    assert start == datetime.combine(day, day_start, oracle).astimezone(UTC)
    assert start.tzinfo is UTC


@given(instants, fixed_offsets, day_starts)
def test_at_a_fixed_offset_a_ritual_day_is_24_hours_from_its_start(now, zone, day_start):
    name, _ = zone
    day = ritual_date(now, name, day_start)
    start = ritual_day_start(day, name, day_start)
    assert start <= now < start + timedelta(days=1)
    assert ritual_date(start, name, day_start) == day
    assert ritual_date(start - timedelta(seconds=1), name, day_start) == day - timedelta(days=1)


def test_a_red_flag_in_the_small_hours_rests_the_day_ahead_too():
    two_am = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    assert [d.isoformat() for d in rest_dates(two_am, "UTC")] == ["2026-11-25", "2026-11-26"]
    nine_am = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    assert [d.isoformat() for d in rest_dates(nine_am, "UTC")] == ["2026-11-26"]
    # 23:30 is the evening: only that ritual day.
    assert rest_dates(datetime(2026, 11, 26, 23, 30, tzinfo=UTC), "UTC") == (two_am.date(),)
    # With the day starting at midnight there are no small hours.
    assert rest_dates(two_am, "UTC", time(0, 0)) == (two_am.date(),)


@given(instants, zones, day_starts)
def test_rest_dates_are_the_ritual_day_and_the_local_date(now, zone, day_start):
    name, oracle = zone
    days = rest_dates(now, name, day_start)
    assert days[0] == ritual_date(now, name, day_start)
    assert set(days) == {ritual_date(now, name, day_start), now.astimezone(oracle).date()}
