"""The walkthrough state machine: only the owner, only at the current step, only once."""

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.walkthrough import Action, Mode, Outcome, RunState, RunStatus, decide

OWNER = 7

states = st.builds(
    lambda count, index, status, mode: RunState(OWNER, min(index, count - 1), count, status, mode),
    st.integers(1, 30),
    st.integers(0, 29),
    st.sampled_from(RunStatus),
    st.sampled_from(Mode),
)


def active(step: int = 0, count: int = 10, mode: Mode = Mode.BUTTONS) -> RunState:
    return RunState(OWNER, step, count, RunStatus.ACTIVE, mode)


def test_next_advances_one_step_and_the_last_one_finishes():
    state = active()
    for expected in range(1, 10):
        decision = decide(state, Action.NEXT, actor_id=OWNER, step_index=state.step_index)
        assert decision.outcome is Outcome.ADVANCED
        assert decision.state.step_index == expected
        state = decision.state
    final = decide(state, Action.NEXT, actor_id=OWNER, step_index=9)
    assert final.outcome is Outcome.FINISHED
    assert final.state.status is RunStatus.FINISHED


def test_a_double_press_advances_once():
    first = decide(active(3), Action.NEXT, actor_id=OWNER, step_index=3)
    second = decide(first.state, Action.NEXT, actor_id=OWNER, step_index=3)
    assert first.outcome is Outcome.ADVANCED
    assert second.outcome is Outcome.STALE
    assert second.state == first.state


def test_pause_resume_and_stop():
    paused = decide(active(2), Action.PAUSE, actor_id=OWNER, step_index=2)
    assert paused.outcome is Outcome.PAUSED and paused.state.status is RunStatus.PAUSED
    assert decide(paused.state, Action.NEXT, actor_id=OWNER, step_index=2).outcome is Outcome.STALE
    resumed = decide(paused.state, Action.RESUME, actor_id=OWNER, step_index=2)
    assert resumed.outcome is Outcome.RESUMED and resumed.state.status is RunStatus.ACTIVE
    stopped = decide(paused.state, Action.STOP, actor_id=OWNER, step_index=2)
    assert stopped.outcome is Outcome.STOPPED and stopped.state.status is RunStatus.STOPPED


def test_the_timer_moves_only_hands_free_runs():
    assert decide(active(1), Action.TIMER, actor_id=OWNER, step_index=1).outcome is Outcome.STALE
    hands_free = active(1, mode=Mode.HANDS_FREE)
    decision = decide(hands_free, Action.TIMER, actor_id=OWNER, step_index=1)
    assert decision.outcome is Outcome.ADVANCED


@given(states, st.sampled_from(Action), st.integers(0, 40), st.integers(0, 10))
def test_nothing_changes_unless_the_owner_presses_the_current_step_of_an_open_run(
    state, action, step, actor
):
    decision = decide(state, action, actor_id=actor, step_index=step)
    at_current = step == state.step_index or action is Action.REPLACE  # whatever step it is on
    allowed = actor == OWNER and at_current and state.status.is_open
    if not allowed:
        assert not decision.outcome.changed
    if not decision.outcome.changed:
        assert decision.state == state
    # Invariants of every decision.
    assert decision.state.owner_id == state.owner_id
    assert 0 <= decision.state.step_index < decision.state.step_count
    assert decision.state.step_index - state.step_index in (0, 1)


@given(states, st.lists(st.tuples(st.sampled_from(Action), st.integers(0, 30)), max_size=60))
def test_any_sequence_of_presses_never_skips_a_step_or_reopens_a_run(state, presses):
    for action, step in presses:
        before = state
        state = decide(state, action, actor_id=OWNER, step_index=step).state
        assert state.step_index in (before.step_index, before.step_index + 1)
        if not before.status.is_open:
            assert state == before


@given(states, st.integers(0, 40))
def test_start_again_replaces_an_open_run_at_any_step(state, step):
    decision = decide(state, Action.REPLACE, actor_id=OWNER, step_index=step)
    if state.status.is_open:
        assert decision.outcome is Outcome.REPLACED
        assert decision.state == RunState(
            OWNER, state.step_index, state.step_count, RunStatus.REPLACED, state.mode
        )
    else:
        assert not decision.outcome.changed and decision.state == state
    assert decide(state, Action.REPLACE, actor_id=OWNER + 1, step_index=step).outcome is (
        Outcome.NOT_OWNER
    )


@given(states, st.sampled_from(Action), st.integers(0, 40))
def test_every_press_on_a_replaced_run_says_so_and_changes_nothing(state, action, step):
    replaced = decide(state, Action.REPLACE, actor_id=OWNER, step_index=step).state
    if state.status.is_open or state.status is RunStatus.REPLACED:
        decision = decide(replaced, action, actor_id=OWNER, step_index=replaced.step_index)
        assert decision.outcome is Outcome.SUPERSEDED and decision.state == replaced
