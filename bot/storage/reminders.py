"""Daily reminders and their deliveries: what is due, claimed once, recorded once."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.schedule import next_occurrence
from bot.storage.database import insert_or_ignore
from bot.storage.models import Delivery, Prompt, Reminder, User

# A delivery's life: CLAIMED (recorded, not yet on the wire) -> SENDING (the request has left,
# or is leaving) -> SENT | FAILED. A crash leaves CLAIMED rows, which are sent again, and at
# most the few SENDING rows that were in flight, which become UNKNOWN and are not sent again:
# Telegram has no idempotency key, and a request that left has almost always arrived.
CLAIMED, SENDING, SENT, FAILED, UNKNOWN = "claimed", "sending", "sent", "failed", "unknown"
SNOOZE = "snooze"
FLIGHT = "flight"
# The evening nudge when a streak would break tonight; at most one a day (its delivery key).
NUDGE = "nudge"


async def of_user(session: AsyncSession, user_id: int) -> list[Reminder]:
    return list(
        await session.scalars(
            select(Reminder).where(Reminder.user_id == user_id).order_by(Reminder.local_time)
        )
    )


async def users_with_reminders(session: AsyncSession) -> int:
    """How many users have at least one reminder (for the start-up log and /stats)."""
    return await session.scalar(select(func.count(func.distinct(Reminder.user_id)))) or 0


async def replace_all(
    session: AsyncSession, user_id: int, times: list[time], timezone: str, now: datetime
) -> list[Reminder]:
    """The user's reminders become exactly `times` (an empty list switches them off)."""
    await session.execute(delete(Reminder).where(Reminder.user_id == user_id))
    created = [
        Reminder(
            user_id=user_id,
            local_time=at.strftime("%H:%M"),
            next_at=next_occurrence(now, at, timezone),
            created_at=now,
        )
        for at in sorted(set(times))
    ]
    session.add_all(created)
    await session.flush()
    return created


MAX_PER_USER = 3


class TooManyReminders(Exception):
    """A user keeps at most MAX_PER_USER reminders a day."""


async def toggle(
    session: AsyncSession, user_id: int, at: time, timezone: str, now: datetime, *, on: bool
) -> list[str]:
    """Switch one reminder time on or off; returns the user's times afterwards."""
    current = [time.fromisoformat(r.local_time) for r in await of_user(session, user_id)]
    wanted = sorted({*current, at}) if on else [t for t in current if t != at]
    if len(wanted) > MAX_PER_USER:
        raise TooManyReminders
    if wanted != sorted(current):
        await replace_all(session, user_id, wanted, timezone, now)
    return [t.strftime("%H:%M") for t in wanted]


async def reschedule(session: AsyncSession, user_id: int, timezone: str, now: datetime) -> None:
    """After a change of zone: the same local times, in the new zone."""
    for reminder in await of_user(session, user_id):
        reminder.next_at = next_occurrence(now, time.fromisoformat(reminder.local_time), timezone)


async def claim_due(
    session: AsyncSession, now: datetime, limit: int
) -> list[tuple[Reminder, User]]:
    """Due reminders, oldest first, locked for this transaction. On PostgreSQL another
    instance skips the locked rows and takes the next ones, so no two send the same."""
    rows = await session.execute(
        select(Reminder, User)
        .join(User, User.id == Reminder.user_id)
        .where(Reminder.next_at <= now)
        .order_by(Reminder.next_at)
        .limit(limit)
        .with_for_update(of=Reminder, skip_locked=True)
    )
    return [(reminder, user) for reminder, user in rows]


async def claim_delivery(
    session: AsyncSession,
    *,
    user_id: int,
    key: str,
    local_date: date,
    due_at: datetime,
    now: datetime,
) -> int | None:
    """Record that (user, key, local date) is claimed for sending; its id, or None if it
    already was."""
    statement = insert_or_ignore(
        session,
        Delivery,
        ["user_id", "key", "local_date"],
        user_id=user_id,
        key=key,
        local_date=local_date,
        status=CLAIMED,
        due_at=due_at,
        created_at=now,
    ).returning(Delivery.id)
    return await session.scalar(statement)


async def finish_delivery(
    session: AsyncSession, delivery_id: int, *, sent: bool, now: datetime
) -> None:
    await session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id)
        .values(status=SENT if sent else FAILED, sent_at=now if sent else None)
    )


async def mark_sending(session: AsyncSession, delivery_id: int, now: datetime) -> None:
    """The request is about to leave: from here on a crash must not send it again."""
    await session.execute(
        update(Delivery).where(Delivery.id == delivery_id).values(status=SENDING, created_at=now)
    )


async def interrupted(
    session: AsyncSession, *, older_than: datetime, due_after: datetime, limit: int
) -> list[tuple[Delivery, User]]:
    """Deliveries a crash left claimed but never sent, still worth sending; locked."""
    rows = await session.execute(
        select(Delivery, User)
        .join(User, User.id == Delivery.user_id)
        .where(
            Delivery.status == CLAIMED,
            Delivery.created_at <= older_than,
            Delivery.due_at >= due_after,
        )
        .order_by(Delivery.created_at)
        .limit(limit)
        .with_for_update(of=Delivery, skip_locked=True)
    )
    return [(delivery, user) for delivery, user in rows]


async def settle_in_flight(session: AsyncSession, *, older_than: datetime) -> int:
    """Requests a crash cut off mid-flight become UNKNOWN (never re-sent); how many."""
    result = await session.execute(
        update(Delivery)
        .where(Delivery.status == SENDING, Delivery.created_at <= older_than)
        .values(status=UNKNOWN)
    )
    return result.rowcount or 0


async def add_prompt(
    session: AsyncSession,
    *,
    user_id: int,
    kind: str,
    due_at: datetime,
    now: datetime,
    replace: bool = False,
) -> Prompt:
    """A one-shot prompt; `replace` drops the user's pending ones of the same kind first."""
    if replace:
        await session.execute(delete(Prompt).where(Prompt.user_id == user_id, Prompt.kind == kind))
    prompt = Prompt(user_id=user_id, kind=kind, due_at=due_at, created_at=now)
    session.add(prompt)
    await session.flush()
    return prompt


async def claim_due_prompts(
    session: AsyncSession, now: datetime, limit: int
) -> list[tuple[Prompt, User]]:
    """Due one-shot prompts, locked and deleted in this transaction (so sent at most once
    from here; the delivery key guards the rest)."""
    rows = await session.execute(
        select(Prompt, User)
        .join(User, User.id == Prompt.user_id)
        .where(Prompt.due_at <= now)
        .order_by(Prompt.due_at)
        .limit(limit)
        .with_for_update(of=Prompt, skip_locked=True)
    )
    claimed = [(prompt, user) for prompt, user in rows]
    for prompt, _user in claimed:
        await session.delete(prompt)
    return claimed


async def skip_today(session: AsyncSession, user_id: int, local_date: date) -> None:
    """No more reminders for the user on `local_date`, snoozed ones included."""
    await session.execute(
        update(User).where(User.id == user_id).values(reminders_skipped_on=local_date)
    )
    await session.execute(delete(Prompt).where(Prompt.user_id == user_id, Prompt.kind == SNOOZE))
