"""Runs a routine in the chat: one message per step, buttons or a hands-free timer.

Each change is decided by the pure state machine (domain/walkthrough.py) inside one short
transaction holding the run's row lock; only after the commit do we talk to Telegram. A crash
between the two loses at most a message, never progress, and the next press still works.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import cast

from telegram import Bot, CallbackQuery, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden
from telegram.ext import ContextTypes, JobQueue

from bot.catalog import Routine
from bot.domain.local_time import ritual_date
from bot.domain.walkthrough import Action, Mode, Outcome, RunStatus, decide
from bot.storage import checkins, rest_days, runs, streaks, users
from bot.telegram import pressed, render
from bot.telegram.fitting import fit, with_steps
from bot.telegram.services import Services

log = logging.getLogger(__name__)

# After a restart, a hands-free step overdue by more than this is left for its owner's press.
HANDS_FREE_OVERDUE_S = 10 * 60


@dataclass(frozen=True)
class RunView:
    """What the Telegram side needs of a run, read inside the transaction."""

    run_id: int
    user_id: int
    chat_id: int
    routine: Routine
    locale: str
    step_index: int
    mode: Mode
    message_id: int | None
    # Shown on every step: how the routine was fitted to the user's safety profile.
    step_note: str | None = None


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
    unknown."""
    now = svc.clock.now()
    mode = Mode.HANDS_FREE if hands_free else Mode.BUTTONS
    async with svc.db.transaction() as session:
        user = await users.get(session, user_id)
        if user is None:
            return None
        chat_id, locale = user.chat_id, user.language
        fitted = await fit(
            svc,
            session,
            user_id=user_id,
            timezone=user.timezone,
            day_starts_at=user.day_starts_at,
            locale=locale,
            routine=svc.catalog.routine(locale, routine_id),
            now=now,
        )
        refusal = None
        if fitted.resting:  # a start button from before the red flag or the stop-sign
            refusal = render.rest_day_message(svc.catalog, locale, list(fitted.rest), user.timezone)
        elif not fitted.adapted.steps:
            refusal = svc.catalog.text(locale, "routine_nothing_left")
        else:
            previous = await runs.open_run_of(session, user_id)
            previous_view = None
            if previous is not None and _still_in_content(svc, previous, now):
                previous_view = _view(svc, previous, chat_id)
            routine = fitted.routine
            run = await runs.start(
                session,
                user_id=user_id,
                routine_id=routine.id,
                locale=locale,
                step_count=len(routine.steps),
                mode=mode,
                now=now,
                step_ids=",".join(fitted.adapted.step_ids) if fitted.adapted.left_out else None,
                step_note=fitted.step_note,
            )
            view = RunView(run.id, user_id, chat_id, routine, locale, 0, mode, None, run.step_note)
    if refusal is not None:
        # Nothing was written; the answer goes out after the transaction, as every send does.
        await bot.send_message(chat_id, refusal)
        return None
    if previous_view is not None:
        cancel_timer(job_queue, previous_view.run_id)
        await _remove_buttons(bot, previous_view.chat_id, previous_view.message_id)
    await send_step(svc, bot, job_queue, view)
    return view


async def send_step(
    svc: Services, bot: Bot, job_queue: JobQueue | None, view: RunView, *, paused: bool = False
) -> None:
    """Send the run's current step with its buttons, remember the message, arm the timer
    (none while paused)."""
    step = view.routine.steps[view.step_index]
    message = await bot.send_message(
        view.chat_id,
        render.step_message(
            svc.catalog, view.locale, view.routine, view.step_index, view.mode, view.step_note
        ),
        reply_markup=render.step_keyboard(
            svc.catalog,
            view.locale,
            view.run_id,
            view.step_index,
            last=view.step_index == len(view.routine.steps) - 1,
            paused=paused,
            more=render.has_more(view.routine, view.step_index),
        ),
    )
    async with svc.db.transaction() as session:
        await runs.set_message(session, view.run_id, view.step_index, message.message_id)
    if view.mode is Mode.HANDS_FREE and not paused:
        arm_timer(job_queue, view, step.duration_s)


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
    now = svc.clock.now()
    recorded, day, before, after, locale, streak_note = False, None, None, None, None, ""
    resting: list[str] = []  # why today became a rest day since the run began, if it did
    zone = "UTC"
    # Which rating to ask for after a finished routine (when the user keeps ratings on): its
    # de-puffing cause, or the daily routines' own.
    rate_after: str | None = None
    async with svc.db.transaction() as session:
        run = await runs.get_for_update(session, run_id)
        decision = None
        if run is not None and _still_in_content(svc, run, now):
            locale = run.locale
            decision = decide(runs.state_of(run), action, actor_id=actor_id, step_index=step)
        if run is not None and decision is not None and decision.outcome.changed:
            user = await users.get(session, run.user_id)
            assert user is not None  # runs cascade with their user
            before = _view(svc, run, user.chat_id)
            today = ritual_date(now, user.timezone, time.fromisoformat(user.day_starts_at))
            resting = await rest_days.reasons_on(session, user.id, today)
            zone = user.timezone
            if resting and decision.outcome is not Outcome.STOPPED:
                # A red flag or a stop-sign since the run began (or a hands-free timer that
                # ran on): no further step today; the run ends and the advice comes again.
                decision = decide(
                    runs.state_of(run), Action.STOP, actor_id=actor_id, step_index=step
                )
            runs.apply_state(run, decision.state, now)
            if decision.outcome is Outcome.FINISHED:
                day_start = time.fromisoformat(user.day_starts_at)
                day = ritual_date(now, user.timezone, day_start)
                counted = await streaks.count_completion(
                    session,
                    user_id=user.id,
                    timezone=user.timezone,
                    day_starts_at=day_start,
                    local_date=day,
                    routine_id=run.routine_id,
                    run_id=run.id,
                    now=now,
                )
                recorded = counted.recorded
                streak_note = render.streak_note(svc.catalog, run.locale, counted)
                routine = svc.catalog.routine(run.locale, run.routine_id)
                if user.ratings:  # off in /settings: no question after any routine
                    rate_after = routine.cause or checkins.DAILY
            after = _view(svc, run, user.chat_id)
    outcome = Outcome.CLOSED if decision is None else decision.outcome
    # The answer and the next step leave together: against Telegram each is a round trip, and
    # the person waits for the step, not for the spinner. The answer is awaited before this
    # returns or raises, so the error handler never answers the press a second time.
    answering = (
        asyncio.ensure_future(acknowledge(outcome, locale)) if acknowledge is not None else None
    )
    try:
        if before is None or after is None:
            return outcome
        if before.message_id is not None and before.message_id == inaccessible_message_id:
            before = replace(before, message_id=None)  # nothing to edit: show it anew
        if resting:
            cancel_timer(job_queue, after.run_id)
            await _remove_buttons(bot, before.chat_id, before.message_id)
            await bot.send_message(
                after.chat_id, render.rest_day_message(svc.catalog, after.locale, resting, zone)
            )
            return outcome
        await _show(
            svc, bot, job_queue, outcome, before, after, recorded, day, streak_note, rate_after
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
    async with svc.db.read() as session:
        run = await runs.get(session, run_id)
        if run is None or not _known_routine(svc, run):
            return Outcome.CLOSED
        refused = _refused(run, actor_id)
        if refused is not None:
            return refused
        if run.step_index != step:
            return Outcome.STALE
        user = await users.get(session, run.user_id)
        assert user is not None
        view = _view(svc, run, user.chat_id)
        paused = run.status == RunStatus.PAUSED
    routine = view.routine
    if routine.steps[view.step_index].more is None:
        return Outcome.STALE  # no detail to show: a button no step of ours carries
    await pressed.answer(query)
    text = render.step_message(
        svc.catalog, view.locale, routine, view.step_index, view.mode, view.step_note, detail=opened
    )
    keyboard = render.step_keyboard(
        svc.catalog,
        view.locale,
        view.run_id,
        view.step_index,
        last=view.step_index == len(routine.steps) - 1,
        paused=paused,
        more=opened,
    )
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
    async with svc.db.transaction() as session:
        run = await runs.get_for_update(session, run_id)
        if run is None or not _still_in_content(svc, run, svc.clock.now()):
            return Outcome.CLOSED
        refused = _refused(run, actor_id)
        if refused is not None:
            return refused
        user = await users.get(session, run.user_id)
        assert user is not None
        if run.status == RunStatus.PAUSED:
            run.status = RunStatus.ACTIVE.value
            run.step_started_at = svc.clock.now()
        view = _view(svc, run, user.chat_id)
    await _remove_buttons(bot, view.chat_id, view.message_id)
    await send_step(svc, bot, job_queue, view)
    return Outcome.RESUMED


async def open_run(svc: Services, user_id: int) -> RunView | None:
    """The user's run in progress (active or paused), if any."""
    async with svc.db.transaction() as session:
        run = await runs.open_run_of(session, user_id)
        if run is None or not _still_in_content(svc, run, svc.clock.now()):
            return None
        user = await users.get(session, user_id)
        assert user is not None
        return _view(svc, run, user.chat_id)


async def rearm_hands_free(svc: Services, job_queue: JobQueue | None) -> int:
    """After a restart: give active hands-free runs their timers back; returns how many.

    A step that ended long ago (the bot was down for a while) is not moved on: its owner has
    most likely left, and a burst of steps nobody follows helps no one. Such a run waits for
    its owner's next press instead.
    """
    now = svc.clock.now()
    pending = []
    async with svc.db.transaction() as session:
        for run, chat_id in await runs.active_hands_free(session):
            if not _still_in_content(svc, run, now):
                continue
            view = _view(svc, run, chat_id)
            remaining = (
                view.routine.steps[view.step_index].duration_s
                - (now - run.step_started_at).total_seconds()
            )
            if remaining < -HANDS_FREE_OVERDUE_S:
                continue
            pending.append((view, remaining))
    for view, remaining in pending:
        arm_timer(job_queue, view, remaining)
    return len(pending)


def _refused(run: runs.Run, actor_id: int) -> Outcome | None:
    """Why a press by `actor_id` on `run` changes nothing (NOT_OWNER, SUPERSEDED, CLOSED), or
    None when it may."""
    if run.user_id != actor_id:
        return Outcome.NOT_OWNER
    if run.status == RunStatus.REPLACED:
        return Outcome.SUPERSEDED
    if not RunStatus(run.status).is_open:
        return Outcome.CLOSED
    return None


def _known_routine(svc: Services, run: runs.Run) -> bool:
    """Whether the run's routine is still in the content (read-only: `_still_in_content`
    stops a run whose routine went, inside a transaction)."""
    try:
        svc.catalog.routine(run.locale, run.routine_id)
    except KeyError:
        return False
    return True


def _still_in_content(svc: Services, run: runs.Run, now: datetime) -> bool:
    """A run whose routine was removed from content/ since it started is stopped, not
    crashed on: content is edited by people, and start-up must survive it."""
    try:
        svc.catalog.routine(run.locale, run.routine_id)
    except KeyError:
        log.warning(
            "run %s: routine %r is no longer in the content; stopping it", run.id, run.routine_id
        )
        if RunStatus(run.status).is_open:
            run.status, run.ended_at = RunStatus.STOPPED.value, now
        return False
    return True


def _view(svc: Services, run: runs.Run, chat_id: int) -> RunView:
    # The steps the run started with, fitted to the user's profile then.
    routine = with_steps(svc.catalog.routine(run.locale, run.routine_id), run.step_ids)
    # Content may have shrunk since the run started; never index past its end.
    index = min(run.step_index, len(routine.steps) - 1)
    return RunView(
        run.id,
        run.user_id,
        chat_id,
        routine,
        run.locale,
        index,
        Mode(run.mode),
        run.message_id,
        run.step_note,
    )


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
    elif outcome is Outcome.PAUSED:
        await _edit_buttons(
            bot,
            before,
            render.step_keyboard(
                catalog,
                locale,
                after.run_id,
                after.step_index,
                last=False,
                paused=True,
                more=render.has_more(after.routine, after.step_index),
            ),
        )
    elif outcome is Outcome.RESUMED:
        last = after.step_index == len(after.routine.steps) - 1
        await _edit_buttons(
            bot,
            before,
            render.step_keyboard(
                catalog,
                locale,
                after.run_id,
                after.step_index,
                last=last,
                more=render.has_more(after.routine, after.step_index),
            ),
        )
        if after.mode is Mode.HANDS_FREE:
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
                day=day.isoformat(),
                streak_note=streak_note,
            ),
        )
        if rate_after is not None:
            # What did the routine change? The answer is kept beside the one before.
            question = (
                "routine_rating_after" if rate_after == checkins.DAILY else "checkin_rating_after"
            )
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
