"""The stored streak summary (one row a user) and the frozen days, kept in step with the
completions, which stay the source of truth."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.streaks import Counted, Day, Step, Summary, advance, day_of, recompute
from bot.domain.times_of_day import stored_time
from bot.storage import completions, rest_days
from bot.storage.database import Database
from bot.storage.models import Completion, FrozenDay, StreakSummary, User

# The routine id of a day logged afterwards ("I did it yesterday"), not through a walkthrough.
SELF_LOGGED = "self-logged"


async def count_completion(
    session: AsyncSession,
    *,
    user_id: int,
    timezone: str,
    day_starts_at: time,
    local_date: date,
    routine_id: str,
    run_id: int | None,
    now: datetime,
) -> Counted:
    """Record a completion and keep the streak in step."""
    # One completion at a time per user, even across instances: two routines finished at once
    # must not both see their date as new and count it twice.
    await session.get(User, user_id, with_for_update=True)
    recorded = await completions.record(
        session,
        user_id=user_id,
        local_date=local_date,
        routine_id=routine_id,
        run_id=run_id,
        timezone=timezone,
        now=now,
    )
    first_of_day = recorded and await completions.count_for_day(session, user_id, local_date) == 1
    if not first_of_day:
        unchanged = await load(session, user_id)
        return Counted(recorded, unchanged, unchanged, None)
    day = day_of(now, timezone, local_date, day_starts_at)
    before, step = await record_day(session, user_id, day, day_starts_at, now)
    return Counted(recorded, before, step.summary, step)


async def load(session: AsyncSession, user_id: int) -> Summary:
    row = await session.get(StreakSummary, user_id)
    return Summary() if row is None else _summary_of(row)


async def load_many(session: AsyncSession, user_ids: list[int]) -> dict[int, Summary]:
    """Summaries of several users in one query (those without one are left out)."""
    if not user_ids:
        return {}
    rows = await session.scalars(select(StreakSummary).where(StreakSummary.user_id.in_(user_ids)))
    return {row.user_id: _summary_of(row) for row in rows}


async def record_day(
    session: AsyncSession, user_id: int, day: Day, day_starts_at: time, now: datetime
) -> tuple[Summary, Step]:
    """A date counted for the first time: the summary before, and what the day changed. An
    earlier date than the last counted one ("I did it yesterday" after today) rebuilds the
    summary from history; otherwise it is one O(1) step."""
    before = await load(session, user_id)
    if before.last is None or day.date > before.last.date:
        since = before.last.date if before.last else None
        rest = await rest_days.dates_since(session, user_id, since)
        step = advance(before, day, day_starts_at, rest)
        await _store(session, user_id, step.summary, now)
        await _freeze(session, user_id, step.frozen)
        return before, step
    after = await rebuild(session, user_id, day_starts_at, fallback_zone=day.zone, now=now)
    return before, Step(after)


async def rebuild(
    session: AsyncSession, user_id: int, day_starts_at: time, *, fallback_zone: str, now: datetime
) -> Summary:
    """Recompute the summary and the frozen days from the completions and the rest days, and
    store them."""
    summary, frozen = recompute(
        await history(session, user_id, day_starts_at, fallback_zone),
        day_starts_at,
        await rest_days.dates_since(session, user_id, None),
    )
    await _store(session, user_id, summary, now)
    await session.execute(delete(FrozenDay).where(FrozenDay.user_id == user_id))
    await _freeze(session, user_id, frozen)
    return summary


async def check(
    session: AsyncSession, user_id: int, day_starts_at: time, fallback_zone: str
) -> bool:
    """Whether the stored summary equals the one recomputed from the completions."""
    recomputed, _ = recompute(
        await history(session, user_id, day_starts_at, fallback_zone),
        day_starts_at,
        await rest_days.dates_since(session, user_id, None),
    )
    return await load(session, user_id) == recomputed


async def check_all(
    database: Database, *, batch: int = 500, progress: Callable[[int], None] | None = None
) -> tuple[int, int]:
    """Check every user with a history (one short transaction each, in batches of ids);
    a summary that differs is rebuilt. Returns (checked, repaired)."""
    checked = repaired = 0
    after = -1
    while True:
        async with database.read() as session:
            rows = list(
                await session.execute(
                    select(User.id, User.timezone, User.day_starts_at)
                    .where(User.id > after, User.id.in_(select(Completion.user_id)))
                    .order_by(User.id)
                    .limit(batch)
                )
            )
        if not rows:
            return checked, repaired
        for user_id, zone, day_starts_at in rows:
            day_start = stored_time(day_starts_at)
            async with database.transaction() as session:
                if not await check(session, user_id, day_start, zone):
                    await rebuild(session, user_id, day_start, fallback_zone=zone, now=_now())
                    repaired += 1
            checked += 1
        after = rows[-1][0]
        if progress is not None:
            progress(checked)


def _now() -> datetime:
    return datetime.now(UTC)


async def history(
    session: AsyncSession, user_id: int, day_starts_at: time, fallback_zone: str
) -> list[Day]:
    """One Day per counted date: its first recorded completion."""
    rows = await session.execute(
        select(Completion.local_date, Completion.completed_at, Completion.timezone)
        .where(Completion.user_id == user_id)
        .order_by(Completion.id)
    )
    days: dict[date, Day] = {}
    for local_date, completed_at, zone in rows:
        if local_date not in days:
            zone = zone or fallback_zone
            days[local_date] = day_of(completed_at, zone, local_date, day_starts_at)
    return list(days.values())


async def done_and_frozen(
    session: AsyncSession, user_id: int, since: date
) -> tuple[set[date], set[date]]:
    """Counted and frozen dates from `since` on: bounded by the window, not the history
    (rest dates: bot.storage.rest_days.dates_since)."""
    done = await session.scalars(
        select(Completion.local_date)
        .where(Completion.user_id == user_id, Completion.local_date >= since)
        .distinct()
    )
    frozen = await session.scalars(
        select(FrozenDay.local_date).where(
            FrozenDay.user_id == user_id, FrozenDay.local_date >= since
        )
    )
    return set(done), set(frozen)


async def _store(session: AsyncSession, user_id: int, summary: Summary, now: datetime) -> None:
    row = await session.get(StreakSummary, user_id)
    if row is None:
        row = StreakSummary(user_id=user_id)
        session.add(row)
    last = summary.last
    row.current = summary.current
    row.best = summary.best
    row.total_days = summary.total_days
    row.freezes = summary.freezes
    row.toward_freeze = summary.toward_freeze
    row.last_date = last.date if last else None
    row.last_at = last.at if last else None
    row.last_zone = last.zone if last else None
    row.updated_at = now
    await session.flush()


async def _freeze(session: AsyncSession, user_id: int, dates: tuple[date, ...]) -> None:
    session.add_all(FrozenDay(user_id=user_id, local_date=d) for d in dates)
    await session.flush()


def _summary_of(row: StreakSummary) -> Summary:
    last = None
    if row.last_date is not None and row.last_at is not None and row.last_zone is not None:
        last = Day(row.last_date, row.last_at, row.last_zone)
    return Summary(
        current=row.current,
        best=row.best,
        total_days=row.total_days,
        freezes=row.freezes,
        toward_freeze=row.toward_freeze,
        last=last,
    )
