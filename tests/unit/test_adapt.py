"""Routines fitted to a safety profile, over the real catalogue and any profile."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.catalog.adapt import MIN_STEPS, adapt
from bot.domain.safety import Answer, SafetyAnswers, today
from tests.support.content import real_catalog

CATALOG = real_catalog()
ADAPTATIONS = CATALOG.adaptations("en")
AREA_IDS = [area.id for area in ADAPTATIONS.injection_areas]
ROUTINES = CATALOG.routines("en")
TODAY = date(2026, 11, 25)
PAUSE = 14
LIGHTER = next(r.step_note for r in ADAPTATIONS.rules if r.when == "sensitive_skin")

answers = st.one_of(st.none(), st.sampled_from(Answer))


def covered(injection_ids) -> set[str]:
    """The step areas the given injection areas cover."""
    return {a for i in ADAPTATIONS.injection_areas if i.id in injection_ids for a in i.areas}


@st.composite
def profiles(draw) -> SafetyAnswers:
    injectables = draw(answers)
    injected = injectables is Answer.YES
    areas = draw(st.lists(st.sampled_from(AREA_IDS), unique=True, max_size=len(AREA_IDS)))
    return SafetyAnswers(
        injectables=injectables,
        injected_areas=tuple(areas) if injected else (),
        injected_on=TODAY - timedelta(days=draw(st.integers(0, 40))) if injected else None,
        sensitive_skin=draw(answers),
        thyroid=draw(answers),
        pregnancy=draw(answers),
    )


@settings(max_examples=600)
@given(profiles(), st.sampled_from(ROUTINES))
def test_an_adapted_routine_keeps_every_rule_of_the_profile(profile, routine):
    situation = today(profile, TODAY, PAUSE)
    adapted = adapt(routine, ADAPTATIONS, situation.conditions, situation.treated)
    areas = {area for step in adapted.steps for area in step.areas}
    cautions = {caution for step in adapted.steps for caution in step.cautions}
    if situation.treated:
        # Several areas at once: no remaining step passes over ANY of them, and no cupping.
        assert situation.treated == set(profile.injected_areas)
        assert not areas & covered(situation.treated), "no step over a treated area"
        assert "suction" not in cautions
        if adapted.left_out:
            assert any("ask your injector" in note.lower() for note in adapted.notes)
    if profile.injectables is Answer.UNSURE:
        # The careful path: the areas most often treated are left out, and it says so.
        assert not areas & {"forehead", "brows", "under_eyes", "temples", "lips", "cheeks"}
        assert "suction" not in cautions
        assert any("careful path" in note for note in adapted.notes)
    if profile.sensitive_skin in (Answer.YES, Answer.UNSURE):
        assert not cautions & {"heat", "firm_pressure", "suction"}, "nothing warm, firm or cupped"
    # "Lighter still for your skin" on every step only for a yes, never for "not sure".
    assert (LIGHTER in adapted.step_notes) is (profile.sensitive_skin is Answer.YES)
    if profile.thyroid in (Answer.YES, Answer.UNSURE):
        assert "neck_front" not in areas, "no front-of-neck step"
        notes = " ".join(adapted.notes).lower()
        assert "front of the neck" in notes
        assert "sides of the neck are fine" not in notes
    if profile.pregnancy in (Answer.YES, Answer.UNSURE):
        assert any("midwife or doctor" in note for note in adapted.notes)
    if len(adapted.steps) < MIN_STEPS:
        assert ADAPTATIONS.too_short_note in adapted.notes, "fewer than 3 steps is said"
    # Nothing is invented or reordered: the steps that remain keep the routine's order.
    assert [s for s in routine.steps if s in adapted.steps] == list(adapted.steps)
    assert len(adapted.steps) + len(adapted.left_out) == len(routine.steps)


@settings(max_examples=300)
@given(
    st.lists(st.sampled_from(AREA_IDS), unique=True, min_size=1),
    st.sampled_from(ROUTINES),
)
def test_several_injection_areas_leave_out_every_step_over_any_of_them(injected, routine):
    profile = SafetyAnswers(
        injectables=Answer.YES, injected_areas=tuple(injected), injected_on=TODAY
    )
    situation = today(profile, TODAY, PAUSE)
    adapted = adapt(routine, ADAPTATIONS, situation.conditions, situation.treated)
    excluded = covered(injected)
    for step in adapted.steps:
        assert not set(step.areas) & excluded, (step.id, step.areas, injected)
    for step in adapted.left_out:
        assert set(step.areas) & excluded or "suction" in step.cautions, step.id


def test_forehead_and_crows_feet_together_leave_out_both():
    profile = SafetyAnswers(
        injectables=Answer.YES, injected_areas=("forehead", "eyes"), injected_on=TODAY
    )
    situation = today(profile, TODAY, PAUSE)
    adapted = adapt(
        CATALOG.routine("en", "classic"), ADAPTATIONS, situation.conditions, situation.treated
    )
    left_out = {step.id for step in adapted.left_out}
    # The brows and forehead, the eye rim, the temples, and the final sweep over the forehead.
    assert {"brows-forehead", "under-eyes", "temples", "final-sweep"} <= left_out
    assert {"cheeks", "jaw", "neck-sides"} <= set(adapted.step_ids)


def test_a_rule_only_claims_to_have_left_something_out_when_it_did():
    # A thyroid condition: no step of the real catalogue goes over the front of the neck, so
    # nothing is said to be left out, and the note never reassures about the sides.
    thyroid = next(r for r in ADAPTATIONS.rules if r.when == "thyroid")
    for routine in ROUTINES:
        adapted = adapt(routine, ADAPTATIONS, {"thyroid"})
        assert thyroid.note in adapted.notes
        assert (thyroid.left_out_note in adapted.notes) is bool(adapted.left_out)
    # Treated crow's feet and the neck routine: nothing there touches the eyes, nothing claimed.
    neck = CATALOG.routine("en", "neck-and-collar")
    adapted = adapt(neck, ADAPTATIONS, {"treated_area"}, {"eyes"})
    assert not any("treated" in note for note in adapted.notes)


def test_the_pause_after_injections_ends_after_the_set_number_of_days():
    profile = SafetyAnswers(injectables=Answer.YES, injected_areas=("cheeks",), injected_on=TODAY)
    for days, treated in ((0, True), (3, True), (PAUSE - 1, True), (PAUSE, False), (20, False)):
        situation = today(profile, TODAY + timedelta(days=days), PAUSE)
        assert ("treated_area" in situation.conditions) is treated, days
        adapted = adapt(
            CATALOG.routine("en", "classic"), ADAPTATIONS, situation.conditions, situation.treated
        )
        assert ("cheeks" in {a for s in adapted.steps for a in s.areas}) is not treated


def test_sensitive_skin_leaves_out_firm_pressure_heat_and_cups():
    for answer in (Answer.YES, Answer.UNSURE):
        situation = today(SafetyAnswers(sensitive_skin=answer), TODAY, PAUSE)
        for routine in ROUTINES:
            adapted = adapt(routine, ADAPTATIONS, situation.conditions, situation.treated)
            for step in adapted.steps:
                assert not {"heat", "firm_pressure", "suction"} & set(step.cautions), step.id
    evening = CATALOG.routine("en", "evening-oil")
    adapted = adapt(evening, ADAPTATIONS, {"sensitive_skin"})
    assert {"warm-compress", "jaw-knead"} <= {s.id for s in adapted.left_out}


def test_no_profile_changes_nothing():
    situation = today(SafetyAnswers(), TODAY, PAUSE)
    for routine in ROUTINES:
        adapted = adapt(routine, ADAPTATIONS, situation.conditions, situation.treated)
        assert adapted.steps == routine.steps and not adapted.notes and not adapted.step_notes


def test_a_stop_sign_stops_today_and_is_asked_again_later():
    profile = SafetyAnswers(stop_sign_on=TODAY)
    assert today(profile, TODAY, PAUSE).stopped
    later = today(profile, TODAY + timedelta(days=1), PAUSE)
    assert not later.stopped and later.recheck_stop_sign
