"""Update latency with many concurrent users: this bot beside a bare PTB echo bot, same run.

Each simulated user sends a message, waits for the reply, and sends the next (a closed loop),
all users at once. Latency runs from the update being handed to the emulator to the bot's reply
arriving there, over real HTTP. Both bots run as child processes with the same concurrency
setting and without a rate limiter (the emulator enforces none here), so the difference is the
bot's own work: database transaction, content, rendering.

    python bench/update_latency.py [--users 200] [--rounds 5] [--database-url URL]

Prints a table; the goal is this bot's p50 within 1.3x of the echo bot's for the same
messages. Needs the machine to itself: anything else running skews both bots.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.emulator import BotApiEmulator, ChatMessage, EmulatedUser  # noqa: E402

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


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5, help="measured messages per user")
    parser.add_argument(
        "--repeat", type=int, default=4, help="runs of each bot, alternating, pooled"
    )
    parser.add_argument(
        "--database-url", help="a scratch database for this bot (default: fresh SQLite files)"
    )
    args = parser.parse_args()

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


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
