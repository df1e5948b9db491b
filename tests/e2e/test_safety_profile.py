"""The safety profile through Telegram: onboarding answers fit the routine (a filler in the
cheeks leaves the cheek steps out until the pause ends), a stop-sign blocks the day, ratings
before and after a routine are stored and shown, and the chosen routine is offered first."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.pictures.progress import _CHECKINS_PANEL, _NEUTRAL, _rating_y
from bot.storage import safety
from bot.storage.models import Checkin
from bot.telegram import dispatcher
from bot.telegram.services import BOT_DATA_KEY
from tests.e2e.test_routine import STEP, step_of
from tests.e2e.test_streaks import finish_quick_routine
from tests.support.pictures import picture_answer

MORNING = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


async def answer(user, question_words: str, button: str):
    question = await user.wait_for_bot_message(lambda m: question_words in (m.text or ""))
    await user.press(question, button)
    return question


async def pick_areas(user, labels: tuple[str, ...], question=None):
    """Tap each injection area (each tap edits the question: a ✓ on its button), then Done."""
    if question is None:
        question = await user.wait_for_bot_message(lambda m: "Where was it done" in (m.text or ""))
    for label in labels:
        await user.press(question, label)
        await user.wait_until(
            lambda chat, name=label: (
                f"✓ {name}" in [b.text for b in chat.message(question.message_id).flat_buttons]
            )
        )
    await user.press(question, "Done ✓")
    return question


async def onboard(
    user, *, injection: tuple[tuple[str, ...] | str, str] | None = None, stop: str = "No"
):
    """/start, then the safety questions: an injection (areas, when) or none, no to the rest
    but the stop-signs, which get `stop`."""
    await user.send("/start")
    if injection is None:
        await answer(user, "botulinum", "No")
    else:
        areas = (injection[0],) if isinstance(injection[0], str) else injection[0]
        await answer(user, "botulinum", "Yes")
        await pick_areas(user, areas)
        await answer(user, "When was it done", injection[1])
    await answer(user, "rosacea", "No")
    await answer(user, "thyroid", "No")
    await answer(user, "pregnant", "No")
    await answer(user, "Today, do you have", stop)
    return await user.wait_for_bot_message(lambda m: "Your safety profile" in (m.text or ""))


async def routine_intro(user):
    await user.send("/routine classic")
    return await user.wait_for_bot_message(lambda m: "Hands-free" in " ".join(m.button_texts))


async def step_messages(user, intro) -> list:
    """Start the routine (no rating) and collect every step message to the end."""
    await user.press(intro, "Start")
    rating = await user.wait_for_bot_message(lambda m: "Before we start" in (m.text or ""))
    await user.press(rating, "Skip")
    step = await user.wait_for_bot_message(lambda m: STEP.search(m.text or ""))
    steps = [step]
    for number in range(2, step_of(step)[1] + 1):
        await user.press(step, "Next")
        step = await user.wait_for_bot_message(lambda m, n=number: f"Step {n} of" in m.text)
        steps.append(step)
    await user.press(step, "Stop")
    await user.wait_for_bot_message(lambda m: "Routine stopped" in (m.text or ""))
    return steps


def title_of(step) -> str:
    return step.text.split("\n")[0].split(" · ")[1]


async def step_titles(user, intro) -> list[str]:
    """Start the routine (no rating) and collect every step's title to the end."""
    return [title_of(step) for step in await step_messages(user, intro)]


async def test_a_filler_in_the_cheeks_leaves_cheek_steps_out_until_the_pause_ends(
    emulator, bot, clock
):
    clock.set(MORNING)
    alice = emulator.user(9401)
    summary = await onboard(alice, injection=("Cheeks", "1-3 days ago"))
    assert "Cheeks, on November 24" in summary.text and "until December 8" in summary.text
    asked = next(m for m in alice.bot_messages if "botulinum toxin (e.g." in (m.text or ""))
    assert asked.text.endswith("→ yes") and not asked.flat_buttons, "answered, buttons gone"

    intro = await routine_intro(alice)
    assert "Fitted to your safety profile" in intro.text
    assert "ask your injector" in intro.text.lower()
    # Every step that passes over the cheeks, not only the one named after them.
    assert "Left out today: Cheeks, Sides of the nose, Temples, Final sweep." in intro.text
    assert "shortened from 15–20 min: 4 left out for your safety profile" in intro.text
    titles = await step_titles(alice, intro)
    assert "Cheeks" not in titles and "Final sweep" not in titles
    assert len(titles) == 9 and "Under the eyes" in titles

    clock.set(MORNING + timedelta(days=20))
    intro = await routine_intro(alice)
    assert "Fitted to your safety profile" not in intro.text
    assert "shortened" not in intro.text
    titles = await step_titles(alice, intro)
    assert "Cheeks" in titles and len(titles) == 13


async def test_several_injection_areas_at_once_leave_out_every_step_over_any_of_them(
    emulator, bot, clock
):
    clock.set(MORNING)
    dora = emulator.user(9411)
    await dora.send("/start")
    await answer(dora, "botulinum", "Yes")
    question = await dora.wait_for_bot_message(lambda m: "Where was it done" in (m.text or ""))
    # Done before any area is chosen: a short notice, the question stays.
    query = await dora.press(question, "Done ✓")
    assert "at least one area" in (await emulator.wait_for_callback_answer(query)).text
    # Tapping an area twice takes it back.
    await dora.press(question, "Lips or around the mouth")
    await dora.wait_until(
        lambda chat: (
            "✓ Lips or around the mouth"
            in [b.text for b in chat.message(question.message_id).flat_buttons]
        )
    )
    await dora.press(question, "✓ Lips or around the mouth")
    await dora.wait_until(
        lambda chat: (
            "Lips or around the mouth"
            in [b.text for b in chat.message(question.message_id).flat_buttons]
        )
    )
    await pick_areas(
        dora, ("Forehead or between the brows", "Around the eyes (crow's feet)"), question
    )
    await dora.wait_until(
        lambda chat: (
            "→ Forehead or between the brows, Around the eyes"
            in (chat.message(question.message_id).text)
        )
    )
    assert not dora.message(question.message_id).flat_buttons, "answered, buttons gone"
    # A stale tap on the closed question changes nothing.
    stale = await dora.press_data(question.message_id, "p:area:cheeks")
    assert "answered already" in (await emulator.wait_for_callback_answer(stale)).text
    await answer(dora, "When was it done", "Today")
    for words in ("rosacea", "thyroid", "pregnant", "Today, do you have"):
        await answer(dora, words, "No")
    summary = await dora.wait_for_bot_message(lambda m: "Your safety profile" in (m.text or ""))
    assert "Forehead or between the brows, Around the eyes (crow's feet), on November 25" in (
        summary.text
    )
    async with bot.bot_data[BOT_DATA_KEY].db.read() as session:
        stored = await safety.load(session, 9411)
    assert stored.injected_areas == ("forehead", "eyes")

    intro = await routine_intro(dora)
    for title in ("Brows and forehead", "Under the eyes", "Temples", "Final sweep"):
        assert title in intro.text.split("Left out today:")[1], title
    titles = await step_titles(dora, intro)
    for title in ("Brows and forehead", "Under the eyes", "Temples", "Final sweep"):
        assert title not in titles
    assert {"Cheeks", "Along the jawline", "Sides of the neck"} <= set(titles)


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
    for command in ("/depuff flight", "/depuff"):
        # Said at once, instead of asking the red flags and the rating and then refusing.
        await bob.send(command)
        at_once = await bob.wait_for_bot_message()
        assert "No massage today" in at_once.text and not at_once.flat_buttons

    clock.set(MORNING + timedelta(days=1))
    await bob.send("/routine")
    check = await bob.wait_for_bot_message(lambda m: "all clear today" in (m.text or ""))
    await bob.press(check, "All clear today")
    intro = await bob.wait_for_bot_message(lambda m: "Hands-free" in " ".join(m.button_texts))
    assert "Classic face routine" in intro.text


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
    answer = await picture_answer(carol, "/progress")
    progress = answer.text
    assert "rating changed by -3.0 on average (routines rated before and after: 1)" in progress.text
    # The chart draws the change: a line from 7 down to 4 in the daily routine's grey.
    top, bottom = (round(_rating_y(_CHECKINS_PANEL, r)) for r in (6, 5))
    band = answer.image.convert("RGB").crop((0, top, answer.image.width, bottom))
    assert sum(n for n, colour in band.getcolors(1 << 20) if colour == _NEUTRAL) >= bottom - top

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


def asked_after(user, message, question_words: str) -> int:
    """How many times the bot asked the question after `message`."""
    later = [m for m in user.bot_messages if m.message_id > message.message_id]
    return sum(question_words in (m.text or "") for m in later)


async def test_skip_the_rest_on_the_first_question_ends_the_questions_with_a_summary(
    emulator, bot, clock
):
    clock.set(MORNING)
    erin = emulator.user(9405)
    await erin.send("/start")
    first = await erin.wait_for_bot_message(lambda m: "botulinum" in (m.text or ""))
    await erin.press(first, "Skip the rest")
    summary = await erin.wait_for_bot_message()
    closed = erin.message(first)
    assert "leave the rest" in closed.text and not closed.flat_buttons
    assert "Your safety profile" in summary.text and "Nothing answered yet" in summary.text
    assert summary.button_texts == ["Answer the questions"]
    await asyncio.sleep(0.3)  # time for a wrongly repeated question to show up
    assert asked_after(erin, first, "Have you had botulinum") == 0, "not asked again"
    async with bot.bot_data[BOT_DATA_KEY].db.read() as session:
        assert await safety.load(session, erin.id) is None, "nothing was answered"

    # /profile with nothing answered: the summary again, not the first question.
    await erin.send("/profile")
    again = await erin.wait_for_bot_message()
    assert "Nothing answered yet" in again.text
    assert asked_after(erin, first, "Have you had botulinum") == 0
    await erin.press(again, "Answer the questions")
    question = await erin.wait_for_bot_message(lambda m: "botulinum" in (m.text or ""))
    assert question.flat_buttons, "the questions start when asked for"
    assert erin.message(again).text == "Here they come, one at a time."


async def test_skip_the_rest_half_way_shows_what_was_answered(emulator, bot, clock):
    clock.set(MORNING)
    finn = emulator.user(9406)
    await finn.send("/start")
    await answer(finn, "botulinum", "No")
    await answer(finn, "rosacea", "Not sure")
    thyroid = await answer(finn, "thyroid", "Skip the rest")
    summary = await finn.wait_for_bot_message()
    assert "leave the rest" in finn.message(thyroid).text
    lines = summary.text.splitlines()
    assert "Recent botulinum toxin or filler: no" in lines
    assert "Rosacea or sensitive skin: not sure (I'll take the careful path)" in lines
    assert "Thyroid condition: not answered" in lines and "Pregnant: not answered" in lines
    assert summary.button_texts == ["Answer again"]
    await asyncio.sleep(0.3)
    assert asked_after(finn, summary, "Are you pregnant") == 0, "no question after Skip the rest"


async def test_a_forged_or_stale_profile_button_gets_one_friendly_answer_and_changes_nothing(
    emulator, bot, clock
):
    clock.set(MORNING)
    gail = emulator.user(9407)
    summary = await onboard(gail)
    db = bot.bot_data[BOT_DATA_KEY].db
    async with db.read() as session:
        before = await safety.load(session, gail.id)
    skin = next(m for m in gail.bot_messages if "rosacea" in (m.text or ""))
    messages_before = len(gail.bot_messages)
    presses = [
        (summary, "p:inj:maybe", "doesn't work any more"),
        (summary, "p:area:elbow", "doesn't work any more"),
        (summary, "p:when:d99", "doesn't work any more"),
        (summary, "p:nope:yes", "doesn't work any more"),
        # The rosacea question was answered: its buttons are gone, so this one is stale.
        (skin, "p:skin:yes", "answered already"),
    ]
    for message, data, expected in presses:
        query = await gail.press_data(message, data)
        assert expected in ((await emulator.wait_for_callback_answer(query)).text or ""), data
    await asyncio.sleep(0.3)  # time for a wrong message to show up
    assert len(gail.bot_messages) == messages_before, "no message, no question, no apology"
    async with db.read() as session:
        assert await safety.load(session, gail.id) == before


async def evening_steps(user, skin: str) -> list:
    """/start with `skin` for the rosacea question, no to the rest; then every step message of
    the evening routine (no rating), to the end."""
    await user.send("/start")
    await answer(user, "botulinum", "No")
    await answer(user, "rosacea", skin)
    for words in ("thyroid", "pregnant", "Today, do you have"):
        await answer(user, words, "No")
    await user.wait_for_bot_message(lambda m: "Your safety profile" in (m.text or ""))
    await user.send("/routine evening")
    intro = await user.wait_for_bot_message(lambda m: "Hands-free" in " ".join(m.button_texts))
    return await step_messages(user, intro)


async def test_sensitive_skin_is_reminded_on_the_steps_that_touch_it_and_not_sure_only_once(
    emulator, bot, clock
):
    clock.set(MORNING)
    note = "Lightest touch for your skin"
    steps = await evening_steps(emulator.user(9421), "Yes")
    titles = [title_of(step) for step in steps]
    assert "Warm compress" not in titles and "Get ready" in titles
    for step, title in zip(steps, titles, strict=True):
        # Getting ready and putting oil on touch no skin to be careful with.
        assert (note in step.text) is (title not in ("Get ready", "Oil on")), title
    unsure = await evening_steps(emulator.user(9422), "Not sure")
    assert "Warm compress" not in [title_of(step) for step in unsure]
    assert not [s for s in unsure if note in s.text], "'not sure' is said once, in the intro"
