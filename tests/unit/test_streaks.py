"""Streak rules: examples, then properties over random histories across time zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.local_time import ritual_date
from bot.domain.streaks import (
    MAX_FREEZES,
    Day,
    Summary,
    advance,
    consistency,
    day_of,
    milestone,
    missed_between,
    recompute,
    standing,
)
from tests.support.zones import zone_names, zones

FOUR = time(4, 0)
START = date(2026, 3, 1)


def done_on(*offsets: int, zone: str = "UTC", hour: int = 9) -> list[Day]:
    """Days done at `hour` local on START + each offset."""
    return [
        Day(
            START + timedelta(days=n),
            datetime.combine(START + timedelta(days=n), time(hour), ZoneInfo(zone)).astimezone(UTC),
            zone,
        )
        for n in offsets
    ]


def test_consecutive_days_build_a_streak_and_the_best_is_kept():
    summary, frozen = recompute(done_on(0, 1, 2, 10, 11), FOUR)
    assert (summary.current, summary.best, summary.total_days) == (2, 3, 5)
    assert frozen == ()


def test_seven_days_in_a_row_earn_a_freeze_which_covers_one_missed_day():
    summary, _ = recompute(done_on(*range(7)), FOUR)
    assert summary.freezes == 1
    summary, frozen = recompute(done_on(*range(7), 8), FOUR)
    assert (summary.current, summary.freezes, frozen) == (8, 0, (START + timedelta(days=7),))


def test_a_gap_longer_than_the_freezes_restarts_the_streak_and_keeps_the_freezes():
    summary, frozen = recompute(done_on(*range(7), 9), FOUR)
    assert (summary.current, summary.best, summary.freezes, frozen) == (1, 7, 1, ())


def test_freezes_are_capped():
    summary, _ = recompute(done_on(*range(40)), FOUR)
    assert summary.freezes == MAX_FREEZES


def test_one_in_the_morning_belongs_to_the_evening_before():
    night = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    assert ritual_date(night, "UTC", FOUR) == date(2026, 3, 1)
    assert ritual_date(night, "UTC", time(0, 0)) == date(2026, 3, 2)


def test_flying_east_over_the_date_line_is_not_a_missed_day():
    # Done in Los Angeles on Monday morning, then a night flight to Sydney: Tuesday never
    # happens there; done again on Wednesday morning in Sydney.
    monday = Day(date(2026, 3, 2), datetime(2026, 3, 2, 15, 0, tzinfo=UTC), "America/Los_Angeles")
    wednesday = Day(date(2026, 3, 4), datetime(2026, 3, 3, 21, 0, tzinfo=UTC), "Australia/Sydney")
    assert missed_between(monday, wednesday, FOUR) == 0
    assert advance(advance(Summary(), monday, FOUR).summary, wednesday, FOUR).summary.current == 2


def test_a_really_missed_day_is_missed_in_any_zone():
    first, third = done_on(0, 2, zone="Asia/Tokyo")
    assert missed_between(first, third, FOUR) == 1


def test_a_day_logged_afterwards_counts_as_the_end_of_that_day():
    logged = day_of(datetime(2026, 3, 3, 12, 0, tzinfo=UTC), "UTC", date(2026, 3, 2), FOUR)
    assert logged.at == datetime(2026, 3, 3, 3, 59, 59, tzinfo=UTC)


def test_standing_keeps_the_streak_while_today_is_open_and_ends_it_after():
    summary, _ = recompute(done_on(0, 1, 2), FOUR)
    day3 = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
    open_today = standing(summary, day3, "UTC", FOUR)
    assert (open_today.current, open_today.done_today, open_today.at_risk) == (3, False, True)
    day4 = standing(summary, day3 + timedelta(days=1), "UTC", FOUR)
    assert (day4.current, day4.best) == (0, 3)


def test_standing_counts_a_freeze_that_will_cover_yesterday():
    summary, _ = recompute(done_on(*range(7)), FOUR)
    later = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)  # day 8; day 7 was missed
    view = standing(summary, later, "UTC", FOUR)
    assert (view.current, view.freezes_pending, view.freezes, view.at_risk) == (7, 1, 0, True)


def test_milestones_and_consistency():
    assert milestone(6, 7) == 7 and milestone(7, 8) is None and milestone(29, 30) == 30
    today = START + timedelta(days=40)
    done = [START + timedelta(days=n) for n in range(41) if n != 39]
    assert consistency(done, today) == 29


ZONES = [
    "UTC",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "America/Los_Angeles",
    "Europe/Berlin",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "America/St_Johns",
    # Fixed offsets, as /timezone +14 or UTC-5 stores them: the far ends and odd minutes.
    "UTC+14:00",
    "UTC-12:00",
    "UTC+05:45",
    "UTC-03:30",
]


# Mostly the zones above, so that travel between them is common; now and then any zone.
zone_choices = st.one_of(st.sampled_from(ZONES), st.sampled_from(ZONES), zone_names)


@st.composite
def histories(draw):
    """Completions in time order: each some hours after the last, in some zone, sometimes
    logged for the day before ("I did it yesterday")."""
    at = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    zone = draw(zone_choices)
    events = []
    for _ in range(draw(st.integers(1, 60))):
        at += timedelta(hours=draw(st.integers(1, 80)), minutes=draw(st.integers(0, 59)))
        if draw(st.booleans()) and draw(st.booleans()):
            zone = draw(zone_choices)  # travel
        events.append((at, zone, draw(st.integers(0, 5)) == 0))
    return events


@settings(max_examples=300)
@given(histories(), st.sampled_from([time(0, 0), time(4, 0), time(6, 30)]))
def test_the_incremental_summary_equals_the_one_recomputed_from_history(events, day_start):
    days: dict[date, Day] = {}  # one Day per date: its first completion, as storage keeps
    summary, frozen = Summary(), set()
    for at, zone, yesterday in events:
        local = ritual_date(at, zone, day_start) - timedelta(days=int(yesterday))
        if local in days:
            continue  # a second routine that day: counted once
        days[local] = day = day_of(at, zone, local, day_start)
        if summary.last is None or day.date > summary.last.date:
            step = advance(summary, day, day_start)
            spent = summary.freezes + int(step.earned_freeze) - step.summary.freezes
            assert spent == len(step.frozen), "each freeze covers exactly one missed day"
            summary = step.summary
            frozen |= set(step.frozen)
        else:  # an earlier date logged late: the summary is rebuilt from history
            summary, rebuilt = recompute(days.values(), day_start)
            frozen = set(rebuilt)
        assert 0 <= summary.freezes <= MAX_FREEZES
        assert summary.current <= summary.best <= summary.total_days == len(days)
    reference, reference_frozen = recompute(days.values(), day_start)
    assert summary == reference
    assert frozen == set(reference_frozen)
    assert not frozen & set(days), "a frozen day is a day that was not done"


@settings(max_examples=200)
@given(histories(), st.integers(0, 96))
def test_standing_never_shows_more_than_the_summary(events, hours_later):
    days = {}
    for at, zone, _ in events:
        local = ritual_date(at, zone, FOUR)
        days.setdefault(local, day_of(at, zone, local, FOUR))
    summary, _ = recompute(days.values(), FOUR)
    at, zone, _ = events[-1]
    view = standing(summary, at + timedelta(hours=hours_later), zone, FOUR)
    assert view.current in (0, summary.current)
    assert view.freezes + view.freezes_pending <= summary.freezes or view.current == 0
    assert view.best == summary.best


@settings(max_examples=300)
@given(
    st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2037, 1, 1), timezones=st.just(UTC)
    ),
    zones,
    st.integers(0, 72 * 60),
)
def test_one_day_done_stands_today_is_at_risk_tomorrow_and_ends_after(at, zone, minutes_later):
    """A single counted day, seen later in the same zone: the ritual dates come from the oracle
    tzinfo, the standing from the stored name."""
    name, oracle = zone

    def oracle_day(instant: datetime) -> date:
        return (instant.astimezone(oracle).replace(tzinfo=None) - timedelta(hours=4)).date()

    day = day_of(at, name, oracle_day(at), FOUR)
    summary = advance(Summary(), day, FOUR).summary
    later = at + timedelta(minutes=minutes_later)
    view = standing(summary, later, name, FOUR)
    days_on = (oracle_day(later) - day.date).days
    assert view.done_today == (days_on == 0)
    if days_on == 0:
        assert (view.current, view.at_risk) == (1, False)
    elif days_on == 1:
        assert (view.current, view.at_risk) == (1, True)
    else:
        assert view.current == 0
    assert (view.best, view.total_days) == (1, 1)
