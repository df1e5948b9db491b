"""/export, /delete (then a walk over every table) and the admins' /stats, through Telegram."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.app import build_application, running
from bot.storage.models import Base, FrozenDay, RestDay, Run
from bot.storage.privacy import EXPORT_FORMAT
from bot.telegram import dispatcher
from bot.telegram.services import BOT_DATA_KEY
from tests.e2e.test_checkin import no_red_flags_then_rate
from tests.e2e.test_resume import begin as begin_routine
from tests.e2e.test_streaks import finish_quick_routine
from tests.support.bot import settings_for

MORNING = datetime(2026, 11, 25, 7, 30, tzinfo=UTC)


async def a_full_life(user, svc, bot, clock) -> None:
    """Settings, reminders, quiet hours, a routine done, a check-in, a snooze, a flight, and a
    hands-free routine left running: a row in every table the bot has."""
    clock.set(MORNING.replace(hour=6))
    await user.send("/start")
    question = await user.wait_for_bot_message(lambda m: "botulinum" in (m.text or ""))
    await user.press(question, "No")  # the safety profile's first answer
    await user.wait_for_bot_message(lambda m: "rosacea" in (m.text or ""))
    for command in ("/remind 7:30", "/quiet 22:00-06:00", "/daystart 03:00"):
        await user.send(command)
        await user.wait_for_bot_message()
    await finish_quick_routine(user)
    await user.send("/depuff flight")
    question = await user.wait_for_bot_message(lambda m: m.flat_buttons)
    await no_red_flags_then_rate(user, question, 6)
    await user.wait_for_bot_message(lambda m: m.flat_buttons)
    await user.send("/flight 18:30")
    await user.wait_for_bot_message()
    clock.set(MORNING)
    await dispatcher.tick(svc, bot)  # the reminder goes out: a delivery, a nudge queued
    reminder = await user.wait_for_bot_message(lambda m: "Time for your" in (m.text or ""))
    await user.press(reminder, "In 30 min")
    await user.wait_until(lambda chat: not chat.message(reminder.message_id).flat_buttons)
    await begin_routine(user, hands_free=True)
    # A day covered by a streak freeze takes a week of routines to earn: written directly.
    async with svc.db.transaction() as session:
        session.add(FrozenDay(user_id=user.id, local_date=MORNING.date()))
        # And a rest day (a red flag) on an earlier day, so that today's routine still runs.
        yesterday = MORNING.date() - timedelta(days=1)
        session.add(
            RestDay(user_id=user.id, local_date=yesterday, reason="urgent", created_at=MORNING)
        )


async def rows_about(svc, user_id: int) -> dict[str, int]:
    """Rows mentioning the user in each table: any user_id column, and users.id."""
    counts = {}
    async with svc.db.read() as session:
        for table in Base.metadata.sorted_tables:
            column = table.c.id if table.name == "users" else table.c.get("user_id")
            if column is None:
                continue
            statement = select(func.count()).select_from(table).where(column == user_id)
            counts[table.name] = await session.scalar(statement)
    return counts


async def test_export_then_delete_leaves_nothing_and_touches_no_one_else(
    emulator, sqlite_url, clock
):
    clock.set(MORNING)
    application = build_application(settings_for(emulator, sqlite_url), clock=clock)
    async with running(application):
        svc = application.bot_data[BOT_DATA_KEY]
        alice, bob = emulator.user(9001, "Alice"), emulator.user(9002, "Bob")
        for user in (alice, bob):
            await a_full_life(user, svc, application.bot, clock)
        before = await rows_about(svc, 9001)
        assert all(before.values()), f"the set-up must touch every table: {before}"
        bob_before = await rows_about(svc, 9002)
        async with svc.db.read() as session:
            alice_runs = set(await session.scalars(select(Run.id).where(Run.user_id == 9001)))
        timers = {f"run-timer:{run_id}" for run_id in alice_runs}
        assert timers & {job.name for job in application.job_queue.jobs()}, "one is running"

        await alice.send("/export")
        export = await alice.wait_for_bot_message(lambda m: m.document is not None)
        assert export.document.name == "face-ritual-data.json"
        data = json.loads(export.document.data)
        assert data["format"] == EXPORT_FORMAT
        assert {name: len(rows) for name, rows in data["tables"].items()} == before
        assert data["tables"]["users"][0]["day_starts_at"] == "03:00"
        # The file holds both ratings (before and after); the caption counts one check-in, as
        # /progress does.
        assert len(data["tables"]["checkins"]) == 2
        assert (
            "finished routines (1), check-ins of puffiness or tightness (1, counted as in "
            "/progress), reminders (1)" in export.caption
        )

        await alice.send("/delete")
        question = await alice.wait_for_bot_message(lambda m: m.flat_buttons)
        await alice.press(question, "No, keep it")
        await alice.wait_until(
            lambda chat: "Nothing was erased" in chat.message(question.message_id).text
        )
        assert await rows_about(svc, 9001) == before

        await alice.send("/delete")
        question = await alice.wait_for_bot_message(lambda m: m.flat_buttons)
        await alice.press(question, "Yes, erase everything")
        await alice.wait_until(lambda chat: "erased" in chat.message(question.message_id).text)
        assert set((await rows_about(svc, 9001)).values()) == {0}
        assert await rows_about(svc, 9002) == bob_before, "nothing of Bob's touched"
        assert not timers & {job.name for job in application.job_queue.jobs()}
        # Nothing scheduled goes out to Alice any more.
        clock.set(datetime(2026, 11, 26, 12, 0, tzinfo=UTC))
        sent_before = len(alice.bot_messages)
        await dispatcher.tick(svc, application.bot)
        assert len(alice.bot_messages) == sent_before
        # And she is a stranger again.
        await alice.send("/start")
        hello = await alice.wait_for_bot_message(lambda m: "Hello" in (m.text or ""))
        assert "I'm your face-massage coach" in hello.text


async def test_stats_for_an_admin_and_the_unknown_answer_for_anyone_else(
    emulator, sqlite_url, clock
):
    clock.set(MORNING)
    settings = settings_for(emulator, sqlite_url, admin_ids=frozenset({9101}))
    async with running(build_application(settings, clock=clock)):
        admin, stranger = emulator.user(9101), emulator.user(9102)
        await finish_quick_routine(stranger)
        await stranger.send("/stats")
        answer = await stranger.wait_for_bot_message()
        # The answer a command that does not exist gets: nothing hints that /stats does.
        assert answer.text == "I don't know the command /stats. /help lists the ones I have."
        await admin.send("/stats")
        stats = await admin.wait_for_bot_message()
        assert "Users: 2 · blocked the bot: 0" in stats.text
        assert "Active in the last 7 days: 1" in stats.text
        assert "Routines completed today: 1" in stats.text
