"""The reminder dispatcher's database side: the fan-out's lease, claiming what is due as
delivery rows held under a lease, settling each send, and pruning old rows.

bot/telegram/dispatcher.py runs the tick (its module docstring says how deliveries are kept
at most once) and calls these at fixed points: claim before anything is sent, mark a row in
flight right before its request leaves, settle it once Telegram has answered. Each function
here is one or a few short transactions; none is held while Telegram is called.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import zones
from bot.domain.delivery_policy import (
    NUDGE,
    REMINDER,
    Decision,
    Recipient,
    Verdict,
    decide,
    kind_of,
)
from bot.domain.quiet import Window, end_of_quiet, stored_window
from bot.domain.schedule import next_occurrence
from bot.domain.streaks import Summary
from bot.domain.times_of_day import stored_time
from bot.services import step_pictures
from bot.services.accounts import set_blocked
from bot.services.context import Services
from bot.storage import deliveries, reminders, rest_days, sent_pictures, streaks
from bot.storage.models import Delivery, Prompt, Reminder, User

log = logging.getLogger(__name__)

# When the evening nudge comes, local time, if a streak would break tonight.
NUDGE_AT = time(20, 0)
# A row put back after a failure waits at least this long before it is tried again.
RETRY_LATER = timedelta(seconds=30)
# Ticks that try one delivery before it is given up as failed.
MAX_TICKS_PER_DELIVERY = 3
# Rest days this far back are loaded with each claim: enough for today's verdict and for a
# streak's gap (a run survives a gap only if rest days and freezes cover it).
REST_WINDOW = timedelta(days=62)
# Ticks in a row that may fail on one reminder or prompt before it is moved on or dropped.
MAX_FAILURES = 3
# Old delivery rows are pruned at most this often per process, in bounded chunks.
PRUNE_EVERY = timedelta(hours=1)
PRUNE_CHUNK, PRUNE_CHUNKS = 5000, 20
PICTURE_RETENTION = timedelta(days=2)

# What a send came to: the final statuses (delivered; refused; may have arrived), or not
# delivered, to be tried at a later tick; or the user has blocked the bot.
SENT, FAILED, UNKNOWN = deliveries.SENT, deliveries.FAILED, deliveries.UNKNOWN
LATER, BLOCKED = "later", "blocked"


@dataclass
class TickReport:
    sent: int = 0
    late_skipped: int = 0
    already_sent: int = 0
    failed: int = 0
    blocked: int = 0
    # May have arrived (in flight when an instance died, or no answer): never sent again.
    unknown: int = 0
    # Not sent when their turn came: skipped today, quiet hours, nothing at stake.
    dropped: int = 0
    # Put back after an error, for a later tick.
    retrying: int = 0
    # Users whose part of a claim raised (rolled back alone, tried again next tick).
    errors: int = 0
    # Rows this instance left claimed when it stopped, taken back at its first tick.
    resumed: int = 0
    pruned: int = 0
    # Another instance is running the fan-out; this one stood by.
    standing_by: bool = False
    milliseconds: float = 0.0

    def worth_logging(self) -> bool:
        return any(
            (
                self.sent,
                self.failed,
                self.late_skipped,
                self.blocked,
                self.unknown,
                self.retrying,
                self.errors,
                self.resumed,
                self.pruned,
            )
        )


@dataclass(frozen=True)
class Person:
    """A user's row as the dispatcher needs it, copied out of the ORM (a savepoint rolled
    back for one user expires ORM objects; plain values never do). The times stay as stored
    until one user's part reads them, so one user's bad data fails only that part."""

    id: int
    chat_id: int
    language: str
    default_routine: str
    timezone: str
    day_starts_at: str
    blocked: bool
    skipped_on: date | None
    quiet_hours: str | None
    nudges: bool

    @classmethod
    def of(cls, user: User) -> Person:
        return cls(
            user.id,
            user.chat_id,
            user.language,
            user.default_routine,
            user.timezone,
            user.day_starts_at,
            user.blocked_at is not None,
            user.reminders_skipped_on,
            user.quiet_hours,
            user.nudges,
        )

    @property
    def quiet_window(self) -> Window | None:
        return stored_window(self.quiet_hours)

    def recipient(self, summary: Summary | None, rest_days: frozenset[date]) -> Recipient:
        return Recipient(
            zone=self.timezone,
            day_starts_at=stored_time(self.day_starts_at),
            blocked=self.blocked,
            skipped_on=self.skipped_on,
            quiet_hours=self.quiet_window,
            nudges=self.nudges,
            summary=summary,
            rest_days=rest_days,
        )


@dataclass(frozen=True)
class Outgoing:
    delivery_id: int
    person: Person
    key: str
    streak_days: int
    # Ticks that tried it before this one.
    attempts: int = 0

    @property
    def kind(self) -> str:
        return kind_of(self.key)


@dataclass
class Tick:
    """One tick's working set."""

    svc: Services
    report: TickReport
    # Delivery ids this instance holds right now (claimed or in flight): their leases are
    # renewed until each is settled.
    held: set[int] = field(default_factory=set)
    # Whether this instance holds the lease on the fan-out.
    leading: bool = False
    failed_reminders: set[int] = field(default_factory=set)
    failed_prompts: set[int] = field(default_factory=set)

    @property
    def owner(self) -> str:
        return self.svc.settings.instance

    @property
    def lease(self) -> timedelta:
        return self.svc.settings.delivery_lease


async def take_back(work: Tick) -> None:
    """At this process's first tick: what it left itself when it stopped (same INSTANCE_ID)
    is settled at once, not after the lease: claimed rows are sent in this tick, rows that
    were in flight are not sent again."""
    svc = work.svc
    async with svc.db.transaction(background=True) as session:
        freed, unknown = await deliveries.take_back(session, owner=work.owner, now=svc.clock.now())
    svc.dispatch.took_back = True
    work.report.resumed += freed
    work.report.unknown += unknown
    if freed or unknown:
        log.warning(
            "resuming after a stop: %d reminders left claimed are sent now; %d were in flight "
            "and are not sent again",
            freed,
            unknown,
        )


async def lead(work: Tick) -> bool:
    """Take (or keep) the lease on the fan-out: one instance sends at a time, since Telegram's
    limit is the bot's. Another instance takes over only when the lease lapses."""
    async with work.svc.db.transaction(background=True) as session:
        work.leading = await deliveries.lead(
            session, owner=work.owner, now=work.svc.clock.now(), lease=work.lease
        )
    return work.leading


async def renew_leases(work: Tick) -> None:
    """While the tick runs, every third of a lease: keep the fan-out's lease and extend the
    leases of the rows still held. Lost the fan-out (too slow to renew): claim nothing more."""
    svc = work.svc
    period = work.lease.total_seconds() / 3
    while True:
        await asyncio.sleep(period)
        try:
            async with svc.db.transaction(background=True) as session:
                until = svc.clock.now() + work.lease
                work.leading = await deliveries.lead(
                    session, owner=work.owner, now=svc.clock.now(), lease=work.lease
                )
                if work.held:
                    await deliveries.renew(
                        session, sorted(work.held), owner=work.owner, until=until
                    )
        except Exception as exc:  # the next period tries again; the lease has slack for it
            log.warning("could not renew reminder leases: %s", exc)


async def settle_expired_in_flight(work: Tick) -> None:
    """Rows any instance left in flight past their lease may have arrived: never sent again."""
    svc = work.svc
    async with svc.db.transaction(background=True) as session:
        unknown = await deliveries.settle_expired_in_flight(session, now=svc.clock.now())
    if unknown:
        work.report.unknown += unknown
        log.warning(
            "%d reminders were in flight when an instance stopped; not sending them again",
            unknown,
        )


async def step_down(work: Tick) -> None:
    """Give up the fan-out's lease at the end of a tick."""
    async with work.svc.db.transaction(background=True) as session:
        await deliveries.step_down(session, owner=work.owner)


# --- claiming ------------------------------------------------------------------------------


async def claim_round(work: Tick, now: datetime, batch: int) -> tuple[list[Outgoing], bool]:
    """One short transaction: claim a batch; returns what to send, and whether more may be
    due (a query came back full)."""
    svc, report = work.svc, work.report
    outgoing: list[Outgoing] = []
    async with svc.db.transaction(background=True) as session:
        stamp = svc.clock.now()  # leases run from the real clock, not from the tick's `now`
        due = await reminders.claim_due(session, now, batch, exclude=work.failed_reminders)
        prompts = await reminders.claim_due_prompts(
            session, now, batch, exclude=work.failed_prompts
        )
        expired = await deliveries.claim_expired(
            session, owner=work.owner, now=stamp, lease=work.lease, limit=batch
        )
        people = {user.id: Person.of(user) for _, user in (*due, *prompts, *expired)}
        claim = _Claim(
            work,
            session,
            now,
            stamp,
            await streaks.load_many(session, list(people)),
            await rest_days.dates_since_many(session, list(people), now.date() - REST_WINDOW),
        )

        async def isolated(
            person: Person,
            part: Callable[[], Awaitable[Outgoing | None]],
            on_error: Callable[[], Awaitable[object]],
        ) -> None:
            """One user's part in a savepoint: an error rolls back that part alone, is
            logged with the user, and `on_error` records it for the next tick."""
            try:
                async with session.begin_nested():
                    item = await part()
            except Exception as exc:
                report.errors += 1
                log.error(
                    "reminders: user %s skipped this tick after an error: %s: %s",
                    person.id,
                    type(exc).__name__,
                    exc,
                )
                await on_error()
                return
            if item is not None:  # only once its savepoint is released
                outgoing.append(item)

        for reminder, user in due:
            await isolated(
                people[user.id],
                partial(claim.reminder, reminder, people[user.id]),
                partial(_reminder_failed, work, session, reminder.id, now),
            )
        for prompt, user in prompts:
            await isolated(
                people[user.id],
                partial(claim.prompt, prompt, people[user.id]),
                partial(_prompt_failed, work, session, prompt.id),
            )
        for delivery, user in expired:
            await isolated(
                people[user.id],
                partial(claim.resend, delivery, people[user.id]),
                partial(deliveries.put_back, session, delivery.id, retry_at=stamp + work.lease),
            )
    return outgoing, batch in (len(due), len(prompts), len(expired))


class _Claim:
    """What one round decides for each row it claimed, inside its transaction."""

    def __init__(
        self,
        work: Tick,
        session: AsyncSession,
        now: datetime,
        stamp: datetime,
        summaries: dict[int, Summary],
        rests: dict[int, frozenset[date]],
    ) -> None:
        self.work, self.session, self.now, self.stamp = work, session, now, stamp
        self.summaries, self.rests = summaries, rests
        self.grace = timedelta(minutes=work.svc.settings.reminder_grace_minutes)

    def _decide(self, person: Person, key: str, due_at: datetime) -> tuple[Decision, date]:
        local_date = zones.local_date(due_at, person.timezone)
        decision = decide(
            key,
            local_date=local_date,
            due_at=due_at,
            now=self.now,
            grace=self.grace,
            recipient=person.recipient(
                self.summaries.get(person.id), self.rests.get(person.id, frozenset())
            ),
        )
        return decision, local_date

    async def _fresh(self, person: Person, key: str, due_at: datetime) -> Outgoing | None:
        """A delivery owed now for the first time: recorded under its key, if it goes out."""
        decision, local_date = self._decide(person, key, due_at)
        if not decision.send:
            _count_not_sent(self.work.report, decision)
            return None
        delivery_id = await deliveries.claim(
            self.session,
            user_id=person.id,
            key=key,
            local_date=local_date,
            due_at=due_at,
            owner=self.work.owner,
            now=self.stamp,
            lease=self.work.lease,
        )
        if delivery_id is None:
            self.work.report.already_sent += 1
            return None
        return Outgoing(delivery_id, person, key, decision.streak_days)

    async def reminder(self, reminder: Reminder, person: Person) -> Outgoing | None:
        """Move a due reminder to its next occurrence (queueing tonight's nudge); the
        delivery it owes now."""
        zone, due_at = person.timezone, reminder.next_at
        reminder.next_at = next_occurrence(
            max(self.now, due_at), stored_time(reminder.local_time), zone
        )
        reminder.failures = 0
        nudge_at = next_occurrence(due_at, NUDGE_AT, zone)
        if person.nudges and zones.local_date(nudge_at, zone) == zones.local_date(due_at, zone):
            # Tonight, should the streak be at stake by then (checked when it is due).
            await reminders.add_prompt(
                self.session,
                user_id=person.id,
                kind=NUDGE,
                due_at=nudge_at,
                now=self.now,
                replace=True,
            )
        await self.session.flush()
        return await self._fresh(person, f"{REMINDER}:{reminder.local_time}", due_at)

    async def prompt(self, prompt: Prompt, person: Person) -> Outgoing | None:
        """Take a due prompt off the queue; the delivery it owes now, if any. A snooze or
        check-in whose turn comes in quiet hours (on time or late) waits for their end; a
        nudge there is dropped (by their end the evening is over). A nudge's key has no prompt
        id: one a day at most."""
        kind, due_at, prompt_id = prompt.kind, prompt.due_at, prompt.id
        held_until = end_of_quiet(person.quiet_window, max(self.now, due_at), person.timezone)
        if not await reminders.drop_prompt(self.session, prompt_id):
            return None  # replaced earlier in this round (a reminder queues tonight's nudge)
        if held_until is not None:
            if kind != NUDGE:
                await reminders.add_prompt(
                    self.session, user_id=person.id, kind=kind, due_at=held_until, now=self.now
                )
            return None
        return await self._fresh(person, kind if kind == NUDGE else f"{kind}:{prompt_id}", due_at)

    async def resend(self, delivery: Delivery, person: Person) -> Outgoing | None:
        """A row whose lease lapsed (left by a crash, or put back after an error): decided
        again by the same rules, at most MAX_TICKS_PER_DELIVERY ticks in all."""
        report = self.work.report
        if delivery.attempts >= MAX_TICKS_PER_DELIVERY:
            report.failed += 1
            await deliveries.finish(self.session, delivery.id, deliveries.FAILED, now=self.stamp)
            return None
        decision, _local_date = self._decide(person, delivery.key, delivery.due_at)
        if not decision.send:
            _count_not_sent(report, decision)
            await deliveries.finish(self.session, delivery.id, deliveries.DROPPED, now=self.stamp)
            return None
        return Outgoing(delivery.id, person, delivery.key, decision.streak_days, delivery.attempts)


def _count_not_sent(report: TickReport, decision: Decision) -> None:
    if decision.verdict is Verdict.LATE:
        report.late_skipped += 1
    elif decision.verdict in (
        Verdict.QUIET,
        Verdict.NOTHING_AT_STAKE,
        Verdict.SKIPPED_TODAY,
        Verdict.REST_DAY,
    ):
        report.dropped += 1
    # A blocked user is simply not written to: nothing to count.


async def _reminder_failed(
    work: Tick, session: AsyncSession, reminder_id: int, now: datetime
) -> None:
    """Not again in this tick; after MAX_FAILURES ticks in a row, on to the next day."""
    work.failed_reminders.add(reminder_id)
    if await reminders.count_failure(session, Reminder, reminder_id) >= MAX_FAILURES:
        await reminders.move_on(session, reminder_id, now)
        log.error(
            "reminders: reminder %s failed %d ticks in a row; moved on", reminder_id, MAX_FAILURES
        )


async def _prompt_failed(work: Tick, session: AsyncSession, prompt_id: int) -> None:
    """Not again in this tick; after MAX_FAILURES ticks in a row, dropped."""
    work.failed_prompts.add(prompt_id)
    if await reminders.count_failure(session, Prompt, prompt_id) >= MAX_FAILURES:
        await reminders.drop_prompt(session, prompt_id)
        log.error("reminders: prompt %s failed %d ticks in a row; dropped", prompt_id, MAX_FAILURES)


# --- sending -------------------------------------------------------------------------------


async def mark_sending(work: Tick, item: Outgoing) -> bool:
    """Right before the request leaves: the row is in flight (a crash from here on counts it
    as probably delivered). False when the row is no longer this instance's to send."""
    svc = work.svc
    async with svc.db.transaction(background=True) as session:
        return await deliveries.mark_sending(
            session, item.delivery_id, owner=work.owner, now=svc.clock.now(), lease=work.lease
        )


async def not_delivered(svc: Services, item: Outgoing) -> None:
    """Telegram answered with an error: the row is not in flight any more (a crash from here
    on must send it again, not count it as probably delivered)."""
    async with svc.db.transaction(background=True) as session:
        await deliveries.not_in_flight(session, item.delivery_id)


async def settle(work: Tick, item: Outgoing, outcome: str) -> None:
    """Record what the send came to (SENT, FAILED, UNKNOWN, BLOCKED or LATER): a final status,
    or back to be tried at a later tick (bounded by MAX_TICKS_PER_DELIVERY)."""
    svc, report = work.svc, work.report
    now = svc.clock.now()
    if outcome == BLOCKED:
        report.blocked += 1
        await set_blocked(svc, item.person.id, blocked=True)
        outcome = deliveries.FAILED
    elif outcome == LATER and item.attempts + 1 >= MAX_TICKS_PER_DELIVERY:
        log.warning(
            "reminder to user %s given up after %d ticks", item.person.id, MAX_TICKS_PER_DELIVERY
        )
        report.failed += 1
        outcome = deliveries.FAILED
    elif outcome == deliveries.SENT:
        report.sent += 1
    elif outcome == deliveries.FAILED:
        report.failed += 1
    elif outcome == deliveries.UNKNOWN:
        report.unknown += 1
    async with svc.db.transaction(background=True) as session:
        if outcome == LATER:
            report.retrying += 1
            await deliveries.put_back(session, item.delivery_id, retry_at=now + RETRY_LATER)
        else:
            await deliveries.finish(session, item.delivery_id, outcome, now=now)


# --- housekeeping --------------------------------------------------------------------------


async def prune(work: Tick) -> None:
    """Delete delivery rows older than DELIVERY_RETENTION_DAYS and kept picture file_ids older
    than PICTURE_RETENTION, at most once per PRUNE_EVERY, in bounded chunks (each its own short
    transaction)."""
    svc, state = work.svc, work.svc.dispatch
    now = svc.clock.now()
    if state.pruned_at is not None and now - state.pruned_at < PRUNE_EVERY:
        return
    state.pruned_at = now
    # Local dates run up to a day either side of UTC's: a margin keeps every zone's today.
    before = now.date() - timedelta(days=svc.settings.delivery_retention_days + 1)
    for _ in range(PRUNE_CHUNKS):
        async with svc.db.transaction(background=True) as session:
            deleted = await deliveries.prune(session, before=before, limit=PRUNE_CHUNK)
        work.report.pruned += deleted
        if deleted < PRUNE_CHUNK:
            break
    # A calendar or chart shows a "today": its file_id is never asked for after a day or two.
    # A step's picture is the same for as long as the content is: kept.
    for _ in range(PRUNE_CHUNKS):
        async with svc.db.transaction(background=True) as session:
            deleted = await sent_pictures.prune(
                session,
                before=now - PICTURE_RETENTION,
                limit=PRUNE_CHUNK,
                keep_kinds=step_pictures.KINDS,
            )
        if deleted < PRUNE_CHUNK:
            break
