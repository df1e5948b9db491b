"""The soak's invariants, judged at the end from what was recorded; each failure comes with a
counterexample precise enough to replay by hand (user, zone, local date, expected vs seen).

Reminders are matched to what the model expected per user. A reminder message does not say
which reminder it is (a snooze sends the same text), so each one received at simulated instant
`t` is matched to an expected occurrence due at or before `t`, at most the grace period before
(a delivery recovered after a kill may come a step or more late), the earliest first. Then:

- an expected occurrence left without a message is MISSING, unless it was optional: the user's
  action that decided it was lost in a kill (a doubt window), or the bot's own delivery record
  says "unknown" (it was on the wire when its instance was SIGKILLed: the Bot API has no
  idempotency key, so the bot rightly does not send it again, and it may not have arrived);
- a message left over is EXTRA when it came at the time of an occurrence (at most the grace
  period after it): one that should not have been sent (blocked, skipped, later than the grace
  period, already sent for that local date), or a second one; else it is EARLY for the first
  occurrence after it (within a day) that no message matched; else EXTRA, unexplained;
- a matched message that came later than the tick that should have sent it is LATE unless an
  instance was killed between the due time and its arrival.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tests.soak.model import Occurrence, zone_of

# Examples kept per invariant (the counts are exact).
EXAMPLES = 16


@dataclass
class Verdict:
    name: str
    rule: str
    checked: int
    failures: list[str] = field(default_factory=list)
    failed: int = 0
    notes: list[str] = field(default_factory=list)
    # How many failures the examples shown stand for.
    shown: int = 0

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def fail(self, example: str, *, standing_for: int = 1) -> None:
        """One failure (or `standing_for` alike ones, which one example describes)."""
        self.failed += standing_for
        if len(self.failures) < EXAMPLES:
            self.failures.append(example)
            self.shown += standing_for

    def describe(self) -> str:
        head = f"{'PASS' if self.ok else 'FAIL'} {self.name}: {self.rule} ({self.checked} checked"
        head += f", {self.failed} failed)" if self.failed else ")"
        lines = [head, *(f"  - {note}" for note in self.notes)]
        for example in self.failures:
            lines.append("  * " + example.replace("\n", "\n    "))
        if self.failed > self.shown:
            lines.append(f"  ... and {self.failed - self.shown} more")
        return "\n".join(lines)


@dataclass(frozen=True)
class Received:
    user_id: int
    message_id: int
    at: datetime  # simulated instant of arrival


@dataclass(frozen=True)
class Doubt:
    """A span in which a user's reminders may or may not come (an action lost in a kill)."""

    user_id: int
    start: datetime
    end: datetime
    why: str

    def covers(self, instant: datetime) -> bool:
        return self.start <= instant <= self.end


@dataclass
class Match:
    missing: list[Occurrence] = field(default_factory=list)
    excused: list[tuple[Occurrence, str]] = field(default_factory=list)
    early: list[tuple[Received, Occurrence]] = field(default_factory=list)
    extra: list[tuple[Received, str]] = field(default_factory=list)
    late: list[tuple[Received, Occurrence]] = field(default_factory=list)
    matched: int = 0
    tolerated: int = 0


def local(instant: datetime, zone: str) -> str:
    return f"{instant.astimezone(zone_of(zone)):%Y-%m-%d %H:%M} local ({instant:%H:%MZ})"


def match_reminders(
    occurrences: Iterable[Occurrence],
    received: Iterable[Received],
    *,
    grace: timedelta,
    doubts: Iterable[Doubt] = (),
    unknown: set[tuple[int, datetime]] = frozenset(),  # type: ignore[assignment]
    kills: Iterable[datetime] = (),
) -> Match:
    """Match each user's reminder messages to the occurrences the model settled (see above)."""
    by_user: dict[int, list[Occurrence]] = defaultdict(list)
    for occurrence in occurrences:
        by_user[occurrence.user_id].append(occurrence)
    arrivals: dict[int, list[Received]] = defaultdict(list)
    for message in received:
        arrivals[message.user_id].append(message)
    doubt_of: dict[int, list[Doubt]] = defaultdict(list)
    for doubt in doubts:
        doubt_of[doubt.user_id].append(doubt)
    kill_times = sorted(kills)
    result = Match()
    for user_id in sorted(set(by_user) | set(arrivals)):
        _match_user(
            sorted(by_user[user_id], key=lambda o: o.due),
            sorted(arrivals[user_id], key=lambda r: (r.at, r.message_id)),
            grace,
            doubt_of[user_id],
            unknown,
            kill_times,
            result,
        )
    return result


def _match_user(
    occurrences: list[Occurrence],
    arrivals: list[Received],
    grace: timedelta,
    doubts: list[Doubt],
    unknown: set[tuple[int, datetime]],
    kills: list[datetime],
    result: Match,
) -> None:
    def doubtful(instant: datetime) -> Doubt | None:
        return next((d for d in doubts if d.covers(instant)), None)

    expected = [o for o in occurrences if o.expected]
    used = [False] * len(expected)
    # First, the messages that came at the very tick that settled an occurrence (the usual
    # case): each takes one of those, so that a neighbour's window does not take it.
    rest = []
    for message in arrivals:
        exact = [i for i, o in enumerate(expected) if not used[i] and o.settled_at == message.at]
        if exact:
            used[exact[0]] = True
            result.matched += 1
        else:
            rest.append(message)
    unmatched = []
    # Then each other message to an occurrence due at most the grace period before it.
    for message in rest:
        candidates = [
            i
            for i, o in enumerate(expected)
            if not used[i] and o.due <= message.at <= o.due + grace
        ]
        if not candidates:
            unmatched.append(message)
            continue
        # The mandatory ones first, then the earliest: the one whose window closes first.
        best = min(
            candidates, key=lambda i: (doubtful(expected[i].due) is not None, expected[i].due)
        )
        used[best] = True
        result.matched += 1
        occurrence = expected[best]
        if message.at > occurrence.settled_at and not any(
            occurrence.due <= kill <= message.at for kill in kills
        ):
            result.late.append((message, occurrence))
    # Then what is left: a message at the time of an occurrence that should not have been sent
    # (skipped, blocked...) is one too many; one before an occurrence left without a message
    # (within a day) came early for it; anything else is one too many.
    for message in unmatched:
        if doubtful(message.at) is not None:
            result.tolerated += 1
            continue
        if any(o.due <= message.at <= o.due + grace for o in occurrences):
            # At the time of one that should not have been sent, or of one already served.
            result.extra.append((message, _why_extra(message, occurrences, grace)))
            continue
        ahead = [
            i
            for i, o in enumerate(expected)
            if not used[i] and message.at < o.due <= message.at + timedelta(days=1)
        ]
        if ahead:
            used[ahead[0]] = True
            result.early.append((message, expected[ahead[0]]))
            continue
        result.extra.append((message, _why_extra(message, occurrences, grace)))
    for i, occurrence in enumerate(expected):
        if used[i]:
            continue
        doubt = doubtful(occurrence.due)
        if doubt is not None:
            result.excused.append((occurrence, doubt.why))
        elif (occurrence.user_id, occurrence.due) in unknown:
            result.excused.append((occurrence, "on the wire at a kill (delivery 'unknown')"))
        else:
            result.missing.append(occurrence)


def _why_extra(message: Received, occurrences: list[Occurrence], grace: timedelta) -> str:
    near = [o for o in occurrences if o.due <= message.at <= o.due + grace]
    unexpected = [o for o in near if not o.expected]
    if unexpected:
        o = unexpected[-1]
        return f"sent although not expected ({o.not_sent_because}): {o.describe()}"
    if near:
        return f"a second message for {near[-1].describe()}"
    return "no reminder or snooze of this user was due within the grace period before it"


# ------------------------------------------------------------------ the verdicts


def reminder_verdicts(
    result: Match,
    *,
    expected_count: int,
    zone_at: Callable[[int, datetime], str],
    story: Callable[[int, datetime], str],
) -> tuple[Verdict, Verdict, Verdict]:
    """(exactly one per reminder per local day, none before its local time, none late)."""
    once = Verdict(
        "reminders exactly once",
        "each user got exactly one message per reminder per local day, and one per snooze "
        "(except skipped, blocked and already-sent days, later than the grace period because "
        "no instance ran, or left in doubt by a kill)",
        expected_count,
    )

    def missing(occurrence: Occurrence) -> str:
        return (
            f"MISSING user {occurrence.user_id}: {occurrence.describe()}, settled by the tick "
            f"at {occurrence.settled_at:%Y-%m-%d %H:%M}Z; no reminder message came within the "
            f"grace period\n{story(occurrence.user_id, occurrence.due)}"
        )

    def extra(message: Received, why: str) -> str:
        zone = zone_at(message.user_id, message.at)
        return (
            f"EXTRA user {message.user_id} ({zone}): message #{message.message_id} at "
            f"{local(message.at, zone)}: {why}\n{story(message.user_id, message.at)}"
        )

    # Examples of both kinds first, so that many of one do not hide the other.
    half = EXAMPLES // 2
    for occurrence in result.missing[:half]:
        once.fail(missing(occurrence))
    for message, why in result.extra:
        once.fail(extra(message, why))
    for occurrence in result.missing[half:]:
        once.fail(missing(occurrence))
    once.notes.append(f"{result.matched} matched, {len(result.excused)} excused:")
    reasons: dict[str, int] = defaultdict(int)
    for _, why in result.excused:
        reasons[why.split(";")[0]] += 1
    once.notes.extend(f"  {n} {why}" for why, n in sorted(reasons.items()))
    if result.tolerated:
        once.notes.append(f"{result.tolerated} message(s) inside a doubt window, tolerated")

    early = Verdict(
        "no reminder before its local time",
        "no reminder message came before the local time of the reminder it belongs to",
        result.matched + len(result.early) + len(result.extra),
    )
    for message, upcoming in result.early:
        zone = zone_at(message.user_id, message.at)
        early.fail(
            f"EARLY user {message.user_id} ({zone}): message #{message.message_id} at "
            f"{local(message.at, zone)}, before {upcoming.describe()}\n"
            f"{story(message.user_id, message.at)}"
        )

    late = Verdict(
        "on time",
        "a reminder came at the tick of its due time, unless an instance was killed or came "
        "back meanwhile",
        result.matched,
    )
    for message, occurrence in result.late:
        late.fail(
            f"LATE user {message.user_id}: {occurrence.describe()} came at "
            f"{message.at:%Y-%m-%d %H:%M}Z, no kill in between\n"
            f"{story(message.user_id, occurrence.due)}"
        )
    return once, early, late


def simple_verdict(name: str, rule: str, checked: int, failures: Iterable[str]) -> Verdict:
    verdict = Verdict(name, rule, checked)
    for failure in failures:
        verdict.fail(failure)
    return verdict
