"""Deliveries on SQLite and PostgreSQL: a key is claimed once, a lease keeps other instances
away until it runs out, a restart takes back its own rows, and old rows are pruned."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from bot.storage import deliveries
from bot.storage.database import Database
from bot.storage.models import Delivery
from tests.support import users as support_users

NOW = datetime(2026, 11, 25, 7, 30, tzinfo=UTC)
LEASE = timedelta(seconds=90)
TODAY = date(2026, 11, 25)


async def _claim(db: Database, user_id: int, owner: str = "a", **overrides) -> int | None:
    values = dict(
        user_id=user_id,
        key="reminder:07:30",
        local_date=TODAY,
        due_at=NOW,
        owner=owner,
        now=NOW,
        lease=LEASE,
    )
    values.update(overrides)
    async with db.transaction() as session:
        return await deliveries.claim(session, **values)


async def _rows(db: Database) -> dict[int, tuple[str, str | None, int]]:
    async with db.read() as session:
        found = await session.scalars(select(Delivery).order_by(Delivery.user_id))
        return {d.user_id: (d.status, d.owner, d.attempts) for d in found}


async def _users(db: Database, count: int) -> None:
    async with db.transaction() as session:
        await support_users.add_users(session, range(1, count + 1), now=NOW, reminder=time(7, 30))


async def _expired(db: Database, owner: str, at: datetime) -> list[int]:
    async with db.transaction() as session:
        taken = await deliveries.claim_expired(session, owner=owner, now=at, lease=LEASE, limit=50)
        return [d.user_id for d, _ in taken]


async def test_a_delivery_key_is_claimed_once(database: Database):
    await _users(database, 1)
    assert await _claim(database, 1) is not None
    assert await _claim(database, 1, owner="b") is None
    assert await _claim(database, 1, local_date=TODAY + timedelta(days=1)) is not None


async def test_a_lease_keeps_others_away_until_it_runs_out(database: Database):
    await _users(database, 1)
    await _claim(database, 1, owner="a")
    assert await _expired(database, "b", NOW + LEASE - timedelta(seconds=1)) == []
    assert await _expired(database, "b", NOW + LEASE) == [1]
    assert (await _rows(database))[1] == (deliveries.CLAIMED, "b", 0)
    async with database.transaction() as session:
        # a was too slow: its request must not leave now (b sends it).
        assert not await deliveries.mark_sending(
            session, 1, owner="a", now=NOW + LEASE, lease=LEASE
        )
    # b now holds it for a lease of its own.
    assert await _expired(database, "c", NOW + LEASE + timedelta(seconds=1)) == []


async def test_renewing_extends_only_the_owners_rows_still_held(database: Database):
    await _users(database, 3)
    ids = [await _claim(database, user_id, owner="a") for user_id in (1, 2)]
    await _claim(database, 3, owner="b")
    later = NOW + timedelta(seconds=80)
    async with database.transaction() as session:
        renewed = await deliveries.renew(session, [ids[0], ids[1]], owner="a", until=later + LEASE)
        await deliveries.finish(session, ids[1], deliveries.SENT, now=later)
        # Someone else's row is never renewed by a.
        assert await deliveries.renew(session, [ids[0]], owner="b", until=later + LEASE) == 0
    assert renewed == 2
    assert await _expired(database, "c", NOW + LEASE) == [3], "only b's unrenewed row"


async def test_a_restart_takes_back_its_own_rows_at_once(database: Database):
    await _users(database, 4)
    ids = {user_id: await _claim(database, user_id, owner="a") for user_id in (1, 2, 3)}
    await _claim(database, 4, owner="b")
    async with database.transaction() as session:
        await deliveries.mark_sending(
            session, ids[2], owner="a", now=NOW, lease=LEASE
        )  # on the wire
        await deliveries.finish(session, ids[3], deliveries.SENT, now=NOW)
    soon = NOW + timedelta(seconds=5)  # well inside the lease
    async with database.transaction() as session:
        assert await deliveries.take_back(session, owner="a", now=soon) == (1, 1)
    rows = await _rows(database)
    assert rows[2] == (deliveries.UNKNOWN, None, 0), "in flight at the crash: never resent"
    assert rows[3][0] == deliveries.SENT
    assert await _expired(database, "a", soon) == [1], "b's row keeps its lease"


async def test_an_error_answer_puts_the_row_back_and_counts_a_try(database: Database):
    await _users(database, 1)
    delivery_id = await _claim(database, 1)
    retry_at = NOW + timedelta(seconds=30)
    async with database.transaction() as session:
        await deliveries.mark_sending(session, delivery_id, owner="a", now=NOW, lease=LEASE)
        await deliveries.not_in_flight(session, delivery_id)  # a 429: not delivered
    assert (await _rows(database))[1] == (deliveries.CLAIMED, "a", 0)
    async with database.transaction() as session:
        await deliveries.put_back(session, delivery_id, retry_at=retry_at)
        # A crash now must not make it "unknown": it is not in flight.
        assert await deliveries.settle_expired_in_flight(session, now=retry_at + LEASE) == 0
    assert await _expired(database, "b", retry_at - timedelta(seconds=1)) == []
    assert await _expired(database, "b", retry_at) == [1]
    assert (await _rows(database))[1] == (deliveries.CLAIMED, "b", 1)


async def test_in_flight_rows_of_a_dead_instance_are_settled_after_the_lease(database: Database):
    await _users(database, 2)
    ids = [await _claim(database, user_id) for user_id in (1, 2)]
    async with database.transaction() as session:
        for delivery_id in ids:
            await deliveries.mark_sending(session, delivery_id, owner="a", now=NOW, lease=LEASE)
        await deliveries.finish(session, ids[1], deliveries.SENT, now=NOW)
    async with database.transaction() as session:
        assert await deliveries.settle_expired_in_flight(session, now=NOW + LEASE / 2) == 0
        assert await deliveries.settle_expired_in_flight(session, now=NOW + LEASE) == 1
    assert (await _rows(database))[1][0] == deliveries.UNKNOWN


async def test_two_instances_taking_over_expired_rows_never_overlap(database: Database):
    await _users(database, 40)
    for user_id in range(1, 41):
        await _claim(database, user_id, owner="dead")
    later = NOW + LEASE

    async def taker(owner: str) -> list[int]:
        got: list[int] = []
        for _ in range(10):  # bounded
            async with database.transaction() as session:
                taken = await deliveries.claim_expired(
                    session, owner=owner, now=later, lease=LEASE, limit=7
                )
                got += [d.user_id for d, _ in taken]
                await asyncio.sleep(0.01)  # hold the locks a moment
            if not taken:
                break
        return got

    first, second = await asyncio.gather(taker("a"), taker("b"))
    assert sorted(first + second) == list(range(1, 41))
    assert not set(first) & set(second)


async def test_pruning_keeps_recent_and_unfinished_rows(database: Database):
    await _users(database, 3)
    old = TODAY - timedelta(days=40)
    finished = await _claim(database, 1, local_date=old)
    await _claim(database, 2, local_date=old)  # still claimed: not pruned
    today = await _claim(database, 3)
    async with database.transaction() as session:
        for delivery_id in (finished, today):
            await deliveries.finish(session, delivery_id, deliveries.SENT, now=NOW)
    async with database.transaction() as session:
        assert await deliveries.prune(session, before=TODAY - timedelta(days=30), limit=10) == 1
    assert set(await _rows(database)) == {2, 3}
    assert await _claim(database, 3) is None, "today's key still guards today's send"


async def test_one_instance_leads_the_fan_out_until_its_lease_lapses(database: Database):
    async def lead(owner: str, at: datetime) -> bool:
        async with database.transaction() as session:
            return await deliveries.lead(session, owner=owner, now=at, lease=LEASE)

    assert await lead("a", NOW)
    assert not await lead("b", NOW + LEASE / 2), "a holds it"
    assert await lead("a", NOW + LEASE / 2), "a renews it"
    assert not await lead("b", NOW + LEASE), "renewed: still a's"
    assert await lead("b", NOW + LEASE * 3 / 2), "a stopped renewing: b takes over"
    async with database.transaction() as session:
        await deliveries.step_down(session, owner="a")  # not a's any more: changes nothing
    assert not await lead("a", NOW + LEASE * 3 / 2)
    async with database.transaction() as session:
        await deliveries.step_down(session, owner="b")
    assert await lead("a", NOW + LEASE * 3 / 2), "free once b is done"
