"""A fan-out against the emulator's strict limits (a bucket of 30 drained at 30/s): the real
dispatcher in this process (build_application, then one tick), with the bot's paced rate
limiter and, as the baseline, with PTB's stock AIORateLimiter."""

from __future__ import annotations

import time
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from telegram.ext import AIORateLimiter

from bench.reminder_load import NOW, TELEGRAM_RATE, Arrivals, populate
from bot import app
from bot.app import build_application
from bot.config import load_settings
from bot.telegram import dispatcher
from bot.telegram.services import BOT_DATA_KEY
from emulator import BotApiEmulator

PACED = "paced (the bot's)"
STOCK = "PTB AIORateLimiter"


@dataclass(frozen=True)
class FanOut:
    limiter: str
    due: int
    sent: int
    # Put back for a later tick (not sent in this one) or given up.
    not_sent: int
    tick_seconds: float
    rate: float
    rate_limit_hits: int

    @property
    def share(self) -> float:
        return self.rate / TELEGRAM_RATE

    def row(self) -> str:
        return (
            f"{self.limiter:<22}{self.due:>6}{self.sent:>7}{self.not_sent:>9}"
            f"{self.tick_seconds:>9.1f}{self.rate:>8.1f}{self.share:>9.1%}{self.rate_limit_hits:>7}"
        )


HEADER = f"{'rate limiter':<22}{'due':>6}{'sent':>7}{'not sent':>9}{'tick s':>9}{'msg/s':>8}"
HEADER += f"{'of 30/s':>9}{'429s':>7}"


def _limiter(name: str) -> AbstractContextManager[object]:
    """The bot as it is built, with PTB's stock limiter in place of its own for the baseline
    (3 retries of a 429 inside the limiter, PTB's documented way to honour them)."""
    if name == PACED:
        return nullcontext()
    return mock.patch.object(app, "PacedRateLimiter", lambda: AIORateLimiter(max_retries=3))


async def fan_out(folder: Path, count: int, limiter: str) -> FanOut:
    url = f"sqlite+aiosqlite:///{folder}/fanout-{'paced' if limiter == PACED else 'stock'}.db"
    await populate(url, count, count)
    async with BotApiEmulator(rate_limits=True) as emulator:
        for i in range(1, count + 1):
            emulator.user(i)
        settings = load_settings(
            _env_file=None,
            telegram_bot_token=emulator.token,
            telegram_api_base_url=emulator.base_url,
            database_url=url,
            log_level="WARNING",
            rate_limit=True,
        )
        with _limiter(limiter):
            application = build_application(settings)
        await application.initialize()
        svc = application.bot_data[BOT_DATA_KEY]
        started = time.perf_counter()
        report = await dispatcher.tick(svc, application.bot, now=NOW)
        seconds = time.perf_counter() - started
        await application.shutdown()
        await svc.db.dispose()
        arrivals = Arrivals.of(emulator, count)
        hits = emulator.rate_limit_hits
    return FanOut(
        limiter,
        count,
        report.sent,
        report.retrying + report.failed,
        seconds,
        arrivals.rate,
        hits,
    )
