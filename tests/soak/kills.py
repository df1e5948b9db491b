"""SIGKILLs by plan: when, which instance, at what moment, and the restart after.

A planned kill is one of:
- "fan-out": at the k-th reminder to arrive in the busiest step of the next twelve hours (a
  popular time in a big zone), so that the instance dies in the middle of sending;
- "talk": at a random moment (within a second) while users talk to the bot;
and falls back to "between ticks" when its moment does not come. Each killed instance is
restarted one to six steps later. Once, both are killed for an outage of 75 minutes to four
hours (five to sixteen steps), so that some reminders come late and some too late.
A kill waits while the other instance is down: two instances run most of the time.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from tests.soak.chat import Arrival
from tests.soak.instances import Incarnation, Instance
from tests.soak.journal import Journal
from tests.soak.person import Person
from tests.soak.tracker import UpdateTracker

REMINDER_MARK = "Time for your face routine"
RESTART_AFTER_STEPS = (1, 6)
OUTAGE_STEPS = (5, 16)
TALK_KILL_WITHIN_S = 1.0
BUSIEST_WITHIN = timedelta(hours=12)
# A fan-out kill waits for a step with at least this many reminders due.
BUSY = 5


@dataclass
class KillPlan:
    step: int
    mode: str  # "fan-out" or "talk"
    done: bool = False
    # A fan-out kill: the simulated instant of the fan-out it waits for.
    target: datetime | None = None


class Killer:
    def __init__(
        self,
        rng: random.Random,
        instances: list[Instance],
        tracker: UpdateTracker,
        journal: Journal,
        people: list[Person],
    ) -> None:
        self.rng = rng
        self.instances = instances
        self.tracker = tracker
        self.journal = journal
        self.people = people
        self.plans: list[KillPlan] = []
        self.kills: list[Incarnation] = []
        # step -> the instances started again at its beginning
        self.restarts: dict[int, list[Instance]] = {}
        self._current: KillPlan | None = None
        self._trigger: tuple[int, Instance] | None = None
        self._arrived = 0
        self._step = 0
        self._now = datetime.min
        self._pending: set[asyncio.Future[None]] = set()
        # When a killed instance came back (simulated): until then the other may have been
        # down too, and whatever fell due meanwhile comes at the first tick after.
        self.restart_times: list[datetime] = []

    def plan(self, kills: int, first: int, last: int) -> None:
        """`kills` kills at random steps in [first, last)."""
        if last <= first:
            first, last = 1, max(2, last)
        steps = sorted(self.rng.sample(range(first, last), min(kills, last - first)))
        self.plans = [KillPlan(step, self.rng.choice(("fan-out", "talk"))) for step in steps]

    @property
    def kill_times(self) -> list[datetime]:
        return [k.killed_sim for k in self.kills if k.killed_sim is not None]

    # ------------------------------------------------------------ each step

    async def start_of_step(self, k: int, now: datetime) -> None:
        """Restarts due now; arm this step's fan-out kill (before the clock says `now`)."""
        self._step, self._now, self._arrived = k, now, 0
        for instance in self.restarts.pop(k, []):
            await instance.start()
            self.restart_times.append(now)
            self.journal.count("restarts")
        self._current = self._due(k)
        if self._current is not None and self._current.mode == "fan-out":
            due = len(self._due_reminders(now))
            self._trigger = (self.rng.randint(1, max(1, due - 1)), self._victim())

    async def restart_the_rest(self, now: datetime) -> None:
        """At the end of the soak: an instance whose restart was due after the last step (a
        kill or an outage near the end) starts now, so that every instance gets its SIGTERM."""
        for k in sorted(self.restarts):
            for instance in self.restarts.pop(k):
                if not instance.alive:
                    await instance.start()
                    self.restart_times.append(now)
                    self.journal.count("restarts")

    def users_talk(self) -> None:
        """The users are about to act: a "talk" kill happens within the next second."""
        plan = self._current
        if plan is None or plan.mode != "talk":
            return
        plan.done = True
        victim = self._victim()

        async def later() -> None:
            await asyncio.sleep(self.rng.uniform(0.0, TALK_KILL_WITHIN_S))
            await self._kill(victim, "while users talk")

        self._pending.add(asyncio.ensure_future(later()))

    async def end_of_step(self) -> None:
        self._trigger = None
        if self._pending:
            await asyncio.gather(*self._pending)
            self._pending.clear()
        plan = self._current
        if plan is not None and not plan.done:
            # The fan-out did not come (or was too small): kill between ticks instead.
            plan.done = True
            await self._kill(self._victim(), "between ticks")

    async def outage(self, k: int) -> int:
        """Kill every instance; both start again at the returned step (nothing sooner)."""
        for instance in self.instances:
            if instance.alive:
                await self._kill_instance(instance, "outage")
        until = k + self.rng.randint(*OUTAGE_STEPS)
        self.journal.count("outage steps", until - k)
        self.restarts = {until: list(self.instances)}
        return until

    def on_arrival(self, arrival: Arrival) -> None:
        """Every bot message as it arrives: the k-th reminder of the step sets off the kill."""
        if self._trigger is None or REMINDER_MARK not in arrival.html:
            return
        self._arrived += 1
        nth, victim = self._trigger
        if self._arrived >= nth and victim.alive and self._current is not None:
            self._trigger = None
            self._current.done = True
            self._pending.add(asyncio.ensure_future(self._kill(victim, "mid fan-out")))

    # ------------------------------------------------------------ choosing

    def _due(self, k: int) -> KillPlan | None:
        for plan in self.plans:
            if plan.done or plan.step > k:
                continue
            if not all(instance.alive for instance in self.instances):
                return None
            if plan.mode == "fan-out":
                if plan.target is None or plan.target < self._now:
                    plan.target = self._busiest(self._now, self._now + BUSIEST_WITHIN)
                if plan.target is not None and plan.target != self._now:
                    return None
            return plan
        return None

    def _reminders(self) -> Iterable[datetime]:
        for person in self.people:
            if not person.model.blocked:
                yield from person.model.reminders.values()

    def _due_reminders(self, instant: datetime) -> list[datetime]:
        return [at for at in self._reminders() if at <= instant]

    def _busiest(self, start: datetime, end: datetime) -> datetime | None:
        counts = Counter(at for at in self._reminders() if start <= at <= end)
        if not counts:
            return None
        instant, n = counts.most_common(1)[0]
        return instant if n >= BUSY else None

    def _victim(self) -> Instance:
        return self.rng.choice([instance for instance in self.instances if instance.alive])

    # ------------------------------------------------------------ killing

    async def _kill(self, instance: Instance, how: str) -> None:
        if not instance.alive:
            return
        await self._kill_instance(instance, how)
        self.restarts.setdefault(self._step + self.rng.randint(*RESTART_AFTER_STEPS), []).append(
            instance
        )

    async def _kill_instance(self, instance: Instance, how: str) -> None:
        incarnation = await instance.kill(self._now)
        self.kills.append(incarnation)
        self.journal.count("kills")
        self.journal.count(f"kills {how}")
        lost = self.tracker.died(incarnation)
        self.journal.count("updates accepted by a killed instance and lost", len(lost))
