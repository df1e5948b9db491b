"""Polling mode serves /healthz on HEALTH_PORT, with the event loop's lag, like webhook mode."""

from __future__ import annotations

import asyncio
import socket

import httpx

from emulator import BotApiEmulator
from tests.support.bot import BotProcess, free_port


async def test_polling_bot_serves_health_with_the_loop_lag(emulator: BotApiEmulator, tmp_path):
    port = free_port()
    bot = BotProcess(
        emulator,
        f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        tmp_path,
        extra_env={"HEALTH_PORT": str(port), "LOOP_LAG_WARN_MS": "80"},
    )
    await bot.start()
    try:
        async with httpx.AsyncClient() as http:
            # The monitor samples every 50 ms from the end of start-up; the bot may be ready
            # before its first sample. Bounded: 40 x 50 ms.
            for _ in range(40):
                response = await http.get(f"http://127.0.0.1:{port}/healthz")
                assert response.status_code == 200, response.text
                report = response.json()
                if sum(report["event_loop"]["lag_histogram_ms"].values()) > 0:
                    break
                await asyncio.sleep(0.05)
        assert report["mode"] == "polling"
        assert report["database"] == "ok"
        assert report["event_loop"]["threshold_ms"] == 80
        assert sum(report["event_loop"]["lag_histogram_ms"].values()) > 0
    finally:
        assert await bot.terminate() == 0


async def test_a_busy_health_port_stops_the_start_with_one_line(emulator, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        bot = BotProcess(
            emulator,
            f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
            tmp_path,
            extra_env={"HEALTH_PORT": str(port)},
        )
        env_start = bot.start(within=20)
        try:
            await env_start
        except AssertionError as exc:
            assert "exited early" in str(exc)
        else:
            raise AssertionError("the bot started although its health port was taken")
        assert bot.process is not None and bot.process.returncode == 2
        assert (
            f"Cannot start: Setting HEALTH_LISTEN/HEALTH_PORT: cannot listen on 127.0.0.1:{port}"
            in bot.log()
        )
        assert "Traceback" not in bot.log()
