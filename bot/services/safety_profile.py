"""The safety profile's answers: read, saved one at a time as they come, and a stop-sign
turned into today's rest day (or taken back the same day)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.local_time import rest_dates
from bot.domain.safety import SafetyAnswers
from bot.services.accounts import Account
from bot.services.context import Services
from bot.storage import rest_days, safety

# What one field of the profile is saved as: an answer's value, a date, area ids, or None.
AnswerValue = str | date | tuple[str, ...] | None


async def answers_of(svc: Services, user_id: int) -> SafetyAnswers | None:
    """The user's answers, or None if they never answered a question."""
    async with svc.db.read() as session:
        return await safety.load(session, user_id)


async def save_answers(svc: Services, user: Account, fields: Mapping[str, AnswerValue]) -> None:
    """Save the given fields; a stop-sign answer (`stop_sign_on`) also makes today a rest day,
    or takes that back."""
    now = svc.clock.now()
    async with svc.db.transaction() as session:
        await safety.save(session, user.id, now, **fields)
        if "stop_sign_on" in fields:
            await _stop_sign_rest(session, user, fields["stop_sign_on"], now)


async def toggle_area(
    svc: Services, user: Account, area: str | None, order: Sequence[str]
) -> tuple[str, ...]:
    """Turn one treated area on or off (None: Done, nothing changes); the areas chosen
    afterwards, in `order`."""
    async with svc.db.transaction() as session:
        answers = await safety.load(session, user.id) or SafetyAnswers()
        chosen = set(answers.injected_areas)
        if area is not None:
            chosen ^= {area}
            areas = tuple(a for a in order if a in chosen)
            await safety.save(session, user.id, svc.clock.now(), injected_areas=areas)
    return tuple(a for a in order if a in chosen)


async def _stop_sign_rest(
    session: AsyncSession, user: Account, stop_sign_on: AnswerValue, now: datetime
) -> None:
    """A stop-sign makes today a rest day (in the small hours the day ahead as well); "no"
    (or "all clear") the same day takes it back."""
    days = rest_dates(now, user.timezone, user.day_starts_at)
    for day in days:
        if stop_sign_on == days[0]:
            await rest_days.mark(session, user.id, day, rest_days.STOP_SIGN, now)
        else:
            await rest_days.clear(session, user.id, day, rest_days.STOP_SIGN)
