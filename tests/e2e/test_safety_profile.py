"""The safety profile through Telegram: onboarding answers fit the routine (a filler in the
cheeks leaves the cheek steps out until the pause ends), a stop-sign blocks the day, ratings
before and after a routine are stored and shown, and the chosen routine is offered first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.storage.models import Checkin
from bot.telegram import dispatcher
from bot.telegram.services import BOT_DATA_KEY
from tests.e2e.test_routine import STEP, step_of
from tests.e2e.test_streaks import finish_quick_routine

MORNING = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


async def answer(user, question_words: str, button: str):
    question = await user.wait_for_bot_message(lambda m: question_words in (m.text or ""))
    await user.press(question, button)
    return question


async def onboard(user, *, injection: tuple[str, str] | None = None, stop: str = "No"):
    """/start, then the safety questions: an injection (area, when) or none, no to the rest
    but the stop-signs, which get `stop`."""
    await user.send("/start")
    if injection is None:
        await answer(user, "botulinum", "No")
    else:
        await answer(user, "botulinum", "Yes")
        await answer(user, "Where was it done", injection[0])
        await answer(user, "When was it done", injection[1])
    await answer(user, "rosacea", "No")
    await answer(user, "thyroid", "No")
    await answer(user, "pregnant", "No")
    await answer(user, "Today, do you have", stop)
    return await user.wait_for_bot_message(lambda m: "Your safety profile" in (m.text or ""))


async def routine_intro(user):
    await user.send("/routine classic")
    return await user.wait_for_bot_message(lambda m: "Hands-free" in " ".join(m.button_texts))


async def step_titles(user, intro) -> list[str]:
    """Start the routine (no rating) and collect every step's title to the end."""
    await user.press(intro, "Start")
    rating = await user.wait_for_bot_message(lambda m: "Before we start" in (m.text or ""))
    await user.press(rating, "Skip")
    step = await user.wait_for_bot_message(lambda m: STEP.search(m.text or ""))
    titles = [step.text.split("\n")[0].split("· ", 1)[1]]
    total = step_of(step)[1]
    for number in range(2, total + 1):
        await user.press(step, "Next")
        step = await user.wait_for_bot_message(lambda m, n=number: f"Step {n} of" in m.text)
        titles.append(step.text.split("\n")[0].split("· ", 1)[1])
    await user.press(step, "Stop")
    await user.wait_for_bot_message(lambda m: "Routine stopped" in (m.text or ""))
    return titles


async def test_a_filler_in_the_cheeks_leaves_cheek_steps_out_until_the_pause_ends(
    emulator, bot, clock
):
    clock.set(MORNING)
    alice = emulator.user(9401)
    summary = await onboard(alice, injection=("Cheeks", "1-3 days ago"))
    assert "Cheeks, on 2026-11-24" in summary.text and "until 2026-12-08" in summary.text
    asked = next(m for m in alice.bot_messages if "botulinum toxin (e.g." in (m.text or ""))
    assert asked.text.endswith("→ yes") and not asked.flat_buttons, "answered, buttons gone"

    intro = await routine_intro(alice)
    assert "Fitted to your safety profile" in intro.text
    assert "ask your injector" in intro.text.lower()
    assert "Left out today: Cheeks, Final sweep." in intro.text
    titles = await step_titles(alice, intro)
    assert "Cheeks" not in titles and "Final sweep" not in titles
    assert len(titles) == 10 and "Under the eyes" in titles

    clock.set(MORNING + timedelta(days=20))
    intro = await routine_intro(alice)
    assert "Fitted to your safety profile" not in intro.text
    titles = await step_titles(alice, intro)
    assert "Cheeks" in titles and len(titles) == 12


async def test_a_stop_sign_blocks_todays_routine_and_is_checked_again_the_next_day(
    emulator, bot, clock
):
    clock.set(MORNING)
    bob = emulator.user(9402)
    await onboard(bob, stop="Yes")
    advice = next(m for m in bob.bot_messages if "No massage today" in (m.text or ""))
    assert "see a doctor" in advice.text.lower()
    await bob.send("/routine")
    blocked = await bob.wait_for_bot_message()
    assert "No massage today" in blocked.text and not blocked.flat_buttons
    await bob.send("/depuff flight")
    rating = await bob.wait_for_bot_message(lambda m: m.flat_buttons)
    await bob.press(rating, "5")
    await bob.wait_until(lambda chat: "safety check" in chat.message(rating.message_id).text)
    await bob.press(bob.message(rating.message_id), "None of these")
    assert "No massage today" in (await bob.wait_for_bot_message()).text

    clock.set(MORNING + timedelta(days=1))
    await bob.send("/routine")
    check = await bob.wait_for_bot_message(lambda m: "all clear today" in (m.text or ""))
    await bob.press(check, "All clear today")
    intro = await bob.wait_for_bot_message(lambda m: "Hands-free" in " ".join(m.button_texts))
    assert "Classic face ritual" in intro.text


async def test_ratings_before_and_after_are_stored_and_shown_in_progress(emulator, bot, clock):
    clock.set(MORNING)
    carol = emulator.user(9403)
    await finish_quick_routine(carol, before="7", after="4")
    noted = carol.bot_messages[-1]
    assert "7 before, 4 now" in noted.text
    async with bot.bot_data[BOT_DATA_KEY].db.read() as session:
        rows = await session.scalars(select(Checkin).where(Checkin.user_id == 9403))
        assert [(c.cause, c.phase, c.rating) for c in rows] == [
            ("daily", "before", 7),
            ("daily", "after", 4),
        ]
    await carol.send("/progress")
    progress = await carol.wait_for_bot_message(lambda m: m.photo is not None)
    assert "rating changed by -3.0 on average (1 times)" in progress.caption

    # Off in /settings: the routine starts at once.
    await carol.send("/settings")
    settings = await carol.wait_for_bot_message(lambda m: "Settings" in (m.text or ""))
    await carol.press(settings, "Ratings before/after: on")
    await carol.wait_until(
        lambda chat: (
            "Ratings before/after: off" in " ".join(chat.message(settings.message_id).button_texts)
        )
    )
    await carol.send("/routine quick")
    intro = await carol.wait_for_bot_message(lambda m: "Hands-free" in " ".join(m.button_texts))
    await carol.press(intro, "Start")
    assert "Step 1 of" in (await carol.wait_for_bot_message()).text


async def test_the_chosen_routine_is_the_one_the_reminder_offers(emulator, bot, clock):
    clock.set(MORNING - timedelta(hours=2))
    dan = emulator.user(9404)
    await dan.send("/settings")
    settings = await dan.wait_for_bot_message(lambda m: "Settings" in (m.text or ""))
    evening = next(b for b in settings.button_texts if "oil" in b.lower())
    await dan.press(settings, evening)
    await dan.wait_until(
        lambda chat: "Usual routine: Evening" in chat.message(settings.message_id).text
    )
    await dan.send("/remind 8:00")
    await dan.wait_for_bot_message(lambda m: "08:00" in (m.text or ""))
    clock.set(MORNING)
    await dispatcher.tick(bot.bot_data[BOT_DATA_KEY], bot.bot)
    reminder = await dan.wait_for_bot_message(lambda m: "Time for your" in (m.text or ""))
    await dan.press(reminder, "No")
    intro = await dan.wait_for_bot_message(lambda m: "Hands-free" in " ".join(m.button_texts))
    assert "oil" in intro.text.lower()
