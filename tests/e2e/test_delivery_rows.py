"""Delivery rows. What a crash left claimed is sent again by the rules of a first send: a
resent nudge names the real run at stake (not "0 days"), and a resent reminder respects "skip
today" and quiet hours. Old rows are pruned, never today's keys."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from bot.storage import deliveries
from bot.storage.models import Delivery
from bot.telegram import dispatcher
from bot.telegram.services import BOT_DATA_KEY
from tests.e2e.test_streaks import MORNING, finish_quick_routine
from tests.support.bot import after_the_start_tick

DEAD = "an-instance-that-died"


async def _left_by_a_crash(svc, user_id: int, key: str, due_at: datetime) -> None:
    """A delivery another instance claimed and never sent; its lease has run out."""
    async with svc.db.transaction() as session:
        await deliveries.claim(
            session,
            user_id=user_id,
            key=key,
            local_date=due_at.date(),
            due_at=due_at,
            owner=DEAD,
            now=due_at,
            lease=timedelta(0),
        )


async def _status(svc, user_id: int, key: str, day: date) -> str:
    async with svc.db.read() as session:
        return await session.scalar(
            select(Delivery.status).where(
                Delivery.user_id == user_id, Delivery.key == key, Delivery.local_date == day
            )
        )


async def test_a_resent_nudge_names_the_run_at_stake(emulator, bot, clock):
    svc = bot.bot_data[BOT_DATA_KEY]
    alice = emulator.user(9101)
    for day in range(2):  # a two-day run
        clock.set(MORNING + timedelta(days=day))
        await finish_quick_routine(alice)
    evening = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
    await _left_by_a_crash(svc, alice.id, "nudge", evening)
    clock.set(evening + timedelta(minutes=2))
    assert (await dispatcher.tick(svc, bot.bot)).sent == 1
    nudge = await alice.wait_for_bot_message(lambda m: "gentle nudge" in (m.text or ""))
    assert "2</b> days in a row" in nudge.html


async def test_a_resent_nudge_is_dropped_once_the_run_is_safe(emulator, bot, clock):
    svc = bot.bot_data[BOT_DATA_KEY]
    alice = emulator.user(9102)
    for day in range(3):  # a run, and today done as well
        clock.set(MORNING + timedelta(days=day))
        await finish_quick_routine(alice)
    evening = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
    await _left_by_a_crash(svc, alice.id, "nudge", evening)
    clock.set(evening + timedelta(minutes=2))
    report = await dispatcher.tick(svc, bot.bot)
    assert (report.sent, report.dropped) == (0, 1)
    assert await _status(svc, alice.id, "nudge", evening.date()) == deliveries.DROPPED


async def test_a_resent_reminder_respects_skip_today_and_quiet_hours(emulator, bot, clock):
    svc = bot.bot_data[BOT_DATA_KEY]
    alice, bob = emulator.user(9103), emulator.user(9104)
    clock.set(datetime(2026, 11, 25, 6, 0, tzinfo=UTC))
    for user, command in ((alice, "/remind 7:00"), (bob, "/quiet 21:00-07:00")):
        await user.send(command)
        await user.wait_for_bot_message()
    # Alice's 07:00 reminder came and she chose "Skip today"; then another instance died
    # holding her 07:45 one. Bob's evening one was left at 20:59, picked up after 21:00.
    clock.set(datetime(2026, 11, 25, 7, 0, tzinfo=UTC))
    assert (await dispatcher.tick(svc, bot.bot)).sent == 1
    reminder = await alice.wait_for_bot_message(lambda m: "Time for your" in (m.text or ""))
    await alice.press(reminder, "Skip today")
    await alice.wait_for_bot_message(lambda m: "no more reminders today" in (m.text or ""))
    morning = datetime(2026, 11, 25, 7, 45, tzinfo=UTC)
    await _left_by_a_crash(svc, alice.id, "reminder:07:45", morning)
    late_evening = datetime(2026, 11, 25, 20, 59, tzinfo=UTC)
    await _left_by_a_crash(svc, bob.id, "reminder:20:59", late_evening)
    clock.set(morning + timedelta(minutes=1))
    assert (await dispatcher.tick(svc, bot.bot)).sent == 0
    clock.set(datetime(2026, 11, 25, 21, 1, tzinfo=UTC))
    assert (await dispatcher.tick(svc, bot.bot)).sent == 0
    for user, key, due in (
        (alice, "reminder:07:45", morning),
        (bob, "reminder:20:59", late_evening),
    ):
        assert await _status(svc, user.id, key, due.date()) == deliveries.DROPPED
    assert [m for m in bob.bot_messages if "Time for your" in (m.text or "")] == []


async def test_the_tick_prunes_old_delivery_rows_and_keeps_todays_keys(emulator, bot, clock):
    svc = bot.bot_data[BOT_DATA_KEY]
    # The start-up tick first: running meanwhile, it would prune the rows below itself.
    await after_the_start_tick(svc)
    alice = emulator.user(9105)
    clock.set(datetime(2026, 11, 25, 6, 0, tzinfo=UTC))
    await alice.send("/remind 7:30")
    await alice.wait_for_bot_message()
    retention = svc.settings.delivery_retention_days
    old = datetime(2026, 11, 25, 7, 30, tzinfo=UTC) - timedelta(days=retention + 2)
    async with svc.db.transaction() as session:
        for days in range(3):  # three old days, each sent
            due = old - timedelta(days=days)
            delivery_id = await deliveries.claim(
                session,
                user_id=alice.id,
                key="reminder:07:30",
                local_date=due.date(),
                due_at=due,
                owner=DEAD,
                now=due,
                lease=timedelta(0),
            )
            await deliveries.finish(session, delivery_id, deliveries.SENT, now=due)
    clock.set(datetime(2026, 11, 25, 7, 30, tzinfo=UTC))
    # Pruning runs at most once an hour, and the start-up tick pruned (nothing) at 08:00.
    svc.dispatch.pruned_at = None
    report = await dispatcher.tick(svc, bot.bot)
    assert (report.sent, report.pruned) == (1, 3)
    async with svc.db.read() as session:
        days = list(await session.scalars(select(Delivery.local_date)))
    assert days == [date(2026, 11, 25)]
    clock.set(datetime(2026, 11, 25, 9, 30, tzinfo=UTC))  # later the same day
    async with svc.db.transaction() as session:
        again = await deliveries.claim(
            session,
            user_id=alice.id,
            key="reminder:07:30",
            local_date=date(2026, 11, 25),
            due_at=clock.now(),
            owner="x",
            now=clock.now(),
            lease=timedelta(0),
        )
    assert again is None, "today's key is kept: no second reminder today"


async def test_a_send_with_no_answer_may_have_arrived_and_is_never_sent_again(emulator, bot, clock):
    svc = bot.bot_data[BOT_DATA_KEY]
    alice = emulator.user(9106)
    clock.set(datetime(2026, 11, 25, 6, 0, tzinfo=UTC))
    await alice.send("/remind 7:30")
    await alice.wait_for_bot_message()
    # Telegram delivers the message, and the answer is lost on the way back.
    emulator.faults.add("lost_response", method="sendMessage", chat_id=alice.id)
    clock.set(datetime(2026, 11, 25, 7, 30, tzinfo=UTC))
    report = await dispatcher.tick(svc, bot.bot)
    assert (report.sent, report.unknown, report.retrying) == (0, 1, 0)
    for minute in (31, 35):
        clock.set(datetime(2026, 11, 25, 7, minute, tzinfo=UTC))
        assert (await dispatcher.tick(svc, bot.bot)).sent == 0
    reminders_seen = [m for m in alice.bot_messages if "Time for your" in (m.text or "")]
    assert len(reminders_seen) == 1, "exactly the one that arrived"
    assert await _status(svc, alice.id, "reminder:07:30", date(2026, 11, 25)) == deliveries.UNKNOWN
