"""The reminder dispatcher: one repeating job, each minute, sends whatever is due.

The database is the source of truth: each tick claims due reminders in batches (locked rows,
skipped by other instances on PostgreSQL), moves each to its next local occurrence, and
records a delivery under the unique key (user, reminder, local date) before sending, so no
restart or second instance sends the same reminder twice in a day. A reminder later than the
grace period (the bot was down) is not sent; it simply waits for the next day.
"""

from __future__ import annotations

import asyncio
import logging
import time as monotonic
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import ContextTypes, JobQueue

from bot.domain import zones
from bot.domain.quiet import end_of_quiet
from bot.domain.schedule import next_occurrence
from bot.domain.streaks import Summary, standing
from bot.storage import reminders, streaks
from bot.storage.models import User
from bot.telegram import render
from bot.telegram.accounts import set_blocked
from bot.telegram.departure import send_noting_departure
from bot.telegram.services import Services, services

log = logging.getLogger(__name__)

BATCH = 500
# When the evening nudge comes, local time, if a streak would break tonight.
NUDGE_AT = time(20, 0)
# Pauses between attempts at sending one reminder when the network or Telegram fails.
RETRY_PAUSES_S = (0.5, 2.0)
# A delivery still "claimed" or "sending" this long after it changed hands was left by a
# crash: longer than any live instance holds one (a batch of 500 at 30/s, with retries).
INTERRUPTED_AFTER = timedelta(seconds=90)


@dataclass
class TickReport:
    sent: int = 0
    late_skipped: int = 0
    already_sent: int = 0
    failed: int = 0
    blocked: int = 0
    # In flight when an instance crashed: probably delivered, never sent again.
    unknown: int = 0
    milliseconds: float = 0.0


@dataclass(frozen=True)
class Outgoing:
    delivery_id: int
    user_id: int
    chat_id: int
    language: str
    default_routine: str
    # "reminder", "snooze", "flight" or "nudge": the first part of the delivery key.
    kind: str
    # The run a routine today would make (reminders), or the run at stake (nudges); 0: none.
    streak_days: int = 0

    @classmethod
    def of(cls, delivery_id: int, user: User, key: str, streak_days: int = 0) -> Outgoing:
        return cls(
            delivery_id,
            user.id,
            user.chat_id,
            user.language,
            user.default_routine,
            key.split(":", 1)[0],
            streak_days,
        )


async def tick(
    svc: Services, bot: Bot, now: datetime | None = None, batch: int = BATCH
) -> TickReport:
    """Send everything due at `now` (default: the clock's now), `batch` rows per claim; safe
    to run in several instances at once."""
    started = monotonic.perf_counter()
    now = now or svc.clock.now()
    grace = timedelta(minutes=svc.settings.reminder_grace_minutes)
    report = TickReport()
    while True:
        outgoing, claimed = await _claim_batch(svc, now, grace, report, batch)
        await _send_all(svc, bot, outgoing, report)
        if claimed < batch:
            break
    outgoing = await _claim_interrupted(svc, now, grace, report)
    await _send_all(svc, bot, outgoing, report)
    svc.heartbeat.last_tick_at = svc.clock.now()
    report.milliseconds = (monotonic.perf_counter() - started) * 1000
    if report.sent or report.failed or report.late_skipped or report.blocked or report.unknown:
        log.info(
            "reminders: sent=%d late_skipped=%d already_sent=%d failed=%d blocked=%d "
            "unknown=%d ms=%.0f",
            report.sent,
            report.late_skipped,
            report.already_sent,
            report.failed,
            report.blocked,
            report.unknown,
            report.milliseconds,
        )
    return report


async def _claim_batch(
    svc: Services, now: datetime, grace: timedelta, report: TickReport, batch: int
) -> tuple[list[Outgoing], int]:
    """Claim one batch of due reminders and snoozes; returns what to send and how many
    rows were claimed (fewer than a batch means nothing more is due)."""
    outgoing = []
    async with svc.db.transaction() as session:
        due = await reminders.claim_due(session, now, batch)
        candidates = []
        for reminder, user in due:
            zone = user.timezone
            due_at = reminder.next_at
            reminder.next_at = next_occurrence(
                max(now, due_at), time.fromisoformat(reminder.local_time), zone
            )
            candidates.append((user, f"reminder:{reminder.local_time}", due_at))
            nudge_at = next_occurrence(due_at, NUDGE_AT, zone)
            if user.nudges and zones.local_date(nudge_at, zone) == zones.local_date(due_at, zone):
                # Tonight, should the streak be at stake by then (checked when it is due).
                await reminders.add_prompt(
                    session,
                    user_id=user.id,
                    kind=reminders.NUDGE,
                    due_at=nudge_at,
                    now=now,
                    replace=True,
                )
        prompts = await reminders.claim_due_prompts(session, now, batch)
        for prompt, user in prompts:
            held_until = end_of_quiet(user.quiet_hours, prompt.due_at, user.timezone)
            if held_until is not None and prompt.kind != reminders.NUDGE:
                # A snooze or check-in that falls in quiet hours waits for their end.
                await reminders.add_prompt(
                    session, user_id=user.id, kind=prompt.kind, due_at=held_until, now=now
                )
                continue
            # A nudge in quiet hours is dropped: by their end the evening is over. Its key has
            # no prompt id, so one a day at most.
            if held_until is None:
                nudge = prompt.kind == reminders.NUDGE
                key = prompt.kind if nudge else f"{prompt.kind}:{prompt.id}"
                candidates.append((user, key, prompt.due_at))
        summaries = await streaks.load_many(session, [user.id for user, _, _ in candidates])
        for user, key, due_at in candidates:
            local_date = zones.local_date(due_at, user.timezone)
            if user.blocked_at is not None or user.reminders_skipped_on == local_date:
                continue
            if now - due_at > grace:
                report.late_skipped += 1
                continue
            days = _streak_days(summaries.get(user.id), user, key, now)
            if key == reminders.NUDGE and not days:
                continue  # done today, nudges off, or nothing at stake after all
            delivery_id = await reminders.claim_delivery(
                session, user_id=user.id, key=key, local_date=local_date, due_at=due_at, now=now
            )
            if delivery_id is None:
                report.already_sent += 1
                continue
            outgoing.append(Outgoing.of(delivery_id, user, key, days))
    return outgoing, max(len(due), len(prompts))


def _streak_days(summary: Summary | None, user: User, key: str, now: datetime) -> int:
    """For a reminder: the run today would make (0 when there is none or today is done).
    For a nudge: the run at stake tonight (0 when nothing is, or nudges are off)."""
    if summary is None:
        return 0
    view = standing(summary, now, user.timezone, time.fromisoformat(user.day_starts_at))
    if key == reminders.NUDGE:
        return view.current if view.at_risk and user.nudges else 0
    return view.current + 1 if view.current and not view.done_today else 0


async def _claim_interrupted(
    svc: Services, now: datetime, grace: timedelta, report: TickReport
) -> list[Outgoing]:
    """What a crashed instance left: claimed rows are sent now; in-flight ones are settled."""
    async with svc.db.transaction() as session:
        report.unknown += await reminders.settle_in_flight(
            session, older_than=now - INTERRUPTED_AFTER
        )
        if report.unknown:
            log.warning(
                "%d reminders were in flight when an instance stopped; not sending them again",
                report.unknown,
            )
        rows = await reminders.interrupted(
            session, older_than=now - INTERRUPTED_AFTER, due_after=now - grace, limit=BATCH
        )
        outgoing = []
        for delivery, user in rows:
            if user.blocked_at is not None:
                continue
            # Claim it again so a concurrent tick elsewhere leaves it alone.
            delivery.created_at = now
            outgoing.append(Outgoing.of(delivery.id, user, delivery.key))
    return outgoing


async def _send_all(svc: Services, bot: Bot, outgoing: list[Outgoing], report: TickReport) -> None:
    # All at once: the rate limiter spaces them out under Telegram's limits.
    await asyncio.gather(*(_send_one(svc, bot, item, report) for item in outgoing))


async def _send_one(svc: Services, bot: Bot, item: Outgoing, report: TickReport) -> None:
    catalog = svc.catalog
    if item.kind == reminders.FLIGHT:
        text = catalog.text(item.language, "flight_checkin")
        markup = render.rating_keyboard("flight")
    elif item.kind == reminders.NUDGE:
        text = catalog.text(item.language, "nudge", days=item.streak_days)
        quick = catalog.shortest_daily(item.language)
        markup = render.nudge_keyboard(catalog, item.language, quick)
    else:
        routine = catalog.daily(item.language, item.default_routine)
        text = catalog.text(item.language, "reminder")
        if item.streak_days:
            text += "\n\n" + catalog.text(item.language, "reminder_streak", days=item.streak_days)
        markup = render.reminder_keyboard(catalog, item.language, routine)

    async def leaving() -> None:
        async with svc.db.transaction() as session:
            await reminders.mark_sending(session, item.delivery_id, svc.clock.now())

    sent = False
    try:
        await _with_retries(
            lambda: send_noting_departure(
                bot,
                leaving,
                lambda departure: bot.send_message(
                    item.chat_id, text, reply_markup=markup, rate_limit_args=departure
                ),
            )
        )
        sent = True
    except Forbidden:
        report.blocked += 1
        await set_blocked(svc, item.user_id, blocked=True)
    except TelegramError as exc:
        report.failed += 1
        log.warning("reminder to user %s failed: %s", item.user_id, exc)
    async with svc.db.transaction() as session:
        await reminders.finish_delivery(session, item.delivery_id, sent=sent, now=svc.clock.now())
    if sent:
        report.sent += 1


async def _with_retries(send: Callable[[], Awaitable[object]]) -> None:
    """Network trouble and Telegram's 5xx are retried with growing pauses, a bounded number
    of times; a 429 waits as long as Telegram asks. A 400 or 403 is final at once."""
    for attempt, pause in enumerate((*RETRY_PAUSES_S, None)):
        try:
            await send()
            return
        except RetryAfter as exc:
            if pause is None:
                raise
            wait = exc.retry_after  # seconds, or a timedelta with PTB_TIMEDELTA set
            await asyncio.sleep(wait.total_seconds() if isinstance(wait, timedelta) else wait)
        except (BadRequest, Forbidden):
            raise
        except NetworkError as exc:  # includes TimedOut and 5xx answers
            if pause is None:
                raise
            log.info("sending failed (attempt %d), retrying in %.1f s: %s", attempt + 1, pause, exc)
            await asyncio.sleep(pause)


async def snooze(svc: Services, user_id: int, minutes: int) -> datetime:
    """Remind the user again in `minutes`; returns when, in UTC."""
    now = svc.clock.now()
    due_at = now + timedelta(minutes=minutes)
    async with svc.db.transaction() as session:
        await reminders.add_prompt(
            session, user_id=user_id, kind=reminders.SNOOZE, due_at=due_at, now=now
        )
    return due_at


async def skip_today(svc: Services, user_id: int, timezone: str) -> None:
    now = svc.clock.now()
    async with svc.db.transaction() as session:
        await reminders.skip_today(session, user_id, zones.local_date(now, timezone))


async def on_tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The JobQueue callback."""
    await tick(services(context), context.bot)


def schedule(job_queue: JobQueue, now: datetime) -> None:
    """A tick right away (reminders missed while the bot was down go out now, if inside the
    grace period), then one at every minute boundary."""
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
