"""Injected faults: each kind, the exception PTB raises for it, and count/clear semantics."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from emulator import BotApiEmulator
from emulator import errors as E

from .conftest import RawApi

pytestmark = [
    pytest.mark.timeout(10),
    # PTB's own RetryAfter.__init__ reads the deprecated int retry_after.
    pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"),
]


@pytest.fixture
def alice(emu: BotApiEmulator):
    return emu.user(1001, "Alice")


async def test_429_raises_retry_after(bot: Bot, emu: BotApiEmulator, alice, api: RawApi):
    emu.faults.add("429", method="sendMessage", retry_after=7)
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(1001, "x")
    # (reading .retry_after directly would trigger PTB 22's int/timedelta deprecation warning)
    assert str(info.value) == "Flood control exceeded. Retry in 7 seconds"
    assert alice.messages == []
    emu.faults.add("429", method="sendMessage", retry_after=3)
    assert await api("sendMessage", chat_id=1001, text="x") == (
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 3",
            "parameters": {"retry_after": 3},
        },
    )
    assert emu.served_429 == 2 and emu.rate_limit_hits == 0
    await bot.send_message(1001, "now it works")
    assert [m.text for m in alice.messages] == ["now it works"]


async def test_403_500_and_502(bot: Bot, emu: BotApiEmulator, alice, http: httpx.AsyncClient):
    emu.faults.add("403", method="sendMessage")
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(1001, "x")
    emu.faults.add("500", method="sendMessage")
    with pytest.raises(NetworkError, match="Internal Server Error"):
        await bot.send_message(1001, "x")
    emu.faults.add("502", method="sendMessage")
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(1001, "x")
    emu.faults.add("502", method="getMe")
    response = await http.post(emu.method_url("getMe"))
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>502 Bad Gateway</h1>" in response.text
    assert alice.messages == []
    assert [c.fault for c in emu.calls_to("sendMessage")] == ["403", "500", "502"]


async def test_drop_closes_the_connection_without_processing(
    bot: Bot, emu: BotApiEmulator, alice
) -> None:
    emu.faults.add("drop", method="sendMessage")
    with pytest.raises(NetworkError) as info:
        await bot.send_message(1001, "x")
    assert not isinstance(info.value, BadRequest)
    assert alice.messages == []
    # The next call gets a fresh connection and works.
    await bot.send_message(1001, "y")
    assert [m.text for m in alice.messages] == ["y"]
    assert emu.calls_to("sendMessage")[0].fault == "drop"


async def test_lost_response_processes_then_drops(bot: Bot, emu: BotApiEmulator, alice) -> None:
    emu.faults.add("lost_response", method="sendMessage")
    with pytest.raises((NetworkError, TimedOut)):
        await bot.send_message(1001, "delivered but unconfirmed")
    assert [m.text for m in alice.messages] == ["delivered but unconfirmed"]
    call = emu.calls_to("sendMessage")[0]
    assert call.ok and call.fault == "lost_response" and call.result["message_id"] == 1


async def test_slow_delays_then_answers(bot: Bot, emu: BotApiEmulator, alice) -> None:
    emu.faults.add("slow", method="sendMessage", delay=0.4)
    started = time.monotonic()
    await bot.send_message(1001, "eventually")
    assert time.monotonic() - started >= 0.35
    assert alice.last_bot_message.text == "eventually"


async def test_slow_beyond_the_client_timeout_is_timed_out(emu: BotApiEmulator, alice) -> None:
    emu.faults.add("slow", method="sendMessage", delay=1.0)
    async with Bot(emu.token, base_url=emu.base_url) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(1001, "late", read_timeout=0.3)
    # Telegram still processes a request whose client gave up.
    await alice.wait_until(lambda chat: chat.messages, timeout=2)


async def test_rules_apply_count_times_then_stop(bot: Bot, emu: BotApiEmulator, alice) -> None:
    rule = emu.faults.add("500", method="sendMessage", count=2)
    for _ in range(2):
        with pytest.raises(NetworkError):
            await bot.send_message(1001, "x")
    await bot.send_message(1001, "third works")
    assert rule.fired == 2 and rule.spent and emu.faults.active == []


async def test_unlimited_rule_until_clear(bot: Bot, emu: BotApiEmulator, alice) -> None:
    emu.faults.add("500", count=None)
    for _ in range(3):
        with pytest.raises(NetworkError):
            await bot.send_message(1001, "x")
    emu.faults.clear()
    await bot.send_message(1001, "back")


async def test_wildcard_spares_get_updates_but_named_rules_hit_it(
    bot: Bot, emu: BotApiEmulator, alice
) -> None:
    emu.faults.add("500")  # "*": the next call other than getUpdates
    assert await bot.get_updates() == ()
    with pytest.raises(NetworkError):
        await bot.send_chat_action(1001, "typing")
    emu.faults.add("502", method="getUpdates")
    with pytest.raises(NetworkError):
        await bot.get_updates()


async def test_chat_filter(bot: Bot, emu: BotApiEmulator, alice) -> None:
    bob = emu.user(1002, "Bob")
    emu.faults.add("403", method="sendMessage", chat_id=1002)
    await bot.send_message(1001, "alice is fine")
    with pytest.raises(Forbidden):
        await bot.send_message(1002, "bob is not")
    await bot.send_message(1002, "only once")
    assert [m.text for m in bob.messages] == ["only once"]


async def test_rules_match_in_order(bot: Bot, emu: BotApiEmulator, alice) -> None:
    emu.faults.add("429", method=["sendMessage", "editMessageText"], retry_after=2)
    emu.faults.add("500", method="sendMessage")
    with pytest.raises(RetryAfter):
        await bot.send_message(1001, "x")
    with pytest.raises(NetworkError):
        await bot.send_message(1001, "x")
    assert [kind for kind, _ in emu.faults.history] == ["429", "500"]


def test_unknown_fault_kind_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        BotApiEmulator().faults.add("418")


async def test_drop_on_long_poll(emu: BotApiEmulator, alice, api: RawApi) -> None:
    emu.faults.add("drop", method="getUpdates")
    with pytest.raises(httpx.HTTPError):
        await api("getUpdates", timeout=1)
    await alice.send("kept")
    # Dropped polls confirm nothing, so the update is still there.
    result = await asyncio.wait_for(api.ok("getUpdates"), 2)
    assert [u["message"]["text"] for u in result] == ["kept"]
    assert E.CONFLICT_POLLING  # constant stays importable for bot-side tests
