"""Every inline button press lands here: decoded, handed to its kind's handler below (bound
with `on`, its guards first), and always answered. A new button is its class in callback_data
and its handler here."""

from __future__ import annotations

from typing import Protocol

from telegram import Update
from telegram.ext import ContextTypes

from bot.catalog import Routine
from bot.domain.walkthrough import Action, Outcome
from bot.domain.zones import wall_clock
from bot.services import checkins, reminders
from bot.services.accounts import save_settings
from bot.telegram import callback_data as cb
from bot.telegram import pressed, render, walkthrough
from bot.telegram.accounts import guess_locale
from bot.telegram.button_handlers import Guard, Press, UserPress, dispatch, on, on_run
from bot.telegram.handlers import checkin, privacy, safety_profile
from bot.telegram.handlers.reminders import on_remind_choice
from bot.telegram.handlers.routines import show_intro
from bot.telegram.handlers.setting_buttons import change_setting
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
    data = cb.decode(query.data)
    if data is None or update.effective_chat is None:
        await pressed.answer(query, svc.catalog.text(guess_locale(svc, update), "press_invalid"))
        return
    await dispatch(Press(svc, update, context, query), data)


# The guards: each lets a press through, or answers it and stops it.


class _ForRoutine(Protocol):
    @property
    def routine_id(self) -> str: ...


class _ForCause(Protocol):
    @property
    def cause(self) -> str: ...


async def routine_known(press: UserPress, data: _ForRoutine) -> bool:
    """A routine id no routine has (forged, or a routine since taken out of the content)."""
    if _known(press.svc, data.routine_id):
        return True
    await press.refuse()
    return False


async def tool_at_hand(press: UserPress, data: _ForRoutine) -> bool:
    """A tool routine for someone who has not said they have the tool (an old button)."""
    routine = _routine(press, data.routine_id)
    if routine.tool is None or routine.tool in press.user.tools:
        return True
    await press.answer()
    await press.send(render.needs_tool(press.catalog, press.locale, routine))
    return False


def cause_among(causes: tuple[str, ...]) -> Guard[_ForCause]:
    """A guard for a cause none of `causes` (forged, or a cause since taken out)."""

    async def guard(press: UserPress, data: _ForCause) -> bool:
        if data.cause in causes:
            return True
        await press.refuse()
        return False

    return guard


depuffing = cause_among(render.DEPUFF_CAUSES)
# What a rating after a routine is for: a de-puffing, or the daily routine.
rated_after = cause_among((*render.DEPUFF_CAUSES, checkins.DAILY))


# A press on a run's message: the hot path, no user lookup first.


@on_run(cb.RunPress)
async def _run_press(press: Press, data: cb.RunPress) -> None:
    await _press(press, data.run_id, data.step, data.action)


@on_run(cb.StepDetail)
async def _step_detail(press: Press, data: cb.StepDetail) -> None:
    """ "More"/"Less" on a step: the run row says whose it is, like Next and Pause."""
    assert press.update.effective_user is not None
    outcome = await walkthrough.show_detail(
        press.svc,
        press.query,
        run_id=data.run_id,
        step=data.step,
        opened=data.opened,
        actor_id=press.update.effective_user.id,
    )
    if outcome is not None:
        key = _PRESS_NOTICES.get(outcome, "press_invalid")
        await pressed.answer(press.query, press.svc.catalog.text(_presser_locale(press), key))


# Routines.


@on(cb.ShowRun)
async def _show_run(press: UserPress, data: cb.ShowRun) -> None:
    # "Continue" on a run left half-way before the red flag or the stop-sign: the advice,
    # not the step (the run ends at its next press, as any run under way does).
    if await _rest_day_advice(press):
        return
    outcome = await walkthrough.show_again(
        press.svc,
        press.context.bot,
        press.context.job_queue,
        run_id=data.run_id,
        actor_id=press.user.id,
    )
    await press.answer(_PRESS_NOTICES.get(outcome))


@on(cb.StartOver, routine_known)
async def _start_over(press: UserPress, data: cb.StartOver) -> None:
    # The open run goes first, so none of its buttons moves it on meanwhile.
    outcome = await _press(press, data.run_id, 0, Action.REPLACE)
    if outcome is Outcome.REPLACED:
        await pressed.remove_keyboard(press.query)
        await show_intro(press.svc, press.context.bot, press.user, _routine(press, data.routine_id))


@on(cb.ShowRoutine, routine_known, tool_at_hand)
async def _show_routine(press: UserPress, data: cb.ShowRoutine) -> None:
    await press.answer()
    await show_intro(press.svc, press.context.bot, press.user, _routine(press, data.routine_id))


@on(cb.StartRoutine, routine_known, tool_at_hand)
async def _start_routine(press: UserPress, data: cb.StartRoutine) -> None:
    if press.user.ratings and _routine(press, data.routine_id).kind == "daily":
        await _ask_rating_before(press, data)
    else:
        await _start(press, data.routine_id, data.hands_free)


@on(cb.RateBeforeRoutine, routine_known, tool_at_hand)
async def _rate_before_routine(press: UserPress, data: cb.RateBeforeRoutine) -> None:
    if data.rating is not None:
        await checkin.record_before_routine(press.svc, press.user, data.rating)
    await _start(press, data.routine_id, data.hands_free)


@on(cb.ChooseRoutine)
async def _choose_routine(press: UserPress, data: cb.ChooseRoutine) -> None:
    await press.answer()
    await press.send(
        press.text("routine_choose"),
        render.routine_choice_keyboard(press.catalog, press.locale, press.user.tools),
    )


# Check-ins and ratings.


@on(cb.DepuffCause, depuffing)
async def _depuff_cause(press: UserPress, data: cb.DepuffCause) -> None:
    await press.answer()
    await pressed.remove_keyboard(press.query)
    await checkin.start_checkin(press.svc, press.context.bot, press.user, data.cause)


@on(cb.AnswerRedFlags, depuffing)
async def _answer_red_flags(press: UserPress, data: cb.AnswerRedFlags) -> None:
    await press.answer()
    await checkin.on_red_flags(
        press.svc, press.context.bot, press.query, press.user, data.cause, data.answer, data.rating
    )


@on(cb.RatePuffiness, rated_after)
async def _rate_puffiness(press: UserPress, data: cb.RatePuffiness) -> None:
    if data.after:
        await press.answer()
        await checkin.on_rating_after(press.svc, press.query, press.user, data.cause, data.rating)
    elif data.cause in render.DEPUFF_CAUSES:
        # An older version's rating button, from before the red-flag question came first.
        await press.answer()
        await checkin.restart_checkin(press.svc, press.query, press.user, data.cause)
    else:
        await press.refuse()


@on(cb.SkipRatingAfter, rated_after)
async def _skip_rating_after(press: UserPress, data: cb.SkipRatingAfter) -> None:
    await press.answer()
    await checkin.on_rating_after_skipped(press.svc, press.query, press.user)


# Reminders, zones, settings.


@on(cb.Snooze)
async def _snooze(press: UserPress, data: cb.Snooze) -> None:
    if data.minutes not in render.SNOOZE_MINUTES:
        await press.refuse()
        return
    # A reminder from before the red flag or the stop-sign: a snooze would promise a
    # reminder that the rest day never sends. The advice again instead.
    if await _rest_day_advice(press):
        return
    due_at = await reminders.snooze(press.svc, press.user.id, data.minutes)
    await press.answer("snoozed", time=wall_clock(due_at, press.user.timezone))
    await pressed.remove_keyboard(press.query)


@on(cb.SkipToday)
async def _skip_today(press: UserPress, data: cb.SkipToday) -> None:
    await reminders.skip_today(press.svc, press.user.id, press.user.timezone)
    await press.answer()
    await pressed.remove_keyboard(press.query)
    await press.send(press.text("skipped_today"))


@on(cb.RemindChoice)
async def _remind_choice(press: UserPress, data: cb.RemindChoice) -> None:
    await on_remind_choice(press.svc, press.query, press.user, data.at, data.choice)


@on(cb.SetTimezone)
async def _set_timezone(press: UserPress, data: cb.SetTimezone) -> None:
    await press.answer()
    await pressed.remove_keyboard(press.query)
    await save_settings(press.svc, press.user.id, timezone=data.zone)
    local_time = wall_clock(press.svc.clock.now(), data.zone)
    await press.send(press.text("timezone_set", zone=data.zone, local_time=local_time))


@on(cb.ChangeSetting)
async def _change_setting(press: UserPress, data: cb.ChangeSetting) -> None:
    await change_setting(press, data.name, data.value)


# Privacy, the safety profile, streaks.


@on(cb.ConfirmDelete)
async def _confirm_delete(press: UserPress, data: cb.ConfirmDelete) -> None:
    await press.answer()
    await privacy.on_confirm_delete(
        press.svc, press.context.job_queue, press.query, press.user, data.confirmed
    )


@on(cb.ProfileAnswer)
async def _profile_answer(press: UserPress, data: cb.ProfileAnswer) -> None:
    # Answered there: a forged or stale one gets its own notice, once.
    await safety_profile.on_answer(
        press.svc, press.context.bot, press.query, press.user, data.question, data.answer
    )


@on(cb.StopSignCheck)
async def _stop_sign_check(press: UserPress, data: cb.StopSignCheck) -> None:
    await press.answer()
    await safety_profile.on_stop_sign_check(
        press.svc, press.context.bot, press.query, press.user, data.still, data.routine_id
    )


@on(cb.ShowStreakRules)
async def _show_streak_rules(press: UserPress, data: cb.ShowStreakRules) -> None:
    await press.answer()
    await press.send(streak_rules(press.catalog, press.user))


@on(cb.LogDay)
async def _log_day(press: UserPress, data: cb.LogDay) -> None:
    answer = await log_day(press.svc, press.user, data.day)
    await press.answer()
    await pressed.remove_keyboard(press.query)
    await press.send(answer)


# What the handlers above share.


async def _ask_rating_before(press: UserPress, data: cb.StartRoutine) -> None:
    """A rating first, to compare with the one after; Skip goes straight on. On a rest day, the
    advice at once instead (walkthrough.start would refuse after the rating)."""
    if await _rest_day_advice(press):
        return
    await press.answer()
    await pressed.remove_keyboard(press.query)
    await press.send(
        press.text("routine_rating_before"),
        render.before_rating_keyboard(
            press.catalog, press.locale, data.routine_id, data.hands_free
        ),
    )


async def _rest_day_advice(press: UserPress) -> bool:
    """On a rest day, a button from before the red flag or the stop-sign gets the advice
    again (its keyboard goes); returns whether it did."""
    reasons = await checkins.rest_reasons(press.svc, press.user)
    if not reasons:
        return False
    await press.answer()
    await pressed.remove_keyboard(press.query)
    await press.send(
        render.rest_day_message(press.catalog, press.locale, reasons, press.user.timezone)
    )
    return True


async def _press(press: Press, run_id: int, step: int, action: Action) -> Outcome:
    user = press.update.effective_user
    assert user is not None

    async def acknowledge(outcome: Outcome, locale: str | None) -> None:
        key = _PRESS_NOTICES.get(outcome)
        if outcome is Outcome.NOT_OWNER or locale is None:
            locale = _presser_locale(press)  # the presser's language, not the run's
        await pressed.answer(press.query, press.svc.catalog.text(locale, key) if key else None)

    return await walkthrough.press(
        press.svc,
        press.context.bot,
        press.context.job_queue,
        run_id=run_id,
        step=step,
        action=action,
        actor_id=user.id,
        acknowledge=acknowledge,
        inaccessible_message_id=pressed.inaccessible_id(press.query),
    )


async def _start(press: UserPress, routine_id: str, hands_free: bool) -> None:
    await press.answer()
    await pressed.remove_keyboard(press.query)
    await walkthrough.start(
        press.svc,
        press.context.bot,
        press.context.job_queue,
        user_id=press.user.id,
        routine_id=routine_id,
        hands_free=hands_free,
    )


def _presser_locale(press: Press) -> str:
    return guess_locale(press.svc, press.update)


def _routine(press: UserPress, routine_id: str) -> Routine:
    return press.catalog.routine(press.locale, routine_id)


def _known(svc: Services, routine_id: str) -> bool:
    try:
        svc.catalog.routine(svc.catalog.default_locale, routine_id)
    except KeyError:
        return False
    return True
