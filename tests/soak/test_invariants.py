"""The soak's judges: each must fail on the counterexample it is there to catch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.soak.invariants import (
    Doubt,
    Received,
    match_reminders,
    reminder_verdicts,
    simple_verdict,
)
from tests.soak.model import BLOCKED, REMINDER, SNOOZE, Occurrence

GRACE = timedelta(hours=2)
T = datetime(2026, 10, 24, 7, 30, tzinfo=UTC)


def occ(due: datetime, *, settled: datetime | None = None, reason=None, kind=REMINDER, user=1):
    return Occurrence(user, kind, "07:30", due, due.date(), "UTC", settled or due, reason)


def got(at: datetime, message_id: int = 1, user: int = 1) -> Received:
    return Received(user, message_id, at)


def verdicts(result, expected=1):
    return reminder_verdicts(
        result, expected_count=expected, zone_at=lambda u, at: "UTC", story=lambda u, at: "story"
    )


def test_one_message_at_its_tick_passes_every_check():
    result = match_reminders([occ(T)], [got(T)], grace=GRACE)
    once, early, late = verdicts(result)
    assert (once.ok, early.ok, late.ok) == (True, True, True)
    assert result.matched == 1


def test_a_missing_reminder_fails_with_its_user_zone_and_local_date():
    once, _, _ = verdicts(match_reminders([occ(T)], [], grace=GRACE))
    assert not once.ok
    assert "MISSING user 1: reminder 07:30 of local date 2026-10-24 (UTC)" in once.failures[0]
    assert "story" in once.failures[0]


def test_a_second_message_fails_as_extra():
    result = match_reminders([occ(T)], [got(T, 1), got(T, 2)], grace=GRACE)
    once, early, _ = verdicts(result)
    assert not once.ok and early.ok
    assert "EXTRA user 1" in once.failures[0] and "a second message for" in once.failures[0]


def test_a_message_for_a_blocked_day_fails_and_says_why():
    result = match_reminders([occ(T, reason=BLOCKED)], [got(T)], grace=GRACE)
    once, _, _ = verdicts(result, expected=0)
    assert not once.ok
    assert "sent although not expected (blocked)" in once.failures[0]


def test_a_message_on_a_skipped_day_is_extra_even_with_a_reminder_ahead():
    tomorrow = occ(T + timedelta(days=1) - timedelta(hours=2))
    messages = [got(T, 1), got(tomorrow.due, 2)]
    result = match_reminders([occ(T, reason="skipped"), tomorrow], messages, grace=GRACE)
    once, early, _ = verdicts(result)
    assert early.ok and once.failed == 1
    assert "sent although not expected (skipped)" in once.failures[0]


def test_a_second_message_is_extra_even_when_tomorrows_is_missing():
    tomorrow = occ(T + timedelta(hours=20))
    result = match_reminders([occ(T), tomorrow], [got(T, 1), got(T, 2)], grace=GRACE)
    once, early, _ = verdicts(result, expected=2)
    assert early.ok
    assert [f.split()[0] for f in once.failures] == ["MISSING", "EXTRA"]
    assert "a second message for" in once.failures[1]


def test_a_message_before_its_local_time_fails_as_early():
    result = match_reminders([occ(T)], [got(T - timedelta(hours=3))], grace=GRACE)
    once, early, _ = verdicts(result)
    assert once.ok and not early.ok
    assert "EARLY user 1" in early.failures[0]


def test_a_late_message_fails_unless_an_instance_was_killed_meanwhile():
    late_by = T + timedelta(minutes=15)
    result = match_reminders([occ(T)], [got(late_by)], grace=GRACE)
    assert not verdicts(result)[2].ok
    result = match_reminders([occ(T)], [got(late_by)], grace=GRACE, kills=[T])
    assert all(v.ok for v in verdicts(result))


def test_a_message_after_the_grace_period_matches_nothing():
    result = match_reminders([occ(T)], [got(T + GRACE + timedelta(minutes=15))], grace=GRACE)
    once, _, _ = verdicts(result)
    assert [f.split(":")[0] for f in once.failures] == ["MISSING user 1", "EXTRA user 1 (UTC)"]


def test_doubt_and_unknown_deliveries_excuse_a_missing_one_and_nothing_else():
    doubt = Doubt(1, T - timedelta(minutes=1), T + timedelta(hours=1), "snooze lost")
    result = match_reminders([occ(T)], [], grace=GRACE, doubts=[doubt])
    assert verdicts(result)[0].ok and result.excused[0][1] == "snooze lost"
    result = match_reminders([occ(T)], [], grace=GRACE, unknown={(1, T)})
    assert verdicts(result)[0].ok
    other_user = match_reminders([occ(T)], [], grace=GRACE, unknown={(2, T)})
    assert not verdicts(other_user)[0].ok


def test_each_message_goes_to_the_occurrence_of_its_own_tick():
    # A reminder at 07:00 that never came and a snooze at 07:30 that did: the message is the
    # snooze's, and the reminder is the one missing (not "late").
    reminder = occ(T - timedelta(minutes=30))
    snooze = occ(T, kind=SNOOZE)
    result = match_reminders([reminder, snooze], [got(T)], grace=GRACE)
    once, _, late = verdicts(result, expected=2)
    assert late.ok and once.failed == 1
    assert result.missing == [reminder]


def test_users_are_matched_apart():
    result = match_reminders([occ(T, user=1)], [got(T, user=2)], grace=GRACE)
    once, _, _ = verdicts(result)
    assert once.failed == 2


def test_a_simple_verdict_counts_its_failures():
    verdict = simple_verdict("streaks", "stored equals recomputed", 3, ["user 7: 2 != 3"])
    assert not verdict.ok and verdict.failed == 1
    assert verdict.describe().startswith("FAIL streaks")
    assert simple_verdict("streaks", "rule", 3, []).describe().startswith("PASS streaks")
