"""What the dispatcher benchmarks share: users with reminders written straight to a database,
and what the emulator saw of the reminders sent to them."""

from __future__ import annotations

import random
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, update  # noqa: E402

from bot.storage.database import Database  # noqa: E402
from bot.storage.migrate import upgrade  # noqa: E402
from bot.storage.models import Reminder, User  # noqa: E402
from emulator import BotApiEmulator  # noqa: E402

TELEGRAM_RATE = 30.0
# The in-process measurements run the dispatcher at this instant (passed to its tick).
NOW = datetime(2026, 11, 25, 7, 30, tzinfo=UTC)
CREATED = NOW - timedelta(days=30)


async def populate(url: str, users: int, due: int, now: datetime = NOW) -> None:
    """Users 1..`users` (chat id = user id) with a daily reminder; `due` of them due at `now`,
    the rest at some later minute of the day."""
    database = Database(url)
    await upgrade(database)
    rng = random.Random(7)
    async with database.transaction() as session:
        for start in range(0, users, 10_000):
            ids = range(start + 1, min(users, start + 10_000) + 1)
            await session.execute(
                insert(User),
                [
                    dict(
                        id=i,
                        chat_id=i,
                        first_name="U",
                        language="en",
                        timezone="UTC",
                        default_routine="classic",
                        created_at=CREATED,
                        updated_at=CREATED,
                    )
                    for i in ids
                ],
            )
            await session.execute(
                insert(Reminder),
                [
                    dict(
                        user_id=i,
                        local_time="07:30",
                        created_at=CREATED,
                        next_at=now if i <= due else now + timedelta(minutes=rng.randint(2, 1439)),
                    )
                    for i in ids
                ],
            )
    await database.dispose()


async def make_due(url: str, at: datetime) -> None:
    """Every reminder due at `at` (written while a bot runs on the same database)."""
    database = Database(url)
    async with database.transaction() as session:
        await session.execute(update(Reminder).values(next_at=at))
    await database.dispose()


@dataclass(frozen=True)
class Arrivals:
    """The reminders (sendMessage to users 1..count) the emulator accepted, in arrival order."""

    stamps: list[float]  # time.monotonic() when each request arrived
    per_chat: Counter[int]
    count: int

    @classmethod
    def of(cls, emulator: BotApiEmulator, count: int, since: float = 0.0) -> Arrivals:
        calls = [
            call
            for call in emulator.calls_to("sendMessage")
            if call.ok and call.at >= since and 1 <= (call.chat_id or 0) <= count
        ]
        calls.sort(key=lambda call: call.at)
        return cls([call.at for call in calls], Counter(call.chat_id for call in calls), count)

    @property
    def rate(self) -> float:
        """Messages per second, first arrival to last."""
        if len(self.stamps) < 2:
            return float("nan")
        return (len(self.stamps) - 1) / (self.stamps[-1] - self.stamps[0])

    @property
    def duplicates(self) -> int:
        return sum(n - 1 for n in self.per_chat.values() if n > 1)

    @property
    def missing(self) -> int:
        return self.count - len(self.per_chat)
