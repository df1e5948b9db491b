"""The open-loop benchmark's arrival schedule (bench/arrivals.py): the load it offers is the load
asked for, whatever the replies do, because it is fixed before the run."""

from __future__ import annotations

import random

import pytest

from bench.arrivals import (
    CAP_OF_MEAN,
    FLOOR_OF_MEAN,
    KINDS,
    ThinkTime,
    arrival_schedule,
    offered_rate,
    parse_mix,
    think_gaps,
)

MIX = {"text": 4.0, "help": 2.0, "streak": 1.0, "press": 3.0}


def default_schedule(seed: int = 1, rate: float = 20.0, users: int = 200) -> list:
    return arrival_schedule(rate=rate, users=users, seconds=70.0, mix=MIX, seed=seed)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_offered_rate_over_the_measured_window_is_the_target(seed: int) -> None:
    schedule = default_schedule(seed)
    # 1200 arrivals expected in the 60 s window; a Poisson count's spread is about 3%.
    assert offered_rate(schedule, 10.0, 70.0) == pytest.approx(20.0, rel=0.08)
    # And over each 20 s stretch, from the first second: no burst at the start, no drift.
    for start in (0.0, 10.0, 30.0, 50.0):
        assert offered_rate(schedule, start, start + 20.0) == pytest.approx(20.0, rel=0.15)


def test_another_rate_and_user_count_are_met_too() -> None:
    schedule = arrival_schedule(rate=5.0, users=30, seconds=200.0, mix=MIX, seed=7)
    assert offered_rate(schedule, 20.0, 200.0) == pytest.approx(5.0, rel=0.1)


def test_the_same_seed_gives_the_same_schedule_and_another_seed_another() -> None:
    assert default_schedule(5) == default_schedule(5)
    assert default_schedule(5) != default_schedule(6)


def test_arrivals_are_in_time_order_within_the_run_and_from_every_user() -> None:
    schedule = default_schedule()
    times = [a.at for a in schedule]
    assert times == sorted(times)
    assert times[0] >= 0 and times[-1] < 70.0
    assert {a.user for a in schedule} == set(range(200))


def test_think_times_are_positive_bounded_and_average_users_over_rate() -> None:
    gaps = think_gaps(default_schedule())
    mean = 200 / 20.0
    assert len(gaps) > 1000
    assert min(gaps) >= mean * FLOOR_OF_MEAN > 0
    assert max(gaps) <= mean * CAP_OF_MEAN
    # The gaps seen inside a finite run are biased short (a long one runs past the end), so
    # the mean is checked on the draws themselves below; here only that they are not tiny.
    assert sum(gaps) / len(gaps) > mean / 2


def test_the_think_time_draws_average_the_mean_and_stay_within_bounds() -> None:
    think = ThinkTime.for_load(users=200, rate=20.0)
    rng = random.Random(0)
    draws = [think.draw(rng) for _ in range(20_000)]
    assert think.floor <= min(draws) and max(draws) <= think.cap
    assert sum(draws) / len(draws) == pytest.approx(think.mean, rel=0.03)


def test_kinds_follow_the_mix() -> None:
    schedule = default_schedule()
    shares = {kind: sum(a.kind == kind for a in schedule) / len(schedule) for kind in KINDS}
    total = sum(MIX.values())
    for kind, weight in MIX.items():
        assert shares[kind] == pytest.approx(weight / total, abs=0.03)


def test_a_kind_left_out_of_the_mix_is_never_sent() -> None:
    mix = parse_mix("text=1,press=0")
    assert mix == {"text": 1.0}
    schedule = arrival_schedule(rate=10.0, users=20, seconds=10.0, mix=mix, seed=1)
    assert schedule and {a.kind for a in schedule} == {"text"}


@pytest.mark.parametrize(
    "spec", ["", "text", "photo=1", "text=x", "text=-1", "text=0,help=0"], ids=repr
)
def test_a_bad_mix_is_refused_with_a_reason(spec: str) -> None:
    with pytest.raises(ValueError, match="mix"):
        parse_mix(spec)


@pytest.mark.parametrize(("users", "rate"), [(0, 20.0), (200, 0.0), (200, -1.0)])
def test_an_impossible_load_is_refused(users: int, rate: float) -> None:
    with pytest.raises(ValueError):
        ThinkTime.for_load(users, rate)


def test_a_draw_over_the_cap_is_drawn_again() -> None:
    # A cap close to the mean, so that about a third of the raw draws exceed it.
    think = ThinkTime(mean=10.0, floor=0.5, cap=12.0)
    rng = random.Random(3)
    draws = [think.draw(rng) for _ in range(2_000)]
    assert max(draws) <= 12.0
    # Redrawn, not clipped: no pile of samples at the cap.
    assert sum(d == 12.0 for d in draws) == 0
