"""Concurrent across chats, in order within a chat.

PTB's processor bounds concurrency with a semaphore taken *before* it hands us an update, so a
chat flooding us could hold every slot while its updates wait on their own lock, starving
everyone else. Hence PTB's bound is set out of reach and ours is taken *after* the chat's
lock: a chat waiting for itself never holds a slot another chat could use.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

_UNBOUNDED = 1_000_000


def chat_key(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


class PerChatUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(_UNBOUNDED)
        self.limit = max_concurrent_updates
        self._slots = asyncio.BoundedSemaphore(max_concurrent_updates)
        self._chat_locks: dict[int, asyncio.Lock] = {}
        self._chat_waiting: dict[int, int] = {}

    @property
    def tracked_chats(self) -> int:
        """Chats with an update running or waiting; idle chats are not kept."""
        return len(self._chat_locks)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = chat_key(update)
        if key is None:
            async with self._slots:
                await coroutine
            return
        lock = self._chat_locks.setdefault(key, asyncio.Lock())
        self._chat_waiting[key] = self._chat_waiting.get(key, 0) + 1
        try:
            async with lock, self._slots:
                await coroutine
        finally:
            # Forget idle chats so memory follows active chats, not every chat ever seen.
            self._chat_waiting[key] -= 1
            if self._chat_waiting[key] == 0:
                del self._chat_waiting[key]
                del self._chat_locks[key]

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass
