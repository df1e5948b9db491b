"""The languages the bot's menu and descriptions were published in, per bot: Telegram keeps a
menu per language until it is deleted, and cannot list them, so a language removed from
content/ is known here and its menu deleted at the next start."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.database import insert_or_ignore
from bot.storage.models import PublishedLanguage


async def published(session: AsyncSession, bot_id: int) -> set[str]:
    rows = await session.scalars(
        select(PublishedLanguage.language_code).where(PublishedLanguage.bot_id == bot_id)
    )
    return set(rows)


async def record(
    session: AsyncSession, bot_id: int, codes: Collection[str], *, now: datetime
) -> None:
    """The languages published now, and only them ("" is the default, for every language)."""
    await session.execute(
        delete(PublishedLanguage).where(
            PublishedLanguage.bot_id == bot_id, PublishedLanguage.language_code.not_in(codes)
        )
    )
    for code in codes:
        await session.execute(
            insert_or_ignore(
                session,
                PublishedLanguage,
                ["bot_id", "language_code"],
                bot_id=bot_id,
                language_code=code,
                published_at=now,
            )
        )
