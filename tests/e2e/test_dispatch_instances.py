"""Two bot instances against one PostgreSQL database deliver every due reminder exactly once,
one fan-out at a time (skipped, and said so, without TEST_DATABASE_URL)."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, time

from bot.app import build_application
from bot.storage.migrate import upgrade
from bot.telegram import dispatcher
from bot.telegram.services import BOT_DATA_KEY
from tests.support.bot import settings_for
from tests.support.clock import FakeClock
from tests.support.databases import postgres_url, reset_postgres
from tests.support.users import add_users

USERS = 150
START = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
DUE = datetime(2026, 11, 25, 7, 30, tzinfo=UTC)


async def test_two_dispatchers_on_postgresql_send_each_reminder_once(emulator):
    url = postgres_url()
    await reset_postgres(url)
    clock = FakeClock(START)
    apps = [
        build_application(
            settings_for(emulator, url, rate_limit=False, instance_id=name), clock=clock
        )
        for name in ("first", "second")
    ]
    for app in apps:
        await app.initialize()
    first, second = (app.bot_data[BOT_DATA_KEY] for app in apps)
    try:
        await upgrade(first.db)
        for user_id in range(1, USERS + 1):
            emulator.user(user_id)
        async with first.db.transaction() as session:
            await add_users(session, range(1, USERS + 1), now=START, reminder=time(7, 30))
        clock.set(DUE)
        # Small batches, as a fan-out far larger than one batch would be.
        reports = await asyncio.gather(
            dispatcher.tick(first, apps[0].bot, batch=10),
            dispatcher.tick(second, apps[1].bot, batch=10),
        )
        assert sum(r.sent for r in reports) == USERS
        # Telegram's limit is the bot's: one instance runs the fan-out, the other stands by
        # (unless the first was already done when the second ticked).
        assert [r.standing_by for r in reports].count(True) <= 1
        sent_to = Counter(c.params["chat_id"] for c in emulator.calls_to("sendMessage") if c.ok)
        assert sent_to == Counter(range(1, USERS + 1)), "every user exactly once"
        again = await asyncio.gather(
            dispatcher.tick(first, apps[0].bot), dispatcher.tick(second, apps[1].bot)
        )
        assert sum(r.sent for r in again) == 0
    finally:
        for app in apps:
            await app.shutdown()
            await app.bot_data[BOT_DATA_KEY].db.dispose()
