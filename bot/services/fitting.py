"""A routine fitted to the user's safety profile for today: read the profile, apply the
content's adaptation rules (bot/catalog/adapt.py), and rebuild a run's routine from the step
ids it started with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog import Routine
from bot.catalog.adapt import Adapted, adapt
from bot.domain.safety import SafetyAnswers, Today, today
from bot.services.accounts import Account
from bot.services.context import Services
from bot.storage import rest_days, safety


@dataclass(frozen=True)
class Fitted:
    situation: Today
    adapted: Adapted
    # Why today is a rest day (a red flag's route, a stop-sign); empty on an ordinary day.
    rest: tuple[str, ...] = ()

    @property
    def resting(self) -> bool:
        """No routine today: a rest day, or a stop-sign reported today."""
        return bool(self.rest) or self.situation.stopped

    @property
    def routine(self) -> Routine:
        """The routine with only the steps that remain."""
        return with_steps(self.adapted.routine, self.adapted.step_ids)

    @property
    def step_note(self) -> str | None:
        return " ".join(self.adapted.step_notes) or None


async def fit_today(svc: Services, user: Account, routine: Routine) -> Fitted:
    """`routine` as it would run for `user` now (for its introduction)."""
    async with svc.db.read() as session:
        return await fit(svc, session, user, routine, svc.clock.now())


async def fit(
    svc: Services, session: AsyncSession, user: Account, routine: Routine, now: datetime
) -> Fitted:
    """`routine` fitted to the user's answers and rest days on their ritual day at `now`,
    inside the caller's transaction."""
    answers = await safety.load(session, user.id) or SafetyAnswers()
    day = user.ritual_day(now)
    situation = today(answers, day, svc.settings.injectables_pause_days)
    adaptations = svc.catalog.adaptations(user.language)
    rest = tuple(await rest_days.reasons_on(session, user.id, day))
    adapted = adapt(routine, adaptations, situation.conditions, situation.treated)
    return Fitted(situation, adapted, rest)


def with_steps(routine: Routine, step_ids: tuple[str, ...] | str | None) -> Routine:
    """`routine` keeping only `step_ids` (a tuple or the stored comma-separated form; None or
    every id: the routine as it is). Ids no longer in the content are passed over."""
    if step_ids is None:
        return routine
    wanted = set(step_ids.split(",") if isinstance(step_ids, str) else step_ids)
    if wanted >= {step.id for step in routine.steps}:
        return routine
    return routine.model_copy(update={"steps": tuple(s for s in routine.steps if s.id in wanted)})
