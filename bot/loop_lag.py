"""The event-loop lag monitor: how long a newly arrived update would wait for the loop.

Every handler shares one event loop, so anything that holds it (a picture drawn in a
coroutine, a big JSON dump, a slow synchronous call) makes every other user wait. A task wakes
every SAMPLE_INTERVAL_S and measures how late it woke: that is exactly how long an update
arriving at that moment would have waited, so the samples are a fair picture of the wait a
random update sees. A lag over the threshold (LOOP_LAG_WARN_MS) is logged as a warning and
counted; /healthz shows the worst of the last minute, the count and a cumulative histogram
(which a benchmark reads twice and subtracts to get the lag percentiles of its own run).
"""

from __future__ import annotations

import asyncio
import bisect
import logging
import time
from collections import deque
from contextlib import suppress
from typing import Any

log = logging.getLogger(__name__)

SAMPLE_INTERVAL_S = 0.05
WINDOW_S = 60.0
# A warning at most this often: a loop that is blocked again and again would otherwise write a
# line twenty times a second; the next line says how many blocks it stands for.
WARN_EVERY_S = 10.0
# Upper bounds (ms) of the histogram's buckets; the last bucket is everything above.
BUCKETS_MS = (1, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 1000, 2000)


class LoopLagMonitor:
    def __init__(self, threshold_ms: float) -> None:
        self.threshold_ms = threshold_ms
        self.blocked_total = 0
        self._recent: deque[tuple[float, float]] = deque()  # (monotonic s, lag ms)
        self._counts = [0] * (len(BUCKETS_MS) + 1)
        self._task: asyncio.Task[None] | None = None
        self._unreported = 0
        self._unreported_worst = 0.0
        self._warned_at = float("-inf")

    # ------------------------------------------------------------ lifecycle

    def start(self) -> None:
        """Start sampling in the running loop (idempotent)."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(
                self._sample_forever(), name="loop-lag-monitor"
            )

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task

    async def _sample_forever(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            due = loop.time() + SAMPLE_INTERVAL_S
            await asyncio.sleep(SAMPLE_INTERVAL_S)
            self.record(max(0.0, (loop.time() - due) * 1000), time.monotonic())

    # ------------------------------------------------------------ samples

    def record(self, lag_ms: float, at: float) -> None:
        """One sample: `lag_ms` late at monotonic time `at` (seconds)."""
        self._recent.append((at, lag_ms))
        while self._recent and self._recent[0][0] < at - WINDOW_S:
            self._recent.popleft()
        self._counts[bisect.bisect_left(BUCKETS_MS, lag_ms)] += 1
        if lag_ms > self.threshold_ms:
            self.blocked_total += 1
            self._unreported += 1
            self._unreported_worst = max(self._unreported_worst, lag_ms)
        if self._unreported and at - self._warned_at >= WARN_EVERY_S:
            log.warning(
                "event loop blocked: %d time(s) over %g ms since the last warning, worst %.0f ms "
                "(every user's update waited that long)",
                self._unreported,
                self.threshold_ms,
                self._unreported_worst,
            )
            self._warned_at = at
            self._unreported, self._unreported_worst = 0, 0.0

    def worst_recent_ms(self, now: float | None = None) -> float:
        """The worst lag of the last WINDOW_S seconds (0 without samples)."""
        now = time.monotonic() if now is None else now
        return max((lag for at, lag in self._recent if at >= now - WINDOW_S), default=0.0)

    def histogram(self) -> dict[str, int]:
        """Samples since start per bucket, keyed by the bucket's upper bound in ms ("+Inf" last)."""
        keys = [f"{bound:g}" for bound in BUCKETS_MS] + ["+Inf"]
        return dict(zip(keys, self._counts, strict=True))

    def report(self) -> dict[str, Any]:
        """The health endpoint's part."""
        return {
            "threshold_ms": self.threshold_ms,
            "worst_lag_ms_last_minute": round(self.worst_recent_ms(), 1),
            "blocked_total": self.blocked_total,
            "lag_histogram_ms": self.histogram(),
        }


def histogram_percentile(before: dict[str, int], after: dict[str, int], p: float) -> float:
    """The p-th percentile (0-100) of the samples taken between two `histogram()` readings, as
    the upper bound of the bucket it falls in (inf when it falls in the last one)."""
    counts = [after[key] - before.get(key, 0) for key in after]
    total = sum(counts)
    if total == 0:
        return 0.0
    rank = p / 100 * total
    seen = 0
    for key, count in zip(after, counts, strict=True):
        seen += count
        if seen >= rank and count:
            return float("inf") if key == "+Inf" else float(key)
    return float("inf")
