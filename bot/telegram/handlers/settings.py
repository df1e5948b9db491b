"""/settings: language and routine length (time zone and reminders have their commands)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.telegram import render
from bot.telegram.handlers.command import command


async def settings_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    cmd = await command(update, context)
    chosen = {"language": cmd.locale, "length": cmd.user.routine_length}
    await cmd.message.reply_text(
        render.settings_message(cmd.catalog, cmd.locale, **chosen),
        reply_markup=render.settings_keyboard(cmd.catalog, cmd.locale, **chosen),
    )
