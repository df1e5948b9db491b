"""A simulated user as the soak holds them, and small helpers to read what a user sees."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, time
from functools import cache

import yaml

from bot.catalog import Catalog, load_catalog
from bot.config import DEFAULT_CONTENT_DIR
from emulator import ChatMessage
from tests.soak.chat import Chat, Exchange
from tests.soak.model import UserModel
from tests.soak.population import Persona


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


@cache
def label(key: str) -> str:
    """A button's text as content/en/texts.ftl gives it."""
    return _catalog().text("en", key)


@cache
def _catalog() -> Catalog:
    return load_catalog(DEFAULT_CONTENT_DIR)


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


def parse_window(text: str) -> tuple[time, time]:
    """Quiet hours as the soak types them and the bot shows them: "22:00-07:00", "0:00-5:30"."""
    start, end = (part.strip() for part in text.split("-"))
    return _parse(start), _parse(end)


def _parse(text: str) -> time:
    hour, _, minute = text.partition(":")
    return time(int(hour), int(minute or 0))


def last_with_button(exchange: Exchange, text: str) -> ChatMessage | None:
    """The newest message of the exchange with a button labelled `text`."""
    for message in sorted(exchange.current.values(), key=lambda m: m.message_id, reverse=True):
        if any(button.text == text for button in message.flat_buttons):
            return message
    return None


def button_data(message: ChatMessage, text: str) -> str:
    for button in message.flat_buttons:
        if button.text == text and button.callback_data:
            return button.callback_data
    raise LookupError(f"no button {text!r} on message {message.message_id}")
