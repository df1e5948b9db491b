"""The puffiness (edema) check-in: the red-flag question first, then the 0-10 rating.

Massage is never the answer to a red flag. Each sign has one route (content/*/safety.yaml
names the signs and says which route each takes): emergency services now (the airway, the
chest after a flight, a severe allergic reaction), a doctor the same day (a clot in the leg, an
eye, an infection, a dental abscess, sepsis), a pharmacist or doctor for an allergy without
breathing trouble, the midwife now for signs of pre-eclampsia, or a doctor's appointment for
puffiness that keeps coming back. Any route makes the rest of the ritual day a rest day. Only
without any of them is the rating asked, and de-puffing suggested, longer for a puffier face.
"""

from __future__ import annotations

from enum import StrEnum

RATINGS = range(0, 11)
# From this rating on, the full de-puffing sequence; below it, the short one.
LONG_SEQUENCE_FROM = 6


class Cause(StrEnum):
    FLIGHT = "flight"
    PARTY = "party"


class RedFlag(StrEnum):
    """The answer to the red-flag question: a route (one letter, as stored and on buttons)."""

    NONE = "n"
    EMERGENCY = "e"
    URGENT = "u"
    ALLERGY = "a"
    PREGNANCY = "p"
    RECURRING = "r"
    # Stored by check-ins before routes were split ("see a doctor soon"); never asked now.
    DOCTOR = "d"

    @property
    def route(self) -> str:
        """The route's name in content (safety.yaml `routes`)."""
        return self.name.lower()


# The routes in the order they are asked and shown: the most urgent first.
ROUTES = (
    RedFlag.EMERGENCY,
    RedFlag.URGENT,
    RedFlag.PREGNANCY,
    RedFlag.ALLERGY,
    RedFlag.RECURRING,
)
ROUTE_NAMES = tuple(flag.route for flag in ROUTES)


def routes_asked(pregnant: bool) -> tuple[RedFlag, ...]:
    """The routes the question offers: pre-eclampsia signs only in a pregnant profile."""
    return tuple(flag for flag in ROUTES if pregnant or flag is not RedFlag.PREGNANCY)


def route_named(name: str) -> RedFlag | None:
    return next((flag for flag in ROUTES if flag.route == name), None)


def most_serious(routes: list[str]) -> str | None:
    """Of a day's rest reasons, the one whose advice to repeat: the earliest route in ROUTES,
    else any other reason (a stop-sign)."""
    ranked = sorted(routes, key=lambda r: ROUTE_NAMES.index(r) if r in ROUTE_NAMES else 99)
    return ranked[0] if ranked else None


class Advice(StrEnum):
    SHORT_SEQUENCE = "short"
    LONG_SEQUENCE = "long"


def nothing_to_depuff(rating: int) -> bool:
    """A 0/10 face has no puffiness to work on: offer the daily routine instead."""
    return rating == 0


def sequence_for(rating: int) -> Advice:
    """After "none of these": the de-puffing sequence for a rating."""
    if rating not in RATINGS:
        raise ValueError(f"a rating is 0-10, not {rating}")
    return Advice.LONG_SEQUENCE if rating >= LONG_SEQUENCE_FROM else Advice.SHORT_SEQUENCE
