"""The post-flight check-in time: a few hours after landing, never in the night."""

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

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN).astimezone(UTC)


def test_a_daytime_landing_is_asked_about_three_hours_later():
    assert checkin_after_landing(berlin(2026, 11, 25, 10, 0), BERLIN, []) == berlin(
        2026, 11, 25, 13, 0
    )


def test_a_late_landing_waits_for_the_morning_reminder():
    landing = berlin(2026, 11, 25, 21, 0)
    assert checkin_after_landing(landing, BERLIN, [time(7, 30), time(21, 0)]) == berlin(
        2026, 11, 26, 7, 30
    )
    assert checkin_after_landing(landing, BERLIN, []) == berlin(2026, 11, 26, 8, 0)


def test_a_landing_time_just_gone_is_today_and_an_older_one_tomorrow():
    now = berlin(2026, 11, 25, 12, 0)
    assert landing_instant(now, time(11, 30), BERLIN) == berlin(2026, 11, 25, 11, 30)
    assert landing_instant(now, time(18, 0), BERLIN) == berlin(2026, 11, 25, 18, 0)
    assert landing_instant(now, time(9, 0), BERLIN) == berlin(2026, 11, 26, 9, 0)


@given(
    st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2037, 1, 1), timezones=st.just(UTC)
    ),
    st.lists(st.builds(time, st.integers(0, 23), st.integers(0, 59)), max_size=3),
)
def test_never_at_night_and_never_before_three_hours(landing, reminder_times):
    due = checkin_after_landing(landing, BERLIN, reminder_times)
    local = due.astimezone(BERLIN).time()
    assert due >= landing + timedelta(hours=HOURS_AFTER_LANDING)
    assert NIGHT_ENDS <= local < NIGHT_STARTS
    assert due - landing <= timedelta(hours=HOURS_AFTER_LANDING + 36)
