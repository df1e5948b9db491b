"""Counts for the operators' /stats: a handful of aggregate queries, no personal data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Executable, func, select, union
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import deliveries, reminders
from bot.storage.models import Checkin, Completion, Delivery, Run, User


@dataclass(frozen=True)
class Stats:
    users: int
    active_7_days: int
    with_reminders: int
    reminders_sent_today: int
    completions_today: int
    blocked: int


async def gather(session: AsyncSession, now: datetime) -> Stats:
    """ "Today" is the UTC day; "active" means started a routine or checked in."""
    today = datetime(now.year, now.month, now.day, tzinfo=UTC)
    week_ago = now - timedelta(days=7)
    active = union(
        select(Run.user_id).where(Run.started_at >= week_ago),
        select(Checkin.user_id).where(Checkin.created_at >= week_ago),
    ).subquery()

    async def count(statement: Executable) -> int:
        return await session.scalar(statement) or 0

    return Stats(
        users=await count(select(func.count()).select_from(User)),
        active_7_days=await count(select(func.count()).select_from(active)),
        with_reminders=await reminders.users_with_reminders(session),
        reminders_sent_today=await count(
            select(func.count())
            .select_from(Delivery)
            .where(Delivery.status == deliveries.SENT, Delivery.sent_at >= today)
        ),
        completions_today=await count(
            select(func.count()).select_from(Completion).where(Completion.completed_at >= today)
        ),
        blocked=await count(
            select(func.count()).select_from(User).where(User.blocked_at.is_not(None))
        ),
    )
