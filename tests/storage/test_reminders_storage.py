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


async def test_a_reminder_due_and_not_yet_sent_stays_due_when_another_time_is_switched(
    database: Database,
):
    """Found by the soak test: a user switched 12:30 on in the minute their 07:30 reminder was
    due, before the tick (or, with no instance up, before the next one within the grace period)
    claimed it; the 07:30 row was rewritten to tomorrow and today's reminder never came."""
    await add_users(database, 1)
    due_at = datetime(2026, 11, 25, 7, 30, tzinfo=UTC)
    async with database.read() as session:
        assert [r.next_at for r in await reminders.of_user(session, 1)] == [due_at]
    just_after = due_at + timedelta(seconds=20)
    async with database.transaction() as session:
        times = await reminders.toggle(session, 1, time(12, 30), "UTC", just_after, on=True)
    assert times == [time(7, 30), time(12, 30)]
    async with database.transaction() as session:
        due = await reminders.claim_due(session, just_after, limit=10)
        assert [(r.local_time, r.next_at) for r, _ in due] == [("07:30", due_at)]
    # And switched off again, the other time keeps its row too.
    async with database.transaction() as session:
        await reminders.toggle(session, 1, time(12, 30), "UTC", just_after, on=False)
    async with database.read() as session:
        assert [(r.local_time, r.next_at) for r in await reminders.of_user(session, 1)] == [
            ("07:30", due_at)
        ]


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
