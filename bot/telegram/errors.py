"""The last resort: log the failure and tell the user something went wrong, never silence."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ContextTypes

from bot.telegram import pressed
from bot.telegram.accounts import guess_locale
from bot.telegram.services import services

log = logging.getLogger(__name__)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    error = context.error
    if isinstance(error, Forbidden):
        # The user blocked the bot: nothing to tell them, nothing to retry.
        log.info("user blocked the bot: %s", error)
        return
    log.error("update failed: %s", error, exc_info=error)
    if not isinstance(update, Update):
        return
    svc = services(context)
    text = svc.catalog.text(guess_locale(svc, update), "error_generic")
    try:
        # A press is answered once its change is committed; a failure after that (the next
        # step's send) is told in the chat, as Telegram refuses a second answer.
        if update.callback_query is not None and not pressed.answered(update.callback_query):
            try:
                await update.callback_query.answer(text, show_alert=False)
                return
            except BadRequest:
                pass  # answered already; say it in the chat instead
        if update.effective_chat is not None and update.effective_chat.type == "private":
            await context.bot.send_message(update.effective_chat.id, text)
    except TelegramError as exc:
        log.warning("could not report the failure to the user: %s", exc)
