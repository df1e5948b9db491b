"""When to ask about puffiness after a flight: a few hours after landing, unless that falls
in the night, then the next morning at the user's reminder time."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.domain.local_time import require_aware
from bot.domain.schedule import next_occurrence
from bot.domain.zones import local_datetime

HOURS_AFTER_LANDING = 3
# A check-in due between these local times waits for the morning.
NIGHT_STARTS, NIGHT_ENDS = time(22, 0), time(7, 0)
DEFAULT_MORNING = time(8, 0)


def _at_night(moment: time) -> bool:
    return moment >= NIGHT_STARTS or moment < NIGHT_ENDS


def checkin_after_landing(landing: datetime, zone: str, reminder_times: list[time]) -> datetime:
    """The UTC instant of the post-flight check-in (`zone`: a canonical zone name)."""
    due = require_aware(landing) + timedelta(hours=HOURS_AFTER_LANDING)
    if not _at_night(local_datetime(due, zone).time()):
        return due
    mornings = [t for t in sorted(reminder_times) if not _at_night(t)]
    morning = mornings[0] if mornings else DEFAULT_MORNING
    return next_occurrence(due, morning, zone)


def landing_instant(now: datetime, at: time, zone: str) -> datetime:
    """A landing time typed as a local wall time: today, or tomorrow if today's is more than
    an hour gone (nobody announces a landing from yesterday)."""
    return next_occurrence(require_aware(now) - timedelta(hours=1), at, zone)
