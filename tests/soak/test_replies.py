"""The soak recognises the bot's answers by their texts: every text it relies on, as the bot
renders it, is recognised with its parameters."""

from __future__ import annotations

from html import escape

import pytest

from tests.soak.replies import KEYS, classify, find
from tests.support.content import real_catalog

# Sample parameters for the texts that take some.
PARAMS = {
    "time": "07:30",
    "times": "07:30, 21:00",
    "zone": "UTC+05:45",
    "local_time": "09:15",
    "window": "22:00-07:00",
    "text": "25:00 & <b>",
    "days": "3",
    "day": "2026-10-24",
    "command": "/dance",
    "meant": "routine",
    "title": "Quick routine",
    "old": "06:45, 21:00",
    "removed": "21:00",
}


@pytest.fixture(scope="module")
def catalog():
    return real_catalog()


@pytest.mark.parametrize("key", KEYS)
def test_each_text_the_soak_relies_on_is_recognised(catalog, key):
    wanted = catalog.text_placeholders(key)
    html = catalog.text("en", key, **{name: PARAMS[name] for name in wanted})
    reply = classify(html)
    assert reply is not None and reply.key == key, (key, html, reply)
    # The bot escapes what it fills in; the soak reads it back as sent.
    assert reply.params == {name: escape(PARAMS[name], quote=False) for name in wanted}


def test_a_reminder_with_its_streak_line_is_still_a_reminder(catalog):
    html = catalog.text("en", "reminder") + "\n\n" + catalog.text("en", "reminder_streak", days=4)
    assert classify(html).key == "reminder"
    assert find(
        catalog.text("en", "routine_recorded", day="2026-10-24") + "\nmore", "routine_recorded"
    )


def test_other_texts_are_not_taken_for_known_ones():
    assert classify("Done: something else entirely") is None
    assert classify("") is None
    assert classify(None) is None
