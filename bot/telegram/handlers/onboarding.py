"""/start, /help and /safety."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.telegram import render
from bot.telegram.accounts import ensure_user
from bot.telegram.services import services


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    user, created = await ensure_user(svc, update)
    catalog, locale = svc.catalog, user.language
    routine = svc.catalog.find(locale, kind="daily", length=user.routine_length)
    assert update.effective_message is not None
    key = "welcome_new" if created else "welcome_back"
    await update.effective_message.reply_text(catalog.text(locale, key, name=user.first_name))
    await update.effective_message.reply_text(render.safety_message(catalog, locale))
    await update.effective_message.reply_text(
        catalog.text(
            locale,
            "onboarding_defaults",
            routine=routine.title if routine else "",
            language=catalog.text(locale, "language_name"),
        )
    )
    if created:
        await update.effective_message.reply_text(
            catalog.text(locale, "onboarding_timezone", zone=user.timezone),
            reply_markup=render.timezone_keyboard(),
        )


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    user, _ = await ensure_user(svc, update)
    assert update.effective_message is not None
    await update.effective_message.reply_text(svc.catalog.text(user.language, "help"))


async def safety(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    user, _ = await ensure_user(svc, update)
    assert update.effective_message is not None
    await update.effective_message.reply_text(render.safety_message(svc.catalog, user.language))
