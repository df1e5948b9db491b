"""The reminder dispatcher: one repeating job, each minute, sends whatever is due.

The database is the source of truth. A tick works in rounds. Each round claims a batch in one
short transaction: due reminders (each moved to its next local occurrence), due prompts
(snoozes, check-ins, nudges) and deliveries whose lease ran out. Every one becomes a delivery
row under the unique key (user, reminder, local date), held by this instance under a lease,
before anything is sent. No transaction stays open while Telegram is called. The database side
of each step is bot/services/dispatch.py; this module runs the tick and talks to Telegram.

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
from datetime import datetime, timedelta
from typing import Any

from telegram import InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import ContextTypes, ExtBot, JobQueue

from bot.domain.delivery_policy import FLIGHT, NUDGE
from bot.services import dispatch
from bot.services.dispatch import Outgoing, Tick, TickReport

# Re-exported for handlers/buttons.py, which calls them from here until the lead moves it.
from bot.telegram import render
from bot.telegram.departure import may_have_arrived, send_noting_departure
from bot.telegram.services import Services, services

log = logging.getLogger(__name__)

# Rows per claim round: each round is one transaction, and on SQLite every writer (a person's
# button press too) waits for it, so it stays small (~5 ms a row). Rounds follow one another
# while fewer than QUEUED sends are waiting in the rate limiter (2 s of sending at 30/s).
BATCH = 3
QUEUED = 60
# Pauses between attempts at one send within a tick, after a 5xx or a network failure.
RETRY_PAUSES_S = (0.5, 2.0)
# A 429 asking to wait longer than this puts the row back for a later tick instead.
LONGEST_INLINE_WAIT_S = 10.0


async def tick(
    svc: Services, bot: ExtBot[Any], now: datetime | None = None, batch: int = BATCH
) -> TickReport:
    """Send everything due at `now` (default: the clock's now, read again each round),
    `batch` rows per claim; safe to run in several instances at once."""
    started = monotonic.perf_counter()
    work = Tick(svc, TickReport())
    async with svc.dispatch.lock:  # after this process's previous tick, if still sending
        return await _tick(work, bot, now, batch, started)


async def _tick(
    work: Tick, bot: ExtBot[Any], now: datetime | None, batch: int, started: float
) -> TickReport:
    svc = work.svc
    if not svc.dispatch.took_back:
        await dispatch.take_back(work)
    if not await dispatch.lead(work):
        work.report.standing_by = True
        svc.heartbeat.last_tick_at = svc.clock.now()
        return work.report
    renewing = asyncio.create_task(dispatch.renew_leases(work))
    sending: set[asyncio.Task[None]] = set()
    try:
        while work.leading:
            try:
                outgoing, more = await dispatch.claim_round(work, now or svc.clock.now(), batch)
            except Exception as exc:  # the database, not one user: the next tick tries again
                log.error("reminders: a claim failed: %s: %s", type(exc).__name__, exc)
                work.report.errors += 1
                break
            for item in outgoing:
                work.held.add(item.delivery_id)
                sending.add(asyncio.create_task(_send_supervised(work, bot, item)))
            svc.heartbeat.last_tick_at = svc.clock.now()
            if not more:
                break
            # Claim the next batch while sends are still queued in the rate limiter, so the
            # fan-out never pauses between rounds.
            while len(sending) > max(QUEUED, batch):
                _done, sending = await asyncio.wait(sending, return_when=asyncio.FIRST_COMPLETED)
        if sending:
            await asyncio.wait(sending)
        await dispatch.settle_expired_in_flight(work)
        await dispatch.prune(work)
    finally:
        renewing.cancel()
        for task in sending:
            task.cancel()
        await dispatch.step_down(work)
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


# --- sending -------------------------------------------------------------------------------


async def _send_supervised(work: Tick, bot: ExtBot[Any], item: Outgoing) -> None:
    """Send one, whatever happens: an unexpected error is logged with the user, and the row
    goes back to be tried at a later tick (bounded), never left held."""
    try:
        await _send_one(work, bot, item)
    except Exception as exc:
        work.report.errors += 1
        log.error(
            "reminders: sending to user %s failed unexpectedly: %s: %s",
            item.person.id,
            type(exc).__name__,
            exc,
        )
        try:
            await dispatch.settle(work, item, dispatch.LATER)
        except Exception as settle_exc:  # the lease runs out and another tick takes it
            log.error("reminders: could not put back delivery %s: %s", item.delivery_id, settle_exc)
    finally:
        work.held.discard(item.delivery_id)


async def _send_one(work: Tick, bot: ExtBot[Any], item: Outgoing) -> None:
    svc = work.svc
    text, markup = _message(svc, item)

    async def leaving() -> None:
        if not await dispatch.mark_sending(work, item):
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
    await dispatch.settle(work, item, outcome)


class LostLease(Exception):
    """The row is no longer this instance's to send (raised before the request leaves)."""


async def _attempts(svc: Services, item: Outgoing, send: Callable[[], Awaitable[object]]) -> str:
    """Try a send up to len(RETRY_PAUSES_S) + 1 times; the outcome: SENT, FAILED, UNKNOWN,
    BLOCKED or LATER."""
    for attempt, pause in enumerate((*RETRY_PAUSES_S, None)):
        try:
            await send()
            return dispatch.SENT
        except RetryAfter as exc:
            await dispatch.not_delivered(svc, item)
            wait = exc.retry_after  # seconds, or a timedelta with PTB_TIMEDELTA set
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            if pause is None or seconds > LONGEST_INLINE_WAIT_S:
                return dispatch.LATER
            await asyncio.sleep(seconds)
        except Forbidden:
            return dispatch.BLOCKED
        except BadRequest as exc:
            log.warning("reminder to user %s refused: %s", item.person.id, exc)
            return dispatch.FAILED
        except NetworkError as exc:  # includes TimedOut and 5xx answers
            if may_have_arrived(exc):
                log.warning(
                    "reminder to user %s may have arrived (%s); not sending it again",
                    item.person.id,
                    exc,
                )
                return dispatch.UNKNOWN
            await dispatch.not_delivered(svc, item)
            if pause is None:
                log.warning(
                    "reminder to user %s not delivered, trying later: %s", item.person.id, exc
                )
                return dispatch.LATER
            log.info("sending failed (attempt %d), retrying in %.1f s: %s", attempt + 1, pause, exc)
            await asyncio.sleep(pause)
        except TelegramError as exc:
            log.warning("reminder to user %s failed: %s", item.person.id, exc)
            return dispatch.FAILED
    raise AssertionError("unreachable: the last attempt returns")


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
