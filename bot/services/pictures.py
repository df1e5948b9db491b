"""The pictures Telegram already holds: the file_id of each picture a bot sent, keyed by the
bot and by what it shows (bot/pictures/fingerprint.py), so the same picture is sent again
without drawing or uploading it."""

from __future__ import annotations

from bot.services.context import Services
from bot.storage import sent_pictures


async def known_file_id(svc: Services, bot_id: int, fingerprint: str) -> str | None:
    async with svc.db.read() as session:
        return await sent_pictures.file_id(session, bot_id, fingerprint)


async def forget(svc: Services, bot_id: int, fingerprint: str) -> None:
    """Telegram refused the stored file_id: the picture is drawn and uploaded again."""
    async with svc.db.transaction() as session:
        await sent_pictures.forget(session, bot_id, fingerprint)


async def remember(svc: Services, bot_id: int, fingerprint: str, kind: str, file_id: str) -> None:
    async with svc.db.transaction() as session:
        await sent_pictures.remember(
            session,
            bot_id=bot_id,
            fingerprint=fingerprint,
            kind=kind,
            file_id=file_id,
            now=svc.clock.now(),
        )
