"""Daily reminders and one-shot prompts (snoozes, check-ins, nudges): what is due, claimed once.

Their deliveries (the idempotency keys and leases) live in storage.deliveries."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

# The kinds of one-shot prompt, re-exported for the handlers that queue them.
from bot.domain.delivery_policy import FLIGHT as FLIGHT
from bot.domain.delivery_policy import NUDGE as NUDGE
from bot.domain.delivery_policy import SNOOZE
from bot.domain.schedule import next_occurrence
from bot.domain.times_of_day import format_time, stored_time
from bot.storage.database import rows_matched
from bot.storage.models import Prompt, Reminder, User


async def of_user(session: AsyncSession, user_id: int) -> list[Reminder]:
    return list(
        await session.scalars(
            select(Reminder).where(Reminder.user_id == user_id).order_by(Reminder.local_time)
        )
    )


async def times_of(session: AsyncSession, user_id: int) -> list[time]:
    """The user's daily reminder times, earliest first."""
    return [stored_time(reminder.local_time) for reminder in await of_user(session, user_id)]


async def users_with_reminders(session: AsyncSession) -> int:
    """How many users have at least one reminder (for the start-up log and /stats)."""
    return await session.scalar(select(func.count(func.distinct(Reminder.user_id)))) or 0


async def replace_all(
    session: AsyncSession, user_id: int, times: list[time], timezone: str, now: datetime
) -> list[Reminder]:
    """The user's reminders become exactly `times` (an empty list switches them off). A time
    the user already had keeps its row as it is: one that is due right now and not yet sent
    (its tick has not run, or no instance is up) must still go out today, not be moved to
    tomorrow because another time was switched on or off meanwhile."""
    wanted = {format_time(at): at for at in times}
    existing = {reminder.local_time: reminder for reminder in await of_user(session, user_id)}
    for text, reminder in existing.items():
        if text not in wanted:
            await session.delete(reminder)
    kept = {text: reminder for text, reminder in existing.items() if text in wanted}
    created = [
        Reminder(
            user_id=user_id,
            local_time=text,
            next_at=next_occurrence(now, at, timezone),
            created_at=now,
        )
        for text, at in wanted.items()
        if text not in kept
    ]
    session.add_all(created)
    await session.flush()
    return sorted([*kept.values(), *created], key=lambda reminder: reminder.local_time)


MAX_PER_USER = 3


class TooManyReminders(Exception):
    """A user keeps at most MAX_PER_USER reminders a day."""


async def toggle(
    session: AsyncSession, user_id: int, at: time, timezone: str, now: datetime, *, on: bool
) -> list[time]:
    """Switch one reminder time on or off; returns the user's times afterwards."""
    current = await times_of(session, user_id)
    wanted = sorted({*current, at}) if on else [t for t in current if t != at]
    if len(wanted) > MAX_PER_USER:
        raise TooManyReminders
    if wanted != sorted(current):
        await replace_all(session, user_id, wanted, timezone, now)
    return wanted


async def reschedule(session: AsyncSession, user_id: int, timezone: str, now: datetime) -> None:
    """After a change of zone: the same local times, in the new zone."""
    for reminder in await of_user(session, user_id):
        reminder.next_at = next_occurrence(now, stored_time(reminder.local_time), timezone)


async def claim_due(
    session: AsyncSession, now: datetime, limit: int, *, exclude: Collection[int] = ()
) -> list[tuple[Reminder, User]]:
    """Due reminders, oldest first, locked for this transaction (`exclude`: ids this tick
    already failed on). On PostgreSQL another instance skips the locked rows and takes the
    next ones, so no two send the same."""
    return await _claim(session, Reminder, Reminder.next_at, now, limit, exclude)


async def count_failure(
    session: AsyncSession, model: type[Reminder] | type[Prompt], row_id: int
) -> int:
    """One more tick failed on this reminder or prompt; how many in a row now."""
    failures = await session.scalar(
        update(model)
        .where(model.id == row_id)
        .values(failures=model.failures + 1)
        .returning(model.failures)
    )
    return failures or 0


async def move_on(session: AsyncSession, reminder_id: int, now: datetime) -> None:
    """Give up on a reminder's current occurrence: the next one (a day on, if its data is too
    broken to compute one), with its failures forgotten."""
    row = (
        await session.execute(
            select(Reminder.local_time, User.timezone)
            .join(User, User.id == Reminder.user_id)
            .where(Reminder.id == reminder_id)
        )
    ).first()
    if row is None:
        return
    try:
        next_at = next_occurrence(now, stored_time(row.local_time), row.timezone)
    except ValueError:
        next_at = now + timedelta(days=1)
    await session.execute(
        update(Reminder).where(Reminder.id == reminder_id).values(next_at=next_at, failures=0)
    )


async def add_prompt(
    session: AsyncSession,
    *,
    user_id: int,
    kind: str,
    due_at: datetime,
    now: datetime,
    replace: bool = False,
    once: bool = False,
) -> Prompt:
    """A one-shot prompt; `replace` drops the user's pending ones of the same kind first;
    `once` keeps the one already pending for the same kind and instant instead of a second."""
    if replace:
        await session.execute(delete(Prompt).where(Prompt.user_id == user_id, Prompt.kind == kind))
    if once:
        pending = await session.scalar(
            select(Prompt).where(
                Prompt.user_id == user_id, Prompt.kind == kind, Prompt.due_at == due_at
            )
        )
        if pending is not None:
            return pending
    prompt = Prompt(user_id=user_id, kind=kind, due_at=due_at, created_at=now)
    session.add(prompt)
    await session.flush()
    return prompt


async def drop_prompts(session: AsyncSession, user_id: int, kind: str) -> None:
    """Drop the user's pending prompts of `kind` (a flight check-in made moot by landing)."""
    await session.execute(delete(Prompt).where(Prompt.user_id == user_id, Prompt.kind == kind))


async def claim_due_prompts(
    session: AsyncSession, now: datetime, limit: int, *, exclude: Collection[int] = ()
) -> list[tuple[Prompt, User]]:
    """Due one-shot prompts, locked for this transaction (`exclude`: ids this tick already
    failed on). The caller deletes each one it handles, in the same transaction, so a prompt
    is sent at most once from here; the delivery key guards the rest."""
    return await _claim(session, Prompt, Prompt.due_at, now, limit, exclude)


_Due = TypeVar("_Due", Reminder, Prompt)


async def _claim(
    session: AsyncSession,
    model: type[_Due],
    due: InstrumentedAttribute[datetime],
    now: datetime,
    limit: int,
    exclude: Collection[int],
) -> list[tuple[_Due, User]]:
    """The rows of `model` due by `now` (column `due`), oldest first, with their users, locked
    for this transaction; rows another transaction holds are skipped, not waited for."""
    query = select(model, User).join(User, User.id == model.user_id)
    if exclude:
        query = query.where(model.id.not_in(list(exclude)))
    rows = await session.execute(
        query.where(due <= now)
        .order_by(due)
        .limit(limit)
        .with_for_update(of=model, skip_locked=True)
    )
    return [(row, user) for row, user in rows]


async def drop_prompt(session: AsyncSession, prompt_id: int) -> bool:
    """Delete a prompt; False if it was gone already (replaced, or its user deleted)."""
    result = await session.execute(delete(Prompt).where(Prompt.id == prompt_id))
    return bool(rows_matched(result))


async def skip_today(session: AsyncSession, user_id: int, local_date: date) -> None:
    """No more reminders for the user on `local_date`, snoozed ones included."""
    await session.execute(
        update(User).where(User.id == user_id).values(reminders_skipped_on=local_date)
    )
    await session.execute(delete(Prompt).where(Prompt.user_id == user_id, Prompt.kind == SNOOZE))
