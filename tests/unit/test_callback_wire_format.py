"""Buttons already in users' chats keep working: the data each kind of button carries today,
written out by hand, and what it decodes to (the table was checked against the code before the
callback data became a registry, so a change to the wire format shows up here)."""

from datetime import date, time

import pytest

from bot.domain.walkthrough import Action
from bot.telegram import callback_data as cb

# What encode writes for each value, and decode reads back.
ENCODED = [
    ("r:1:0:n", cb.RunPress(1, 0, Action.NEXT)),
    ("r:9007199254740991:9999:p", cb.RunPress(2**53 - 1, 9_999, Action.PAUSE)),
    ("r:42:3:r", cb.RunPress(42, 3, Action.RESUME)),
    ("r:0:1:s", cb.RunPress(0, 1, Action.STOP)),
    ("e:7:2:m", cb.StepDetail(7, 2, opened=True)),
    ("e:7:2:l", cb.StepDetail(7, 2, opened=False)),
    ("v:12", cb.ShowRun(12)),
    ("w:12:classic", cb.StartOver(12, "classic")),
    ("w:0:gua-sha-5", cb.StartOver(0, "gua-sha-5")),
    ("i:classic", cb.ShowRoutine("classic")),
    ("g:classic:h", cb.StartRoutine("classic", hands_free=True)),
    ("g:cups:b", cb.StartRoutine("cups", hands_free=False)),
    ("c", cb.ChooseRoutine()),
    ("d:flight", cb.DepuffCause("flight")),
    ("d:party", cb.DepuffCause("party")),
    ("s:lang:de", cb.ChangeSetting("lang", "de")),
    ("s:rem:0730", cb.ChangeSetting("rem", "0730")),
    ("s:tool:gua_sha", cb.ChangeSetting("tool", "gua_sha")),
    ("s:ratings:off", cb.ChangeSetting("ratings", "off")),
    ("z:30", cb.Snooze(30)),
    ("z:1440", cb.Snooze(24 * 60)),
    ("k", cb.SkipToday()),
    ("q:flight:5", cb.RatePuffiness("flight", 5)),
    ("q:party:0", cb.RatePuffiness("party", 0, after=False)),
    ("a:flight:10", cb.RatePuffiness("flight", 10, after=True)),
    ("a:daily:3", cb.RatePuffiness("daily", 3, after=True)),
    ("u:flight", cb.SkipRatingAfter("flight")),
    ("u:daily", cb.SkipRatingAfter("daily")),
    ("f:flight:n", cb.AnswerRedFlags("flight", "n")),
    ("f:flight:e", cb.AnswerRedFlags("flight", "e")),
    ("f:party:u", cb.AnswerRedFlags("party", "u")),
    ("f:party:a", cb.AnswerRedFlags("party", "a")),
    ("f:party:p", cb.AnswerRedFlags("party", "p")),
    ("f:party:r", cb.AnswerRedFlags("party", "r")),
    ("f:flight:n:0", cb.AnswerRedFlags("flight", "n", 0)),
    ("f:flight:n:10", cb.AnswerRedFlags("flight", "n", 10)),
    ("t:Europe/Berlin", cb.SetTimezone("Europe/Berlin")),
    ("t:America/Argentina/Catamarca", cb.SetTimezone("America/Argentina/Catamarca")),
    ("t:UTC", cb.SetTimezone("UTC")),
    ("t:UTC+05:30", cb.SetTimezone("UTC+05:30")),
    ("t:UTC-09:00", cb.SetTimezone("UTC-09:00")),
    ("h", cb.ShowStreakRules()),
    ("y:20260101", cb.LogDay(date(2026, 1, 1))),
    ("y:20241231", cb.LogDay(date(2024, 12, 31))),
    ("y:00010101", cb.LogDay(date(1, 1, 1))),
    ("x:y", cb.ConfirmDelete(True)),
    ("x:n", cb.ConfirmDelete(False)),
    ("b:classic:h:s", cb.RateBeforeRoutine("classic", True, None)),
    ("b:classic:b:0", cb.RateBeforeRoutine("classic", False, 0)),
    ("b:cups:h:10", cb.RateBeforeRoutine("cups", True, 10)),
    ("p:inj:yes", cb.ProfileAnswer("inj", "yes")),
    ("p:area:cheeks", cb.ProfileAnswer("area", "cheeks")),
    ("p:when:d14", cb.ProfileAnswer("when", "d14")),
    ("p:skip:all", cb.ProfileAnswer("skip", "all")),
    ("o:y:classic", cb.StopSignCheck(True, "classic")),
    ("o:n:cups", cb.StopSignCheck(False, "cups")),
    ("m:0730:r", cb.RemindChoice(time(7, 30), "replace")),
    ("m:2359:a", cb.RemindChoice(time(23, 59), "add")),
    ("m:0000:k", cb.RemindChoice(time(0, 0), "keep")),
]

# Never written by encode, yet read the same way as always.
ALSO_READ = [
    ("c:", cb.ChooseRoutine()),
    ("k:", cb.SkipToday()),
    ("h:", cb.ShowStreakRules()),
]


@pytest.mark.parametrize(("text", "expected"), ENCODED)
def test_todays_buttons_encode_and_decode_as_before(text, expected):
    assert cb.encode(expected) == text
    assert cb.decode(text) == expected


@pytest.mark.parametrize(("text", "expected"), ALSO_READ)
def test_lenient_forms_read_as_before(text, expected):
    assert cb.decode(text) == expected


def test_every_kind_of_button_is_in_the_table():
    kinds = {type(expected) for _, expected in ENCODED}
    assert kinds == set(cb.registered())
