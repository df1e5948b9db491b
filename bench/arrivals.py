"""The open-loop benchmark's arrival schedule: who sends what, and when, fixed before the run.

Pure logic (no bot, no emulator), so a test can check it (tests/unit/test_bench_arrivals.py)
and both bots of a run get the very same schedule. Each user is a renewal process: after each
update it "thinks" for a random time and sends the next, so `users` of them together offer
`rate` updates a second. A think time is a short floor (nobody sends twice within a blink) plus
an exponential part, so arrivals are close to a Poisson stream, bursts included, which is what
makes a blocked event loop visible; it is capped so no user falls silent for the whole run.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass

# The kinds of update a simulated user sends (bench/update_latency.py knows how to send each).
KINDS = ("text", "help", "streak", "press")
# Think times, as multiples of the mean (users / rate): at the default 200 users and 20/s the
# mean is 10 s, the floor 0.5 s and the cap 100 s. The cap cuts off e^-10 of the exponential
# tail, which moves the mean by well under 0.1%.
FLOOR_OF_MEAN = 0.05
CAP_OF_MEAN = 10.0


@dataclass(frozen=True)
class Arrival:
    at: float  # seconds from the start of the schedule
    user: int  # index of the user, 0..users-1
    kind: str  # one of KINDS


@dataclass(frozen=True)
class ThinkTime:
    """How long a user waits between two sends: floor + Exp(mean - floor), at most cap."""

    mean: float
    floor: float
    cap: float

    @classmethod
    def for_load(cls, users: int, rate: float) -> ThinkTime:
        if users < 1 or rate <= 0:
            raise ValueError("an arrival schedule needs at least one user and a positive rate")
        mean = users / rate
        return cls(mean=mean, floor=mean * FLOOR_OF_MEAN, cap=mean * CAP_OF_MEAN)

    def first(self, rng: random.Random) -> float:
        """The time to a user's first send, as if the user had been at it for ages (the
        renewal process's equilibrium: the floor's share uniform over the floor, the rest the
        floor plus the exponential), so the stream offers the target rate from the first
        second instead of starting with a burst."""
        if rng.random() < self.floor / self.mean:
            return rng.uniform(0, self.floor)
        return self.floor + rng.expovariate(1 / (self.mean - self.floor))

    def draw(self, rng: random.Random) -> float:
        # Redrawn rather than clipped: a clip would pile samples up at the cap.
        while True:
            think = self.floor + rng.expovariate(1 / (self.mean - self.floor))
            if think <= self.cap:
                return think


def parse_mix(spec: str) -> dict[str, float]:
    """ "text=4,help=2,streak=1,press=3" -> weights per kind; a clear ValueError otherwise."""
    mix: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        kind, sep, weight = part.partition("=")
        kind = kind.strip()
        if not sep or kind not in KINDS:
            raise ValueError(f"mix: {part!r} is not kind=weight, kind one of {', '.join(KINDS)}")
        try:
            value = float(weight)
        except ValueError:
            raise ValueError(f"mix: the weight of {kind!r} is not a number: {weight!r}") from None
        if value < 0:
            raise ValueError(f"mix: the weight of {kind!r} is negative")
        mix[kind] = value
    if not any(mix.values()):
        raise ValueError("mix: at least one kind needs a positive weight")
    return {kind: weight for kind, weight in mix.items() if weight > 0}


def arrival_schedule(
    *, rate: float, users: int, seconds: float, mix: dict[str, float], seed: int
) -> list[Arrival]:
    """Every update of the run, in time order: `users` users offering `rate` updates a second
    together over `seconds`, each update's kind drawn from `mix`'s weights. Same seed, same
    schedule."""
    rng = random.Random(seed)
    think = ThinkTime.for_load(users, rate)
    kinds, weights = list(mix), list(mix.values())
    arrivals: list[Arrival] = []
    for user in range(users):
        at = think.first(rng)
        while at < seconds:
            arrivals.append(Arrival(at, user, rng.choices(kinds, weights)[0]))
            at += think.draw(rng)
    arrivals.sort(key=lambda a: (a.at, a.user))
    return arrivals


def offered_rate(arrivals: Iterable[Arrival], start: float, end: float) -> float:
    """Updates per second scheduled in [start, end)."""
    return sum(1 for a in arrivals if start <= a.at < end) / (end - start)


def think_gaps(arrivals: Iterable[Arrival]) -> list[float]:
    """The time between consecutive sends of the same user, over every user."""
    last: dict[int, float] = {}
    gaps = []
    for arrival in sorted(arrivals, key=lambda a: a.at):
        if arrival.user in last:
            gaps.append(arrival.at - last[arrival.user])
        last[arrival.user] = arrival.at
    return gaps
