"""Progress views as plain data: weeks of routines, this week at a glance, and what a
de-puffing sequence changed. Pure; storage feeds it, render and pictures show it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

WEEKS_SHOWN = 12
# A chart of a newcomer's first days shows this many weeks, not twelve mostly empty ones; it
# grows week by week up to WEEKS_SHOWN.
FEWEST_WEEKS_SHOWN = 4


class Mark(StrEnum):
    DONE = "done"
    FROZEN = "frozen"
    REST = "rest"  # a red flag or a stop-sign: neither done nor missed
    MISSED = "missed"
    OPEN = "open"  # today, not done yet
    FUTURE = "future"


def week_start(day: date) -> date:
    """The Monday of the week holding `day`."""
    return day - timedelta(days=day.weekday())


def first_shown(today: date, weeks: int = WEEKS_SHOWN) -> date:
    """The first date of a `weeks`-week picture ending with the week of `today`."""
    return week_start(today) - timedelta(weeks=weeks - 1)


def weeks_to_show(today: date, first_active: date | None) -> int:
    """How many weeks /progress draws: from the week of the first routine or check-in, at
    least FEWEST_WEEKS_SHOWN, at most WEEKS_SHOWN."""
    if first_active is None:
        return FEWEST_WEEKS_SHOWN
    weeks = (week_start(today) - week_start(first_active)).days // 7 + 1
    return max(FEWEST_WEEKS_SHOWN, min(WEEKS_SHOWN, weeks))


def per_week(days: Iterable[date], today: date, weeks: int = WEEKS_SHOWN) -> list[tuple[date, int]]:
    """(Monday, how many) for each of the last `weeks` weeks, oldest first; each item of
    `days` is one routine done on that date."""
    first = first_shown(today, weeks)
    counts = Counter(week_start(d) for d in days if first <= d <= today)
    return [(first + timedelta(weeks=n), counts[first + timedelta(weeks=n)]) for n in range(weeks)]


def this_week(
    today: date,
    done: set[date],
    frozen: set[date],
    rest: set[date] | frozenset[date] = frozenset(),
    joined: date | None = None,
) -> list[tuple[date, Mark]]:
    """Monday to Sunday of the current week, each with its mark. Days before `joined` (the
    first day the user came) are not missed: they are marked like days still to come."""
    monday = week_start(today)
    marks = []
    for n in range(7):
        day = monday + timedelta(days=n)
        if day in done:
            mark = Mark.DONE
        elif day > today or (joined is not None and day < joined and day not in frozen):
            mark = Mark.FUTURE
        elif day in rest:
            mark = Mark.REST
        elif day == today:
            mark = Mark.OPEN
        elif day in frozen:
            mark = Mark.FROZEN
        else:
            mark = Mark.MISSED
        marks.append((day, mark))
    return marks


@dataclass(frozen=True)
class Rating:
    """One check-in, as the pairing needs it."""

    phase: str  # "before" or "after" a de-puffing sequence
    cause: str
    rating: int


def paired(ratings: Iterable[Rating]) -> list[tuple[int, int | None]]:
    """For each "before" rating (by its index among `ratings`), the "after" rating that
    followed it for the same cause, or None: the change one routine made. An "after" pairs
    with the latest "before" of its cause not yet paired."""
    pairs: list[tuple[int, int | None]] = []
    waiting: dict[str, int] = {}  # cause -> the index in `pairs` of its open "before"
    for index, item in enumerate(ratings):
        if item.phase == "before":
            waiting[item.cause] = len(pairs)
            pairs.append((index, None))
        elif item.cause in waiting:
            slot = waiting.pop(item.cause)
            pairs[slot] = (pairs[slot][0], item.rating)
    return pairs


def puffiness_changes(ratings: Iterable[Rating]) -> list[int]:
    """After-minus-before for each "after" rating and the latest "before" of its cause
    (negative: less puffy after the sequence)."""
    listed = list(ratings)
    return [after - listed[index].rating for index, after in paired(listed) if after is not None]
