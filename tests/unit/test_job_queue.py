"""Stopping the JobQueue while a job runs and another comes due (the soak test's ERROR)."""

from __future__ import annotations

import asyncio
import logging

import pytest
from telegram.ext import ApplicationBuilder, JobQueue

from bot.telegram.job_queue import DrainingJobQueue


async def _stop_while_a_job_runs(job_queue: JobQueue) -> list[str]:  # type: ignore[type-arg]
    application = ApplicationBuilder().token("123:test").job_queue(job_queue).build()
    events: list[str] = []
    slow_started = asyncio.Event()

    async def slow(_context: object) -> None:
        events.append("slow started")
        slow_started.set()
        await asyncio.sleep(0.4)
        events.append("slow finished")

    async def due_meanwhile(_context: object) -> None:
        events.append("due meanwhile started")
        await asyncio.sleep(0.4)
        events.append("due meanwhile finished")

    await job_queue.start()
    job_queue.run_once(slow, when=0)
    # Comes due while stop() waits for the slow job.
    job_queue.run_once(due_meanwhile, when=0.2)
    async with asyncio.timeout(5):
        await slow_started.wait()
        await job_queue.stop(wait=True)
    assert application.job_queue is job_queue
    return events


async def test_plain_job_queue_cancels_a_job_due_while_stopping(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The behaviour the fix is for, so the test below cannot pass by accident."""
    caplog.set_level(logging.ERROR, logger="apscheduler")
    events = await _stop_while_a_job_runs(JobQueue())
    assert events == ["slow started", "due meanwhile started", "slow finished"]
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors
    assert errors[0].exc_info is not None
    assert errors[0].exc_info[0] is asyncio.CancelledError


async def test_draining_job_queue_finishes_the_running_job_and_starts_nothing_new(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="apscheduler")
    events = await _stop_while_a_job_runs(DrainingJobQueue())
    assert events == ["slow started", "slow finished"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
