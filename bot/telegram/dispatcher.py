"""The reminder dispatcher: one repeating job, each minute, sends whatever is due.

The database is the source of truth. A tick works in rounds. Each round claims a batch in one
short transaction: due reminders (each moved to its next local occurrence), due prompts
(snoozes, check-ins, nudges) and deliveries whose lease ran out. Every one becomes a delivery
row under the unique key (user, reminder, local date), held by this instance under a lease,
before anything is sent. No transaction stays open while Telegram is called.

- **One user never holds up another.** Each user's part of a claim runs in its own savepoint:
  an error there (bad data, a bug, a database error on that row) is logged with the user and
  rolled back alone; the row is tried again at the next tick, a bounded number of times, then
  moved on. Each send catches its own errors, so no failure leaves the others unsupervised.
- **One fan-out at a time.** Telegram's flood limit is the bot's, not an instance's, so two
  instances sending at once would only provoke 429s: a tick first takes the fan-out's lease;
  another instance's tick stands by until that lease lapses (its holder died or stopped).
- **Leases.** A claimed row is held until `lease_until` (the real clock at claim time, plus
  DELIVERY_LEASE_SECONDS), renewed while its batch is still going out. Only a lease that ran
  out lets another instance take a row over, so a fan-out longer than the lease is not sent
  twice. At its first tick a restarted instance takes back what it left itself at once.
- **Errors.** An answer from Telegram (429, 5xx) or a failure before the request left proves
  the message did not arrive: the row goes back to CLAIMED and is tried again, here or at a
  later tick, up to MAX_TICKS_PER_DELIVERY ticks. Only a request that may have arrived (on the
  wire when the process died, or no answer after it was written) becomes UNKNOWN and is never
  sent again. This is the only retry layer for reminders: the rate limiter does not retry them.
"""

from __future__ import annotations

import asyncio
import logging
import time as monotonic
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import ContextTypes, ExtBot, JobQueue

from bot.domain import zones
from bot.domain.delivery_policy import (
    FLIGHT,
    NUDGE,
    REMINDER,
    Decision,
    Recipient,
    Verdict,
    decide,
    kind_of,
)
from bot.domain.quiet import end_of_quiet, parse_quiet_hours
from bot.domain.schedule import next_occurrence
from bot.domain.streaks import Summary
from bot.services.accounts import set_blocked

# Re-exported for handlers/buttons.py, which calls them from here until the lead moves it.
from bot.services.reminders import skip_today as skip_today
from bot.services.reminders import snooze as snooze
from bot.storage import deliveries, reminders, rest_days, sent_pictures, streaks
from bot.storage.models import Delivery, Prompt, Reminder, User
from bot.telegram import render
from bot.telegram.departure import may_have_arrived, send_noting_departure
from bot.telegram.services import Services, services

log = logging.getLogger(__name__)

# Rows per claim round: each round is one transaction, and on SQLite every writer (a person's
# button press too) waits for it, so it stays small (~5 ms a row). Rounds follow one another
# while fewer than QUEUED sends are waiting in the rate limiter (2 s of sending at 30/s).
BATCH = 3
QUEUED = 60
# When the evening nudge comes, local time, if a streak would break tonight.
NUDGE_AT = time(20, 0)
# Pauses between attempts at one send within a tick, after a 5xx or a network failure.
RETRY_PAUSES_S = (0.5, 2.0)
# A 429 asking to wait longer than this puts the row back for a later tick instead.
LONGEST_INLINE_WAIT_S = 10.0
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
    back for one user expires ORM objects; plain values never do)."""

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

    def recipient(self, summary: Summary | None, rest_days: frozenset[date]) -> Recipient:
        return Recipient(
            zone=self.timezone,
            day_starts_at=time.fromisoformat(self.day_starts_at),
            blocked=self.blocked,
            skipped_on=self.skipped_on,
            quiet_hours=parse_quiet_hours(self.quiet_hours) if self.quiet_hours else None,
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
class _Tick:
    """One tick's working set."""

    svc: Services
    # The Application's bot: its send_message takes the rate limiter's arguments.
    bot: ExtBot[Any]
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


async def tick(
    svc: Services, bot: ExtBot[Any], now: datetime | None = None, batch: int = BATCH
) -> TickReport:
    """Send everything due at `now` (default: the clock's now, read again each round),
    `batch` rows per claim; safe to run in several instances at once."""
    started = monotonic.perf_counter()
    work = _Tick(svc, bot, TickReport())
    async with svc.dispatch.lock:  # after this process's previous tick, if still sending
        return await _tick(work, now, batch, started)


async def _tick(work: _Tick, now: datetime | None, batch: int, started: float) -> TickReport:
    svc = work.svc
    if not svc.dispatch.took_back:
        await _take_back(work)
    if not await _lead(work):
        work.report.standing_by = True
        svc.heartbeat.last_tick_at = svc.clock.now()
        return work.report
    renewing = asyncio.create_task(_renew_leases(work))
    sending: set[asyncio.Task[None]] = set()
    try:
        while work.leading:
            try:
                outgoing, more = await _claim_round(work, now or svc.clock.now(), batch)
            except Exception as exc:  # the database, not one user: the next tick tries again
                log.error("reminders: a claim failed: %s: %s", type(exc).__name__, exc)
                work.report.errors += 1
                break
            for item in outgoing:
                work.held.add(item.delivery_id)
                sending.add(asyncio.create_task(_send_supervised(work, item)))
            svc.heartbeat.last_tick_at = svc.clock.now()
            if not more:
                break
            # Claim the next batch while sends are still queued in the rate limiter, so the
            # fan-out never pauses between rounds.
            while len(sending) > max(QUEUED, batch):
                _done, sending = await asyncio.wait(sending, return_when=asyncio.FIRST_COMPLETED)
        if sending:
            await asyncio.wait(sending)
        async with svc.db.transaction(background=True) as session:
            unknown = await deliveries.settle_expired_in_flight(session, now=svc.clock.now())
        if unknown:
            work.report.unknown += unknown
            log.warning(
                "%d reminders were in flight when an instance stopped; not sending them again",
                unknown,
            )
        await _prune(work)
    finally:
        renewing.cancel()
        for task in sending:
            task.cancel()
        async with svc.db.transaction(background=True) as session:
            await deliveries.step_down(session, owner=work.owner)
    svc.heartbeat.last_tick_at = svc.clock.now()
    report = work.report
    report.milliseconds = (monotonic.perf_counter() - started) * 1000
    if report.worth_logging():
        log.info(
            "reminders: sent=%d late_skipped=%d already_sent=%d failed=%d blocked=%d "
            "unknown=%d dropped=%d retrying=%d errors=%d resumed=%d pruned=%d ms=%.0f",
            report.sent,
            report.late_skipped,
            report.already_sent,
            report.failed,
            report.blocked,
            report.unknown,
            report.dropped,
            report.retrying,
            report.errors,
            report.resumed,
            report.pruned,
            report.milliseconds,
        )
    return report


async def _take_back(work: _Tick) -> None:
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


async def _lead(work: _Tick) -> bool:
    """Take (or keep) the lease on the fan-out: one instance sends at a time, since Telegram's
    limit is the bot's. Another instance takes over only when the lease lapses."""
    async with work.svc.db.transaction(background=True) as session:
        work.leading = await deliveries.lead(
            session, owner=work.owner, now=work.svc.clock.now(), lease=work.lease
        )
    return work.leading


async def _renew_leases(work: _Tick) -> None:
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


# --- claiming ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    person: Person
    key: str
    due_at: datetime


async def _claim_round(work: _Tick, now: datetime, batch: int) -> tuple[list[Outgoing], bool]:
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
        work: _Tick,
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
            max(self.now, due_at), time.fromisoformat(reminder.local_time), zone
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
        held_until = end_of_quiet(person.quiet_hours, max(self.now, due_at), person.timezone)
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
    work: _Tick, session: AsyncSession, reminder_id: int, now: datetime
) -> None:
    """Not again in this tick; after MAX_FAILURES ticks in a row, on to the next day."""
    work.failed_reminders.add(reminder_id)
    if await reminders.count_failure(session, Reminder, reminder_id) >= MAX_FAILURES:
        await reminders.move_on(session, reminder_id, now)
        log.error(
            "reminders: reminder %s failed %d ticks in a row; moved on", reminder_id, MAX_FAILURES
        )


async def _prompt_failed(work: _Tick, session: AsyncSession, prompt_id: int) -> None:
    """Not again in this tick; after MAX_FAILURES ticks in a row, dropped."""
    work.failed_prompts.add(prompt_id)
    if await reminders.count_failure(session, Prompt, prompt_id) >= MAX_FAILURES:
        await reminders.drop_prompt(session, prompt_id)
        log.error("reminders: prompt %s failed %d ticks in a row; dropped", prompt_id, MAX_FAILURES)


# --- sending -------------------------------------------------------------------------------


async def _send_supervised(work: _Tick, item: Outgoing) -> None:
    """Send one, whatever happens: an unexpected error is logged with the user, and the row
    goes back to be tried at a later tick (bounded), never left held."""
    try:
        await _send_one(work, item)
    except Exception as exc:
        work.report.errors += 1
        log.error(
            "reminders: sending to user %s failed unexpectedly: %s: %s",
            item.person.id,
            type(exc).__name__,
            exc,
        )
        try:
            await _settle(work, item, _LATER)
        except Exception as settle_exc:  # the lease runs out and another tick takes it
            log.error("reminders: could not put back delivery %s: %s", item.delivery_id, settle_exc)
    finally:
        work.held.discard(item.delivery_id)


# What a send came to, beside the final statuses: not delivered, to be tried at a later tick;
# or the user has blocked the bot.
_LATER, _BLOCKED = "later", "blocked"


async def _send_one(work: _Tick, item: Outgoing) -> None:
    svc, bot = work.svc, work.bot
    text, markup = _message(svc, item)

    async def leaving() -> None:
        async with svc.db.transaction(background=True) as session:
            held = await deliveries.mark_sending(
                session, item.delivery_id, owner=work.owner, now=svc.clock.now(), lease=work.lease
            )
        if not held:
            raise LostLease

    try:
        outcome = await _attempts(
            svc,
            item,
            lambda: send_noting_departure(
                bot,
                leaving,
                lambda departure: bot.send_message(
                    item.person.chat_id, text, reply_markup=markup, rate_limit_args=departure
                ),
            ),
        )
    except LostLease:
        # This instance was too slow to renew and another took the row over: it sends it.
        log.warning("reminder to user %s was taken over by another instance", item.person.id)
        return
    await _settle(work, item, outcome)


class LostLease(Exception):
    """The row is no longer this instance's to send (raised before the request leaves)."""


async def _attempts(svc: Services, item: Outgoing, send: Callable[[], Awaitable[object]]) -> str:
    """Try a send up to len(RETRY_PAUSES_S) + 1 times; the outcome: SENT, FAILED, UNKNOWN,
    _BLOCKED or _LATER."""
    for attempt, pause in enumerate((*RETRY_PAUSES_S, None)):
        try:
            await send()
            return deliveries.SENT
        except RetryAfter as exc:
            await _not_delivered(svc, item)
            wait = exc.retry_after  # seconds, or a timedelta with PTB_TIMEDELTA set
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            if pause is None or seconds > LONGEST_INLINE_WAIT_S:
                return _LATER
            await asyncio.sleep(seconds)
        except Forbidden:
            return _BLOCKED
        except BadRequest as exc:
            log.warning("reminder to user %s refused: %s", item.person.id, exc)
            return deliveries.FAILED
        except NetworkError as exc:  # includes TimedOut and 5xx answers
            if may_have_arrived(exc):
                log.warning(
                    "reminder to user %s may have arrived (%s); not sending it again",
                    item.person.id,
                    exc,
                )
                return deliveries.UNKNOWN
            await _not_delivered(svc, item)
            if pause is None:
                log.warning(
                    "reminder to user %s not delivered, trying later: %s", item.person.id, exc
                )
                return _LATER
            log.info("sending failed (attempt %d), retrying in %.1f s: %s", attempt + 1, pause, exc)
            await asyncio.sleep(pause)
        except TelegramError as exc:
            log.warning("reminder to user %s failed: %s", item.person.id, exc)
            return deliveries.FAILED
    raise AssertionError("unreachable: the last attempt returns")


async def _not_delivered(svc: Services, item: Outgoing) -> None:
    """Telegram answered with an error: the row is not in flight any more (a crash from here
    on must send it again, not count it as probably delivered)."""
    async with svc.db.transaction(background=True) as session:
        await deliveries.not_in_flight(session, item.delivery_id)


async def _settle(work: _Tick, item: Outgoing, outcome: str) -> None:
    svc, report = work.svc, work.report
    now = svc.clock.now()
    if outcome == _BLOCKED:
        report.blocked += 1
        await set_blocked(svc, item.person.id, blocked=True)
        outcome = deliveries.FAILED
    elif outcome == _LATER and item.attempts + 1 >= MAX_TICKS_PER_DELIVERY:
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
        if outcome == _LATER:
            report.retrying += 1
            await deliveries.put_back(session, item.delivery_id, retry_at=now + RETRY_LATER)
        else:
            await deliveries.finish(session, item.delivery_id, outcome, now=now)


def _message(svc: Services, item: Outgoing) -> tuple[str, InlineKeyboardMarkup]:
    catalog, language = svc.catalog, item.person.language
    if item.kind == FLIGHT:
        return catalog.text(language, "flight_checkin"), render.checkin_start_keyboard(
            catalog, language, "flight"
        )
    if item.kind == NUDGE:
        quick = catalog.shortest_daily(language)
        text = catalog.text(language, "nudge", days=item.streak_days)
        return text, render.nudge_keyboard(catalog, language, quick)
    routine = catalog.daily(language, item.person.default_routine)
    text = catalog.text(language, "reminder")
    if item.streak_days:
        text += "\n\n" + catalog.text(language, "reminder_streak", days=item.streak_days)
    return text, render.reminder_keyboard(catalog, language, routine)


# --- housekeeping --------------------------------------------------------------------------


async def _prune(work: _Tick) -> None:
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
    # Every picture shows a "today": a file_id kept longer than a day or two is never asked for.
    for _ in range(PRUNE_CHUNKS):
        async with svc.db.transaction(background=True) as session:
            deleted = await sent_pictures.prune(
                session, before=now - PICTURE_RETENTION, limit=PRUNE_CHUNK
            )
        if deleted < PRUNE_CHUNK:
            break


async def on_tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The JobQueue callback. A tick cancelled because the bot is stopping (one waiting for
    the previous tick, say) just ends: what it held is taken back at the next start."""
    try:
        await tick(services(context), context.bot)
    except asyncio.CancelledError:
        log.info("reminders: a tick was cancelled as the bot stopped")


def schedule(job_queue: JobQueue, now: datetime) -> None:
    """A tick right away (what this instance left when it stopped, and reminders missed
    while the bot was down inside the grace period, go out now), then one at every minute
    boundary."""
    # APScheduler drops a run that starts over 1 s late by default; a late tick must still
    # run. One at a time, and missed ticks fold into one.
    options = {"misfire_grace_time": 50, "coalesce": True, "max_instances": 1}
    job_queue.run_once(on_tick, when=0, name="reminder-dispatcher-start", job_kwargs=options)
    job_queue.run_repeating(
        on_tick,
        interval=60,
        # A second past the boundary: a timer that fires a hair early must not find the
        # minute's reminders not yet due and leave them for the next tick.
        first=61 - now.second - now.microsecond / 1_000_000,
        name="reminder-dispatcher",
        job_kwargs=options,
    )
