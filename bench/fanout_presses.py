"""Does a fan-out starve the people using the bot? Button-press latency of people pressing
through a routine, idle and while a fan-out of reminders goes out, against one
`python -m bot run` child (its paced rate limiter on) and the emulator's strict limits.

Each person presses Next, waits for the next step, reads it for a while (`think`, drawn
around its mean) and presses again; at the last step Done, and the routine again. The pause
matters: a press costs two of Telegram's 30 messages a second (the next step, and an edit
taking the buttons off the last), so 30 people pressing back to back would saturate the limit
by themselves, and the rate limiter's queue, not the fan-out, would set their latency (and
starve the fan-out, which gives way to people). One bot
process serves both phases: the people press while it is idle, then, at a minute boundary,
the reminders fall due and its minute tick sends them all. A press's latency runs from the
callback query being handed to the emulator to the next step arriving there.

Both phases must carry the same work, or the ratio measures the workload and not the fan-out.
A person at the end of the routine costs about ten messages at once (Done, the question after
it, /routine again with its introduction and rating), which can fill the rate limiter's
allowance for people's replies on their own: so before the clock starts each person walks to a
random step (unmeasured), and routine ends come at the same rate in both phases instead of all
after the first minute (people who start together finish together). The idle phase lasts at
least `idle_at_least` seconds (default 40, about as long as the fan-out), and the routine ends
in each phase are printed beside its presses. The bench process (the emulator and the people)
also watches its own event loop with the bot's own lag monitor (bot/loop_lag.py): a stall there
delays presses the bot had no part in, so its lag is printed for each phase beside the bot's.
"""

from __future__ import annotations

import asyncio
import gc
import random
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from bench.reminder_load import Arrivals, make_due, populate
from bench.update_latency import REPLY_TIMEOUT_S, closed_loop, percentile, send_text, start_routine
from bot.loop_lag import LoopLagMonitor, histogram_percentile
from emulator import BotApiEmulator, ChatMessage, EmulatedUser
from emulator.state import ChatEvent
from tests.support.bot import BotProcess, free_port

# The people's ids, apart from the fan-out's users 1..N.
PEOPLE_FROM = 1_000_001
_STEP = re.compile(r"Step (\d+) of (\d+)")
# Presses start counting as "during" once the fan-out has been going this long.
UNDER_WAY_S = 1.0
# The slowest presses during the fan-out that are listed, to see when they happen.
SLOWEST = 8
# After the people walked to their steps (many presses at once), the rate limiter's bucket is
# full for a moment: the idle phase starts once it has drained, or its first presses wait.
SETTLE_S = 2.0
# Interactive requests that Telegram counts against its 30 messages/s.
_COUNTED = ("sendMessage", "editMessageReplyMarkup", "editMessageText")


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    # The people's counted messages per second (sends and edits), what they cost of 30/s.
    people_rate: float = 0.0
    # Routine ends (Done and /routine again, about ten messages at once) in this phase.
    routine_ends: int = 0
    # The bench process's own event-loop lag in this phase: samples per histogram bucket.
    harness_lag: dict[str, int] = field(default_factory=dict)

    def p(self, q: float) -> float:
        return percentile(self.latencies, q) * 1000 if self.latencies else float("nan")

    def row(self) -> str:
        return (
            f"{self.name:<16}{len(self.latencies):>8}{self.seconds:>9.1f}{self.p(50):>9.0f}"
            f"{self.p(90):>9.0f}{self.p(99):>9.0f}{max(self.latencies, default=0) * 1000:>9.0f}"
            f"{self.people_rate:>11.1f}{self.routine_ends:>7}"
        )


def pooled(name: str, phases: list[Phase]) -> Phase:
    """Several runs' phases as one: a p99 from ~300 presses is the third slowest, so one
    chance meeting of two routine ends moves it; pooled runs give it a steadier footing."""
    seconds = sum(phase.seconds for phase in phases)
    return Phase(
        name,
        [latency for phase in phases for latency in phase.latencies],
        seconds,
        sum(phase.people_rate * phase.seconds for phase in phases) / seconds if seconds else 0.0,
        sum(phase.routine_ends for phase in phases),
        {
            key: sum(phase.harness_lag.get(key, 0) for phase in phases)
            for key in phases[0].harness_lag
        },
    )


HEADER = (
    f"{'phase':<16}{'presses':>8}{'s':>9}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'max ms':>9}"
    f"{'people/s':>11}{'ends':>7}"
)


@dataclass
class Presses:
    people: int
    think: float
    idle: Phase
    during: Phase
    fanout_sent: int
    fanout_due: int
    fanout_rate: float
    rate_limit_hits: int
    # For a closer look, in seconds from the fan-out's first reminder (negative: before it):
    # when the 429s were served, and the slowest presses during the fan-out (when, latency).
    refused_at: list[float] = field(default_factory=list)
    slowest: list[tuple[float, float]] = field(default_factory=list)
    # The bot's event-loop lag (ms) in each phase, from its /healthz histogram: p50, p99, worst
    # bucket. A press waits at least that long for the loop before it is even looked at.
    idle_lag: tuple[float, float, float] = (0.0, 0.0, 0.0)
    during_lag: tuple[float, float, float] = (0.0, 0.0, 0.0)

    @property
    def ratio(self) -> float:
        return self.during.p(99) / self.idle.p(99)


@dataclass
class _Press:
    at: float
    latency: float


def _step(user: EmulatedUser) -> tuple[ChatMessage, int, int]:
    step = user.last_bot_message
    assert step is not None
    match = _STEP.search(step.text)
    assert match is not None, step.text
    return step, int(match.group(1)), int(match.group(2))


async def _press_next(user: EmulatedUser, step: ChatMessage, number: int) -> ChatMessage:
    """Next on step `number`; the next step's message once it has arrived."""
    await user.press(step, 0)
    return await user.wait_for_bot_message(
        lambda m: f"Step {number + 1} of" in m.text, timeout=REPLY_TIMEOUT_S
    )


async def _walk_to(user: EmulatedUser, step_number: int) -> None:
    """Press Next (unmeasured) until the person is at `step_number`."""
    step, number, _total = _step(user)
    while number < step_number:
        await _press_next(user, step, number)
        step, number, _total = _step(user)


async def _person(
    user: EmulatedUser,
    arrived: dict[tuple[int, int], float],
    presses: list[_Press],
    routine_ends: list[float],
    stop: asyncio.Event,
    think: float,
    rng: random.Random,
) -> None:
    # The people start apart, as people do: all at once, their first presses would queue
    # behind each other in the rate limiter (30 sends and 30 edits in one instant).
    await asyncio.sleep(think * rng.random())
    while not stop.is_set():
        step, number, total = _step(user)
        if number == total:
            # Done, the question after the routine, and the routine again (not measured).
            routine_ends.append(time.monotonic())
            await user.press(step, 0)
            await user.wait_for_bot_message(lambda m: m.has_keyboard, timeout=REPLY_TIMEOUT_S)
            expected = await start_routine(user, 0)
            await user.wait_for_bot_message(expected, timeout=REPLY_TIMEOUT_S)
            continue
        pressed = time.monotonic()
        reply = await _press_next(user, step, number)
        presses.append(_Press(pressed, arrived[(user.id, reply.message_id)] - pressed))
        # A pause drawn around the mean, so the people do not press in lockstep.
        await asyncio.sleep(think * rng.uniform(0.5, 1.5))


def _between(readings: dict[str, dict[str, int]], first: str, last: str) -> dict[str, int]:
    """The samples taken between two histogram readings, per bucket."""
    before, after = readings.get(first, {}), readings.get(last, {})
    return {key: count - before.get(key, 0) for key, count in after.items()}


def _people_rate(emulator: BotApiEmulator, people: set[int], start: float, end: float) -> float:
    calls = [
        c
        for c in emulator.calls
        if c.method in _COUNTED and c.ok and c.chat_id in people and start <= c.at <= end
    ]
    return len(calls) / (end - start) if end > start else float("nan")


async def presses(
    folder: Path,
    *,
    fanout: int,
    people: int,
    think: float,
    idle_at_least: float,
    within: float = 300.0,
) -> Presses:
    url = f"sqlite+aiosqlite:///{folder}/presses.db"
    # The fan-out's users, nothing due yet (their reminders fall due at a minute boundary).
    await populate(url, fanout, 0, now=datetime.now(UTC) + timedelta(hours=3))
    cwd = folder / "presses"
    cwd.mkdir()
    async with BotApiEmulator(rate_limits=True) as emulator:
        for i in range(1, fanout + 1):
            emulator.user(i)
        users = [emulator.user(PEOPLE_FROM + i) for i in range(people)]
        ids = {user.id for user in users}
        arrived: dict[tuple[int, int], float] = {}
        reminders: list[float] = []
        all_sent = asyncio.Event()

        def note_arrival(event: ChatEvent) -> None:
            if event.kind != "message" or not event.from_bot or event.message_id is None:
                return
            if event.chat_id in ids:
                arrived[(event.chat_id, event.message_id)] = time.monotonic()
            elif 1 <= event.chat_id <= fanout:
                reminders.append(time.monotonic())
                if len(reminders) == fanout:
                    all_sent.set()

        emulator.on_change(note_arrival)
        port = str(free_port())
        health = f"http://127.0.0.1:{port}/healthz"
        child = BotProcess(
            emulator,
            url,
            cwd,
            extra_env={"LOG_LEVEL": "WARNING", "RATE_LIMIT": "true", "HEALTH_PORT": port},
        )
        lag_readings: dict[str, dict[str, int]] = {}
        # The bench process's own lag, read at the same moments as the bot's. Its threshold is
        # never reached: the figures are printed, not logged.
        harness = LoopLagMonitor(threshold_ms=float("inf"))
        harness_readings: dict[str, dict[str, int]] = {}

        async def read_lag(name: str) -> None:
            harness_readings[name] = harness.histogram()
            async with httpx.AsyncClient() as http:
                response = await http.get(health, timeout=10)
            lag_readings[name] = response.json()["event_loop"]["lag_histogram_ms"]

        def at_fanout_start(event: ChatEvent) -> None:
            if event.kind == "message" and event.from_bot and 1 <= event.chat_id <= fanout:
                if len(reminders) == 1:
                    asyncio.get_running_loop().create_task(read_lag("fanout start"))
                if len(reminders) == fanout:
                    asyncio.get_running_loop().create_task(read_lag("fanout end"))

        emulator.on_change(at_fanout_start)
        await child.start(within=60)
        try:
            # Warm-up, not measured: each person exists in the bot's database and is at step 1.
            await closed_loop(users, 1, lambda u, r: send_text("/help", u, r))
            await closed_loop(users, 1, start_routine)
            rng = random.Random(11)
            total = _step(users[0])[2]
            await asyncio.gather(*(_walk_to(u, rng.randint(1, total)) for u in users))
            await asyncio.sleep(SETTLE_S)
            # What was built so far lives to the end: not walked by every full collection of
            # the bench process (a pause that would land on some press).
            gc.collect()
            gc.freeze()
            harness.start()

            # The reminders fall due at the first minute boundary at least `idle_at_least`
            # away; the bot's minute tick (a second past it) sends them.
            wall = datetime.now(UTC)
            boundary = wall.replace(second=0, microsecond=0) + timedelta(minutes=1)
            while (boundary - wall).total_seconds() < idle_at_least:
                boundary += timedelta(minutes=1)
            await make_due(url, boundary)
            idle_start = time.monotonic()
            idle_end = idle_start + (boundary - datetime.now(UTC)).total_seconds()

            await read_lag("idle start")
            stop = asyncio.Event()
            pressed: list[_Press] = []
            ends: list[float] = []
            people_tasks = [
                asyncio.create_task(_person(u, arrived, pressed, ends, stop, think, rng))
                for u in users
            ]
            # Until the fan-out is over (or a person's wait failed: raised below), bounded.
            fanout_over = asyncio.create_task(all_sent.wait())
            await asyncio.wait(
                [fanout_over, *people_tasks],
                timeout=idle_end - time.monotonic() + within,
                return_when=asyncio.FIRST_COMPLETED,
            )
            fanout_over.cancel()
            stop.set()
            await asyncio.wait_for(asyncio.gather(*people_tasks), REPLY_TIMEOUT_S + 10)
            if "fanout end" not in lag_readings:
                await read_lag("fanout end")
        finally:
            await harness.stop()
            gc.unfreeze()
            await child.terminate()
        hits = emulator.rate_limit_hits
        fan = Arrivals.of(emulator, fanout)
        if not reminders:
            raise RuntimeError(f"no reminder went out:\n{child.log()[-3000:]}")
        under_way, end = reminders[0] + UNDER_WAY_S, reminders[-1]
        idle = Phase(
            "idle",
            [p.latency for p in pressed if idle_start <= p.at and p.at + p.latency <= idle_end],
            idle_end - idle_start,
            _people_rate(emulator, ids, idle_start, idle_end),
            sum(idle_start <= at <= idle_end for at in ends),
            _between(harness_readings, "idle start", "fanout start"),
        )
        during = Phase(
            "during fan-out",
            [p.latency for p in pressed if under_way <= p.at <= end],
            end - under_way,
            _people_rate(emulator, ids, under_way, end),
            sum(under_way <= at <= end for at in ends),
            _between(harness_readings, "fanout start", "fanout end"),
        )
        start = reminders[0]
        refused = [c.at - start for c in emulator.calls if c.error_code == 429]
    slowest = sorted(
        ((p.at - start, p.latency) for p in pressed if under_way <= p.at <= end),
        key=lambda press: -press[1],
    )[:SLOWEST]

    def lag(first: str, last: str) -> tuple[float, float, float]:
        before, after = lag_readings.get(first), lag_readings.get(last)
        if before is None or after is None:
            return (float("nan"),) * 3
        return tuple(histogram_percentile(before, after, p) for p in (50, 99, 100))  # type: ignore[return-value]

    return Presses(
        people,
        think,
        idle,
        during,
        len(fan.per_chat),
        fanout,
        fan.rate,
        hits,
        refused_at=refused,
        slowest=sorted(slowest),
        idle_lag=lag("idle start", "fanout start"),
        during_lag=lag("fanout start", "fanout end"),
    )
