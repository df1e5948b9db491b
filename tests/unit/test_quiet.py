from datetime import UTC, datetime, time, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from bot.domain.quiet import (
    end_of_quiet,
    format_window,
    in_quiet_hours,
    parse_quiet_hours,
    stored_window,
)
from tests.support.zones import fixed_offsets, zones

times = st.builds(time, st.integers(0, 23), st.integers(0, 59))
instants = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2037, 1, 1), timezones=st.just(UTC)
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("22:00-07:00", (time(22), time(7))),
        ("22-7", (time(22), time(7))),
        ("23:30 – 6:45", (time(23, 30), time(6, 45))),
        ("13:00-14:00", (time(13), time(14))),
        ("22:00", None),
        ("7-7", None),
        ("late-early", None),
        ("25-7", None),
        ("", None),
    ],
)
def test_parse(typed, expected):
    assert parse_quiet_hours(typed) == expected


def test_a_window_across_midnight():
    window = (time(22), time(7))
    assert in_quiet_hours(window, time(23, 59)) and in_quiet_hours(window, time(0, 0))
    assert in_quiet_hours(window, time(6, 59)) and not in_quiet_hours(window, time(7, 0))
    assert not in_quiet_hours(window, time(12)) and in_quiet_hours(window, time(22))


@given(times, times, times)
def test_a_window_and_its_complement_cover_the_day_once(moment, start, end):
    if start == end:
        return
    assert in_quiet_hours((start, end), moment) != in_quiet_hours((end, start), moment)
    assert parse_quiet_hours(format_window(start, end)) == (start, end)


def test_quiet_hours_end_at_their_local_end_at_a_fixed_offset():
    due = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)  # 23:00 at +03:00, 15:00 at UTC-5
    window = (time(22), time(7))
    assert end_of_quiet(window, due, "UTC+03:00") == datetime(2026, 11, 26, 4, 0, tzinfo=UTC)
    assert end_of_quiet(window, due, "UTC-05:00") is None
    assert end_of_quiet(None, due, "UTC+03:00") is None


@given(instants, times, times, zones)
def test_a_held_prompt_waits_exactly_until_the_quiet_hours_end(due, start, end, zone):
    assume(start != end)
    name, oracle = zone
    held = end_of_quiet((start, end), due, name)
    if not in_quiet_hours((start, end), due.astimezone(oracle).time()):
        assert held is None
        return
    assert held is not None and held > due
    assert not in_quiet_hours((start, end), held.astimezone(oracle).time()), "held past the window"
    assert held - due <= timedelta(hours=50)


@given(instants, times, times, fixed_offsets)
def test_at_a_fixed_offset_quiet_hours_end_at_their_wall_time_within_a_day(due, start, end, zone):
    assume(start != end)
    name, oracle = zone
    held = end_of_quiet((start, end), due, name)
    if held is not None:
        assert held.astimezone(oracle).time() == end
        assert held - due <= timedelta(days=1)


@given(times, times, times)
def test_a_stored_window_reads_back_as_the_window_itself(moment, start, end):
    assume(start != end)
    assert stored_window(format_window(start, end)) == (start, end)
    assert stored_window(None) is None and stored_window("") is None
    assert not in_quiet_hours(None, moment)
