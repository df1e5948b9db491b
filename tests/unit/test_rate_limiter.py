"""The bot's rate limiter against the emulator's strict 30/s bucket: bulk sends are evenly
paced and never refused, a person's reply overtakes a fan-out, and 429s are retried by one
layer only (the limiter for replies, the dispatcher for bulk sends)."""

from __future__ import annotations

import asyncio

import pytest
from telegram.error import RetryAfter
from telegram.ext import ExtBot

from bot.telegram.rate_limiter import (
    BULK_CEILING,
    RATE,
    Departure,
    FloodBucket,
    PacedRateLimiter,
)
from emulator import BotApiEmulator

TOKEN = "1234567:" + "R" * 35


def _departure() -> Departure:
    async def nothing() -> None:
        return None

    return Departure(nothing)


@pytest.fixture
async def emulator():
    async with BotApiEmulator(TOKEN, rate_limits=True) as emu:
        for user_id in range(1, 101):
            emu.user(user_id, f"U{user_id}")
        yield emu


@pytest.fixture
async def bot(emulator):
    bot = ExtBot(TOKEN, base_url=emulator.base_url, rate_limiter=PacedRateLimiter())
    async with bot:
        yield bot


async def test_a_fan_out_is_paced_evenly_under_the_strict_bucket(emulator, bot):
    await asyncio.gather(
        *(bot.send_message(i, "reminder", rate_limit_args=_departure()) for i in range(1, 76))
    )
    assert emulator.served_429 == 0
    stamps = [call.at for call in emulator.calls_to("sendMessage")]
    assert len(stamps) == 75
    # Evenly spaced, 1/RATE apart: no burst at the start (as a bucket of 30 would allow)
    # beyond the BULK_CEILING requests that find the bucket empty.
    assert stamps[-1] - stamps[0] >= (75 - BULK_CEILING) / RATE * 0.97
    assert stamps[10] - stamps[0] >= (10 - BULK_CEILING) / RATE * 0.97, "no burst"


async def test_a_persons_reply_overtakes_a_fan_out(emulator, bot):
    fan_out = [
        asyncio.create_task(bot.send_message(i, "reminder", rate_limit_args=_departure()))
        for i in range(1, 61)
    ]
    await asyncio.sleep(0.5)  # the fan-out is under way, most of it still queued
    sent_before = len(emulator.calls_to("sendMessage"))
    await bot.send_message(100, "your next step")
    order = [call.params["chat_id"] for call in emulator.calls_to("sendMessage")]
    assert order.index(100) <= sent_before + 1, "at most the one bulk send already leaving"
    await asyncio.gather(*fan_out)
    assert emulator.served_429 == 0


async def test_a_429_is_retried_for_a_reply_but_not_for_a_bulk_send(emulator, bot):
    emulator.faults.add("429", method="sendMessage", chat_id=1, retry_after=1)
    emulator.faults.add("429", method="sendMessage", chat_id=2, retry_after=1)
    await bot.send_message(1, "a reply")  # retried inside the limiter after the pause
    with pytest.raises(RetryAfter):
        await bot.send_message(2, "a reminder", rate_limit_args=_departure())
    sends = [call.params["chat_id"] for call in emulator.calls_to("sendMessage")]
    assert sends.count(1) == 2 and sends.count(2) == 1


async def test_calls_that_are_not_messages_never_wait(emulator, bot):
    await asyncio.gather(
        *(bot.send_message(i, "reminder", rate_limit_args=_departure()) for i in range(1, 31))
    )
    bucket = bot.rate_limiter.bucket
    assert bucket.level > 0
    # A chat action is not counted: it goes at once, and leaves the bucket as it was.
    before = bucket.level
    await bot.send_chat_action(5, "typing")
    assert bucket.level <= before


async def test_the_bucket_wakes_waiters_in_order_and_bulk_after_people():
    bucket = FloodBucket(rate=200.0, interactive_ceiling=3, bulk_ceiling=1)
    order: list[str] = []

    async def take(name: str, bulk: bool) -> None:
        await bucket.acquire(bulk)
        order.append(name)

    tasks = [asyncio.create_task(take(f"b{i}", True)) for i in range(5)]
    await asyncio.sleep(0)
    tasks += [asyncio.create_task(take(f"p{i}", False)) for i in range(4)]
    await asyncio.wait_for(asyncio.gather(*tasks), 5)
    assert order[0] == "b0", "the first bulk request found the bucket empty"
    people = [order.index(f"p{i}") for i in range(4)]
    assert people == sorted(people) and max(people) < order.index("b1")
    assert [n for n in order if n.startswith("b")] == [f"b{i}" for i in range(5)]


async def test_a_cancelled_waiter_gives_its_place_up():
    bucket = FloodBucket(rate=100.0, interactive_ceiling=1, bulk_ceiling=1)
    await bucket.acquire(False)
    waiting = asyncio.create_task(bucket.acquire(True))
    await asyncio.sleep(0)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    await asyncio.wait_for(bucket.acquire(True), 1)
