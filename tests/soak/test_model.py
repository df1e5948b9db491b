"""The soak's reminder model: its rules checked on hand-made stories (the soak trusts it to
say what each user should get)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from tests.soak.model import (
    ALREADY,
    BLOCKED,
    LATE,
    REMINDER,
    RESTING,
    SKIPPED,
    SNOOZE,
    UserModel,
    first_after,
    occurrence,
    zone_of,
)
from tests.soak.population import NAMED, OFFSETS

GRACE = timedelta(hours=2)
STEP = timedelta(minutes=15)


def run(model: UserModel, start: datetime, end: datetime):
    """Tick the model at every step from start to end; everything it settled."""
    settled = []
    now = start
    while now <= end:
        settled.extend(model.tick(now, GRACE))
        now += STEP
    return settled


def test_a_daily_reminder_comes_at_its_local_time_every_day():
    start = datetime(2026, 10, 24, 0, 0, tzinfo=UTC)
    model = UserModel(1, zone="Asia/Kathmandu")
    model.set_reminders(start, [time(7, 30)])
    settled = run(model, start, start + timedelta(days=3))
    assert [o.due for o in settled] == [
        datetime(2026, 10, d, 1, 45, tzinfo=UTC) for d in (24, 25, 26)
    ]
    assert all(o.expected and o.kind == REMINDER and o.settled_at == o.due for o in settled)
    assert [o.local_date for o in settled] == [date(2026, 10, d) for d in (24, 25, 26)]


def test_the_clock_change_keeps_the_local_time_and_a_repeated_hour_fires_once():
    # Europe/Berlin falls back on 2026-10-25 at 03:00 CEST: 02:30 happens twice.
    start = datetime(2026, 10, 24, 12, 0, tzinfo=UTC)
    model = UserModel(1, zone="Europe/Berlin")
    model.set_reminders(start, [time(7, 30), time(2, 30)])
    settled = run(model, start, start + timedelta(days=2))
    dues = sorted((o.label, o.due) for o in settled)
    assert dues == [
        ("02:30", datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),  # the first 02:30, in CEST
        ("02:30", datetime(2026, 10, 26, 1, 30, tzinfo=UTC)),
        ("07:30", datetime(2026, 10, 25, 6, 30, tzinfo=UTC)),  # CET from here on
        ("07:30", datetime(2026, 10, 26, 6, 30, tzinfo=UTC)),
    ]


def test_a_skipped_time_fires_at_the_first_minute_after_it():
    # 2026-03-29 in Berlin: 02:00 jumps to 03:00.
    assert occurrence(date(2026, 3, 29), time(2, 30), zone_of("Europe/Berlin")) == datetime(
        2026, 3, 29, 1, 0, tzinfo=UTC
    )


def test_skip_today_and_blocked_days_are_not_expected():
    start = datetime(2026, 10, 24, 0, 0, tzinfo=UTC)
    model = UserModel(1, zone="UTC")
    model.set_reminders(start, [time(7, 30), time(21, 0)])
    settled = run(model, start, start + timedelta(hours=8))
    model.skip_today(start + timedelta(hours=8))
    settled += run(model, start + timedelta(hours=8, minutes=15), start + timedelta(days=1))
    model.blocked = True
    settled += run(model, start + timedelta(days=1, minutes=15), start + timedelta(days=1, hours=8))
    reasons = [(o.label, o.local_date.day, o.not_sent_because) for o in settled]
    assert reasons == [
        ("07:30", 24, None),
        ("21:00", 24, SKIPPED),
        ("07:30", 25, BLOCKED),
    ]


def test_a_reminder_more_than_the_grace_period_late_is_not_expected():
    start = datetime(2026, 10, 24, 0, 0, tzinfo=UTC)
    model = UserModel(1, zone="UTC")
    model.set_reminders(start, [time(7, 30), time(9, 0)])
    # No tick ran (an outage) until 09:45: 07:30 is 2 h 15 min late, 09:00 45 min.
    settled = model.tick(datetime(2026, 10, 24, 9, 45, tzinfo=UTC), GRACE)
    assert [(o.label, o.not_sent_because) for o in settled] == [("07:30", LATE), ("09:00", None)]
    # Each moved on to tomorrow, not to a burst of the missed ones.
    assert sorted(model.reminders.values())[0] == datetime(2026, 10, 25, 7, 30, tzinfo=UTC)


def test_a_zone_change_keeps_the_local_time_and_a_date_seen_twice_gets_one_reminder():
    # +14 then -12: the same local date comes round again one day later.
    start = datetime(2026, 10, 24, 0, 0, tzinfo=UTC)
    model = UserModel(1, zone="Pacific/Kiritimati")
    model.set_reminders(start, [time(7, 30)])
    settled = run(model, start, datetime(2026, 10, 24, 18, 0, tzinfo=UTC))
    assert [(o.local_date, o.expected) for o in settled] == [(date(2026, 10, 25), True)]
    model.set_zone(datetime(2026, 10, 24, 18, 0, tzinfo=UTC), "UTC-12:00")
    settled = run(
        model, datetime(2026, 10, 24, 18, 15, tzinfo=UTC), datetime(2026, 10, 26, 20, 0, tzinfo=UTC)
    )
    assert [(o.local_date, o.not_sent_because) for o in settled] == [
        (date(2026, 10, 24), None),
        (date(2026, 10, 25), ALREADY),  # already had its reminder in +14
        (date(2026, 10, 26), None),
    ]
    assert settled[0].due == datetime(2026, 10, 24, 19, 30, tzinfo=UTC)


def test_a_snooze_inside_quiet_hours_waits_for_their_end_and_skip_today_drops_it():
    now = datetime(2026, 10, 24, 21, 45, tzinfo=UTC)
    model = UserModel(1, zone="UTC")
    model.set_quiet((time(22, 0), time(7, 0)))
    model.snooze(now, 30)
    settled = run(model, now, now + timedelta(hours=10))
    assert [(o.kind, o.due) for o in settled] == [
        (SNOOZE, datetime(2026, 10, 25, 7, 0, tzinfo=UTC))
    ]
    model.snooze(now + timedelta(hours=12), 60)
    model.skip_today(now + timedelta(hours=12))
    assert run(model, now + timedelta(hours=12), now + timedelta(hours=14)) == []


ZONES = [zone.name for zone in NAMED + OFFSETS]


@given(
    st.sampled_from(ZONES),
    st.integers(0, 23),
    st.sampled_from([0, 15, 30, 45]),
    st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31)),
)
def test_the_next_occurrence_is_after_the_instant_and_shows_the_wall_time(
    zone, hour, minute, naive
):
    after = naive.replace(tzinfo=UTC)
    at = time(hour, minute)
    due = first_after(after, at, zone_of(zone))
    assert after < due <= after + timedelta(days=2)
    local = due.astimezone(zone_of(zone))
    # Either the wall time itself, or (in a DST gap) the first minute after it.
    gap = datetime.combine(local.date(), local.time()) - datetime.combine(local.date(), at)
    assert timedelta(0) <= gap <= timedelta(hours=2)


def test_a_stop_sign_rests_the_ritual_day_and_the_next_day_is_ordinary():
    start = datetime(2026, 10, 24, 0, 0, tzinfo=UTC)
    model = UserModel(1, zone="Asia/Tokyo")  # UTC+9, no DST
    model.set_reminders(start, [time(10, 0), time(2, 0)])
    model.stop_sign(datetime(2026, 10, 24, 0, 30, tzinfo=UTC), reported=True)  # 09:30 Tokyo
    settled = run(model, start, start + timedelta(days=2))
    resting = [o for o in settled if o.not_sent_because == RESTING]
    # 10:00 on the 24th, and 02:00 on the 25th (before the day starts at 04:00).
    assert [model.local(o.due).strftime("%d %H:%M") for o in resting] == ["24 10:00", "25 02:00"]
    assert all(o.expected for o in settled if o not in resting)
    assert any(o.expected and model.local(o.due).day == 25 for o in settled)


def test_a_stop_sign_in_the_small_hours_rests_the_day_ahead_too():
    start = datetime(2026, 10, 24, 0, 0, tzinfo=UTC)
    model = UserModel(1)  # UTC, the day starts at 04:00
    model.set_reminders(start, [time(10, 0)])
    model.stop_sign(datetime(2026, 10, 24, 2, 0, tzinfo=UTC), reported=True)
    settled = run(model, start, start + timedelta(days=2))
    resting = [o for o in settled if o.not_sent_because == RESTING]
    assert [model.local(o.due).strftime("%d %H:%M") for o in resting] == ["24 10:00"]
    assert any(o.expected and model.local(o.due).day == 25 for o in settled)


def test_no_to_the_stop_sign_the_same_day_takes_the_rest_day_back():
    model = UserModel(1)
    now = datetime(2026, 10, 24, 9, 0, tzinfo=UTC)
    model.stop_sign(now, reported=True)
    model.stop_sign(now + timedelta(hours=1), reported=False)
    assert model.rest_days == set()
    model.day_start = time(6, 0)
    assert model.ritual_date(datetime(2026, 10, 25, 5, 0, tzinfo=UTC)) == date(2026, 10, 24)
