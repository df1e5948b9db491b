"""Whatever the bot does not understand gets a short, friendly pointer to /help; a message
about a flight, a late night or a puffy face gets the de-puffing check-in offered instead."""

from __future__ import annotations

from telegram import ChatMember, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.catalog import Catalog
from bot.domain.edema import Cause
from bot.domain.free_text import same_word
from bot.services.accounts import Account, set_blocked
from bot.services.checkins import rest_reasons
from bot.telegram import render
from bot.telegram.accounts import ensure_user, guess_locale
from bot.telegram.handlers.checkin import topic_of
from bot.telegram.handlers.command import MAX_ECHO, USER_COMMANDS
from bot.telegram.services import Services, services


async def unknown(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    message = update.effective_message
    assert message is not None
    user, _ = await ensure_user(svc, update)  # their chosen language, usually from the cache
    text = message.text or ""
    if text.startswith("/"):
        await message.reply_text(_unknown_command(svc.catalog, user.language, text))
        return
    # A selfie captioned "my face is puffy" says the same as the words alone.
    said = text or message.caption or ""
    about = topic_of(svc.catalog, user.language, said, _TOPICS)
    if about is not None:
        answer, keyboard = await _offer(svc, user, about, said)
        await message.reply_text(answer, reply_markup=keyboard)
        return
    await message.reply_text(_not_understood(svc.catalog, user.language, text))


def _unknown_command(catalog: Catalog, locale: str, text: str) -> str:
    """A command that does not exist; a mistyped one gets the command it most likely means."""
    command = text.split()[0].split("@")[0][:MAX_ECHO]
    meant = _meant(command[1:])
    if meant:
        return catalog.text(locale, "unknown_command_typo", command=command, meant=meant[0])
    return catalog.text(locale, "unknown_command", command=command)


async def _offer(
    svc: Services, user: Account, about: str, said: str
) -> tuple[str, InlineKeyboardMarkup | None]:
    """What a message about a flight, a late night or puffiness gets."""
    catalog, locale = svc.catalog, user.language
    reasons = await rest_reasons(svc, user)
    if reasons:
        # A rest day: the advice again at once, not an offer that would end in it.
        return render.rest_day_message(catalog, locale, reasons, user.timezone), None
    if about == FLIGHT and topic_of(catalog, locale, said, (_FUTURE,)) is not None:
        # "I have a flight tomorrow": not back yet, so no "welcome back", but the way to get
        # a check-in after landing (the bare /flight's answer).
        return catalog.text(locale, "flight_ask"), render.checkin_start_keyboard(
            catalog, locale, FLIGHT
        )
    # The check-in asks the red-flag question before anything else.
    keyboard = (
        render.depuff_cause_keyboard(catalog, locale)
        if about == PUFFY
        else render.checkin_start_keyboard(catalog, locale, about)
    )
    return catalog.text(locale, f"free_text_{about}"), keyboard


def _not_understood(catalog: Catalog, locale: str, text: str) -> str:
    """A pointer to /help, or, for a command's name typed without its slash ("routine",
    "Help"), how to type it."""
    meant = _meant(text) if len(text.split()) == 1 else []
    if meant:
        return catalog.text(locale, "unknown_message_command", meant=meant[0])
    return catalog.text(locale, "unknown_message")


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
