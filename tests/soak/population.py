"""Who the simulated users are: their zones and habits, drawn from one seeded generator.

Zones are chosen for what tends to break: both sides of the date line (+14, +13:45, -11,
-12), odd offsets (+5:45, -3:30, +8:45), zones whose clocks change during the soak, and fixed
offsets typed the ways people type them. Each zone is given as the user types it and as the
bot names it back.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import time


@dataclass(frozen=True)
class Zone:
    typed: str  # what the user sends after /timezone
    name: str  # how the bot names it (its canonical form)

    @property
    def is_offset(self) -> bool:
        return self.name.startswith("UTC") and len(self.name) == 9

    @property
    def far_east(self) -> bool:
        """Ahead of UTC by 12 hours or more: across the date line from the far west."""
        return self.name in FAR_EAST

    @property
    def far_west(self) -> bool:
        return self.name in FAR_WEST


NAMED = (
    Zone("Pacific/Kiritimati", "Pacific/Kiritimati"),  # +14
    Zone("pacific/chatham", "Pacific/Chatham"),  # +13:45 in (southern) summer, DST
    Zone("Pacific/Tongatapu", "Pacific/Tongatapu"),  # +13
    Zone("Pacific/Auckland", "Pacific/Auckland"),  # +13, DST
    Zone("Asia/Tokyo", "Asia/Tokyo"),
    Zone("Australia/Eucla", "Australia/Eucla"),  # +8:45
    Zone("Australia/Adelaide", "Australia/Adelaide"),  # +10:30, DST
    Zone("Asia/Kathmandu", "Asia/Kathmandu"),  # +5:45
    Zone("Asia/Kolkata", "Asia/Kolkata"),  # +5:30
    Zone("europe/berlin", "Europe/Berlin"),  # DST ends during the soak
    Zone("Europe/London", "Europe/London"),  # DST ends during the soak
    Zone("UTC", "UTC"),
    Zone("America/Sao_Paulo", "America/Sao_Paulo"),
    Zone("America/St_Johns", "America/St_Johns"),  # -2:30 / -3:30, DST
    Zone("America/New_York", "America/New_York"),  # DST ends on day 8
    Zone("America/Los_Angeles", "America/Los_Angeles"),
    Zone("Pacific/Honolulu", "Pacific/Honolulu"),
    Zone("Pacific/Pago_Pago", "Pacific/Pago_Pago"),  # -11
)
OFFSETS = (
    Zone("+03:00", "UTC+03:00"),
    Zone("UTC-5", "UTC-05:00"),
    Zone("UTC+14", "UTC+14:00"),
    Zone("UTC-12", "UTC-12:00"),
    Zone("+05:45", "UTC+05:45"),
    Zone("utc-3:30", "UTC-03:30"),
    Zone("GMT+8", "UTC+08:00"),
)
FAR_EAST = frozenset(
    {"Pacific/Kiritimati", "Pacific/Chatham", "Pacific/Tongatapu", "Pacific/Auckland"}
    | {"UTC+14:00"}
)
FAR_WEST = frozenset({"Pacific/Pago_Pago", "Pacific/Honolulu", "UTC-12:00"})

# Reminder times people pick, the /settings presets among them; and the others they type.
POPULAR_TIMES = (time(7, 30), time(7, 30), time(12, 30), time(21, 0), time(6, 45), time(22, 15))
QUIET_WINDOWS = ("22:00-07:00", "23:30-06:00", "13:00-14:00", "0:00-5:30", "20:00-23:00")


def any_quarter_hour(rng: random.Random) -> time:
    """Reminder times fall on quarter hours, as every zone's offset is whole quarter hours:
    each due instant then lands exactly on a step of the soak."""
    return time(rng.randrange(24), 15 * rng.randrange(4))


@dataclass
class Persona:
    user_id: int
    first_name: str
    home: Zone
    # Chance per step of doing something unprompted, and of reacting to a reminder.
    activity: float
    reactivity: float
    # Prefers the /settings buttons to typing /remind.
    uses_buttons: bool
    # Travels across the date line (the zone changes most likely to break things).
    date_line_traveller: bool


def zones(include_offsets: bool) -> tuple[Zone, ...]:
    return NAMED + OFFSETS if include_offsets else NAMED


def make_population(
    rng: random.Random, count: int, *, first_id: int, steps_per_day: int, include_offsets: bool
) -> list[Persona]:
    """`count` users; on average each acts unprompted about every other day."""
    choices = zones(include_offsets)
    people = []
    for n in range(count):
        per_day = rng.uniform(0.2, 0.9)
        people.append(
            Persona(
                user_id=first_id + n,
                first_name=rng.choice(("Ana", "Bo", "Chen", "Dara", "Eli", "Femi", "Gül")),
                home=rng.choice(choices),
                activity=per_day / steps_per_day,
                reactivity=rng.uniform(0.15, 0.5),
                uses_buttons=rng.random() < 0.3,
                date_line_traveller=rng.random() < 0.15,
            )
        )
    return people
