"""A routine's introduction with its start buttons, fitted to the user's safety profile."""

from __future__ import annotations

from telegram import Bot

from bot.catalog import Routine
from bot.services.accounts import Account
from bot.services.fitting import fit_today
from bot.telegram import render
from bot.telegram.services import Services


async def send_intro(svc: Services, bot: Bot, user: Account, routine: Routine) -> None:
    """The introduction, as the routine will run today: steps over a treated area left out,
    the notes that say why; or, on a rest day (a red flag or a stop-sign today), no routine
    at all but the advice again."""
    catalog, locale = svc.catalog, user.language
    fitted = await fit_today(svc, user, routine)
    if fitted.resting:
        await bot.send_message(
            user.chat_id,
            render.rest_day_message(catalog, locale, list(fitted.rest), user.timezone),
        )
        return
    if fitted.situation.recheck_stop_sign:
        # A stop-sign on an earlier day: ask whether it still holds before any massage.
        await bot.send_message(
            user.chat_id,
            catalog.text(locale, "stop_sign_recheck"),
            reply_markup=render.stop_sign_recheck_keyboard(catalog, locale, routine.id),
        )
        return
    if not fitted.adapted.steps:
        await bot.send_message(user.chat_id, catalog.text(locale, "routine_nothing_left"))
        return
    adapted = fitted.adapted
    await bot.send_message(
        user.chat_id,
        render.routine_intro(
            catalog,
            locale,
            fitted.routine,
            notes=adapted.notes,
            left_out=tuple(step.title for step in adapted.left_out),
            full=routine,
        ),
        reply_markup=render.routine_intro_keyboard(catalog, locale, routine),
    )
