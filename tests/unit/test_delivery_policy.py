"""The one rule for sending a due reminder, nudge or prompt (first send, retry or resend),
checked over any user state, zone and timing."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import find, given
from hypothesis import strategies as st

from bot.domain.delivery_policy import Recipient, Verdict, decide
from bot.domain.quiet import in_quiet_hours
from bot.domain.streaks import Day, Summary, standing
from bot.domain.zones import local_datetime
from tests.support.zones import zone_names

GRACE = timedelta(hours=2)
instants = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(UTC)
)
keys = st.sampled_from(["reminder:07:30", "nudge", "snooze:12", "flight:3"])
times = st.times().map(lambda t: t.replace(second=0, microsecond=0))


@st.composite
def summaries(draw, zone: str, now: datetime) -> Summary | None:
    if draw(st.booleans()):
        return None
    days_ago = draw(st.integers(0, 5))
    current = draw(st.integers(1, 40))
    last_at = now - timedelta(days=days_ago, hours=draw(st.integers(0, 20)))
    last = Day(local_datetime(last_at, zone).date(), last_at, zone)
    return Summary(current, current, current, draw(st.integers(0, 2)), 0, last)


@st.composite
def cases(draw):
    zone = draw(zone_names)
    now = draw(instants)
    due_at = now - timedelta(minutes=draw(st.integers(0, 300)))
    local_date = local_datetime(due_at, zone).date()
    quiet = draw(st.none() | st.tuples(times, times).filter(lambda w: w[0] != w[1]))
    recipient = Recipient(
        zone=zone,
        day_starts_at=time(draw(st.integers(0, 6)), 0),
        blocked=draw(st.booleans()),
        skipped_on=draw(st.sampled_from([None, local_date, local_date - timedelta(days=1)])),
        quiet_hours=quiet,
        nudges=draw(st.booleans()),
        summary=draw(summaries(zone, now)),
    )
    return draw(keys), local_date, due_at, now, recipient


@given(cases())
def test_nothing_goes_to_the_blocked_the_skipped_the_late_or_inside_quiet_hours(case):
    key, local_date, due_at, now, recipient = case
    decision = decide(
        key, local_date=local_date, due_at=due_at, now=now, grace=GRACE, recipient=recipient
    )
    if not decision.send:
        return
    assert not recipient.blocked
    assert recipient.skipped_on != local_date
    assert now - due_at <= GRACE
    if recipient.quiet_hours:
        assert not in_quiet_hours(recipient.quiet_hours, local_datetime(now, recipient.zone).time())


@given(cases())
def test_a_nudge_goes_only_with_a_run_at_stake_and_names_it(case):
    _key, local_date, due_at, now, recipient = case
    decision = decide(
        "nudge", local_date=local_date, due_at=due_at, now=now, grace=GRACE, recipient=recipient
    )
    if not decision.send:
        return
    assert recipient.nudges and recipient.summary is not None
    view = standing(recipient.summary, now, recipient.zone, recipient.day_starts_at)
    assert view.at_risk and decision.streak_days == view.current > 0


@given(cases())
def test_a_reminder_names_the_run_today_would_make(case):
    _key, local_date, due_at, now, recipient = case
    decision = decide(
        "reminder:07:30",
        local_date=local_date,
        due_at=due_at,
        now=now,
        grace=GRACE,
        recipient=recipient,
    )
    if not decision.send:
        return
    if recipient.summary is None:
        assert decision.streak_days == 0
        return
    view = standing(recipient.summary, now, recipient.zone, recipient.day_starts_at)
    expected = view.current + 1 if view.current and not view.done_today else 0
    assert decision.streak_days == expected


def test_the_verdicts_in_words():
    now = datetime(2026, 11, 25, 7, 30, tzinfo=UTC)
    plain = Recipient(zone="UTC", day_starts_at=time(4, 0))
    today = date(2026, 11, 25)

    def verdict(recipient: Recipient, key: str = "reminder:07:30", late: int = 0) -> Verdict:
        return decide(
            key,
            local_date=today,
            due_at=now - timedelta(minutes=late),
            now=now,
            grace=GRACE,
            recipient=recipient,
        ).verdict

    assert verdict(plain) is Verdict.SEND
    assert verdict(Recipient("UTC", time(4), blocked=True)) is Verdict.BLOCKED
    assert verdict(Recipient("UTC", time(4), skipped_on=today)) is Verdict.SKIPPED_TODAY
    assert verdict(plain, late=121) is Verdict.LATE
    assert verdict(Recipient("UTC", time(4), quiet_hours=(time(7), time(8)))) is Verdict.QUIET
    assert verdict(plain, key="nudge") is Verdict.NOTHING_AT_STAKE
    assert verdict(plain, key="snooze:4") is Verdict.SEND


def test_the_cases_above_include_sends_of_every_kind():
    """So the properties above are not vacuous: each kind is sent in some drawn case."""
    for key in ("nudge", "reminder:07:30", "snooze:12"):

        def sends(case, key=key) -> bool:
            _key, local_date, due_at, now, recipient = case
            return decide(
                key, local_date=local_date, due_at=due_at, now=now, grace=GRACE, recipient=recipient
            ).send

        assert find(cases(), sends) is not None
