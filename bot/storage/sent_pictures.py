"""Pictures Telegram already holds: (bot, fingerprint) → file_id, so an unchanged picture is
sent again by reference, neither drawn nor uploaded (see bot/telegram/pictures.py). Keyed by
the bot too: Telegram accepts a file_id only from the bot that received it."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import delete, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.database import insert_or_ignore, rows_matched
from bot.storage.models import SentPicture


async def file_id(session: AsyncSession, bot_id: int, fingerprint: str) -> str | None:
    return await session.scalar(
        select(SentPicture.file_id).where(
            SentPicture.bot_id == bot_id, SentPicture.fingerprint == fingerprint
        )
    )


async def remember(
    session: AsyncSession, *, bot_id: int, fingerprint: str, kind: str, file_id: str, now: datetime
) -> None:
    """Keep the file_id of a picture just uploaded; the first one stays when two instances
    upload the same picture at once (either file works)."""
    await session.execute(
        insert_or_ignore(
            session,
            SentPicture,
            ["bot_id", "fingerprint"],
            bot_id=bot_id,
            fingerprint=fingerprint,
            kind=kind,
            file_id=file_id,
            created_at=now,
        )
    )


async def forget(session: AsyncSession, bot_id: int, fingerprint: str) -> None:
    """Telegram refused the file_id: the next time draws and uploads again."""
    await session.execute(
        delete(SentPicture).where(
            SentPicture.bot_id == bot_id, SentPicture.fingerprint == fingerprint
        )
    )


async def prune(
    session: AsyncSession, *, before: datetime, limit: int, keep_kinds: Collection[str] = ()
) -> int:
    """Delete up to `limit` rows stored before `before`, except those of `keep_kinds`; how
    many. A calendar or a chart shows a 'today', so its row is of use for a day or so; a
    step's picture is the same for as long as the content is (kept)."""
    doomed = (
        select(SentPicture.bot_id, SentPicture.fingerprint)
        .where(SentPicture.created_at < before, SentPicture.kind.not_in(keep_kinds))
        .limit(limit)
    )
    result = await session.execute(
        delete(SentPicture).where(tuple_(SentPicture.bot_id, SentPicture.fingerprint).in_(doomed))
    )
    return rows_matched(result) or 0
