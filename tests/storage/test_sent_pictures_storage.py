"""Kept picture file_ids: remember, look up, forget, the first of two uploads wins, pruning."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.storage import sent_pictures

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


async def test_remember_look_up_forget_and_prune(database):
    async with database.transaction() as session:
        assert await sent_pictures.file_id(session, "a" * 64) is None
        await sent_pictures.remember(
            session, fingerprint="a" * 64, kind="calendar", file_id="F1", now=NOW
        )
        # Two instances uploading the same picture at once: the first file stays.
        await sent_pictures.remember(
            session, fingerprint="a" * 64, kind="calendar", file_id="F2", now=NOW
        )
        await sent_pictures.remember(
            session,
            fingerprint="b" * 64,
            kind="progress",
            file_id="F3",
            now=NOW - timedelta(days=3),
        )
    async with database.read() as session:
        assert await sent_pictures.file_id(session, "a" * 64) == "F1"
    async with database.transaction() as session:
        assert await sent_pictures.prune(session, before=NOW - timedelta(days=2), limit=10) == 1
        assert await sent_pictures.file_id(session, "b" * 64) is None
        await sent_pictures.forget(session, "a" * 64)
        assert await sent_pictures.file_id(session, "a" * 64) is None
