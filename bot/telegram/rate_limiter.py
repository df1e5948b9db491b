"""Keeping under Telegram's flood limits without making people wait for the reminders.

Telegram allows a bot about 30 messages a second overall (and 20 a minute in a group) and
answers 429 with `retry_after` beyond that. PTB's AIORateLimiter lets a burst of 30 go at
once, treats every request alike, and retries 429s inside itself. Here instead:
- One bucket models Telegram's (about 30 a second, drained continuously), kept a little under
  the limit (`RATE`). Bulk sends (the reminder fan-out) go only while the bucket is nearly
  empty, so they leave evenly spaced, with no burst that a strict 30/s bucket would refuse.
  People's replies may use the rest of the bucket, so they pass at once even mid fan-out.
- A 429 pauses everything for `retry_after`. A reply is retried here (its one retry layer);
  a bulk send is not: the dispatcher puts it back to be sent (its own, single retry layer).
- A bulk send may carry a hook that runs the moment its request leaves (see departure.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

Hook = Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class Departure:
    """`rate_limit_args` of a bulk send: `before_send` runs each time its request leaves
    (see departure.py)."""

    before_send: Hook


# Telegram's ~30 messages/s, with a margin for the network's jitter in arrival times.
RATE = 29.5
# How full the bucket may be before a request waits: a person's reply may use most of
# Telegram's burst; a bulk send leaves only when the bucket is as good as empty.
INTERACTIVE_CEILING = 20.0
BULK_CEILING = 2.0
GROUP_PER_MINUTE = 20
# A reply that met a 429 is tried this many more times.
INTERACTIVE_RETRIES = 2
# Requests that Telegram counts as messages (send*, edits, copies, forwards; not chat actions).
_NOT_COUNTED = frozenset({"sendchataction"})
_COUNTED_PREFIXES = ("send", "editmessage", "copymessage", "forwardmessage")


def counts_as_message(endpoint: str) -> bool:
    name = endpoint.lower()
    return name.startswith(_COUNTED_PREFIXES) and name not in _NOT_COUNTED


class FloodBucket:
    """A leaky bucket with two queues: interactive requests wait only when the bucket is
    above INTERACTIVE_CEILING and always go before bulk ones, which wait until it is below
    BULK_CEILING. Waiters are woken by one timer, in order, never by polling."""

    def __init__(
        self,
        rate: float = RATE,
        interactive_ceiling: float = INTERACTIVE_CEILING,
        bulk_ceiling: float = BULK_CEILING,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.rate = rate
        self._ceilings = {False: interactive_ceiling, True: bulk_ceiling}
        self._clock = clock
        self.level = 0.0
        self._last: float | None = None
        self._queues: dict[bool, deque[asyncio.Future[None]]] = {False: deque(), True: deque()}
        self._timer: asyncio.TimerHandle | None = None
        # No request leaves before this instant (after a 429, for everyone).
        self.paused_until = 0.0

    def _now(self) -> float:
        return self._clock() if self._clock else asyncio.get_running_loop().time()

    def _leak(self) -> float:
        now = self._now()
        if self._last is not None:
            self.level = max(0.0, self.level - (now - self._last) * self.rate)
        self._last = now
        return now

    def _delay(self, bulk: bool) -> float:
        """Seconds until one more request of this kind fits (0: now)."""
        now = self._leak()
        over = self.level + 1 - self._ceilings[bulk]
        return max(over / self.rate if over > 1e-9 else 0.0, self.paused_until - now, 0.0)

    def _ahead(self, bulk: bool) -> bool:
        """Someone who goes first is already waiting."""
        return bool(self._queues[False] or (bulk and self._queues[True]))

    def pause(self, seconds: float) -> None:
        self.paused_until = max(self.paused_until, self._now() + seconds)

    async def acquire(self, bulk: bool) -> None:
        if not self._ahead(bulk) and self._delay(bulk) == 0:
            self.level += 1
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queues[bulk].append(waiter)
        self._rearm()
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter in self._queues[bulk]:
                self._queues[bulk].remove(waiter)
            elif waiter.done() and not waiter.cancelled():
                self.level = max(0.0, self.level - 1)  # its slot was never used
            self._rearm()
            raise

    def _rearm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        heads = [bulk for bulk in (False, True) if self._queues[bulk]]
        if not heads:
            return
        if self._queues[False]:
            heads = [False]  # bulk waits while any person does
        delay = min(self._delay(bulk) for bulk in heads)
        self._timer = asyncio.get_running_loop().call_later(delay, self._release)

    def _release(self) -> None:
        self._timer = None
        for bulk in (False, True):
            queue = self._queues[bulk]
            while queue and not (bulk and self._queues[False]):
                if queue[0].done():  # cancelled meanwhile
                    queue.popleft()
                    continue
                if self._delay(bulk) > 0:
                    break
                self.level += 1
                queue.popleft().set_result(None)
        self._rearm()


class PacedRateLimiter(BaseRateLimiter[Departure | None]):
    """PTB's rate limiter interface over a FloodBucket. `rate_limit_args` is a Departure for a
    bulk send (the dispatcher's), None for everything else."""

    def __init__(self, bucket: FloodBucket | None = None) -> None:
        self.bucket = bucket or FloodBucket()
        self._groups: dict[int | str, AsyncLimiter] = {}
        # Bulk sends take their slot and run their departure hook one at a time: a hook that
        # waits (for the database) must not let the slots taken meanwhile leave as a burst.
        self._bulk_turn = asyncio.Lock()

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    def _group_limiter(self, chat_id: int | str) -> AsyncLimiter:
        limiter = self._groups.get(chat_id)
        if limiter is None:
            if len(self._groups) > 512:  # forget idle groups
                for key in [k for k, v in self._groups.items() if v.has_capacity(v.max_rate)]:
                    del self._groups[key]
            limiter = self._groups[chat_id] = AsyncLimiter(GROUP_PER_MINUTE, 60)
        return limiter

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Departure | None,
    ) -> Any:
        chat_id: Any = data.get("chat_id")  # an id, an "@channel" name, or absent
        # Other calls (answers to presses, chat actions) never wait for a slot.
        counted = chat_id is not None and counts_as_message(endpoint)
        group = _group_of(chat_id) if counted else None
        departure = rate_limit_args if isinstance(rate_limit_args, Departure) else None
        for attempt in range(INTERACTIVE_RETRIES + 1):
            await self._take_turn(counted, group, departure)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                seconds = self._pause_for(exc)
                # A bulk send goes back to the dispatcher, which has its own retry.
                if departure is not None or attempt == INTERACTIVE_RETRIES:
                    raise
                log.warning(
                    "Telegram asked to slow down (429, retry after %.0f s); retrying %s",
                    seconds,
                    endpoint,
                )
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _take_turn(
        self, counted: bool, group: int | str | None, departure: Departure | None
    ) -> None:
        """Wait for this request's slot (the group's, then the bucket's), then run its
        departure hook, if any, right before it leaves."""
        bulk = departure is not None
        async with self._bulk_turn if bulk else contextlib.nullcontext():
            if counted:
                group_limit = self._group_limiter(group) if group is not None else None
                async with group_limit or contextlib.nullcontext():
                    await self.bucket.acquire(bulk)
            if departure is not None:
                await departure.before_send()

    def _pause_for(self, exc: RetryAfter) -> float:
        """Hold every request for Telegram's `retry_after` (and a little), in seconds."""
        wait = exc.retry_after
        seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
        self.bucket.pause(seconds + 0.1)
        return seconds


def _group_of(chat_id: Any) -> int | str | None:
    """The group or channel a message goes to, which has a limit of its own (negative ids and
    "@channel" names); None for a private chat."""
    with contextlib.suppress(TypeError, ValueError):
        chat_id = int(chat_id)
    if isinstance(chat_id, str) or (isinstance(chat_id, int) and chat_id < 0):
        return chat_id
    return None
