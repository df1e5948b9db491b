"""The soak's steps: simulated time moves on only once every live instance has finished its tick
at the current instant, an instance that was just restarted and is still starting included.

Seed 610144450 showed why: B was restarted at 12:45Z and A killed in the same step; at 13:00Z
B was alive but not yet ticking, the step did not wait for it, and the clock moved to 13:15Z
while B's first tick was sending the 13:00Z reminders (logged by B as `tick at 13:00`, stamped
by the harness and by the bot's own records at 13:15Z), so they were judged a step late.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from tests.soak import run
from tests.soak.clocked_bot import TickRecord
from tests.soak.instances import Instance
from tests.soak.run import Soak, SoakConfig

T = datetime(2026, 10, 28, 13, 0, tzinfo=UTC)
# Bounds on each test (real seconds).
WITHIN_S = 10.0


class _Process:
    """An instance as the steps see it: its process state, and the real tick file (written by
    the runner's own TickRecord, read by Instance's own methods)."""

    last_tick = Instance.last_tick
    ticked = Instance.ticked

    def __init__(self, name: str, folder: Path, *, alive: bool = True) -> None:
        self.name = name
        self.alive = alive
        self.tick_file = folder / f"tick-{name}.txt"
        self.record = TickRecord(self.tick_file)


def _soak(tmp_path: Path, *instances: _Process) -> Soak:
    soak = Soak(SoakConfig(seed=1), "postgresql+asyncpg://unused", tmp_path)
    soak.instances = list(instances)  # fakes with the protocol the steps use
    soak.now = T
    return soak


async def test_a_step_waits_for_an_instance_still_starting_to_finish_its_first_tick(tmp_path):
    # Just restarted: alive, no tick file yet (Instance.start removes the old one).
    starting = _Process("B", tmp_path)
    soak = _soak(tmp_path, starting)

    async def comes_up() -> None:
        await asyncio.sleep(0.3)  # starting up
        starting.record.write("start", T)
        await asyncio.sleep(0.2)  # sending what is due at T
        starting.record.write("done", T)

    up = asyncio.create_task(comes_up())
    await asyncio.wait_for(soak._wait_ticks(), WITHIN_S)
    assert starting.ticked(T), "the step went on before the restarted instance had ticked at T"
    await up
    assert not soak.journal.findings


async def test_a_step_waits_for_the_tick_at_now_not_an_earlier_one(tmp_path):
    behind = _Process("A", tmp_path)
    behind.record.write("done", datetime(2026, 10, 28, 12, 45, tzinfo=UTC))
    soak = _soak(tmp_path, behind)

    async def ticks() -> None:
        await asyncio.sleep(0.2)
        behind.record.write("done", T)

    ticking = asyncio.create_task(ticks())
    await asyncio.wait_for(soak._wait_ticks(), WITHIN_S)
    assert behind.ticked(T)
    await ticking


async def test_an_instance_that_is_down_is_not_waited_for(tmp_path):
    down = _Process("A", tmp_path, alive=False)
    ticking = _Process("B", tmp_path)
    ticking.record.write("done", T)
    soak = _soak(tmp_path, down, ticking)
    await asyncio.wait_for(soak._wait_ticks(), WITHIN_S)
    assert not soak.journal.findings


async def test_an_instance_that_never_ticks_is_reported_and_the_step_goes_on(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "TICK_WITHIN_S", 0.2)
    stuck = _Process("B", tmp_path)
    soak = _soak(tmp_path, stuck)
    await asyncio.wait_for(soak._wait_ticks(), WITHIN_S)
    [finding] = soak.journal.of("tick")
    assert "B did not finish a tick" in finding.text
