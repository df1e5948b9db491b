"""The actions that decide when a user's reminders come, each with the answer the documented
rules give for it (see talk.py): /remind and its forms, the /settings reminder buttons,
/timezone and the zone buttons, /quiet, and a reminder's snooze and "skip today" buttons."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from emulator import ChatMessage
from tests.soak.chat import Exchange
from tests.soak.model import in_window
from tests.soak.person import (
    Person,
    button_data,
    hhmm,
    label,
    last_with_button,
    parse_window,
    typed_time,
)
from tests.soak.population import QUIET_WINDOWS, Zone
from tests.soak.replies import classify
from tests.soak.talk import Talk

PRESETS = (time(7, 30), time(12, 30), time(21, 0))
MAX_REMINDERS = 3
# A lost snooze may come, or not, within this long after it was due (quiet hours hold it).
SNOOZE_DOUBT = timedelta(hours=13)


# /remind's question when other reminders are set, and the answer each of its buttons gives.
ASKED = frozenset({"remind_ask", "remind_ask_full", "remind_ask_only"})
CHOICES = (
    ("Replace all with", "remind_replaced"),
    ("Keep only", "remind_replaced"),
    ("Add ", "remind_added"),
    ("Keep as they are", "remind_kept"),
)


class Scheduling:
    def __init__(self, talk: Talk, zones: tuple[Zone, ...]) -> None:
        self.talk = talk
        self.journal = talk.journal
        self.zones = zones

    # ------------------------------------------------------------ /remind

    async def remind_set(self, person: Person, now: datetime, at: time) -> None:
        """/remind HH:MM: set at once when it is the only time; with others set, the bot asks
        first (README: replace them all, add it, or keep them) and the user picks a button."""
        model = person.model
        others = [t for t in model.reminders if t != at]
        if model.quiet_covers(at):
            expected = "remind_in_quiet_hours"
        elif not others:
            expected = "remind_set"
        elif at in model.reminders:
            expected = "remind_ask_only"
        elif len(model.reminders) >= MAX_REMINDERS:
            expected = "remind_ask_full"
        else:
            expected = "remind_ask"
        text = f"/remind {typed_time(person.rng, at)}"
        self.journal.count("/remind")
        exchange = await self.talk.send(person, now, text)
        if not exchange.handled:
            await self.talk.resync(person, now, f"{text!r} got no answer")
            return
        got = self.talk.judge(person, now, exchange, expected)
        if got is None:
            return
        if got.key == "remind_set":
            model.set_reminders(now, [at])
            model.note(now, f"{text} -> remind_set")
            return
        if got.key not in ASKED:
            if got.key == "error_generic":
                await self.talk.resync(person, now, f"{text!r} failed")
            return
        question = next(
            (m for m in exchange.current.values() if m.flat_buttons and classify(m.html)), None
        )
        if question is None:
            return
        button = person.rng.choice(question.flat_buttons)
        choice = next(
            (key for prefix, key in CHOICES if button.text.startswith(prefix)), "remind_kept"
        )
        self.journal.count(f"/remind then {button.text.split(' ')[0].lower()}")
        answered = await self.talk.press(person, now, question.message_id, button.callback_data)
        if not answered.handled:
            await self.talk.resync(person, now, f"{text!r}: the choice got no answer")
            return
        shown = person.chat.message(question.message_id)  # the answer replaces the question
        reply = classify(shown.html) if shown is not None else None
        if reply is None or reply.key not in (choice, "remind_set"):
            self.journal.find(
                "answer",
                person.id,
                now,
                f"{text} then {button.text!r}: expected {choice}, got "
                f"{reply.key if reply else (shown.html[:120] if shown else '(nothing)')}",
            )
            await self.talk.resync(person, now, "the /remind choice showed something else")
            return
        if reply.key in ("remind_replaced", "remind_set"):
            model.set_reminders(now, [at])
        elif reply.key == "remind_added":
            model.add_reminder(now, at)
        model.note(now, f"{text} -> {button.text} -> {reply.key}")

    async def remind_add(self, person: Person, now: datetime, at: time) -> None:
        model = person.model
        if model.quiet_covers(at):
            expected = "remind_in_quiet_hours"
        elif at not in model.reminders and len(model.reminders) >= MAX_REMINDERS:
            expected = "reminders_limit"
        else:
            expected = "remind_added"
        await self.talk.command(
            person,
            now,
            f"/remind add {typed_time(person.rng, at)}",
            expected,
            {"remind_added": lambda reply: model.add_reminder(now, at)},
        )
        self.journal.count("/remind add")

    async def remind_off(self, person: Person, now: datetime) -> None:
        model = person.model
        await self.talk.command(
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
        got = await self.talk.command(person, now, "/remind", expected, {})
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
            await self.talk.resync(person, now, "/remind showed something else")

    # ------------------------------------------------------------ /settings buttons

    async def toggle_presets(self, person: Person, now: datetime, wanted: list[time]) -> None:
        """/settings, then press the preset reminder buttons in `wanted`."""
        exchange = await self.talk.send(person, now, "/settings")
        self.journal.count("/settings")
        if not exchange.handled:
            return
        for at in dict.fromkeys(wanted):
            view = last_with_button(exchange, _preset(at, True)) or last_with_button(
                exchange, _preset(at, False)
            )
            if view is None:
                self.journal.find(
                    "conversation", person.id, now, f"/settings shows no {hhmm(at)} button"
                )
                return
            toggled = await self._toggle(person, now, view, at)
            if toggled is None:
                return
            exchange = toggled

    async def _toggle(
        self, person: Person, now: datetime, view: ChatMessage, at: time
    ) -> Exchange | None:
        model = person.model
        on = at not in model.reminders
        shown_on = any(button.text == _preset(at, True) for button in view.flat_buttons)
        if shown_on == on:
            self.journal.find(
                "answer",
                person.id,
                now,
                f"/settings shows {hhmm(at)} {'on' if shown_on else 'off'}; the user set "
                f"{[hhmm(t) for t in sorted(model.reminders)]}",
            )
            await self.talk.resync(person, now, "/settings showed something else")
            return None
        if model.quiet_covers(at):
            expected = "remind_in_quiet_hours"
        elif on and len(model.reminders) >= MAX_REMINDERS:
            expected = "reminders_limit"
        else:
            expected = "settings_saved"
        data = button_data(view, _preset(at, not on))
        exchange = await self.talk.press(person, now, view.message_id, data)
        self.journal.count("reminder toggles")
        if not exchange.handled or self.talk.doubled(exchange):
            await self.talk.resync(person, now, "a reminder toggle was lost or handled twice")
            return None
        got = self.talk.judge(person, now, exchange, expected)
        if got is not None and got.key == "settings_saved":
            if on:
                model.add_reminder(now, at)
            else:
                model.remove_reminder(now, at)
            model.note(now, f"toggled {hhmm(at)} {'on' if on else 'off'}")
        # The settings message is edited in place: the next press is on it again.
        exchange.current[view.message_id] = person.chat.message(view.message_id) or view
        return exchange

    # ------------------------------------------------------------ zones

    async def set_zone(self, person: Person, now: datetime, zone: Zone) -> None:
        model = person.model
        before = model.zone
        typed = zone.typed
        if not zone.is_offset and person.rng.random() < 0.2:
            typed = typed.upper() if person.rng.random() < 0.5 else typed.lower()
        got = await self.talk.command(
            person,
            now,
            f"/timezone {typed}",
            "timezone_set",
            {"timezone_set": lambda reply: self.talk.adopt_zone(person, now, reply.params["zone"])},
        )
        if got is None or got.key != "timezone_set":
            return
        if got.params.get("zone") != zone.name:
            self.journal.find(
                "answer",
                person.id,
                now,
                f"/timezone {typed}: the bot named it {got.params.get('zone')}, "
                f"expected {zone.name}",
            )
        self._count_zone_change(before, zone)

    async def tap_zone(self, person: Person, now: datetime, welcome: Exchange) -> bool:
        """Press the home zone among the welcome's zone buttons, if it is one of them."""
        home = person.persona.home
        text = home.name.split("/")[-1].replace("_", " ")
        message = last_with_button(welcome, text) if "/" in home.name else None
        if message is None:
            return False
        before = person.model.zone
        exchange = await self.talk.press(
            person, now, message.message_id, button_data(message, text)
        )
        self.journal.count("zone buttons pressed")
        if not exchange.handled:
            await self.talk.resync(person, now, "a zone button press was lost")
            return True
        got = self.talk.judge(person, now, exchange, "timezone_set")
        if got is not None and got.key == "timezone_set":
            self.talk.adopt_zone(person, now, got.params["zone"])
            person.model.note(now, f"pressed the zone button {text} -> {got.params['zone']}")
            self._count_zone_change(before, home)
        return True

    async def travel(self, person: Person, now: datetime) -> None:
        """A new zone; for a traveller across the date line, one on its other side."""
        rng, model = person.rng, person.model
        current = next((z for z in self.zones if z.name == model.zone), None)
        if person.persona.date_line_traveller and current is not None:
            side = [z for z in self.zones if (z.far_west if current.far_east else z.far_east)]
            zone = rng.choice(side or list(self.zones))
        else:
            zone = rng.choice([z for z in self.zones if z.name != model.zone] or list(self.zones))
        await self.set_zone(person, now, zone)

    def _count_zone_change(self, before: str, zone: Zone) -> None:
        self.journal.count("zone changes")
        kind = "a fixed offset" if zone.is_offset else "a named zone"
        self.journal.count(f"zone changes to {kind}")
        old = next((z for z in self.zones if z.name == before), None)
        if old is not None and (
            (old.far_east and zone.far_west) or (old.far_west and zone.far_east)
        ):
            self.journal.count("zone changes across the date line")

    # ------------------------------------------------------------ quiet hours

    async def quiet_set(self, person: Person, now: datetime) -> None:
        model = person.model
        typed = person.rng.choice(QUIET_WINDOWS)
        window = parse_window(typed)
        inside = [t for t in model.reminders if in_window(t, window)]
        await self.talk.command(
            person,
            now,
            f"/quiet {typed}",
            "quiet_conflict" if inside else "quiet_set",
            {"quiet_set": lambda reply: model.set_quiet(window)},
        )
        self.journal.count("/quiet")

    async def quiet_off(self, person: Person, now: datetime) -> None:
        model = person.model
        await self.talk.command(
            person, now, "/quiet off", "quiet_off", {"quiet_off": lambda r: model.set_quiet(None)}
        )
        self.journal.count("/quiet off")

    # ------------------------------------------------------------ a reminder's buttons

    async def snooze(self, person: Person, now: datetime, message: ChatMessage, minutes: int):
        model = person.model
        due = now + timedelta(minutes=minutes)
        data = button_data(message, label(f"button_snooze_{minutes}"))
        exchange = await self.talk.press(person, now, message.message_id, data)
        self.journal.count("snoozes")
        if not exchange.handled or self.talk.doubled(exchange):
            start = due - timedelta(minutes=1)
            self.talk.on_doubt(person, start, due + SNOOZE_DOUBT, "snooze lost")
            return
        got = self.talk.judge(person, now, exchange, "snoozed")
        if got is None or got.key != "snoozed":
            return
        expected_time = due.astimezone(model.tz).strftime("%H:%M")
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
            # A second tap on the same button after the bot removed it: changes nothing.
            again = await self.talk.press(person, now, message.message_id, data)
            self.journal.count("presses of a removed button")
            if not again.handled:
                self.talk.on_doubt(person, due, due + SNOOZE_DOUBT, "second snooze tap lost")

    async def skip_today(self, person: Person, now: datetime, message: ChatMessage) -> None:
        model = person.model
        data = button_data(message, label("button_skip_today"))
        exchange = await self.talk.press(person, now, message.message_id, data)
        self.journal.count("skip today")
        if not exchange.handled:
            local = model.local(now)
            end = datetime.combine(local.date() + timedelta(days=1), time(0), local.tzinfo)
            self.talk.on_doubt(person, now, end + timedelta(hours=1), "skip today lost")
            return
        got = self.talk.judge(person, now, exchange, "skipped_today")
        if got is not None and got.key == "skipped_today":
            model.skip_today(now)
            model.note(now, "skip today")


def _preset(at: time, chosen: bool) -> str:
    """A reminder preset's button in /settings: "⏰ 07:30", ticked when it is on."""
    return f"✓ ⏰ {hhmm(at)}" if chosen else f"⏰ {hhmm(at)}"
