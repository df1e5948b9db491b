"""Runs a routine in the chat: one message per step, buttons or a hands-free timer.

Each change is decided and committed first (bot/services/runs.py: the pure state machine in
one short transaction holding the run's row lock); only after the commit do we talk to
Telegram. A crash between the two loses at most a message, never progress, and the next press
still works.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date
from typing import cast

from telegram import Bot, CallbackQuery, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden
from telegram.ext import ContextTypes, JobQueue

from bot.catalog import Catalog
from bot.domain.localised import day_label
from bot.domain.walkthrough import Action, Mode, Outcome
from bot.services import runs
from bot.services.checkins import DAILY
from bot.services.runs import RunView
from bot.services.step_pictures import ANIMATION_KIND, KIND
from bot.telegram import pressed, render
from bot.telegram.pictures import Media, Picture, send_picture
from bot.telegram.services import Services

log = logging.getLogger(__name__)


def _timer_name(run_id: int) -> str:
    return f"run-timer:{run_id}"


def cancel_timer(job_queue: JobQueue | None, run_id: int) -> None:
    if job_queue is None:
        return
    for job in job_queue.get_jobs_by_name(_timer_name(run_id)):
        job.schedule_removal()


def arm_timer(job_queue: JobQueue | None, view: RunView, delay_s: float) -> None:
    """Move the run on by itself after `delay_s`, unless something else moved it first."""
    if job_queue is None:
        return
    cancel_timer(job_queue, view.run_id)
    job_queue.run_once(
        _on_timer,
        when=max(0.0, delay_s),
        data=(view.run_id, view.user_id, view.step_index),
        name=_timer_name(view.run_id),
        # APScheduler skips a job that starts more than 1 s late by default; a late step is
        # still better than a routine that silently stops.
        job_kwargs={"misfire_grace_time": None},
    )


async def _on_timer(context: ContextTypes.DEFAULT_TYPE) -> None:
    from bot.telegram.services import services

    assert context.job is not None  # a job's callback is always given its job
    run_id, user_id, step = cast("tuple[int, int, int]", context.job.data)  # as arm_timer set it
    await press(
        services(context),
        context.bot,
        context.job_queue,
        run_id=run_id,
        step=step,
        action=Action.TIMER,
        actor_id=user_id,
    )


async def start(
    svc: Services,
    bot: Bot,
    job_queue: JobQueue | None,
    *,
    user_id: int,
    routine_id: str,
    hands_free: bool,
) -> RunView | None:
    """Start a routine at its first step (replacing any open run); None if the user is
    unknown or the start was refused (the refusal is sent)."""
    started = await runs.start(svc, user_id=user_id, routine_id=routine_id, hands_free=hands_free)
    if started is None:
        return None
    if isinstance(started, runs.Refused):
        # Nothing was written; the answer goes out after the transaction, as every send does.
        catalog, locale = svc.catalog, started.locale
        if started.resting:  # a start button from before the red flag or the stop-sign
            refusal = render.rest_day_message(catalog, locale, list(started.rest), started.zone)
        else:
            refusal = catalog.text(locale, "routine_nothing_left")
        await bot.send_message(started.chat_id, refusal)
        return None
    previous = started.previous
    if previous is not None:
        cancel_timer(job_queue, previous.run_id)
        await _remove_buttons(bot, previous.chat_id, previous.message_id)
    await send_step(svc, bot, job_queue, started.view)
    return started.view


async def send_step(
    svc: Services, bot: Bot, job_queue: JobQueue | None, view: RunView, *, paused: bool = False
) -> None:
    """Send the run's current step with its buttons, remember the message, arm the timer
    (none while paused). The step is its picture (an animation, or the still diagram when the
    user turned animations off) with the step's text as its caption; text alone while its
    picture is not rendered yet."""
    step = view.routine.steps[view.step_index]
    text = render.step_message(
        svc.catalog, view.locale, view.routine, view.step_index, view.mode, view.step_note
    )
    buttons = _step_buttons(svc.catalog, view, paused=paused)
    ready = svc.step_pictures.file(view.routine, step, animated=view.animated)
    if ready is None:
        message = await bot.send_message(view.chat_id, text, reply_markup=buttons)
    else:
        shown, path = ready
        media: Media = "animation" if view.animated else "photo"
        key = shown.animation_key if view.animated else shown.key
        kind = ANIMATION_KIND if view.animated else KIND
        message = await send_picture(
            svc,
            bot,
            view.chat_id,
            Picture(kind, path.read_bytes, key, media),
            caption=text,
            reply_markup=buttons,
        )
    await runs.remember_message(svc, view, message.message_id)
    if view.mode is Mode.HANDS_FREE and not paused:
        arm_timer(job_queue, view, step.duration_s)


def _step_buttons(
    catalog: Catalog, view: RunView, *, paused: bool, more: bool | None = None
) -> InlineKeyboardMarkup:
    """The buttons of the run's current step; `more` as render.step_keyboard takes it, by
    default as the step is first shown (its detail, if any, closed)."""
    if more is None:
        more = render.has_more(view.routine, view.step_index)
    return render.step_keyboard(
        catalog,
        view.locale,
        view.run_id,
        view.step_index,
        last=view.step_index == len(view.routine.steps) - 1,
        paused=paused,
        more=more,
    )


async def press(
    svc: Services,
    bot: Bot,
    job_queue: JobQueue | None,
    *,
    run_id: int,
    step: int,
    action: Action,
    actor_id: int,
    acknowledge: Callable[[Outcome, str | None], Awaitable[None]] | None = None,
    inaccessible_message_id: int | None = None,
) -> Outcome:
    """Apply a button press or a timer to a run, show the result in the chat, return it.

    `acknowledge(outcome, locale of the run or None)` starts right after the decision is
    committed, beside the chat's update, so a crash mid-way never leaves a press unanswered.
    `inaccessible_message_id`: the pressed message, when Telegram reported it inaccessible; it
    is never edited, what it would have shown is sent anew.
    """
    done = await runs.press(svc, run_id=run_id, step=step, action=action, actor_id=actor_id)
    outcome, before, after = done.outcome, done.before, done.after
    # The answer and the next step leave together: against Telegram each is a round trip, and
    # the person waits for the step, not for the spinner. The answer is awaited before this
    # returns or raises, so the error handler never answers the press a second time.
    answering = (
        asyncio.ensure_future(acknowledge(outcome, done.locale))
        if acknowledge is not None
        else None
    )
    try:
        if before is None or after is None:
            return outcome
        if before.message_id is not None and before.message_id == inaccessible_message_id:
            before = replace(before, message_id=None)  # nothing to edit: show it anew
        if done.resting:
            cancel_timer(job_queue, after.run_id)
            await _remove_buttons(bot, before.chat_id, before.message_id)
            await bot.send_message(
                after.chat_id,
                render.rest_day_message(svc.catalog, after.locale, list(done.resting), done.zone),
            )
            return outcome
        streak_note = (
            ""
            if done.counted is None
            else render.streak_note(svc.catalog, after.locale, done.counted)
        )
        await _show(
            svc,
            bot,
            job_queue,
            outcome,
            before,
            after,
            done.recorded,
            done.day,
            streak_note,
            done.rate_after,
        )
        return outcome
    finally:
        if answering is not None:
            await answering


async def show_detail(
    svc: Services, query: CallbackQuery, *, run_id: int, step: int, opened: bool, actor_id: int
) -> Outcome | None:
    """ "More" or "Less" on a step: the step's message with or without its detail. None when
    shown; otherwise why nothing changed (NOT_OWNER, STALE, SUPERSEDED, CLOSED), like any
    other press on a step. Nothing is written: the detail is a view, not progress."""
    current = await runs.current_step(svc, run_id=run_id, step=step, actor_id=actor_id)
    if isinstance(current, Outcome):
        return current
    view, routine = current.view, current.view.routine
    await pressed.answer(query)
    text = render.step_message(
        svc.catalog, view.locale, routine, view.step_index, view.mode, view.step_note, detail=opened
    )
    keyboard = _step_buttons(svc.catalog, view, paused=current.paused, more=opened)
    if pressed.accessible(query) is None:
        # The step's message cannot be edited: the detail comes on its own, without buttons,
        # so that only the step's message moves the run on.
        await pressed.send(query, text)
        return None
    await pressed.replace(query, text, keyboard)
    return None


async def show_again(
    svc: Services, bot: Bot, job_queue: JobQueue | None, *, run_id: int, actor_id: int
) -> Outcome:
    """Send the current step of an open run again, e.g. after a break or a restart: RESUMED,
    or why not (NOT_OWNER, SUPERSEDED, CLOSED) with nothing changed."""
    view = await runs.resume(svc, run_id=run_id, actor_id=actor_id)
    if isinstance(view, Outcome):
        return view
    await _remove_buttons(bot, view.chat_id, view.message_id)
    await send_step(svc, bot, job_queue, view)
    return Outcome.RESUMED


async def rearm_hands_free(svc: Services, job_queue: JobQueue | None) -> int:
    """After a restart: give active hands-free runs their timers back; returns how many (a
    step that ended long ago waits for its owner's press instead)."""
    pending = await runs.hands_free_timers(svc)
    for view, remaining in pending:
        arm_timer(job_queue, view, remaining)
    return len(pending)


async def _show(
    svc: Services,
    bot: Bot,
    job_queue: JobQueue | None,
    outcome: Outcome,
    before: RunView,
    after: RunView,
    recorded: bool,
    day: date | None,
    streak_note: str,
    rate_after: str | None = None,
) -> None:
    """Show a change; `before.message_id` None means the step's message cannot be edited
    (inaccessible), so a paused or resumed step is sent again instead."""
    catalog, locale = svc.catalog, after.locale
    if outcome is Outcome.ADVANCED:
        # The new step first: if we crash in between, the user still has a button that works.
        await send_step(svc, bot, job_queue, after)
        await _remove_buttons(bot, before.chat_id, before.message_id)
        return
    cancel_timer(job_queue, after.run_id)
    if outcome in (Outcome.PAUSED, Outcome.RESUMED) and before.message_id is None:
        await send_step(svc, bot, job_queue, after, paused=outcome is Outcome.PAUSED)
    elif outcome in (Outcome.PAUSED, Outcome.RESUMED):
        paused = outcome is Outcome.PAUSED
        await _edit_buttons(bot, before, _step_buttons(catalog, after, paused=paused))
        if not paused and after.mode is Mode.HANDS_FREE:
            arm_timer(job_queue, after, after.routine.steps[after.step_index].duration_s)
    elif outcome is Outcome.STOPPED:
        await _remove_buttons(bot, before.chat_id, before.message_id)
        await bot.send_message(after.chat_id, catalog.text(locale, "routine_stopped"))
    elif outcome is Outcome.REPLACED:
        # The caller shows what comes instead (the routine's introduction).
        await _remove_buttons(bot, before.chat_id, before.message_id)
    elif outcome is Outcome.FINISHED:
        await _remove_buttons(bot, before.chat_id, before.message_id)
        assert day is not None
        await bot.send_message(
            after.chat_id,
            render.completion_message(
                catalog,
                locale,
                after.routine,
                newly_recorded=recorded,
                day=day_label(day, locale),
                streak_note=streak_note,
            ),
        )
        if rate_after is not None:
            # What did the routine change? The answer is kept beside the one before.
            question = "routine_rating_after" if rate_after == DAILY else "checkin_rating_after"
            await bot.send_message(
                after.chat_id,
                catalog.text(locale, question),
                reply_markup=render.rating_keyboard(
                    rate_after, after=True, catalog=catalog, locale=locale
                ),
            )


async def _edit_buttons(bot: Bot, view: RunView, markup: InlineKeyboardMarkup) -> None:
    if view.message_id is None:
        return
    try:
        await bot.edit_message_reply_markup(view.chat_id, view.message_id, reply_markup=markup)
    except (BadRequest, Forbidden) as exc:
        log.debug("could not edit buttons of message %s: %s", view.message_id, exc)


async def _remove_buttons(bot: Bot, chat_id: int, message_id: int | None) -> None:
    """Drop a step's buttons; a message already without them, or gone, is fine."""
    if message_id is None:
        return
    try:
        await bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)
    except (BadRequest, Forbidden) as exc:
        log.debug("could not remove buttons of message %s: %s", message_id, exc)
