"""SQLite's checkpoint runs beside the writer, never inside a commit (see database.py)."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from bot.storage import database as db_module
from bot.storage.database import Database


async def test_the_writer_never_checkpoints_and_a_passive_checkpoint_follows_the_commits(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(db_module, "CHECKPOINT_EVERY", 20)
    path = tmp_path / "bot.db"
    database = Database(f"sqlite+aiosqlite:///{path}")
    try:
        async with database.transaction() as session:
            await session.execute(text("CREATE TABLE t (x INTEGER)"))
            setting = await session.scalar(text("PRAGMA wal_autocheckpoint"))
        assert setting == 0, "no automatic checkpoint inside the writer's commits"
        for n in range(45):
            async with database.transaction() as session:
                await session.execute(text("INSERT INTO t VALUES (:n)"), {"n": n})
        for _ in range(100):  # bounded: 5 s
            if database.checkpoints >= 2:
                break
            await asyncio.sleep(0.05)
        assert database.checkpoints == 2, "one per 20 commits, none failed"
        async with database.read() as session:
            assert await session.scalar(text("SELECT count(*) FROM t")) == 45
    finally:
        await database.dispose()
