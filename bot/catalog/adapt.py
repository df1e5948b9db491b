"""A routine fitted to a safety profile, by the rules in adaptations.yaml (pure).

Each step names its area and its cautions; each rule names a condition and what it leaves out
or adds. Nothing about a particular condition is written here.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from .models import AdaptationRule, Adaptations, Routine, Step

# Fewer steps than this is hardly a routine; the user is told so.
MIN_STEPS = 3


@dataclass(frozen=True)
class Adapted:
    routine: Routine
    # The routine's steps that remain, in order.
    steps: tuple[Step, ...]
    left_out: tuple[Step, ...]
    # Shown once, above the routine.
    notes: tuple[str, ...]
    # Shown on every step.
    step_notes: tuple[str, ...]

    @property
    def too_short(self) -> bool:
        return len(self.steps) < MIN_STEPS

    @property
    def step_ids(self) -> tuple[str, ...]:
        return tuple(step.id for step in self.steps)


def adapt(
    routine: Routine,
    adaptations: Adaptations,
    conditions: Collection[str],
    treated: Collection[str] = (),
) -> Adapted:
    """`routine` for someone meeting `conditions`, with the injection areas `treated` (ids).

    A step is left out when any area it passes over, or any of its cautions, is ruled out.
    A rule's `left_out_note` is said only when that rule left a step out of this routine, so
    nothing is claimed that did not happen."""
    rules = [rule for rule in adaptations.rules if rule.when in conditions]
    treated_areas = _treated_areas(adaptations, treated)

    def kept(step: Step) -> bool:
        return not any(_rules_out(rule, step, treated_areas) for rule in rules)

    steps = tuple(step for step in routine.steps if kept(step))
    left_out = tuple(step for step in routine.steps if not kept(step))
    notes = _notes(rules, left_out, treated_areas)
    if len(steps) < MIN_STEPS:
        notes.append(adaptations.too_short_note)
    return Adapted(
        routine=routine,
        steps=steps,
        left_out=left_out,
        notes=tuple(notes),
        step_notes=tuple(rule.step_note for rule in rules if rule.step_note),
    )


def _treated_areas(adaptations: Adaptations, treated: Collection[str]) -> set[str]:
    """The areas (step areas) of the injection areas `treated` (their ids)."""
    return {
        area
        for injection in adaptations.injection_areas
        if injection.id in treated
        for area in injection.areas
    }


def _rules_out(rule: AdaptationRule, step: Step, treated_areas: set[str]) -> bool:
    """Whether `rule` leaves `step` out: it passes over an area or has a caution ruled out."""
    areas = set(rule.skip_areas) | (treated_areas if rule.skip_treated else set())
    return bool(areas & set(step.areas) or set(rule.skip_cautions) & set(step.cautions))


def _notes(
    rules: list[AdaptationRule], left_out: tuple[Step, ...], treated_areas: set[str]
) -> list[str]:
    """Each rule's note, and its `left_out_note` only when it left out a step of these."""
    notes: list[str] = []
    for rule in rules:
        if rule.note:
            notes.append(rule.note)
        if rule.left_out_note and any(_rules_out(rule, step, treated_areas) for step in left_out):
            notes.append(rule.left_out_note)
    return notes
