"""Talking to the bot as one user, and learning from its answers.

Each action that changes when reminders come is checked against the documented rule before the
model takes it in: the caller says which answer the bot should give (say `remind_set`, or
`remind_in_quiet_hours` when the time is inside the user's quiet hours); a different answer is
an "answer" finding with its counterexample, and the model then follows what the bot said it
did (the user believes the bot), so that one disagreement does not cascade into many.

An update lost in a SIGKILL (see tracker.py) is what a real user meets as "no answer": they
send an idempotent command again; when that is not enough (a lost toggle, an answer that was a
failure) they ask /timezone, /remind and /quiet and take in what the bot shows; a lost snooze
or "skip today" makes the reminders it would change optional (a doubt window: the bot may or
may not have done it), never a failure.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta

from tests.soak.chat import Exchange
from tests.soak.journal import Journal
from tests.soak.model import zone_of
from tests.soak.person import Person, hhmm, parse_window
from tests.soak.replies import Reply, classify

RETRIES = 3
# Buttons remembered per user, for stale and forged presses.
KEEP_BUTTONS = 60
# A re-sync lost too leaves the user's reminders in doubt this long.
DOUBT_AFTER_LOST_RESYNC = timedelta(hours=26)


class Talk:
    def __init__(self, journal: Journal, maybe_twice: Callable[[int], bool]) -> None:
        self.journal = journal
        # Whether an update may have been handled by an instance that then died, and again.
        self.maybe_twice = maybe_twice
        # Called when an action leaves some of the user's reminders in doubt (lost in a
        # kill): (person, from, until, why); the invariants treat them as optional.
        self.on_doubt: Callable[[Person, datetime, datetime, str], None] = lambda *_: None

    # ------------------------------------------------------------ acting

    async def send(self, person: Person, now: datetime, text: str) -> Exchange:
        """Send `text`; again (up to RETRIES times) while it is lost in a kill."""
        self._writes(person, now)
        for attempt in range(RETRIES):
            exchange = await person.chat.send(text)
            self._seen(person, exchange)
            if exchange.handled:
                return exchange
            self._unanswered(person, now, exchange)
            if attempt < RETRIES - 1:
                self.journal.count("commands sent again after a kill")
        return exchange

    async def send_sticker(self, person: Person, now: datetime) -> Exchange:
        self._writes(person, now)
        exchange = await person.chat.send_sticker()
        self._seen(person, exchange)
        return exchange

    async def press(self, person: Person, now: datetime, message_id: int, data: str) -> Exchange:
        exchange = await person.chat.press(message_id, data)
        self.journal.count("button presses")
        self._seen(person, exchange)
        if not exchange.handled:
            self._unanswered(person, now, exchange)
        return exchange

    def doubled(self, exchange: Exchange) -> bool:
        return any(self.maybe_twice(update_id) for update_id in exchange.update_ids)

    def _writes(self, person: Person, now: datetime) -> None:
        if person.model.blocked:
            # Telegram's "Restart": writing to a blocked bot unblocks it first.
            person.model.blocked = False
            person.model.note(now, "unblocked by writing")
            self.journal.count("unblocks")

    def _seen(self, person: Person, exchange: Exchange) -> None:
        self.journal.count("updates sent", len(exchange.update_ids))
        for message in exchange.current.values():
            for button in message.flat_buttons:
                if button.callback_data:
                    person.seen_buttons.append((message.message_id, button.callback_data))
        del person.seen_buttons[:-KEEP_BUTTONS]

    def _unanswered(self, person: Person, now: datetime, exchange: Exchange) -> None:
        if exchange.timed_out:
            self.journal.find(
                "unanswered update",
                person.id,
                now,
                f"{exchange.what}: no instance finished update(s) "
                f"{exchange.update_ids} within the bound ({exchange.outcomes})",
            )
        else:
            self.journal.count("updates lost in a kill", len(exchange.update_ids))

    # ------------------------------------------------------------ learning

    def judge(
        self, person: Person, now: datetime, exchange: Exchange, expected: str | None
    ) -> Reply | None:
        """The bot's answer among the known texts; a finding when it is not `expected`."""
        replies = [reply for html in exchange.htmls if (reply := classify(html)) is not None]
        if exchange.answer is not None and exchange.answer.text:
            answer = classify(exchange.answer.text)
            if answer is not None:
                replies.append(answer)
        got = replies[0] if replies else None
        if expected is not None and exchange.handled and (got is None or got.key != expected):
            model = person.model
            seen = got.key if got else (exchange.htmls[:1] or ["(no message)"])[0][:120]
            self.journal.find(
                "answer",
                person.id,
                now,
                f"{exchange.what} at {model.local(now):%Y-%m-%d %H:%M} local ({model.zone}): "
                f"expected {expected}, got {seen}; the model had reminders "
                f"{[hhmm(t) for t in sorted(model.reminders)]}, quiet {model.quiet}",
            )
        return got

    async def command(
        self,
        person: Person,
        now: datetime,
        text: str,
        expected: str | None,
        effects: dict[str, Callable[[Reply], None]],
    ) -> Reply | None:
        """Send an idempotent command, check the answer, and apply the effect of the answer
        the bot gave (by its text key)."""
        exchange = await self.send(person, now, text)
        if not exchange.handled:
            await self.resync(person, now, f"{text!r} got no answer")
            return None
        got = self.judge(person, now, exchange, expected)
        if got is not None and got.key in effects:
            effects[got.key](got)
            person.model.note(now, f"{text} -> {got.key}")
        elif got is not None and got.key == "error_generic":
            await self.resync(person, now, f"{text!r} failed")
        return got

    async def resync(self, person: Person, now: datetime, why: str) -> None:
        """Ask the bot what it holds (/timezone, /remind, /quiet) and take that in."""
        self.journal.count("re-syncs after a lost or failed update")
        model = person.model
        for text in ("/timezone", "/remind", "/quiet"):
            exchange = await self.send(person, now, text)
            if not exchange.handled:
                until = now + DOUBT_AFTER_LOST_RESYNC
                self.on_doubt(person, now, until, f"{why}; {text} lost too")
                return
            got = self.judge(person, now, exchange, None)
            if got is None:
                continue
            if got.key == "timezone_current":
                self.adopt_zone(person, now, got.params["zone"])
            elif got.key == "remind_current":
                times = [time.fromisoformat(t) for t in got.params["times"].split(", ")]
                model.set_reminders(now, times)
            elif got.key == "remind_none":
                model.set_reminders(now, [])
            elif got.key == "quiet_current":
                model.set_quiet(parse_window(got.params["window"]))
            elif got.key == "quiet_none":
                model.set_quiet(None)
        model.note(now, f"re-synced ({why})")

    def adopt_zone(self, person: Person, now: datetime, zone: str) -> None:
        """The zone the bot says the user has, if the model can read it."""
        try:
            zone_of(zone)
        except (KeyError, ValueError):
            return
        person.model.set_zone(now, zone)
