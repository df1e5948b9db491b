"""The message a button was pressed on, and answering the press.

Telegram sends a press on a message older than 48 hours (or otherwise out of the bot's reach)
with an InaccessibleMessage: the chat, the message id and date 0, nothing else. PTB 22 parses
it into a `Message` whose `is_accessible` is False, and its shortcuts (`edit_text`,
`reply_text`) would still try to edit or quote a message the bot may not touch. Everything a
button handler shows goes through here: edited in place when the message is accessible, sent
to the chat as a new message when an answer is needed and it is not.
"""

from __future__ import annotations

import logging
from collections import OrderedDict

from telegram import CallbackQuery, InlineKeyboardMarkup, Message
from telegram.error import BadRequest

log = logging.getLogger(__name__)

# The presses answered lately, so the error handler never answers one a second time: a press
# is answered as soon as its change is committed, and a send after that may still fail. Kept
# in bounds: a press is handled within seconds, long before thousands more come.
_ANSWERED_KEPT = 4096
_answered: OrderedDict[str, None] = OrderedDict()


def accessible(query: CallbackQuery) -> Message | None:
    """The pressed message, if the bot may edit it and read its buttons."""
    message = query.message
    if isinstance(message, Message) and message.is_accessible:
        return message
    return None


def inaccessible_id(query: CallbackQuery) -> int | None:
    """The pressed message's id when Telegram reported it inaccessible (never to be edited)."""
    if query.message is None or accessible(query) is not None:
        return None
    return query.message.message_id


def still_offered(query: CallbackQuery) -> bool:
    """Whether the pressed button is still on its message. Telegram sends the message as it is
    now, so a button the bot has removed (a question already answered) shows up here as stale
    or forged. An inaccessible message has no buttons to look at: taken as offered."""
    message = accessible(query)
    if message is None:
        return True
    keyboard = message.reply_markup
    buttons = keyboard.inline_keyboard if keyboard else ()
    return any(button.callback_data == query.data for row in buttons for button in row)


async def answer(query: CallbackQuery, text: str | None = None) -> None:
    """Answer the press (once: Telegram refuses a second answer)."""
    try:
        await query.answer(text)
    except BadRequest as exc:
        # Too old (over 15 minutes): the press is still handled.
        log.debug("callback query not answered: %s", exc)
    _answered[query.id] = None
    if len(_answered) > _ANSWERED_KEPT:
        _answered.popitem(last=False)


def answered(query: CallbackQuery) -> bool:
    """Whether `answer` has answered this press (or found it too old to answer)."""
    return query.id in _answered


async def send(
    query: CallbackQuery, text: str, reply_markup: InlineKeyboardMarkup | None = None
) -> None:
    """A new message in the chat the press came from (never a reply: the pressed message may
    be inaccessible)."""
    assert query.message is not None  # every button of this bot is on a chat message
    await query.get_bot().send_message(
        query.message.chat.id,
        text,
        reply_markup=reply_markup,
    )


async def replace(
    query: CallbackQuery, text: str, reply_markup: InlineKeyboardMarkup | None = None
) -> bool:
    """Show `text` (and `reply_markup`; None drops the buttons) in place of the pressed
    message, or as a new message when it cannot be edited. False when the message already
    showed exactly this: a repeated press, nothing new to say."""
    message = accessible(query)
    if message is not None:
        try:
            await _edit(message, text, reply_markup)
            return True
        except BadRequest as exc:
            if _not_modified(exc):
                return False
            log.debug("pressed message not edited, sending anew: %s", exc)
    await send(query, text, reply_markup)
    return True


async def close(query: CallbackQuery, text: str) -> bool:
    """Put `text` in place of the pressed message and drop its buttons, when it can be
    edited; an inaccessible message is left as it is (what comes next is sent anyway).
    False when the message already showed exactly this: a repeated press."""
    message = accessible(query)
    if message is None:
        return True
    try:
        # Without reply_markup, Telegram drops the message's buttons.
        await _edit(message, text, None)
    except BadRequest as exc:
        if _not_modified(exc):
            return False
        log.debug("pressed message not closed: %s", exc)
    return True


async def remove_keyboard(query: CallbackQuery) -> None:
    """Drop the pressed message's buttons, when it can be edited."""
    message = accessible(query)
    if message is None:
        return
    try:
        await message.edit_reply_markup(reply_markup=None)
    except BadRequest as exc:
        log.debug("keyboard not removed: %s", exc)


def _not_modified(exc: BadRequest) -> bool:
    return "message is not modified" in exc.message.lower()


async def _edit(message: Message, text: str, reply_markup: InlineKeyboardMarkup | None) -> None:
    """A text message's text, or a picture's caption (a step is a picture with its text as
    the caption; Telegram refuses editMessageText on it)."""
    if message.text is None and message.effective_attachment is not None:
        await message.edit_caption(text, reply_markup=reply_markup)
    else:
        await message.edit_text(text, reply_markup=reply_markup)
