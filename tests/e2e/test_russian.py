"""A user whose Telegram is in Russian gets everything in Russian: onboarding, a routine step
by step, /depuff with every red flag, /streak after 1, 2 and 5 days, /progress, /settings,
/help, /export and /delete. Every message and button is checked for Latin words; only
commands and their examples, time-zone names, brand names and the languages' own names (the
/settings language buttons) may be written in Latin letters.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest

from bot.domain.edema import routes_asked
from emulator import ChatMessage, EmulatedUser
from tests.support.content import real_catalog

CATALOG = real_catalog()
t = partial(CATALOG.text, "ru")
MORNING = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)

# Written in Latin letters in any language: commands and what is typed after them (in
# <code>, or right after a /command), IANA zone names and UTC offsets, and names of brands.
CODE = re.compile(r"<code>.*?</code>|<pre>.*?</pre>", re.DOTALL)
TAG = re.compile(r"<[^>]+>")
# What may follow a command in an example: a zone, a time, or one of its English arguments.
ARGUMENT = r"(?:[A-Za-z_]+/[A-Za-z_/+-]+|[0-9:.+-]+|off|now|add|quick|help|flight|party)"
COMMAND = re.compile(rf"/[a-z_]+(?:[ \t]+{ARGUMENT})*")
ZONE = re.compile(r"\b(?:[A-Z][A-Za-z]+/[A-Za-z_/+-]+|UTC(?:[+-]\d{1,2}(?::\d\d)?)?|GMT)\b")
BRANDS = {"Telegram", "Botox", "Dysport", "Xeomin", "JSON", "Mini", "App"}
# Each language is offered in /settings by its own name ("English").
AUTONYMS = {CATALOG.text(locale, "language_name") for locale in CATALOG.locales}
LATIN = re.compile(r"[A-Za-z][A-Za-z'’-]+")


def latin_words(text: str) -> list[str]:
    text = html.unescape(TAG.sub(" ", CODE.sub(" ", text)))
    text = ZONE.sub(" ", COMMAND.sub(" ", text))
    return [w for w in LATIN.findall(text) if w not in BRANDS | AUTONYMS]


def test_the_check_finds_english_and_lets_commands_and_zones_be():
    assert (
        latin_words("Готово. /remind off и <code>/timezone Europe/Moscow</code>, UTC+03:00") == []
    )
    assert latin_words("🔥 Days in a row: <b>2</b>") == ["Days", "in", "row"]
    assert latin_words("Шаг 1 из 8 · Get ready") == ["Get", "ready"]


def _english_in(messages: list[ChatMessage]) -> list[tuple[str, list[str]]]:
    found = []
    for message in messages:
        shown = message.html or message.content
        for text in (shown, *message.button_texts):
            words = latin_words(text)
            if words:
                found.append((text[:80], words))
    return found


async def _walk_routine(user: EmulatedUser, command: str = "/routine") -> ChatMessage:
    await user.send(command)
    intro = await user.wait_for_bot_message(lambda m: t("button_start") in m.button_texts)
    await user.press(intro, t("button_start"))
    first = await user.wait_for_bot_message()
    if t("button_rating_skip") in first.button_texts:
        await user.press(first, t("button_rating_skip"))
        first = await user.wait_for_bot_message()
    step = first
    for _ in range(40):  # bounded: no routine has this many steps
        last = t("button_done") in step.button_texts
        await user.press(step, t("button_done") if last else t("button_next"))
        message = await user.wait_for_bot_message()
        if last:
            # And what it changed, 0-10: answered, so that the next message is /streak's.
            after = await user.wait_for_bot_message(lambda m: "3" in m.button_texts)
            await user.press(after, "3")
            await user.wait_until(lambda chat, mid=after.message_id: not chat.message(mid).buttons)
            return message
        step = message
    raise AssertionError("the routine did not end")


def _red_flag_buttons(cause: str) -> list[tuple[str, str]]:
    """(route, its button) as the check-in for `cause` offers them (not pregnant)."""
    note = CATALOG.safety("ru")
    return [
        (flag.route, note.routes.of(flag.route).button)
        for flag in routes_asked(False)
        if note.signs_of(flag.route, cause)
    ]


@pytest.mark.parametrize(
    ("cause", "route", "button"),
    [(cause, *pair) for cause in ("flight", "party") for pair in _red_flag_buttons(cause)],
)
async def test_each_red_flag_route_is_advised_in_russian(
    emulator, bot, clock, cause, route, button
):
    clock.set(MORNING)
    user = emulator.user(9100 + len(route) + (50 if cause == "party" else 0), language_code="ru")
    await user.send(f"/depuff {cause}")
    flags = await user.wait_for_bot_message(lambda m: button in m.button_texts)
    await user.press(flags, button)
    # The question gives way to the route's advice, in place.
    await user.wait_until(lambda chat: chat.message(flags.message_id).content != flags.content)
    assert _english_in(user.bot_messages) == []


async def test_everything_a_russian_user_sees_is_russian(emulator, bot, clock):
    clock.set(MORNING)
    anna = emulator.user(9001, first_name="Анна", language_code="ru")
    await anna.send("/start")
    question = await anna.wait_for_bot_message(lambda m: t("button_skip_rest") in m.button_texts)
    await anna.press(question, t("button_skip_rest"))
    await anna.wait_for_bot_message()
    done = await _walk_routine(anna)
    assert "25 ноября" in done.content
    rules = t("button_streak_rules")
    await anna.send("/streak")
    first_day = await anna.wait_for_bot_message(lambda m: rules in m.button_texts)
    for day in range(1, 5):
        clock.set(MORNING + timedelta(days=day))
        await _walk_routine(anna, "/routine quick")
        if day == 1:
            await anna.send("/streak")
            second_day = await anna.wait_for_bot_message(lambda m: rules in m.button_texts)
    await anna.send("/streak")
    fifth_day = await anna.wait_for_bot_message(lambda m: rules in m.button_texts)
    for command in ("/progress", "/settings", "/help", "/safety", "/profile", "/export"):
        await anna.send(command)
        await anna.wait_for_bot_message()
    await anna.send("/delete")
    confirm = await anna.wait_for_bot_message(lambda m: t("button_delete_yes") in m.button_texts)
    await anna.press(confirm, t("button_delete_yes"))
    await anna.wait_until(lambda chat: not chat.message(confirm.message_id).buttons)
    assert _english_in(anna.bot_messages) == []
    # A run of 1, 2 and 5 days in the words Russian uses for each count.
    assert "Серия: 1 день подряд" in first_day.content
    assert "Серия: 2 дня подряд" in second_day.content
    assert "Серия: 5 дней подряд" in fifth_day.content


async def test_russian_words_work_where_english_ones_do(emulator, bot, clock):
    clock.set(MORNING)
    boris = emulator.user(9002, language_code="ru")
    await boris.send("/remind 7:30")
    await boris.wait_for_bot_message()
    for typed, answer in (
        ("/remind выкл", t("remind_off")),
        ("/quiet 22:00-07:00", None),
        ("/quiet выкл", t("quiet_off")),
    ):
        await boris.send(typed)
        reply = await boris.wait_for_bot_message()
        if answer is not None:
            assert reply.html == answer, typed
    await boris.send("/routine быстрая")
    intro = await boris.wait_for_bot_message()
    assert intro.content.startswith(CATALOG.routine("ru", "quick").title)
    await boris.send("/flight сейчас")  # "just landed": the welcome back, then the check-in
    welcome = await boris.wait_for_bot_message()
    assert welcome.html == t("flight_landed")
