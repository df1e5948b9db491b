"""Whatever the bot does not understand gets a short, friendly pointer to /help; a message
about a flight, a late night or a puffy face gets the de-puffing check-in offered instead."""

from __future__ import annotations

from telegram import ChatMember, Update
from telegram.ext import ContextTypes

from bot.domain.edema import Cause
from bot.domain.free_text import same_word
from bot.services.accounts import set_blocked
from bot.services.checkins import rest_reasons
from bot.telegram import render
from bot.telegram.accounts import ensure_user, guess_locale
from bot.telegram.handlers.checkin import topic_of
from bot.telegram.handlers.command import MAX_ECHO, USER_COMMANDS
from bot.telegram.services import services


async def unknown(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    message = update.effective_message
    assert message is not None
    user, _ = await ensure_user(svc, update)  # their chosen language, usually from the cache
    locale = user.language
    text = message.text or ""
    if text.startswith("/"):
        command = text.split()[0].split("@")[0][:MAX_ECHO]
        meant = _meant(command[1:])
        answer = (
            svc.catalog.text(locale, "unknown_command_typo", command=command, meant=meant[0])
            if meant
            else svc.catalog.text(locale, "unknown_command", command=command)
        )
    else:
        # A selfie captioned "my face is puffy" says the same as the words alone.
        about = topic_of(svc.catalog, locale, text or message.caption or "", _TOPICS)
        reasons = await rest_reasons(svc, user) if about is not None else []
        if reasons:
            # A rest day: the advice again at once, not an offer that would end in it.
            await message.reply_text(
                render.rest_day_message(svc.catalog, locale, reasons, user.timezone)
            )
            return
        said = text or message.caption or ""
        if about == FLIGHT and topic_of(svc.catalog, locale, said, (_FUTURE,)) is not None:
            # "I have a flight tomorrow": not back yet, so no "welcome back", but the way to
            # get a check-in after landing (the bare /flight's answer).
            await message.reply_text(
                svc.catalog.text(locale, "flight_ask"),
                reply_markup=render.checkin_start_keyboard(svc.catalog, locale, FLIGHT),
            )
            return
        if about is not None:
            # The check-in asks the red-flag question before anything else.
            keyboard = (
                render.depuff_cause_keyboard(svc.catalog, locale)
                if about == PUFFY
                else render.checkin_start_keyboard(svc.catalog, locale, about)
            )
            await message.reply_text(
                svc.catalog.text(locale, f"free_text_{about}"), reply_markup=keyboard
            )
            return
        # A command's name without its slash ("routine", "Help"): say how to type it.
        meant = _meant(text) if len(text.split()) == 1 else []
        answer = (
            svc.catalog.text(locale, "unknown_message_command", meant=meant[0])
            if meant
            else svc.catalog.text(locale, "unknown_message")
        )
    await message.reply_text(answer)


def _meant(word: str) -> list[str]:
    """The user command `word` names, one slip forgiven ("rutine", "streek"), if any."""
    typed = word.strip().lower()
    return [name for name in USER_COMMANDS if same_word(typed, name)][:1]


# The topics in the order they are tried: a cause named wins over plain puffiness.
PUFFY = "puffy"
FLIGHT = Cause.FLIGHT.value
_TOPICS = (*render.DEPUFF_CAUSES, PUFFY)
# Words that put a flight still ahead (texts: words_future).
_FUTURE = "future"


async def group_chat(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        svc.catalog.text(guess_locale(svc, update), "private_only", bot=context.bot.username)
    )


async def membership_changed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Telegram tells us when a user blocks or unblocks the bot, and when a group adds it."""
    change = update.my_chat_member
    if change is None:
        return
    if change.chat.type == "private":
        blocked = change.new_chat_member.status in (ChatMember.BANNED, ChatMember.LEFT)
        await set_blocked(services(context), change.from_user.id, blocked=blocked)
        return
    joined = change.new_chat_member.status in (ChatMember.MEMBER, ChatMember.ADMINISTRATOR)
    was_out = change.old_chat_member.status in (ChatMember.LEFT, ChatMember.BANNED)
    if joined and was_out:
        svc = services(context)
        await context.bot.send_message(
            change.chat.id,
            svc.catalog.text(guess_locale(svc, update), "private_only", bot=context.bot.username),
        )
