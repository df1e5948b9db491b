"""Running the real bot against the emulator: in this process, or as a `python -m bot` child."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from bot.config import Settings, load_settings
from emulator import BotApiEmulator

TOKEN = "1234567:" + "E" * 35
ROOT = Path(__file__).resolve().parents[2]


def settings_for(emulator: BotApiEmulator, database_url: str, **overrides: object) -> Settings:
    base = dict(
        _env_file=None,
        telegram_bot_token=SecretStr(emulator.token),
        telegram_api_base_url=emulator.base_url,
        telegram_file_base_url=emulator.file_base_url,
        database_url=database_url,
        log_level="INFO",
        # Tests press buttons far faster than people; the flood test sets its own limit.
        flood_burst=1000,
        # Steps as text unless a test gives a folder of rendered pictures
        # (tests/e2e/test_step_pictures.py): rendering them all takes a while.
        pictures_dir=None,
    )
    base.update(overrides)
    return load_settings(**base)


def child_env(emulator: BotApiEmulator, database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=emulator.token,
        TELEGRAM_API_BASE_URL=emulator.base_url,
        TELEGRAM_FILE_BASE_URL=emulator.file_base_url,
        DATABASE_URL=database_url,
        PYTHONUNBUFFERED="1",
        FLOOD_BURST="1000",
        PICTURES_DIR="",
    )
    env.update(extra)
    return env


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now, for a child process to listen on (the
    child cannot report a port it picked itself before the test needs it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class BotProcess:
    """`python -m bot run` as a child process, started in its own folder (no stray .env),
    with the transaction guard installed (tests/support/guarded_bot.py)."""

    def __init__(
        self,
        emulator: BotApiEmulator,
        database_url: str,
        cwd: Path,
        *,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.emulator = emulator
        self.database_url = database_url
        self.cwd = cwd
        # More settings for the child (e.g. WEBHOOK_URL); LOG_LEVEL stays DEBUG unless given.
        self.extra_env = {"LOG_LEVEL": "DEBUG", **(extra_env or {})}
        self.log_path = cwd / "bot.log"
        self.process: asyncio.subprocess.Process | None = None

    async def start(self, within: float = 30.0) -> None:
        ready_before = self._ready_marks()
        env = child_env(self.emulator, self.database_url, **self.extra_env)
        # `python -m bot run` with the e2e transaction guard (tests/support/guarded_bot.py);
        # the child runs in its own folder, so it finds `tests` through PYTHONPATH.
        env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(ROOT), env.get("PYTHONPATH"))))
        with self.log_path.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "tests.support.guarded_bot",
                "run",
                cwd=self.cwd,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        # Ready once post_init has published the commands and PTB's bootstrap is through
        # (deleteWebhook before polling, setWebhook for a webhook; the emulator logs a long
        # poll only when it returns); updates sent meanwhile wait in the emulator as they
        # would at Telegram. A SIGTERM before that would meet PTB half-way through its
        # bootstrap. Bounded by `within`.
        deadline = time.monotonic() + within
        while self._ready_marks() <= ready_before:
            if self.process.returncode is not None:
                raise AssertionError(f"the bot exited early:\n{self.log()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"the bot did not start in {within} s:\n{self.log()}")
            await asyncio.sleep(0.05)

    def _ready_marks(self) -> int:
        """How many times a bot has published its commands and then finished bootstrapping."""
        marks, published = 0, False
        for call in self.emulator.calls:
            if call.method == "setMyCommands":
                published = True
            elif published and call.method in ("deleteWebhook", "setWebhook"):
                marks, published = marks + 1, False
        return marks

    async def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await asyncio.wait_for(self.process.wait(), 10)

    async def terminate(self, within: float = 20.0) -> int:
        """SIGTERM, then the exit code; a bot still running after `within` s fails the test."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.process.wait(), within)
        except TimeoutError:
            self.process.kill()
            raise AssertionError(f"the bot ignored SIGTERM for {within} s:\n{self.log()}") from None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


async def after_the_start_tick(svc: Any) -> None:
    """The tick PTB's JobQueue runs at start-up has finished: a test's own ticks are then the
    only ones (the next scheduled one is a minute away)."""
    for _ in range(200):  # bounded: 200 x 10 ms
        if svc.heartbeat.last_tick_at is not None:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the start-up tick did not run")
