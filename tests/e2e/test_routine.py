"""A guided routine through Telegram: step by step, to a recorded completion."""

from __future__ import annotations

import asyncio
import re
from datetime import date

from sqlalchemy import select

from bot.storage.models import Completion, Run
from bot.telegram.services import BOT_DATA_KEY

STEP = re.compile(r"Step (\d+) of (\d+)")


def step_of(message) -> tuple[int, int]:
    match = STEP.search(message.text)
    assert match, f"not a step message: {message.text[:80]!r}"
    return int(match[1]), int(match[2])


async def begin(user, *, hands_free: bool = False, command: str = "/routine", rating: str = "Skip"):
    """Ask for a routine and start it; a daily routine first asks for a 0-10 rating, which
    gets `rating` (a number, or Skip)."""
    await user.send(command)
    intro = await user.wait_for_bot_message(lambda m: "Hands-free" in " ".join(m.button_texts))
    await user.press(intro, "Hands-free" if hands_free else "Start")
    # A step is its picture with the text as the caption, or text alone (no pictures given).
    first = await user.wait_for_bot_message(
        lambda m: STEP.search(m.content) or "Before we start" in m.content
    )
    if STEP.search(first.content):
        return first
    await user.press(first, rating)
    return await user.wait_for_bot_message(lambda m: STEP.search(m.content))


async def test_routine_walks_every_step_to_a_recorded_completion(emulator, bot):
    alice = emulator.user(1001, first_name="Alice")
    step = await begin(alice)
    number, total = step_of(step)
    assert number == 1 and total >= 8
    for expected in range(2, total + 1):
        bot_messages_before = len(alice.bot_messages)
        await alice.press(step, "Next")
        following = await alice.wait_for_bot_message()
        assert step_of(following) == (expected, total)
        assert len(alice.bot_messages) == bot_messages_before + 1, "one step per press"
        # The previous step's buttons are gone once the next step is shown.
        await alice.wait_until(lambda chat, mid=step.message_id: not _buttons_of(chat, mid))
        step = following
    await alice.press(step, "Done")
    done = await alice.wait_for_bot_message()
    assert "Well done" in done.text
    assert "Counted for your day November 25" in done.text

    db = bot.bot_data[BOT_DATA_KEY].db
    async with db.transaction() as session:
        rows = list(await session.scalars(select(Completion)))
        run = await session.scalar(select(Run))
    assert [(r.user_id, r.local_date, r.routine_id) for r in rows] == [
        (1001, date(2026, 11, 25), "classic")
    ]
    assert run.status == "finished" and run.step_index == total - 1


def _buttons_of(chat, message_id: int):
    return next(m.flat_buttons for m in chat.messages if m.message_id == message_id)


async def test_a_double_press_advances_once(emulator, bot):
    alice = emulator.user(1002)
    step = await begin(alice)
    first, second = await asyncio.gather(alice.press(step, "Next"), alice.press(step, "Next"))
    await alice.wait_for_bot_message(lambda m: "Step 2 of" in m.text)
    answers = [await emulator.wait_for_callback_answer(q) for q in (first, second)]
    await asyncio.sleep(0.3)  # give a wrongly doubled step the time to show up
    steps = [m for m in alice.bot_messages if STEP.search(m.text or "")]
    assert [step_of(m)[0] for m in steps] == [1, 2]
    assert sorted(a.text or "" for a in answers)[1].startswith("That button belongs to an earlier")


async def test_forged_and_stale_buttons_change_nothing_and_are_answered(emulator, bot):
    alice, mallory = emulator.user(1003), emulator.user(1004)
    step = await begin(alice)
    await alice.press(step, "Next")
    current = await alice.wait_for_bot_message(lambda m: "Step 2 of" in m.text)
    run_id = int(current.flat_buttons[0].callback_data.split(":")[1])
    await mallory.send("/help")
    mallory_message = await mallory.wait_for_bot_message()

    presses = {
        "stale": (alice, current.message_id, f"r:{run_id}:0:n"),
        "garbage": (alice, current.message_id, "definitely-not-ours"),
        "unknown run": (alice, current.message_id, f"r:{run_id + 1000}:0:n"),
        "someone else's": (mallory, mallory_message.message_id, f"r:{run_id}:1:n"),
    }
    expected = {
        "stale": "earlier step",
        "garbage": "doesn't work any more",
        "unknown run": "already ended",
        "someone else's": "someone else's",
    }
    for name, (user, message_id, data) in presses.items():
        query = await user.press_data(message_id, data)
        answer = await emulator.wait_for_callback_answer(query)
        assert expected[name] in (answer.text or ""), name
    await asyncio.sleep(0.3)
    steps = [step_of(m)[0] for m in alice.bot_messages if STEP.search(m.text or "")]
    assert steps == [1, 2], "no forged press moved the run"
    assert not [m for m in mallory.bot_messages if STEP.search(m.text or "")]


async def test_pause_resume_and_stop(emulator, bot):
    alice = emulator.user(1005)
    step = await begin(alice)
    await alice.press(step, "Pause")
    await alice.wait_until(
        lambda chat: any(b.text.endswith("Resume") for b in chat.last_bot_message.flat_buttons)
    )
    await alice.press(alice.last_bot_message, "Resume")
    await alice.wait_until(
        lambda chat: any(b.text.startswith("Next") for b in chat.last_bot_message.flat_buttons)
    )
    await alice.press(alice.last_bot_message, "Stop")
    stopped = await alice.wait_for_bot_message(lambda m: "stopped" in m.text)
    assert "/routine" in stopped.text
    await alice.send("/routine")
    intro = await alice.wait_for_bot_message()
    assert "Start" in [b.text.split()[-1] for b in intro.flat_buttons], "a fresh start is offered"


async def test_routine_asked_again_mid_way_offers_to_continue(emulator, bot):
    alice = emulator.user(1006)
    step = await begin(alice)
    await alice.press(step, "Next")
    await alice.wait_for_bot_message(lambda m: "Step 2 of" in m.text)
    await alice.send("/routine")
    offer = await alice.wait_for_bot_message()
    assert "step 2 of" in offer.text
    await alice.press(offer, "Continue")
    again = await alice.wait_for_bot_message(lambda m: STEP.search(m.text or ""))
    assert step_of(again)[0] == 2
    await alice.press(again, "Next")
    assert step_of(await alice.wait_for_bot_message())[0] == 3


async def test_settings_change_the_routine_length(emulator, bot):
    alice = emulator.user(1007)
    await alice.send("/settings")
    settings = await alice.wait_for_bot_message()
    assert "Classic" in settings.text
    await alice.press(settings, "Quick")
    await alice.wait_until(
        lambda chat: any(
            m.message_id == settings.message_id and "Usual routine: Quick" in m.text
            for m in chat.messages
        )
    )
    await alice.send("/routine")
    intro = await alice.wait_for_bot_message()
    assert "Quick" in intro.text


async def test_start_again_replaces_the_run_and_its_old_buttons_change_nothing(emulator, bot):
    alice = emulator.user(1009)
    old_step = await begin(alice)
    old = {
        action: next(b.callback_data for b in old_step.flat_buttons if action in b.text)
        for action in ("Next", "Pause", "Stop")
    }
    await alice.send("/routine")
    offer = await alice.wait_for_bot_message(lambda m: "step 1 of" in (m.text or ""))
    resume = next(b.callback_data for b in offer.flat_buttons if "Continue" in b.text)
    await alice.press(offer, "Start again")
    intro = await alice.wait_for_bot_message(lambda m: "Hands-free" in " ".join(m.button_texts))
    assert not alice.message(old_step).flat_buttons, "the replaced run's buttons are gone"
    assert not alice.message(offer).flat_buttons

    async def press_old(action: str) -> str:
        query = await alice.press_data(old_step, old[action])
        return (await emulator.wait_for_callback_answer(query)).text or ""

    assert "replaced" in await press_old("Next")
    query = await alice.press_data(offer, resume)  # "Continue" on the offer, pressed late
    assert "replaced" in (await emulator.wait_for_callback_answer(query)).text
    await alice.press(intro, "Start")
    rating = await alice.wait_for_bot_message(lambda m: "Before we start" in (m.text or ""))
    await alice.press(rating, "Skip")
    new_step = await alice.wait_for_bot_message(lambda m: STEP.search(m.text or ""))
    for action in ("Next", "Pause", "Stop"):
        assert "replaced" in await press_old(action), action
    await asyncio.sleep(0.3)  # time for a wrongly moved old run to show a step
    steps = [step_of(m)[0] for m in alice.bot_messages if STEP.search(m.text or "")]
    assert steps == [1, 1], "the old run never moved"
    await alice.press(new_step, "Next")
    assert step_of(await alice.wait_for_bot_message())[0] == 2, "the new run works"

    # Starting a routine from its introduction replaces the open run just the same.
    replaced = alice.last_bot_message
    await begin(alice, command="/routine quick")
    query = await alice.press_data(replaced, replaced.flat_buttons[0].callback_data)
    assert "replaced" in (await emulator.wait_for_callback_answer(query)).text
    async with bot.bot_data[BOT_DATA_KEY].db.read() as session:
        runs = list(await session.scalars(select(Run).order_by(Run.id)))
    assert [r.status for r in runs] == ["replaced", "replaced", "active"]
