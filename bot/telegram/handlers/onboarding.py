"""/start, /help and /safety."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.telegram import render
from bot.telegram.handlers import safety_profile
from bot.telegram.handlers.command import command


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    cmd = await command(update, context)
    catalog, locale, user = cmd.catalog, cmd.locale, cmd.user
    routine = catalog.daily(locale, user.default_routine)
    await cmd.reply("welcome_new" if cmd.created else "welcome_back", name=user.first_name)
    await cmd.message.reply_text(render.safety_message(catalog, locale, user.timezone))
    await cmd.reply(
        "onboarding_defaults",
        routine=routine.title if routine else "",
        language=catalog.text(locale, "language_name"),
    )
    if cmd.created:
        await cmd.reply(
            "onboarding_timezone", render.timezone_keyboard(catalog, locale), zone=user.timezone
        )
        # The safety questions, skippable: each routine fits the person from the first day.
        await cmd.reply("profile_intro")
        await safety_profile.ask(cmd.svc, context.bot, user, safety_profile.ORDER[0])


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await (await command(update, context)).reply("help")


async def safety(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    cmd = await command(update, context)
    await cmd.message.reply_text(render.safety_message(cmd.catalog, cmd.locale, cmd.user.timezone))
