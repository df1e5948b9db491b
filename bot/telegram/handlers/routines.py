"""/routine and /depuff: choosing a routine and showing its introduction."""

from __future__ import annotations

from telegram import Bot, Update
from telegram.ext import ContextTypes

from bot.catalog import Routine
from bot.services import runs
from bot.services.accounts import Account
from bot.services.checkins import rest_reasons
from bot.telegram import render
from bot.telegram.handlers.checkin import start_checkin, topic_of
from bot.telegram.handlers.command import MAX_ECHO, Command, command
from bot.telegram.handlers.intro import send_intro
from bot.telegram.services import Services


async def routine_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    cmd = await command(update, context)
    svc, user, catalog, locale = cmd.svc, cmd.user, cmd.catalog, cmd.locale
    if await _rested(cmd, context):
        return
    wanted = cmd.args.lower()
    first, _, rest = wanted.partition(" ")
    if first == "help":
        await _help(svc, context.bot, user, rest.strip())
        return
    if wanted:
        routine = catalog.named(locale, wanted, user.tools)
        if routine is None:
            await cmd.reply(
                "routine_unknown",
                render.routine_choice_keyboard(catalog, locale, user.tools),
                name=wanted[:MAX_ECHO],
            )
            return
        if routine.tool is not None and routine.tool not in user.tools:
            await context.bot.send_message(
                user.chat_id, render.needs_tool(catalog, locale, routine)
            )
            return
        await show_intro(svc, context.bot, user, routine)
        return
    current = await runs.open_run(svc, user.id)
    if current is not None:
        await cmd.reply(
            "run_in_progress",
            render.open_run_keyboard(catalog, locale, current.run_id, current.routine),
            title=current.routine.title,
            step=current.step_index + 1,
            total=len(current.routine.steps),
        )
        return
    routine = catalog.daily(locale, user.default_routine)
    if routine is None:
        await cmd.reply(
            "routine_choose", render.routine_choice_keyboard(catalog, locale, user.tools)
        )
        return
    await show_intro(svc, context.bot, user, routine)


async def depuff_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    cmd = await command(update, context)
    cause = cmd.args.lower()
    if cause and cause not in render.DEPUFF_CAUSES:
        # A cause in other words ("late night", "hangover", "plane"), as free text is read.
        cause = topic_of(cmd.catalog, cmd.locale, cause, render.DEPUFF_CAUSES) or cause
    if cause in render.DEPUFF_CAUSES:
        await start_checkin(cmd.svc, context.bot, cmd.user, cause)
        return
    if await _rested(cmd, context):
        return
    keyboard = render.depuff_cause_keyboard(cmd.catalog, cmd.locale)
    if cause:
        await cmd.reply("depuff_unknown_cause", keyboard, cause=cause[:MAX_ECHO])
    else:
        await cmd.reply("depuff_ask_cause", keyboard)


async def _rested(cmd: Command, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """On a rest day (a red flag or a stop-sign earlier today) the advice again, at once,
    instead of a routine, a half-done run or any question."""
    reasons = await rest_reasons(cmd.svc, cmd.user)
    if reasons:
        await context.bot.send_message(
            cmd.user.chat_id,
            render.rest_day_message(cmd.catalog, cmd.locale, reasons, cmd.user.timezone),
        )
    return bool(reasons)


async def show_intro(svc: Services, bot: Bot, user: Account, routine: Routine) -> None:
    """A routine's introduction with its start buttons; de-puffing goes through the
    check-in (rating and red flags) first."""
    if routine.kind == "depuff" and routine.cause is not None:
        await start_checkin(svc, bot, user, routine.cause)
        return
    await send_intro(svc, bot, user, routine)


async def _help(svc: Services, bot: Bot, user: Account, wanted: str) -> None:
    """/routine help [name]: every step of a routine in full (the usual one by default)."""
    catalog, locale = svc.catalog, user.language
    routine = (
        catalog.named(locale, wanted, user.tools)
        if wanted
        else catalog.daily(locale, user.default_routine)
    )
    if routine is None:
        await bot.send_message(
            user.chat_id, catalog.text(locale, "routine_help_unknown", name=wanted[:MAX_ECHO])
        )
        return
    for message in render.routine_help(catalog, locale, routine):
        await bot.send_message(user.chat_id, message)
