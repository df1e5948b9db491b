"""SIGKILL in the middle of a fan-out of reminders, then a restart: every user gets exactly one.

A real `python -m bot run` child starts sending 300 reminders due this minute, paced by its
rate limiter under the emulator's real limits. The emulator kills it (SIGKILL, from inside its
own request handler, so at a known point) when the 100th reminder arrives. The bot then
restarts two minutes later (a controlled clock, inside the grace period): it sends what was
claimed but never left, and nothing that had left.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time as monotonic
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from bot.app import build_application, running
from bot.emulator import BotApiEmulator
from bot.emulator.state import ChatEvent
from bot.storage import reminders
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from bot.storage.models import Delivery, Reminder
from tests.support.bot import TOKEN, BotProcess, settings_for
from tests.support.clock import FakeClock
from tests.support.users import add_users

USERS = range(5001, 5301)
KILL_AT = 100


async def _statuses(db: Database) -> dict[str, int]:
    async with db.read() as session:
        rows = await session.execute(
            select(Delivery.status, func.count()).group_by(Delivery.status)
        )
        return dict(rows.all())


async def _status_by_user(db: Database) -> dict[int, str]:
    async with db.read() as session:
        return dict((await session.execute(select(Delivery.user_id, Delivery.status))).all())


async def test_sigkill_during_a_fan_out_leaves_every_user_exactly_one_reminder(
    sqlite_url, tmp_path
):
    now = datetime.now(UTC).replace(microsecond=0)
    db = Database(sqlite_url)
    await upgrade(db)
    async with db.transaction() as session:
        await add_users(session, USERS, now=now, reminder=(now - timedelta(minutes=1)).time())
        # Due half a minute ago: the child's first tick finds all 300 at once.
        await session.execute(update(Reminder).values(next_at=now - timedelta(seconds=30)))

    async with BotApiEmulator(token=TOKEN, rate_limits=True) as emulator:
        for user_id in USERS:
            emulator.user(user_id)
        child = BotProcess(emulator, sqlite_url, tmp_path)
        arrived: Counter[int] = Counter()

        def kill_at_the_hundredth(event: ChatEvent) -> None:
            if event.kind != "message" or not event.from_bot:
                return
            arrived[event.chat_id] += 1
            if sum(arrived.values()) == KILL_AT and child.process is not None:
                os.kill(child.process.pid, signal.SIGKILL)

        unsubscribe = emulator.on_change(kill_at_the_hundredth)
        await child.start()
        await asyncio.wait_for(child.process.wait(), 30)
        unsubscribe()
        assert child.process.returncode == -signal.SIGKILL, child.log()

        # What the crash left: every reminder that arrived was marked as having left, every
        # one that did not arrive is still only claimed (so it is safe to send again).
        by_user = await _status_by_user(db)
        assert len(by_user) == len(USERS), "all 300 were claimed in the first tick"
        assert max(arrived.values()) == 1
        for user_id, status in by_user.items():
            expected = {reminders.SENT, reminders.SENDING} if arrived[user_id] else {"claimed"}
            assert status in expected, (user_id, status, arrived[user_id])
        assert KILL_AT <= len(arrived) < len(USERS), "killed in the middle of the fan-out"

        # Restart two minutes later: past the 90 s lease, well inside the 2 h grace. The
        # controlled clock says so; the real pause lets Telegram's (the emulator's) flood
        # bucket drain of the dead process's last second, as any real restart does.
        await asyncio.sleep(1.5)
        clock = FakeClock(now + timedelta(minutes=2))
        restarted = build_application(settings_for(emulator, sqlite_url), clock=clock)
        async with running(restarted):
            deadline = monotonic.monotonic() + 60
            while len(arrived) < len(USERS) or (await _statuses(db)).get(reminders.CLAIMED):
                assert monotonic.monotonic() < deadline, (len(arrived), await _statuses(db))
                await asyncio.sleep(0.1)
                arrived = Counter(
                    call.params["chat_id"] for call in emulator.calls_to("sendMessage") if call.ok
                )
        sent_to = Counter(
            call.params["chat_id"] for call in emulator.calls_to("sendMessage") if call.ok
        )
        assert sent_to == Counter(USERS), "every user exactly one reminder"
        statuses = await _statuses(db)
        assert set(statuses) <= {reminders.SENT, reminders.UNKNOWN}, statuses
        assert emulator.rate_limit_hits == 0
    await db.dispose()
