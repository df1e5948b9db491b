"""Routine runs: the walkthrough's progress, stored on every step so a restart resumes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.walkthrough import Mode, RunState, RunStatus
from bot.storage.models import Run, User

OPEN_STATUSES = (RunStatus.ACTIVE.value, RunStatus.PAUSED.value)


def state_of(run: Run) -> RunState:
    return RunState(
        owner_id=run.user_id,
        step_index=run.step_index,
        step_count=run.step_count,
        status=RunStatus(run.status),
        mode=Mode(run.mode),
    )


async def get_for_update(session: AsyncSession, run_id: int) -> Run | None:
    """The run, locked until the transaction ends (a row lock on PostgreSQL; on SQLite the
    IMMEDIATE transaction already holds the write lock)."""
    return await session.get(Run, run_id, with_for_update=True)


async def get(session: AsyncSession, run_id: int) -> Run | None:
    """A run as it is, without a lock (for views that change nothing)."""
    return await session.get(Run, run_id)


async def open_run_of(session: AsyncSession, user_id: int) -> Run | None:
    return await session.scalar(
        select(Run).where(Run.user_id == user_id, Run.status.in_(OPEN_STATUSES)).with_for_update()
    )


async def start(
    session: AsyncSession,
    *,
    user_id: int,
    routine_id: str,
    locale: str,
    step_count: int,
    mode: Mode,
    now: datetime,
    step_ids: str | None = None,
    step_note: str | None = None,
) -> Run:
    """A new run at its first step; any open run of the user is replaced by it (closed, and
    its buttons say so)."""
    await session.execute(
        update(Run)
        .where(Run.user_id == user_id, Run.status.in_(OPEN_STATUSES))
        .values(status=RunStatus.REPLACED.value, ended_at=now)
    )
    run = Run(
        user_id=user_id,
        routine_id=routine_id,
        locale=locale,
        step_index=0,
        step_count=step_count,
        step_ids=step_ids,
        step_note=step_note,
        status=RunStatus.ACTIVE.value,
        mode=mode.value,
        step_started_at=now,
        started_at=now,
    )
    session.add(run)
    await session.flush()
    return run


def apply_state(run: Run, state: RunState, now: datetime) -> None:
    if state.step_index != run.step_index or state.status.value != run.status:
        run.step_started_at = now
    run.step_index = state.step_index
    run.status = state.status.value
    run.mode = state.mode.value
    if not state.status.is_open:
        run.ended_at = now


async def set_message(session: AsyncSession, run_id: int, step: int, message_id: int) -> None:
    """Remember which message shows the step, unless the run has moved on meanwhile."""
    await session.execute(
        update(Run).where(Run.id == run_id, Run.step_index == step).values(message_id=message_id)
    )


async def active_hands_free(session: AsyncSession) -> list[tuple[Run, User]]:
    """Every active hands-free run with its user."""
    rows = await session.execute(
        select(Run, User)
        .join(User, User.id == Run.user_id)
        .where(Run.status == RunStatus.ACTIVE.value, Run.mode == Mode.HANDS_FREE.value)
    )
    return [(run, user) for run, user in rows]
