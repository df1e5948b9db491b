"""/routine and /depuff: choosing a routine and showing its introduction."""

from __future__ import annotations

from telegram import Bot, Update
from telegram.ext import ContextTypes

from bot.catalog import Routine
from bot.storage.profiles import Profile
from bot.telegram import render, walkthrough
from bot.telegram.accounts import ensure_user
from bot.telegram.handlers.checkin import ask_rating
from bot.telegram.handlers.intro import send_intro
from bot.telegram.services import Services, services


async def routine_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    user, _ = await ensure_user(svc, update)
    catalog, locale = svc.catalog, user.language
    message = update.effective_message
    assert message is not None
    wanted = " ".join(context.args or []).strip().lower()
    if wanted:
        routine = _match_routine(svc, locale, wanted)
        if routine is None:
            await message.reply_text(
                catalog.text(locale, "routine_unknown", name=wanted[:40]),
                reply_markup=render.routine_choice_keyboard(catalog, locale),
            )
            return
        await show_intro(svc, context.bot, user, routine)
        return
    current = await walkthrough.open_run(svc, user.id)
    if current is not None:
        await message.reply_text(
            catalog.text(
                locale,
                "run_in_progress",
                title=current.routine.title,
                step=current.step_index + 1,
                total=len(current.routine.steps),
            ),
            reply_markup=render.open_run_keyboard(catalog, locale, current.run_id, current.routine),
        )
        return
    routine = catalog.find(locale, kind="daily", length=user.routine_length)
    if routine is None:
        await message.reply_text(
            catalog.text(locale, "routine_choose"),
            reply_markup=render.routine_choice_keyboard(catalog, locale),
        )
        return
    await show_intro(svc, context.bot, user, routine)


async def depuff_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    user, _ = await ensure_user(svc, update)
    catalog, locale = svc.catalog, user.language
    message = update.effective_message
    assert message is not None
    cause = " ".join(context.args or []).strip().lower()
    if cause in render.DEPUFF_CAUSES:
        await ask_rating(svc, context.bot, user, cause)
        return
    if cause:
        question = catalog.text(locale, "depuff_unknown_cause", cause=cause[:40])
    else:
        question = catalog.text(locale, "depuff_ask_cause")
    await message.reply_text(question, reply_markup=render.depuff_cause_keyboard(catalog, locale))


async def show_intro(svc: Services, bot: Bot, user: Profile, routine: Routine) -> None:
    """A routine's introduction with its start buttons; de-puffing goes through the
    check-in (rating and red flags) first."""
    if routine.kind == "depuff" and routine.cause is not None:
        await ask_rating(svc, bot, user, routine.cause)
        return
    await send_intro(svc, bot, user, routine)


def _match_routine(svc: Services, locale: str, wanted: str) -> Routine | None:
    """A routine by id, by length ("quick"), or by cause ("flight")."""
    for routine in svc.catalog.routines(locale):
        if wanted in (routine.id, routine.length, routine.cause):
            return routine
    return None
