"""The bot instances of the soak: real child processes, started, SIGKILLed and restarted.

Each instance keeps its port across restarts (the balancer's backend list is fixed, as in a
load balancer's config); each run of a process (an incarnation) writes its own log file, so a
log always belongs to one process.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from emulator import BotApiEmulator
from tests.support.bot import ROOT, child_env, free_port

RUNNER = "tests.soak.clocked_bot"


@dataclass
class Incarnation:
    """One process of an instance."""

    instance: str
    number: int
    log_path: Path
    process: asyncio.subprocess.Process
    started_at: float = field(default_factory=time.monotonic)
    killed_at: float | None = None
    # The simulated instant of the kill, for counterexamples.
    killed_sim: datetime | None = None

    @property
    def label(self) -> str:
        return f"{self.instance}#{self.number}"

    @property
    def alive(self) -> bool:
        return self.process.returncode is None


class Instance:
    def __init__(
        self,
        name: str,
        emulator: BotApiEmulator,
        database_url: str,
        folder: Path,
        clock_file: Path,
        env: dict[str, str],
    ) -> None:
        self.name = name
        self.port = free_port()
        self.folder = folder
        self.tick_file = folder / f"tick-{name}.txt"
        self._env = child_env(
            emulator,
            database_url,
            PYTHONPATH=str(ROOT),
            WEBHOOK_LISTEN="127.0.0.1",
            WEBHOOK_PORT=str(self.port),
            SOAK_CLOCK_FILE=str(clock_file),
            SOAK_TICK_FILE=str(self.tick_file),
            **env,
        )
        self.incarnations: list[Incarnation] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def current(self) -> Incarnation | None:
        return self.incarnations[-1] if self.incarnations else None

    @property
    def alive(self) -> bool:
        return self.current is not None and self.current.alive

    async def start(self) -> Incarnation:
        assert not self.alive, f"{self.name} is already running"
        # A restarted process is not ready until it has ticked itself.
        self.tick_file.unlink(missing_ok=True)
        number = len(self.incarnations) + 1
        log_path = self.folder / f"bot-{self.name}-{number}.log"
        with log_path.open("ab") as log:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                RUNNER,
                cwd=self.folder,
                env=self._env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        incarnation = Incarnation(self.name, number, log_path, process)
        self.incarnations.append(incarnation)
        return incarnation

    async def kill(self, simulated: datetime) -> Incarnation:
        incarnation = self.current
        assert incarnation is not None and incarnation.alive, f"{self.name} is not running"
        os.kill(incarnation.process.pid, signal.SIGKILL)
        incarnation.killed_at = time.monotonic()
        incarnation.killed_sim = simulated
        await asyncio.wait_for(incarnation.process.wait(), 10)
        return incarnation

    async def terminate(self, within: float = 20.0) -> int | None:
        """SIGTERM at the end of the soak; the exit code (None if it was not running)."""
        incarnation = self.current
        if incarnation is None or not incarnation.alive:
            return None
        incarnation.process.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(incarnation.process.wait(), within)
        except TimeoutError:
            incarnation.process.kill()
            await incarnation.process.wait()
            return -signal.SIGKILL

    def last_tick(self) -> tuple[str, datetime] | None:
        """The runner's record of its last tick: ("start" | "done", simulated instant)."""
        try:
            state, instant = self.tick_file.read_text().split()
        except (FileNotFoundError, ValueError):
            return None
        return state, datetime.fromisoformat(instant)

    def ticked(self, at: datetime) -> bool:
        """Whether this process has finished a tick at `at` or later."""
        last = self.last_tick()
        return last is not None and last[0] == "done" and last[1] >= at

    def idle(self) -> bool:
        """Not in the middle of a tick (a process still starting up counts as idle)."""
        last = self.last_tick()
        return last is None or last[0] == "done"
