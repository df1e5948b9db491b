"""What each inline button carries: one class per kind of press, its prefix and its fields'
codecs declared once (the registry, encode and decode: bot.telegram.callback_registry).

The prefixes and fields are what buttons already in users' chats carry: change one and those
buttons stop working (tests/unit/test_callback_wire_format.py holds them to it). Adding a
button is a class here and its handler in bot.telegram.handlers.buttons.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import Annotated

from bot.domain.edema import RedFlag
from bot.domain.walkthrough import Action
from bot.telegram.callback_fields import (
    Day,
    HourMinute,
    Id,
    LeftOff,
    OrSkip,
    Pick,
    Text,
    Zone,
    flag,
    members,
)
from bot.telegram.callback_registry import MAX_BYTES as MAX_BYTES
from bot.telegram.callback_registry import Button as Button
from bot.telegram.callback_registry import decode as decode
from bot.telegram.callback_registry import encode as encode
from bot.telegram.callback_registry import registered as registered

RunId = Annotated[int, Id()]
StepIndex = Annotated[int, Id(upper=10_000)]
RoutineId = Annotated[str, Text(r"[a-z0-9][a-z0-9-]{0,39}")]
# A cause, a setting's name or value, a safety question or its answer.
Word = Annotated[str, Text(r"[a-z0-9][a-z0-9_-]{0,39}")]
RATING = Id(upper=11)
Rating = Annotated[int, RATING]
HandsFree = Annotated[bool, flag("h", "b")]
YesNo = Annotated[bool, flag("y", "n")]

# What the red-flag question's buttons carry (a route, or none); never the old "d".
_ANSWERS = Pick({red.value: red.value for red in RedFlag if red is not RedFlag.DOCTOR})
REMIND_CHOICES = ("replace", "add", "keep")


@dataclass(frozen=True)
class RunPress(Button, prefix="r"):
    """A press on a step's button: which run, the step it was shown on, what to do."""

    run_id: RunId
    step: StepIndex
    # The timer and "Start again" have their own ways in, never a step's button.
    action: Annotated[Action, members(Action, leaving_out=(Action.TIMER, Action.REPLACE))]


@dataclass(frozen=True)
class StepDetail(Button, prefix="e"):
    """ "More" (opened) or "Less" on a step's message: its longer detail, shown or hidden."""

    run_id: RunId
    step: StepIndex
    opened: Annotated[bool, flag("m", "l")]


@dataclass(frozen=True)
class ShowRun(Button, prefix="v"):
    """Show the current step of a run again (resume after a break or a restart)."""

    run_id: RunId


@dataclass(frozen=True)
class StartOver(Button, prefix="w"):
    """ "Start again": replace the open run `run_id`, then show `routine_id`'s introduction."""

    run_id: RunId
    routine_id: RoutineId


@dataclass(frozen=True)
class ShowRoutine(Button, prefix="i"):
    """Show a routine's introduction with its start buttons."""

    routine_id: RoutineId


@dataclass(frozen=True)
class StartRoutine(Button, prefix="g"):
    routine_id: RoutineId
    hands_free: HandsFree


@dataclass(frozen=True)
class ChooseRoutine(Button, prefix="c"):
    """Open the list of routines."""


@dataclass(frozen=True)
class DepuffCause(Button, prefix="d"):
    cause: Word


@dataclass(frozen=True)
class ChangeSetting(Button, prefix="s"):
    name: Word
    value: Word


@dataclass(frozen=True)
class Snooze(Button, prefix="z"):
    """Remind me again in this many minutes."""

    minutes: Annotated[int, Id(upper=24 * 60 + 1, lower=1)]


@dataclass(frozen=True)
class SkipToday(Button, prefix="k"):
    """No more reminders today."""


@dataclass(frozen=True)
class RatePuffiness(Button, prefixes={"q": {"after": False}, "a": {"after": True}}):
    """A 0-10 puffiness rating for a cause; `after` is the rating after de-puffing."""

    cause: Word
    rating: Rating
    after: bool = False


@dataclass(frozen=True)
class SkipRatingAfter(Button, prefix="u"):
    """Skip the 0-10 question after a routine (`cause`: a de-puffing cause or "daily")."""

    cause: Word


@dataclass(frozen=True)
class AnswerRedFlags(Button, prefix="f"):
    """The answer to the red-flag question, asked first: a route (a RedFlag letter), or "n"
    (none of these) and then, on the rating buttons that follow, the 0-10 rating."""

    cause: Word
    answer: Annotated[str, _ANSWERS]
    rating: Annotated[int | None, LeftOff(RATING)] = None

    def well_formed(self) -> bool:
        return self.rating is None or self.answer == RedFlag.NONE.value


@dataclass(frozen=True)
class SetTimezone(Button, prefix="t"):
    """Switch to this zone (a canonical name, see bot.domain.zones)."""

    zone: Annotated[str, Zone()]


@dataclass(frozen=True)
class ShowStreakRules(Button, prefix="h"):
    pass


@dataclass(frozen=True)
class LogDay(Button, prefix="y"):
    """ "I did it yesterday": count this ritual date (only while it is still yesterday)."""

    day: Annotated[date, Day()]


@dataclass(frozen=True)
class ConfirmDelete(Button, prefix="x"):
    """The answer to /delete's question: erase everything (True) or keep it (False)."""

    confirmed: YesNo


@dataclass(frozen=True)
class RateBeforeRoutine(Button, prefix="b"):
    """The 0-10 rating before a daily routine (None: skipped), then the routine starts."""

    routine_id: RoutineId
    hands_free: HandsFree
    rating: Annotated[int | None, OrSkip(RATING)]


@dataclass(frozen=True)
class ProfileAnswer(Button, prefix="p"):
    """An answer to a safety-profile question (both validated by the handler)."""

    question: Word
    answer: Word


@dataclass(frozen=True)
class StopSignCheck(Button, prefix="o"):
    """Does an earlier stop-sign still hold today, before `routine_id`?"""

    still: YesNo
    routine_id: RoutineId


@dataclass(frozen=True)
class RemindChoice(Button, prefix="m"):
    """The answer to "/remind HH:MM" when other reminders exist: replace them all with `at`,
    add `at` to them, or keep them as they are."""

    at: Annotated[time, HourMinute()]
    choice: Annotated[str, Pick({choice[0]: choice for choice in REMIND_CHOICES})]
