"""The end of the soak: every invariant judged from what the run recorded and what the bot
stored (read only), each failure with its counterexample (see invariants.py for the rules)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from bot.domain.streaks import recompute
from bot.storage import rest_days
from bot.storage import streaks as stored_streaks
from bot.storage.database import Database
from bot.storage.models import Completion, Delivery, User
from tests.soak.invariants import (
    Received,
    Verdict,
    match_reminders,
    reminder_verdicts,
    simple_verdict,
)
from tests.soak.kills import REMINDER_MARK
from tests.soak.logs import Problem
from tests.soak.model import zone_of
from tests.soak.replies import classify

if TYPE_CHECKING:
    from tests.soak.run import Soak

# The span of a user's story around a counterexample.
STORY_BEFORE = timedelta(hours=30)
STORY_AFTER = timedelta(hours=3)


class Judge:
    def __init__(self, soak: Soak) -> None:
        self.soak = soak
        # (user id, due, status, key, local date, sent at) of every delivery the bot recorded.
        self.deliveries: list[tuple] = []

    async def verdicts(self, exit_codes: list[int | None]) -> list[Verdict]:
        database = Database(self.soak.database_url)
        try:
            deliveries = await self._deliveries(database)
            streak_failures, streaks_checked = await self._streaks(database)
        finally:
            await database.dispose()
        unknown = {(user_id, due) for user_id, due, status, *_ in deliveries if status == "unknown"}
        self.soak.journal.count("deliveries 'unknown' (on the wire at a kill)", len(unknown))
        self.deliveries = deliveries
        received = []
        for chat_id, arrivals in self.soak.mail.by_chat.items():
            for arrival in arrivals:
                if REMINDER_MARK in arrival.html:
                    reply = classify(arrival.html)
                    if reply is not None and reply.key == "reminder":
                        received.append(Received(chat_id, arrival.message_id, arrival.at))
        self.soak.journal.count("reminder messages received", len(received))
        result = match_reminders(
            self.soak.occurrences,
            received,
            grace=self.soak.config.grace,
            doubts=self.soak.doubts,
            unknown=unknown,
            # A reminder may come late when an instance was killed, or not yet back, meanwhile.
            kills=[*self.soak.killer.kill_times, *self.soak.killer.restart_times],
        )
        lost_on_the_wire = sum(1 for _, why in result.excused if "unknown" in why)
        self.soak.journal.count("deliveries 'unknown' that never arrived", lost_on_the_wire)
        once, early, late = reminder_verdicts(
            result,
            expected_count=sum(1 for o in self.soak.occurrences if o.expected),
            zone_at=lambda user_id, at: self.soak.by_id[user_id].model.zone_at(at),
            story=self.story,
        )
        return [
            self._logs_verdict(),
            self._callbacks_verdict(),
            once,
            early,
            late,
            simple_verdict(
                "streaks",
                "every stored streak equals the one recomputed from the history of completions",
                streaks_checked,
                streak_failures,
            ),
            self._answers_verdict(),
            simple_verdict(
                "clean stop",
                "both instances exit 0 on SIGTERM at the end",
                len(exit_codes),
                [
                    f"instance {i.name} exited {code}"
                    for i, code in zip(self.soak.instances, exit_codes, strict=True)
                    if code != 0
                ],
            ),
        ]

    def _logs_verdict(self) -> Verdict:
        files = self.soak.tracker.log_files()
        problems = [p for f in files for p in f.problems]
        verdict = Verdict(
            "logs clean",
            "no traceback, ERROR or CRITICAL line in any instance's log",
            sum(f.lines_read for f in files),
        )
        by_signature: dict[str, list[Problem]] = {}
        for problem in problems:
            by_signature.setdefault(problem.signature, []).append(problem)
        for signature, group in sorted(by_signature.items(), key=lambda kv: -len(kv[1])):
            causes = []
            ticks = sorted(problem.tick for problem in group if problem.tick)
            for problem in group:
                sent = self.soak.sent.get(problem.update_id) if problem.update_id else None
                if sent is not None and len(causes) < 3:
                    zone = self.soak.by_id[sent.user_id].model.zone_at(sent.at)
                    causes.append(
                        f"update {problem.update_id}: user {sent.user_id} ({zone}) {sent.what} "
                        f"at {sent.at:%Y-%m-%d %H:%M}Z"
                    )
            if ticks:
                causes.append(
                    f"the dispatcher tick at {ticks[0]}, and {len(ticks) - 1} later tick(s) up "
                    f"to {ticks[-1]}"
                )
            cause = "".join(f"\n  from {c}" for c in causes)
            verdict.fail(
                f"{len(group)}x {signature}{cause}\nfirst at {group[0].describe()}",
                standing_for=len(group),
            )
        for f in files:
            verdict.notes.append(f"{f.label}: {f.lines_read} lines, {f.warnings} warnings")
        return verdict

    def _callbacks_verdict(self) -> Verdict:
        unanswered = self.soak.emulator.unanswered_callback_queries()
        verdict = Verdict(
            "every callback answered",
            "every button press got an answerCallbackQuery (except presses lost in a kill)",
            len(self.soak.emulator.state.callback_queries),
        )
        excused = 0
        for query in unanswered:
            user_id, at, what, update_ids = self.soak.queries.get(
                query.id, (query.user_id, None, "?", [])
            )
            outcomes = {u: self.soak.tracker.outcome(u) for u in update_ids}
            if update_ids and all(outcome == "lost" for outcome in outcomes.values()):
                excused += 1
                continue
            when = f"{at:%Y-%m-%d %H:%M}Z" if at else "?"
            verdict.fail(
                f"user {user_id}: {what} at {when}, data {query.data!r} on message "
                f"#{query.message_id}: never answered; update(s) {outcomes}, handled by "
                f"{[self.soak.tracker.finished.get(u, ('-',))[0] for u in update_ids]}"
            )
        verdict.notes.append(f"{excused} unanswered press(es) lost in a kill, excused")
        return verdict

    def _answers_verdict(self) -> Verdict:
        kinds = ("answer", "unanswered update", "conversation", "tick", "harness", "wall time")
        verdict = Verdict(
            "answers follow the rules",
            "each answer is the documented one for what the user did (the model's), every "
            "update is finished by some instance, conversations end, the harness ran to the end",
            self.soak.journal.counts["updates sent"],
        )
        present = [kind for kind in kinds if self.soak.journal.found[kind]]
        # A few examples of each kind, so that a frequent one does not hide a rare one.
        each = max(3, 12 // max(1, len(present)))
        for kind in present:
            verdict.notes.append(f"{self.soak.journal.found[kind]} {kind}")
            for finding in self.soak.journal.of(kind)[:each]:
                verdict.fail(f"{kind}: {finding.describe()}")
        # The journal keeps a few examples of each kind and counts them all.
        verdict.failed = sum(self.soak.journal.found[kind] for kind in kinds)
        return verdict

    async def _deliveries(self, database: Database) -> list[tuple]:
        async with database.read() as session:
            rows = await session.execute(
                select(
                    Delivery.user_id,
                    Delivery.due_at,
                    Delivery.status,
                    Delivery.key,
                    Delivery.local_date,
                    Delivery.sent_at,
                )
            )
            return [tuple(row) for row in rows]

    async def _streaks(self, database: Database) -> tuple[list[str], int]:
        """Each stored summary against the one recomputed from the completions (read only)."""
        failures = []
        async with database.read() as session:
            users = list(
                await session.execute(
                    select(User.id, User.timezone, User.day_starts_at).where(
                        User.id.in_(select(Completion.user_id))
                    )
                )
            )
            for user_id, zone, day_starts_at in users:
                day_start = datetime.strptime(day_starts_at, "%H:%M").time()
                stored = await stored_streaks.load(session, user_id)
                try:
                    history = await stored_streaks.history(session, user_id, day_start, zone)
                    rest = await rest_days.dates_since(session, user_id, None)
                    recomputed, _ = recompute(history, day_start, rest)
                except Exception as exc:
                    failures.append(f"user {user_id} ({zone}): recomputing failed: {exc!r}")
                    continue
                if stored != recomputed:
                    days = ", ".join(str(day.date) for day in history[-10:])
                    failures.append(
                        f"user {user_id} ({zone}, day starts {day_starts_at}): stored {stored}, "
                        f"recomputed {recomputed}; last counted days {days}"
                    )
        return failures, len(users)

    # ------------------------------------------------------------ counterexamples

    def story(self, user_id: int, around: datetime) -> str:
        """What the user did, what the bot recorded, and the user's updates, near `around`."""
        model = self.soak.by_id[user_id].model
        start, end = around - STORY_BEFORE, around + STORY_AFTER
        lines = ["    the user's story (simulated UTC):"]
        for at, what in model.history:
            if start <= at <= end:
                lines.append(f"      {at:%m-%d %H:%M}Z {what}")
        records = [d for d in self.deliveries if d[0] == user_id and start <= d[1] <= end]
        if records:
            lines.append("    the bot's delivery records (key, local date, status, due, sent):")
            for _, due, status, key, local_date, sent_at in sorted(records, key=lambda d: d[1]):
                sent = f"{sent_at:%m-%d %H:%M}Z" if sent_at else "-"
                lines.append(
                    f"      {key} {local_date} {status} due {due:%m-%d %H:%M}Z sent {sent}"
                )
        updates = [
            (u, s)
            for u, s in self.soak.sent.items()
            if s.user_id == user_id and start <= s.at <= end
        ]
        if updates:
            lines.append("    the user's updates (id, when, what -> instance, outcome):")
            for update_id, sent in updates[-12:]:
                label, outcome = self.soak.tracker.finished.get(
                    update_id, ("-", self.soak.tracker.outcome(update_id) or "?")
                )
                lines.append(
                    f"      {update_id} {sent.at:%m-%d %H:%M}Z {sent.what} -> {label} {outcome}"
                )
        failed_ticks = sorted(
            (problem.tick, problem.signature)
            for log in self.soak.tracker.files.values()
            for problem in log.problems
            if problem.tick and start <= datetime.fromisoformat(problem.tick) <= end
        )
        if failed_ticks:
            first_at, first = failed_ticks[0]
            lines.append(
                f"    dispatcher ticks that failed meanwhile: {len(failed_ticks)}, the first at "
                f"{first_at}: {first}"
            )
        kills = [
            k
            for k in self.soak.killer.kills
            if k.killed_sim is not None and start <= k.killed_sim <= end
        ]
        if kills:
            lines.append(
                "    kills: "
                + ", ".join(f"{k.label} at {k.killed_sim:%m-%d %H:%M}Z" for k in kills)
            )
        zone = model.zone_at(around)
        lines.append(f"    zone then: {zone} (offset {around.astimezone(zone_of(zone)):%z})")
        return "\n".join(lines)
