"""One user's failure never holds up anyone else's reminder: a database error on one row, bad
data, or a bug while sending is logged with that user, rolled back alone and tried again at
the next tick (a bounded number of times), while the other 99 go out that minute."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import UTC, datetime, time

from sqlalchemy import select, text, update

from bot.app import build_application, running
from bot.services import dispatch
from bot.storage import deliveries
from bot.storage.models import Delivery, Reminder
from bot.telegram import dispatcher
from bot.telegram.services import BOT_DATA_KEY
from tests.support.bot import after_the_start_tick, settings_for
from tests.support.users import add_users

USERS = range(7001, 7101)
FAILING = 7042
START = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
DUE = datetime(2026, 11, 25, 7, 30, tzinfo=UTC)


def _delivered(emulator) -> Counter[int]:
    return Counter(c.params["chat_id"] for c in emulator.calls_to("sendMessage") if c.ok)


async def _fail_deliveries_of(session, user_id: int) -> None:
    """A database error on that user's row only: a trigger refuses its delivery record."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(
            text(
                "CREATE FUNCTION refuse_delivery() RETURNS trigger AS $$ BEGIN "
                f"IF NEW.user_id = {user_id} THEN RAISE EXCEPTION 'injected failure'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"
            )
        )
        await session.execute(
            text(
                "CREATE TRIGGER refuse_delivery BEFORE INSERT ON deliveries "
                "FOR EACH ROW EXECUTE FUNCTION refuse_delivery()"
            )
        )
    else:
        await session.execute(
            text(
                "CREATE TRIGGER refuse_delivery BEFORE INSERT ON deliveries "
                f"WHEN NEW.user_id = {user_id} BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
            )
        )


async def _heal(session) -> None:
    await session.execute(
        text(
            "DROP TRIGGER refuse_delivery"
            + (" ON deliveries" if session.get_bind().dialect.name == "postgresql" else "")
        )
    )


async def test_a_database_error_for_one_user_delays_only_that_user(
    emulator, database_url, clock, caplog
):
    for user_id in USERS:
        emulator.user(user_id)
    clock.set(START)
    application = build_application(settings_for(emulator, database_url), clock=clock)
    async with running(application):
        svc = application.bot_data[BOT_DATA_KEY]
        await after_the_start_tick(svc)
        async with svc.db.transaction() as session:
            await add_users(session, USERS, now=START, reminder=time(7, 30))
            await _fail_deliveries_of(session, FAILING)
        clock.set(DUE)
        with caplog.at_level(logging.ERROR, logger="bot.telegram.dispatcher"):
            report = await dispatcher.tick(svc, application.bot)
        assert (report.sent, report.errors) == (99, 1)
        assert set(_delivered(emulator)) == set(USERS) - {FAILING}
        assert f"user {FAILING}" in caplog.text and "injected failure" in caplog.text
        async with svc.db.read() as session:
            still_due = await session.scalar(
                select(Reminder.next_at).where(Reminder.user_id == FAILING)
            )
        assert still_due == DUE, "rolled back alone: still due, for the next tick"

        async with svc.db.transaction() as session:
            await _heal(session)
        clock.set(datetime(2026, 11, 25, 7, 31, tzinfo=UTC))
        assert (await dispatcher.tick(svc, application.bot)).sent == 1
        assert _delivered(emulator) == Counter(USERS), "the 100th a minute later, once each"


async def _hundred_users(emulator, bot, clock):
    """USERS, each with a 07:30 reminder, known to the running `bot`; its services."""
    for user_id in USERS:
        emulator.user(user_id)
    svc = bot.bot_data[BOT_DATA_KEY]
    await after_the_start_tick(svc)
    clock.set(START)
    async with svc.db.transaction() as session:
        await add_users(session, USERS, now=START, reminder=time(7, 30))
    return svc


async def test_bad_data_is_retried_a_bounded_number_of_times_then_moved_on(
    emulator, bot, clock, caplog
):
    svc = await _hundred_users(emulator, bot, clock)
    async with svc.db.transaction() as session:
        # A row no code writes: a time that is not one.
        await session.execute(
            update(Reminder).where(Reminder.user_id == FAILING).values(local_time="7h3x")
        )
    minute = DUE
    with caplog.at_level(logging.ERROR, logger="bot.telegram.dispatcher"):
        for tick in range(dispatch.MAX_FAILURES):
            clock.set(minute.replace(minute=30 + tick))
            report = await dispatcher.tick(svc, bot.bot)
            assert report.errors == 1, f"tick {tick}: tried again, alone"
    assert set(_delivered(emulator)) == set(USERS) - {FAILING}
    assert "moved on" in caplog.text
    async with svc.db.read() as session:
        next_at = await session.scalar(select(Reminder.next_at).where(Reminder.user_id == FAILING))
    assert next_at > clock.now(), "no longer due: it does not fail every minute for ever"
    clock.set(minute.replace(minute=40))
    assert (await dispatcher.tick(svc, bot.bot)).errors == 0


async def test_a_bug_while_sending_to_one_user_leaves_the_others_sent(
    emulator, bot, clock, monkeypatch
):
    svc = await _hundred_users(emulator, bot, clock)
    real_message = dispatcher._message
    broken = {"times": 0}

    def message(svc, item):
        if item.person.id == FAILING and not broken["times"]:
            broken["times"] += 1
            raise KeyError("a text that is not there")
        return real_message(svc, item)

    monkeypatch.setattr(dispatcher, "_message", message)
    clock.set(DUE)
    report = await dispatcher.tick(svc, bot.bot)
    assert (report.sent, report.errors, report.retrying) == (99, 1, 1)
    async with svc.db.read() as session:
        status = await session.scalar(select(Delivery.status).where(Delivery.user_id == FAILING))
    assert status == deliveries.CLAIMED, "put back, not left held by a dead task"
    clock.set(datetime(2026, 11, 25, 7, 31, tzinfo=UTC))
    assert (await dispatcher.tick(svc, bot.bot)).sent == 1
    assert _delivered(emulator) == Counter(USERS)
