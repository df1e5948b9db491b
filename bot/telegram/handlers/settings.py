"""/settings: language, default routine, reminder times and toggles, the massage tools the
user has (their routines are offered only then), changed with buttons."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.services import reminders
from bot.services.accounts import Account
from bot.telegram import render
from bot.telegram.handlers.command import command
from bot.telegram.services import Services


async def settings_view(svc: Services, user: Account) -> tuple[str, InlineKeyboardMarkup]:
    """The settings message and its buttons, as they are now."""
    times = await reminders.times_of(svc, user.id)
    return (
        render.settings_message(
            svc.catalog,
            user.language,
            zone=user.timezone,
            quiet=user.quiet_hours,
            day_start=user.day_starts_at,
            tools=user.tools,
            language=user.language,
            routine=user.default_routine,
            reminders=times,
        ),
        render.settings_keyboard(
            svc.catalog,
            user.language,
            nudges=user.nudges,
            ratings=user.ratings,
            animations=user.animations,
            tools=user.tools,
            language=user.language,
            routine=user.default_routine,
            reminders=times,
        ),
    )


async def settings_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    cmd = await command(update, context)
    text, keyboard = await settings_view(cmd.svc, cmd.user)
    await cmd.message.reply_text(text, reply_markup=keyboard)
