"""Reminders on SQLite and PostgreSQL: claims are exclusive (deliveries: see their own test)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta

from bot.storage import reminders
from bot.storage.database import Database
from tests.support import users as support_users

NOW = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)


async def add_users(db: Database, count: int) -> None:
    async with db.transaction() as session:
        await support_users.add_users(session, range(1, count + 1), now=NOW, reminder=time(7, 30))


async def test_replace_reschedule_and_switch_off(database: Database):
    await add_users(database, 1)
    async with database.transaction() as session:
        created = await reminders.replace_all(
            session, 1, [time(21, 0), time(7, 30), time(7, 30)], "Asia/Tokyo", NOW
        )
        assert [r.local_time for r in created] == ["07:30", "21:00"]
    async with database.transaction() as session:
        await reminders.reschedule(session, 1, "Europe/London", NOW)
    async with database.read() as session:
        nexts = [r.next_at for r in await reminders.of_user(session, 1)]
    assert nexts == [
        datetime(2026, 11, 25, 7, 30, tzinfo=UTC),
        datetime(2026, 11, 25, 21, 0, tzinfo=UTC),
    ]
    async with database.transaction() as session:
        await reminders.replace_all(session, 1, [], "UTC", NOW)
    async with database.read() as session:
        assert await reminders.of_user(session, 1) == []


async def test_two_concurrent_claimers_split_the_due_reminders_without_overlap(
    database: Database,
):
    await add_users(database, 60)
    later = NOW + timedelta(hours=1)

    async def claimer() -> list[int]:
        got: list[int] = []
        for _ in range(10):  # bounded: a few small batches each
            async with database.transaction() as session:
                due = await reminders.claim_due(session, later, limit=7)
                for reminder, user in due:
                    reminder.next_at += timedelta(days=1)
                    got.append(user.id)
                await asyncio.sleep(0.01)  # hold the locks a moment, as sending would
            if not due:
                break
        return got

    first, second = await asyncio.gather(claimer(), claimer())
    assert sorted(first + second) == list(range(1, 61))
    assert not set(first) & set(second)
