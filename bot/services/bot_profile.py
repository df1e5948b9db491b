"""Which languages the bot's menu was last published in (see storage/published_languages.py)."""

from __future__ import annotations

from collections.abc import Collection

from bot.services.context import Services
from bot.storage import published_languages


async def published(svc: Services, bot_id: int) -> set[str]:
    async with svc.db.read() as session:
        return await published_languages.published(session, bot_id)


async def record(svc: Services, bot_id: int, codes: Collection[str]) -> None:
    async with svc.db.transaction() as session:
        await published_languages.record(session, bot_id, codes, now=svc.clock.now())
