"""Storage, on SQLite and PostgreSQL alike: migrations, users, runs, completions, locking."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from bot.domain.walkthrough import Action, Mode, Outcome, RunStatus, decide
from bot.storage import completions, runs, users
from bot.storage.database import Database
from bot.storage.migrate import head_revision, upgrade
from bot.storage.models import Completion, Run
from tests.support.users import add_users

NOW = datetime(2026, 11, 25, 7, 30, tzinfo=UTC)


async def add_user(db: Database, user_id: int = 1) -> None:
    async with db.transaction() as session:
        await add_users(session, [user_id], now=NOW, timezone="Asia/Tokyo")


async def start_run(db: Database, routine_id: str = "classic", mode: Mode = Mode.BUTTONS) -> Run:
    async with db.transaction() as session:
        return await runs.start(
            session,
            user_id=1,
            routine_id=routine_id,
            locale="en",
            step_count=10,
            mode=mode,
            now=NOW,
        )


async def test_migrations_apply_twice_without_harm(database: Database):
    await upgrade(database)
    async with database.transaction() as session:
        version = await session.scalar(text("SELECT version_num FROM alembic_version"))
    assert version == head_revision() and version is not None


async def test_ensure_user_creates_once_and_keeps_settings(database: Database):
    async with database.transaction() as session:
        user, created = await users.ensure(
            session, user_id=5, chat_id=5, first_name="Bo", language="en", timezone="UTC", now=NOW
        )
        assert created and user.default_routine == "classic"
    async with database.transaction() as session:
        await users.update_settings(session, 5, now=NOW, default_routine="quick")
    async with database.transaction() as session:
        user, created = await users.ensure(
            session, user_id=5, chat_id=5, first_name="Bo", language="en", timezone="UTC", now=NOW
        )
    assert not created
    assert user.default_routine == "quick"
    assert user.created_at == NOW and user.created_at.tzinfo is not None


async def test_starting_a_run_replaces_the_open_one(database: Database):
    await add_user(database)
    first = await start_run(database)
    await start_run(database, "quick", Mode.HANDS_FREE)
    async with database.transaction() as session:
        old = await session.get(Run, first.id)
        assert old.status == RunStatus.REPLACED and old.ended_at == NOW
        open_run = await runs.open_run_of(session, 1)
        assert open_run.routine_id == "quick"
        assert [(r.routine_id, u.chat_id) for r, u in await runs.active_hands_free(session)] == [
            ("quick", 1)
        ]


async def test_the_database_refuses_two_open_runs_for_one_user(database: Database):
    await add_user(database)
    with pytest.raises(IntegrityError):
        async with database.transaction() as session:
            for _ in range(2):
                session.add(
                    Run(
                        user_id=1,
                        routine_id="classic",
                        locale="en",
                        step_index=0,
                        step_count=3,
                        status="active",
                        mode="buttons",
                        step_started_at=NOW,
                        started_at=NOW,
                    )
                )
                await session.flush()


async def test_a_completion_counts_once_per_day_and_routine(database: Database):
    await add_user(database)
    day = date(2026, 11, 25)
    results = []
    for routine_id in ("classic", "classic", "depuff-flight"):
        async with database.transaction() as session:
            results.append(
                await completions.record(
                    session,
                    user_id=1,
                    local_date=day,
                    routine_id=routine_id,
                    run_id=None,
                    timezone="UTC",
                    now=NOW,
                )
            )
    assert results == [True, False, True]
    async with database.transaction() as session:
        assert await completions.count_for_day(session, 1, day) == 2
        assert await session.scalar(select(func.count()).select_from(Completion)) == 2


async def test_concurrent_presses_on_one_step_advance_it_once(database: Database):
    """Two transactions race to press Next on step 0: the row lock lets exactly one win."""
    await add_user(database)
    run = await start_run(database)
    run_id = run.id

    async def press() -> Outcome:
        async with database.transaction() as session:
            locked = await runs.get_for_update(session, run_id)
            decision = decide(runs.state_of(locked), Action.NEXT, actor_id=1, step_index=0)
            await asyncio.sleep(0.05)  # hold the lock while the other press waits for it
            if decision.outcome.changed:
                runs.apply_state(locked, decision.state, NOW)
            return decision.outcome

    outcomes = await asyncio.gather(*(press() for _ in range(4)))
    assert sorted(outcomes) == sorted([Outcome.ADVANCED] + [Outcome.STALE] * 3)
    async with database.transaction() as session:
        assert (await session.get(Run, run_id)).step_index == 1


async def test_set_message_ignores_a_run_that_moved_on(database: Database):
    await add_user(database)
    run = await start_run(database)
    async with database.transaction() as session:
        (await session.get(Run, run.id)).step_index = 2
    async with database.transaction() as session:
        await runs.set_message(session, run.id, 1, 111)
        await runs.set_message(session, run.id, 2, 222)
    async with database.transaction() as session:
        assert (await session.get(Run, run.id)).message_id == 222
