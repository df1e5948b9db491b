"""End-to-end: the real Application, over real HTTP, against the project's Bot API emulator."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.app import build_application, running
from emulator import BotApiEmulator
from tests.support.bot import TOKEN, settings_for
from tests.support.clock import FakeClock
from tests.support.txn_guard import TransactionGuard


@pytest.fixture(autouse=True)
def transaction_guard(monkeypatch: pytest.MonkeyPatch):
    """Every e2e test: no Bot API call while the calling task holds a write transaction (on
    SQLite the writer lock would wait for Telegram); see tests/support/txn_guard.py. Autouse
    fixtures are set up first, so the bot's HTTP client is built with the guard's hook."""
    guard = TransactionGuard()
    guard.watch(monkeypatch.setattr)
    yield guard
    guard.check()


@pytest.fixture
async def emulator():
    async with BotApiEmulator(token=TOKEN) as emu:
        yield emu
        # Every button press must be answered exactly once, whatever the test did.
        assert emu.unanswered_callback_queries() == []
        assert emu.callback_queries_answered_twice() == []


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 25, 8, 0, tzinfo=UTC))


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"


@pytest.fixture
async def bot(emulator: BotApiEmulator, sqlite_url: str, clock: FakeClock):
    application = build_application(settings_for(emulator, sqlite_url), clock=clock)
    async with running(application):
        yield application
