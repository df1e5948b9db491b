from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.quiet import format_window, is_quiet, parse_quiet_hours

times = st.builds(time, st.integers(0, 23), st.integers(0, 59))


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
    start, end = time(22), time(7)
    assert is_quiet(time(23, 59), start, end) and is_quiet(time(0, 0), start, end)
    assert is_quiet(time(6, 59), start, end) and not is_quiet(time(7, 0), start, end)
    assert not is_quiet(time(12), start, end) and is_quiet(time(22), start, end)


@given(times, times, times)
def test_a_window_and_its_complement_cover_the_day_once(moment, start, end):
    if start == end:
        return
    assert is_quiet(moment, start, end) != is_quiet(moment, end, start)
    assert parse_quiet_hours(format_window(start, end)) == (start, end)
