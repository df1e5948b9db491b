"""Rest days (bot.storage.models.RestDay): marked by a red flag or a stop-sign, read by the
routine and check-in handlers, the reminder dispatcher and the streak."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import RestDay

STOP_SIGN = "stop_sign"


async def mark(session: AsyncSession, user_id: int, day: date, reason: str, now: datetime) -> None:
    """Make `day` a rest day for `reason` (marking it twice changes nothing)."""
    if await session.get(RestDay, (user_id, day, reason)) is None:
        session.add(RestDay(user_id=user_id, local_date=day, reason=reason, created_at=now))
        await session.flush()


async def clear(session: AsyncSession, user_id: int, day: date, reason: str) -> None:
    """Take back one reason for `day` (a stop-sign answered "no" the same day)."""
    await session.execute(
        delete(RestDay).where(
            RestDay.user_id == user_id, RestDay.local_date == day, RestDay.reason == reason
        )
    )


async def reasons_on(session: AsyncSession, user_id: int, day: date) -> list[str]:
    """Why `day` is a rest day, in the order the reasons were given (empty: it is not)."""
    rows = await session.scalars(
        select(RestDay.reason)
        .where(RestDay.user_id == user_id, RestDay.local_date == day)
        .order_by(RestDay.created_at, RestDay.reason)
    )
    return list(rows)


async def dates_since(session: AsyncSession, user_id: int, since: date | None) -> set[date]:
    """The user's rest dates from `since` on (all of them for None)."""
    query = select(RestDay.local_date).where(RestDay.user_id == user_id)
    if since is not None:
        query = query.where(RestDay.local_date >= since)
    return set(await session.scalars(query.distinct()))


async def dates_since_many(
    session: AsyncSession, user_ids: list[int], since: date
) -> dict[int, frozenset[date]]:
    """Rest dates from `since` on for several users in one query (users without any are
    left out)."""
    if not user_ids:
        return {}
    rows = await session.execute(
        select(RestDay.user_id, RestDay.local_date)
        .where(RestDay.user_id.in_(user_ids), RestDay.local_date >= since)
        .distinct()
    )
    found: dict[int, set[date]] = {}
    for user_id, day in rows:
        found.setdefault(user_id, set()).add(day)
    return {user_id: frozenset(days) for user_id, days in found.items()}
