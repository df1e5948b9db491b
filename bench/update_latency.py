"""Update latency: this bot beside a bare PTB echo bot (bench/echo_bot.py), in the same run.

Two modes (`--mode`, default open):

**open** (open loop, the realistic one): 200 users together offer 20 updates a second (`--users`,
`--rate`), each sending its next update after a random think time (bench/arrivals.py: a short
floor plus an exponential part, so arrivals are close to a Poisson stream). The whole arrival
schedule is drawn before the run from `--seed` and is the same for both bots; what arrives next
never depends on how fast the bot answered, so a bot that holds its event loop for 200 ms is
hit by every update that arrives meanwhile, as in production. A closed loop cannot see that:
its users slow down exactly when the bot does.
    Choice: a user waits for the reply to its update before sending the next, as a person
reads an answer before typing again (and as a routine press needs the previous step's button),
but its schedule stays fixed: a send that falls due while the user still waits goes out the
moment the reply arrives, and its latency counts from when it was *due*, so the bot is charged
for the delay it caused (no "coordinated omission"). At the default load a user sends every
10 s on average and replies take milliseconds, so such held sends are rare; the notes under
the table say how many there were and how late. The other way, sending on schedule over an
unanswered update, would leave two alike updates in flight with no way to tell which reply
answers which, and a press on a step the bot has not moved past yet is a double press, another
workload; one update in flight per user (the most outstanding) matches every reply to its
update.
    The mix (`--mix`, default text=4,help=2,streak=1,press=3): a free text (both bots answer one
short message), /help (this bot's longest reply), /streak (this bot: the text, then the calendar
picture, two rows, timed to the first reply and to the picture, whether the picture comes with
the text as its caption or as a second message) and a routine press (each user starts /routine
once before the clock starts, then presses Next; a user at the last step presses Done and starts
the routine again, unmeasured, and that press counts from its own send). The echo bot echoes
every message and, for a press, answers the callback query and sends its data back: its reply to
the same text, command or press is the baseline of each row (both /streak rows compare with its
one echo of "/streak"). Each bot gets `--warmup` seconds (10) of the schedule unmeasured, then
`--duration` seconds (60) measured; `--repeat` runs of each, alternating, are pooled (default 3:
one run's /help p99 rests on its two or three slowest replies, and moved between 0.9x and 2.6x
of the echo bot's from run to run here; two runs of three pooled, about 9 minutes each, gave
1.5x and 1.3x). Printed: p50/p95/p99/max per kind and overall (every update's first reply) for
both bots, the ratios, updates left unanswered after `--reply-timeout` seconds (10; they count
as slower than any answer, and a run with any says so loudly), the event-loop lag of this bot
during the measured window (its GET /healthz histogram read before and after, HEALTH_PORT set),
and the verdict against issue 17's goals: overall p50 within 2x and p99 within 4x of the echo
bot, /help p99 within 2x. Both modes exit 0 whatever the verdict: they measure, they do not
gate.

**saturation** (closed loop, for throughput): every user sends a message, waits for the reply
and sends the next, all at once, `--rounds` times; runs alternate between the bots `--repeat`
times and are pooled. Goal: this bot's p50 within 1.3x of the echo bot's.

Latency runs from the update being handed to the emulator (or falling due) to the bot's reply
arriving there, over real HTTP. Both bots run as child processes with the same concurrency and
without a rate limiter, so the difference is the bot's own work. Needs the machine to itself:
anything else running skews both bots.

    python bench/update_latency.py [--mode open] [--repeat 3] [--rate 20] [--users 200]
        [--duration 60] [--warmup 10] [--mix text=4,help=2,streak=1,press=3] [--seed 1]
        [--reply-timeout 10] [--database-url URL]
    python bench/update_latency.py --mode saturation [--users 200] [--rounds 5] [--repeat 4]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.arrivals import Arrival, arrival_schedule, offered_rate, parse_mix  # noqa: E402
from bot.loop_lag import histogram_percentile  # noqa: E402
from emulator import BotApiEmulator, ChatMessage, EmulatedUser  # noqa: E402
from tests.support.bot import free_port  # noqa: E402

REPLY_TIMEOUT_S = 60.0
# What each user sends. "text" is the like-for-like row: the echo bot echoes it, this bot
# looks the user up (its profile cache) and answers that it did not understand; both replies
# are one short message. "/help" adds this bot's longest reply (HTML, many entities), which
# costs PTB more to send and to parse back.
WORKLOADS = {"text": "good morning, how do I start?", "/help": "/help"}
GOAL_RATIO = 1.3


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank p-th percentile (0-100) of a non-empty list."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


@dataclass
class Result:
    bot: str
    workload: str
    latencies: list[float]
    seconds: float

    def row(self) -> str:
        ms = [x * 1000 for x in self.latencies]
        rate = len(ms) / self.seconds
        return (
            f"{self.bot:<14}{self.workload:<14}{len(ms):>8}{percentile(ms, 50):>9.1f}"
            f"{percentile(ms, 95):>9.1f}{percentile(ms, 99):>9.1f}{rate:>12.0f}"
        )

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies)


def child_env(emulator: BotApiEmulator, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=emulator.token,
        TELEGRAM_API_BASE_URL=emulator.base_url,
        TELEGRAM_FILE_BASE_URL=emulator.file_base_url,
        MAX_CONCURRENT_UPDATES="64",
        RATE_LIMIT="false",
        LOG_LEVEL="WARNING",
        # Each simulated user sends as fast as replies come: load, not a flood to refuse.
        FLOOD_BURST="1000",
    )
    env.update(extra)
    return env


async def closed_loop(
    users: list[EmulatedUser],
    rounds: int,
    act: Callable[[EmulatedUser, int], Awaitable[Callable[[ChatMessage], bool]]],
) -> tuple[list[float], float]:
    """Every user at once: act, wait for the reply that `act`'s predicate accepts, repeat."""
    latencies: list[float] = []

    async def one(user: EmulatedUser) -> None:
        for round_ in range(rounds):
            started = time.perf_counter()
            expected = await act(user, round_)
            await user.wait_for_bot_message(expected, timeout=REPLY_TIMEOUT_S)
            latencies.append(time.perf_counter() - started)

    began = time.perf_counter()
    await asyncio.gather(*(one(u) for u in users))
    return latencies, time.perf_counter() - began


async def send_text(text: str, user: EmulatedUser, _round: int) -> Callable[[ChatMessage], bool]:
    await user.send(text)
    return lambda message: True


async def press_next(user: EmulatedUser, round_: int) -> Callable[[ChatMessage], bool]:
    step = user.last_bot_message
    assert step is not None
    await user.press(step, 0)
    return lambda message, n=round_ + 2: f"Step {n} of" in message.text


async def measure(
    name: str,
    command: list[str],
    env: dict[str, str],
    emulator: BotApiEmulator,
    users: list[EmulatedUser],
    rounds: int,
    with_routine: bool,
) -> list[Result]:
    process = await asyncio.create_subprocess_exec(*command, cwd=ROOT, env=env)
    try:
        # Warm-up, not measured: the bot starts, and each user exists in its database.
        await closed_loop(users, 1, lambda u, r: send_text("/help", u, r))
        results = []
        for workload, text in WORKLOADS.items():
            latencies, seconds = await closed_loop(
                users, rounds, lambda u, r, text=text: send_text(text, u, r)
            )
            results.append(Result(name, workload, latencies, seconds))
        if with_routine:
            await closed_loop(users, 1, start_routine)
            latencies, seconds = await closed_loop(users, rounds, press_next)
            results.append(Result(name, "Next press", latencies, seconds))
        return results
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 30)


async def start_routine(user: EmulatedUser, _round: int) -> Callable[[ChatMessage], bool]:
    await user.send("/routine")
    intro = await user.wait_for_bot_message(lambda m: m.has_keyboard, timeout=REPLY_TIMEOUT_S)
    await user.press(intro, 0)
    # A daily routine asks for a 0-10 rating first; the measured presses come after it.
    rating = await user.wait_for_bot_message(
        lambda m: "Before we start" in (m.text or ""), timeout=REPLY_TIMEOUT_S
    )
    await user.press(rating, "Skip")
    return lambda message: "Step 1 of" in message.text


async def run_saturation(args: argparse.Namespace) -> int:
    """The closed loop, unchanged: every user at once, send, wait, repeat."""
    pooled: dict[tuple[str, str], Result] = {}
    with tempfile.TemporaryDirectory() as folder:
        bots = [
            ("echo (PTB)", [sys.executable, str(ROOT / "bench" / "echo_bot.py")], {}, False),
            ("this bot", [sys.executable, "-m", "bot", "run"], {}, True),
        ]
        # Alternating runs, in A-B then B-A order, spread the machine's own drift and any
        # cost of going first over both bots alike.
        for repeat in range(args.repeat):
            for name, command, extra, with_routine in bots[:: 1 if repeat % 2 == 0 else -1]:
                database_url = args.database_url or f"sqlite+aiosqlite:///{folder}/{repeat}.db"
                async with BotApiEmulator() as emulator:
                    users = [emulator.user(10_000 + i) for i in range(args.users)]
                    print(f"run {repeat + 1}/{args.repeat}: {name}...", file=sys.stderr)
                    env = child_env(emulator, DATABASE_URL=database_url, **extra)
                    for result in await measure(
                        name, command, env, emulator, users, args.rounds, with_routine
                    ):
                        key = (result.bot, result.workload)
                        if key in pooled:
                            pooled[key].latencies += result.latencies
                            pooled[key].seconds += result.seconds
                        else:
                            pooled[key] = result

    results = list(pooled.values())
    print(
        f"{args.users} concurrent users, {args.rounds} measured updates each, {args.repeat} "
        f"alternating runs per bot; {os.cpu_count()} CPU cores; "
        f"database {'as given' if args.database_url else 'SQLite'}"
    )
    print(
        f"{'bot':<14}{'workload':<14}{'updates':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'updates/s':>12}"
    )
    for result in results:
        print(result.row())
    for workload in WORKLOADS:
        ratio = pooled[("this bot", workload)].p50 / pooled[("echo (PTB)", workload)].p50
        verdict = "within" if ratio <= GOAL_RATIO else "over"
        print(f"{workload} p50, this bot / echo: {ratio:.2f} ({verdict} the goal of {GOAL_RATIO})")
    return 0


# ------------------------------------------------------------------------------ open loop

# The rows each kind of update gives: /streak has two replies, the text and the picture.
ROWS = {
    "text": ("text",),
    "help": ("/help",),
    "streak": ("/streak text", "/streak picture"),
    "press": ("Next press",),
}
# The rows pooled into "overall": one per update (the /streak picture is its second reply).
FIRST_REPLY_ROWS = ("text", "/help", "/streak text", "Next press")
ROWS_ORDER = [row for rows in ROWS.values() for row in rows]
MESSAGES = {"text": WORKLOADS["text"], "help": "/help", "streak": "/streak"}
DEFAULT_MIX = "text=4,help=2,streak=1,press=3"
# Issue 17's goals: (what, row, percentile, most this bot / echo).
OPEN_GOALS = (
    ("overall p50", "overall", 50, 2.0),
    ("overall p99", "overall", 99, 4.0),
    ("/help p99", "/help", 99, 2.0),
)
STEP = re.compile(r"Step (\d+) of")
# Start-up and each user's set-up (first update, starting a routine) before the clock starts.
SETUP_TIMEOUT_S = 60.0
HEALTH_TIMEOUT_S = 5.0
# A due send that waited longer than this for the user's previous reply counts as held.
HELD_AFTER_S = 0.001

Sample = tuple[str, float | None]  # (row, latency in seconds, or None: no reply in time)


@dataclass
class Tally:
    """One bot's measured replies in one row."""

    latencies: list[float] = field(default_factory=list)
    timeouts: int = 0

    def add(self, latency: float | None) -> None:
        if latency is None:
            self.timeouts += 1
        else:
            self.latencies.append(latency)

    def percentile_ms(self, p: float) -> float:
        """Unanswered updates count as slower than any answer (inf): a bot that drops 2% of
        its updates has no finite p99."""
        values = [x * 1000 for x in self.latencies] + [float("inf")] * self.timeouts
        return percentile(values, p) if values else float("nan")


@dataclass
class OpenRun:
    """One bot's open-loop results, pooled over its runs."""

    bot: str
    rows: defaultdict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    sent: int = 0  # measured updates sent
    held: int = 0  # of which, sent late: the user still waited for its previous reply
    worst_hold_s: float = 0.0
    dropped: int = 0  # due after the run's time bound, never sent
    restarts: int = 0  # routines started again (unmeasured) at their last step
    skipped: int = 0  # presses not made: the routine could not be started again
    lag_counts: dict[str, int] | None = None  # lag histogram of the measured windows
    lag_blocked: int = 0
    lag_worst_ms: float = 0.0
    lag_error: str | None = None
    cut_short: int = 0  # runs stopped by their overall time bound

    def overall(self) -> Tally:
        pooled = Tally()
        for row in FIRST_REPLY_ROWS:
            if row in self.rows:
                pooled.latencies += self.rows[row].latencies
                pooled.timeouts += self.rows[row].timeouts
        return pooled

    def tally(self, row: str) -> Tally:
        return self.overall() if row == "overall" else self.rows.get(row, Tally())


@dataclass
class SimUser:
    user: EmulatedUser
    presses: int = 0  # echo bot: numbers each press's data, so its echo is unmistakable


async def reply_within(
    user: EmulatedUser, predicate: Callable[[ChatMessage], bool], within_s: float
) -> ChatMessage | None:
    try:
        return await user.wait_for_bot_message(predicate, timeout=max(0.0, within_s))
    except TimeoutError:
        return None


class EchoDriver:
    """The baseline: it echoes each message, and a press's data (bench/echo_bot.py)."""

    name = "echo (PTB)"
    command = (sys.executable, str(ROOT / "bench" / "echo_bot.py"))
    health = False

    def __init__(self) -> None:
        self.restarts = self.skipped = 0

    async def setup(self, sim: SimUser, kinds: set[str]) -> None:
        # Starts the bot's connection pool and leaves a message a press can be made on.
        await sim.user.send("/help")
        await sim.user.wait_for_bot_message(timeout=SETUP_TIMEOUT_S)

    async def act(self, sim: SimUser, kind: str, due: float, within_s: float) -> list[Sample]:
        user = sim.user
        user.mark_read()
        if kind == "press":
            sim.presses += 1
            expected = f"next {sim.presses}"
            target = user.last_bot_message
            assert target is not None  # the set-up's echo at least
            await user.press_data(target, expected)
        else:
            expected = MESSAGES[kind]
            await user.send(expected)
        reply = await reply_within(user, lambda m: m.text == expected, within_s)
        latency = None if reply is None else time.perf_counter() - due
        return [(row, latency) for row in ROWS[kind]]


class ThisBotDriver:
    name = "this bot"
    command = (sys.executable, "-m", "bot", "run")
    health = True

    def __init__(self) -> None:
        self.restarts = self.skipped = 0

    async def setup(self, sim: SimUser, kinds: set[str]) -> None:
        # The user exists in the database (and its profile cache) before the clock starts.
        await sim.user.send("/help")
        await sim.user.wait_for_bot_message(timeout=SETUP_TIMEOUT_S)
        if "press" in kinds:
            await begin_routine(sim.user, SETUP_TIMEOUT_S)

    async def act(self, sim: SimUser, kind: str, due: float, within_s: float) -> list[Sample]:
        if kind == "press":
            return await self.press(sim, due, within_s)
        user = sim.user
        user.mark_read()
        sent = time.perf_counter()
        await user.send(MESSAGES[kind])
        # One update in flight per user: the first new message is the reply.
        first = await reply_within(user, lambda m: True, within_s)
        if first is None:
            return [(row, None) for row in ROWS[kind]]
        latency = time.perf_counter() - due
        if kind != "streak":
            return [(ROWS[kind][0], latency)]
        # The picture: the first reply itself (a photo with the text as its caption), or a
        # later message (the text first, then the photo).
        if first.photo is not None:
            return [("/streak text", latency), ("/streak picture", latency)]
        picture = await reply_within(
            user, lambda m: m.photo is not None, within_s - (time.perf_counter() - sent)
        )
        picture_latency = None if picture is None else time.perf_counter() - due
        return [("/streak text", latency), ("/streak picture", picture_latency)]

    async def press(self, sim: SimUser, due: float, within_s: float) -> list[Sample]:
        user = sim.user
        step = current_step(user)
        if step is None or not has_button(step, "Next"):
            # At the last step (or lost to a timeout): finish with Done and start the routine
            # again, unmeasured, and time this press from its own send.
            try:
                if step is not None and has_button(step, "Done"):
                    user.mark_read()
                    await user.press(step, "Done")
                    await user.wait_for_bot_message(timeout=within_s)
                step = await begin_routine(user, within_s)
            except (TimeoutError, LookupError):
                self.skipped += 1
                return []
            self.restarts += 1
            due = time.perf_counter()
        match = STEP.search(step.content)
        assert match is not None
        expected = f"Step {int(match.group(1)) + 1} of"
        user.mark_read()
        await user.press(step, "Next")
        reply = await reply_within(user, lambda m: expected in m.content, within_s)
        return [("Next press", None if reply is None else time.perf_counter() - due)]


def has_button(message: ChatMessage, label: str) -> bool:
    return any(label in text for text in message.button_texts)


def current_step(user: EmulatedUser) -> ChatMessage | None:
    """The routine step on screen (the latest one the bot sent), if any."""
    steps = [m for m in user.bot_messages if STEP.search(m.content)]
    return steps[-1] if steps else None


async def begin_routine(user: EmulatedUser, within_s: float = REPLY_TIMEOUT_S) -> ChatMessage:
    """/routine, Start, skip the rating: the first step. (Unlike `start_routine`, it passes over
    an earlier message with a keyboard, such as the rating asked after a routine, and starts
    again a run left open.)"""
    user.mark_read()
    await user.send("/routine")
    intro = await user.wait_for_bot_message(lambda m: has_button(m, "Start"), timeout=within_s)
    if has_button(intro, "Start again"):
        # A run left open (a reused --database-url): start it again from its introduction.
        await user.press(intro, "Start again")
        intro = await user.wait_for_bot_message(
            lambda m: any(text.endswith("Start") for text in m.button_texts), timeout=within_s
        )
    await user.press(intro, 0)
    rating = await user.wait_for_bot_message(
        lambda m: "Before we start" in m.content, timeout=within_s
    )
    await user.press(rating, "Skip")
    return await user.wait_for_bot_message(lambda m: "Step 1 of" in m.content, timeout=within_s)


async def read_loop_lag(port: int) -> dict[str, Any]:
    """The bot's event-loop report from its GET /healthz (any status: a degraded database
    check still carries the lag)."""
    async with httpx.AsyncClient(timeout=HEALTH_TIMEOUT_S) as client:
        response = await client.get(f"http://127.0.0.1:{port}/healthz")
    report: dict[str, Any] = response.json()["event_loop"]
    return report


async def sleep_until(moment: float) -> None:
    await asyncio.sleep(max(0.0, moment - time.perf_counter()))


async def drive(
    driver: EchoDriver | ThisBotDriver,
    sims: list[SimUser],
    schedule: list[Arrival],
    args: argparse.Namespace,
    health_port: int | None,
    run: OpenRun,
) -> None:
    """Play the schedule against a started bot; measured: arrivals due in the window."""
    per_user: dict[int, list[Arrival]] = defaultdict(list)
    for arrival in schedule:
        per_user[arrival.user].append(arrival)
    start = time.perf_counter() + 0.5
    window = (args.warmup, args.warmup + args.duration)
    # No send after this: a bot that stops answering ends the run, not hangs it.
    last_send = start + window[1] + args.reply_timeout

    async def one(sim: SimUser, arrivals: list[Arrival]) -> None:
        for arrival in arrivals:
            due = start + arrival.at
            measured = window[0] <= arrival.at < window[1]
            now = time.perf_counter()
            if now > last_send:
                run.dropped += measured
                continue
            if now - due > HELD_AFTER_S and measured:
                run.held += 1
                run.worst_hold_s = max(run.worst_hold_s, now - due)
            await sleep_until(due)
            samples = await driver.act(sim, arrival.kind, due, args.reply_timeout)
            if measured:
                run.sent += 1
                for row, latency in samples:
                    run.rows[row].add(latency)

    async def lag() -> None:
        if health_port is None:
            return
        try:
            await sleep_until(start + window[0])
            before = await read_loop_lag(health_port)
            await sleep_until(start + window[1])
            after = await read_loop_lag(health_port)
        except (httpx.HTTPError, KeyError, ValueError) as exc:
            run.lag_error = f"GET /healthz failed: {type(exc).__name__}: {exc}"
            return
        counts = run.lag_counts if run.lag_counts is not None else {}
        for key, value in after["lag_histogram_ms"].items():
            counts[key] = counts.get(key, 0) + value - before["lag_histogram_ms"].get(key, 0)
        run.lag_counts = counts
        run.lag_blocked += after["blocked_total"] - before["blocked_total"]
        run.lag_worst_ms = max(run.lag_worst_ms, after["worst_lag_ms_last_minute"])

    # Bounded twice: each wait has its timeout (an update's at most six: Done, a new routine
    # and the press), and the whole run this.
    try:
        async with asyncio.timeout(window[1] + 8 * args.reply_timeout + 30):
            await asyncio.gather(
                lag(), *(one(sims[u], arrivals) for u, arrivals in per_user.items())
            )
    except TimeoutError:
        run.cut_short += 1


async def run_open_bot(
    driver: EchoDriver | ThisBotDriver,
    schedule: list[Arrival],
    args: argparse.Namespace,
    database_url: str,
    run: OpenRun,
) -> None:
    kinds = {arrival.kind for arrival in schedule}
    async with BotApiEmulator() as emulator:
        sims = [SimUser(emulator.user(10_000 + i)) for i in range(args.users)]
        port = free_port() if driver.health else None
        extra = {"HEALTH_PORT": str(port)} if port is not None else {}
        env = child_env(emulator, DATABASE_URL=database_url, **extra)
        process = await asyncio.create_subprocess_exec(*driver.command, cwd=ROOT, env=env)
        try:
            await asyncio.gather(*(driver.setup(sim, kinds) for sim in sims))
            await drive(driver, sims, schedule, args, port, run)
        finally:
            process.terminate()
            await asyncio.wait_for(process.wait(), 30)
    run.restarts += driver.restarts
    run.skipped += driver.skipped


def fmt_ms(value: float, timeout_s: float) -> str:
    """A latency in ms; an unanswered one is only known to exceed the timeout."""
    return f">{timeout_s * 1000:.0f}" if value == float("inf") else f"{value:.1f}"


def fmt_ratio(value: float) -> str:
    return f"{value:.2f}" if value == value and value != float("inf") else str(value)


def ratio(mine: float, echo: float) -> float:
    if mine == float("inf"):
        return float("inf")
    return mine / echo if echo > 0 else float("nan")


def print_open(runs: dict[str, OpenRun], schedule: list[Arrival], args: argparse.Namespace) -> None:
    this, echo = runs[ThisBotDriver.name], runs[EchoDriver.name]
    window = (args.warmup, args.warmup + args.duration)
    timeout = args.reply_timeout
    print(
        f"open loop: {args.rate:g} updates/s offered by {args.users} users (mix {args.mix}, seed "
        f"{args.seed}; {offered_rate(schedule, *window):.1f}/s scheduled in the window), "
        f"{args.warmup:g} s warm-up then {args.duration:g} s measured, {args.repeat} run(s) per "
        f"bot; {os.cpu_count()} CPU cores; database {'as given' if args.database_url else 'SQLite'}"
    )
    print(
        f"{'bot':<12}{'kind':<17}{'replies':>8}{'timeouts':>9}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'p99 ms':>9}{'max ms':>9}"
    )
    rows = ["overall"] + [row for row in ROWS_ORDER if row in this.rows or row in echo.rows]
    for run in (echo, this):
        for row in rows:
            tally = run.tally(row)
            cells = "".join(
                f"{fmt_ms(tally.percentile_ms(p), timeout):>9}" for p in (50, 95, 99, 100)
            )
            print(f"{run.bot:<12}{row:<17}{len(tally.latencies):>8}{tally.timeouts:>9}{cells}")
    print()
    print(f"{'this bot / echo':<29}{'p50':>9}{'p95':>9}{'p99':>9}")
    for row in rows:
        mine, base = this.tally(row), echo.tally(row)
        cells = "".join(
            f"{fmt_ratio(ratio(mine.percentile_ms(p), base.percentile_ms(p))):>9}"
            for p in (50, 95, 99)
        )
        print(f"{row:<29}{cells}")
    print()
    for run in (echo, this):
        notes = [f"{run.sent} measured updates sent"]
        if run.held:
            notes.append(
                f"{run.held} held (due while the user still waited for a reply; worst "
                f"{run.worst_hold_s * 1000:.0f} ms late, counted in the latency)"
            )
        if run.restarts:
            notes.append(f"{run.restarts} routine(s) started again at the last step")
        if run.skipped:
            notes.append(f"{run.skipped} press(es) skipped: the routine would not start again")
        if run.dropped:
            notes.append(f"{run.dropped} never sent (the run's time bound)")
        if run.cut_short:
            notes.append(f"!!! {run.cut_short} run(s) stopped by the overall time bound !!!")
        print(f"{run.bot}: " + "; ".join(notes))
    if this.lag_counts is not None:
        lag = {p: histogram_percentile({}, this.lag_counts, p) for p in (50, 95, 99, 100)}
        bounds = ", ".join(
            f"{label} <= {value:g} ms" if value != float("inf") else f"{label} > 2000 ms"
            for label, value in zip(("p50", "p95", "p99", "max bucket"), lag.values(), strict=True)
        )
        print(
            f"event-loop lag of this bot in the measured window ({sum(this.lag_counts.values())} "
            f"samples, bucket upper bounds): {bounds}; {this.lag_blocked} block(s) over the "
            f"warning threshold; worst of the last minute {this.lag_worst_ms:.1f} ms"
        )
    else:
        print(f"event-loop lag of this bot: not read ({this.lag_error or 'no /healthz'})")
    print()
    print("issue 17's goals (this bot / echo):")
    for label, row, p, most in OPEN_GOALS:
        value = ratio(this.tally(row).percentile_ms(p), echo.tally(row).percentile_ms(p))
        met = "met" if value <= most else "NOT MET"
        if row not in rows:
            value, met = float("nan"), "not measured (not in the mix)"
        print(f"  {label + ' within ' + format(most, 'g') + 'x':<24}{fmt_ratio(value):>8}  {met}")
    unanswered = {run.bot: sum(t.timeouts for t in run.rows.values()) for run in (echo, this)}
    if any(unanswered.values()):
        detail = ", ".join(f"{bot}: {n}" for bot, n in unanswered.items())
        print(
            f"\n!!! TIMEOUTS: replies missing after {timeout:g} s ({detail}). They count as "
            "slower than any answer in the percentiles; this run is not a clean measurement. !!!"
        )


async def run_open(args: argparse.Namespace) -> int:
    try:
        mix = parse_mix(args.mix)
        schedule = arrival_schedule(
            rate=args.rate,
            users=args.users,
            seconds=args.warmup + args.duration,
            mix=mix,
            seed=args.seed,
        )
    except ValueError as exc:
        print(f"update_latency: {exc}", file=sys.stderr)
        return 2
    runs = {name: OpenRun(name) for name in (EchoDriver.name, ThisBotDriver.name)}
    with tempfile.TemporaryDirectory() as folder:
        drivers: list[EchoDriver | ThisBotDriver] = [EchoDriver(), ThisBotDriver()]
        for repeat in range(args.repeat):
            # A-B, then B-A: the machine's drift and any cost of going first fall on both.
            for driver in drivers[:: 1 if repeat % 2 == 0 else -1]:
                database_url = args.database_url or f"sqlite+aiosqlite:///{folder}/{repeat}.db"
                print(f"run {repeat + 1}/{args.repeat}: {driver.name}...", file=sys.stderr)
                driver.restarts = driver.skipped = 0
                await run_open_bot(driver, schedule, args, database_url, runs[driver.name])
    print_open(runs, schedule, args)
    return 0


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("open", "saturation"), default="open")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument(
        "--repeat", type=int, help="runs of each bot, alternating, pooled (open 3, saturation 4)"
    )
    parser.add_argument(
        "--database-url", help="a scratch database for this bot (default: fresh SQLite files)"
    )
    open_loop = parser.add_argument_group("open mode")
    open_loop.add_argument("--rate", type=float, default=20.0, help="updates/s, all users")
    open_loop.add_argument("--duration", type=float, default=60.0, help="measured seconds")
    open_loop.add_argument("--warmup", type=float, default=10.0, help="unmeasured seconds first")
    open_loop.add_argument("--mix", default=DEFAULT_MIX, help="weights: text, help, streak, press")
    open_loop.add_argument("--seed", type=int, default=1, help="of the arrival schedule")
    open_loop.add_argument(
        "--reply-timeout", type=float, default=10.0, help="seconds before a reply is missing"
    )
    saturation = parser.add_argument_group("saturation mode")
    saturation.add_argument("--rounds", type=int, default=5, help="measured messages per user")
    args = parser.parse_args()
    if args.mode == "open":
        args.repeat = args.repeat or 3
        return await run_open(args)
    args.repeat = args.repeat or 4
    return await run_saturation(args)


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
