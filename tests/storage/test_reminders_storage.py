"""Reminders and deliveries on SQLite and PostgreSQL: claims are exclusive, deliveries once."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta

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


async def test_a_delivery_key_is_claimed_once(database: Database):
    await add_users(database, 1)
    claims = []
    for _ in range(2):
        async with database.transaction() as session:
            claims.append(
                await reminders.claim_delivery(
                    session,
                    user_id=1,
                    key="reminder:07:30",
                    local_date=date(2026, 11, 25),
                    due_at=NOW,
                    now=NOW,
                )
            )
    assert claims[0] is not None and claims[1] is None


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


async def test_a_crash_leaves_claimed_rows_to_send_again_and_settles_those_in_flight(
    database: Database,
):
    await add_users(database, 3)
    ids = []
    async with database.transaction() as session:
        for user_id in (1, 2, 3):
            ids.append(
                await reminders.claim_delivery(
                    session,
                    user_id=user_id,
                    key="reminder:07:30",
                    local_date=date(2026, 11, 25),
                    due_at=NOW,
                    now=NOW,
                )
            )
        # User 1's request left before the crash; user 3's arrived and was recorded.
        await reminders.mark_sending(session, ids[0], NOW)
        await reminders.finish_delivery(session, ids[2], sent=True, now=NOW)
    later = NOW + timedelta(minutes=2)
    async with database.transaction() as session:
        # Too recent: a live instance may still hold them.
        assert await reminders.settle_in_flight(session, older_than=NOW - timedelta(1)) == 0
        assert (
            await reminders.interrupted(
                session, older_than=NOW - timedelta(seconds=1), due_after=NOW, limit=10
            )
            == []
        )
    async with database.transaction() as session:
        assert await reminders.settle_in_flight(session, older_than=later) == 1
        again = await reminders.interrupted(session, older_than=later, due_after=NOW, limit=10)
        assert [(d.user_id, d.status) for d, _ in again] == [(2, reminders.CLAIMED)]
    async with database.read() as session:
        again = await reminders.interrupted(session, older_than=later, due_after=later, limit=10)
        assert again == [], "past the grace period nothing is sent again"
