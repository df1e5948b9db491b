"""The transaction guard itself (tests/support/txn_guard.py): it must trip on a Bot API call
made inside a write transaction, and only then, or the e2e suite proves nothing."""

from __future__ import annotations

import asyncio
import inspect
from datetime import date
from typing import Any

import pytest

from bot.pictures import CalendarLabels, streak_calendar
from bot.storage import users
from bot.telegram.services import BOT_DATA_KEY, Services
from tests.support.bot import BotProcess
from tests.support.guarded_bot import PROBE_ENV
from tests.support.txn_guard import HEAVY, READ, WRITE, HeldReadWarning, TransactionGuard

CHAT = 4242


def _line_of(marker: str) -> int:
    """The line of this file that holds `marker` (so the test does not hard-code numbers)."""
    lines = inspect.getsource(inspect.getmodule(_line_of)).splitlines()  # type: ignore[arg-type]
    return next(n for n, line in enumerate(lines, start=1) if f"# {marker}" in line)


@pytest.fixture
async def chat(emulator):
    user = emulator.user(CHAT, first_name="Guard")
    await user.send("/start")  # the bot knows the chat, so sendMessage to it is valid
    await user.wait_for_bot_message(timeout=10)
    return user


async def test_a_send_inside_a_write_transaction_fails_the_test(bot, chat, transaction_guard):
    guard: TransactionGuard = transaction_guard
    svc: Services = bot.bot_data[BOT_DATA_KEY]
    guard.take(WRITE)  # whatever /start did is not this test's business
    async with svc.db.transaction():  # txn-open: the violation
        await bot.bot.send_message(CHAT, "inside")  # txn-send
    await bot.bot.send_message(CHAT, "after the commit")
    with pytest.raises(AssertionError, match="held a write transaction") as failed:
        guard.check()
    assert "test_txn_guard.py" in str(failed.value)
    [finding] = guard.take(WRITE)
    assert finding.call == "sendMessage"
    here = "tests/e2e/test_txn_guard.py"
    test = "test_a_send_inside_a_write_transaction_fails_the_test"
    assert finding.opened_at == f"{here}:{_line_of('txn-open')} ({test})"
    assert finding.made_from[0] == f"{here}:{_line_of('txn-send')} ({test})"
    guard.check()  # taken: nothing left to fail on


async def test_a_task_started_inside_sees_the_transaction_until_it_closes(
    bot, chat, transaction_guard
):
    guard: TransactionGuard = transaction_guard
    svc: Services = bot.bot_data[BOT_DATA_KEY]
    guard.take(WRITE)
    release = asyncio.Event()

    async def send_later() -> None:
        await release.wait()
        await bot.bot.send_message(CHAT, "from a child task, after the parent committed")

    async with svc.db.transaction():
        # gather() runs the send in a child task; the parent waits for it holding the lock.
        await asyncio.gather(bot.bot.send_message(CHAT, "from a child task, lock held"))
        later = asyncio.create_task(send_later())
    release.set()
    await asyncio.wait_for(later, 10)
    found = guard.take(WRITE)
    assert len(found) == 1 and found[0].call == "sendMessage"


async def test_another_task_is_not_blamed_for_a_transaction_it_does_not_hold(
    bot, chat, transaction_guard
):
    guard: TransactionGuard = transaction_guard
    svc: Services = bot.bot_data[BOT_DATA_KEY]
    guard.take(WRITE)
    held, sent = asyncio.Event(), asyncio.Event()

    async def hold() -> None:
        async with svc.db.transaction():
            held.set()
            await sent.wait()

    holder = asyncio.create_task(hold())
    await asyncio.wait_for(held.wait(), 10)
    await bot.bot.send_message(CHAT, "while someone else holds the lock")
    sent.set()
    await asyncio.wait_for(holder, 10)
    assert guard.take(WRITE) == []


async def test_a_send_inside_a_read_transaction_is_reported_apart(bot, chat, transaction_guard):
    guard: TransactionGuard = transaction_guard
    svc: Services = bot.bot_data[BOT_DATA_KEY]
    guard.take(READ)
    async with svc.db.read():
        await bot.bot.send_message(CHAT, "inside a read")
    assert guard.take(WRITE) == []
    with pytest.warns(HeldReadWarning, match="read transaction"):
        guard.check()
    [finding] = guard.take(READ)
    assert finding.kind == READ


async def test_a_child_process_is_guarded_too(emulator, sqlite_url, tmp_path, transaction_guard):
    """`python -m bot` children run through tests/support/guarded_bot.py; with the probe on,
    the child publishes its commands inside a write transaction, and the guard sees it."""
    guard: TransactionGuard = transaction_guard
    child = BotProcess(emulator, sqlite_url, tmp_path, extra_env={PROBE_ENV: "1"})
    await child.start()
    try:
        found = guard.take(WRITE)
    finally:
        code = await child.terminate()
        assert code == 0, child.log()
    assert {finding.call for finding in found} == {"setMyCommands"}
    assert all("guarded_bot.py" in finding.opened_at for finding in found)


async def test_a_picture_drawn_inside_a_write_transaction_fails_the_test(bot, transaction_guard):
    guard: TransactionGuard = transaction_guard
    svc: Services = bot.bot_data[BOT_DATA_KEY]
    today = date(2026, 11, 25)
    streak_calendar(today, {today}, set(), labels=CalendarLabels.english())  # outside: fine
    async with svc.db.transaction():  # heavy-open
        streak_calendar(today, {today}, set(), labels=CalendarLabels.english())
    with pytest.raises(AssertionError, match="Pictures drawn"):
        guard.check()
    [finding] = guard.take(HEAVY)
    test = "test_a_picture_drawn_inside_a_write_transaction_fails_the_test"
    assert finding.call == "PIL.Image.new"
    assert finding.opened_at == f"tests/e2e/test_txn_guard.py:{_line_of('heavy-open')} ({test})"
    assert finding.made_from[0].startswith("bot/pictures/")
    guard.check()


async def test_a_handler_that_sends_inside_its_transaction_is_caught(
    bot, emulator, monkeypatch, transaction_guard
):
    """The same through a real update: a new user's first message creates the account in a
    write transaction (bot.services.accounts.ensure_user); here the storage call also sends."""
    guard: TransactionGuard = transaction_guard
    ensure = users.ensure

    async def ensure_and_send(session: Any, **values: Any) -> Any:
        found = await ensure(session, **values)
        await bot.bot.send_chat_action(values["chat_id"], "typing")
        return found

    monkeypatch.setattr(users, "ensure", ensure_and_send)
    newcomer = emulator.user(CHAT + 1, first_name="New")
    await newcomer.send("/help")
    await newcomer.wait_for_bot_message(timeout=10)
    [finding] = guard.take(WRITE)
    assert finding.call == "sendChatAction"
    assert finding.opened_at.startswith("bot/services/accounts.py:")
    assert finding.opened_at.endswith("(ensure_user)")
