"""Which updates the bot has finished handling, and which a SIGKILL lost.

An update is finished when an instance logs its `update id=...` line (after the handler has
sent its replies). It is lost when the instance that accepted it (answered the webhook POST
200) was killed before logging that line: Telegram counts it as delivered and never sends it
again, so the user sees no answer and may try again.
"""

# Every wait here takes its own timeout by design.
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable

from tests.soak.balancer import Balancer
from tests.soak.instances import Incarnation, Instance
from tests.soak.logs import LogFile

LOST = "lost"
TIMEOUT = "timeout"
# How often the logs are read: often while someone waits (each wait adds half of it to a
# conversation), rarely otherwise.
POLL_S = 0.004
IDLE_POLL_S = 0.05


class UpdateTracker:
    def __init__(self, instances: list[Instance], balancer: Balancer) -> None:
        self.instances = instances
        self.files: dict[str, LogFile] = {}
        # update id -> (incarnation label, outcome)
        self.finished: dict[int, tuple[str, str]] = {}
        # update id -> the incarnation that accepted it
        self.accepted: dict[int, str] = {}
        self.lost: set[int] = set()
        self._waiters: dict[int, list[asyncio.Future[str]]] = {}
        self._task: asyncio.Task[None] | None = None
        self._someone_waits = asyncio.Event()
        balancer.on_accept = self._on_accept

    def _on_accept(self, update_id: int, index: int) -> None:
        current = self.instances[index].current
        if current is not None:
            self.accepted[update_id] = current.label

    def log_files(self) -> list[LogFile]:
        for instance in self.instances:
            for incarnation in instance.incarnations:
                if incarnation.label not in self.files:
                    self.files[incarnation.label] = LogFile(incarnation.log_path, incarnation.label)
        return list(self.files.values())

    def poll(self) -> None:
        for log in self.log_files():
            for update_id in log.read_new():
                self.finished[update_id] = (log.label, log.finished[update_id])
                self._resolve(update_id, log.finished[update_id])

    def died(self, incarnation: Incarnation) -> list[int]:
        """After a kill: every update that process accepted and did not finish is lost."""
        self.poll()  # whatever it logged before dying
        lost = [
            update_id
            for update_id, label in self.accepted.items()
            if label == incarnation.label and update_id not in self.finished
        ]
        for update_id in lost:
            self.lost.add(update_id)
            self._resolve(update_id, LOST)
        return lost

    def _resolve(self, update_id: int, outcome: str) -> None:
        for future in self._waiters.pop(update_id, []):
            if not future.done():
                future.set_result(outcome)

    def outcome(self, update_id: int) -> str | None:
        if update_id in self.finished:
            return self.finished[update_id][1]
        return LOST if update_id in self.lost else None

    async def wait(self, update_ids: Iterable[int], timeout: float) -> dict[int, str]:
        """Each update's outcome ("ok", "error", "dropped", LOST), or TIMEOUT."""
        loop = asyncio.get_running_loop()
        futures: dict[int, asyncio.Future[str]] = {}
        for update_id in update_ids:
            future: asyncio.Future[str] = loop.create_future()
            known = self.outcome(update_id)
            if known is not None:
                future.set_result(known)
            else:
                self._waiters.setdefault(update_id, []).append(future)
                self._someone_waits.set()
            futures[update_id] = future
        if futures:
            await asyncio.wait(futures.values(), timeout=timeout)
        for update_id, future in futures.items():
            if not future.done():
                waiting = self._waiters.get(update_id, [])
                if future in waiting:
                    waiting.remove(future)
                if not waiting:
                    self._waiters.pop(update_id, None)
        return {
            update_id: future.result() if future.done() else TIMEOUT
            for update_id, future in futures.items()
        }

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="soak-update-tracker")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self.poll()

    async def _run(self) -> None:
        while True:
            self.poll()
            if self._waiters:
                await asyncio.sleep(POLL_S)
                continue
            self._someone_waits.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._someone_waits.wait(), IDLE_POLL_S)
