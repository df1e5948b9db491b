"""The next reminder instant: always in the future, at the local time or the first valid
minute after it, once a day through DST gaps and overlaps, in every zone, named or fixed."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.schedule import next_occurrence, occurrence
from bot.domain.times_of_day import parse_time
from tests.support.zones import zones

instants = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2037, 12, 31), timezones=st.just(UTC)
)
times = st.builds(time, st.integers(0, 23), st.integers(0, 59))


def wall(instant: datetime, zone) -> datetime:
    return instant.astimezone(zone).replace(tzinfo=None)


def exists(local: datetime, zone) -> bool:
    return wall(local.replace(tzinfo=zone).astimezone(UTC), zone) == local


@settings(max_examples=400)
@given(instants, times, zones)
def test_the_next_reminder_is_in_the_future_at_the_local_time_or_just_after_a_gap(after, at, named):
    name, zone = named
    fired = next_occurrence(after, at, name)
    assert fired > after
    assert fired - after <= timedelta(hours=50)
    local = wall(fired, zone)
    wanted = datetime.combine(local.date(), at)
    if local != wanted:
        # The wanted time did not exist that day: we fire at the first minute after it.
        assert local > wanted
        assert wall(wanted.replace(tzinfo=zone).astimezone(UTC), zone) != wanted
        earlier = local - timedelta(minutes=1)
        assert (
            earlier.date() < local.date()
            or wall(earlier.replace(tzinfo=zone).astimezone(UTC), zone) != earlier
            or earlier < wanted
        )


@settings(max_examples=200)
@given(instants, times, zones)
def test_it_fires_once_a_day_never_twice_on_one_local_date(after, at, named):
    name, zone = named
    fired = [next_occurrence(after, at, name)]
    for _ in range(3):
        fired.append(next_occurrence(fired[-1], at, name))
    dates = [wall(f, zone).date() for f in fired]
    assert all(b > a for a, b in itertools.pairwise(dates)), dates
    assert all(b - a >= timedelta(hours=1) for a, b in itertools.pairwise(fired))


def test_dst_gap_fires_at_the_first_valid_minute():
    berlin = ZoneInfo("Europe/Berlin")  # 2026-03-29: 02:00 -> 03:00
    fired = next_occurrence(datetime(2026, 3, 28, 12, tzinfo=UTC), time(2, 30), "Europe/Berlin")
    assert wall(fired, berlin) == datetime(2026, 3, 29, 3, 0)


def test_dst_overlap_fires_once_at_the_first_occurrence():
    berlin = ZoneInfo("Europe/Berlin")  # 2026-10-25: 03:00 -> 02:00
    first = next_occurrence(datetime(2026, 10, 24, 12, tzinfo=UTC), time(2, 30), "Europe/Berlin")
    assert first == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST
    second = next_occurrence(first, time(2, 30), "Europe/Berlin")
    assert wall(second, berlin) == datetime(2026, 10, 26, 2, 30)


def test_far_zones_and_midnight():
    after = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)
    # UTC+14: it is already 10:00 on the 26th, in Kiritimati as at a fixed +14.
    for zone in ("Pacific/Kiritimati", "UTC+14:00"):
        assert next_occurrence(after, time(7, 0), zone) == datetime(2026, 11, 26, 17, 0, tzinfo=UTC)
    for zone in ("Pacific/Pago_Pago", "UTC-11:00"):
        assert next_occurrence(after, time(0, 0), zone) == datetime(2026, 11, 26, 11, 0, tzinfo=UTC)


def test_a_skipped_day_moves_to_the_next_valid_minute():
    apia = ZoneInfo("Pacific/Apia")  # 2011-12-30 did not exist in Samoa
    fired = occurrence(datetime(2011, 12, 30).date(), time(9, 0), "Pacific/Apia")
    assert wall(fired, apia).date() == datetime(2011, 12, 31).date()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("7:30", time(7, 30)),
        ("07:30", time(7, 30)),
        ("0730", time(7, 30)),
        ("730", time(7, 30)),
        ("7.30", time(7, 30)),
        ("7h30", time(7, 30)),
        ("7", time(7, 0)),
        ("23:59", time(23, 59)),
        ("0:00", time(0, 0)),
        ("25:99", None),
        ("24:00", None),
        ("7:60", None),
        ("seven", None),
        ("", None),
        ("7:3", None),
        ("-1:00", None),
    ],
)
def test_parse_time(typed, expected):
    assert parse_time(typed) == expected
