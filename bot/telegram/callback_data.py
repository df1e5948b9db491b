"""Compact, validated callback data for inline buttons.

Telegram allows 1-64 bytes and hands the string back verbatim, so anyone can send anything:
`decode` never raises and returns None for whatever it does not recognise. Authorisation
(is this the owner's run, the current step?) is checked by the handler, not here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time

from bot.domain.edema import RedFlag
from bot.domain.walkthrough import Action
from bot.domain.zones import parse_timezone

MAX_BYTES = 64
# What the red-flag question's buttons carry (a route, or none); never the old "d".
_ANSWERS = {flag.value for flag in RedFlag if flag is not RedFlag.DOCTOR}
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_VALUE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_MAX_ID = 2**53
_DAY = re.compile(r"^[0-9]{8}$")
_HHMM = re.compile(r"^[0-9]{4}$")


@dataclass(frozen=True)
class RunPress:
    """A press on a step's button: which run, the step it was shown on, what to do."""

    run_id: int
    step: int
    action: Action


@dataclass(frozen=True)
class StepDetail:
    """ "More" (opened) or "Less" on a step's message: its longer detail, shown or hidden."""

    run_id: int
    step: int
    opened: bool


@dataclass(frozen=True)
class ShowRun:
    """Show the current step of a run again (resume after a break or a restart)."""

    run_id: int


@dataclass(frozen=True)
class StartOver:
    """ "Start again": replace the open run `run_id`, then show `routine_id`'s introduction."""

    run_id: int
    routine_id: str


@dataclass(frozen=True)
class ShowRoutine:
    """Show a routine's introduction with its start buttons."""

    routine_id: str


@dataclass(frozen=True)
class StartRoutine:
    routine_id: str
    hands_free: bool


@dataclass(frozen=True)
class ChooseRoutine:
    """Open the list of routines."""


@dataclass(frozen=True)
class DepuffCause:
    cause: str


@dataclass(frozen=True)
class Snooze:
    """Remind me again in this many minutes."""

    minutes: int


@dataclass(frozen=True)
class SkipToday:
    """No more reminders today."""


@dataclass(frozen=True)
class RatePuffiness:
    """A 0-10 puffiness rating for a cause; `after` is the rating after de-puffing."""

    cause: str
    rating: int
    after: bool = False


@dataclass(frozen=True)
class SkipRatingAfter:
    """Skip the 0-10 question after a routine (`cause`: a de-puffing cause or "daily")."""

    cause: str


@dataclass(frozen=True)
class AnswerRedFlags:
    """The answer to the red-flag question, asked first: a route (a RedFlag letter), or "n"
    (none of these) and then, on the rating buttons that follow, the 0-10 rating."""

    cause: str
    answer: str
    rating: int | None = None


@dataclass(frozen=True)
class SetTimezone:
    """Switch to this zone (a canonical name, see bot.domain.zones)."""

    zone: str


@dataclass(frozen=True)
class ShowStreakRules:
    pass


@dataclass(frozen=True)
class LogDay:
    """ "I did it yesterday": count this ritual date (only while it is still yesterday)."""

    day: date


@dataclass(frozen=True)
class ConfirmDelete:
    """The answer to /delete's question: erase everything (True) or keep it (False)."""

    confirmed: bool


@dataclass(frozen=True)
class RateBeforeRoutine:
    """The 0-10 rating before a daily routine (None: skipped), then the routine starts."""

    routine_id: str
    hands_free: bool
    rating: int | None


@dataclass(frozen=True)
class ProfileAnswer:
    """An answer to a safety-profile question (both validated by the handler)."""

    question: str
    answer: str


@dataclass(frozen=True)
class StopSignCheck:
    """Does an earlier stop-sign still hold today, before `routine_id`?"""

    still: bool
    routine_id: str


@dataclass(frozen=True)
class RemindChoice:
    """The answer to "/remind HH:MM" when other reminders exist: replace them all with `at`,
    add `at` to them, or keep them as they are."""

    at: time
    choice: str  # REMIND_CHOICES


REMIND_CHOICES = ("replace", "add", "keep")


@dataclass(frozen=True)
class ChangeSetting:
    name: str
    value: str


CallbackData = (
    RunPress
    | StepDetail
    | ShowRun
    | StartOver
    | ShowRoutine
    | StartRoutine
    | ChooseRoutine
    | DepuffCause
    | ChangeSetting
    | Snooze
    | SkipToday
    | RatePuffiness
    | SkipRatingAfter
    | AnswerRedFlags
    | SetTimezone
    | ShowStreakRules
    | LogDay
    | ConfirmDelete
    | ProfileAnswer
    | StopSignCheck
    | RateBeforeRoutine
    | RemindChoice
)
# What a step's buttons may carry: the timer and "Start again" have their own ways in.
_RUN_ACTIONS = {a.value: a for a in Action if a not in (Action.TIMER, Action.REPLACE)}


def encode(data: CallbackData) -> str:
    match data:
        case RunPress(run_id, step, action):
            if action.value not in _RUN_ACTIONS:
                raise ValueError(f"the {action.name} action is never put on a step's button")
            text = f"r:{run_id}:{step}:{action.value}"
        case StepDetail(run_id, step, opened):
            text = f"e:{run_id}:{step}:{'m' if opened else 'l'}"
        case ShowRun(run_id):
            text = f"v:{run_id}"
        case StartOver(run_id, routine_id):
            text = f"w:{run_id}:{routine_id}"
        case ShowRoutine(routine_id):
            text = f"i:{routine_id}"
        case StartRoutine(routine_id, hands_free):
            text = f"g:{routine_id}:{'h' if hands_free else 'b'}"
        case ChooseRoutine():
            text = "c"
        case DepuffCause(cause):
            text = f"d:{cause}"
        case ChangeSetting(name, value):
            text = f"s:{name}:{value}"
        case Snooze(minutes):
            text = f"z:{minutes}"
        case SkipToday():
            text = "k"
        case RatePuffiness(cause, rating, after):
            text = f"{'a' if after else 'q'}:{cause}:{rating}"
        case SkipRatingAfter(cause):
            text = f"u:{cause}"
        case AnswerRedFlags(cause, answer, rating):
            text = f"f:{cause}:{answer}" + ("" if rating is None else f":{rating}")
        case SetTimezone(zone):
            text = f"t:{zone}"
        case ShowStreakRules():
            text = "h"
        case ConfirmDelete(confirmed):
            text = f"x:{'y' if confirmed else 'n'}"
        case ProfileAnswer(question, answer):
            text = f"p:{question}:{answer}"
        case StopSignCheck(still, routine_id):
            text = f"o:{'y' if still else 'n'}:{routine_id}"
        case RateBeforeRoutine(routine_id, hands_free, rating):
            text = (
                f"b:{routine_id}:{'h' if hands_free else 'b'}:{'s' if rating is None else rating}"
            )
        case LogDay(day):
            text = f"y:{day.year:04d}{day.month:02d}{day.day:02d}"
        case RemindChoice(at, choice):
            text = f"m:{at.hour:02d}{at.minute:02d}:{choice[0]}"
        case _:
            raise TypeError(f"not callback data: {data!r}")
    if decode(text) != data:
        raise ValueError(f"callback data would not survive a round trip: {data!r}")
    return text


def _id(text: str, upper: int = _MAX_ID) -> int | None:
    if not text.isascii() or not text.isdigit() or (len(text) > 1 and text[0] == "0"):
        return None
    value = int(text)
    return value if value < upper else None


def decode(text: object) -> CallbackData | None:
    if not isinstance(text, str) or not text or len(text.encode("utf-8")) > MAX_BYTES:
        return None
    kind, _, rest = text.partition(":")
    if kind == "t":
        # Zone names contain "/" and capitals; only a name the parser itself returns passes.
        return SetTimezone(rest) if rest and parse_timezone(rest) == rest else None
    parts = rest.split(":") if rest else []
    match kind, parts:
        case "r", [run_id, step, action] if action in _RUN_ACTIONS:
            run, index = _id(run_id), _id(step, 10_000)
            if run is None or index is None:
                return None
            return RunPress(run, index, _RUN_ACTIONS[action])
        case "e", [run_id, step, "m" | "l" as shown]:
            run, index = _id(run_id), _id(step, 10_000)
            if run is None or index is None:
                return None
            return StepDetail(run, index, shown == "m")
        case "v", [run_id]:
            run = _id(run_id)
            return None if run is None else ShowRun(run)
        case "w", [run_id, routine_id] if _SLUG.match(routine_id):
            run = _id(run_id)
            return None if run is None else StartOver(run, routine_id)
        case "i", [routine_id] if _SLUG.match(routine_id):
            return ShowRoutine(routine_id)
        case "g", [routine_id, "h" | "b" as mode] if _SLUG.match(routine_id):
            return StartRoutine(routine_id, mode == "h")
        case "c", []:
            return ChooseRoutine()
        case "d", [cause] if _VALUE.match(cause):
            return DepuffCause(cause)
        case "s", [name, setting] if _VALUE.match(name) and _VALUE.match(setting):
            return ChangeSetting(name, setting)
        case "z", [minutes]:
            value = _id(minutes, 24 * 60 + 1)
            return None if value is None or value == 0 else Snooze(value)
        case "k", []:
            return SkipToday()
        case "h", []:
            return ShowStreakRules()
        case "x", ["y" | "n" as answer]:
            return ConfirmDelete(answer == "y")
        case "p", [question, answer] if _VALUE.match(question) and _VALUE.match(answer):
            return ProfileAnswer(question, answer)
        case "o", ["y" | "n" as still, routine_id] if _SLUG.match(routine_id):
            return StopSignCheck(still == "y", routine_id)
        case "b", [routine_id, "h" | "b" as mode, rating] if _SLUG.match(routine_id):
            value = None if rating == "s" else _id(rating, 11)
            if value is None and rating != "s":
                return None
            return RateBeforeRoutine(routine_id, mode == "h", value)
        case "y", [day] if _DAY.match(day):
            try:
                return LogDay(date(int(day[:4]), int(day[4:6]), int(day[6:])))
            except ValueError:
                return None
        case "m", [hhmm, "r" | "a" | "k" as choice] if _HHMM.match(hhmm):
            hour, minute = int(hhmm[:2]), int(hhmm[2:])
            if hour > 23 or minute > 59:
                return None
            chosen = next(c for c in REMIND_CHOICES if c[0] == choice)
            return RemindChoice(time(hour, minute), chosen)
        case "q" | "a", [cause, rating] if _VALUE.match(cause):
            value = _id(rating, 11)
            return None if value is None else RatePuffiness(cause, value, after=kind == "a")
        case "u", [cause] if _VALUE.match(cause):
            return SkipRatingAfter(cause)
        case "f", [cause, answer] if _VALUE.match(cause) and answer in _ANSWERS:
            return AnswerRedFlags(cause, answer)
        case "f", [cause, RedFlag.NONE.value as answer, rating] if _VALUE.match(cause):
            value = _id(rating, 11)
            return None if value is None else AnswerRedFlags(cause, answer, value)
    return None
