"""Field codecs for callback data: how one value is written into a button's data, and read back.

A codec is put on a field by its annotation (`run_id: Annotated[int, Id()]`, see
callback_data). `load` raises ValueError for anything it would not have written itself, so a
forged or stale button decodes to nothing; `dump` raises ValueError for a value it cannot write.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, time
from enum import Enum
from typing import Any, ClassVar, Generic, TypeVar

from bot.domain.zones import parse_timezone

T = TypeVar("T")
E = TypeVar("E", bound=Enum)

# Telegram's safe integers: a run id is a database id, far below.
MAX_ID = 2**53


class Field(Generic[T]):
    """One value on the wire, between two ":" (or at the end)."""

    # A last field that may itself contain ":" (it takes the rest of the data).
    takes_rest: ClassVar[bool] = False
    # A last field left off the data when its value is None.
    may_be_left_off: ClassVar[bool] = False

    def dump(self, value: T) -> str:
        raise NotImplementedError

    def load(self, text: str) -> T:
        raise NotImplementedError


class Id(Field[int]):
    """A non-negative integer below `upper` (and at least `lower`), in plain ASCII digits."""

    def __init__(self, upper: int = MAX_ID, *, lower: int = 0) -> None:
        self.lower, self.upper = lower, upper

    def dump(self, value: int) -> str:
        return str(value)

    def load(self, text: str) -> int:
        if not (text.isascii() and text.isdigit()) or (len(text) > 1 and text[0] == "0"):
            raise ValueError(f"not a plain number: {text!r}")
        value = int(text)
        if not self.lower <= value < self.upper:
            raise ValueError(f"out of range: {value}")
        return value


class Text(Field[str]):
    """A word matching `pattern` as a whole: a routine id, a cause, a setting's name..."""

    def __init__(self, pattern: str) -> None:
        self.pattern = re.compile(pattern)

    def dump(self, value: str) -> str:
        return str(value)

    def load(self, text: str) -> str:
        if self.pattern.fullmatch(text) is None:
            raise ValueError(f"not a {self.pattern.pattern}: {text!r}")
        return text


class Pick(Field[T]):
    """One of a few values, each written as its own short word: flags, choices, enum members."""

    def __init__(self, words: Mapping[str, T]) -> None:
        self.values = dict(words)
        self.words = {value: word for word, value in words.items()}

    def dump(self, value: T) -> str:
        try:
            return self.words[value]
        except (KeyError, TypeError):
            raise ValueError(f"{value!r} is not one of {list(self.words)}") from None

    def load(self, text: str) -> T:
        try:
            return self.values[text]
        except KeyError:
            raise ValueError(f"not one of {list(self.values)}: {text!r}") from None


def flag(true: str, false: str) -> Pick[bool]:
    """A yes/no written as one of two letters ("y"/"n", "h"/"b", ...)."""
    return Pick({true: True, false: False})


def members(kind: type[E], *, leaving_out: tuple[E, ...] = ()) -> Pick[E]:
    """An enum member, written as its value; the ones left out are never put on a button."""
    return Pick({str(member.value): member for member in kind if member not in leaving_out})


class Day(Field[date]):
    """A date as YYYYMMDD."""

    def dump(self, value: date) -> str:
        return f"{value.year:04d}{value.month:02d}{value.day:02d}"

    def load(self, text: str) -> date:
        if len(text) != 8 or not (text.isascii() and text.isdigit()):
            raise ValueError(f"not YYYYMMDD: {text!r}")
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))  # ValueError for 20261301


class HourMinute(Field[time]):
    """A time of day to the minute, as HHMM."""

    def dump(self, value: time) -> str:
        return f"{value.hour:02d}{value.minute:02d}"

    def load(self, text: str) -> time:
        if len(text) != 4 or not (text.isascii() and text.isdigit()):
            raise ValueError(f"not HHMM: {text!r}")
        return time(int(text[:2]), int(text[2:]))  # ValueError for 2400 or 0760


class Zone(Field[str]):
    """A zone's canonical name (see bot.domain.zones): it may contain "/" and ":" ("UTC+05:30"),
    so it takes the rest of the data; only a name the parser itself returns passes."""

    takes_rest = True

    def dump(self, value: str) -> str:
        return str(value)

    def load(self, text: str) -> str:
        if not text or parse_timezone(text) != text:
            raise ValueError(f"not a canonical zone name: {text!r}")
        return text


class OrSkip(Field[T | None]):
    """A value, or None written as `skip` (a rating the user chose not to give)."""

    def __init__(self, inner: Field[T], skip: str = "s") -> None:
        self.inner, self.skip = inner, skip

    def dump(self, value: T | None) -> str:
        return self.skip if value is None else self.inner.dump(value)

    def load(self, text: str) -> T | None:
        return None if text == self.skip else self.inner.load(text)


class LeftOff(Field[T | None]):
    """A last value that only some buttons carry: None is written as nothing at all."""

    may_be_left_off = True

    def __init__(self, inner: Field[T]) -> None:
        self.inner = inner

    def dump(self, value: T | None) -> str:
        if value is None:
            raise ValueError("a value left off is not written")
        return self.inner.dump(value)

    def load(self, text: str) -> T | None:
        return self.inner.load(text)


def codec_of(annotation: Any) -> Field[Any] | None:
    """The codec put on a field by its `Annotated[...]` annotation, if any."""
    for extra in getattr(annotation, "__metadata__", ()):
        if isinstance(extra, Field):
            return extra
    return None
