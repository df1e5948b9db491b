"""Routines fitted to a safety profile, over the real catalogue and any profile."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.catalog.adapt import MIN_STEPS, adapt
from bot.domain.safety import Answer, Profile, today
from tests.support.content import real_catalog

CATALOG = real_catalog()
ADAPTATIONS = CATALOG.adaptations("en")
AREA_IDS = [area.id for area in ADAPTATIONS.injection_areas]
ROUTINES = CATALOG.routines("en")
TODAY = date(2026, 11, 25)
PAUSE = 14

answers = st.one_of(st.none(), st.sampled_from(Answer))


@st.composite
def profiles(draw) -> Profile:
    injectables = draw(answers)
    injected = injectables is Answer.YES
    return Profile(
        injectables=injectables,
        injected_area=draw(st.sampled_from(AREA_IDS)) if injected else None,
        injected_on=TODAY - timedelta(days=draw(st.integers(0, 40))) if injected else None,
        sensitive_skin=draw(answers),
        thyroid=draw(answers),
        pregnancy=draw(answers),
    )


@settings(max_examples=400)
@given(profiles(), st.sampled_from(ROUTINES))
def test_an_adapted_routine_keeps_every_rule_of_the_profile(profile, routine):
    situation = today(profile, TODAY, PAUSE)
    adapted = adapt(routine, ADAPTATIONS, situation.conditions, situation.treated)
    areas = {step.area for step in adapted.steps}
    if situation.treated:
        (treated,) = situation.treated
        excluded = next(a.areas for a in ADAPTATIONS.injection_areas if a.id == treated)
        assert not areas & set(excluded), "no step over a treated area"
        assert any("ask your injector" in note.lower() for note in adapted.notes)
    if profile.sensitive_skin in (Answer.YES, Answer.UNSURE):
        assert not any("heat" in step.cautions for step in adapted.steps), "no heat step"
        assert adapted.step_notes, "a lighter-pressure note on every step"
    if profile.thyroid in (Answer.YES, Answer.UNSURE):
        assert "neck_front" not in areas, "no front-of-neck step"
    if profile.pregnancy in (Answer.YES, Answer.UNSURE):
        assert any("midwife or doctor" in note for note in adapted.notes)
    if len(adapted.steps) < MIN_STEPS:
        assert ADAPTATIONS.too_short_note in adapted.notes, "fewer than 3 steps is said"
    # Nothing is invented or reordered: the steps that remain keep the routine's order.
    assert [s for s in routine.steps if s in adapted.steps] == list(adapted.steps)
    assert len(adapted.steps) + len(adapted.left_out) == len(routine.steps)


def test_the_pause_after_injections_ends_after_the_set_number_of_days():
    profile = Profile(injectables=Answer.YES, injected_area="cheeks", injected_on=TODAY)
    for days, treated in ((0, True), (3, True), (PAUSE - 1, True), (PAUSE, False), (20, False)):
        situation = today(profile, TODAY + timedelta(days=days), PAUSE)
        assert ("treated_area" in situation.conditions) is treated, days
        adapted = adapt(
            CATALOG.routine("en", "classic"), ADAPTATIONS, situation.conditions, situation.treated
        )
        assert ("cheeks" in {s.area for s in adapted.steps}) is not treated


def test_no_profile_changes_nothing():
    situation = today(Profile(), TODAY, PAUSE)
    for routine in ROUTINES:
        adapted = adapt(routine, ADAPTATIONS, situation.conditions, situation.treated)
        assert adapted.steps == routine.steps and not adapted.notes and not adapted.step_notes


def test_a_stop_sign_stops_today_and_is_asked_again_later():
    profile = Profile(stop_sign_on=TODAY)
    assert today(profile, TODAY, PAUSE).stopped
    later = today(profile, TODAY + timedelta(days=1), PAUSE)
    assert not later.stopped and later.recheck_stop_sign
