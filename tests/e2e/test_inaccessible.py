"""Presses on messages Telegram reports as inaccessible (older than 48 hours, or otherwise out
of the bot's reach): the bot never edits or quotes such a message, it writes anew to the chat
where an answer is needed, and every press is answered once."""

from __future__ import annotations

import json

from emulator import ApiCall
from tests.e2e.test_routine import STEP, begin, step_of

TWO_DAYS = 48 * 3600 + 60


def touching(calls: list[ApiCall], message_id: int) -> list[str]:
    """The calls that edited `message_id` or replied to it."""
    found = []
    for call in calls:
        target = call.params.get("message_id")
        if call.method.startswith("edit") and str(target) == str(message_id):
            found.append(call.method)
        reply = call.params.get("reply_parameters") or {}
        if isinstance(reply, str):
            reply = json.loads(reply)
        replied = reply.get("message_id") or call.params.get("reply_to_message_id")
        if str(replied) == str(message_id):
            found.append(f"{call.method} (reply)")
    return found


async def test_a_checkin_on_an_old_message_goes_on_in_new_messages(emulator, bot):
    alice = emulator.user(7301)
    await alice.send("/depuff flight")
    red_flags = await alice.wait_for_bot_message(lambda m: m.flat_buttons)
    emulator.advance_time(TWO_DAYS)
    since = len(emulator.calls)
    query = await alice.press(red_flags, "None of these")  # 48 hours old: inaccessible
    assert emulator.state.callback_queries[query].inaccessible
    rating = await alice.wait_for_bot_message(lambda m: "How puffy" in (m.text or ""))
    assert rating.message_id != red_flags.message_id
    await alice.press(rating, "5", inaccessible=True)
    advice = await alice.wait_for_bot_message(lambda m: "routine I suggest" in (m.text or ""))
    assert advice.message_id > rating.message_id
    await alice.wait_for_bot_message(lambda m: "Hands-free" in " ".join(m.button_texts))
    calls = emulator.calls[since:]
    assert touching(calls, rating.message_id) == [] == touching(calls, red_flags.message_id)
    assert alice.message(red_flags).text == red_flags.text, "the old message is left as it was"


async def test_settings_safety_questions_and_delete_on_inaccessible_messages(emulator, bot):
    bob = emulator.user(7302)
    await bob.send("/settings")
    settings = await bob.wait_for_bot_message(lambda m: "Settings" in (m.text or ""))
    since = len(emulator.calls)
    query = await bob.press(settings, "Ratings before/after: on", inaccessible=True)
    assert "Saved" in (await emulator.wait_for_callback_answer(query)).text
    fresh = await bob.wait_for_bot_message(lambda m: "Settings" in (m.text or ""))
    assert "Ratings before/after: off" in str(fresh.button_texts), "the change, shown anew"

    await bob.send("/profile")
    empty = await bob.wait_for_bot_message()
    await bob.press(empty, "Answer the questions", inaccessible=True)
    first = await bob.wait_for_bot_message(lambda m: "botulinum" in (m.text or ""))
    await bob.press(first, "No", inaccessible=True)
    await bob.wait_for_bot_message(lambda m: "rosacea" in (m.text or ""))

    await bob.send("/delete")
    confirm = await bob.wait_for_bot_message()
    await bob.press(confirm, 0, inaccessible=True)
    assert "erased" in (await bob.wait_for_bot_message()).text
    calls = emulator.calls[since:]
    for message in (settings, empty, first, confirm):
        assert touching(calls, message.message_id) == [], message.text


async def test_pausing_a_routine_on_an_old_step_sends_the_step_again(emulator, bot):
    carol = emulator.user(7303)
    step = await begin(carol)
    emulator.advance_time(TWO_DAYS)
    since = len(emulator.calls)
    await carol.press(step, "Pause")
    paused = await carol.wait_for_bot_message(lambda m: STEP.search(m.text or ""))
    assert step_of(paused) == step_of(step)
    assert any(b.endswith("Resume") for b in paused.button_texts)
    await carol.press(paused, "Resume")  # a fresh message: edited in place as usual
    await carol.wait_until(lambda chat: any("Next" in b for b in chat.message(paused).button_texts))
    await carol.press(carol.message(paused), "Next")
    assert step_of(await carol.wait_for_bot_message())[0] == 2
    assert touching(emulator.calls[since:], step.message_id) == []
