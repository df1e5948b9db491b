"""SQLite's one writer taken in turn: a person's transaction waits at most for the one already
running, never for the reminder fan-out's queue; each kind first come, first served."""

from __future__ import annotations

import asyncio

import pytest

from bot.storage.database import WriterQueue


async def test_people_go_before_queued_background_writers_and_each_kind_keeps_its_order():
    queue = WriterQueue()
    order: list[str] = []
    release = asyncio.Event()

    async def write(name: str, background: bool, hold: asyncio.Event | None = None) -> None:
        async with queue.turn(background=background):
            order.append(name)
            if hold is not None:
                await hold.wait()

    running = asyncio.create_task(write("fan-out 0", True, release))
    await asyncio.sleep(0)
    tasks = [asyncio.create_task(write(f"fan-out {n}", True)) for n in (1, 2, 3)]
    await asyncio.sleep(0)
    tasks += [asyncio.create_task(write(f"press {n}", False)) for n in (1, 2)]
    await asyncio.sleep(0)
    release.set()
    await asyncio.wait_for(asyncio.gather(running, *tasks), 2)
    assert order == ["fan-out 0", "press 1", "press 2", "fan-out 1", "fan-out 2", "fan-out 3"]


async def test_a_cancelled_waiter_gives_its_turn_up():
    queue = WriterQueue()
    release = asyncio.Event()

    async def hold() -> None:
        async with queue.turn(background=True):
            await release.wait()

    holder = asyncio.create_task(hold())
    await asyncio.sleep(0)
    waiting = asyncio.create_task(queue.turn(background=False).__aenter__())
    await asyncio.sleep(0)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    release.set()
    await holder
    async with asyncio.timeout(1), queue.turn(background=False):
        pass  # the writer is free again
