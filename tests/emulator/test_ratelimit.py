"""Flood limits: off by default, 429 with retry_after when on, compatible with AIORateLimiter."""

from __future__ import annotations

import asyncio

import pytest
from telegram import Bot
from telegram.error import RetryAfter

from emulator import BotApiEmulator, RateLimits
from emulator.ratelimit import RateLimiter, is_send_type

from .conftest import TOKEN, RawApi

pytestmark = [
    pytest.mark.timeout(10),
    pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"),
]


def test_which_calls_count() -> None:
    assert is_send_type("sendMessage") and is_send_type("sendphoto")
    assert is_send_type("editMessageText") and is_send_type("copyMessage")
    assert not is_send_type("sendChatAction")
    assert not is_send_type("getUpdates") and not is_send_type("answerCallbackQuery")


def test_bucket_refills_over_time() -> None:
    limiter = RateLimiter(RateLimits(overall=(30, 1.0), group=None, jitter=0))
    assert all(limiter.check("sendMessage", 1, 100.0) == 0 for _ in range(30))
    assert limiter.check("sendMessage", 1, 100.0) == 1
    assert limiter.check("getMe", None, 100.0) == 0  # not counted
    assert limiter.check("sendMessage", 1, 100.1) == 0  # 3 calls drained in 0.1 s
    assert limiter.check("sendMessage", 1, 101.2) == 0


def test_window_mode_is_strict() -> None:
    limiter = RateLimiter(RateLimits(overall=(30, 1.0), group=None, jitter=0, mode="window"))
    assert all(limiter.check("sendMessage", 1, 100.0) == 0 for _ in range(30))
    assert limiter.check("sendMessage", 1, 100.5) == 1  # still 30 within the last second
    assert limiter.check("sendMessage", 1, 101.01) == 0


def test_group_and_per_chat_limits() -> None:
    limiter = RateLimiter(RateLimits(per_chat=(2, 1.0), group=(20, 60.0), jitter=0))
    assert limiter.check("sendMessage", 5, 0.0) == 0
    assert limiter.check("sendMessage", 5, 0.0) == 0
    assert limiter.check("sendMessage", 5, 0.0) == 1
    assert limiter.check("sendMessage", 6, 0.0) == 0  # other chats are unaffected
    groups = RateLimiter(RateLimits(group=(20, 60.0), jitter=0))
    now = 0.0
    for _ in range(20):
        now += 0.05
        assert groups.check("sendMessage", -100, now) == 0
    assert groups.check("sendMessage", -100, now) == 3  # one slot drips back every 3 s
    assert groups.check("sendMessage", -200, now) == 0


async def test_off_by_default(bot: Bot, emu: BotApiEmulator) -> None:
    emu.user(1001, "Alice")
    await asyncio.gather(*(bot.send_message(1001, str(i)) for i in range(40)))
    assert emu.served_429 == 0


async def test_burst_beyond_30_per_second_gets_429() -> None:
    # The default limits are Telegram's, strictly: a bucket of 30 drained at 30/s.
    async with BotApiEmulator(TOKEN, rate_limits=True) as emu:
        for user_id in range(1, 41):
            emu.user(user_id, f"U{user_id}")
        import httpx

        async with httpx.AsyncClient() as http:
            api = RawApi(emu, http)
            results = [await api("sendMessage", chat_id=i, text="hi") for i in range(1, 41)]
        statuses = [status for status, _ in results]
        assert statuses[:30] == [200] * 30
        assert 429 in statuses[30:]
        body = next(body for status, body in results if status == 429)
        assert body["description"].startswith("Too Many Requests: retry after ")
        assert body["parameters"]["retry_after"] >= 1
        assert emu.served_429 == emu.rate_limit_hits == statuses.count(429)


async def test_ptb_raises_retry_after_for_group_flood() -> None:
    async with BotApiEmulator(TOKEN, rate_limits=RateLimits(jitter=0)) as emu:
        emu.group(-100123, "Friends")
        async with Bot(TOKEN, base_url=emu.base_url) as bot:
            for index in range(20):
                await bot.send_message(-100123, str(index))
            with pytest.raises(RetryAfter):
                await bot.send_message(-100123, "one too many")
