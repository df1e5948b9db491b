"""Completions: (user, ritual day, routine), unique, the history behind streaks."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.database import insert_or_ignore, rows_matched
from bot.storage.models import Completion


async def record(
    session: AsyncSession,
    *,
    user_id: int,
    local_date: date,
    routine_id: str,
    run_id: int | None,
    timezone: str,
    now: datetime,
) -> bool:
    """Record a completion; False when that routine was already done that day (no error)."""
    statement = insert_or_ignore(
        session,
        Completion,
        ["user_id", "local_date", "routine_id"],
        user_id=user_id,
        local_date=local_date,
        routine_id=routine_id,
        run_id=run_id,
        completed_at=now,
        timezone=timezone,
    )
    result = await session.execute(statement)
    return rows_matched(result) == 1


async def dates_since(session: AsyncSession, user_id: int, first: date) -> list[date]:
    """The ritual date of each completion from `first` on (one item per routine done)."""
    return list(
        await session.scalars(
            select(Completion.local_date).where(
                Completion.user_id == user_id, Completion.local_date >= first
            )
        )
    )


async def count_for_day(session: AsyncSession, user_id: int, local_date: date) -> int:
    return (
        await session.scalar(
            select(func.count())
            .select_from(Completion)
            .where(Completion.user_id == user_id, Completion.local_date == local_date)
        )
        or 0
    )
