"""The walkthrough state machine: what a button press or a step timer does to a routine run.

Every press carries the step it was shown on. The machine acts only for the run's owner at the
current step, so a double press, a stale button or a late timer changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum


class RunStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    FINISHED = "finished"
    STOPPED = "stopped"

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
    # Sent by the hands-free timer, never by a button.
    TIMER = "t"


class Outcome(StrEnum):
    ADVANCED = "advanced"
    FINISHED = "finished"
    PAUSED = "paused"
    RESUMED = "resumed"
    STOPPED = "stopped"
    # Nothing changes for these: the caller answers politely.
    NOT_OWNER = "not_owner"
    STALE = "stale"
    CLOSED = "closed"

    @property
    def changed(self) -> bool:
        return self not in (Outcome.NOT_OWNER, Outcome.STALE, Outcome.CLOSED)


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

    def unchanged(outcome: Outcome) -> Decision:
        return Decision(outcome, state)

    if actor_id != state.owner_id:
        return unchanged(Outcome.NOT_OWNER)
    if not state.status.is_open:
        return unchanged(Outcome.CLOSED)
    if step_index != state.step_index:
        return unchanged(Outcome.STALE)

    if action in (Action.NEXT, Action.TIMER):
        if state.status is not RunStatus.ACTIVE:
            return unchanged(Outcome.STALE)
        if action is Action.TIMER and state.mode is not Mode.HANDS_FREE:
            return unchanged(Outcome.STALE)
        if state.is_last_step:
            return Decision(Outcome.FINISHED, replace(state, status=RunStatus.FINISHED))
        return Decision(Outcome.ADVANCED, replace(state, step_index=state.step_index + 1))
    if action is Action.PAUSE:
        if state.status is not RunStatus.ACTIVE:
            return unchanged(Outcome.STALE)
        return Decision(Outcome.PAUSED, replace(state, status=RunStatus.PAUSED))
    if action is Action.RESUME:
        if state.status is not RunStatus.PAUSED:
            return unchanged(Outcome.STALE)
        return Decision(Outcome.RESUMED, replace(state, status=RunStatus.ACTIVE))
    if action is Action.STOP:
        return Decision(Outcome.STOPPED, replace(state, status=RunStatus.STOPPED))
    raise ValueError(f"unknown action {action!r}")
