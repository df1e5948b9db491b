"""Runs of a routine: started, moved on by a press or a hands-free timer, shown again, and
given their timers back after a restart.

Each change is decided by the pure state machine (domain/walkthrough.py) inside one short
transaction holding the run's row lock; the caller talks to Telegram only after the commit
(bot/telegram/walkthrough.py). A crash between the two loses at most a message, never
progress, and the next press still works.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from bot.catalog import Routine
from bot.domain.streaks import Counted
from bot.domain.walkthrough import Action, Mode, Outcome, RunStatus, decide
from bot.services.accounts import Account
from bot.services.checkins import DAILY
from bot.services.context import Services
from bot.services.fitting import fit, with_steps
from bot.storage import rest_days, runs, streaks, users
from bot.storage.models import Run, User

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
    # The user's choice in /settings: each step as a short animation, or a still diagram.
    animated: bool = True


@dataclass(frozen=True)
class Refused:
    """A start refused, with nothing written: a rest day (a red flag or a stop-sign since the
    start button was sent), or no step left once the routine was fitted."""

    chat_id: int
    locale: str
    zone: str
    resting: bool
    # Why today is a rest day (empty for a stop-sign reported today).
    rest: tuple[str, ...]


@dataclass(frozen=True)
class Started:
    view: RunView
    # The open run the new one replaced (its timer and buttons are the caller's to remove).
    previous: RunView | None


async def start(
    svc: Services, *, user_id: int, routine_id: str, hands_free: bool
) -> Started | Refused | None:
    """Start a routine at its first step (replacing any open run); None if the user is
    unknown."""
    now = svc.clock.now()
    mode = Mode.HANDS_FREE if hands_free else Mode.BUTTONS
    async with svc.db.transaction() as session:
        user = await users.get(session, user_id)
        if user is None:
            return None
        profile = Account.of(user)
        chat_id, locale = user.chat_id, user.language
        fitted = await fit(svc, session, profile, svc.catalog.routine(locale, routine_id), now)
        if fitted.resting or not fitted.adapted.steps:
            return Refused(chat_id, locale, user.timezone, fitted.resting, fitted.rest)
        previous = await runs.open_run_of(session, user_id)
        previous_view = None
        if previous is not None and _still_in_content(svc, previous, now):
            previous_view = _view(svc, previous, user)
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
        view = RunView(
            run.id, user_id, chat_id, routine, locale, 0, mode, None, run.step_note, user.animations
        )
    return Started(view, previous_view)


async def remember_message(svc: Services, view: RunView, message_id: int) -> None:
    """The message that shows the run's step (unless the run has moved on meanwhile)."""
    async with svc.db.transaction() as session:
        await runs.set_message(session, view.run_id, view.step_index, message_id)


@dataclass(frozen=True)
class Pressed:
    """What a press or a timer did to a run. `before` and `after` are None when nothing
    changed (then `outcome` says why)."""

    outcome: Outcome
    # The run's language; None when there is no run (or its routine left the content).
    locale: str | None = None
    before: RunView | None = None
    after: RunView | None = None
    # Why today became a rest day since the run began, if it did: the run ended instead.
    resting: tuple[str, ...] = ()
    zone: str = "UTC"
    # A finished routine: its ritual day, whether that day was newly recorded, the streak.
    day: date | None = None
    recorded: bool = False
    counted: Counted | None = None
    # Which rating to ask for after a finished routine (when the user keeps ratings on): its
    # de-puffing cause, or the daily routines' own.
    rate_after: str | None = None


async def press(svc: Services, *, run_id: int, step: int, action: Action, actor_id: int) -> Pressed:
    """Apply a button press or a timer to a run, in one transaction holding its row lock."""
    now = svc.clock.now()
    async with svc.db.transaction() as session:
        run = await runs.get_for_update(session, run_id)
        if run is None or not _still_in_content(svc, run, now):
            return Pressed(Outcome.CLOSED)
        locale = run.locale
        decision = decide(runs.state_of(run), action, actor_id=actor_id, step_index=step)
        if not decision.outcome.changed:
            return Pressed(decision.outcome, locale)
        user = await users.get(session, run.user_id)
        assert user is not None  # runs cascade with their user
        profile = Account.of(user)
        before = _view(svc, run, user)
        today = profile.ritual_day(now)
        resting = tuple(await rest_days.reasons_on(session, user.id, today))
        if resting and decision.outcome is not Outcome.STOPPED:
            # A red flag or a stop-sign since the run began (or a hands-free timer that ran
            # on): no further step today; the run ends and the advice comes again.
            decision = decide(runs.state_of(run), Action.STOP, actor_id=actor_id, step_index=step)
        runs.apply_state(run, decision.state, now)
        day: date | None = None
        counted: Counted | None = None
        rate_after: str | None = None
        recorded = False
        if decision.outcome is Outcome.FINISHED:
            day = today
            counted = await streaks.count_completion(
                session,
                user_id=user.id,
                timezone=user.timezone,
                day_starts_at=profile.day_starts_at,
                local_date=day,
                routine_id=run.routine_id,
                run_id=run.id,
                now=now,
            )
            recorded = counted.recorded
            routine = svc.catalog.routine(run.locale, run.routine_id)
            if user.ratings:  # off in /settings: no question after any routine
                rate_after = routine.cause or DAILY
        after = _view(svc, run, user)
    return Pressed(
        decision.outcome,
        locale,
        before,
        after,
        resting,
        user.timezone,
        day,
        recorded,
        counted,
        rate_after,
    )


@dataclass(frozen=True)
class Current:
    """An open run's step as it is now."""

    view: RunView
    paused: bool


async def current_step(
    svc: Services, *, run_id: int, step: int, actor_id: int
) -> Current | Outcome:
    """The step `step` of the run, for "More" or "Less": nothing is written, the detail is a
    view, not progress. Otherwise why not (NOT_OWNER, STALE, SUPERSEDED, CLOSED), as for any
    other press on a step."""
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
        view = _view(svc, run, user)
        paused = run.status == RunStatus.PAUSED
    if view.routine.steps[view.step_index].more is None:
        return Outcome.STALE  # no detail to show: a button no step of ours carries
    return Current(view, paused)


async def resume(svc: Services, *, run_id: int, actor_id: int) -> RunView | Outcome:
    """An open run, to show its current step again (after a break or a restart; a paused run
    goes on); or why not (NOT_OWNER, SUPERSEDED, CLOSED) with nothing changed."""
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
        return _view(svc, run, user)


async def open_run(svc: Services, user_id: int) -> RunView | None:
    """The user's run in progress (active or paused), if any."""
    async with svc.db.transaction() as session:
        run = await runs.open_run_of(session, user_id)
        if run is None or not _still_in_content(svc, run, svc.clock.now()):
            return None
        user = await users.get(session, user_id)
        assert user is not None
        return _view(svc, run, user)


async def hands_free_timers(svc: Services) -> list[tuple[RunView, float]]:
    """After a restart: the active hands-free runs and the seconds left on each one's step.

    A step that ended long ago (the bot was down for a while) is left out: its owner has most
    likely left, and a burst of steps nobody follows helps no one. Such a run waits for its
    owner's next press instead.
    """
    now = svc.clock.now()
    pending: list[tuple[RunView, float]] = []
    async with svc.db.transaction() as session:
        for run, user in await runs.active_hands_free(session):
            if not _still_in_content(svc, run, now):
                continue
            view = _view(svc, run, user)
            remaining = (
                view.routine.steps[view.step_index].duration_s
                - (now - run.step_started_at).total_seconds()
            )
            if remaining < -HANDS_FREE_OVERDUE_S:
                continue
            pending.append((view, remaining))
    return pending


def _refused(run: Run, actor_id: int) -> Outcome | None:
    """Why a press by `actor_id` on `run` changes nothing (NOT_OWNER, SUPERSEDED, CLOSED), or
    None when it may."""
    if run.user_id != actor_id:
        return Outcome.NOT_OWNER
    if run.status == RunStatus.REPLACED:
        return Outcome.SUPERSEDED
    if not RunStatus(run.status).is_open:
        return Outcome.CLOSED
    return None


def _known_routine(svc: Services, run: Run) -> bool:
    """Whether the run's routine is still in the content (read-only: `_still_in_content`
    stops a run whose routine went, inside a transaction)."""
    try:
        svc.catalog.routine(run.locale, run.routine_id)
    except KeyError:
        return False
    return True


def _still_in_content(svc: Services, run: Run, now: datetime) -> bool:
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


def _view(svc: Services, run: Run, user: User) -> RunView:
    # The steps the run started with, fitted to the user's profile then.
    routine = with_steps(svc.catalog.routine(run.locale, run.routine_id), run.step_ids)
    # Content may have shrunk since the run started; never index past its end.
    index = min(run.step_index, len(routine.steps) - 1)
    return RunView(
        run.id,
        run.user_id,
        user.chat_id,
        routine,
        run.locale,
        index,
        Mode(run.mode),
        run.message_id,
        run.step_note,
        user.animations,
    )
