"""/settings: language and routine length. (Time zone and reminders come with the scheduler.)"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.telegram import render
from bot.telegram.accounts import ensure_user
from bot.telegram.services import services


async def settings_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    user, _ = await ensure_user(svc, update)
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        render.settings_message(
            svc.catalog, user.language, language=user.language, length=user.routine_length
        ),
        reply_markup=render.settings_keyboard(
            svc.catalog, user.language, language=user.language, length=user.routine_length
        ),
    )
