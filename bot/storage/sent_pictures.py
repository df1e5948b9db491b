"""Pictures Telegram already holds: fingerprint → file_id, so an unchanged picture is sent
again by reference, neither drawn nor uploaded (see bot/telegram/pictures.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.database import insert_or_ignore, rows_matched
from bot.storage.models import SentPicture


async def file_id(session: AsyncSession, fingerprint: str) -> str | None:
    return await session.scalar(
        select(SentPicture.file_id).where(SentPicture.fingerprint == fingerprint)
    )


async def remember(
    session: AsyncSession, *, fingerprint: str, kind: str, file_id: str, now: datetime
) -> None:
    """Keep the file_id of a picture just uploaded; the first one stays when two instances
    upload the same picture at once (either file works)."""
    await session.execute(
        insert_or_ignore(
            session,
            SentPicture,
            ["fingerprint"],
            fingerprint=fingerprint,
            kind=kind,
            file_id=file_id,
            created_at=now,
        )
    )


async def forget(session: AsyncSession, fingerprint: str) -> None:
    """Telegram refused the file_id: the next time draws and uploads again."""
    await session.execute(delete(SentPicture).where(SentPicture.fingerprint == fingerprint))


async def prune(session: AsyncSession, *, before: datetime, limit: int) -> int:
    """Delete up to `limit` rows stored before `before`; how many. Each picture shows a 'today',
    so a row is of use for a day or so."""
    doomed = (
        select(SentPicture.fingerprint)
        .where(SentPicture.created_at < before)
        .limit(limit)
        .scalar_subquery()
    )
    result = await session.execute(delete(SentPicture).where(SentPicture.fingerprint.in_(doomed)))
    return rows_matched(result) or 0
