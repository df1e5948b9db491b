"""Rest days on SQLite and PostgreSQL: marked once per reason, taken back by reason, read for
one user and for a batch; the stored streak steps over them as recomputing does."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from bot.domain.streaks import recompute
from bot.storage import rest_days, streaks
from bot.storage.database import Database
from tests.support.users import add_users

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
DAY = date(2026, 11, 25)
FOUR = time(4, 0)


async def test_marking_clearing_and_reading_rest_days(database: Database):
    async with database.transaction() as session:
        await add_users(session, [1, 2, 3], now=NOW)
        await rest_days.mark(session, 1, DAY, "urgent", NOW)
        await rest_days.mark(session, 1, DAY, "urgent", NOW)  # twice: one row
        await rest_days.mark(session, 1, DAY, rest_days.STOP_SIGN, NOW + timedelta(minutes=1))
        await rest_days.mark(session, 2, DAY - timedelta(days=70), "emergency", NOW)
    async with database.transaction() as session:
        assert await rest_days.reasons_on(session, 1, DAY) == ["urgent", rest_days.STOP_SIGN]
        await rest_days.clear(session, 1, DAY, rest_days.STOP_SIGN)
    async with database.read() as session:
        assert await rest_days.reasons_on(session, 1, DAY) == ["urgent"]
        assert await rest_days.dates_since(session, 2, None) == {DAY - timedelta(days=70)}
        many = await rest_days.dates_since_many(session, [1, 2, 3], DAY - timedelta(days=62))
        assert many == {1: frozenset({DAY})}


async def test_the_stored_streak_steps_over_a_rest_day(database: Database):
    async with database.transaction() as session:
        await add_users(session, [1], now=NOW)
    for offset in (0, 1, 3):  # a rest day on the third
        at = NOW + timedelta(days=offset)
        async with database.transaction() as session:
            if offset == 3:
                await rest_days.mark(session, 1, DAY + timedelta(days=2), "allergy", at)
            await streaks.count_completion(
                session,
                user_id=1,
                timezone="UTC",
                day_starts_at=FOUR,
                local_date=DAY + timedelta(days=offset),
                routine_id="quick",
                run_id=None,
                now=at,
            )
    async with database.read() as session:
        summary = await streaks.load(session, 1)
        history = await streaks.history(session, 1, FOUR, "UTC")
        rest = await rest_days.dates_since(session, 1, None)
        assert summary.current == 3 and summary.total_days == 3
        assert summary == recompute(history, FOUR, rest)[0]
        assert await streaks.check(session, 1, FOUR, "UTC")
