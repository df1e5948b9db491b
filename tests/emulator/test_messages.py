"""Sending, editing and deleting messages: results PTB parses, Telegram's limits and texts."""

from __future__ import annotations

import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden

from emulator import BotApiEmulator
from emulator import errors as E

from .conftest import RawApi

pytestmark = pytest.mark.timeout(10)


def keyboard(*labels: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=label.lower()) for label in labels]]
    )


async def test_send_message_returns_a_message_ptb_parses(bot: Bot, emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice")
    sent = await bot.send_message(
        1001,
        "<b>Step 1</b> of <i>3</i>: <a href='https://example.org'>why</a> <code>x</code>",
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard("Next", "Skip"),
    )
    assert isinstance(sent, Message)
    assert sent.text == "Step 1 of 3: why x"
    assert [e.type for e in sent.entities] == ["bold", "italic", "text_link", "code"]
    assert sent.entities[2].url == "https://example.org/"
    assert sent.from_user.id == emu.bot_user.id and sent.from_user.is_bot
    assert sent.chat.id == 1001 and sent.chat.type == "private"
    assert sent.chat.first_name == "Alice"
    assert sent.reply_markup == keyboard("Next", "Skip")
    assert sent.date.timestamp() == pytest.approx(emu.clock.time(), abs=5)
    # PTB can rebuild the HTML from the entities: a check that offsets are right.
    assert sent.text_html.startswith("<b>Step 1</b> of <i>3</i>")

    shown = alice.last_bot_message
    assert shown is not None
    assert shown.text == "Step 1 of 3: why x"
    assert shown.html is not None and shown.html.startswith("<b>Step 1</b>")
    assert [[b.text for b in row] for row in shown.buttons] == [["Next", "Skip"]]
    assert shown.flat_buttons[1].callback_data == "skip"
    assert not shown.edited


async def test_message_ids_increase_per_chat(bot: Bot, emu: BotApiEmulator) -> None:
    emu.user(1001, "Alice")
    emu.user(1002, "Bob")
    first = await bot.send_message(1001, "a")
    second = await bot.send_message(1001, "b")
    other = await bot.send_message(1002, "c")
    assert second.message_id == first.message_id + 1
    assert other.message_id == 1


@pytest.mark.parametrize(
    ("kwargs", "description"),
    [
        ({"text": ""}, E.MESSAGE_TEXT_EMPTY),
        ({"text": "   \n"}, E.MESSAGE_TEXT_EMPTY),
        ({"text": "<b></b>", "parse_mode": "HTML"}, E.MESSAGE_TEXT_EMPTY),
        ({"text": "x" * 4097}, E.MESSAGE_TOO_LONG),
        ({"text": "😀" * 2049}, E.MESSAGE_TOO_LONG),  # 4098 UTF-16 code units
        (
            {"text": "<div>x</div>", "parse_mode": "HTML"},
            'Bad Request: can\'t parse entities: Unsupported start tag "div" at byte offset 0',
        ),
        (
            {"text": "<b>x", "parse_mode": "HTML"},
            "Bad Request: can't parse entities: "
            'Can\'t find end tag corresponding to start tag "b"',
        ),
        (
            {"text": "x</b>", "parse_mode": "HTML"},
            "Bad Request: can't parse entities: Unexpected end tag at byte offset 1",
        ),
        (
            {"text": "1 < 2", "parse_mode": "HTML"},
            'Bad Request: can\'t parse entities: Unsupported start tag "" at byte offset 2',
        ),
        ({"text": "x", "parse_mode": "Klingon"}, E.UNSUPPORTED_PARSE_MODE),
    ],
)
async def test_send_message_errors(
    bot: Bot, api: RawApi, emu: BotApiEmulator, kwargs: dict, description: str
) -> None:
    emu.user(1001, "Alice")
    assert await api.error("sendMessage", chat_id=1001, **kwargs) == (400, description)
    if kwargs["text"]:  # PTB refuses to send an empty text itself
        with pytest.raises(BadRequest) as info:
            await bot.send_message(1001, **kwargs)
        # PTB drops the "Bad Request: " prefix and capitalize()s the rest.
        assert info.value.message == description.removeprefix("Bad Request: ").capitalize()


async def test_exactly_4096_characters_after_parsing_is_fine(bot: Bot, emu: BotApiEmulator):
    emu.user(1001, "Alice")
    message = await bot.send_message(1001, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")
    assert len(message.text) == 4096


async def test_html_with_escapes_and_user_input(bot: Bot, emu: BotApiEmulator) -> None:
    emu.user(1001, "Alice")
    message = await bot.send_message(
        1001, "Hi &lt;Tom &amp; Jerry&gt; &quot;q&quot; &#128512;", parse_mode="HTML"
    )
    assert message.text == 'Hi <Tom & Jerry> "q" 😀'
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(1001, "Tom & Jerry", parse_mode="HTML")


async def test_inline_keyboard_validation(api: RawApi, emu: BotApiEmulator) -> None:
    emu.user(1001, "Alice")

    async def send(markup: object) -> tuple[int, str]:
        return await api.error("sendMessage", chat_id=1001, text="x", reply_markup=markup)

    def one(button: dict) -> dict:
        return {"inline_keyboard": [[button]]}

    assert await send(one({"text": "A", "callback_data": "x" * 65})) == (
        400,
        E.BUTTON_DATA_INVALID,
    )
    assert await send(one({"text": "A", "callback_data": "é" * 33})) == (
        400,
        E.BUTTON_DATA_INVALID,
    )  # 66 bytes of UTF-8
    assert await send(one({"text": "A", "callback_data": ""})) == (400, E.BUTTON_DATA_INVALID)
    assert await send(one({"text": "", "callback_data": "a"})) == (400, E.BUTTON_TEXT_INVALID)
    assert await send(one({"text": "A"})) == (400, E.TEXT_BUTTONS_UNALLOWED)
    assert await send(one({"text": "A", "url": "not a url"})) == (400, E.BUTTON_URL_INVALID)
    assert await send("not json") == (400, E.REPLY_MARKUP_INVALID)
    ok = await api.ok(
        "sendMessage",
        chat_id=1001,
        text="x",
        reply_markup=one({"text": "A", "callback_data": "x" * 64}),
    )
    assert ok["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "x" * 64


async def test_reply_keyboards_are_shown_but_not_returned(bot: Bot, emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice")
    sent = await bot.send_message(
        1001, "pick", reply_markup=ReplyKeyboardMarkup([[KeyboardButton("Yes"), "No"]])
    )
    assert sent.reply_markup is None
    assert alice.reply_keyboard == [["Yes", "No"]]
    await bot.send_message(1001, "thanks")
    assert alice.reply_keyboard == [["Yes", "No"]]
    await bot.send_message(1001, "bye", reply_markup=ReplyKeyboardRemove())
    assert alice.reply_keyboard is None


async def test_edit_message_text(bot: Bot, emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice")
    sent = await bot.send_message(1001, "Step 1", reply_markup=keyboard("Next"))
    edited = await bot.edit_message_text(
        "<b>Step 2</b>", chat_id=1001, message_id=sent.message_id, parse_mode="HTML",
        reply_markup=keyboard("Done"),
    )  # fmt: skip
    assert isinstance(edited, Message)
    assert edited.text == "Step 2" and edited.edit_date is not None
    shown = alice.message(sent)
    assert shown is not None and shown.edited and shown.text == "Step 2"
    assert shown.button_texts == ["Done"]
    assert len(alice.messages) == 1


async def test_edit_without_markup_removes_the_keyboard(bot: Bot, emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice")
    sent = await bot.send_message(1001, "Step 1", reply_markup=keyboard("Next"))
    await bot.edit_message_text("Step 1 (done)", chat_id=1001, message_id=sent.message_id)
    assert alice.last_bot_message.buttons == []


async def test_edit_reply_markup_and_keyboard_removal(bot: Bot, emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice")
    sent = await bot.send_message(1001, "Q?", reply_markup=keyboard("Yes", "No"))
    await bot.edit_message_reply_markup(1001, sent.message_id, reply_markup=keyboard("Yes"))
    assert alice.last_bot_message.button_texts == ["Yes"]
    removed = await bot.edit_message_reply_markup(1001, sent.message_id)
    assert removed.reply_markup is None
    assert alice.last_bot_message.buttons == []
    assert alice.last_bot_message.text == "Q?"
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_reply_markup(1001, sent.message_id)


async def test_edit_errors(bot: Bot, emu: BotApiEmulator, api: RawApi) -> None:
    alice = emu.user(1001, "Alice")
    sent = await bot.send_message(1001, "same", reply_markup=keyboard("A"))
    assert await api.error(
        "editMessageText",
        chat_id=1001,
        message_id=sent.message_id,
        text="same",
        reply_markup=keyboard("A").to_dict(),
    ) == (400, E.MESSAGE_NOT_MODIFIED)
    # Same visible text through different markup is still "not modified".
    plain = await bot.send_message(1001, "bold")
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("bold", chat_id=1001, message_id=plain.message_id)
    assert await api.error("editMessageText", chat_id=1001, message_id=999, text="x") == (
        400,
        E.MESSAGE_TO_EDIT_NOT_FOUND,
    )
    user_message = await alice.send("mine")
    assert await api.error(
        "editMessageText", chat_id=1001, message_id=user_message.message_id, text="x"
    ) == (400, E.MESSAGE_CANT_BE_EDITED)
    assert await api.error("editMessageText", chat_id=555, message_id=1, text="x") == (
        400,
        E.CHAT_NOT_FOUND,
    )
    assert await api.error(
        "editMessageText", chat_id=1001, message_id=sent.message_id, text=""
    ) == (400, E.MESSAGE_TEXT_EMPTY)
    assert await api.error(
        "editMessageText", chat_id=1001, message_id=sent.message_id, text="x" * 4097
    ) == (400, E.MESSAGE_TOO_LONG)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", chat_id=1001, message_id=12345)


async def test_delete_message(bot: Bot, emu: BotApiEmulator, api: RawApi) -> None:
    alice = emu.user(1001, "Alice")
    first = await bot.send_message(1001, "one")
    await bot.send_message(1001, "two")
    assert await bot.delete_message(1001, first.message_id) is True
    assert [m.text for m in alice.messages] == ["two"]
    assert alice.message(first) is None
    assert await api.error("deleteMessage", chat_id=1001, message_id=first.message_id) == (
        400,
        E.MESSAGE_TO_DELETE_NOT_FOUND,
    )
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(1001, 999)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", chat_id=1001, message_id=first.message_id)


async def test_blocked_user_gets_403_for_sends_and_edits(bot: Bot, emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice")
    sent = await bot.send_message(1001, "hello")
    alice.block_bot()
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(1001, "still there?")
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.edit_message_text("x", chat_id=1001, message_id=sent.message_id)
    with pytest.raises(Forbidden):
        await bot.send_chat_action(1001, "typing")
    alice.unblock_bot()
    await bot.send_message(1001, "welcome back")
    assert alice.last_bot_message.text == "welcome back"


async def test_caption_limits_and_chat_action(bot: Bot, emu: BotApiEmulator, api: RawApi):
    alice = emu.user(1001, "Alice")
    from emulator.media import make_png

    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_photo(1001, make_png(), caption="x" * 1025)
    assert await bot.send_chat_action(1001, "typing") is True
    assert alice.chat_action == "typing"
    await bot.send_message(1001, "done typing")
    assert alice.chat_action is None
    assert await api.error("sendChatAction", chat_id=1001, action="dancing") == (
        400,
        E.CHAT_ACTION_INVALID,
    )


async def test_reply_to_a_message(bot: Bot, emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice")
    question = await alice.send("what now?")
    answer = await bot.send_message(1001, "this", reply_to_message_id=question.message_id)
    assert answer.reply_to_message is not None
    assert answer.reply_to_message.text == "what now?"
    assert alice.last_bot_message.reply_to_message_id == question.message_id
    with pytest.raises(BadRequest, match="Message to be replied not found"):
        await bot.send_message(1001, "x", reply_to_message_id=999)


async def test_get_chat(bot: Bot, emu: BotApiEmulator) -> None:
    emu.user(1001, "Alice", username="alice")
    emu.group(-100123, title="Friends")
    private = await bot.get_chat(1001)
    assert (private.type, private.first_name, private.username) == ("private", "Alice", "alice")
    group = await bot.get_chat(-100123)
    assert (group.type, group.title) == ("supergroup", "Friends")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.get_chat(42)


async def test_group_chat_sending(bot: Bot, emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice")
    group = emu.group(-100123, title="Friends")
    await group.send(alice, "/start@face_ritual_test_bot")
    sent = await bot.send_message(-100123, "hello group")
    assert sent.chat.type == "supergroup" and sent.chat.title == "Friends"
    assert [m.text for m in group.messages] == ["/start@face_ritual_test_bot", "hello group"]
    assert alice.messages == []
    group.remove_bot(alice)
    with pytest.raises(Forbidden, match="bot was kicked from the group chat"):
        await bot.send_message(-100123, "anyone?")


async def test_markdown_v2_parse_mode(bot: Bot, emu: BotApiEmulator) -> None:
    emu.user(1001, "Alice")
    message = await bot.send_message(1001, r"*Step 1*: relax \(slowly\)\.", parse_mode="MarkdownV2")
    assert message.text == "Step 1: relax (slowly)."
    assert message.entities[0].type == "bold"
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities: character '\.' is reserved"):
        await bot.send_message(1001, "Done.", parse_mode="MarkdownV2")
    html = await bot.send_message(1001, "<i>x</i>", parse_mode="html")  # case-insensitive
    assert html.text == "x"
