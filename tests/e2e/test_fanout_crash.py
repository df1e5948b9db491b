"""SIGKILL in the middle of a fan-out of reminders, then a restart: every user gets exactly one.

A real `python -m bot run` child starts sending 300 reminders due this minute, paced by its
rate limiter under the emulator's strict limits. The emulator kills it (SIGKILL, from inside its
own request handler, so at a known point) when the 100th reminder arrives. The bot restarts
with the same INSTANCE_ID: it takes back at once what it had claimed but not sent (without
waiting for the lease to run out), and sends nothing that had left.
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
from bot.storage import deliveries
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from bot.storage.models import Delivery, Reminder
from emulator import BotApiEmulator
from emulator.state import ChatEvent
from tests.support.bot import TOKEN, BotProcess, settings_for
from tests.support.clock import FakeClock
from tests.support.users import add_users

USERS = range(5001, 5301)
KILL_AT = 100
INSTANCE = "fan-out-test"


async def _statuses(db: Database) -> dict[str, int]:
    async with db.read() as session:
        rows = await session.execute(
            select(Delivery.status, func.count()).group_by(Delivery.status)
        )
        return dict(rows.all())


async def _status_by_user(db: Database) -> dict[int, str]:
    async with db.read() as session:
        return dict((await session.execute(select(Delivery.user_id, Delivery.status))).all())


async def _until(probe, what: str, within: float = 60.0) -> None:
    deadline = monotonic.monotonic() + within
    while not await probe():
        assert monotonic.monotonic() < deadline, f"not within {within} s: {what}"
        await asyncio.sleep(0.05)


def _delivered(emulator: BotApiEmulator) -> Counter[int]:
    return Counter(call.params["chat_id"] for call in emulator.calls_to("sendMessage") if call.ok)


async def _due_now(db: Database, user_ids: range, now: datetime) -> None:
    async with db.transaction() as session:
        await add_users(session, user_ids, now=now, reminder=(now - timedelta(minutes=1)).time())
        # Due half a minute ago: the child's first tick finds them all at once.
        await session.execute(update(Reminder).values(next_at=now - timedelta(seconds=30)))


async def test_sigkill_during_a_fan_out_leaves_every_user_exactly_one_reminder(
    sqlite_url, tmp_path
):
    now = datetime.now(UTC).replace(microsecond=0)
    db = Database(sqlite_url)
    await upgrade(db)
    await _due_now(db, USERS, now)

    # The emulator's limits are Telegram's, strictly (a bucket of 30 drained at 30/s).
    async with BotApiEmulator(token=TOKEN, rate_limits=True) as emulator:
        for user_id in USERS:
            emulator.user(user_id)
        child = BotProcess(emulator, sqlite_url, tmp_path, extra_env={"INSTANCE_ID": INSTANCE})
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

        # What the crash left: every reminder that arrived was marked as having left; every
        # one claimed that did not arrive is still only claimed (safe to send again); the
        # rest were not claimed yet and are still due.
        by_user = await _status_by_user(db)
        assert max(arrived.values()) == 1
        for user_id in USERS:
            expected = (
                {deliveries.SENT, deliveries.SENDING} if arrived[user_id] else {None, "claimed"}
            )
            assert by_user.get(user_id) in expected, (user_id, by_user.get(user_id))
        assert KILL_AT <= len(arrived) < len(USERS), "killed in the middle of the fan-out"
        assert deliveries.CLAIMED in by_user.values(), "some were claimed and not yet sent"

        # Restart five seconds later, well inside the 90 s lease: only taking back what this
        # instance left (same INSTANCE_ID) can explain the claimed rows going out now. The
        # real pause lets the emulator's flood bucket drain of the dead process's last
        # second, as any real restart does.
        await asyncio.sleep(1.5)
        clock = FakeClock(now + timedelta(seconds=5))
        settings = settings_for(emulator, sqlite_url, instance_id=INSTANCE)
        restarted = build_application(settings, clock=clock)
        async with running(restarted):

            async def everyone_and_nothing_left() -> bool:
                statuses = await _statuses(db)
                return len(_delivered(emulator)) == len(USERS) and not (
                    statuses.get(deliveries.CLAIMED) or statuses.get(deliveries.SENDING)
                )

            await _until(everyone_and_nothing_left, "every user reached, nothing left held")
        assert _delivered(emulator) == Counter(USERS), "every user exactly one reminder"
        statuses = await _statuses(db)
        assert set(statuses) <= {deliveries.SENT, deliveries.UNKNOWN}, statuses
        assert emulator.rate_limit_hits == 0
    await db.dispose()


async def test_a_send_answered_429_then_killed_while_waiting_is_sent_after_the_restart(
    sqlite_url, tmp_path
):
    """A 429 proves the message did not arrive: killed while waiting to retry, the reminder
    is not settled as 'probably delivered' but sent after the restart."""
    users = range(6001, 6006)
    now = datetime.now(UTC).replace(microsecond=0)
    db = Database(sqlite_url)
    await upgrade(db)
    await _due_now(db, users, now)
    async with BotApiEmulator(token=TOKEN, rate_limits=True) as emulator:
        for user_id in users:
            emulator.user(user_id)
        slowed = users[2]
        emulator.faults.add("429", method="sendMessage", chat_id=slowed, retry_after=8)
        child = BotProcess(emulator, sqlite_url, tmp_path, extra_env={"INSTANCE_ID": INSTANCE})
        await child.start()

        async def waiting_to_retry() -> bool:
            refused = any(c.error_code == 429 for c in emulator.calls_to("sendMessage"))
            return refused and (await _status_by_user(db)).get(slowed) == deliveries.CLAIMED

        await _until(waiting_to_retry, "the 429 answered and the row put back", within=30)
        await child.kill()
        assert slowed not in _delivered(emulator)

        restarted = build_application(
            settings_for(emulator, sqlite_url, instance_id=INSTANCE),
            clock=FakeClock(now + timedelta(seconds=5)),
        )
        async with running(restarted):

            async def all_sent() -> bool:
                return set(_delivered(emulator)) == set(users)

            await _until(all_sent, "every user reached after the restart", within=30)
        assert _delivered(emulator) == Counter(users), "exactly one each"
        assert (await _statuses(db)) == {deliveries.SENT: len(users)}
    await db.dispose()
