"""Flood control: a burst, then the refill rate; one warning per flood; bounded memory."""

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.flood import FloodGuard, Verdict


def test_a_burst_then_one_warning_then_silence():
    guard = FloodGuard(burst=10, refill_seconds=1.0)
    verdicts = [guard.check(1, now=0.0) for _ in range(50)]
    assert verdicts[:10] == [Verdict.PASS] * 10
    assert verdicts[10] == Verdict.WARN
    assert set(verdicts[11:]) == {Verdict.DROP}


def test_the_bucket_refills_and_users_are_independent():
    guard = FloodGuard(burst=2, refill_seconds=1.0)
    assert [guard.check(1, 0.0) for _ in range(3)] == [Verdict.PASS, Verdict.PASS, Verdict.WARN]
    assert guard.check(2, 0.0) is Verdict.PASS, "another user is not affected"
    assert guard.check(1, 1.0) is Verdict.PASS
    assert guard.check(1, 1.0) is Verdict.WARN, "warned again after being let through"


def test_memory_is_bounded_and_a_forgotten_user_starts_fresh():
    guard = FloodGuard(burst=1, refill_seconds=60.0, max_users=3)
    for user in range(10):
        guard.check(user, 0.0)
    assert len(guard._buckets) == 3
    assert guard.check(0, 0.0) is Verdict.PASS


@settings(max_examples=200)
@given(st.lists(st.floats(0, 0.5), min_size=1, max_size=200), st.integers(1, 20))
def test_never_more_than_the_burst_plus_the_refill_in_any_run(gaps, burst):
    guard = FloodGuard(burst=burst, refill_seconds=1.0)
    now, passed = 0.0, 0
    for gap in gaps:
        now += gap
        passed += guard.check(7, now) is Verdict.PASS
    assert passed <= burst + now / 1.0 + 1e-9
