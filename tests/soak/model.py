"""The soak's own account of what each simulated user should be sent: a small, independent model.

It is written from the documented rules (README: Reminders, `/remind`, `/quiet`, `/timezone`),
not from the bot's scheduling code, and fed with what each user did and when:

- A reminder at local time L fires at the first instant after it was set (or after the zone
  changed) at which the user's wall clock shows L, and then daily. A time the clock skips (DST)
  fires at the first minute after it; a time that happens twice fires at the first.
- Changing zone keeps the local times: the next one is L in the new zone, after the change.
- The reminder of a local date on which the user pressed "Skip today" is not sent; nor is one
  that falls due while the user has blocked the bot.
- A snooze fires the given minutes after the press (to the minute; a second press for the same
  minute adds nothing); one whose tick falls inside quiet hours waits for their end. "Skip
  today" also drops the pending snoozes.
- Nothing is sent of the bot's own accord inside quiet hours: a reminder whose tick falls inside
  them (sent late, after an outage) is not sent.
- A reminder or snooze the bot could not send in time (no instance ran) is still sent when an
  instance ticks again at most `grace` after it was due, and never after that.
- A stop-sign answered "yes" or "not sure" makes that ritual day a rest day (README: Rest
  days), and in the small hours (after local midnight, before the day-start hour) the day
  ahead too: no reminder or snooze falls due on it, by the ritual day as the user's day-start
  hour and zone are when it falls due. "No" on the same day takes it back.
- A reminder is sent at most once per local date: after a zone change westwards (across the
  date line, say) a date can come round again, and its reminder is not sent twice.

The model advances at each simulated step exactly as a dispatcher tick does: everything due at
or before the instant is settled at that tick (`tick`), then the users act (the other methods).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

# Samoa skipped a whole day in 2011: no gap in the tz database is longer.
_LONGEST_GAP = timedelta(hours=36)

REMINDER = "reminder"
SNOOZE = "snooze"

# Why an occurrence is not expected (the exceptions of the invariant).
BLOCKED = "blocked"
SKIPPED = "skipped"
LATE = "later than the grace period"
ALREADY = "already sent for this local date (it came round again after a zone change)"
QUIET = "its tick fell inside quiet hours"
RESTING = "a rest day (a stop-sign that ritual day)"
DAY_STARTS_AT = time(4, 0)


def zone_of(name: str) -> tzinfo:
    """The tzinfo of a zone as the bot names it: an IANA name, "UTC", or "UTC+05:45"."""
    if name.startswith("UTC") and len(name) == 9 and name[3] in "+-":
        sign = 1 if name[3] == "+" else -1
        return timezone(sign * timedelta(hours=int(name[4:6]), minutes=int(name[7:9])), name)
    return ZoneInfo(name)


def _exists(local: datetime, zone: tzinfo) -> bool:
    aware = local.replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == local


def occurrence(day: date, at: time, zone: tzinfo) -> datetime:
    """The instant (UTC) the wall clock in `zone` shows `at` on `day`, by the DST rule above."""
    local = datetime.combine(day, at)
    while not _exists(local, zone):
        local += timedelta(minutes=1)
        if local - datetime.combine(day, at) > _LONGEST_GAP:
            raise ValueError(f"{at} on {day} never comes in {zone}")
    return local.replace(tzinfo=zone, fold=0).astimezone(UTC)


def first_after(after: datetime, at: time, zone: tzinfo) -> datetime:
    """The first occurrence of wall time `at` strictly after the instant `after`."""
    today = after.astimezone(zone).date()
    for days in range(-1, 3):
        candidate = occurrence(today + timedelta(days=days), at, zone)
        if candidate > after:
            return candidate
    raise AssertionError("a wall time comes back within two days")


def in_window(moment: time, window: tuple[time, time]) -> bool:
    start, end = window
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


@dataclass(frozen=True)
class Occurrence:
    """One reminder or snooze falling due, as the model settles it at a tick."""

    user_id: int
    kind: str  # REMINDER or SNOOZE
    label: str  # the reminder's local time "07:30", or "snooze"
    due: datetime  # UTC
    local_date: date
    zone: str
    settled_at: datetime  # the tick that settles it
    # None: expected, exactly once; else why it is not (BLOCKED, SKIPPED, LATE).
    not_sent_because: str | None = None

    @property
    def expected(self) -> bool:
        return self.not_sent_because is None

    def describe(self) -> str:
        local = self.due.astimezone(zone_of(self.zone))
        what = f"reminder {self.label}" if self.kind == REMINDER else "snooze"
        return (
            f"{what} of local date {self.local_date} ({self.zone}), due {local:%Y-%m-%d %H:%M}"
            f" local = {self.due:%Y-%m-%d %H:%M}Z"
        )


@dataclass
class UserModel:
    user_id: int
    zone: str = "UTC"
    # local time -> the next instant it is due (UTC)
    reminders: dict[time, datetime] = field(default_factory=dict)
    quiet: tuple[time, time] | None = None
    blocked: bool = False
    skipped_on: date | None = None
    snoozes: list[datetime] = field(default_factory=list)
    # When the ritual day starts (/daystart), and the ritual dates that are rest days.
    day_start: time = DAY_STARTS_AT
    rest_days: set[date] = field(default_factory=set)
    # (local time, local date) of every reminder sent so far.
    sent_dates: set[tuple[str, date]] = field(default_factory=set)
    # (simulated instant, what happened): the user's story, for counterexamples.
    history: list[tuple[datetime, str]] = field(default_factory=list)
    # (from when, zone): every zone the user had.
    zones: list[tuple[datetime, str]] = field(default_factory=list)

    @property
    def tz(self) -> tzinfo:
        return zone_of(self.zone)

    def local(self, instant: datetime) -> datetime:
        return instant.astimezone(self.tz)

    def note(self, now: datetime, what: str) -> None:
        self.history.append((now, what))

    # ------------------------------------------------------------ what users do

    def zone_at(self, instant: datetime) -> str:
        zone = self.zones[0][1] if self.zones else self.zone
        for since, name in self.zones:
            if since < instant:  # a change at a step comes after that step's tick
                zone = name
        return zone

    def set_zone(self, now: datetime, zone: str) -> None:
        if zone == self.zone:
            return
        if not self.zones:
            self.zones.append((datetime.min.replace(tzinfo=UTC), self.zone))
        self.zones.append((now, zone))
        self.zone = zone
        self.reminders = {at: first_after(now, at, self.tz) for at in self.reminders}

    def set_reminders(self, now: datetime, times: list[time]) -> None:
        self.reminders = {at: first_after(now, at, self.tz) for at in sorted(set(times))}

    def add_reminder(self, now: datetime, at: time) -> None:
        self.set_reminders(now, [*self.reminders, at])

    def remove_reminder(self, now: datetime, at: time) -> None:
        self.set_reminders(now, [t for t in self.reminders if t != at])

    def set_quiet(self, window: tuple[time, time] | None) -> None:
        self.quiet = window

    def quiet_covers(self, at: time) -> bool:
        return self.quiet is not None and in_window(at, self.quiet)

    def skip_today(self, now: datetime) -> None:
        self.skipped_on = self.local(now).date()
        self.snoozes.clear()

    def ritual_date(self, instant: datetime) -> date:
        """The ritual date of an instant: before the day-start hour it is still yesterday."""
        local = self.local(instant)
        return local.date() - timedelta(days=1) if local.time() < self.day_start else local.date()

    def ritual_day_end(self, instant: datetime) -> datetime:
        next_day = self.ritual_date(instant) + timedelta(days=1)
        return datetime.combine(next_day, self.day_start, self.tz).astimezone(UTC)

    def stop_sign(self, now: datetime, *, reported: bool) -> None:
        """The stop-sign question answered: a rest day today (in the small hours the local
        date too, the day ahead), or none for a stop-sign."""
        days = {self.ritual_date(now), self.local(now).date()}
        if reported:
            self.rest_days |= days
        else:
            self.rest_days -= days

    def snooze(self, now: datetime, minutes: int) -> datetime:
        due = (now + timedelta(minutes=minutes)).replace(second=0, microsecond=0)
        if due not in self.snoozes:
            self.snoozes.append(due)
        return due

    # ------------------------------------------------------------ a dispatcher tick

    def tick(self, now: datetime, grace: timedelta) -> list[Occurrence]:
        """Settle everything due at or before `now`, as the bot's tick at `now` does."""
        settled = []
        for at, due in sorted(self.reminders.items(), key=lambda item: item[1]):
            if due > now:
                continue
            settled.append(self._settle(now, grace, REMINDER, at.strftime("%H:%M"), due))
            self.reminders[at] = first_after(max(now, due), at, self.tz)
        waiting = []
        for due in sorted(self.snoozes):
            if due > now:
                waiting.append(due)
                continue
            if self.quiet_covers(self.local(now).time()):
                # Held until quiet hours end; it is settled then.
                waiting.append(first_after(now, self.quiet[1], self.tz))
                continue
            settled.append(self._settle(now, grace, SNOOZE, "snooze", due))
        self.snoozes = waiting
        return settled

    def _settle(
        self, now: datetime, grace: timedelta, kind: str, label: str, due: datetime
    ) -> Occurrence:
        local_date = self.local(due).date()
        reason = None
        if self.blocked:
            reason = BLOCKED
        elif self.skipped_on == local_date:
            reason = SKIPPED
        elif self.ritual_date(due) in self.rest_days:
            reason = RESTING
        elif now - due > grace:
            reason = LATE
        elif kind == REMINDER and (label, local_date) in self.sent_dates:
            reason = ALREADY
        elif kind == REMINDER and self.quiet_covers(self.local(now).time()):
            reason = QUIET
        if reason is None and kind == REMINDER:
            self.sent_dates.add((label, local_date))
        return Occurrence(self.user_id, kind, label, due, local_date, self.zone, now, reason)

    def next_due(self) -> datetime | None:
        pending = [*self.reminders.values(), *self.snoozes]
        return min(pending) if pending else None
