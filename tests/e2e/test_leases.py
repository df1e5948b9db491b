"""A fan-out that runs longer than the lease is never sent twice: the instance sending it
renews the lease while its batch is still going out, and another instance takes over only a
lease that has run out (when its holder stopped renewing: it died)."""

from __future__ import annotations

import asyncio
import time as monotonic
from collections import Counter
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select, update

from bot.app import build_application
from bot.storage.migrate import upgrade
from bot.storage.models import Delivery, Reminder
from bot.telegram import dispatcher
from bot.telegram.services import BOT_DATA_KEY
from emulator import BotApiEmulator
from tests.support.bot import TOKEN, settings_for
from tests.support.users import add_users

USERS = range(8001, 8241)  # 240 at 29.5/s: about 8 s of sending, four leases
LEASE_S = 2


async def test_a_fan_out_longer_than_the_lease_is_sent_once_by_two_instances(database_url):
    async with BotApiEmulator(token=TOKEN, rate_limits=True) as emulator:
        for user_id in USERS:
            emulator.user(user_id)
        # The real clock: leases must really run out for the test to mean anything.
        apps = [
            build_application(
                settings_for(
                    emulator, database_url, instance_id=name, delivery_lease_seconds=LEASE_S
                )
            )
            for name in ("first", "second")
        ]
        for app in apps:
            await app.initialize()
        first, second = (app.bot_data[BOT_DATA_KEY] for app in apps)
        try:
            await upgrade(first.db)
            now = datetime.now(UTC)
            async with first.db.transaction() as session:
                await add_users(session, USERS, now=now, reminder=time(7, 30))
                await session.execute(update(Reminder).values(next_at=now - timedelta(seconds=5)))
            # The first claims every reminder in one batch and sends them for four leases.
            fan_out = asyncio.create_task(dispatcher.tick(first, apps[0].bot, batch=len(USERS)))
            for _ in range(500):  # bounded: until the first holds them all (10 ms steps)
                async with first.db.read() as session:
                    if await session.scalar(select(func.count()).select_from(Delivery)):
                        break
                await asyncio.sleep(0.01)
            seconds = []
            started = monotonic.monotonic()
            while not fan_out.done():
                assert monotonic.monotonic() - started < 30, "the fan-out did not end"
                report = await dispatcher.tick(second, apps[1].bot)
                seconds.append(report.sent)
                await asyncio.sleep(0.2)
            first_report = await fan_out
            assert sum(seconds) == 0, "nothing the first still held was taken over"
            assert len(seconds) >= 10, "the second ticked all along"
            assert first_report.sent == len(USERS)
            sent_to = Counter(c.params["chat_id"] for c in emulator.calls_to("sendMessage") if c.ok)
            assert sent_to == Counter(USERS), "every user exactly one reminder"
            assert emulator.rate_limit_hits == 0
        finally:
            for app in apps:
                await app.shutdown()
                await app.bot_data[BOT_DATA_KEY].db.dispose()
