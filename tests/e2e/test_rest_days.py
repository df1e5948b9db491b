"""A red flag or a stop-sign holds for the whole ritual day (issue 11, point 1), with a
controlled clock: /routine and /depuff give the advice again, the 10:00 reminder and the 20:00
nudge of that day are not sent, the next day's reminder comes, and the streak goes on."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.app import build_application, running
from bot.pictures.calendar import REST_COLOUR, cell_box
from bot.telegram import dispatcher
from bot.telegram.services import BOT_DATA_KEY
from tests.e2e.test_routine import STEP, begin
from tests.e2e.test_safety_profile import onboard
from tests.e2e.test_streaks import finish_quick_routine, number, streak_photo
from tests.support.bot import settings_for
from tests.support.content import fast_catalog

# Users in UTC. A two-day run on Monday and Tuesday; the red flag comes on Wednesday.
MONDAY, TUESDAY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC), datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
WEDNESDAY = date(2026, 11, 25)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def reminders_of(user) -> list:
    return [m for m in user.bot_messages if "Time for your face routine" in (m.text or "")]


def nudges_of(user) -> list:
    return [m for m in user.bot_messages if "gentle nudge" in (m.text or "")]


async def doctor_level_red_flag(user) -> str:
    """09:00: /depuff, a sign to be seen today. Returns the advice given."""
    await user.send("/depuff party")
    question = await user.wait_for_bot_message(lambda m: "safety check" in (m.text or ""))
    await user.press(question, "to be seen today")
    await user.wait_until(
        lambda chat: "urgent appointment" in chat.message(question.message_id).text
    )
    return user.message(question.message_id).text


async def stop_sign(user) -> str:
    """09:00: the safety questions again, with a stop-sign today. Returns the advice given."""
    await user.send("/profile")
    summary = await user.wait_for_bot_message(lambda m: "Your safety profile" in (m.text or ""))
    await user.press(summary, "Answer again")
    for words in ("botulinum", "rosacea", "thyroid", "pregnant"):
        question = await user.wait_for_bot_message(lambda m, w=words: w in (m.text or ""))
        await user.press(question, "No")
    question = await user.wait_for_bot_message(lambda m: "Today, do you have" in (m.text or ""))
    await user.press(question, "Yes")
    advice = await user.wait_for_bot_message(lambda m: "No massage today" in (m.text or ""))
    await user.wait_for_bot_message(lambda m: "Stop-signs today: yes" in (m.text or ""))
    return advice.text


@pytest.mark.parametrize(
    ("flag", "advice_words"),
    [(doctor_level_red_flag, "urgent appointment"), (stop_sign, "No massage today")],
    ids=["red flag", "stop-sign"],
)
async def test_a_red_flag_or_stop_sign_makes_the_rest_of_the_day_a_rest_day(
    emulator, bot, clock, flag, advice_words
):
    svc = bot.bot_data[BOT_DATA_KEY]
    base = 7600 if flag is stop_sign else 7500
    alice, bob = emulator.user(base + 1), emulator.user(base + 2)  # Bob: the same day, no flag
    clock.set(MONDAY)
    for user in (alice, bob):
        await onboard(user)
    for day in (MONDAY, TUESDAY):
        clock.set(day)
        for user in (alice, bob):
            await finish_quick_routine(user)
    for user in (alice, bob):
        await user.send("/remind 10:00")
        await user.wait_for_bot_message(lambda m: "10:00" in (m.text or ""))
    clock.set(at(24, 10))
    assert (await dispatcher.tick(svc, bot.bot)).sent == 2, "an ordinary day for both"

    clock.set(at(25, 9))
    advice = await flag(alice)
    assert advice_words in advice
    # /routine (and /depuff, and an old start button) refuse with the advice again.
    await alice.send("/routine")
    refused = await alice.wait_for_bot_message()
    assert advice_words in refused.text and not refused.flat_buttons
    assert "Step 1 of" not in refused.text
    await alice.send("/depuff")
    assert advice_words in (await alice.wait_for_bot_message()).text

    clock.set(at(25, 10))
    assert (await dispatcher.tick(svc, bot.bot)).sent == 1, "Bob's reminder only"
    assert len(reminders_of(bob)) == 2 and len(reminders_of(alice)) == 1
    clock.set(at(25, 20))
    assert (await dispatcher.tick(svc, bot.bot)).sent == 1, "Bob's nudge only"
    assert len(nudges_of(bob)) == 1 and nudges_of(alice) == []

    clock.set(at(25, 21))
    card, image = await streak_photo(alice)
    text = card.text
    assert number(text, "Days in a row") == 2
    assert "Wed 🌿" in text and "rest day" in text
    box = cell_box(WEDNESDAY, WEDNESDAY)
    middle = ((box[0] + box[2]) // 2, (box[1] + box[3]) // 2)
    assert image.convert("RGB").getpixel(middle) == REST_COLOUR

    # Thursday: the reminder is back, and it counts on from the run of two.
    clock.set(at(26, 10))
    assert (await dispatcher.tick(svc, bot.bot)).sent == 2
    assert len(reminders_of(alice)) == 2
    reminder = reminders_of(alice)[-1]
    assert "Today would make it <b>3</b> days in a row" in reminder.html
    assert "would make it" not in reminders_of(bob)[-1].text, "Bob's run did end"
    clock.set(at(26, 11))
    if flag is stop_sign:  # asked once whether it still holds: it has cleared
        await alice.send("/routine")
        check = await alice.wait_for_bot_message(lambda m: "all clear today" in (m.text or ""))
        await alice.press(check, "All clear today")
        await alice.wait_for_bot_message(lambda m: "Hands-free" in " ".join(m.button_texts))
    done = await finish_quick_routine(alice)
    assert "Days in a row: 3 (best: 3)" in done
    card, _ = await streak_photo(alice)
    text = card.text
    assert number(text, "Days in a row") == 3
    assert number(text, "Freezes held") == 0, "no freeze was spent on the rest day"


async def test_the_calendar_shows_a_rest_day(emulator, bot, clock):
    """Rest between two done days: the run goes on, and the picture shows the rest day."""
    alice = emulator.user(7701)
    clock.set(MONDAY)
    await finish_quick_routine(alice)
    clock.set(at(24, 9))
    await doctor_level_red_flag(alice)
    clock.set(at(25, 9))
    await finish_quick_routine(alice)
    card, image = await streak_photo(alice)
    text = card.text
    assert number(text, "Days in a row") == 2
    assert "Tue 🌿" in text
    box = cell_box(WEDNESDAY, date(2026, 11, 24))
    middle = ((box[0] + box[2]) // 2, (box[1] + box[3]) // 2)
    assert image.convert("RGB").getpixel(middle) == REST_COLOUR


async def test_an_old_start_button_and_a_half_done_run_give_the_advice_too(emulator, bot, clock):
    alice = emulator.user(7702)
    clock.set(at(25, 8))
    await alice.send("/routine quick")
    intro = await alice.wait_for_bot_message(lambda m: "Hands-free" in " ".join(m.button_texts))
    await alice.send("/routine")
    other = await alice.wait_for_bot_message(lambda m: "Hands-free" in " ".join(m.button_texts))
    await alice.press(other, "Start")
    rating = await alice.wait_for_bot_message(lambda m: "Before we start" in (m.text or ""))
    await alice.press(rating, "Skip")
    await alice.wait_for_bot_message(lambda m: "Step 1 of" in (m.text or ""))
    clock.set(at(25, 9))
    await doctor_level_red_flag(alice)
    await alice.press(intro, "Start")
    refused = await alice.wait_for_bot_message(lambda m: "rest day" in (m.text or ""))
    assert "urgent appointment" in refused.text
    await alice.send("/routine")
    again = await alice.wait_for_bot_message()
    assert "urgent appointment" in again.text and "middle of" not in again.text


async def test_an_older_question_answered_after_a_red_flag_gives_the_advice(emulator, bot, clock):
    alice = emulator.user(7703)
    clock.set(at(25, 9))
    await alice.send("/depuff flight")
    older = await alice.wait_for_bot_message(lambda m: "safety check" in (m.text or ""))
    await doctor_level_red_flag(alice)
    await alice.press(older, "None of these")
    await alice.wait_until(lambda chat: "rest day" in chat.message(older.message_id).text)
    assert "How puffy" not in alice.message(older.message_id).text


async def test_a_routine_under_way_stops_with_the_advice_when_the_day_becomes_a_rest_day(
    emulator, bot, clock
):
    alice = emulator.user(7704)
    clock.set(at(25, 8))
    step = await begin(alice, command="/routine quick")
    await doctor_level_red_flag(alice)
    await alice.press(step, "Next")
    advice = await alice.wait_for_bot_message(lambda m: "rest day" in (m.text or ""))
    assert "urgent appointment" in advice.text
    assert not [m for m in alice.bot_messages if "Step 2 of" in m.text], "no further step"
    assert not alice.message(step.message_id).flat_buttons, "the step's buttons are gone"


async def test_a_hands_free_routine_stops_at_its_next_step_on_a_rest_day(
    emulator, sqlite_url, clock
):
    # Steps of 0.5 s: the red flag comes while the routine runs by itself.
    application = build_application(
        settings_for(emulator, sqlite_url), catalog=fast_catalog(0.5), clock=clock
    )
    bob = emulator.user(7705)
    clock.set(at(25, 8))
    async with running(application):
        await begin(bob, hands_free=True, command="/routine quick")
        await doctor_level_red_flag(bob)
        await bob.wait_for_bot_message(lambda m: "rest day" in (m.text or ""), timeout=10)
        steps = len([m for m in bob.bot_messages if STEP.search(m.text or "")])
        await asyncio.sleep(1.5)  # three more step times: nothing more comes
        assert len([m for m in bob.bot_messages if STEP.search(m.text or "")]) == steps
        assert not [m for m in bob.bot_messages if "Well done" in (m.text or "")]


@pytest.mark.parametrize("still", [True, False], ids=["still there", "all clear"])
async def test_a_check_in_after_an_earlier_stop_sign_asks_first_whether_it_has_gone(
    emulator, bot, clock, still
):
    """A stop-sign yesterday: the check-in asks whether it still holds before the red flags
    and the rating (not after them, only to refuse)."""
    alice = emulator.user(7710 + still)
    clock.set(at(24, 9))
    await onboard(alice)
    await stop_sign(alice)
    clock.set(at(25, 9))
    await alice.send("/depuff flight")
    check = await alice.wait_for_bot_message()
    assert "all clear today" in check.text
    assert "safety check" not in check.text and "How puffy" not in check.text
    if still:
        await alice.press(check, "Still there")
        advice = await alice.wait_for_bot_message(lambda m: "No massage today" in (m.text or ""))
        assert not advice.flat_buttons
        assert not [m for m in alice.bot_messages if "safety check" in (m.text or "")]
        return
    await alice.press(check, "All clear today")
    question = await alice.wait_for_bot_message(lambda m: "safety check" in (m.text or ""))
    assert "calf or thigh" in question.text, "the flight's check-in goes on"
    assert "None of these" in " ".join(question.button_texts)


@pytest.mark.parametrize("flag", [doctor_level_red_flag, stop_sign], ids=["red flag", "stop-sign"])
async def test_a_red_flag_in_the_small_hours_rests_the_day_ahead_too(emulator, bot, clock, flag):
    """At 02:00 (the day starts at 04:00) "no massage today" means the day the user wakes
    into: not only the two hours left of the evening before."""
    svc = bot.bot_data[BOT_DATA_KEY]
    alice = emulator.user(7720 + (flag is stop_sign))
    clock.set(at(25, 9))
    await onboard(alice)
    await alice.send("/remind 8:30")
    await alice.wait_for_bot_message(lambda m: "08:30" in (m.text or ""))
    clock.set(at(26, 2))
    await flag(alice)
    clock.set(at(26, 5))
    await alice.send("/routine")
    refused = await alice.wait_for_bot_message()
    assert "rest day" in refused.text and not refused.flat_buttons
    clock.set(at(26, 8, 30))
    assert (await dispatcher.tick(svc, bot.bot)).sent == 0
    assert reminders_of(alice) == []
    clock.set(at(27, 8, 30))
    assert (await dispatcher.tick(svc, bot.bot)).sent == 1, "the reminders come back"
    assert len(reminders_of(alice)) == 1


@pytest.mark.parametrize("button", ["flight", "late night", "No: today", "30 min", "1 hour"])
async def test_every_button_of_a_reminder_from_before_the_red_flag_gives_the_advice(
    emulator, bot, clock, button
):
    """Not a question, a routine, or a snooze that promises a reminder the rest day never
    sends."""
    svc = bot.bot_data[BOT_DATA_KEY]
    alice = emulator.user(7730 + len(button))
    clock.set(at(25, 8))
    await alice.send("/remind 8:30")
    await alice.wait_for_bot_message(lambda m: "08:30" in (m.text or ""))
    clock.set(at(25, 8, 30))
    assert (await dispatcher.tick(svc, bot.bot)).sent == 1
    reminder = reminders_of(alice)[-1]
    await doctor_level_red_flag(alice)
    query = await alice.press(reminder, button)
    notice = await emulator.wait_for_callback_answer(query)
    assert not notice.text, "no notice that promises anything"
    advice = await alice.wait_for_bot_message(lambda m: "rest day" in (m.text or ""))
    assert "urgent appointment" in advice.text and not advice.flat_buttons
    if button != "No: today":  # that one leaves the reminder as it is on any day
        assert not alice.message(reminder.message_id).flat_buttons, "the reminder's buttons go"
    clock.set(at(25, 10))
    assert (await dispatcher.tick(svc, bot.bot)).sent == 0


async def test_continue_on_a_run_left_half_way_gives_the_advice_not_the_step(emulator, bot, clock):
    alice = emulator.user(7740)
    clock.set(at(25, 8))
    await begin(alice, command="/routine quick")
    await alice.send("/routine")
    offer = await alice.wait_for_bot_message(lambda m: "Continue" in " ".join(m.button_texts))
    await doctor_level_red_flag(alice)
    steps = len([m for m in alice.bot_messages if STEP.search(m.text or "")])
    await alice.press(offer, "Continue")
    advice = await alice.wait_for_bot_message(lambda m: "rest day" in (m.text or ""))
    assert "urgent appointment" in advice.text and not advice.flat_buttons
    assert len([m for m in alice.bot_messages if STEP.search(m.text or "")]) == steps


@pytest.mark.parametrize(
    ("zone", "offset"),
    [("Pacific/Kiritimati", 14), ("Pacific/Pago_Pago", -11), ("+03:00", 3), ("-09:30", -9.5)],
)
async def test_the_rest_day_follows_the_users_own_day_in_far_zones(
    emulator, bot, clock, zone, offset
):
    """The rest day is the user's local ritual day, on both sides of the date line and at
    fixed offsets: the 10:00 reminder of that day is held, the next day's comes."""
    svc = bot.bot_data[BOT_DATA_KEY]

    def local(day: int, hour: int) -> datetime:
        return at(day, hour) - timedelta(hours=offset)

    alice = emulator.user(7750 + int(offset * 2))
    clock.set(local(25, 7))
    await alice.send(f"/timezone {zone}")
    await alice.wait_for_bot_message(lambda m: "Time zone set" in (m.text or ""))
    await alice.send("/remind 10:00")
    await alice.wait_for_bot_message(lambda m: "10:00" in (m.text or ""))
    clock.set(local(25, 9))
    await doctor_level_red_flag(alice)
    for hour in (10, 20):
        clock.set(local(25, hour))
        assert (await dispatcher.tick(svc, bot.bot)).sent == 0
    clock.set(local(26, 10))
    assert (await dispatcher.tick(svc, bot.bot)).sent == 1
    assert len(reminders_of(alice)) == 1
