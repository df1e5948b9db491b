"""Whether a reminder, nudge or prompt that is due goes out now, and what it says about the run.

One rule for every path that can send one: the first claim at its minute, a retry after a 429,
and a resend after a crash. So a resent row still respects "skip today", quiet hours, a block
and the grace period, and a resent nudge checks again that a run is really at stake.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum

from bot.domain.local_time import ritual_date
from bot.domain.quiet import Window, in_quiet_hours
from bot.domain.streaks import Standing, Summary, standing
from bot.domain.zones import local_datetime

# The delivery kinds (the first part of a delivery key).
REMINDER, SNOOZE, FLIGHT, NUDGE = "reminder", "snooze", "flight", "nudge"


class Verdict(Enum):
    SEND = "send"
    BLOCKED = "blocked"
    SKIPPED_TODAY = "skipped_today"
    # A red flag or a stop-sign made the ritual day of `due_at` a rest day: nothing is sent
    # that day, as if it were skipped.
    REST_DAY = "rest_day"
    QUIET = "quiet"
    LATE = "late"
    NOTHING_AT_STAKE = "nothing_at_stake"


@dataclass(frozen=True)
class Recipient:
    """What the rules need to know about the user at the moment of sending."""

    zone: str
    day_starts_at: time
    blocked: bool = False
    skipped_on: date | None = None
    quiet_hours: Window | None = None
    nudges: bool = True
    summary: Summary | None = None
    # The user's recent rest dates (ritual dates), at least those since the last counted day.
    rest_days: frozenset[date] = frozenset()


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    # For a reminder: the run today would make (0: none, or today is done). For a nudge: the
    # run at stake tonight. Otherwise 0.
    streak_days: int = 0

    @property
    def send(self) -> bool:
        return self.verdict is Verdict.SEND


def kind_of(key: str) -> str:
    """ "reminder:07:30" -> "reminder"; "snooze:12" -> "snooze"; "nudge" -> "nudge"."""
    return key.split(":", 1)[0]


def decide(
    key: str,
    *,
    local_date: date,
    due_at: datetime,
    now: datetime,
    grace: timedelta,
    recipient: Recipient,
) -> Decision:
    """The verdict for delivery `key` of `local_date` (due at `due_at`), at instant `now`.

    The checks run in a fixed order, so that a row held back for several reasons is recorded
    under the first: who the user is and what they asked for today come before timing."""
    held = _held_back_by_user(local_date, due_at, recipient)
    if held is not None:
        return Decision(held)
    kind = kind_of(key)
    view = _standing_for(kind, now, recipient)
    if kind == NUDGE and not _run_at_stake(recipient, view):
        return Decision(Verdict.NOTHING_AT_STAKE)
    if now - due_at > grace:
        return Decision(Verdict.LATE)
    if _quiet_now(now, recipient):
        return Decision(Verdict.QUIET)
    return Decision(Verdict.SEND, _streak_days(kind, view))


def _held_back_by_user(local_date: date, due_at: datetime, recipient: Recipient) -> Verdict | None:
    """A block, "skip today" or a rest day: nothing goes out, whatever the kind or the time."""
    if recipient.blocked:
        return Verdict.BLOCKED
    if recipient.skipped_on == local_date:
        return Verdict.SKIPPED_TODAY
    if (
        recipient.rest_days
        and ritual_date(due_at, recipient.zone, recipient.day_starts_at) in recipient.rest_days
    ):
        return Verdict.REST_DAY
    return None


def _standing_for(kind: str, now: datetime, recipient: Recipient) -> Standing | None:
    """The streak as it stands now, for the kinds whose text mentions it (None without one)."""
    if kind not in (REMINDER, NUDGE) or recipient.summary is None:
        return None
    return standing(
        recipient.summary,
        now,
        recipient.zone,
        recipient.day_starts_at,
        recipient.rest_days,
    )


def _run_at_stake(recipient: Recipient, view: Standing | None) -> bool:
    """A nudge is only worth sending to someone who wants nudges and whose run ends tonight."""
    return bool(recipient.nudges and view and view.at_risk and view.current)


def _quiet_now(now: datetime, recipient: Recipient) -> bool:
    return in_quiet_hours(recipient.quiet_hours, local_datetime(now, recipient.zone).time())


def _streak_days(kind: str, view: Standing | None) -> int:
    """See Decision.streak_days: a nudge names the run at stake, a reminder the run that
    today would make (0 when there is no run yet or today is already done)."""
    if view is None:
        return 0
    if kind == NUDGE:
        return view.current
    return view.current + 1 if view.current and not view.done_today else 0
