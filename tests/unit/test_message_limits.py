"""Every message the bot can send fits Telegram's limits and parses as Telegram's HTML.

Checked with the emulator's own parser, i.e. the rules the end-to-end tests enforce, over the
whole catalogue: every routine and step in every locale and mode, every interface text.
"""

from __future__ import annotations

from datetime import date, time
from zoneinfo import available_timezones

import pytest

from bot.domain import edema, emergency
from bot.domain.walkthrough import Mode
from bot.telegram import render
from bot.telegram.bot_profile import MENU_COMMANDS
from bot.telegram.callback_data import MAX_BYTES, decode
from emulator.markup import parse_html, utf16_len
from tests.support.content import real_catalog

MESSAGE_LIMIT = 4096
# A step is its picture with the step's text as the caption (bot/telegram/walkthrough.py).
CAPTION_LIMIT = 1024
# The longest value any placeholder can take: Telegram's first names are at most 64
# characters, and the bot cuts echoed input to 40. Characters that need escaping included.
LONGEST_VALUE = "W<&>" * 16

catalog = real_catalog()


def assert_fits(html: str, limit: int = MESSAGE_LIMIT) -> None:
    visible, _entities = parse_html(html)
    assert 0 < utf16_len(visible) <= limit, utf16_len(visible)


def assert_keyboard_fits(markup) -> None:
    for row in markup.inline_keyboard:
        for button in row:
            assert button.text.strip()
            data = button.callback_data
            assert 1 <= len(data.encode("utf-8")) <= MAX_BYTES
            assert decode(data) is not None, data


@pytest.mark.parametrize("locale", catalog.locales)
def test_every_step_intro_and_completion_fits(locale):
    for routine in catalog.routines(locale):
        assert_fits(render.routine_intro(catalog, locale, routine))
        # Fitted to the most careful profile: every note, every step named as left out.
        adaptations = catalog.adaptations(locale)
        notes = tuple(n for r in adaptations.rules for n in (r.note, r.left_out_note) if n)
        left_out = tuple(step.title for step in routine.steps)
        assert_fits(
            render.routine_intro(
                catalog, locale, routine, notes=notes, left_out=left_out, full=routine
            )
        )
        for message in render.routine_help(catalog, locale, routine):
            assert_fits(message)
        assert_keyboard_fits(render.routine_intro_keyboard(catalog, locale, routine))
        assert_keyboard_fits(render.open_run_keyboard(catalog, locale, 2**53 - 1, routine))
        for recorded in (True, False):
            assert_fits(
                render.completion_message(
                    catalog, locale, routine, newly_recorded=recorded, day=date.max.isoformat()
                )
            )
        every_step_note = " ".join(
            r.step_note for r in catalog.adaptations(locale).rules if r.step_note
        )
        for index in range(len(routine.steps)):
            for mode in Mode:
                for detail in (True, False):
                    assert_fits(
                        render.step_message(
                            catalog, locale, routine, index, mode, every_step_note, detail=detail
                        ),
                        CAPTION_LIMIT,
                    )
            for last in (True, False):
                for paused in (True, False):
                    for more in (None, True, False):
                        assert_keyboard_fits(
                            render.step_keyboard(
                                catalog,
                                locale,
                                2**53 - 1,
                                9_999,
                                last=last,
                                paused=paused,
                                more=more,
                            )
                        )


@pytest.mark.parametrize("locale", catalog.locales)
def test_safety_settings_and_menus_fit(locale):
    assert_fits(render.safety_message(catalog, locale))
    for language in catalog.locales:
        for routine in [r.id for r in catalog.routines(locale) if r.kind == "daily"]:
            for times in ([], [time(7, 30), time(12, 30), time(21, 0)]):
                chosen = {"language": language, "routine": routine, "reminders": times}
                assert_fits(
                    render.settings_message(
                        catalog, locale, zone="America/Argentina/Catamarca", **chosen
                    )
                )
                for tools in ((), ("cups", "gua_sha")):
                    assert_fits(
                        render.settings_message(
                            catalog,
                            locale,
                            zone="America/Argentina/Catamarca",
                            tools=tools,
                            **chosen,
                        )
                    )
                    assert_keyboard_fits(
                        render.settings_keyboard(catalog, locale, tools=tools, **chosen)
                    )
    assert_keyboard_fits(render.routine_choice_keyboard(catalog, locale))
    assert_keyboard_fits(render.routine_choice_keyboard(catalog, locale, ("cups", "gua_sha")))
    areas = tuple(a.id for a in catalog.adaptations(locale).injection_areas)
    for chosen_areas in ((), areas):
        assert_keyboard_fits(render.injection_area_keyboard(catalog, locale, chosen_areas))
    assert_keyboard_fits(render.depuff_cause_keyboard(catalog, locale))
    assert_keyboard_fits(render.timezone_keyboard(catalog, locale))
    longest = max(available_timezones(), key=len)
    assert_keyboard_fits(render.timezone_offer_keyboard(catalog, locale, longest, "UTC+05:30"))
    for routine in (None, *catalog.routines(locale)):
        assert_keyboard_fits(render.reminder_keyboard(catalog, locale, routine))
    for cause in render.DEPUFF_CAUSES:
        for after in (True, False):
            assert_keyboard_fits(render.rating_keyboard(cause, after=after))
            assert_keyboard_fits(
                render.rating_keyboard(cause, after=after, catalog=catalog, locale=locale)
            )
        assert_keyboard_fits(render.checkin_rating_keyboard(cause))
        assert_keyboard_fits(render.checkin_start_keyboard(catalog, locale, cause))
        for pregnant in (True, False):
            assert_fits(render.red_flag_question(catalog, locale, cause, pregnant=pregnant))
            keyboard = render.red_flag_keyboard(catalog, locale, cause, pregnant=pregnant)
            assert_keyboard_fits(keyboard)
            for row in keyboard.inline_keyboard:
                # Short enough to read at a glance on a phone's full-width button.
                assert len(row[0].text) <= 32, row[0].text


# The zone with the longest emergency number, so every message with one is checked at its
# longest.
LONGEST_NUMBER_ZONE = max(emergency.ZONES, key=lambda zone: len(emergency.emergency_number(zone)))


@pytest.mark.parametrize("locale", catalog.locales)
def test_safety_note_and_red_flag_advice_fit(locale):
    assert_fits(render.safety_message(catalog, locale, LONGEST_NUMBER_ZONE))
    for flag in edema.ROUTES:
        assert_fits(render.advice_message(catalog, locale, flag, LONGEST_NUMBER_ZONE))
        assert_fits(
            render.rest_day_message(catalog, locale, [flag.route, "stop_sign"], LONGEST_NUMBER_ZONE)
        )
    assert_fits(render.rest_day_message(catalog, locale, ["stop_sign"], "UTC"))


@pytest.mark.parametrize("locale", catalog.locales)
def test_every_interface_text_fits_with_the_longest_values(locale):
    for key in sorted(catalog.text_keys()):
        template = catalog.text(catalog.default_locale, key, **_placeholders(key))
        assert template  # every key renders
        text = catalog.text(locale, key, **{n: LONGEST_VALUE for n in _placeholders(key)})
        assert_fits(text)
        if key.startswith("cmd_"):
            assert 1 <= len(text) <= 256 and "<" not in text  # setMyCommands descriptions
        if key.startswith(("press_", "settings_saved")):
            assert len(text) <= 200  # answerCallbackQuery's limit


def _placeholders(key: str) -> dict[str, str]:
    return dict.fromkeys(catalog.text_placeholders(key), "x")


@pytest.mark.parametrize("locale", catalog.locales)
def test_the_bots_profile_fits_telegrams_limits(locale):
    # setMyDescription: 512 characters; setMyShortDescription: 120; a command's description
    # 1-256 (bot/telegram/bot_profile.py). Plain text: Telegram shows no markup there.
    shown = {
        "bot_description": 512,
        "bot_short_description": 120,
        **{f"cmd_{name}": 256 for name in MENU_COMMANDS},
    }
    for key, limit in shown.items():
        text = catalog.text(locale, key)
        assert 0 < len(text) <= limit and "<" not in text and "&" not in text, key
