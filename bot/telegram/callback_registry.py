"""The registry of callback data: each class declares its prefix and its fields' codecs once,
and `encode` and `decode` work the same way for every one of them.

Data is the prefix, then each field as its codec writes it, joined by ":" ("z:30"). Telegram
allows 1-64 bytes and hands the string back verbatim, so anyone can send anything: `decode`
never raises and returns None for whatever it does not recognise, and `encode` refuses what
would not come back the same. Authorisation (is this the owner's run, the current step?) is
checked by the handler, not here.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, get_type_hints

from bot.telegram.callback_fields import Field, codec_of

MAX_BYTES = 64


@dataclass(frozen=True)
class Shape:
    """How the data under one prefix reads: the class, what the prefix itself says (values it
    fixes), and the fields on the wire, in order."""

    kind: type[Button]
    prefix: str
    fixed: Mapping[str, object]
    fields: tuple[tuple[str, Field[Any]], ...]

    def matches(self, data: Button) -> bool:
        return all(getattr(data, name) == value for name, value in self.fixed.items())

    def dump(self, data: Button) -> str:
        parts = [self.prefix]
        for name, codec in self.fields:
            value = getattr(data, name)
            if not (value is None and codec.may_be_left_off):
                parts.append(codec.dump(value))
        return ":".join(parts)

    def load(self, rest: str) -> Button:
        """The data after the prefix's ":", read back (ValueError for anything refused)."""
        values = {
            name: None if part is None else codec.load(part)
            for (name, codec), part in zip(self.fields, self._split(rest), strict=True)
        }
        build: Callable[..., Button] = self.kind  # a dataclass: its fields are its arguments
        data = build(**self.fixed, **values)
        if not data.well_formed():
            raise ValueError(f"values that do not go together: {data!r}")
        return data

    def _split(self, rest: str) -> list[str | None]:
        """One part per field; None for a last field left off."""
        count = len(self.fields)
        if not rest:
            parts = []
        elif count and self.fields[-1][1].takes_rest:
            parts = rest.split(":", count - 1)
        else:
            parts = rest.split(":")
        if len(parts) == count - 1 and self.fields[-1][1].may_be_left_off:
            return [*parts, None]
        if len(parts) != count:
            raise ValueError(f"{len(parts)} parts for {count} fields")
        return list(parts)


_SHAPES: dict[str, Shape] = {}


class Button:
    """Callback data. Subclass it as a frozen dataclass, with `prefix="z"` and each field
    annotated with its codec (bot.telegram.callback_fields); or with `prefixes=` mapping each
    of several prefixes to the field values it stands for (`{"q": {"after": False}, ...}`)."""

    shapes: ClassVar[tuple[Shape, ...]] = ()

    def __init_subclass__(
        cls,
        *,
        prefix: str | None = None,
        prefixes: Mapping[str, Mapping[str, object]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init_subclass__(**kwargs)
        if (prefix is None) == (prefixes is None) or prefixes == {}:
            raise TypeError(f"{cls.__name__}: give either prefix or prefixes")
        fixed_by_prefix = {prefix: {}} if prefix is not None else dict(prefixes or {})
        # Every prefix checked before any is taken: a class that fails takes none.
        shapes = tuple(_shape(cls, p, fixed) for p, fixed in fixed_by_prefix.items())
        _SHAPES.update((shape.prefix, shape) for shape in shapes)
        cls.shapes = shapes

    def well_formed(self) -> bool:
        """Whether the values go together (each field's codec has checked its own value)."""
        return True


def registered() -> tuple[type[Button], ...]:
    """Every kind of callback data, in the order declared."""
    return tuple(dict.fromkeys(shape.kind for shape in _SHAPES.values()))


def encode(data: Button) -> str:
    """The data of a button that decodes to `data`; ValueError if none would."""
    text = _shape_for(data).dump(data)
    if decode(text) != data:
        raise ValueError(f"callback data would not survive a round trip: {data!r}")
    return text


def decode(text: object) -> Button | None:
    """What a button's data stands for, or None for anything not written by `encode`."""
    if not isinstance(text, str) or not text:
        return None
    prefix, _, rest = text.partition(":")
    shape = _SHAPES.get(prefix)
    try:
        if shape is None or len(text.encode("utf-8")) > MAX_BYTES:
            return None
        return shape.load(rest)
    except ValueError:  # UnicodeEncodeError included (a lone surrogate)
        return None


def _shape_for(data: object) -> Shape:
    if not isinstance(data, Button) or not type(data).shapes:
        raise TypeError(f"not callback data: {data!r}")
    for shape in type(data).shapes:
        if shape.matches(data):
            return shape
    raise ValueError(f"no prefix of {type(data).__name__} stands for {data!r}")


def _shape(kind: type[Button], prefix: str, fixed: Mapping[str, object]) -> Shape:
    if not prefix or ":" in prefix:
        raise TypeError(f"{kind.__name__}: a prefix is a non-empty word without ':'")
    if prefix in _SHAPES:
        raise TypeError(f"{kind.__name__}: prefix {prefix!r} is {_SHAPES[prefix].kind.__name__}'s")
    return Shape(kind, prefix, dict(fixed), _wire_fields(kind, fixed))


def _wire_fields(
    kind: type[Button], fixed: Mapping[str, object]
) -> tuple[tuple[str, Field[Any]], ...]:
    """The class's own fields that are not fixed by the prefix, each with its codec."""
    own = inspect.get_annotations(kind)
    if unknown := set(fixed) - set(own):
        raise TypeError(f"{kind.__name__}: a prefix fixes no such field: {sorted(unknown)}")
    hints = get_type_hints(kind, include_extras=True)
    fields = [(name, codec_of(hints[name])) for name in own if name not in fixed]
    for index, (name, codec) in enumerate(fields):
        if codec is None:
            raise TypeError(f"{kind.__name__}.{name}: no codec in its annotation")
        if (codec.takes_rest or codec.may_be_left_off) and index != len(fields) - 1:
            raise TypeError(f"{kind.__name__}.{name}: only the last field may be open-ended")
    return tuple((name, codec) for name, codec in fields if codec is not None)
