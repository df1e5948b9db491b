"""Puffiness check-ins and rest days: the answers to the red-flag question and the 0-10
ratings before and after a routine, and whether today is a rest day (a red flag or a
stop-sign earlier that day)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.domain.edema import RedFlag
from bot.domain.local_time import rest_dates
from bot.domain.safety import careful, today
from bot.services.accounts import Account
from bot.services.context import Services
from bot.storage import checkins, rest_days, safety

# Re-exported: the phases of a rating and the "cause" of the ratings around a daily routine,
# as the Telegram layer names them on buttons and in questions.
from bot.storage.checkins import BEFORE as BEFORE
from bot.storage.checkins import DAILY as DAILY

# An "after" rating is compared with the "before" rating of the last day.
_COMPARE_WITHIN = timedelta(days=1)


async def rest_reasons(svc: Services, user: Account) -> list[str]:
    """Why today is a rest day for the user (empty: it is not)."""
    async with svc.db.read() as session:
        return await rest_days.reasons_on(session, user.id, user.ritual_day(svc.clock.now()))


@dataclass(frozen=True)
class Before:
    """What decides how a check-in begins."""

    # Why today is a rest day (empty: it is not): the advice again, no question.
    rest: list[str]
    # A stop-sign on an earlier day not yet said to be gone: asked first, since a stop-sign
    # still there means no massage whatever the red flags and the rating.
    recheck_stop_sign: bool
    # The red-flag question includes the signs that matter in pregnancy (a yes or a "not
    # sure" in the safety profile).
    pregnant: bool


async def before_checkin(svc: Services, user: Account) -> Before:
    day = user.ritual_day(svc.clock.now())
    async with svc.db.read() as session:
        rest = await rest_days.reasons_on(session, user.id, day)
        answers = await safety.load(session, user.id)
    if answers is None:
        return Before(rest, recheck_stop_sign=False, pregnant=False)
    situation = today(answers, day, svc.settings.injectables_pause_days)
    return Before(rest, situation.recheck_stop_sign, careful(answers.pregnancy))


async def mark_red_flag(svc: Services, user: Account, flag: RedFlag) -> None:
    """A red flag: the rest of the user's ritual day is a rest day (its route says why), and
    in the small hours the day ahead as well."""
    now = svc.clock.now()
    async with svc.db.transaction() as session:
        for day in rest_dates(now, user.timezone, user.day_starts_at):
            await rest_days.mark(session, user.id, day, flag.route, now)


async def record_before(
    svc: Services, user: Account, cause: str, rating: int, red_flag: RedFlag | None
) -> None:
    """The rating before de-puffing (with the red-flag answer) or before a daily routine."""
    async with svc.db.transaction() as session:
        await checkins.record(
            session,
            user_id=user.id,
            cause=cause,
            phase=checkins.BEFORE,
            rating=rating,
            red_flag=None if red_flag is None else red_flag.value,
            now=svc.clock.now(),
        )


async def record_after(svc: Services, user: Account, cause: str, rating: int) -> int | None:
    """The rating after a routine; returns the rating before it (of the last day), if any."""
    now = svc.clock.now()
    async with svc.db.transaction() as session:
        before = await checkins.latest_before(session, user.id, cause, now - _COMPARE_WITHIN)
        await checkins.record(
            session,
            user_id=user.id,
            cause=cause,
            phase=checkins.AFTER,
            rating=rating,
            red_flag=None,
            now=now,
        )
        return None if before is None else before.rating
