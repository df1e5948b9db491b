"""Daily reminders through Telegram with a controlled clock: local minute, grace, zones."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.app import build_application, running
from bot.services import dispatch
from bot.storage import reminders as storage_reminders
from bot.storage.models import Reminder, User
from bot.telegram import dispatcher
from bot.telegram.services import BOT_DATA_KEY
from tests.support.bot import settings_for


def local(zone: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone)).astimezone(UTC)


async def setup(user, *commands: str) -> None:
    for command in commands:
        await user.send(command)
        await user.wait_for_bot_message()


async def tick(bot):
    return await dispatcher.tick(bot.bot_data[BOT_DATA_KEY], bot.bot)


def reminders_line(message) -> str:
    return next(line for line in message.text.splitlines() if line.startswith("Reminders:"))


def reminders_of(user):
    return [m for m in user.bot_messages if "Time for your face routine" in m.text]


async def test_a_reminder_arrives_at_the_local_minute_far_from_utc_and_only_once(
    emulator, bot, clock
):
    alice = emulator.user(5001)
    clock.set(local("Pacific/Kiritimati", 2026, 11, 25, 12, 0))
    await setup(alice, "/timezone Pacific/Kiritimati", "/remind 7:30")
    assert "07:30" in alice.last_bot_message.text
    clock.set(local("Pacific/Kiritimati", 2026, 11, 26, 7, 29))
    assert (await tick(bot)).sent == 0
    clock.set(local("Pacific/Kiritimati", 2026, 11, 26, 7, 30))  # 17:30 UTC the day before
    report = await tick(bot)
    assert report.sent == 1
    reminder = await alice.wait_for_bot_message()
    assert "Time for your face routine" in reminder.text
    assert (await tick(bot)).sent == 0, "the same reminder is never sent twice"
    await alice.press(reminder, "No")  # no flight, no late night: today's routine
    intro = await alice.wait_for_bot_message()
    await alice.press(intro, "Start")
    rating = await alice.wait_for_bot_message()
    assert "Before we start" in rating.text
    await alice.press(rating, "Skip")
    assert "Step 1 of" in (await alice.wait_for_bot_message()).text


async def test_a_reminder_missed_while_down_is_sent_inside_the_grace_only(emulator, bot, clock):
    alice = emulator.user(5002)
    clock.set(local("UTC", 2026, 11, 25, 6, 0))
    await setup(alice, "/remind 7:30")
    clock.set(local("UTC", 2026, 11, 25, 8, 45))  # 75 minutes late: inside the 2 h grace
    assert (await tick(bot)).sent == 1
    clock.set(local("UTC", 2026, 11, 26, 10, 0))  # the next one is 2.5 h late: skipped
    report = await tick(bot)
    assert (report.sent, report.late_skipped) == (0, 1)
    clock.set(local("UTC", 2026, 11, 27, 7, 30))
    assert (await tick(bot)).sent == 1
    assert len(reminders_of(alice)) == 2


async def test_changing_zone_keeps_the_local_hour(emulator, bot, clock):
    alice = emulator.user(5003)
    clock.set(local("Europe/Berlin", 2026, 11, 25, 12, 0))
    await setup(alice, "/timezone Europe/Berlin", "/remind 07:30", "/timezone America/New_York")
    db = bot.bot_data[BOT_DATA_KEY].db
    async with db.read() as session:
        reminder = await session.scalar(select(Reminder).where(Reminder.user_id == alice.id))
    # 12:00 in Berlin is 06:00 in New York: the next 7:30 there is later the same day.
    assert reminder.next_at == local("America/New_York", 2026, 11, 25, 7, 30)


async def test_bad_times_and_zones_are_answered_and_change_nothing(emulator, bot, clock):
    alice = emulator.user(5004)
    await setup(alice, "/timezone Asia/Tokyo", "/remind 8:00")
    db = bot.bot_data[BOT_DATA_KEY].db

    async def state():
        async with db.read() as session:
            user = await session.get(User, alice.id)
            times = list(await session.scalars(select(Reminder.next_at)))
        return user.timezone, times

    before = await state()
    for command, expected in [
        ("/remind 25:99", "couldn't read"),
        ("/remind soon", "couldn't read"),
        ("/remind 7:3", "couldn't read"),
        ("/timezone Mars/Olympus", "don't know the time zone"),
        ("/timezone UTC+15", "don't know the time zone"),
    ]:
        await alice.send(command)
        answer = await alice.wait_for_bot_message()
        assert expected in answer.text, command
        assert "Nothing was changed" in answer.text
    assert await state() == before


async def test_remind_off_and_offsets(emulator, bot, clock):
    alice = emulator.user(5005)
    clock.set(local("UTC", 2026, 11, 25, 6, 0))
    await setup(alice, "/timezone +05:30", "/remind 0730")
    assert "UTC+05:30" in alice.last_bot_message.text
    await setup(alice, "/remind")
    assert "07:30" in alice.last_bot_message.text
    await setup(alice, "/remind off")
    clock.set(local("UTC", 2026, 11, 26, 2, 0))  # 07:30 at +05:30
    assert (await tick(bot)).sent == 0


async def test_a_403_stops_that_users_reminders_until_they_write_again(emulator, bot, clock):
    alice = emulator.user(5006)
    clock.set(local("UTC", 2026, 11, 25, 6, 0))
    await setup(alice, "/remind 7:30")
    emulator.faults.add("403", method="sendMessage", chat_id=alice.id)
    clock.set(local("UTC", 2026, 11, 25, 7, 30))
    assert (await tick(bot)).blocked == 1
    clock.set(local("UTC", 2026, 11, 26, 7, 30))
    report = await tick(bot)
    assert (report.sent, report.blocked) == (0, 0), "not even tried"
    await setup(alice, "/help")  # writing again means they want to hear from us
    clock.set(local("UTC", 2026, 11, 27, 7, 30))
    assert (await tick(bot)).sent == 1


async def test_blocking_and_unblocking_the_bot_in_telegram_stops_and_restarts_reminders(
    emulator, bot, clock
):
    alice = emulator.user(5007)
    clock.set(local("UTC", 2026, 11, 25, 6, 0))
    await setup(alice, "/remind 7:30")
    db = bot.bot_data[BOT_DATA_KEY].db

    async def blocked() -> bool:
        async with db.read() as session:
            return (await session.get(User, alice.id)).blocked_at is not None

    alice.block_bot()  # Telegram sends the bot a my_chat_member update
    await _eventually(blocked, True)
    clock.set(local("UTC", 2026, 11, 25, 7, 30))
    report = await tick(bot)
    assert (report.sent, report.blocked) == (0, 0)
    alice.unblock_bot()
    await _eventually(blocked, False)
    clock.set(local("UTC", 2026, 11, 26, 7, 30))
    assert (await tick(bot)).sent == 1


async def _eventually(probe, expected, attempts: int = 100) -> None:
    for _ in range(attempts):  # bounded: 100 x 20 ms
        if await probe() == expected:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"still not {expected} after {attempts} tries")


async def test_server_errors_are_retried_then_recorded_as_failed(emulator, bot, clock):
    alice, bob = emulator.user(5008), emulator.user(5009)
    clock.set(local("UTC", 2026, 11, 25, 6, 0))
    await setup(alice, "/remind 7:30")
    await setup(bob, "/remind 7:30")
    emulator.faults.add("500", method="sendMessage", chat_id=alice.id)  # once: a retry works
    emulator.faults.add("502", method="sendMessage", chat_id=bob.id, count=None)  # always
    clock.set(local("UTC", 2026, 11, 25, 7, 30))
    calls_before = len(emulator.calls)
    report = await tick(bot)
    assert (report.sent, report.failed, report.retrying) == (1, 0, 1), "bob's is put back"
    assert reminders_of(alice) and not reminders_of(bob)
    # A 5xx is an answer: the message did not arrive, so later ticks try again, a bounded
    # number of times, then give up.
    for minute in (31, 32):
        clock.set(local("UTC", 2026, 11, 25, 7, minute))
        report = await tick(bot)
    assert (report.sent, report.failed) == (0, 1)
    clock.set(local("UTC", 2026, 11, 25, 7, 40))
    assert (await tick(bot)).failed == 0, "given up for good"
    bob_attempts = [
        c
        for c in emulator.calls[calls_before:]
        if c.method == "sendMessage" and c.params["chat_id"] == bob.id
    ]
    per_tick = len(dispatcher.RETRY_PAUSES_S) + 1
    assert len(bob_attempts) == per_tick * dispatch.MAX_TICKS_PER_DELIVERY, "bounded retries"
    assert not reminders_of(bob)


async def test_a_429_is_waited_out_and_the_reminder_delivered(emulator, bot, clock):
    alice = emulator.user(5010)
    clock.set(local("UTC", 2026, 11, 25, 6, 0))
    await setup(alice, "/remind 7:30")
    emulator.faults.add("429", method="sendMessage", chat_id=alice.id, retry_after=1)
    clock.set(local("UTC", 2026, 11, 25, 7, 30))
    assert (await tick(bot)).sent == 1
    assert len(reminders_of(alice)) == 1


async def test_snooze_reminds_again_after_the_chosen_time(emulator, bot, clock):
    alice = emulator.user(5011)
    clock.set(local("UTC", 2026, 11, 25, 6, 0))
    await setup(alice, "/remind 7:30")
    clock.set(local("UTC", 2026, 11, 25, 7, 30))
    await tick(bot)
    reminder = await alice.wait_for_bot_message()
    query = await alice.press(reminder, "30 min")
    assert "08:00" in (await emulator.wait_for_callback_answer(query)).text
    await alice.wait_until(lambda chat: not chat.message(reminder.message_id).flat_buttons)
    clock.set(local("UTC", 2026, 11, 25, 7, 59))
    assert (await tick(bot)).sent == 0
    clock.set(local("UTC", 2026, 11, 25, 8, 0))
    assert (await tick(bot)).sent == 1
    assert "Time for your face routine" in (await alice.wait_for_bot_message()).text
    clock.set(local("UTC", 2026, 11, 25, 9, 0))
    assert (await tick(bot)).sent == 0, "a snooze fires once"


async def test_skip_today_silences_the_rest_of_the_day_snoozes_included(emulator, bot, clock):
    alice = emulator.user(5012)
    clock.set(local("UTC", 2026, 11, 25, 6, 0))
    await setup(alice, "/help")  # known to the bot, with default settings
    svc = bot.bot_data[BOT_DATA_KEY]
    async with svc.db.transaction() as session:
        times = [time(7, 30), time(7, 45), time(20, 0)]
        await storage_reminders.replace_all(session, alice.id, times, "UTC", clock.now())
    clock.set(local("UTC", 2026, 11, 25, 7, 30))
    await tick(bot)
    first = await alice.wait_for_bot_message()
    query = await alice.press(first, "1 hour")  # a snooze due at 08:30
    assert "08:30" in (await emulator.wait_for_callback_answer(query)).text
    clock.set(local("UTC", 2026, 11, 25, 7, 45))
    await tick(bot)
    second = await alice.wait_for_bot_message(lambda m: "Time for your face routine" in m.text)
    await alice.press(second, "Skip today")
    assert "no more reminders today" in (await alice.wait_for_bot_message()).text
    for hour, minute in [(8, 30), (20, 0)]:
        clock.set(local("UTC", 2026, 11, 25, hour, minute))
        assert (await tick(bot)).sent == 0, f"{hour}:{minute:02d} stays quiet"
    clock.set(local("UTC", 2026, 11, 26, 7, 30))
    assert (await tick(bot)).sent == 1, "tomorrow is a new day"


async def test_after_a_restart_a_missed_reminder_goes_out_at_once_inside_the_grace_only(
    emulator, sqlite_url, clock
):
    settings = settings_for(emulator, sqlite_url)
    alice, bob = emulator.user(5013), emulator.user(5014)
    clock.set(local("UTC", 2026, 11, 25, 8, 0))  # set after today's times: due tomorrow
    async with running(build_application(settings, clock=clock)):
        await setup(alice, "/remind 7:30")
        await setup(bob, "/remind 5:00")
    clock.set(local("UTC", 2026, 11, 26, 7, 45))  # down overnight: alice 15 min, bob 2 h 45 late
    async with running(build_application(settings, clock=clock)):
        await alice.wait_for_bot_message(lambda m: "Time for your face routine" in m.text)
        await asyncio.sleep(0.5)
    async with running(build_application(settings, clock=clock)):  # and once more
        await asyncio.sleep(0.5)
    assert len(reminders_of(alice)) == 1, "sent once, not again after the next restart"
    assert reminders_of(bob) == [], "too late: skipped to the next day"


async def test_a_shared_location_offers_its_zone_with_one_press(emulator, bot, clock):
    alice = emulator.user(5015)
    clock.set(local("UTC", 2026, 11, 25, 12, 0))
    await setup(alice, "/timezone Europe/London", "/remind 7:30")
    await alice.send_location(35.68, 139.69)  # Tokyo
    offer = await alice.wait_for_bot_message()
    assert "Asia/Tokyo" in offer.text and "21:00" in offer.text
    await alice.press(offer, "Switch")
    assert "Asia/Tokyo" in (await alice.wait_for_bot_message()).text
    db = bot.bot_data[BOT_DATA_KEY].db
    async with db.read() as session:
        reminder = await session.scalar(select(Reminder).where(Reminder.user_id == alice.id))
    assert reminder.next_at == local("Asia/Tokyo", 2026, 11, 26, 7, 30), "same local hour"
    await alice.send_location(35.68, 139.69)
    assert "already set" in (await alice.wait_for_bot_message()).text


async def test_settings_keep_up_to_three_reminders_and_remind_add(emulator, bot, clock):
    alice = emulator.user(5016)
    clock.set(local("UTC", 2026, 11, 25, 6, 0))
    await setup(alice, "/remind 6:45")
    await alice.send("/settings")
    settings = await alice.wait_for_bot_message()
    assert "Reminders: 06:45 (UTC)" in settings.text
    for preset in ("07:30", "21:00"):
        await alice.press(alice.message(settings.message_id), preset)
        await alice.wait_until(
            lambda chat, p=preset: p in reminders_line(chat.message(settings.message_id))
        )
    assert "06:45, 07:30, 21:00" in alice.message(settings.message_id).text
    query = await alice.press(alice.message(settings.message_id), "12:30")
    assert "up to three" in (await emulator.wait_for_callback_answer(query)).text
    await alice.send("/remind add 18:00")
    assert "up to three" in (await alice.wait_for_bot_message()).text
    await alice.press(alice.message(settings.message_id), "21:00")  # off again
    await alice.wait_until(
        lambda chat: "21:00" not in reminders_line(chat.message(settings.message_id))
    )
    await setup(alice, "/remind add 18:00")
    assert "06:45, 07:30, 18:00" in alice.last_bot_message.text
    clock.set(local("UTC", 2026, 11, 25, 7, 30))
    assert (await tick(bot)).sent == 2, "06:45 and 07:30 are both due"


async def test_quiet_hours_hold_snoozes_and_refuse_reminders_inside_them(emulator, bot, clock):
    alice = emulator.user(5017)
    clock.set(local("UTC", 2026, 11, 25, 20, 0))
    await setup(alice, "/remind 21:30")
    await setup(alice, "/quiet 22:00-07:00")
    assert "22:00-07:00" in alice.last_bot_message.text
    for command, expected in [
        ("/remind add 23:00", "quiet hours"),
        ("/quiet late", "Nothing was changed"),
        ("/quiet 21:00-07:00", "falls within"),  # the 21:30 reminder would be inside
    ]:
        await alice.send(command)
        assert expected in (await alice.wait_for_bot_message()).text, command
    clock.set(local("UTC", 2026, 11, 25, 21, 30))
    await tick(bot)
    reminder = await alice.wait_for_bot_message()
    query = await alice.press(reminder, "1 hour")  # due 22:30, inside quiet hours
    assert "22:30" in (await emulator.wait_for_callback_answer(query)).text
    clock.set(local("UTC", 2026, 11, 25, 22, 30))
    assert (await tick(bot)).sent == 0, "held back"
    clock.set(local("UTC", 2026, 11, 26, 7, 0))
    assert (await tick(bot)).sent == 1, "sent when quiet hours end"
    await alice.wait_for_bot_message(lambda m: "Time for your face routine" in m.text)
    await alice.send("/settings")
    settings = await alice.wait_for_bot_message()
    assert "Quiet hours: 22:00-07:00" in settings.text


async def test_quiet_and_timezone_as_people_first_type_them(emulator, bot, clock):
    """/quiet before any is set says there are none (it showed "Quiet hours: -"); a city
    as the onboarding buttons show it is a zone."""
    bea = emulator.user(5019)
    await bea.send("/quiet")
    none = await bea.wait_for_bot_message()
    assert "no quiet hours" in none.text and "/quiet 22:00-07:00" in none.text
    assert ": -" not in none.text
    await setup(bea, "/quiet 22:00-07:00")
    await bea.send("/quiet")
    assert "22:00-07:00" in (await bea.wait_for_bot_message()).text
    await bea.send("/timezone Moscow")
    assert "Time zone set to Europe/Moscow" in (await bea.wait_for_bot_message()).text
    await bea.send("/timezone new york")
    assert "Time zone set to America/New_York" in (await bea.wait_for_bot_message()).text


async def test_remind_with_other_reminders_asks_whether_to_replace_them_all_or_add(
    emulator, bot, clock
):
    alice = emulator.user(5018)
    clock.set(local("UTC", 2026, 11, 25, 6, 0))
    db = bot.bot_data[BOT_DATA_KEY].db

    async def stored() -> list[str]:
        async with db.read() as session:
            return [r.local_time for r in await storage_reminders.of_user(session, alice.id)]

    async def choose(command: str, button: str | None) -> tuple[object, str]:
        await alice.send(command)
        question = await alice.wait_for_bot_message()
        if button is None:
            return question, question.text
        await alice.press(question, button)
        await alice.wait_until(lambda chat: not chat.message(question).flat_buttons)
        return question, alice.message(question).text

    await setup(alice, "/remind 7:30")
    assert "every day at 07:30" in alice.last_bot_message.text, "no others: set at once"
    await setup(alice, "/remind 7:30")
    assert "every day at 07:30" in alice.last_bot_message.text, "the same again: nothing to ask"
    await setup(alice, "/remind add 21:00")

    question, text = await choose("/remind 12:00", None)
    assert "07:30, 21:00" in text and "12:00" in text
    assert question.button_texts == ["Replace all with 12:00", "Add 12:00", "Keep as they are"]
    assert await stored() == ["07:30", "21:00"], "nothing changes before the choice"
    await alice.press(question, "Add 12:00")
    await alice.wait_until(lambda chat: "Added" in chat.message(question).text)
    assert await stored() == ["07:30", "12:00", "21:00"]
    stale = await alice.press_data(question, question.flat_buttons[0].callback_data)
    assert "already" in (await emulator.wait_for_callback_answer(stale)).text
    assert await stored() == ["07:30", "12:00", "21:00"], "a stale button changes nothing"

    # Three already: adding is not offered.
    question, _ = await choose("/remind 18:00", None)
    assert question.button_texts == ["Replace all with 18:00", "Keep as they are"]
    await alice.press(question, "Keep as they are")
    await alice.wait_until(lambda chat: "Nothing changed" in chat.message(question).text)
    assert await stored() == ["07:30", "12:00", "21:00"]

    _, text = await choose("/remind 18:00", "Replace all with 18:00")
    assert "were 07:30, 12:00, 21:00; now only 18:00" in text and "/remind add" in text
    assert await stored() == ["18:00"]

    # The time is already one of them: keeping only it is the question.
    await setup(alice, "/remind add 7:30")
    question, _ = await choose("/remind 18:00", None)
    assert question.button_texts == ["Keep only 18:00", "Keep as they are"]
    await alice.press(question, "Keep only 18:00")
    await alice.wait_until(lambda chat: "now only 18:00" in chat.message(question).text)
    assert "/remind add 07:30" in alice.message(question).text
    assert await stored() == ["18:00"]
    clock.set(local("UTC", 2026, 11, 25, 18, 0))
    assert (await tick(bot)).sent == 1


async def test_a_double_tap_on_snooze_snoozes_once(emulator, bot, clock):
    alice = emulator.user(5031)
    clock.set(local("UTC", 2026, 11, 25, 6, 0))
    await setup(alice, "/remind 7:30")
    clock.set(local("UTC", 2026, 11, 25, 7, 30))
    await tick(bot)
    reminder = await alice.wait_for_bot_message()
    data = next(b.callback_data for b in reminder.flat_buttons if "30 min" in b.text)
    # Both taps leave before the bot has removed the buttons, as on a slow connection.
    queries = [await alice.press_data(reminder, data) for _ in range(2)]
    for query in queries:
        await emulator.wait_for_callback_answer(query)
    clock.set(local("UTC", 2026, 11, 25, 8, 0))
    assert (await tick(bot)).sent == 1, "one snooze, not two"
