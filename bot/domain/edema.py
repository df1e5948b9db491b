"""The puffiness (edema) check-in: what to advise from the cause, the rating and the red flags.

Massage is never the answer to a red flag. Some signs need emergency services (the airway, the
chest, a clot in the leg after a flight); others need a doctor soon (infection, an allergic or
one-sided swelling). Only without any of them does the bot suggest de-puffing, longer for a
puffier face.
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
    NONE = "n"
    DOCTOR = "d"
    EMERGENCY = "e"


class Advice(StrEnum):
    SHORT_SEQUENCE = "short"
    LONG_SEQUENCE = "long"
    SEE_A_DOCTOR = "doctor"
    EMERGENCY = "emergency"


def nothing_to_depuff(rating: int) -> bool:
    """A 0/10 face has no puffiness to work on: offer the daily routine instead."""
    return rating == 0


def triage(rating: int, red_flag: RedFlag) -> Advice:
    if rating not in RATINGS:
        raise ValueError(f"a rating is 0-10, not {rating}")
    if red_flag is RedFlag.EMERGENCY:
        return Advice.EMERGENCY
    if red_flag is RedFlag.DOCTOR:
        return Advice.SEE_A_DOCTOR
    return Advice.LONG_SEQUENCE if rating >= LONG_SEQUENCE_FROM else Advice.SHORT_SEQUENCE
