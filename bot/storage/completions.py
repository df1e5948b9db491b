"""Completions: (user, ritual day, routine), unique, the history behind streaks."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Completion


async def record(
    session: AsyncSession,
    *,
    user_id: int,
    local_date: date,
    routine_id: str,
    run_id: int | None,
    now: datetime,
) -> bool:
    """Record a completion; False when that routine was already done that day (no error)."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(Completion)
        .values(
            user_id=user_id,
            local_date=local_date,
            routine_id=routine_id,
            run_id=run_id,
            completed_at=now,
        )
        .on_conflict_do_nothing(index_elements=["user_id", "local_date", "routine_id"])
    )
    result = await session.execute(statement)
    return result.rowcount == 1


async def count_for_day(session: AsyncSession, user_id: int, local_date: date) -> int:
    return (
        await session.scalar(
            select(func.count())
            .select_from(Completion)
            .where(Completion.user_id == user_id, Completion.local_date == local_date)
        )
        or 0
    )
