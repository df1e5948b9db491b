"""Per-chat ordering with cross-chat concurrency, and no slot hoarding by a flooding chat."""

from __future__ import annotations

import asyncio

from telegram import Chat, Message, Update

from bot.telegram.update_processor import PerChatUpdateProcessor, chat_key


def update_in(chat_id: int, update_id: int) -> Update:
    chat = Chat(chat_id, Chat.PRIVATE)
    return Update(update_id, message=Message(update_id, None, chat, text="hi"))


async def test_one_chat_in_order_other_chats_concurrently():
    processor = PerChatUpdateProcessor(max_concurrent_updates=8)
    log: list[tuple[str, int, int]] = []

    async def handle(chat: int, n: int, delay: float) -> None:
        log.append(("start", chat, n))
        await asyncio.sleep(delay)
        log.append(("end", chat, n))

    await asyncio.gather(
        processor.process_update(update_in(1, 1), handle(1, 1, 0.05)),
        processor.process_update(update_in(1, 2), handle(1, 2, 0.0)),
        processor.process_update(update_in(2, 3), handle(2, 3, 0.0)),
    )
    # Chat 1's second update starts only after its first ended; chat 2 did not wait for it.
    assert log.index(("end", 1, 1)) < log.index(("start", 1, 2))
    assert log.index(("end", 2, 3)) < log.index(("end", 1, 1))
    assert processor.tracked_chats == 0


async def test_a_flooding_chat_cannot_take_every_slot():
    processor = PerChatUpdateProcessor(max_concurrent_updates=2)
    release = asyncio.Event()
    other_done = asyncio.Event()

    async def slow() -> None:
        await release.wait()

    async def quick() -> None:
        other_done.set()

    flood = [
        asyncio.create_task(processor.process_update(update_in(1, n), slow())) for n in range(10)
    ]
    await asyncio.sleep(0.01)
    await asyncio.wait_for(processor.process_update(update_in(2, 99), quick()), timeout=2)
    assert other_done.is_set()
    release.set()
    await asyncio.wait_for(asyncio.gather(*flood), timeout=2)


def test_chat_key_falls_back_to_the_user_and_to_none():
    assert chat_key(update_in(5, 1)) == 5
    assert chat_key(Update(2)) is None
    assert chat_key(object()) is None
