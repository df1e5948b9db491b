"""The in-process user API: waiting for the bot, pressing buttons, callback answers, events."""

from __future__ import annotations

import asyncio
import time

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest

from emulator import BotApiEmulator, ButtonNotFoundError, ChatEvent, EmulatorError
from emulator import errors as E

from .conftest import RawApi

pytestmark = pytest.mark.timeout(10)

STEPS = InlineKeyboardMarkup(
    [
        [InlineKeyboardButton("◀ Back", callback_data="back"),
         InlineKeyboardButton("Next ▶", callback_data="next")],
        [InlineKeyboardButton("Stop the ritual", callback_data="stop"),
         InlineKeyboardButton("Help", url="https://example.org/help")],
    ]
)  # fmt: skip


async def later(delay: float, coroutine) -> asyncio.Task:
    async def run():
        await asyncio.sleep(delay)
        return await coroutine

    return asyncio.create_task(run())


async def test_user_handles_are_idempotent(emu: BotApiEmulator) -> None:
    alice = emu.user(1001, first_name="Alice", language_code="en")
    assert emu.user(1001) is alice
    assert alice.first_name == "Alice" and alice.language_code == "en"
    assert emu.group(-100123, title="Friends") is emu.group(-100123)


async def test_wait_for_bot_message_uses_a_cursor(bot: Bot, emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice")
    await bot.send_message(1001, "one")
    await bot.send_message(1001, "two")
    assert (await alice.wait_for_bot_message(timeout=1)).text == "one"
    assert (await alice.wait_for_bot_message(timeout=1)).text == "two"
    task = await later(0.1, bot.send_message(1001, "three"))
    started = time.monotonic()
    assert (await alice.wait_for_bot_message(timeout=2)).text == "three"
    assert time.monotonic() - started < 1
    await task


async def test_wait_for_bot_message_with_predicate(bot: Bot, emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice")
    task = await later(0.05, bot.send_message(1001, "Step 1"))
    task2 = await later(0.1, bot.send_message(1001, "Step 2: cheeks"))
    message = await alice.wait_for_bot_message(lambda m: "Step 2" in m.text, timeout=2)
    assert message.text == "Step 2: cheeks"
    await asyncio.gather(task, task2)
    # The skipped "Step 1" is consumed too: the next wait looks after Step 2.
    with pytest.raises(TimeoutError):
        await alice.wait_for_bot_message(timeout=0.2)


async def test_timeouts_show_the_chat_and_failed_calls(
    bot: Bot, emu: BotApiEmulator, api: RawApi
) -> None:
    alice = emu.user(1001, "Alice")
    await alice.send("/start")
    await api.error("sendMessage", chat_id=1001, text="<b>oops", parse_mode="HTML")
    started = time.monotonic()
    with pytest.raises(TimeoutError) as info:
        await alice.wait_for_bot_message(timeout=0.3)
    assert 0.25 < time.monotonic() - started < 1
    text = str(info.value)
    assert "#1 user 1001: /start" in text
    assert "sendMessage -> 400 Bad Request: can't parse entities" in text
    assert isinstance(info.value, asyncio.TimeoutError)  # same class since 3.11


async def test_wait_until_reevaluates_on_edits(bot: Bot, emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice")
    sent = await bot.send_message(1001, "Breathe in", reply_markup=STEPS)

    async def progress() -> None:
        await asyncio.sleep(0.05)
        await bot.edit_message_text("Breathe out", chat_id=1001, message_id=sent.message_id)

    task = asyncio.create_task(progress())
    result = await alice.wait_until(
        lambda chat: chat.last_bot_message.text == "Breathe out" and chat.last_bot_message,
        timeout=2,
    )
    await task
    assert result.edited and result.buttons == []
    with pytest.raises(TimeoutError, match="waiting for the condition"):
        await alice.wait_until(lambda chat: len(chat.messages) > 5, timeout=0.1)


async def test_wait_for_edit(bot: Bot, emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice")
    sent = await bot.send_message(1001, "v1")
    task = await later(0.05, bot.edit_message_text("v2", chat_id=1001, message_id=sent.message_id))
    edited = await alice.wait_for_edit(sent, timeout=2)
    await task
    assert edited.text == "v2" and edited.edited


async def test_press_by_text_substring_and_index(bot: Bot, emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice")
    sent = await bot.send_message(1001, "Step 1", reply_markup=STEPS)
    message = await alice.wait_for_bot_message(timeout=1)
    assert message.button_texts == ["◀ Back", "Next ▶", "Stop the ritual", "Help"]
    await alice.press(message, "Next ▶")
    await alice.press(message, "Next")
    await alice.press(message, "stop")  # case-insensitive fallback
    await alice.press(sent.message_id, 0)
    updates = await bot.get_updates()
    assert [u.callback_query.data for u in updates] == ["next", "next", "stop", "back"]


async def test_press_errors_are_explicit(bot: Bot, emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice")
    sent = await bot.send_message(1001, "Step 1", reply_markup=STEPS)
    with pytest.raises(ButtonNotFoundError, match="no button 'Finish'; buttons: '◀ Back'"):
        await alice.press(sent, "Finish")
    with pytest.raises(ButtonNotFoundError, match="matches several buttons"):
        await alice.press(sent, "e")
    with pytest.raises(ButtonNotFoundError, match="no button #9"):
        await alice.press(sent, 9)
    with pytest.raises(ButtonNotFoundError, match="has no callback_data"):
        await alice.press(sent, "Help")
    await bot.edit_message_reply_markup(1001, sent.message_id)
    with pytest.raises(ButtonNotFoundError, match="no inline keyboard"):
        await alice.press(sent, "Next")
    await bot.delete_message(1001, sent.message_id)
    with pytest.raises(ButtonNotFoundError, match="deleted"):
        await alice.press(sent, "Next")
    assert emu.state.callback_queries == {}


async def test_press_data_sends_forged_data(bot: Bot, emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice")
    sent = await bot.send_message(1001, "Step 1", reply_markup=STEPS)
    query_id = await alice.press_data(sent.message_id, "forged:data")
    (update,) = await bot.get_updates()
    assert update.callback_query.id == query_id
    assert update.callback_query.data == "forged:data"


async def test_callback_answers(bot: Bot, emu: BotApiEmulator, api: RawApi) -> None:
    alice = emu.user(1001, "Alice")
    sent = await bot.send_message(1001, "Step 1", reply_markup=STEPS)
    first = await alice.press(sent, "Next")
    second = await alice.press(sent, "Back")
    assert {q.id for q in emu.unanswered_callback_queries()} == {first, second}
    assert first not in emu.callback_answers

    task = await later(0.05, bot.answer_callback_query(first, "Saved!", show_alert=True))
    answer = await emu.wait_for_callback_answer(first, timeout=2)
    await task
    assert (answer.text, answer.show_alert) == ("Saved!", True)
    assert emu.callback_answers[first] == answer
    assert [q.id for q in emu.unanswered_callback_queries()] == [second]

    # Answering twice, an unknown id, or too late: the same Telegram error.
    assert emu.callback_queries_answered_twice() == []
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(first)
    assert [q.id for q in emu.callback_queries_answered_twice()] == [first]
    assert emu.callback_answers[first].text == "Saved!", "the first answer stands"
    assert await api.error("answerCallbackQuery", callback_query_id="123") == (
        400,
        E.QUERY_TOO_OLD,
    )
    assert await api.error("answerCallbackQuery", callback_query_id=second, text="x" * 201) == (
        400,
        E.ANSWER_TOO_LONG,
    )
    emu.advance_time(15 * 60 + 1)
    assert await api.error("answerCallbackQuery", callback_query_id=second) == (
        400,
        E.QUERY_TOO_OLD,
    )
    with pytest.raises(TimeoutError, match="answer to callback query"):
        await emu.wait_for_callback_answer(second, timeout=0.1)
    assert [q.id for q in emu.callback_queries_answered_twice()] == [first], "late is not twice"


async def test_a_press_on_an_inaccessible_message_is_sent_like_telegram_sends_it(
    bot: Bot, emu: BotApiEmulator, api: RawApi
) -> None:
    alice = emu.user(1001, "Alice")
    fresh = await bot.send_message(1001, "Step 1", reply_markup=STEPS)
    await alice.press(fresh, "Next", inaccessible=True)
    emu.advance_time(48 * 3600 - 60)
    await alice.press(fresh, "Back")  # not yet 48 hours old
    emu.advance_time(120)
    await alice.press(fresh, "Next")  # now it is
    await alice.press_data(fresh, "forged", inaccessible=False)
    status, body = await api("getUpdates")
    assert status == 200
    messages = [u["callback_query"]["message"] for u in body["result"]]
    chat = {"id": 1001, "type": "private", "first_name": "Alice"}
    bare = {"chat": chat, "message_id": fresh.message_id, "date": 0}
    assert messages[0] == bare and messages[2] == bare, "chat, message_id, date 0, nothing else"
    assert messages[1]["text"] == "Step 1" and messages[1]["date"] > 0
    assert messages[3]["text"] == "Step 1"
    assert [q.inaccessible for q in emu.state.callback_queries.values()] == [
        True, False, True, False
    ]  # fmt: skip
    # PTB 22 parses it into a Message that says it is not accessible, with the chat to use.
    message = (await bot.get_updates())[0].callback_query.message
    assert not message.is_accessible and message.text is None
    assert (message.chat.id, message.message_id) == (1001, fresh.message_id)


async def test_callback_query_within_ttl_and_exactly_200_chars(bot: Bot, emu: BotApiEmulator):
    alice = emu.user(1001, "Alice")
    sent = await bot.send_message(1001, "Step 1", reply_markup=STEPS)
    query_id = await alice.press(sent, "Next")
    emu.advance_time(14 * 60)
    assert await bot.answer_callback_query(query_id, "y" * 200) is True


async def test_messages_show_both_sides_with_edits_and_deletions(
    bot: Bot, emu: BotApiEmulator
) -> None:
    alice = emu.user(1001, "Alice")
    await alice.send("/start")
    welcome = await bot.send_message(1001, "<b>Welcome</b>", parse_mode="HTML")
    gone = await bot.send_message(1001, "temporary")
    await bot.edit_message_text("Welcome back", chat_id=1001, message_id=welcome.message_id)
    await bot.delete_message(1001, gone.message_id)
    assert [(m.from_bot, m.text, m.edited) for m in alice.messages] == [
        (False, "/start", False),
        (True, "Welcome back", True),
    ]
    assert [m.text for m in alice.bot_messages] == ["Welcome back"]
    assert [m.text for m in alice.user_messages] == ["/start"]
    assert alice.last_bot_message.html is None  # the edit was plain text


async def test_snapshots_do_not_change_behind_the_tests_back(bot: Bot, emu: BotApiEmulator):
    alice = emu.user(1001, "Alice")
    sent = await bot.send_message(1001, "v1")
    snapshot = alice.last_bot_message
    await bot.edit_message_text("v2", chat_id=1001, message_id=sent.message_id)
    assert snapshot.text == "v1"
    assert alice.message(snapshot).text == "v2"


async def test_events_for_the_demo(bot: Bot, emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice")
    queue = emu.events()
    seen: list[ChatEvent] = []
    unsubscribe = emu.on_change(seen.append)
    async_seen: list[str] = []

    async def async_listener(event: ChatEvent) -> None:
        async_seen.append(event.kind)

    emu.on_change(async_listener)
    await alice.send("/start")
    sent = await bot.send_message(1001, "hi", reply_markup=STEPS)
    await bot.send_chat_action(1001, "typing")
    await bot.edit_message_text("hi!", chat_id=1001, message_id=sent.message_id)
    await bot.delete_message(1001, sent.message_id)
    unsubscribe()
    await bot.send_message(1001, "after unsubscribe")

    kinds = [(e.kind, e.from_bot) for e in seen]
    assert kinds == [
        ("message", False),
        ("message", True),
        ("chat_action", None),
        ("edited", True),
        ("deleted", True),
    ]
    assert seen[1].message.text == "hi" and seen[1].message.button_texts[0] == "◀ Back"
    assert seen[3].message.text == "hi!"
    assert seen[2].action == "typing"
    from_queue = [queue.get_nowait().kind for _ in range(queue.qsize())]
    assert from_queue == ["message", "message", "chat_action", "edited", "deleted", "message"]
    await asyncio.sleep(0)
    assert async_seen[:2] == ["message", "message"]


async def test_callback_answer_event(bot: Bot, emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice")
    queue = emu.events()
    sent = await bot.send_message(1001, "Q", reply_markup=STEPS)
    query_id = await alice.press(sent, "Next")
    await bot.answer_callback_query(query_id, "Noted")
    events = [queue.get_nowait() for _ in range(queue.qsize())]
    answer = next(e for e in events if e.kind == "callback_answer")
    assert answer.callback_answer.text == "Noted" and answer.message_id == sent.message_id


async def test_group_presses_and_waits(bot: Bot, emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice")
    bob = emu.user(1002, "Bob")
    group = emu.group(-100123, title="Friends")
    await group.send(alice, "/start")
    await bot.send_message(-100123, "Who is in?", reply_markup=STEPS)
    message = await group.wait_for_bot_message(timeout=1)
    await group.press(bob, message, "Next")
    start, press = await bot.get_updates()
    assert start.message.chat.id == -100123 and start.message.from_user.id == 1001
    assert press.callback_query.from_user.id == 1002
    assert press.callback_query.message.chat.type == "supergroup"
    with pytest.raises(EmulatorError, match="unknown user"):
        await group.send(4242, "hi")


async def test_user_cannot_send_empty_text(emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice")
    with pytest.raises(EmulatorError):
        await alice.send("   ")


async def test_sending_while_blocked_restarts_the_bot(bot: Bot, emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice")
    alice.block_bot()
    assert alice.is_blocked
    await alice.send("/start")
    assert not alice.is_blocked
    kinds = [next(k for k in ("my_chat_member", "message") if getattr(u, k)) for u in
             await bot.get_updates()]  # fmt: skip
    assert kinds == ["my_chat_member", "my_chat_member", "message"]


async def test_wait_for_call(bot: Bot, emu: BotApiEmulator) -> None:
    emu.user(1001, "Alice")
    since = len(emu.calls)
    task = await later(0.05, bot.send_chat_action(1001, "typing"))
    call = await emu.wait_for_call("sendChatAction", since=since, timeout=2)
    await task
    assert call.params["action"] == "typing" and call.ok


async def test_commands_menu_with_scope_fallback(bot: Bot, emu: BotApiEmulator) -> None:
    from telegram import BotCommand, BotCommandScopeAllPrivateChats, BotCommandScopeChat

    alice = emu.user(1001, "Alice", language_code="de")
    bob = emu.user(1002, "Bob", language_code="en")
    await bot.set_my_commands([BotCommand("start", "Start")])
    await bot.set_my_commands(
        [BotCommand("start", "Los geht's")], scope=BotCommandScopeAllPrivateChats(),
        language_code="de",
    )  # fmt: skip
    await bot.set_my_commands([BotCommand("admin", "Admin")], scope=BotCommandScopeChat(1002))
    assert alice.commands == [("start", "Los geht's")]
    assert bob.commands == [("admin", "Admin")]
    assert emu.user(1003, "Carol").commands == [("start", "Start")]
