"""Conversations that follow the bot's buttons: a routine to its end, the safety questions."""

from __future__ import annotations

from datetime import datetime

from tests.soak.chat import Exchange
from tests.soak.person import Person, button_data, label, last_with_button
from tests.soak.replies import find
from tests.soak.talk import Talk

# Bounds on one conversation: presses in a routine, answers in the safety questions.
MAX_ROUTINE_PRESSES = 40
MAX_PROFILE_PRESSES = 10
RATINGS = [str(n) for n in range(11)]


def _on_the_way() -> list[str]:
    """The buttons a user presses to get through a routine, the most advanced first."""
    keys = (
        "button_done",
        "button_next",
        "button_resume",
        "button_continue",
        "button_redflag_none",
        "button_stop_clear",
        "button_start",
        "button_checkin_no",
        "button_rating_skip",
    )
    return [label(key) for key in keys]


async def walk(talk: Talk, person: Person, now: datetime, exchange: Exchange) -> str:
    """Follow a routine's buttons to its end, like a user who mostly presses on; returns how
    it ended ("done", "abandoned", "stuck"). A press lost in a kill: /routine, and on."""
    rng = person.rng
    journal = talk.journal
    order = _on_the_way()
    last_step: tuple[int, str] | None = None
    for _ in range(MAX_ROUTINE_PRESSES):
        if any(
            find(html, "routine_recorded", "routine_already_recorded") for html in exchange.htmls
        ):
            journal.count("routines completed")
            after = last_with_button(exchange, "5")
            if after is not None and rng.random() < 0.6:
                await talk.press(
                    person, now, after.message_id, button_data(after, rng.choice(RATINGS))
                )
            return "done"
        if not exchange.handled:
            exchange = await talk.send(person, now, "/routine")
            continue
        target, text = None, ""
        for text in order:
            target = last_with_button(exchange, text)
            if target is not None:
                break
        if target is None:
            # A 0-10 question (how puffy), with no way round it.
            target, text = last_with_button(exchange, "5"), rng.choice(RATINGS)
            if target is None:
                return "stuck"
        if text == label("button_next") and rng.random() < 0.03:
            return "abandoned"  # /routine offers to continue it later
        data = button_data(target, text)
        if last_step is not None and rng.random() < 0.02:
            # An old step's button pressed again: a polite answer, nothing changes.
            stale = await talk.press(person, now, *last_step)
            journal.count("stale presses")
            talk.judge(person, now, stale, "press_stale" if stale.handled else None)
        if text in (label("button_next"), label("button_done")):
            last_step = (target.message_id, data)
        exchange = await talk.press(person, now, target.message_id, data)
        # The pressed message may have been edited into the next question.
        exchange.current.setdefault(
            target.message_id, person.chat.message(target.message_id) or target
        )
    journal.find("conversation", person.id, now, "a routine did not end within the bound")
    return "stuck"


async def answer_profile(talk: Talk, person: Person, now: datetime, exchange: Exchange) -> None:
    """The safety questions after /start: answered one by one, or "Skip the rest"."""
    rng = person.rng
    skip = rng.random() < 0.6
    skip_rest = label("button_skip_rest")
    for _ in range(MAX_PROFILE_PRESSES):
        question = last_with_button(exchange, skip_rest)
        if question is None:
            return
        if skip:
            choice = skip_rest
        else:
            choice = rng.choice([b.text for b in question.flat_buttons if b.text != skip_rest])
        data = button_data(question, choice)
        exchange = await talk.press(person, now, question.message_id, data)
        if not exchange.handled:
            return
        if skip:
            again = last_with_button(exchange, skip_rest)
            if again is not None:
                talk.journal.find(
                    "conversation",
                    person.id,
                    now,
                    f"pressed 'Skip the rest' ({data!r}) on #{question.message_id} "
                    f"{question.text[:50]!r}; the bot asked another safety question, "
                    f"#{again.message_id} {again.text[:50]!r}",
                )
            return
