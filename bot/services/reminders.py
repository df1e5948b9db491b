"""A user's reminders and prompts: the daily times (/remind, /settings), snoozes, skipping a
day, the check-in after a flight, and quiet hours that reminder times must stay out of."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from bot.domain import zones
from bot.domain.delivery_policy import FLIGHT, SNOOZE
from bot.domain.flight import checkin_after_landing
from bot.domain.quiet import Window, in_quiet_hours
from bot.services.accounts import Account
from bot.services.context import Services
from bot.storage import reminders

# Re-exported: what the Telegram layer catches when a user already has MAX_PER_USER times.
from bot.storage.reminders import MAX_PER_USER as MAX_PER_USER
from bot.storage.reminders import TooManyReminders as TooManyReminders


def inside_quiet_hours(user: Account, at: time) -> bool:
    """Whether a reminder at `at` (local) would fall in the user's quiet hours: refused."""
    return in_quiet_hours(user.quiet_hours, at)


async def times_of(svc: Services, user_id: int) -> list[time]:
    """The user's daily reminder times, earliest first."""
    async with svc.db.read() as session:
        return await reminders.times_of(session, user_id)


async def switch_off(svc: Services, user: Account) -> None:
    async with svc.db.transaction() as session:
        await reminders.replace_all(session, user.id, [], user.timezone, svc.clock.now())


async def add(svc: Services, user: Account, at: time) -> list[time]:
    """One more daily time; the times afterwards. Raises TooManyReminders."""
    async with svc.db.transaction() as session:
        return await reminders.toggle(session, user.id, at, user.timezone, svc.clock.now(), on=True)


async def toggle(svc: Services, user: Account, at: time) -> list[time]:
    """A time on if it is off, off if it is on (a preset in /settings); the times afterwards.
    Raises TooManyReminders."""
    async with svc.db.transaction() as session:
        current = await reminders.times_of(session, user.id)
        return await reminders.toggle(
            session, user.id, at, user.timezone, svc.clock.now(), on=at not in current
        )


@dataclass(frozen=True)
class NewTime:
    """What `/remind HH:MM` came to: set at once (no other time was there), or the times there
    are, to ask about."""

    done: bool
    current: list[time]

    @property
    def full(self) -> bool:
        """No room for one more time."""
        return len(self.current) >= MAX_PER_USER


async def set_if_alone(svc: Services, user: Account, at: time) -> NewTime:
    """`at` becomes the user's only time when no other is there; else nothing changes (other
    reminders, from /settings or /remind add: replacing them unasked surprised people)."""
    async with svc.db.transaction() as session:
        current = await reminders.times_of(session, user.id)
        alone = all(t == at for t in current)
        if alone:
            await reminders.replace_all(session, user.id, [at], user.timezone, svc.clock.now())
    return NewTime(alone, current)


@dataclass(frozen=True)
class Chosen:
    """The times before and after an answer to /remind's question ("add": after; else [])."""

    before: list[time]
    after: list[time]


async def choose(svc: Services, user: Account, at: time, choice: str) -> Chosen:
    """The answer to /remind's question: "replace" every time with `at`, "add" it, or keep
    them. Raises TooManyReminders (others were added since the question)."""
    now = svc.clock.now()
    after: list[time] = []
    async with svc.db.transaction() as session:
        before = await reminders.times_of(session, user.id)
        if choice == "replace":
            await reminders.replace_all(session, user.id, [at], user.timezone, now)
        elif choice == "add":
            after = await reminders.toggle(session, user.id, at, user.timezone, now, on=True)
    return Chosen(before, after)


async def snooze(svc: Services, user_id: int, minutes: int) -> datetime:
    """Remind the user again in `minutes` (to the minute: ticks come once a minute); returns
    when, in UTC. A second press for the same minute (a double tap) adds nothing."""
    now = svc.clock.now()
    due_at = (now + timedelta(minutes=minutes)).replace(second=0, microsecond=0)
    async with svc.db.transaction() as session:
        await reminders.add_prompt(
            session, user_id=user_id, kind=SNOOZE, due_at=due_at, now=now, once=True
        )
    return due_at


async def skip_today(svc: Services, user_id: int, timezone: str) -> None:
    """No more reminders today (the user's local date), snoozed ones included."""
    now = svc.clock.now()
    async with svc.db.transaction() as session:
        await reminders.skip_today(session, user_id, zones.local_date(now, timezone))


async def landed(svc: Services, user_id: int) -> None:
    """Just landed: a check-in scheduled for an announced landing would only ask again."""
    async with svc.db.transaction() as session:
        await reminders.drop_prompts(session, user_id, FLIGHT)


async def check_in_after_flight(
    svc: Services, user_id: int, landing: datetime, zone: str
) -> datetime:
    """Queue the check-in after a landing at `landing` in `zone` (a few hours later, or the
    next morning at the user's first reminder time); returns when, in UTC."""
    async with svc.db.transaction() as session:
        times = await reminders.times_of(session, user_id)
        due_at = checkin_after_landing(landing, zone, times)
        await reminders.add_prompt(
            session,
            user_id=user_id,
            kind=FLIGHT,
            due_at=due_at,
            now=svc.clock.now(),
            replace=True,
        )
    return due_at


async def times_in_window(svc: Services, user_id: int, window: Window) -> list[time]:
    """The user's reminder times that the quiet hours `window` would silence."""
    times = await times_of(svc, user_id)
    return [t for t in times if in_quiet_hours(window, t)]
