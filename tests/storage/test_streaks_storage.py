"""The stored streak summary on SQLite and PostgreSQL: kept in step with the completions
through travel, late-logged days and a change of day-start hour; one row to read; and the
schema the migrations build is the one the models describe."""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import update

from bot.domain.local_time import ritual_date
from bot.domain.streaks import recompute
from bot.storage import streaks, users
from bot.storage.database import Database
from bot.storage.models import Base, StreakSummary
from tests.support.users import add_users

START = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
ZONES = ["UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Europe/Berlin", "Asia/Kathmandu"]
FOUR = time(4, 0)


async def test_the_stored_summary_follows_history_through_travel_and_late_logging(
    database: Database,
):
    async with database.transaction() as session:
        await add_users(session, [1], now=START)
    rng = random.Random(20261125)  # fixed: the same history on both backends, every run
    at, zone = START, "UTC"
    for _ in range(120):  # bounded
        at += timedelta(hours=rng.choice([3, 20, 24, 26, 30, 49, 75]))
        if rng.random() < 0.2:
            zone = rng.choice(ZONES)
        day = ritual_date(at, zone, FOUR) - timedelta(days=int(rng.random() < 0.15))
        async with database.transaction() as session:
            await users.update_settings(session, 1, now=at, timezone=zone)
            await streaks.count_completion(
                session,
                user_id=1,
                timezone=zone,
                day_starts_at=FOUR,
                local_date=day,
                routine_id=rng.choice(["classic", "quick", "self-logged"]),
                run_id=None,
                now=at,
            )
        async with database.read() as session:
            assert await streaks.check(session, 1, FOUR, "UTC"), f"diverged at {at}"
    async with database.read() as session:
        summary = await streaks.load(session, 1)
        history = await streaks.history(session, 1, FOUR, "UTC")
    assert summary == recompute(history, FOUR)[0]
    assert summary.best >= 3 and summary.total_days == len(history)


async def test_a_new_day_start_hour_recounts_the_streak(database: Database):
    async with database.transaction() as session:
        await add_users(session, [1], now=START)
    # Every night at 02:30 UTC: with days starting at 04:00 these are consecutive evenings;
    # with midnight they are consecutive mornings. Either way a run of 5.
    for night in range(5):
        at = START.replace(hour=2, minute=30) + timedelta(days=night)
        async with database.transaction() as session:
            await streaks.count_completion(
                session,
                user_id=1,
                timezone="UTC",
                day_starts_at=FOUR,
                local_date=ritual_date(at, "UTC", FOUR),
                routine_id="classic",
                run_id=None,
                now=at,
            )
    async with database.transaction() as session:
        await users.update_settings(
            session, 1, now=START + timedelta(days=6), day_starts_at=time(0, 0)
        )
    async with database.read() as session:
        assert await streaks.check(session, 1, time(0, 0), "UTC")
        assert (await streaks.load(session, 1)).current == 5


async def test_the_migrations_build_exactly_the_models_schema(database: Database):
    async with database.engine.connect() as connection:
        differences = await connection.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
        )
    assert differences == []


async def test_check_all_repairs_a_summary_that_drifted_from_history(database: Database):
    async with database.transaction() as session:
        await add_users(session, [1, 2, 3], now=START)  # user 3 has no history
        for user_id in (1, 2):
            for day in range(3):
                at = START + timedelta(days=day)
                await streaks.count_completion(
                    session,
                    user_id=user_id,
                    timezone="UTC",
                    day_starts_at=FOUR,
                    local_date=ritual_date(at, "UTC", FOUR),
                    routine_id="classic",
                    run_id=None,
                    now=at,
                )
        await session.execute(
            update(StreakSummary).where(StreakSummary.user_id == 2).values(current=99, best=99)
        )
    seen: list[int] = []
    assert await streaks.check_all(database, batch=1, progress=seen.append) == (2, 1)
    assert seen == [1, 2]
    async with database.read() as session:
        assert (await streaks.load(session, 2)).current == 3
        assert await streaks.check(session, 2, FOUR, "UTC")
