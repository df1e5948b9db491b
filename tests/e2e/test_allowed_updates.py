"""The bot asks Telegram for exactly the update types its handlers handle (ALLOWED_UPDATES), in
polling and in webhook mode, in this process and as `python -m bot run`.

What it does not ask for never arrives: the emulator, like Telegram, drops it.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from bot.app import build_application
from bot.telegram.handlers import ALLOWED_UPDATES
from bot.webhook import serving
from emulator import BotApiEmulator
from tests.support.bot import BotProcess, free_port, settings_for

PUBLIC_URL = "https://bot.example.com/hook"
SECRET = "allowed-updates-" + "S" * 20


def asked_for(emulator: BotApiEmulator, method: str) -> list[Any]:
    """The allowed_updates of every call of `method`, as the bot sent them."""
    return [call.params.get("allowed_updates") for call in emulator.calls if call.method == method]


async def wait_for_call(emulator: BotApiEmulator, method: str, within: float = 15.0) -> None:
    deadline = time.monotonic() + within
    while not asked_for(emulator, method):
        if time.monotonic() > deadline:
            raise AssertionError(f"no {method} within {within} s")
        await asyncio.sleep(0.05)


async def test_polling_asks_for_the_handled_types_and_an_edit_is_not_delivered(emulator, bot):
    alice = emulator.user(1001, first_name="Alice", language_code="en")
    sent = await alice.send("/help")
    assert "/routine" in (await alice.wait_for_bot_message(timeout=10)).text
    polls = asked_for(emulator, "getUpdates")
    assert polls and all(asked == list(ALLOWED_UPDATES) for asked in polls), polls
    assert emulator.state.allowed_updates == set(ALLOWED_UPDATES)

    # An edited command is not asked for, so it never arrives: the next answer is to the next
    # message (one chat's updates are handled in order, so an answer to the edit would come
    # first), and nothing else is answered.
    await alice.edit(sent, "/routine")
    await alice.send("/safety")
    answer = await alice.wait_for_bot_message(timeout=10)
    assert "Not today: skip the massage when" in answer.text
    await asyncio.sleep(0.5)  # an answer takes milliseconds here
    assert len(alice.bot_messages) == 2
    assert emulator.pending_updates == []


async def test_webhook_mode_registers_the_handled_types(emulator, sqlite_url, clock):
    settings = settings_for(
        emulator,
        sqlite_url,
        webhook_url=PUBLIC_URL,
        webhook_secret=SECRET,
        webhook_listen="127.0.0.1",
    )
    async with serving(build_application(settings, clock=clock), settings, port=0):
        assert asked_for(emulator, "setWebhook") == [list(ALLOWED_UPDATES)]
        assert emulator.state.allowed_updates == set(ALLOWED_UPDATES)


async def test_a_polling_process_asks_for_the_handled_types(emulator, sqlite_url, tmp_path):
    child = BotProcess(emulator, sqlite_url, tmp_path)
    await child.start()
    try:
        await wait_for_call(emulator, "getUpdates")
    finally:
        assert await child.terminate() == 0, child.log()
    polls = asked_for(emulator, "getUpdates")
    assert all(asked == list(ALLOWED_UPDATES) for asked in polls), polls


async def test_a_webhook_process_registers_the_handled_types(emulator, sqlite_url, tmp_path):
    env = {
        "WEBHOOK_URL": PUBLIC_URL,
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(free_port()),
    }
    child = BotProcess(emulator, sqlite_url, tmp_path, extra_env=env)
    await child.start()
    try:
        await wait_for_call(emulator, "setWebhook")
    finally:
        assert await child.terminate() == 0, child.log()
    assert asked_for(emulator, "setWebhook") == [list(ALLOWED_UPDATES)]
    assert asked_for(emulator, "getUpdates") == []
