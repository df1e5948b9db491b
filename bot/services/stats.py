"""What /stats tells the people who run the bot: aggregate counts, no personal data."""

from __future__ import annotations

from datetime import datetime

from bot.services.context import Services
from bot.storage import stats
from bot.storage.stats import Stats


async def gather(svc: Services, now: datetime) -> Stats:
    """The counts at `now` ("today" is the UTC day)."""
    async with svc.db.read() as session:
        return await stats.gather(session, now)
