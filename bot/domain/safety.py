"""The safety profile: what a user told us, and what it means for today's routine.

Pure. The answers become "conditions" named as content/*/adaptations.yaml names them; the
content decides what each condition changes. "Not sure" counts as yes wherever it matters,
because the careful path costs little.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Answer(StrEnum):
    NO = "no"
    YES = "yes"
    UNSURE = "unsure"


def careful(answer: Answer | None) -> bool:
    """Whether an answer calls for the careful path: yes, or not sure."""
    return answer in (Answer.YES, Answer.UNSURE)


@dataclass(frozen=True)
class SafetyAnswers:
    """What the user answered to the safety questions (None: not answered yet)."""

    injectables: Answer | None = None
    # Which injection areas (ids from adaptations.yaml; often several, such as the forehead and
    # the crow's feet) and on which date, when answered yes.
    injected_areas: tuple[str, ...] = ()
    injected_on: date | None = None
    sensitive_skin: Answer | None = None
    thyroid: Answer | None = None
    pregnancy: Answer | None = None
    # The ritual date on which the user reported a stop-sign (fever, infection, open wound,
    # a recent injury in the area, a known blood clot), or said they were not sure.
    stop_sign_on: date | None = None


@dataclass(frozen=True)
class Today:
    """What the profile means on one ritual date."""

    conditions: frozenset[str]
    # Injection-area ids whose steps are left out today.
    treated: frozenset[str]
    # A stop-sign was reported today: no routine at all.
    stopped: bool
    # A stop-sign was reported on an earlier day: ask whether it still holds before starting.
    recheck_stop_sign: bool


def today(profile: SafetyAnswers, day: date, pause_days: int) -> Today:
    conditions: set[str] = set()
    treated: set[str] = set()
    if profile.injectables is Answer.UNSURE:
        conditions.add("injectables_unsure")
    if (
        profile.injectables is Answer.YES
        and profile.injected_areas
        and profile.injected_on is not None
        and profile.injected_on <= day < profile.injected_on + timedelta(days=pause_days)
    ):
        conditions.add("treated_area")
        treated.update(profile.injected_areas)
    # "Not sure" about sensitive skin takes the same careful choices, said once rather than
    # on every step: the user did not tell us their skin is sensitive.
    if profile.sensitive_skin is Answer.YES:
        conditions.add("sensitive_skin")
    elif profile.sensitive_skin is Answer.UNSURE:
        conditions.add("sensitive_skin_unsure")
    for name in ("thyroid", "pregnancy"):
        if careful(getattr(profile, name)):
            conditions.add(name)
    stop = profile.stop_sign_on
    return Today(
        conditions=frozenset(conditions),
        treated=frozenset(treated),
        stopped=stop == day,
        recheck_stop_sign=stop is not None and stop < day,
    )
