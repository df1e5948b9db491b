"""A routine's introduction with its start buttons."""

from __future__ import annotations

from telegram import Bot

from bot.catalog import Routine
from bot.storage.profiles import Profile
from bot.telegram import render
from bot.telegram.services import Services


async def send_intro(svc: Services, bot: Bot, user: Profile, routine: Routine) -> None:
    """A routine's introduction with its start buttons, as it is."""
    await bot.send_message(
        user.chat_id,
        render.routine_intro(svc.catalog, user.language, routine),
        reply_markup=render.routine_intro_keyboard(svc.catalog, user.language, routine),
    )
