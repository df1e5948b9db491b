"""One route for each red flag, in every file.

The signs and their routes live in safety.yaml; the safety note and the check-in are drawn
from that list, so they cannot disagree. Other texts (routine tips and steps, interface texts,
adaptation notes, the routes' own advice) are written by hand, so they are checked: a sentence
that names a sign (one of its `mentions`) must say that sign's route (one of the route's
`markers`), and a sentence that says "emergency" must name an emergency sign. That is how the
calf after a flight was "emergency" in the check-in and "the same day" in the flight routine.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

from .models import ROUTE_NAMES, Adaptations, Routine, SafetyNote

EMERGENCY = "emergency"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")

# (where, text, the route the text itself belongs to, if any)
Text = tuple[str, str, str | None]


def sentences(text: str) -> list[str]:
    return [part for part in _SENTENCE_END.split(text) if part.strip()]


def check(note: SafetyNote, texts: Iterable[Text]) -> list[tuple[str, str]]:
    """(where, what is wrong) for every sentence that contradicts a sign's route."""
    found = []
    markers = {name: note.routes.of(name).markers for name in ROUTE_NAMES}
    for where, text, own_route in texts:
        for sentence in sentences(text):
            lowered = sentence.lower()
            named = [s for s in note.signs if any(m in lowered for m in s.mentions)]
            for sign in named:
                if not any(m in lowered for m in markers[sign.route]):
                    found.append(
                        (
                            where,
                            f"names the red flag {sign.id!r} ({sentence.strip()!r}) without "
                            f"its route {sign.route!r}: say one of "
                            f"{', '.join(markers[sign.route])}",
                        )
                    )
            says_emergency = any(m in lowered for m in markers[EMERGENCY])
            if (
                says_emergency
                and own_route != EMERGENCY
                and not any(s.route == EMERGENCY for s in named)
            ):
                found.append(
                    (
                        where,
                        f"says the emergency route ({sentence.strip()!r}) for no emergency "
                        "sign: name the sign, or give the route its signs have",
                    )
                )
    return found


def note_texts(note: SafetyNote) -> Iterator[Text]:
    """The hand-written parts of the note: everything but the signs themselves."""
    for name in ROUTE_NAMES:
        yield f"routes.{name}.advice", note.routes.of(name).advice, name
    for field in ("intro", "disclaimer"):
        yield field, getattr(note, field), None
    for field in ("do_not_massage_if", "ask_first_if", "good_practice"):
        for index, item in enumerate(getattr(note, field)):
            yield f"{field}[{index}]", item, None


# Fields that hold names for the code, not sentences for people.
_NOT_PROSE = {"id", "kind", "length", "cause", "area", "areas", "cautions", "when", "skip_areas"}
_NOT_PROSE |= {"skip_cautions", "skip_treated", "position", "duration_s"}


def model_texts(model: Routine | Adaptations) -> Iterator[Text]:
    """Every sentence-holding field of a routine or the adaptations, whatever its shape (the
    walk follows the model, so a field added later is checked too)."""

    def walk(value: object, where: str) -> Iterator[Text]:
        if isinstance(value, str):
            yield where, value, None
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in _NOT_PROSE:
                    yield from walk(item, f"{where}.{key}" if where else str(key))
        elif isinstance(value, list | tuple):
            for index, item in enumerate(value):
                yield from walk(item, f"{where}[{index}]")

    yield from walk(model.model_dump(exclude_computed_fields=True), "")


def interface_texts(texts: Mapping[str, str]) -> Iterator[Text]:
    for key, value in texts.items():
        yield key, value, None
