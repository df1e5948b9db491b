"""Streaks and progress: what /streak and /progress show, read in one short read each, and
"I did it yesterday", which counts a forgotten day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.domain import progress, streaks
from bot.domain.local_time import ritual_day_start
from bot.services.accounts import Account
from bot.services.context import Services
from bot.storage import checkins, completions, rest_days
from bot.storage import streaks as stored_streaks


@dataclass(frozen=True)
class StreakDays:
    """/streak's figures: today's standing, and the recent days behind it (from the first
    day the calendar shows, or the last 30 days if that is earlier)."""

    today: date
    standing: streaks.Standing
    done: set[date]
    frozen: set[date]
    rest: set[date]
    # The ritual day the user first came: days before it were never theirs to miss.
    joined: date


async def streak_days(svc: Services, user: Account) -> StreakDays:
    """One summary row, plus the bounded window of recent days for the pictures."""
    now = svc.clock.now()
    today = user.ritual_day(now)
    since = min(progress.first_shown(today), today - timedelta(days=29))
    async with svc.db.read() as session:
        summary = await stored_streaks.load(session, user.id)
        done, frozen = await stored_streaks.done_and_frozen(session, user.id, since)
        last = summary.last.date if summary.last else since
        rest = await rest_days.dates_since(session, user.id, min(since, last))
    standing = streaks.standing(summary, now, user.timezone, user.day_starts_at, rest)
    joined = user.ritual_day(user.joined_at) if user.joined_at is not None else today
    return StreakDays(today, standing, done, frozen, rest, joined)


@dataclass(frozen=True)
class Checkin:
    """One puffiness rating, on the user's ritual day."""

    day: date
    phase: str
    cause: str
    rating: int
    red_flag: str | None


@dataclass(frozen=True)
class ProgressDays:
    """/progress's figures over the weeks shown: each routine done (its ritual date) and
    each rating, in time order."""

    today: date
    done: list[date]
    checkins: list[Checkin]


async def progress_days(svc: Services, user: Account) -> ProgressDays:
    today = user.ritual_day(svc.clock.now())
    first = progress.first_shown(today)
    since = ritual_day_start(first, user.timezone, user.day_starts_at)
    async with svc.db.read() as session:
        done = await completions.dates_since(session, user.id, first)
        rows = await checkins.of_user(session, user.id, since=since)
        ratings = [
            Checkin(user.ritual_day(row.created_at), row.phase, row.cause, row.rating, row.red_flag)
            for row in rows
        ]
    return ProgressDays(today, done, ratings)


@dataclass(frozen=True)
class Logged:
    """What "I did it yesterday" came to: counted (with what it changed in the streak), or
    nothing (too late: the day is no longer yesterday; or that day was counted already)."""

    counted: streaks.Counted | None
    too_late: bool = False


async def log_day(svc: Services, user: Account, day: date) -> Logged:
    """Count `day` for the user if it is still yesterday and nothing counted it yet."""
    now = svc.clock.now()
    if day != user.ritual_day(now) - timedelta(days=1):
        return Logged(None, too_late=True)
    async with svc.db.transaction() as session:
        if await completions.count_for_day(session, user.id, day):
            return Logged(None)
        counted = await stored_streaks.count_completion(
            session,
            user_id=user.id,
            timezone=user.timezone,
            day_starts_at=user.day_starts_at,
            local_date=day,
            routine_id=stored_streaks.SELF_LOGGED,
            run_id=None,
            now=now,
        )
    return Logged(counted)
