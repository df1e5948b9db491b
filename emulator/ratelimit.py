"""Telegram's flood limits for sending: ~30 messages/s overall, 20/min per group.

The default model is a leaky bucket, the same model PTB's AIORateLimiter (aiolimiter) uses on
the client side: a bot that paces itself with it never exceeds our bucket, while a strict
"count calls in the last second" window would reject it whenever it drains and refills. The
window model is available for tests that want the literal reading.

``jitter`` is how much arrival-time noise (seconds) is forgiven; the default is none, as at
Telegram: a bucket of 30, drained at 30/s. A client that lets a burst of 30 go at once (PTB's
AIORateLimiter) is refused whenever the network compresses its arrivals; the bot's own limiter
paces bulk sends evenly for that reason. ``jitter=0.25`` forgives ~7 calls at 30/s (0.08 at
20/min), for tests of a bursty client.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from typing import Literal

# Calls that Telegram counts against the flood limits (edits included: they are throttled too).
_COUNTED_PREFIXES = ("send", "editmessage")
_COUNTED_EXTRA = frozenset({"copymessage", "copymessages", "forwardmessage", "forwardmessages"})
_NOT_COUNTED = frozenset({"sendchataction"})


def is_send_type(method: str) -> bool:
    name = method.lower()
    if name in _NOT_COUNTED:
        return False
    return name.startswith(_COUNTED_PREFIXES) or name in _COUNTED_EXTRA


@dataclass(frozen=True)
class RateLimits:
    overall: tuple[int, float] = (30, 1.0)  # (calls, seconds) across all chats
    per_chat: tuple[int, float] | None = None  # any single chat, private or group
    group: tuple[int, float] | None = (20, 60.0)  # group chats (chat_id < 0)
    mode: Literal["bucket", "window"] = "bucket"
    jitter: float = 0.0


class _Bucket:
    def __init__(self, calls: int, period: float, mode: str, jitter: float) -> None:
        self.capacity = calls
        self.period = period
        self.mode = mode
        self.jitter = jitter
        self.level = 0.0
        self.last = 0.0
        self.stamps: deque[float] = deque()

    def wait_needed(self, now: float) -> float:
        """Seconds until one more call fits (0 if it fits now)."""
        if self.mode == "window":
            span = max(self.period - self.jitter, 0.0)
            while self.stamps and self.stamps[0] <= now - span:
                self.stamps.popleft()
            if len(self.stamps) < self.capacity:
                return 0.0
            return self.stamps[len(self.stamps) - self.capacity] + span - now
        self._leak(now)
        excess = self.level + 1 - self.capacity * (1 + self.jitter / self.period)
        return 0.0 if excess <= 0 else excess * self.period / self.capacity

    def take(self, now: float) -> None:
        if self.mode == "window":
            self.stamps.append(now)
        else:
            self._leak(now)
            self.level += 1

    def _leak(self, now: float) -> None:
        self.level = max(0.0, self.level - (now - self.last) * self.capacity / self.period)
        self.last = now


class RateLimiter:
    def __init__(self, limits: RateLimits) -> None:
        self.limits = limits
        self._overall = _Bucket(*limits.overall, limits.mode, limits.jitter)
        self._chats: dict[int, _Bucket] = {}
        self._groups: dict[int, _Bucket] = {}

    def _bucket(self, table: dict[int, _Bucket], chat_id: int, spec: tuple[int, float]):
        bucket = table.get(chat_id)
        if bucket is None:
            bucket = table[chat_id] = _Bucket(*spec, self.limits.mode, self.limits.jitter)
        return bucket

    def check(self, method: str, chat_id: int | None, now: float) -> int:
        """0 if the call may proceed (and count it), else the retry_after to answer with."""
        if not is_send_type(method) or chat_id is None:
            return 0
        buckets = [self._overall]
        if self.limits.per_chat is not None:
            buckets.append(self._bucket(self._chats, chat_id, self.limits.per_chat))
        if self.limits.group is not None and chat_id < 0:
            buckets.append(self._bucket(self._groups, chat_id, self.limits.group))
        wait = max(bucket.wait_needed(now) for bucket in buckets)
        if wait > 0:
            return max(1, math.ceil(wait))
        for bucket in buckets:
            bucket.take(now)
        return 0
