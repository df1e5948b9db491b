"""/streak, /progress and /daystart: the user's regularity, and when their day starts."""

from __future__ import annotations

from datetime import time

from telegram import Update
from telegram.ext import ContextTypes

from bot.domain.times_of_day import format_time, parse_time
from bot.services.accounts import save_settings
from bot.telegram.handlers.command import Command, command
from bot.telegram.pictures import send_picture
from bot.telegram.progress_views import Card, progress_card, streak_card

# A ritual day may start between midnight and 6 a.m.: later would put a whole morning's
# routine on the day before.
LATEST_DAY_START = time(6, 0)


async def streak_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    cmd = await command(update, context)
    card = await streak_card(cmd.svc, cmd.user)
    await _text_then_picture(cmd, card)


async def progress_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    cmd = await command(update, context)
    card = await progress_card(cmd.svc, cmd.user)
    if card is None:
        await cmd.reply("progress_nothing_yet")
        return
    await _text_then_picture(cmd, card)


async def _text_then_picture(cmd: Command, card: Card) -> None:
    """The numbers at once; the picture follows (drawn only when it changed, off the loop)."""
    await cmd.message.reply_text(card.text, reply_markup=card.keyboard)
    await send_picture(cmd.svc, cmd.message.get_bot(), cmd.message.chat_id, card.picture)


async def daystart_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    cmd = await command(update, context)
    if not cmd.args:
        await cmd.reply("daystart_current", time=format_time(cmd.user.day_starts_at))
        return
    at = parse_time(cmd.args)
    if at is None or at > LATEST_DAY_START:
        await cmd.reply("daystart_invalid")
        return
    await save_settings(cmd.svc, cmd.user.id, day_starts_at=at)
    await cmd.reply("daystart_set", time=format_time(at))
