"""/routine and /depuff: choosing a routine and showing its introduction."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.catalog import Routine
from bot.storage import runs
from bot.storage.profiles import Profile
from bot.telegram import render
from bot.telegram.handlers.common import ensure_user
from bot.telegram.services import Services, services


async def routine_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    user, _ = await ensure_user(svc, update)
    catalog, locale = svc.catalog, user.language
    message = update.effective_message
    assert message is not None
    async with svc.db.transaction() as session:
        open_run = await runs.open_run_of(session, user.id)
        open_state = (
            None
            if open_run is None
            else (open_run.id, open_run.routine_id, open_run.locale, open_run.step_index)
        )
    wanted = " ".join(context.args or []).strip().lower()
    if wanted:
        routine = _match_routine(svc, locale, wanted)
        if routine is None:
            await message.reply_text(
                catalog.text(locale, "routine_unknown", name=wanted[:40]),
                reply_markup=render.routine_choice_keyboard(catalog, locale),
            )
            return
        await show_intro(svc, update, user, routine)
        return
    if open_state is not None:
        run_id, routine_id, run_locale, step = open_state
        routine = catalog.routine(run_locale, routine_id)
        await message.reply_text(
            catalog.text(
                locale,
                "run_in_progress",
                title=routine.title,
                step=min(step, len(routine.steps) - 1) + 1,
                total=len(routine.steps),
            ),
            reply_markup=render.open_run_keyboard(catalog, locale, run_id, routine),
        )
        return
    routine = catalog.find(locale, kind="daily", length=user.routine_length)
    if routine is None:
        await message.reply_text(
            catalog.text(locale, "routine_choose"),
            reply_markup=render.routine_choice_keyboard(catalog, locale),
        )
        return
    await show_intro(svc, update, user, routine)


async def depuff_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    user, _ = await ensure_user(svc, update)
    catalog, locale = svc.catalog, user.language
    message = update.effective_message
    assert message is not None
    cause = " ".join(context.args or []).strip().lower()
    if not cause:
        await message.reply_text(
            catalog.text(locale, "depuff_ask_cause"),
            reply_markup=render.depuff_cause_keyboard(catalog, locale),
        )
        return
    routine = catalog.find(locale, kind="depuff", cause=cause)
    if routine is None:
        await message.reply_text(
            catalog.text(locale, "depuff_unknown_cause", cause=cause[:40]),
            reply_markup=render.depuff_cause_keyboard(catalog, locale),
        )
        return
    await show_intro(svc, update, user, routine)


async def show_intro(svc: Services, update: Update, user: Profile, routine: Routine) -> None:
    message = update.effective_message
    assert message is not None
    await message.reply_text(
        render.routine_intro(svc.catalog, user.language, routine),
        reply_markup=render.routine_intro_keyboard(svc.catalog, user.language, routine),
    )


def _match_routine(svc: Services, locale: str, wanted: str) -> Routine | None:
    """A routine by id, by length ("quick"), or by cause ("flight")."""
    for routine in svc.catalog.routines(locale):
        if wanted in (routine.id, routine.length, routine.cause):
            return routine
    return None
