"""Puffiness check-ins: what the user said, before and after de-puffing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Checkin

BEFORE, AFTER = "before", "after"
# The "cause" of the before/after ratings around a daily routine (not a de-puffing check-in).
DAILY = "daily"


async def record(
    session: AsyncSession,
    *,
    user_id: int,
    cause: str,
    phase: str,
    rating: int,
    red_flag: str | None,
    now: datetime,
) -> Checkin:
    checkin = Checkin(
        user_id=user_id,
        cause=cause,
        phase=phase,
        rating=rating,
        red_flag=red_flag,
        created_at=now,
    )
    session.add(checkin)
    await session.flush()
    return checkin


async def latest_before(
    session: AsyncSession, user_id: int, cause: str, since: datetime
) -> Checkin | None:
    """The last "before" rating for this cause since `since`, to compare an "after" with."""
    return await session.scalar(
        select(Checkin)
        .where(
            Checkin.user_id == user_id,
            Checkin.cause == cause,
            Checkin.phase == BEFORE,
            Checkin.created_at >= since,
        )
        .order_by(Checkin.created_at.desc(), Checkin.id.desc())
        .limit(1)
    )


async def of_user(
    session: AsyncSession, user_id: int, since: datetime | None = None
) -> list[Checkin]:
    """The user's check-ins in time order, all of them or those from `since` on."""
    query = select(Checkin).where(Checkin.user_id == user_id)
    if since is not None:
        query = query.where(Checkin.created_at >= since)
    return list(await session.scalars(query.order_by(Checkin.created_at, Checkin.id)))
