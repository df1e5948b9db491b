"""Fixed-offset time zones, as a new user types them, work everywhere a named zone does; a zone
the parser cannot read is refused with an example and changes nothing."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time, timedelta, timezone

import pytest
from sqlalchemy import func, select

from bot.app import build_application, running
from bot.config import SettingsError
from bot.domain.localised import day_label
from bot.storage.models import Completion, Prompt, User
from bot.telegram import dispatcher
from bot.telegram.services import BOT_DATA_KEY
from tests.e2e.test_routine import STEP, begin
from tests.support.bot import settings_for
from tests.support.pictures import picture_answer
from tests.support.users import add_users

# 20:00 UTC: 23:00 at +03:00 and 15:00 at UTC-5 (still the 25th), but 10:00 on the 26th at
# UTC+14, so the ritual day shows whether the zone was really applied.
EVENING = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)
FAILED = "something went wrong"


def reminders_of(user):
    return [m for m in user.bot_messages if "Time for your face routine" in (m.text or "")]


def failures(emulator, user) -> list[str]:
    """Every "something went wrong" the user saw, in the chat or on a button's answer."""
    said = [m.text for m in user.bot_messages if FAILED in (m.text or m.caption or "")]
    answered = [a.text for a in emulator.callback_answers.values() if FAILED in (a.text or "")]
    return said + answered


async def photo_of(user, command: str):
    """The text part of a /streak or /progress answer (the picture must follow it)."""
    return (await picture_answer(user, command)).text


@pytest.mark.parametrize(
    ("typed", "stored", "offset"),
    [("+03:00", "UTC+03:00", 3), ("UTC-5", "UTC-05:00", -5), ("UTC+14", "UTC+14:00", 14)],
)
async def test_a_fixed_offset_works_for_every_command_and_the_reminder(
    emulator, database_url, clock, caplog, typed, stored, offset
):
    caplog.set_level(logging.ERROR)
    clock.set(EVENING)
    zone = timezone(timedelta(hours=offset))
    local_now = EVENING.astimezone(zone)
    # The ritual day starts at 04:00 local time.
    ritual_day = (local_now - timedelta(hours=4)).date()
    alice = emulator.user(8000 + offset)
    application = build_application(settings_for(emulator, database_url), clock=clock)
    async with running(application):
        svc = application.bot_data[BOT_DATA_KEY]
        await alice.send(f"/timezone {typed}")
        answer = await alice.wait_for_bot_message()
        assert stored in answer.text and local_now.strftime("%H:%M") in answer.text

        # /routine, every step to the end, counted for the ritual day of that zone.
        step = await begin(alice)
        while "Done" not in " ".join(step.button_texts):
            await alice.press(step, "Next")
            step = await alice.wait_for_bot_message(lambda m: STEP.search(m.text or ""))
        await alice.press(step, "Done")
        done = await alice.wait_for_bot_message(lambda m: "Well done" in (m.text or ""))
        assert f"Counted for your day {day_label(ritual_day, 'en')}" in done.text
        after = await alice.wait_for_bot_message(lambda m: "And now" in (m.text or ""))
        await alice.press(after, "3")
        await alice.wait_until(lambda chat: "noted" in chat.message(after.message_id).text)

        streak = await photo_of(alice, "/streak")
        assert "Days in a row: 1" in streak.text and "Today is counted" in streak.text
        progress = await photo_of(alice, "/progress")
        assert "Routines in the last 4 weeks: 1 · days with a routine: 1" in progress.text

        # /depuff through the check-in to the first step of a sequence.
        await alice.send("/depuff")
        cause = await alice.wait_for_bot_message(lambda m: m.flat_buttons)
        await alice.press(cause, "flight")
        flags = await alice.wait_for_bot_message(lambda m: "safety check" in m.text)
        await alice.press(flags, "None of these")
        await alice.wait_until(lambda chat: "How puffy" in chat.message(flags.message_id).text)
        await alice.press(alice.message(flags.message_id), "5")
        intro = await alice.wait_for_bot_message(lambda m: "Start" in " ".join(m.button_texts))
        await alice.press(intro, "Start")
        first = await alice.wait_for_bot_message(lambda m: STEP.search(m.text or ""))
        assert "Step 1 of" in first.text

        # A reminder at the next local minute comes once, at that minute.
        at = (local_now + timedelta(minutes=1)).strftime("%H:%M")
        await alice.send(f"/remind {at}")
        assert at in (await alice.wait_for_bot_message()).text
        assert (await dispatcher.tick(svc, application.bot)).sent == 0
        clock.advance(minutes=1)
        assert (await dispatcher.tick(svc, application.bot)).sent == 1
        await alice.wait_until(lambda chat: reminders_of(chat))
        assert (await dispatcher.tick(svc, application.bot)).sent == 0
        assert len(reminders_of(alice)) == 1

        async with svc.db.read() as session:
            user = await session.get(User, alice.id)
            completions = list(await session.scalars(select(Completion)))
        assert user.timezone == stored
        assert [(c.local_date, c.timezone) for c in completions] == [(ritual_day, stored)]
    assert failures(emulator, alice) == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text


async def test_what_is_not_a_zone_is_refused_with_an_example_and_changes_nothing(
    emulator, bot, clock
):
    svc = bot.bot_data[BOT_DATA_KEY]
    alice = emulator.user(8100)
    clock.set(EVENING)
    await alice.send("/timezone Asia/Tokyo")
    await alice.wait_for_bot_message()

    async def state():
        async with svc.db.read() as session:
            user = await session.get(User, alice.id)
            prompts = await session.scalar(select(func.count()).select_from(Prompt))
        return user.timezone, prompts

    before = await state()
    assert before == ("Asia/Tokyo", 0)
    no_sign, unknown, example = "has no sign", "don't know the time zone", "/timezone +03:00"
    refusals = {
        # No sign: a number is not an offset (these were read as UTC-02:00 and UTC-07:30).
        "/timezone 12": (no_sign, example),
        "/timezone 0730": (no_sign, example),
        "/timezone a5": (unknown, "+03:00"),  # was UTC-05:00
        "/timezone +15": (unknown, "+03:00"),
        "/timezone -13": (unknown, "+03:00"),
        "/timezone +03:60": (unknown, "+03:00"),
        # Was a landing "now" at UTC-05:00.
        "/flight 25:00": ("couldn't read", "/flight 18:30"),
    }
    for command, (reason, example) in refusals.items():
        await alice.send(command)
        answer = await alice.wait_for_bot_message()
        assert reason in answer.text and example in answer.text, command
        assert "Nothing was changed" in answer.text, command
    assert await state() == before
    assert failures(emulator, alice) == []


async def test_a_stored_zone_that_is_no_longer_a_zone_reads_as_utc_and_breaks_nothing(
    emulator, bot, clock, caplog
):
    """Say tzdata dropped the zone after the user chose it: every command still answers, in
    UTC, and the reminder still comes."""
    caplog.set_level(logging.WARNING)
    svc = bot.bot_data[BOT_DATA_KEY]
    gone = "Atlantis/Sunken_City"
    clock.set(EVENING)
    async with svc.db.transaction() as session:
        await add_users(session, [8200], now=EVENING, timezone=gone, reminder=time(20, 1))
    alice = emulator.user(8200)
    await alice.send("/timezone")
    assert "20:00" in (await alice.wait_for_bot_message()).text  # UTC's clock
    step = await begin(alice, command="/routine quick")
    assert "Step 1 of" in step.text
    assert "Days in a row: 0" in (await photo_of(alice, "/streak")).text
    await alice.send("/progress")
    assert "Nothing to show yet" in (await alice.wait_for_bot_message()).text
    clock.advance(minutes=1)
    assert (await dispatcher.tick(svc, bot.bot)).sent == 1
    await alice.wait_until(lambda chat: reminders_of(chat))
    assert failures(emulator, alice) == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    warned = [r for r in caplog.records if gone in r.getMessage()]
    assert len(warned) == 1 and "using UTC" in warned[0].getMessage()


async def test_default_timezone_is_read_as_users_type_zones(emulator, sqlite_url, clock):
    """DEFAULT_TIMEZONE takes what /timezone takes and stores its canonical form."""
    assert settings_for(
        emulator, sqlite_url, default_timezone="europe/berlin"
    ).default_timezone == ("Europe/Berlin")
    for refused in ("12", "Mars/Olympus", "UTC+15"):
        with pytest.raises(SettingsError, match="Setting DEFAULT_TIMEZONE: is not a time zone"):
            settings_for(emulator, sqlite_url, default_timezone=refused)
    settings = settings_for(emulator, sqlite_url, default_timezone="utc-5")
    assert settings.default_timezone == "UTC-05:00"
    clock.set(EVENING)
    alice = emulator.user(8300)
    async with running(build_application(settings, clock=clock)):
        await alice.send("/timezone")
        assert "UTC-05:00, where it is now 15:00" in (await alice.wait_for_bot_message()).text
        step = await begin(alice, command="/routine quick")
        assert "Step 1 of" in step.text
    assert failures(emulator, alice) == []
