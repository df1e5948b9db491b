"""Per-user flood control: a token bucket per user, bounded in memory.

A person tapping fast gets a burst; a script sending 50 messages in 10 seconds gets the burst
and then one update per refill interval, the rest dropped. Pure: the caller passes the time.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from enum import StrEnum


class Verdict(StrEnum):
    PASS = "pass"
    # Over the limit, and the first drop since the user was last let through: say so once.
    WARN = "warn"
    DROP = "drop"


@dataclass
class _Bucket:
    tokens: float
    at: float
    warned: bool = False


class FloodGuard:
    def __init__(self, burst: int, refill_seconds: float, max_users: int = 100_000) -> None:
        self._burst = burst
        self._refill = refill_seconds
        self._max_users = max_users
        self._buckets: OrderedDict[int, _Bucket] = OrderedDict()

    def check(self, user_id: int, now: float) -> Verdict:
        """Take one token for this update, if there is one."""
        bucket = self._buckets.pop(user_id, None)
        if bucket is None:
            bucket = _Bucket(tokens=float(self._burst), at=now)
        else:
            gained = max(0.0, now - bucket.at) / self._refill
            bucket.tokens = min(float(self._burst), bucket.tokens + gained)
            bucket.at = now
        self._buckets[user_id] = bucket  # most recent last: the oldest are forgotten first
        if len(self._buckets) > self._max_users:
            self._buckets.popitem(last=False)
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            bucket.warned = False
            return Verdict.PASS
        if bucket.warned:
            return Verdict.DROP
        bucket.warned = True
        return Verdict.WARN
