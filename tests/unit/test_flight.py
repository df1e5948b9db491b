"""The post-flight check-in time: a few hours after landing, never in the night, in any zone,
named or a fixed offset."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.flight import (
    HOURS_AFTER_LANDING,
    NIGHT_ENDS,
    NIGHT_STARTS,
    checkin_after_landing,
    landing_instant,
)
from tests.support.zones import fixed_offsets, zones

BERLIN = ZoneInfo("Europe/Berlin")
instants = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2037, 1, 1), timezones=st.just(UTC)
)
times = st.builds(time, st.integers(0, 23), st.integers(0, 59))


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN).astimezone(UTC)


def test_a_daytime_landing_is_asked_about_three_hours_later():
    assert checkin_after_landing(berlin(2026, 11, 25, 10, 0), "Europe/Berlin", []) == berlin(
        2026, 11, 25, 13, 0
    )


def test_a_late_landing_waits_for_the_morning_reminder():
    landing = berlin(2026, 11, 25, 21, 0)
    assert checkin_after_landing(landing, "Europe/Berlin", [time(7, 30), time(21, 0)]) == berlin(
        2026, 11, 26, 7, 30
    )
    assert checkin_after_landing(landing, "Europe/Berlin", []) == berlin(2026, 11, 26, 8, 0)


def test_a_landing_time_just_gone_is_today_and_an_older_one_tomorrow():
    now = berlin(2026, 11, 25, 12, 0)
    assert landing_instant(now, time(11, 30), "Europe/Berlin") == berlin(2026, 11, 25, 11, 30)
    assert landing_instant(now, time(18, 0), "Europe/Berlin") == berlin(2026, 11, 25, 18, 0)
    assert landing_instant(now, time(9, 0), "Europe/Berlin") == berlin(2026, 11, 26, 9, 0)


@given(instants, st.lists(times, max_size=3), zones)
def test_never_at_night_and_never_before_three_hours(landing, reminder_times, zone):
    name, oracle = zone
    due = checkin_after_landing(landing, name, reminder_times)
    local = due.astimezone(oracle).time()
    assert due >= landing + timedelta(hours=HOURS_AFTER_LANDING)
    assert NIGHT_ENDS <= local < NIGHT_STARTS
    assert due - landing <= timedelta(hours=HOURS_AFTER_LANDING + 36)


@given(instants, times, zones)
def test_a_landing_time_is_at_most_an_hour_gone(now, at, zone):
    name, _ = zone
    landing = landing_instant(now, at, name)
    assert now - timedelta(hours=1) < landing <= now + timedelta(hours=50)


@given(instants, times, fixed_offsets)
def test_at_a_fixed_offset_the_landing_is_that_wall_time_within_the_next_day(now, at, zone):
    name, oracle = zone
    landing = landing_instant(now, at, name)
    assert landing.astimezone(oracle).time() == at
    assert now - timedelta(hours=1) < landing <= now + timedelta(hours=23)
