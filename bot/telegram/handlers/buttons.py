"""Every inline button press lands here: decode, check, act, and always answer the query."""

from __future__ import annotations

from datetime import time

from telegram import CallbackQuery, Update
from telegram.ext import ContextTypes

from bot.catalog.models import TOOLS
from bot.domain.quiet import is_quiet, parse_quiet_hours
from bot.domain.walkthrough import Action, Outcome
from bot.domain.zones import wall_clock
from bot.storage import checkins, reminders
from bot.storage.profiles import Profile
from bot.telegram import dispatcher, pressed, render, walkthrough
from bot.telegram.accounts import ensure_user, guess_locale, save_settings
from bot.telegram.callback_data import (
    AnswerRedFlags,
    ChangeSetting,
    ChooseRoutine,
    ConfirmDelete,
    DepuffCause,
    LogDay,
    ProfileAnswer,
    RateBeforeRoutine,
    RatePuffiness,
    RemindChoice,
    RunPress,
    SetTimezone,
    ShowRoutine,
    ShowRun,
    ShowStreakRules,
    SkipRatingAfter,
    SkipToday,
    Snooze,
    StartOver,
    StartRoutine,
    StepDetail,
    StopSignCheck,
    decode,
)
from bot.telegram.handlers import checkin, privacy, safety_profile
from bot.telegram.handlers.reminders import on_remind_choice
from bot.telegram.handlers.routines import show_intro
from bot.telegram.handlers.settings import settings_view
from bot.telegram.progress_views import log_day, streak_rules
from bot.telegram.services import Services, services

# The little notice a press gets: why nothing changed, or that the run is paused.
_PRESS_NOTICES = {
    Outcome.NOT_OWNER: "press_not_yours",
    Outcome.STALE: "press_stale",
    Outcome.CLOSED: "press_closed",
    Outcome.PAUSED: "press_paused",
    Outcome.SUPERSEDED: "press_replaced",
}


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    svc = services(context)
    data = decode(query.data)
    if data is None or update.effective_chat is None:
        await pressed.answer(query, svc.catalog.text(guess_locale(svc, update), "press_invalid"))
        return
    if isinstance(data, RunPress):
        # The hot path: the run row knows everything needed, so no user lookup first.
        await _press(svc, update, context, query, data.run_id, data.step, data.action)
        return
    if isinstance(data, StepDetail):
        await _detail(svc, update, query, data)
        return
    user, _ = await ensure_user(svc, update)
    catalog, locale = svc.catalog, user.language
    match data:
        case ShowRun(run_id):
            outcome = await walkthrough.show_again(
                svc, context.bot, context.job_queue, run_id=run_id, actor_id=user.id
            )
            notice = _PRESS_NOTICES.get(outcome)
            await pressed.answer(query, catalog.text(locale, notice) if notice else None)
        case (
            ShowRoutine(routine_id) | StartRoutine(routine_id) | StartOver(routine_id=routine_id)
        ) if not _known(svc, routine_id):
            await pressed.answer(query, catalog.text(locale, "press_invalid"))
        case ShowRoutine(routine_id) | StartRoutine(routine_id) | RateBeforeRoutine(routine_id) if (
            not _has_tool(svc, user, routine_id)
        ):
            # A tool routine for someone who has not said they have the tool (an old button).
            await pressed.answer(query)
            await context.bot.send_message(
                user.chat_id,
                render.needs_tool(catalog, locale, catalog.routine(locale, routine_id)),
            )
        case StartOver(run_id, routine_id):
            # The open run goes first, so none of its buttons moves it on meanwhile.
            outcome = await _press(svc, update, context, query, run_id, 0, Action.REPLACE)
            if outcome is Outcome.REPLACED:
                await pressed.remove_keyboard(query)
                await show_intro(svc, context.bot, user, catalog.routine(locale, routine_id))
        case ShowRoutine(routine_id):
            await pressed.answer(query)
            await show_intro(svc, context.bot, user, catalog.routine(locale, routine_id))
        case StartRoutine(routine_id, hands_free) if (
            user.ratings and catalog.routine(locale, routine_id).kind == "daily"
        ):
            # A rating first, to compare with the one after; Skip goes straight on. On a rest
            # day, the advice at once instead (walkthrough.start would refuse after the rating).
            await pressed.answer(query)
            await pressed.remove_keyboard(query)
            reasons = await checkin.rest_reasons(svc, user)
            if reasons:
                await context.bot.send_message(
                    user.chat_id,
                    render.rest_day_message(catalog, locale, reasons, user.timezone),
                )
                return
            await context.bot.send_message(
                user.chat_id,
                catalog.text(locale, "routine_rating_before"),
                reply_markup=render.before_rating_keyboard(catalog, locale, routine_id, hands_free),
            )
        case RateBeforeRoutine(routine_id) if not _known(svc, routine_id):
            await pressed.answer(query, catalog.text(locale, "press_invalid"))
        case RateBeforeRoutine(routine_id, hands_free, rating):
            if rating is not None:
                await checkin.record_before_routine(svc, user, rating)
            await _start(svc, context, query, user.id, routine_id, hands_free)
        case StartRoutine(routine_id, hands_free):
            await _start(svc, context, query, user.id, routine_id, hands_free)
        case ChooseRoutine():
            await pressed.answer(query)
            await context.bot.send_message(
                user.chat_id,
                catalog.text(locale, "routine_choose"),
                reply_markup=render.routine_choice_keyboard(catalog, locale, user.tools),
            )
        case SkipRatingAfter(cause) if cause in (*render.DEPUFF_CAUSES, checkins.DAILY):
            await pressed.answer(query)
            await checkin.on_rating_after_skipped(svc, query, user)
        case SkipRatingAfter():
            await pressed.answer(query, catalog.text(locale, "press_invalid"))
        case RatePuffiness(checkins.DAILY, rating, after=True):
            await pressed.answer(query)
            await checkin.on_rating_after(svc, query, user, checkins.DAILY, rating)
        case DepuffCause(cause) | RatePuffiness(cause) | AnswerRedFlags(cause) if (
            cause not in render.DEPUFF_CAUSES
        ):
            await pressed.answer(query, catalog.text(locale, "press_invalid"))
        case DepuffCause(cause):
            await pressed.answer(query)
            await pressed.remove_keyboard(query)
            await checkin.start_checkin(svc, context.bot, user, cause)
        case RatePuffiness(cause, rating, after=False):
            # An older version's rating button, from before the red-flag question came first.
            await pressed.answer(query)
            await checkin.restart_checkin(svc, query, user, cause)
        case RatePuffiness(cause, rating, after=True):
            await pressed.answer(query)
            await checkin.on_rating_after(svc, query, user, cause, rating)
        case AnswerRedFlags(cause, answer, rating):
            await pressed.answer(query)
            await checkin.on_red_flags(svc, context.bot, query, user, cause, answer, rating)
        case Snooze(minutes) if minutes in render.SNOOZE_MINUTES:
            due_at = await dispatcher.snooze(svc, user.id, minutes)
            await pressed.answer(
                query, catalog.text(locale, "snoozed", time=wall_clock(due_at, user.timezone))
            )
            await pressed.remove_keyboard(query)
        case SkipToday():
            await dispatcher.skip_today(svc, user.id, user.timezone)
            await pressed.answer(query)
            await pressed.remove_keyboard(query)
            await context.bot.send_message(user.chat_id, catalog.text(locale, "skipped_today"))
        case Snooze():
            await pressed.answer(query, catalog.text(locale, "press_invalid"))
        case SetTimezone(zone):
            await pressed.answer(query)
            await pressed.remove_keyboard(query)
            await save_settings(svc, user.id, timezone=zone)
            local_time = wall_clock(svc.clock.now(), zone)
            await context.bot.send_message(
                user.chat_id,
                catalog.text(locale, "timezone_set", zone=zone, local_time=local_time),
            )
        case ChangeSetting(name, value):
            await _change_setting(svc, query, user, name, value)
        case RemindChoice(at, choice):
            await on_remind_choice(svc, query, user, at, choice)
        case ConfirmDelete(confirmed):
            await pressed.answer(query)
            await privacy.on_confirm_delete(svc, context.job_queue, query, user, confirmed)
        case ProfileAnswer(question, answer):
            # Answered there: a forged or stale one gets its own notice, once.
            await safety_profile.on_answer(svc, context.bot, query, user, question, answer)
        case StopSignCheck(still, routine_id):
            await pressed.answer(query)
            await safety_profile.on_stop_sign_check(
                svc, context.bot, query, user, still, routine_id
            )
        case ShowStreakRules():
            await pressed.answer(query)
            await context.bot.send_message(user.chat_id, streak_rules(catalog, user))
        case LogDay(day):
            answer = await log_day(svc, user, day)
            await pressed.answer(query)
            await pressed.remove_keyboard(query)
            await context.bot.send_message(user.chat_id, answer)


async def _detail(svc: Services, update: Update, query: CallbackQuery, data: StepDetail) -> None:
    """ "More"/"Less" on a step: the run row says whose it is, like Next and Pause."""
    assert update.effective_user is not None
    outcome = await walkthrough.show_detail(
        svc,
        query,
        run_id=data.run_id,
        step=data.step,
        opened=data.opened,
        actor_id=update.effective_user.id,
    )
    if outcome is not None:
        key = _PRESS_NOTICES.get(outcome, "press_invalid")
        await pressed.answer(query, svc.catalog.text(guess_locale(svc, update), key))


def _has_tool(svc: Services, user: Profile, routine_id: str) -> bool:
    """Whether the user can do `routine_id` (an unknown id is answered by another case)."""
    if not _known(svc, routine_id):
        return True
    tool = svc.catalog.routine(user.language, routine_id).tool
    return tool is None or tool in user.tools


async def _press(
    svc: Services,
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    query: CallbackQuery,
    run_id: int,
    step: int,
    action: Action,
) -> Outcome:
    assert update.effective_user is not None

    async def acknowledge(outcome: Outcome, locale: str | None) -> None:
        key = _PRESS_NOTICES.get(outcome)
        if outcome is Outcome.NOT_OWNER or locale is None:
            locale = guess_locale(svc, update)  # the presser's language, not the run's
        await pressed.answer(query, svc.catalog.text(locale, key) if key else None)

    return await walkthrough.press(
        svc,
        context.bot,
        context.job_queue,
        run_id=run_id,
        step=step,
        action=action,
        actor_id=update.effective_user.id,
        acknowledge=acknowledge,
        inaccessible_message_id=pressed.inaccessible_id(query),
    )


async def _change_setting(
    svc: Services, query: CallbackQuery, user: Profile, name: str, value: str
) -> None:
    catalog, locale = svc.catalog, user.language
    if name == "lang" and value in catalog.locales:
        user = await save_settings(svc, user.id, language=value) or user
    elif name == "routine" and (chosen := catalog.daily(locale, value)) and chosen.id == value:
        # catalog.daily falls back to another routine for an unknown id: only an exact match.
        user = await save_settings(svc, user.id, default_routine=value) or user
    elif name == "ratings" and value in ("on", "off"):
        user = await save_settings(svc, user.id, ratings=value == "on") or user
    elif name == "profile" and value == "show":
        await pressed.answer(query)
        await safety_profile.show(svc, query.get_bot(), user)
        return
    elif name == "tool" and value in TOOLS:
        have = set(user.tools) ^ {value}  # a toggle
        tools = ",".join(tool for tool in TOOLS if tool in have)
        user = await save_settings(svc, user.id, tools=tools) or user
    elif name == "nudge" and value in ("on", "off"):
        user = await save_settings(svc, user.id, nudges=value == "on") or user
    elif name == "rem" and f"{value[:2]}:{value[2:]}" in render.REMINDER_PRESETS:
        at = time(int(value[:2]), int(value[2:]))
        window = parse_quiet_hours(user.quiet_hours) if user.quiet_hours else None
        if window is not None and is_quiet(at, *window):
            await pressed.answer(
                query,
                catalog.text(
                    locale,
                    "remind_in_quiet_hours",
                    time=at.strftime("%H:%M"),
                    window=user.quiet_hours,
                ),
            )
            return
        try:
            async with svc.db.transaction() as session:
                current = [r.local_time for r in await reminders.of_user(session, user.id)]
                await reminders.toggle(
                    session,
                    user.id,
                    at,
                    user.timezone,
                    svc.clock.now(),
                    on=at.strftime("%H:%M") not in current,
                )
        except reminders.TooManyReminders:
            await pressed.answer(query, catalog.text(locale, "reminders_limit"))
            return
    else:
        await pressed.answer(query, catalog.text(locale, "press_invalid"))
        return
    await pressed.answer(query, catalog.text(user.language, "settings_saved"))
    text, keyboard = await settings_view(svc, user)
    # Unchanged when the same choice is pressed twice: nothing new to show then.
    await pressed.replace(query, text, keyboard)


async def _start(
    svc: Services,
    context: ContextTypes.DEFAULT_TYPE,
    query: CallbackQuery,
    user_id: int,
    routine_id: str,
    hands_free: bool,
) -> None:
    await pressed.answer(query)
    await pressed.remove_keyboard(query)
    await walkthrough.start(
        svc,
        context.bot,
        context.job_queue,
        user_id=user_id,
        routine_id=routine_id,
        hands_free=hands_free,
    )


def _known(svc: Services, routine_id: str) -> bool:
    try:
        svc.catalog.routine(svc.catalog.default_locale, routine_id)
    except KeyError:
        return False
    return True
