"""The walkthrough state machine: what a button press or a step timer does to a routine run.

Every press carries the step it was shown on. The machine acts only for the run's owner at the
current step, so a double press, a stale button or a late timer changes nothing. A run the
user replaced with a new one ("Start again", or starting another routine) is closed for good:
its buttons change nothing and say why.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum


class RunStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    FINISHED = "finished"
    STOPPED = "stopped"
    # Closed because the user started again or started another routine.
    REPLACED = "replaced"

    @property
    def is_open(self) -> bool:
        return self in (RunStatus.ACTIVE, RunStatus.PAUSED)


class Mode(StrEnum):
    BUTTONS = "buttons"
    HANDS_FREE = "hands_free"


class Action(StrEnum):
    NEXT = "n"
    PAUSE = "p"
    RESUME = "r"
    STOP = "s"
    # Sent by the hands-free timer, never by a step's button.
    TIMER = "t"
    # "Start again": the run makes way for a new one, whatever step it is on by now.
    REPLACE = "w"


class Outcome(StrEnum):
    ADVANCED = "advanced"
    FINISHED = "finished"
    PAUSED = "paused"
    RESUMED = "resumed"
    STOPPED = "stopped"
    REPLACED = "replaced"
    # Nothing changes for these: the caller answers politely.
    NOT_OWNER = "not_owner"
    STALE = "stale"
    CLOSED = "closed"
    # A press on a run that a newer one replaced.
    SUPERSEDED = "superseded"

    @property
    def changed(self) -> bool:
        return self not in (Outcome.NOT_OWNER, Outcome.STALE, Outcome.CLOSED, Outcome.SUPERSEDED)


@dataclass(frozen=True)
class RunState:
    owner_id: int
    step_index: int
    step_count: int
    status: RunStatus
    mode: Mode

    @property
    def is_last_step(self) -> bool:
        return self.step_index == self.step_count - 1


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    state: RunState


def decide(state: RunState, action: Action, *, actor_id: int, step_index: int) -> Decision:
    """The result of `actor_id` doing `action` on the step `step_index` of a run in `state`."""
    refused = _refusal(state, action, actor_id=actor_id, step_index=step_index)
    if refused is not None:
        return Decision(refused, state)
    if action is Action.REPLACE:
        return Decision(Outcome.REPLACED, replace(state, status=RunStatus.REPLACED))
    if action in (Action.NEXT, Action.TIMER):
        return _advance(state, action)
    if action is Action.PAUSE:
        return _move(state, RunStatus.ACTIVE, Outcome.PAUSED, RunStatus.PAUSED)
    if action is Action.RESUME:
        return _move(state, RunStatus.PAUSED, Outcome.RESUMED, RunStatus.ACTIVE)
    if action is Action.STOP:
        return Decision(Outcome.STOPPED, replace(state, status=RunStatus.STOPPED))
    raise ValueError(f"unknown action {action!r}")


def _refusal(state: RunState, action: Action, *, actor_id: int, step_index: int) -> Outcome | None:
    """Why the press changes nothing whatever it is (None: it may act). "Start again" is not
    tied to a step: the user may have moved on since its button was shown."""
    if actor_id != state.owner_id:
        return Outcome.NOT_OWNER
    if state.status is RunStatus.REPLACED:
        return Outcome.SUPERSEDED
    if not state.status.is_open:
        return Outcome.CLOSED
    if action is not Action.REPLACE and step_index != state.step_index:
        return Outcome.STALE
    return None


def _advance(state: RunState, action: Action) -> Decision:
    """Next (or the hands-free timer): the next step, or the end after the last one. A paused
    run does not move, and a timer left over from hands-free mode is ignored in buttons mode."""
    if state.status is not RunStatus.ACTIVE:
        return Decision(Outcome.STALE, state)
    if action is Action.TIMER and state.mode is not Mode.HANDS_FREE:
        return Decision(Outcome.STALE, state)
    if state.is_last_step:
        return Decision(Outcome.FINISHED, replace(state, status=RunStatus.FINISHED))
    return Decision(Outcome.ADVANCED, replace(state, step_index=state.step_index + 1))


def _move(state: RunState, source: RunStatus, outcome: Outcome, target: RunStatus) -> Decision:
    """Pause or resume: only from `source` (pausing a paused run is a stale press)."""
    if state.status is not source:
        return Decision(Outcome.STALE, state)
    return Decision(outcome, replace(state, status=target))
