"""Streaks: the run of ritual days done, the best run, and freezes that forgive a missed day.

The rules (also shown to users by /streak rules):
- A ritual day counts when any routine is completed on it; the day ends at the user's own
  day-start hour (a routine at 1 a.m. belongs to the evening before).
- The current streak is the run of counted days ending today, or yesterday while today is open.
- One freeze is earned for every 7 counted days in a row, at most MAX_FREEZES held. A freeze is
  spent automatically on one missed day, when there are enough freezes to cover the whole gap;
  otherwise the streak starts again and the freezes are kept.
- A rest day (a red flag or a stop-sign: the bot said not to massage) is neither done nor
  missed: it does not count, and it does not break the run or use a freeze.
- Travel never breaks a streak: a date the user never lived (flying east over the date line)
  is not a missed day. Days are counted once, whatever the zone.

Everything here is pure. `advance` adds the next day to a summary in O(1); `recompute` folds the
whole history and is the reference the stored summary is checked against.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from bot.domain.local_time import ritual_date, ritual_day_start

MAX_FREEZES = 2
DAYS_PER_FREEZE = 7
MILESTONES = (7, 30, 100, 365)


@dataclass(frozen=True)
class Day:
    """A counted ritual date, with when (UTC) and where (canonical zone name) it was first done.

    For a day logged afterwards ("I did it yesterday"), `at` is the last moment of that day.
    """

    date: date
    at: datetime
    zone: str


@dataclass(frozen=True)
class Summary:
    current: int = 0
    best: int = 0
    total_days: int = 0
    freezes: int = 0
    # Counted days in a row since the last freeze was earned (or the run began).
    toward_freeze: int = 0
    last: Day | None = None


@dataclass(frozen=True)
class Step:
    """What one new day did to the summary."""

    summary: Summary
    # Missed dates covered by freezes on the way to this day.
    frozen: tuple[date, ...] = ()
    broken: bool = False
    earned_freeze: bool = False


@dataclass(frozen=True)
class Counted:
    """What recording one completion did."""

    recorded: bool  # a new completion row (False: that routine was already done that day)
    before: Summary
    after: Summary
    step: Step | None  # set when the date counted for the first time


def day_of(completed_at: datetime, zone: str, local_date: date, day_starts_at: time) -> Day:
    """The Day for a completion recorded at `completed_at` for `local_date` (its own ritual
    date, or an earlier one logged afterwards)."""
    end = day_end(local_date, zone, day_starts_at)
    return Day(local_date, min(completed_at.astimezone(UTC), end), zone)


def day_end(local_date: date, zone: str, day_starts_at: time) -> datetime:
    """The last second (UTC) of a ritual date in a zone."""
    next_start = ritual_day_start(local_date + timedelta(days=1), zone, day_starts_at)
    return next_start - timedelta(seconds=1)


def missed_between(
    earlier: Day, later: Day, day_starts_at: time, rest: Collection[date] = ()
) -> int:
    """Ritual dates strictly between two counted days that the user lived through and missed;
    rest days among them are not missed.

    Without a travel log we only know the zone at each end. The user may have changed zone at
    any moment between, so we take the kinder of the two extremes: all the time in the first
    zone, or all of it in the second. In one zone both equal the plain count of dates between.
    """
    calendar_gap = (later.date - earlier.date).days - 1
    stayed = (ritual_date(later.at, earlier.zone, day_starts_at) - earlier.date).days - 1
    moved = (later.date - ritual_date(earlier.at, later.zone, day_starts_at)).days - 1
    resting = sum(1 for d in rest if earlier.date < d < later.date)
    return max(0, min(calendar_gap, stayed, moved) - resting)


def _missed_dates(
    earlier: date, later: date, missed: int, rest: Collection[date]
) -> tuple[date, ...]:
    """The `missed` latest dates before `later` that are not rest days (what freezes cover)."""
    gap = [earlier + timedelta(days=n) for n in range(1, (later - earlier).days)]
    lived = [d for d in gap if d not in rest]
    return tuple(lived[len(lived) - missed :]) if missed else ()


def advance(summary: Summary, day: Day, day_starts_at: time, rest: Collection[date] = ()) -> Step:
    """Add a counted day that comes after every day in `summary` (`rest`: rest dates, at least
    those since the last counted day)."""
    last = summary.last
    if last is not None and day.date <= last.date:
        raise ValueError("advance() takes days in date order; recompute for an earlier one")
    missed = 0 if last is None else missed_between(last, day, day_starts_at, rest)
    frozen: tuple[date, ...] = ()
    broken = False
    if last is None:
        current, toward, freezes = 1, 1, summary.freezes
    elif missed == 0:
        current, toward, freezes = summary.current + 1, summary.toward_freeze + 1, summary.freezes
    elif missed <= summary.freezes:
        # Each freeze covers one missed day: the latest dates before this one.
        assert last is not None
        frozen = _missed_dates(last.date, day.date, missed, rest)
        current, toward, freezes = summary.current + 1, 1, summary.freezes - missed
    else:
        current, toward, freezes, broken = 1, 1, summary.freezes, True
    earned = False
    if toward >= DAYS_PER_FREEZE:
        toward = 0
        if freezes < MAX_FREEZES:
            freezes, earned = freezes + 1, True
    new = Summary(
        current=current,
        best=max(summary.best, current),
        total_days=summary.total_days + 1,
        freezes=freezes,
        toward_freeze=toward,
        last=day,
    )
    return Step(new, frozen, broken, earned)


def recompute(
    days: Iterable[Day], day_starts_at: time, rest: Collection[date] = ()
) -> tuple[Summary, tuple[date, ...]]:
    """The summary and every frozen date, from the whole history (one Day per date) and the
    rest dates."""
    summary = Summary()
    frozen: list[date] = []
    for day in sorted(days, key=lambda d: d.date):
        step = advance(summary, day, day_starts_at, rest)
        summary = step.summary
        frozen.extend(step.frozen)
    return summary, tuple(frozen)


@dataclass(frozen=True)
class Standing:
    """The streak as the user sees it right now."""

    current: int
    best: int
    total_days: int
    freezes: int
    done_today: bool
    # Freezes that will cover the days missed since the last counted day.
    freezes_pending: int
    # True when today passing without a routine would end the current streak.
    at_risk: bool
    # Today is a rest day: it counts neither way.
    resting_today: bool = False


def standing(
    summary: Summary, now: datetime, zone: str, day_starts_at: time, rest: Collection[date] = ()
) -> Standing:
    """Today's view of a stored summary, without writing anything: missed days since the last
    counted day are covered by freezes if there are enough, or the streak shows as ended.
    `rest`: rest dates, at least those since the last counted day, today included."""
    today = ritual_date(now, zone, day_starts_at)
    last = summary.last
    resting = today in rest
    if last is None:
        return Standing(0, summary.best, 0, summary.freezes, False, 0, False, resting)
    done_today = last.date >= today
    # Days missed before today (today itself is still open), judged as advance() will.
    probe = Day(today, now.astimezone(UTC), zone)
    missed = 0 if done_today else missed_between(last, probe, day_starts_at, rest)
    if missed > summary.freezes:
        return Standing(
            0, summary.best, summary.total_days, summary.freezes, False, 0, False, resting
        )
    current = summary.current
    left = summary.freezes - missed
    # Missing today too would add one more missed day; it breaks the run if no freeze is left.
    # A rest day is never missed.
    at_risk = not done_today and not resting and current > 0 and left == 0
    return Standing(
        current, summary.best, summary.total_days, left, done_today, missed, at_risk, resting
    )


def milestone(before: int, after: int) -> int | None:
    """The milestone just reached, if the streak passed one."""
    return next((m for m in MILESTONES if before < m <= after), None)


def consistency(done: Iterable[date], today: date, window: int = 30) -> int:
    """Days done out of the last `window` ritual days, today included."""
    first = today - timedelta(days=window - 1)
    return len({d for d in done if first <= d <= today})
