"""Users (and their reminders) written straight to storage, for tests below the handlers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time

from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import reminders, users


async def add_users(
    session: AsyncSession,
    user_ids: Iterable[int],
    *,
    now: datetime,
    timezone: str = "UTC",
    reminder: time | None = None,
) -> None:
    """Users whose chat id is their id, in English, optionally with one daily reminder."""
    for user_id in user_ids:
        await users.ensure(
            session,
            user_id=user_id,
            chat_id=user_id,
            first_name="U",
            language="en",
            timezone=timezone,
            now=now,
        )
        if reminder is not None:
            await reminders.replace_all(session, user_id, [reminder], timezone, now)
