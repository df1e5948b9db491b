"""Deliveries: one row per (user, reminder or prompt, local date), the key that makes sending
idempotent across restarts and instances, and the lease that says who is sending it.

A row's life:
- CLAIMED: recorded, held by `owner` until `lease_until`, not on the wire. The owner renews
  the lease while its batch is still going out. A row whose lease has run out (its owner
  died, or it was put back after an error) may be taken by any instance.
- SENDING: the request has left (or is leaving). A crash here is the one ambiguous case: the
  Bot API has no idempotency key and such a request has almost always arrived, so it becomes
  UNKNOWN and is never sent again.
- SENT, FAILED (a final error, or too many tries), UNKNOWN, DROPPED (found not to be sent
  when its turn came: skipped today, quiet hours, blocked, too late, nothing at stake).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.database import insert_or_ignore, rows_matched
from bot.storage.models import Delivery, DispatcherLease, User

CLAIMED, SENDING = "claimed", "sending"
SENT, FAILED, UNKNOWN, DROPPED = "sent", "failed", "unknown", "dropped"
FINAL = (SENT, FAILED, UNKNOWN, DROPPED)


async def claim(
    session: AsyncSession,
    *,
    user_id: int,
    key: str,
    local_date: date,
    due_at: datetime,
    owner: str,
    now: datetime,
    lease: timedelta,
) -> int | None:
    """Record (user, key, local date) as claimed by `owner`; its id, or None if it already was."""
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
        owner=owner,
        lease_until=now + lease,
        attempts=0,
    ).returning(Delivery.id)
    return await session.scalar(statement)


async def mark_sending(
    session: AsyncSession, delivery_id: int, *, owner: str, now: datetime, lease: timedelta
) -> bool:
    """The request is about to leave: from here on a crash must not send it again. False if
    `owner` no longer holds the row (its lease ran out and another instance took it over):
    then the request must not leave."""
    result = await session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.owner == owner, Delivery.status == CLAIMED)
        .values(status=SENDING, lease_until=now + lease)
    )
    return bool(rows_matched(result))


async def not_in_flight(session: AsyncSession, delivery_id: int) -> None:
    """Telegram answered with an error: the request is no longer on the wire, so a crash from
    here on leaves a row to send again (still held by its owner)."""
    await session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status == SENDING)
        .values(status=CLAIMED)
    )


async def finish(session: AsyncSession, delivery_id: int, status: str, *, now: datetime) -> None:
    """A final status: SENT, FAILED, UNKNOWN or DROPPED."""
    assert status in FINAL, status
    await session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id)
        .values(
            status=status, sent_at=now if status == SENT else None, owner=None, lease_until=None
        )
    )


async def put_back(session: AsyncSession, delivery_id: int, *, retry_at: datetime) -> None:
    """Telegram answered with an error (or the request never left): the row goes back to be
    sent, by any instance, from `retry_at` on; one more try is counted."""
    await session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id)
        .values(status=CLAIMED, owner=None, lease_until=retry_at, attempts=Delivery.attempts + 1)
    )


async def renew(
    session: AsyncSession, delivery_ids: list[int], *, owner: str, until: datetime
) -> int:
    """Extend the lease of the rows `owner` is still sending; how many were renewed."""
    if not delivery_ids:
        return 0
    result = await session.execute(
        update(Delivery)
        .where(
            Delivery.id.in_(delivery_ids),
            Delivery.owner == owner,
            Delivery.status.in_((CLAIMED, SENDING)),
        )
        .values(lease_until=until)
    )
    return rows_matched(result) or 0


async def take_back(session: AsyncSession, *, owner: str, now: datetime) -> tuple[int, int]:
    """At start-up, what this instance left when it last stopped: its claimed rows are freed
    to be sent now, without waiting for their lease; its in-flight rows become UNKNOWN.
    Returns (freed, unknown)."""
    freed = await session.execute(
        update(Delivery)
        .where(Delivery.owner == owner, Delivery.status == CLAIMED)
        .values(owner=None, lease_until=now)
    )
    unknown = await session.execute(
        update(Delivery)
        .where(Delivery.owner == owner, Delivery.status == SENDING)
        .values(status=UNKNOWN, owner=None, lease_until=None)
    )
    return rows_matched(freed) or 0, rows_matched(unknown) or 0


def _expired(now: datetime) -> ColumnElement[bool]:
    return or_(Delivery.lease_until.is_(None), Delivery.lease_until <= now)


async def claim_expired(
    session: AsyncSession, *, owner: str, now: datetime, lease: timedelta, limit: int
) -> list[tuple[Delivery, User]]:
    """Claimed rows whose lease has run out (left by a crash, or put back after an error),
    oldest due first, taken over by `owner`; locked, skipped by other instances."""
    rows = await session.execute(
        select(Delivery, User)
        .join(User, User.id == Delivery.user_id)
        .where(Delivery.status == CLAIMED, _expired(now))
        .order_by(Delivery.due_at)
        .limit(limit)
        .with_for_update(of=Delivery, skip_locked=True)
    )
    taken = [(delivery, user) for delivery, user in rows]
    for delivery, _user in taken:
        delivery.owner = owner
        delivery.lease_until = now + lease
    return taken


async def settle_expired_in_flight(session: AsyncSession, *, now: datetime) -> int:
    """Requests whose sender died mid-flight (their lease ran out) become UNKNOWN; how many."""
    result = await session.execute(
        update(Delivery)
        .where(Delivery.status == SENDING, _expired(now))
        .values(status=UNKNOWN, owner=None, lease_until=None)
    )
    return rows_matched(result) or 0


async def prune(session: AsyncSession, *, before: date, limit: int) -> int:
    """Delete up to `limit` finished rows of local dates before `before`; how many. Only past
    dates go, so the keys that keep today's sends idempotent stay."""
    doomed = (
        select(Delivery.id)
        .where(Delivery.local_date < before, Delivery.status.in_(FINAL))
        .limit(limit)
        .scalar_subquery()
    )
    result = await session.execute(delete(Delivery).where(Delivery.id.in_(doomed)))
    return rows_matched(result) or 0


# The one dispatcher lease row (created by migration 0008).
_FAN_OUT = "reminders"


async def lead(session: AsyncSession, *, owner: str, now: datetime, lease: timedelta) -> bool:
    """Take or renew the lease on the fan-out; False while another instance holds it."""
    result = await session.execute(
        update(DispatcherLease)
        .where(
            DispatcherLease.name == _FAN_OUT,
            or_(
                DispatcherLease.owner == owner,
                DispatcherLease.owner.is_(None),
                DispatcherLease.lease_until <= now,
            ),
        )
        .values(owner=owner, lease_until=now + lease)
    )
    return bool(rows_matched(result))


async def step_down(session: AsyncSession, *, owner: str) -> None:
    """The fan-out is done: any instance may lead the next one."""
    await session.execute(
        update(DispatcherLease)
        .where(DispatcherLease.name == _FAN_OUT, DispatcherLease.owner == owner)
        .values(owner=None, lease_until=None)
    )
