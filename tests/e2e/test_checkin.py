"""The puffiness check-in from the reminder: each cause, each severity, red flags yes and no."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.storage.models import Checkin, Prompt
from bot.telegram import dispatcher
from bot.telegram.services import BOT_DATA_KEY


async def reminder_for(emulator, bot, clock, user_id: int):
    user = emulator.user(user_id)
    clock.set(datetime(2026, 11, 25, 6, 0, tzinfo=UTC))
    await user.send("/remind 7:30")
    await user.wait_for_bot_message()
    clock.set(datetime(2026, 11, 25, 7, 30, tzinfo=UTC))
    await dispatcher.tick(bot.bot_data[BOT_DATA_KEY], bot.bot)
    reminder = await user.wait_for_bot_message()
    assert "Did you fly" in reminder.text
    return user, reminder


async def rate(user, question, rating: int):
    await user.press(question, str(rating))
    await user.wait_until(lambda chat: "safety check" in chat.message(question.message_id).text)
    return user.message(question.message_id)


async def checkins_of(bot, user_id: int) -> list[tuple[str, str, int, str | None]]:
    async with bot.bot_data[BOT_DATA_KEY].db.read() as session:
        rows = await session.scalars(select(Checkin).where(Checkin.user_id == user_id))
        return [(c.cause, c.phase, c.rating, c.red_flag) for c in rows]


@pytest.mark.parametrize(
    ("cause", "button", "rating", "expected_steps"),
    [
        ("flight", "flight", 8, "long"),
        ("flight", "flight", 3, "short"),
        ("party", "late night", 9, "long"),
        ("party", "late night", 2, "short"),
    ],
)
async def test_no_red_flag_leads_to_the_sequence_for_cause_and_severity(
    emulator, bot, clock, cause, button, rating, expected_steps
):
    user, reminder = await reminder_for(emulator, bot, clock, 6000 + rating)
    await user.press(reminder, button)
    question = await user.wait_for_bot_message()
    flags = await rate(user, question, rating)
    await user.press(flags, "None of these")
    intro = await user.wait_for_bot_message(lambda m: m.flat_buttons)
    catalog = bot.bot_data[BOT_DATA_KEY].catalog
    length = "classic" if expected_steps == "long" else "quick"
    routine = catalog.find("en", kind="depuff", cause=cause, length=length) or catalog.find(
        "en", kind="depuff", cause=cause
    )
    assert routine.title in intro.text
    assert f"{rating}/10" in user.message(flags.message_id).text
    assert await checkins_of(bot, user.id) == [(cause, "before", rating, "n")]


@pytest.mark.parametrize(
    ("button", "flag", "expected"),
    [
        ("flight", "breathing, chest", "emergency number"),
        ("flight", "painful, hot", "doctor"),
        ("late night", "breathing, swallowing", "emergency number"),
        ("late night", "painful, hot", "doctor"),
    ],
)
async def test_a_red_flag_means_no_massage_and_clear_advice(
    emulator, bot, clock, button, flag, expected
):
    user, reminder = await reminder_for(emulator, bot, clock, 6100 + len(button) + len(flag))
    await user.press(reminder, button)
    question = await user.wait_for_bot_message()
    flags = await rate(user, question, 6)
    await user.press(flags, flag)
    await user.wait_until(lambda chat: expected in chat.message(flags.message_id).text)
    advice = user.message(flags.message_id)
    assert "massage" in advice.text and not advice.flat_buttons
    assert "leg" not in advice.text or "don't rub your leg" in advice.text
    assert not [m for m in user.bot_messages if "Step 1 of" in m.text]
    stored = await checkins_of(bot, user.id)
    assert len(stored) == 1 and stored[0][3] in ("e", "d")


async def test_no_leads_to_the_daily_routine(emulator, bot, clock):
    user, reminder = await reminder_for(emulator, bot, clock, 6200)
    await user.press(reminder, "No")
    intro = await user.wait_for_bot_message()
    assert "Classic face routine" in intro.text


async def test_after_de_puffing_the_rating_is_asked_again_and_compared(emulator, bot, clock):
    user, reminder = await reminder_for(emulator, bot, clock, 6300)
    await user.press(reminder, "late night")
    question = await user.wait_for_bot_message()
    flags = await rate(user, question, 3)
    await user.press(flags, "None of these")
    intro = await user.wait_for_bot_message(lambda m: m.flat_buttons)
    await user.press(intro, "Start")
    step = await user.wait_for_bot_message()
    while "Done" not in " ".join(step.button_texts):
        await user.press(step, "Next")
        step = await user.wait_for_bot_message(lambda m: "Step" in m.text)
    await user.press(step, "Done")
    after = await user.wait_for_bot_message(lambda m: "How puffy" in m.text)
    await user.press(after, "1")
    await user.wait_until(lambda chat: "3 before, 1 now" in chat.message(after.message_id).text)
    assert await checkins_of(bot, user.id) == [
        ("party", "before", 3, "n"),
        ("party", "after", 1, None),
    ]


async def test_flight_schedules_a_check_in_after_landing_that_survives_a_restart(
    emulator, sqlite_url, clock
):
    from bot.app import build_application, running
    from tests.support.bot import settings_for

    settings = settings_for(emulator, sqlite_url)
    user = emulator.user(6400)
    clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    async with running(build_application(settings, clock=clock)):
        await user.send("/flight 11:00")
        answer = await user.wait_for_bot_message()
        assert "14:00" in answer.text and "2026-11-25" in answer.text
        await user.send("/flight soonish")
        assert "Nothing was changed" in (await user.wait_for_bot_message()).text
    clock.set(datetime(2026, 11, 25, 14, 0, tzinfo=UTC))
    async with running(build_application(settings, clock=clock)) as app:
        # The start-up tick sends what fell due while the bot was down.
        checkin = await user.wait_for_bot_message(lambda m: "Welcome back" in m.text)
        await user.press(checkin, "5")
        await user.wait_until(lambda chat: "safety check" in chat.message(checkin.message_id).text)
        assert (await dispatcher.tick(app.bot_data[BOT_DATA_KEY], app.bot)).sent == 0


async def test_flight_to_another_zone_reads_the_landing_there_and_offers_to_switch(
    emulator, bot, clock
):
    user = emulator.user(6401)
    clock.set(datetime(2026, 11, 25, 2, 0, tzinfo=UTC))
    await user.send("/timezone Europe/Berlin")
    await user.wait_for_bot_message()
    await user.send("/flight 12:00 Asia/Tokyo")  # lands at noon Tokyo time (03:00 UTC)
    answer = await user.wait_for_bot_message()
    assert "15:00" in answer.text and "Asia/Tokyo" in answer.text
    await user.press(answer, "Switch")
    assert "Asia/Tokyo" in (await user.wait_for_bot_message()).text
    async with bot.bot_data[BOT_DATA_KEY].db.read() as session:
        prompt = await session.scalar(select(Prompt).where(Prompt.user_id == user.id))
    assert prompt.due_at == datetime(2026, 11, 25, 6, 0, tzinfo=UTC)  # 15:00 in Tokyo
