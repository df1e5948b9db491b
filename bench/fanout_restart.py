"""SIGKILL in the middle of a fan-out, then a restart at once with the same INSTANCE_ID, as in
tests/e2e/test_fanout_crash.py: how soon the restarted bot resumes sending, and whether every
user still gets exactly one reminder."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.reminder_load import Arrivals, populate
from emulator import BotApiEmulator
from emulator.state import ChatEvent
from tests.support.bot import BotProcess

INSTANCE = "bench-restart"
# What the restarted bot logs when it takes back what it left (bot/telegram/dispatcher.py).
_TAKEN_BACK = re.compile(r"resuming after a stop: (\d+) reminders left claimed .*?(\d+) were in")


@dataclass(frozen=True)
class Restart:
    due: int
    before_kill: int
    killed: bool
    # Seconds from starting the new process: ready (commands published), first reminder, last.
    ready_s: float
    first_s: float
    last_s: float
    after_restart: int
    taken_back: int
    in_flight: int
    duplicates: int
    missing: int
    rate_limit_hits: int

    def rows(self) -> list[str]:
        return [
            f"{'reminders due':<44}{self.due:>8}",
            f"{'arrived before the SIGKILL':<44}{self.before_kill:>8}",
            f"{'left claimed, taken back at once':<44}{self.taken_back:>8}",
            f"{'in flight at the kill (never sent again)':<44}{self.in_flight:>8}",
            f"{'arrived after the restart':<44}{self.after_restart:>8}",
            f"{'restart -> bot ready (s)':<44}{self.ready_s:>8.2f}",
            f"{'restart -> first resumed reminder (s)':<44}{self.first_s:>8.2f}",
            f"{'restart -> last reminder (s)':<44}{self.last_s:>8.2f}",
            f"{'users with two reminders (duplicates)':<44}{self.duplicates:>8}",
            f"{'users with none (missing)':<44}{self.missing:>8}",
            f"{'429s served':<44}{self.rate_limit_hits:>8}",
        ]


async def restart(folder: Path, count: int, kill_at: int, within: float = 120.0) -> Restart:
    url = f"sqlite+aiosqlite:///{folder}/restart.db"
    # Due half a minute ago on the real clock: the child's start-up tick finds them all.
    await populate(url, count, count, now=datetime.now(UTC) - timedelta(seconds=30))
    cwd = folder / "restart"
    cwd.mkdir()
    env = {"INSTANCE_ID": INSTANCE, "LOG_LEVEL": "WARNING", "RATE_LIMIT": "true"}
    async with BotApiEmulator(rate_limits=True) as emulator:
        for i in range(1, count + 1):
            emulator.user(i)
        first = BotProcess(emulator, url, cwd, extra_env=env)
        arrived = 0
        reached: set[int] = set()
        everyone_reached = asyncio.Event()

        def on_arrival(event: ChatEvent) -> None:
            nonlocal arrived
            if event.kind != "message" or not event.from_bot or not 1 <= event.chat_id <= count:
                return
            arrived += 1
            # From inside the emulator's request handler: the kill lands at a known point.
            if arrived == kill_at and first.process is not None:
                os.kill(first.process.pid, signal.SIGKILL)
            reached.add(event.chat_id)
            if len(reached) == count:
                everyone_reached.set()

        emulator.on_change(on_arrival)
        await first.start(within=60)
        assert first.process is not None
        await asyncio.wait_for(first.process.wait(), within)

        second = BotProcess(emulator, url, cwd, extra_env=env)
        restarted = time.monotonic()
        await second.start(within=60)
        with contextlib.suppress(TimeoutError):  # what is missing is reported
            await asyncio.wait_for(everyone_reached.wait(), within)
        await asyncio.sleep(1.0)  # a reminder sent twice would arrive by now
        await second.terminate()

        everyone = Arrivals.of(emulator, count)
        after = Arrivals.of(emulator, count, since=restarted)
        ready = min(c.at for c in emulator.calls_to("setMyCommands") if c.at >= restarted)
        hits = emulator.rate_limit_hits
    taken = _TAKEN_BACK.search(second.log())
    return Restart(
        due=count,
        before_kill=len(everyone.stamps) - len(after.stamps),
        killed=first.process.returncode == -signal.SIGKILL,
        ready_s=ready - restarted,
        first_s=(after.stamps[0] - restarted) if after.stamps else float("inf"),
        last_s=(after.stamps[-1] - restarted) if after.stamps else float("inf"),
        after_restart=len(after.stamps),
        taken_back=int(taken.group(1)) if taken else 0,
        in_flight=int(taken.group(2)) if taken else 0,
        duplicates=everyone.duplicates,
        missing=everyone.missing,
        rate_limit_hits=hits,
    )
