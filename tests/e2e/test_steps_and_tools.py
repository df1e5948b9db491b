"""Steps read at a glance with their detail behind "More", /routine help, and the tool routines
(vacuum cups, gua sha): offered once /settings says the user has the tool, hands-free included."""

from __future__ import annotations

import asyncio

from bot.app import build_application, running
from tests.e2e.test_routine import STEP, begin, step_of
from tests.support.bot import settings_for
from tests.support.content import fast_catalog


def run_id_of(step) -> int:
    return int(step.flat_buttons[0].callback_data.split(":")[1])


def labels(chat, message_id: int) -> list[str]:
    return [b.text for b in chat.message(message_id).flat_buttons]


async def test_more_shows_the_detail_and_less_hides_it_and_odd_presses_change_nothing(
    emulator, bot
):
    alice, mallory = emulator.user(7101), emulator.user(7102)
    step = await begin(alice)
    assert step_of(step) == (1, 13)
    # At a glance: the cue, the short how-to; the detail is not there yet.
    assert "Cleansed skin, lenses and earrings out, slow breaths" in step.text
    assert "Slow belly breaths are how" not in step.text
    assert "ℹ️ More" in step.button_texts
    await alice.press(step, "More")
    await alice.wait_until(lambda chat: "ℹ️ Less" in labels(chat, step.message_id))
    opened = alice.message(step.message_id)
    assert "Slow belly breaths are how" in opened.text
    assert {"Next ▶️", "⏸ Pause", "⏹ Stop"} <= set(opened.button_texts)
    await alice.press(step, "Less")
    await alice.wait_until(lambda chat: "ℹ️ More" in labels(chat, step.message_id))
    assert "Slow belly breaths are how" not in alice.message(step.message_id).text

    run_id = run_id_of(step)
    await alice.press(step, "Next")
    second = await alice.wait_for_bot_message(lambda m: "Step 2 of" in (m.text or ""))
    await mallory.send("/help")
    theirs = await mallory.wait_for_bot_message()
    presses = {
        "stale": (alice, second.message_id, f"e:{run_id}:0:m", "earlier step"),
        "someone else's": (mallory, theirs.message_id, f"e:{run_id}:1:m", "someone else's"),
        "unknown run": (alice, second.message_id, f"e:{run_id + 99}:1:m", "already ended"),
        "forged": (alice, second.message_id, f"e:{run_id}:1:x", "doesn't work any more"),
    }
    for name, (user, message_id, data, expected) in presses.items():
        query = await user.press_data(message_id, data)
        answer = await emulator.wait_for_callback_answer(query)
        assert expected in (answer.text or ""), name
    await asyncio.sleep(0.2)
    assert "Collarbone" not in " ".join(m.text or "" for m in mallory.bot_messages)
    assert "A stationary stretch" not in alice.message(second.message_id).text
    # Paused, the detail still opens, and Resume stays offered.
    await alice.press(second, "Pause")
    await alice.wait_until(lambda chat: "▶️ Resume" in labels(chat, second.message_id))
    await alice.press(alice.message(second.message_id), "More")
    await alice.wait_until(lambda chat: "ℹ️ Less" in labels(chat, second.message_id))
    assert "▶️ Resume" in labels(alice, second.message_id)
    assert "A stationary stretch" in alice.message(second.message_id).text


async def test_routine_help_explains_every_step_in_full(emulator, bot):
    bea = emulator.user(7103)
    await bea.send("/routine help")
    first = await bea.wait_for_bot_message()
    assert "Classic face routine" in first.text and "every step in full" in first.text
    await asyncio.sleep(0.3)
    text = "\n".join(m.text or "" for m in bea.bot_messages)
    for fragment in ("1. Get ready", "13. Final sweep", "A stationary stretch", "Light strokes"):
        assert fragment in text, fragment
    await bea.send("/routine help pilates")
    await bea.wait_for_bot_message(lambda m: "don't have a routine called" in (m.text or ""))


async def test_a_routine_is_asked_for_by_the_words_the_menu_shows_typos_included(emulator, bot):
    cleo = emulator.user(7104)
    for typed, title in (
        ("/routine evening", "Evening routine with oil"),
        ("/routine Neck and shoulders", "Neck and shoulders"),
        ("/routine clasic", "Classic face routine"),
    ):
        await cleo.send(typed)
        intro = await cleo.wait_for_bot_message()
        assert intro.text.startswith(title) and "Hands-free" in " ".join(intro.button_texts)
    await cleo.send("/routine help evening")
    help_text = await cleo.wait_for_bot_message()
    assert "Evening routine with oil" in help_text.text
    await cleo.send("/routine gua sha")
    needs = await cleo.wait_for_bot_message(lambda m: "/settings" in (m.text or ""))
    assert "gua sha" in needs.text.lower() and not needs.flat_buttons
    await cleo.send("/routine full")  # names two routines: the menu
    menu = await cleo.wait_for_bot_message()
    assert "don't have a routine called “full”" in menu.text and menu.flat_buttons


async def say_i_have(user, button: str) -> None:
    await user.send("/settings")
    settings = await user.wait_for_bot_message(lambda m: "Tools you have" in (m.text or ""))
    assert "Tools you have: none" in settings.text
    await user.press(settings, button)
    await user.wait_until(lambda chat: f"✓ {button}" in labels(chat, settings.message_id))
    assert "Tools you have: vacuum cups" in user.message(settings.message_id).text or (
        "gua sha" in user.message(settings.message_id).text
    )


async def test_a_tool_routine_is_offered_only_once_settings_say_the_user_has_the_tool(
    emulator, bot
):
    cleo = emulator.user(7104)
    await cleo.send("/routine cups")
    refused = await cleo.wait_for_bot_message()
    assert "needs vacuum cups" in refused.text and "/settings" in refused.text
    await cleo.send("/routine pilates")
    menu = await cleo.wait_for_bot_message()
    assert not any("Face cups" in b for b in menu.button_texts)
    # An old or forged button for the routine gets the same answer, and nothing starts.
    query = await cleo.press_data(menu.message_id, "g:cups:h")
    await emulator.wait_for_callback_answer(query)
    assert "needs vacuum cups" in (await cleo.wait_for_bot_message()).text

    await say_i_have(cleo, "Vacuum cups")
    await cleo.send("/routine pilates")
    menu = await cleo.wait_for_bot_message(lambda m: m.flat_buttons)
    assert any("Face cups" in b for b in menu.button_texts)
    assert not any("Gua sha" in b for b in menu.button_texts)
    await cleo.send("/routine cups")
    intro = await cleo.wait_for_bot_message(lambda m: "Hands-free" in " ".join(m.button_texts))
    assert "Face cups" in intro.text and "blood thinners" in intro.text
    # Never the usual routine: /settings offers only routines everybody can do.
    await cleo.send("/settings")
    settings = await cleo.wait_for_bot_message(lambda m: "Tools you have" in (m.text or ""))
    assert not any("Face cups" in b for b in settings.button_texts)


async def test_a_tool_routine_runs_hands_free_to_the_end_with_skip_after(
    emulator, sqlite_url, clock
):
    application = build_application(
        settings_for(emulator, sqlite_url), catalog=fast_catalog(0.3), clock=clock
    )
    async with running(application):
        for user_id, tool, command in ((7105, "Vacuum cups", "cups"), (7106, "Gua sha", "gua-sha")):
            user = emulator.user(user_id)
            await say_i_have(user, tool if tool != "Gua sha" else "Gua sha stone")
            first = await begin(user, hands_free=True, command=f"/routine {command}")
            total = step_of(first)[1]
            done = await user.wait_for_bot_message(lambda m: "Well done" in m.text, timeout=15)
            steps = [step_of(m)[0] for m in user.bot_messages if STEP.search(m.text or "")]
            assert steps == list(range(1, total + 1)), "every step once, in order, untouched"
            assert "Counted for" in done.text
            after = await user.wait_for_bot_message(lambda m: "And now" in (m.text or ""))
            assert "Skip" in after.button_texts
            await user.press(after, "Skip")
            await user.wait_until(
                lambda chat, a=after: "Skipped" in chat.message(a.message_id).text
            )
            assert not user.message(after.message_id).flat_buttons


async def test_a_zero_rating_is_told_there_is_nothing_to_de_puff_and_offered_the_usual_routine(
    emulator, bot
):
    dan = emulator.user(7107)
    await dan.send("/depuff flight")
    # The red-flag question first, then the rating in its place.
    rating = await dan.wait_for_bot_message(lambda m: m.flat_buttons)
    assert "safety check" in rating.text
    await dan.press(rating, "None of these")
    await dan.wait_until(lambda chat: "How puffy" in chat.message(rating.message_id).text)
    await dan.press(dan.message(rating.message_id), "0")
    intro = await dan.wait_for_bot_message(lambda m: "Hands-free" in " ".join(m.button_texts))
    assert "nothing to de-puff" in dan.message(rating.message_id).text
    assert not dan.message(rating.message_id).flat_buttons, "no button left to press again"
    assert "Classic face routine" in intro.text and "de-puff" not in intro.text.split("\n")[0]
