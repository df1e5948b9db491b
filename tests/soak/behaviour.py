"""Who does what, and when: each simulated user's choices at each step.

A newcomer starts (/start, the safety questions, a zone, reminders, maybe quiet hours); a user
who just got a reminder may react to it (the routine it offers, snooze, skip today, a
de-puffing); otherwise, now and then, a user does something on their own, drawn with weights:
routines, reminders and zones (checked against the model, see scheduling.py), pictures, bad
input, forged button data, blocking the bot. A blocked user writes again some hours later.
"""

from __future__ import annotations

import re
import string
from collections.abc import Awaitable, Callable
from datetime import datetime, time, timedelta

from bot.telegram.callback_data import RunPress, decode
from tests.soak.journal import Journal
from tests.soak.person import Person, button_data, label, last_with_button, routine_title
from tests.soak.population import POPULAR_TIMES, Zone, any_quarter_hour
from tests.soak.replies import find
from tests.soak.scheduling import PRESETS, Scheduling
from tests.soak.talk import Talk
from tests.soak.walks import answer_profile, walk

# Bad input, with the answer the bot documents for it (None: any polite answer).
BAD_COMMANDS = (
    ("/timezone 12", "timezone_no_sign"),
    ("/timezone 0730", "timezone_no_sign"),
    ("/timezone a5", "timezone_invalid"),
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
BLOCKED_FOR_HOURS = (3, 40)


class Behaviour:
    def __init__(
        self, journal: Journal, zones: tuple[Zone, ...], maybe_twice: Callable[[int], bool]
    ) -> None:
        self.journal = journal
        self.talk = Talk(journal, maybe_twice)
        self.plan = Scheduling(self.talk, zones)

    async def act(self, person: Person, now: datetime, *, up: bool) -> None:
        """Whatever this person does at `now` (maybe nothing). `up`: some instance runs."""
        if not up:
            return
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
            if person.rng.random() < person.persona.reactivity:
                await self.react(person, now, message_id)
                return
        if person.rng.random() < person.persona.activity:
            await self.session(person, now)

    # ------------------------------------------------------------ the first day

    async def onboard(self, person: Person, now: datetime) -> None:
        rng, plan = person.rng, self.plan
        person.started = True
        welcome = await self.talk.send(person, now, "/start")
        self.journal.count("users started")
        if welcome.handled and rng.random() < 0.4:
            await answer_profile(self.talk, person, now, welcome)
        if not (rng.random() < 0.6 and await plan.tap_zone(person, now, welcome)):
            await plan.set_zone(person, now, person.persona.home)
        if rng.random() < 0.7:
            # Most pick the 5-minute routine as their usual one (the one a reminder offers).
            await self.choose_routine(person, now, "quick")
        times = list(dict.fromkeys(rng.choices(POPULAR_TIMES, k=rng.choice((1, 1, 2, 3)))))
        if person.persona.uses_buttons:
            presets = [t for t in times if t in PRESETS] or [PRESETS[0]]
            await plan.toggle_presets(person, now, presets)
        else:
            await plan.remind_set(person, now, times[0])
            for at in times[1:]:
                await plan.remind_add(person, now, at)
        if rng.random() < 0.3:
            await plan.quiet_set(person, now)
        person.model.note(now, "onboarded")

    async def choose_routine(self, person: Person, now: datetime, routine_id: str) -> None:
        exchange = await self.talk.send(person, now, "/settings")
        self.journal.count("/settings")
        title = routine_title(routine_id)
        view = last_with_button(exchange, title)
        if view is None:
            if exchange.handled:
                self.journal.find(
                    "conversation", person.id, now, f"/settings shows no {title!r} button"
                )
            return
        await self.talk.press(person, now, view.message_id, button_data(view, title))

    # ------------------------------------------------------------ a reminder just came

    async def react(self, person: Person, now: datetime, message_id: int) -> None:
        rng = person.rng
        message = person.chat.message(message_id)
        if message is None or not message.flat_buttons:
            return
        self.journal.count("reactions to a reminder")
        roll = rng.random()
        if roll < 0.08:
            data = button_data(message, label("button_checkin_no"))
            await walk(self.talk, person, now, await self.talk.press(person, now, message_id, data))
        elif roll < 0.5:
            await self.plan.snooze(person, now, message, 30 if roll < 0.35 else 60)
        elif roll < 0.65:
            await self.plan.skip_today(person, now, message)
        elif roll < 0.68:
            cause = label(f"button_cause_{rng.choice(('flight', 'party'))}")
            data = button_data(message, cause)
            await walk(self.talk, person, now, await self.talk.press(person, now, message_id, data))

    # ------------------------------------------------------------ on their own

    async def session(self, person: Person, now: datetime) -> None:
        rng, talk, plan = person.rng, self.talk, self.plan
        persona = person.persona
        actions: list[tuple[float, Callable[[], Awaitable[object]]]] = [
            (3, lambda: self.routine(person, now)),
            (6, lambda: plan.remind_set(person, now, self._time(person))),
            (5, lambda: plan.remind_add(person, now, self._time(person))),
            (1.5, lambda: plan.remind_off(person, now)),
            (4, lambda: plan.remind_show(person, now)),
            (
                6 if persona.uses_buttons else 2,
                lambda: plan.toggle_presets(person, now, [rng.choice(PRESETS)]),
            ),
            (8 if persona.date_line_traveller else 4, lambda: plan.travel(person, now)),
            (2, lambda: talk.command(person, now, "/timezone", "timezone_current", {})),
            (3, lambda: plan.quiet_set(person, now)),
            (1.5, lambda: plan.quiet_off(person, now)),
            (3, lambda: self.streak(person, now)),
            (1.5, lambda: talk.send(person, now, "/progress")),
            (3, lambda: self.depuff(person, now)),
            (2, lambda: talk.send(person, now, rng.choice(("/help", "/safety", "/profile")))),
            (0.7, lambda: self.daystart(person, now)),
            (0.7, lambda: talk.send(person, now, rng.choice(FLIGHTS))),
            (8, lambda: self.bad_input(person, now)),
            (2, lambda: self.forged_press(person, now)),
            (1.2, lambda: self.block(person, now)),
        ]
        _, action = rng.choices(actions, [weight for weight, _ in actions])[0]
        await action()

    def _time(self, person: Person) -> time:
        rng = person.rng
        return rng.choice(POPULAR_TIMES) if rng.random() < 0.5 else any_quarter_hour(rng)

    async def routine(self, person: Person, now: datetime) -> None:
        text = "/routine" if person.rng.random() < 0.4 else "/routine quick"
        self.journal.count("/routine")
        await walk(self.talk, person, now, await self.talk.send(person, now, text))

    async def depuff(self, person: Person, now: datetime) -> None:
        rng = person.rng
        text = rng.choice(("/depuff", "/depuff flight", "/depuff party"))
        exchange = await self.talk.send(person, now, text)
        self.journal.count("/depuff")
        ask = last_with_button(exchange, label("button_cause_flight"))
        if ask is not None:
            cause = label(f"button_cause_{rng.choice(('flight', 'party'))}")
            exchange = await self.talk.press(person, now, ask.message_id, button_data(ask, cause))
            exchange.current.setdefault(ask.message_id, ask)
        await walk(self.talk, person, now, exchange)

    async def daystart(self, person: Person, now: datetime) -> None:
        """/daystart moves where a ritual day, and so a rest day, begins and ends."""
        exchange = await self.talk.send(person, now, f"/daystart {person.rng.choice(DAY_STARTS)}")
        model = person.model
        if not exchange.handled:
            if model.rest_days:
                until = now + timedelta(days=2)
                self.talk.on_doubt(person, now, until, "a /daystart with a rest day lost")
            return
        for html in exchange.htmls:
            if find(html, "daystart_set"):
                match = re.search(r"<b>(\d\d):(\d\d)</b>", html)
                if match:
                    model.day_start = time(int(match[1]), int(match[2]))
                    model.note(now, f"day starts at {match[1]}:{match[2]}")

    async def streak(self, person: Person, now: datetime) -> None:
        exchange = await self.talk.send(person, now, "/streak")
        self.journal.count("/streak")
        yesterday = label("button_log_yesterday")
        card = last_with_button(exchange, yesterday)
        if card is not None and person.rng.random() < 0.4:
            await self.talk.press(person, now, card.message_id, button_data(card, yesterday))
            self.journal.count("'I did it yesterday'")

    async def bad_input(self, person: Person, now: datetime) -> None:
        rng = person.rng
        self.journal.count("bad inputs")
        roll = rng.random()
        if roll < 0.1:
            noise = "".join(rng.choices(string.printable, k=rng.randint(1, 300))).strip()
            await self.talk.send(person, now, noise or "?")
            return
        if roll < 0.15:
            await self.talk.send_sticker(person, now)
            return
        text, expected = rng.choice(BAD_COMMANDS)
        got = await self.talk.command(person, now, text, expected, {})
        if got is not None and got.key == "timezone_set" and expected == "timezone_invalid":
            # The bot took nonsense for a zone: the user, told so, puts theirs back.
            back = f"/timezone {person.model.zone}"
            await self.talk.command(person, now, back, "timezone_set", {})

    async def forged_press(self, person: Person, now: datetime) -> None:
        rng = person.rng
        if not person.seen_buttons:
            return
        message_id, data = rng.choice(person.seen_buttons)
        if person.chat.message(message_id) is None:
            return
        if rng.random() < 0.5:
            alphabet = string.ascii_letters + string.digits + ":|-_"
            forged = "".join(rng.choices(alphabet, k=rng.randint(1, 64)))
        else:
            # A real button's data with its numbers changed: another run, another step.
            forged = "".join(str(rng.randrange(10)) if c.isdigit() else c for c in data)
        decoded = decode(forged)
        if decoded is not None and not isinstance(decoded, RunPress):
            # A valid button after all (a snooze, a setting): pressing it is not forging.
            # Run presses stay: someone else's or an old run's change nothing (DESIGN).
            return
        await self.talk.press(person, now, message_id, forged)
        self.journal.count("forged button data")

    async def block(self, person: Person, now: datetime) -> None:
        exchange = await person.chat.block()
        self.journal.count("updates sent", len(exchange.update_ids))
        self.journal.count("blocks")
        person.model.blocked = True
        person.model.note(now, "blocked the bot")
        person.unblock_at = now + timedelta(hours=person.rng.uniform(*BLOCKED_FOR_HOURS))

    async def unblock(self, person: Person, now: datetime) -> None:
        """Unblock, or just write (which unblocks too); either way the bot hears of it."""
        person.unblock_at = None
        if person.rng.random() < 0.5:
            exchange = await person.chat.unblock()
            self.journal.count("updates sent", len(exchange.update_ids))
            self.journal.count("unblocks")
            person.model.blocked = False
            person.model.note(now, "unblocked the bot")
            if exchange.handled:
                return
            # Lost in a kill: the bot may still think it is blocked; writing tells it.
        await self.plan.remind_show(person, now)


DAY_STARTS = ("04:00", "05:30", "0:00", "6")
FLIGHTS = ("/flight now", "/flight 18:30", "/flight 7:00 Asia/Tokyo")
