"""What the simulated users do, and what each of them learns from the bot's answers.

Every action that changes when reminders come is checked against the documented rule before
the model takes it in: the model says which answer the bot should give (say `remind_set`, or
`remind_in_quiet_hours` when the time is inside the user's quiet hours), a different answer is
an "answer" finding with the counterexample, and the model then follows what the bot said it
did (the user believes the bot), so one disagreement does not cascade into many.

An update lost in a SIGKILL (see tracker.py) is what a real user meets as "no answer": they
send an idempotent command again; after a lost toggle they ask `/remind` and take the times
it shows; a lost snooze or "skip today" makes the reminders it would change optional (the bot
may or may not have done it), never a failure.
"""

from __future__ import annotations

import random
import string
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import cache

import yaml

from bot.config import DEFAULT_CONTENT_DIR
from bot.telegram.callback_data import RunPress, decode
from tests.soak.chat import Chat, Exchange
from tests.soak.journal import Journal
from tests.soak.model import UserModel, in_window, zone_of
from tests.soak.population import (
    POPULAR_TIMES,
    QUIET_WINDOWS,
    Persona,
    Zone,
    any_quarter_hour,
)
from tests.soak.replies import Reply, classify, find

PRESETS = (time(7, 30), time(12, 30), time(21, 0))
MAX_REMINDERS = 3
# Bounds on one conversation: presses in a routine, answers in the safety questions.
MAX_ROUTINE_PRESSES = 40
MAX_PROFILE_PRESSES = 10
RETRIES = 3

BAD_COMMANDS = (
    ("/timezone 12", "timezone_invalid"),
    ("/timezone Mars/Olympus", "timezone_invalid"),
    ("/timezone +15:00", "timezone_invalid"),
    ("/timezone UTC+5:75", "timezone_invalid"),
    ("/remind 25:00", "remind_invalid"),
    ("/remind 7:61", "remind_invalid"),
    ("/remind add", "remind_invalid"),
    ("/remind add 24:00", "remind_invalid"),
    ("/remind tomorrow", "remind_invalid"),
    ("/quiet 22-22", "quiet_invalid"),
    ("/quiet whenever", "quiet_invalid"),
    ("/dance", "unknown_command"),
    ("hello?? 🙃", "unknown_message"),
    ("/daystart 09:00", None),
    ("/routine nonsense", None),
    ("/depuff sunburn", None),
    ("/flight 99:99", None),
    ("/remind@face_ritual_test_bot 7:30 extra words", "remind_invalid"),
)


@cache
def label(key: str, **params: str) -> str:
    texts = yaml.safe_load((DEFAULT_CONTENT_DIR / "en" / "texts.yaml").read_text())
    return str(texts[key]).format(**params)


@cache
def routine_title(routine_id: str) -> str:
    path = DEFAULT_CONTENT_DIR / "en" / "routines" / f"{routine_id}.yaml"
    return str(yaml.safe_load(path.read_text())["title"])


def typed_time(rng: random.Random, at: time) -> str:
    """A time the way people type it."""
    forms = (
        f"{at.hour}:{at.minute:02d}",
        f"{at.hour:02d}:{at.minute:02d}",
        f"{at.hour:02d}{at.minute:02d}",
        f"{at.hour}.{at.minute:02d}",
        f"{at.hour}h{at.minute:02d}",
    )
    return rng.choice(forms)


def hhmm(at: time) -> str:
    return at.strftime("%H:%M")


@dataclass
class Person:
    persona: Persona
    chat: Chat
    model: UserModel
    rng: random.Random
    started: bool = False
    # Reminder messages received and not reacted to yet (message ids).
    unread: list[int] = field(default_factory=list)
    # (message id, callback data) of buttons seen, for stale and forged presses.
    seen_buttons: list[tuple[int, str]] = field(default_factory=list)
    # When a blocked user writes again (simulated).
    unblock_at: datetime | None = None

    @property
    def id(self) -> int:
        return self.persona.user_id


class Behaviour:
    def __init__(
        self,
        journal: Journal,
        zone_choices: tuple[Zone, ...],
        maybe_twice: Callable[[int], bool],
    ) -> None:
        self.journal = journal
        self.zones = zone_choices
        self.maybe_twice = maybe_twice
        # Called when an action leaves some of the user's reminders in doubt (lost in a
        # kill): (person, from, until, why); the invariants treat them as optional.
        self.on_doubt: Callable[[Person, datetime, datetime, str], None] = lambda *_: None

    # ------------------------------------------------------------ one step of one person

    async def act(self, person: Person, now: datetime, *, up: bool) -> None:
        """Whatever this person does at `now` (maybe nothing). `up`: some instance runs."""
        if not up:
            return
        rng = person.rng
        if not person.started:
            await self.onboard(person, now)
            return
        if person.model.blocked:
            if person.unblock_at is not None and now >= person.unblock_at:
                await self.unblock(person, now)
            return
        if person.unread:
            message_id = person.unread[-1]
            person.unread.clear()
            if rng.random() < person.persona.reactivity:
                await self.react(person, now, message_id)
                return
        if rng.random() < person.persona.activity:
            await self.session(person, now)

    # ------------------------------------------------------------ talking, with retries

    def _note(self, person: Person, exchange: Exchange) -> None:
        for message in exchange.current.values():
            for button in message.flat_buttons:
                if button.callback_data:
                    person.seen_buttons.append((message.message_id, button.callback_data))
        del person.seen_buttons[:-60]

    async def send(self, person: Person, now: datetime, text: str) -> Exchange:
        """Send `text`; again (up to RETRIES times) while it is lost in a kill."""
        if person.model.blocked:
            # Telegram's "Restart": writing to a blocked bot unblocks it first.
            person.model.blocked = False
            person.model.note(now, "unblocked by writing")
            self.journal.count("unblocks")
        for attempt in range(RETRIES):
            exchange = await person.chat.send(text)
            self.journal.count("updates sent", len(exchange.update_ids))
            self._note(person, exchange)
            if exchange.handled:
                return exchange
            self._unanswered(person, now, exchange)
            self.journal.count("commands sent again after a kill")
            if attempt == RETRIES - 1:
                return exchange
        raise AssertionError("unreachable")

    async def press(self, person: Person, now: datetime, message_id: int, data: str) -> Exchange:
        exchange = await person.chat.press(message_id, data)
        self.journal.count("updates sent", len(exchange.update_ids))
        self.journal.count("button presses")
        self._note(person, exchange)
        if not exchange.handled:
            self._unanswered(person, now, exchange)
        return exchange

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

    def _replies(self, exchange: Exchange) -> list[Reply]:
        replies = [reply for html in exchange.htmls if (reply := classify(html)) is not None]
        if exchange.answer is not None and exchange.answer.text:
            reply = classify(exchange.answer.text)
            if reply is not None:
                replies.append(reply)
        return replies

    def judge(
        self, person: Person, now: datetime, exchange: Exchange, expected: str | None
    ) -> Reply | None:
        """The bot's answer among the known texts; a finding when it is not `expected`."""
        replies = self._replies(exchange)
        got = replies[0] if replies else None
        if expected is not None and exchange.handled and (got is None or got.key != expected):
            model = person.model
            local = model.local(now)
            seen = got.key if got else (exchange.htmls[:1] or ["(no message)"])[0][:120]
            self.journal.find(
                "answer",
                person.id,
                now,
                f"{exchange.what} at {local:%Y-%m-%d %H:%M} local ({model.zone}): expected "
                f"{expected}, got {seen}; the model had reminders "
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
        """Ask the bot what it holds (/remind, /timezone, /quiet) and take that in."""
        self.journal.count("re-syncs after a lost or failed update")
        model = person.model
        for text in ("/timezone", "/remind", "/quiet"):
            exchange = await self.send(person, now, text)
            if not exchange.handled:
                self.on_doubt(person, now, now + timedelta(hours=26), f"{why}; {text} lost too")
                return
            got = self.judge(person, now, exchange, None)
            if got is None:
                continue
            if got.key == "timezone_current":
                self._adopt_zone(person, now, got.params["zone"])
            elif got.key == "remind_current":
                times = [time.fromisoformat(t) for t in got.params["times"].split(", ")]
                model.set_reminders(now, times)
            elif got.key == "remind_none":
                model.set_reminders(now, [])
            elif got.key == "quiet_current":
                window = got.params["window"]
                model.set_quiet(None if window == "-" else _window(window))
        model.note(now, f"re-synced ({why})")

    def _adopt_zone(self, person: Person, now: datetime, zone: str) -> None:
        try:
            zone_of(zone)
        except Exception:
            return
        person.model.set_zone(now, zone)

    # ------------------------------------------------------------ onboarding

    async def onboard(self, person: Person, now: datetime) -> None:
        rng, model = person.rng, person.model
        person.started = True
        exchange = await self.send(person, now, "/start")
        self.journal.count("users started")
        welcome = exchange
        if exchange.handled and rng.random() < 0.4:
            await self.answer_profile(person, now, exchange)
        if not (rng.random() < 0.6 and await self.tap_zone(person, now, welcome)):
            await self.set_zone(person, now, person.persona.home)
        if rng.random() < 0.7:
            # Most pick the 5-minute routine as their usual one (the one a reminder offers).
            await self.choose_routine(person, now, "quick")
        times = rng.sample(POPULAR_TIMES, rng.choice((1, 1, 2, 3)))
        if person.persona.uses_buttons:
            await self.toggle_presets(
                person, now, [t for t in times if t in PRESETS] or [PRESETS[0]]
            )
        else:
            await self.remind_set(person, now, times[0])
            for at in times[1:]:
                await self.remind_add(person, now, at)
        if rng.random() < 0.3:
            await self.quiet_set(person, now)
        model.note(now, "onboarded")

    async def answer_profile(self, person: Person, now: datetime, exchange: Exchange) -> None:
        """The safety questions after /start: answered one by one, or "Skip the rest"."""
        rng = person.rng
        skip = rng.random() < 0.6
        skip_rest = label("button_skip_rest")
        for _ in range(MAX_PROFILE_PRESSES):
            question = _last_with_button(exchange, skip_rest)
            if question is None:
                return
            if skip:
                choice = skip_rest
            else:
                texts = [b.text for b in question.flat_buttons if b.text != skip_rest]
                choice = rng.choice(texts)
            data = _data(question, choice)
            exchange = await self.press(person, now, question.message_id, data)
            if not exchange.handled:
                return
            if skip:
                again = _last_with_button(exchange, skip_rest)
                if again is not None:
                    self.journal.find(
                        "conversation",
                        person.id,
                        now,
                        f"after 'Skip the rest' the bot asked another safety question: "
                        f"{again.text[:80]!r}",
                    )
                return

    # ------------------------------------------------------------ reminders

    async def remind_set(self, person: Person, now: datetime, at: time) -> None:
        model = person.model
        expected = "remind_in_quiet_hours" if model.quiet_covers(at) else "remind_set"
        await self.command(
            person,
            now,
            f"/remind {typed_time(person.rng, at)}",
            expected,
            {"remind_set": lambda reply: model.set_reminders(now, [at])},
        )
        self.journal.count("/remind")

    async def remind_add(self, person: Person, now: datetime, at: time) -> None:
        model = person.model
        if model.quiet_covers(at):
            expected = "remind_in_quiet_hours"
        elif at not in model.reminders and len(model.reminders) >= MAX_REMINDERS:
            expected = "reminders_limit"
        else:
            expected = "remind_added"
        await self.command(
            person,
            now,
            f"/remind add {typed_time(person.rng, at)}",
            expected,
            {"remind_added": lambda reply: model.add_reminder(now, at)},
        )
        self.journal.count("/remind add")

    async def remind_off(self, person: Person, now: datetime) -> None:
        model = person.model
        await self.command(
            person,
            now,
            person.rng.choice(("/remind off", "/remind stop", "/remind OFF")),
            "remind_off",
            {"remind_off": lambda reply: model.set_reminders(now, [])},
        )
        self.journal.count("/remind off")

    async def remind_show(self, person: Person, now: datetime) -> None:
        """/remind: what the bot holds must be what the user set."""
        model = person.model
        expected = "remind_current" if model.reminders else "remind_none"
        got = await self.command(person, now, "/remind", expected, {})
        if got is None or got.key not in ("remind_current", "remind_none"):
            return
        shown = got.params.get("times", "")
        wanted = ", ".join(hhmm(t) for t in sorted(model.reminders))
        if got.params.get("zone") != model.zone or (
            got.key == "remind_current" and shown != wanted
        ):
            self.journal.find(
                "answer",
                person.id,
                now,
                f"/remind shows {shown or 'none'} ({got.params.get('zone')}); the user set "
                f"{wanted or 'none'} ({model.zone})",
            )
            await self.resync(person, now, "/remind showed something else")

    async def choose_routine(self, person: Person, now: datetime, routine_id: str) -> None:
        exchange = await self.send(person, now, "/settings")
        self.journal.count("/settings")
        title = routine_title(routine_id)
        view = _last_with_button(exchange, title)
        if view is None:
            if exchange.handled:
                self.journal.find(
                    "conversation", person.id, now, f"/settings shows no {title!r} button"
                )
            return
        await self.press(person, now, view.message_id, _data(view, title))

    async def toggle_presets(self, person: Person, now: datetime, wanted: list[time]) -> None:
        """/settings, then press the preset reminder buttons in `wanted`."""
        exchange = await self.send(person, now, "/settings")
        self.journal.count("/settings")
        if not exchange.handled:
            return
        for at in wanted:
            view = _last_with_button(exchange, f"⏰ {hhmm(at)}")
            if view is None:
                self.journal.find(
                    "conversation", person.id, now, f"/settings shows no {hhmm(at)} button"
                )
                return
            exchange = await self._toggle(person, now, view, at)
            if exchange is None:
                return

    async def _toggle(self, person: Person, now: datetime, view, at: time) -> Exchange | None:
        model = person.model
        on = at not in model.reminders
        if model.quiet_covers(at):
            expected = "remind_in_quiet_hours"
        elif on and len(model.reminders) >= MAX_REMINDERS:
            expected = "reminders_limit"
        else:
            expected = "settings_saved"
        data = _data(view, f"⏰ {hhmm(at)}")
        exchange = await self.press(person, now, view.message_id, data)
        self.journal.count("reminder toggles")
        if not exchange.handled or self.doubled(exchange):
            await self.resync(person, now, "a reminder toggle was lost or handled twice")
            return None
        got = self.judge(person, now, exchange, expected)
        if got is not None and got.key == "settings_saved":
            if on:
                model.add_reminder(now, at)
            else:
                model.remove_reminder(now, at)
            model.note(now, f"toggled {hhmm(at)} {'on' if on else 'off'}")
        # The settings message is edited in place: press on it again.
        exchange.current[view.message_id] = person.chat.message(view.message_id) or view
        return exchange

    def doubled(self, exchange: Exchange) -> bool:
        """Whether an instance that died may have handled this update before another did."""
        return any(self.maybe_twice(update_id) for update_id in exchange.update_ids)

    # ------------------------------------------------------------ zones and quiet hours

    async def set_zone(self, person: Person, now: datetime, zone: Zone) -> None:
        model = person.model
        before = model.zone
        typed = zone.typed
        if not zone.is_offset and person.rng.random() < 0.2:
            typed = typed.upper() if person.rng.random() < 0.5 else typed.lower()
        got = await self.command(
            person,
            now,
            f"/timezone {typed}",
            "timezone_set",
            {"timezone_set": lambda reply: self._adopt_zone(person, now, reply.params["zone"])},
        )
        if got is not None and got.key == "timezone_set":
            if got.params.get("zone") != zone.name:
                self.journal.find(
                    "answer",
                    person.id,
                    now,
                    f"/timezone {typed}: the bot named it "
                    f"{got.params.get('zone')}, expected {zone.name}",
                )
            self.journal.count("zone changes")
            self.journal.count(
                "zone changes to a fixed offset"
                if zone.is_offset
                else "zone changes to a named zone"
            )
            old = next((z for z in self.zones if z.name == before), None)
            if old is not None and (
                (old.far_east and zone.far_west) or (old.far_west and zone.far_east)
            ):
                self.journal.count("zone changes across the date line")

    async def tap_zone(self, person: Person, now: datetime, welcome: Exchange) -> bool:
        """Press the home zone among the welcome's zone buttons, if it is one of them."""
        home = person.persona.home
        text = home.name.split("/")[-1].replace("_", " ")
        message = _last_with_button(welcome, text) if "/" in home.name else None
        if message is None:
            return False
        model = person.model
        exchange = await self.press(person, now, message.message_id, _data(message, text))
        self.journal.count("zone buttons pressed")
        if not exchange.handled:
            await self.resync(person, now, "a zone button press was lost")
            return True
        got = self.judge(person, now, exchange, "timezone_set")
        if got is not None and got.key == "timezone_set":
            self._adopt_zone(person, now, got.params["zone"])
            model.note(now, f"pressed the zone button {text} -> {got.params['zone']}")
            self.journal.count("zone changes")
            self.journal.count("zone changes to a named zone")
        return True

    async def travel(self, person: Person, now: datetime) -> None:
        rng, model = person.rng, person.model
        current = next((z for z in self.zones if z.name == model.zone), None)
        if person.persona.date_line_traveller and current is not None:
            side = [z for z in self.zones if (z.far_west if current.far_east else z.far_east)]
            zone = rng.choice(side or list(self.zones))
        else:
            zone = rng.choice([z for z in self.zones if z.name != model.zone] or list(self.zones))
        await self.set_zone(person, now, zone)

    async def quiet_set(self, person: Person, now: datetime) -> None:
        model = person.model
        typed = person.rng.choice(QUIET_WINDOWS)
        window = _window(typed)
        inside = [t for t in model.reminders if _covers(window, t)]
        expected = "quiet_conflict" if inside else "quiet_set"
        await self.command(
            person,
            now,
            f"/quiet {typed}",
            expected,
            {"quiet_set": lambda reply: model.set_quiet(window)},
        )
        self.journal.count("/quiet")

    async def quiet_off(self, person: Person, now: datetime) -> None:
        model = person.model
        await self.command(
            person, now, "/quiet off", "quiet_off", {"quiet_off": lambda r: model.set_quiet(None)}
        )
        self.journal.count("/quiet off")

    # ------------------------------------------------------------ reacting to a reminder

    async def react(self, person: Person, now: datetime, message_id: int) -> None:
        rng = person.rng
        message = person.chat.message(message_id)
        if message is None or not message.flat_buttons:
            return
        roll = rng.random()
        if roll < 0.08:
            data = _data(message, label("button_checkin_no"))
            exchange = await self.press(person, now, message_id, data)
            await self.walk(person, now, exchange)
        elif roll < 0.5:
            minutes = 30 if roll < 0.35 else 60
            await self.snooze(person, now, message, minutes)
        elif roll < 0.65:
            await self.skip_today(person, now, message)
        elif roll < 0.68:
            cause = rng.choice(("flight", "party"))
            exchange = await self.press(
                person, now, message_id, _data(message, label(f"button_cause_{cause}"))
            )
            await self.walk(person, now, exchange)
        self.journal.count("reactions to a reminder")

    async def snooze(self, person: Person, now: datetime, message, minutes: int) -> None:
        model = person.model
        data = _data(message, label(f"button_snooze_{minutes}"))
        exchange = await self.press(person, now, message.message_id, data)
        self.journal.count("snoozes")
        if not exchange.handled or self.doubled(exchange):
            due = now + timedelta(minutes=minutes)
            self.on_doubt(
                person, due - timedelta(minutes=1), due + timedelta(hours=13), "snooze lost"
            )
            return
        due = now + timedelta(minutes=minutes)
        expected_time = due.astimezone(model.tz).strftime("%H:%M")
        got = self.judge(person, now, exchange, "snoozed")
        if got is None or got.key != "snoozed":
            return
        if got.params.get("time") != expected_time:
            self.journal.find(
                "answer",
                person.id,
                now,
                f"snoozed {minutes} min at {model.local(now):%H:%M} local ({model.zone}): the bot "
                f"says {got.params.get('time')}, expected {expected_time}",
            )
        model.snooze(now, minutes)
        model.note(now, f"snoozed {minutes} min")
        if person.rng.random() < 0.15:
            # A second tap on the same button, after the bot removed it: changes nothing.
            again = await self.press(person, now, message.message_id, data)
            self.journal.count("presses of a removed button")
            if not again.handled:
                self.on_doubt(person, due, due + timedelta(hours=13), "second snooze tap lost")

    async def skip_today(self, person: Person, now: datetime, message) -> None:
        model = person.model
        exchange = await self.press(
            person, now, message.message_id, _data(message, label("button_skip_today"))
        )
        self.journal.count("skip today")
        if not exchange.handled:
            local = model.local(now)
            end = datetime.combine(local.date() + timedelta(days=1), time(0), local.tzinfo)
            self.on_doubt(person, now, end + timedelta(hours=1), "skip today lost")
            return
        got = self.judge(person, now, exchange, "skipped_today")
        if got is not None and got.key == "skipped_today":
            model.skip_today(now)
            model.note(now, "skip today")

    # ------------------------------------------------------------ routines

    async def walk(self, person: Person, now: datetime, exchange: Exchange) -> str:
        """Follow a routine's buttons to its end, like a user who mostly presses on; returns
        how it ended ("done", "abandoned", "stopped", "stuck")."""
        rng = person.rng
        order = [
            label("button_done"),
            label("button_next"),
            label("button_resume"),
            label("button_continue"),
            label("button_redflag_none"),
            label("button_stop_clear"),
            label("button_start"),
            label("button_checkin_no"),
            label("button_rating_skip"),
        ]
        ratings = [str(n) for n in range(11)]
        last_step: tuple[int, str] | None = None
        for _ in range(MAX_ROUTINE_PRESSES):
            if any(
                find(html, "routine_recorded", "routine_already_recorded")
                for html in exchange.htmls
            ):
                self.journal.count("routines completed")
                after = _last_with_button(exchange, "5")
                if after is not None and rng.random() < 0.6:
                    await self.press(
                        person, now, after.message_id, _data(after, rng.choice(ratings))
                    )
                return "done"
            if not exchange.handled:
                exchange = await self.send(person, now, "/routine")
                continue
            target = None
            for text in order:
                target = _last_with_button(exchange, text)
                if target is not None:
                    break
            if target is None:
                rating = _last_with_button(exchange, "5")
                if rating is None:
                    return "stuck"
                text = rng.choice(ratings)
                target = rating
            if text == label("button_next") and rng.random() < 0.03:
                return "abandoned"
            data = _data(target, text)
            if last_step is not None and rng.random() < 0.02:
                # An old step's button pressed again: a polite answer, nothing changes.
                stale = await self.press(person, now, *last_step)
                self.journal.count("stale presses")
                self.judge(person, now, stale, "press_stale" if stale.handled else None)
            if text in (label("button_next"), label("button_done")):
                last_step = (target.message_id, data)
            exchange = await self.press(person, now, target.message_id, data)
            exchange.current.setdefault(
                target.message_id, person.chat.message(target.message_id) or target
            )
        self.journal.find("conversation", person.id, now, "a routine did not end within the bound")
        return "stuck"

    # ------------------------------------------------------------ everything else

    async def session(self, person: Person, now: datetime) -> None:
        rng, model = person.rng, person.model
        actions: list[tuple[float, Callable[[], Awaitable[object]]]] = [
            (3, lambda: self._routine(person, now)),
            (6, lambda: self.remind_set(person, now, self._time(person))),
            (5, lambda: self.remind_add(person, now, self._time(person))),
            (1.5, lambda: self.remind_off(person, now)),
            (4, lambda: self.remind_show(person, now)),
            (
                6 if person.persona.uses_buttons else 2,
                lambda: self.toggle_presets(person, now, [rng.choice(PRESETS)]),
            ),
            (8 if person.persona.date_line_traveller else 4, lambda: self.travel(person, now)),
            (2, lambda: self.command(person, now, "/timezone", "timezone_current", {})),
            (3, lambda: self.quiet_set(person, now)),
            (1.5, lambda: self.quiet_off(person, now)),
            (3, lambda: self._streak(person, now)),
            (1.5, lambda: self.send(person, now, "/progress")),
            (3, lambda: self._depuff(person, now)),
            (2, lambda: self.send(person, now, rng.choice(("/help", "/safety", "/profile")))),
            (
                0.7,
                lambda: self.send(
                    person, now, f"/daystart {rng.choice(('04:00', '05:30', '0:00', '6'))}"
                ),
            ),
            (
                0.7,
                lambda: self.send(
                    person,
                    now,
                    rng.choice(("/flight now", "/flight 18:30", "/flight 7:00 Asia/Tokyo")),
                ),
            ),
            (8, lambda: self._bad_input(person, now)),
            (2, lambda: self._forged_press(person, now)),
            (1.2, lambda: self.block(person, now)),
        ]
        weights = [w for w, _ in actions]
        _, action = rng.choices(actions, weights)[0]
        await action()
        del model  # the actions above update it

    def _time(self, person: Person) -> time:
        rng = person.rng
        return rng.choice(POPULAR_TIMES) if rng.random() < 0.5 else any_quarter_hour(rng)

    async def _routine(self, person: Person, now: datetime) -> None:
        text = "/routine" if person.rng.random() < 0.4 else "/routine quick"
        exchange = await self.send(person, now, text)
        self.journal.count("/routine")
        await self.walk(person, now, exchange)

    async def _depuff(self, person: Person, now: datetime) -> None:
        rng = person.rng
        exchange = await self.send(
            person, now, rng.choice(("/depuff", "/depuff flight", "/depuff party"))
        )
        self.journal.count("/depuff")
        cause = _last_with_button(exchange, label("button_cause_flight"))
        if cause is not None:
            text = label(f"button_cause_{rng.choice(('flight', 'party'))}")
            exchange = await self.press(person, now, cause.message_id, _data(cause, text))
            exchange.current.setdefault(cause.message_id, cause)
        await self.walk(person, now, exchange)

    async def _streak(self, person: Person, now: datetime) -> None:
        exchange = await self.send(person, now, "/streak")
        self.journal.count("/streak")
        yesterday = _last_with_button(exchange, label("button_log_yesterday"))
        if yesterday is not None and person.rng.random() < 0.4:
            data = _data(yesterday, label("button_log_yesterday"))
            await self.press(person, now, yesterday.message_id, data)
            self.journal.count("'I did it yesterday'")

    async def _bad_input(self, person: Person, now: datetime) -> None:
        rng = person.rng
        self.journal.count("bad inputs")
        roll = rng.random()
        if roll < 0.1:
            await self.send(
                person,
                now,
                "".join(rng.choices(string.printable, k=rng.randint(1, 300))).strip() or "?",
            )
            return
        if roll < 0.15:
            exchange = await person.chat._act(
                "send a sticker", lambda: person.chat.user.send_sticker()
            )
            self.journal.count("updates sent", len(exchange.update_ids))
            return
        text, expected = rng.choice(BAD_COMMANDS)
        got = await self.command(person, now, text, expected, {})
        if got is not None and got.key == "timezone_set" and expected == "timezone_invalid":
            # The bot took nonsense for a zone: the user, told so, puts theirs back.
            await self.command(person, now, f"/timezone {person.model.zone}", "timezone_set", {})

    async def _forged_press(self, person: Person, now: datetime) -> None:
        rng = person.rng
        if not person.seen_buttons:
            return
        message_id, data = rng.choice(person.seen_buttons)
        if person.chat.message(message_id) is None:
            return
        if rng.random() < 0.5:
            forged = "".join(
                rng.choices(string.ascii_letters + string.digits + ":|-_", k=rng.randint(1, 64))
            )
        else:
            # A real button's data with its numbers changed: another run, another step.
            forged = "".join(str(rng.randrange(10)) if c.isdigit() else c for c in data)
        decoded = decode(forged)
        if decoded is not None and not isinstance(decoded, RunPress):
            # A valid button after all (a snooze, a setting): pressing it is not forging.
            # Run presses stay: someone else's or an old run's change nothing (DESIGN).
            return
        await self.press(person, now, message_id, forged)
        self.journal.count("forged button data")

    async def block(self, person: Person, now: datetime) -> None:
        exchange = await person.chat.block()
        self.journal.count("updates sent", len(exchange.update_ids))
        self.journal.count("blocks")
        person.model.blocked = True
        person.model.note(now, "blocked the bot")
        person.unblock_at = now + timedelta(hours=person.rng.uniform(3, 40))

    async def unblock(self, person: Person, now: datetime) -> None:
        person.unblock_at = None
        if person.rng.random() < 0.5:
            exchange = await person.chat.unblock()
            self.journal.count("updates sent", len(exchange.update_ids))
            self.journal.count("unblocks")
            person.model.blocked = False
            person.model.note(now, "unblocked the bot")
            if not exchange.handled:
                # The bot may still think it blocked: writing again tells it.
                await self.remind_show(person, now)
        else:
            await self.remind_show(person, now)


def _window(text: str) -> tuple[time, time]:
    start, end = (part.strip() for part in text.split("-"))
    return _parse(start), _parse(end)


def _parse(text: str) -> time:
    hour, _, minute = text.partition(":")
    return time(int(hour), int(minute or 0))


def _covers(window: tuple[time, time], at: time) -> bool:
    return in_window(at, window)


def _last_with_button(exchange: Exchange, text: str):
    """The newest message of the exchange with a button labelled `text`."""
    for message in sorted(exchange.current.values(), key=lambda m: m.message_id, reverse=True):
        if any(button.text == text for button in message.flat_buttons):
            return message
    return None


def _data(message, text: str) -> str:
    for button in message.flat_buttons:
        if button.text == text and button.callback_data:
            return button.callback_data
    raise LookupError(f"no button {text!r} on message {message.message_id}")
