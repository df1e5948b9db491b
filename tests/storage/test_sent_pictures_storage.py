"""Kept picture file_ids: remember, look up, forget, the first of two uploads wins, each bot
its own, pruning (a step's picture is kept)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.services.step_pictures import KINDS
from bot.storage import sent_pictures

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
BOT, OTHER_BOT = 1234567, 7654321
OLD = NOW - timedelta(days=3)


async def test_remember_look_up_forget_and_prune(database):
    async with database.transaction() as session:
        assert await sent_pictures.file_id(session, BOT, "a" * 64) is None
        await sent_pictures.remember(
            session, bot_id=BOT, fingerprint="a" * 64, kind="calendar", file_id="F1", now=NOW
        )
        # Two instances uploading the same picture at once: the first file stays.
        await sent_pictures.remember(
            session, bot_id=BOT, fingerprint="a" * 64, kind="calendar", file_id="F2", now=NOW
        )
        # Another bot's upload of the same picture is its own (Telegram's file_ids are per bot).
        await sent_pictures.remember(
            session, bot_id=OTHER_BOT, fingerprint="a" * 64, kind="calendar", file_id="G", now=NOW
        )
        await sent_pictures.remember(
            session, bot_id=BOT, fingerprint="b" * 64, kind="progress", file_id="F3", now=OLD
        )
        for kind in KINDS:
            await sent_pictures.remember(
                session,
                bot_id=BOT,
                fingerprint=kind.ljust(64, "s"),
                kind=kind,
                file_id=kind,
                now=OLD,
            )
    async with database.read() as session:
        assert await sent_pictures.file_id(session, BOT, "a" * 64) == "F1"
        assert await sent_pictures.file_id(session, OTHER_BOT, "a" * 64) == "G"
        assert await sent_pictures.file_id(session, OTHER_BOT, "b" * 64) is None
    async with database.transaction() as session:
        pruned = await sent_pictures.prune(
            session, before=NOW - timedelta(days=2), limit=10, keep_kinds=KINDS
        )
        assert pruned == 1
        assert await sent_pictures.file_id(session, BOT, "b" * 64) is None
        for kind in KINDS:  # the same for as long as the content is: kept
            assert await sent_pictures.file_id(session, BOT, kind.ljust(64, "s")) == kind
        await sent_pictures.forget(session, BOT, "a" * 64)
        assert await sent_pictures.file_id(session, BOT, "a" * 64) is None
        assert await sent_pictures.file_id(session, OTHER_BOT, "a" * 64) == "G"
