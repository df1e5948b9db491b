"""The pictures in the user's language: weekday and month names, dates and large counts come
from the locale (Babel), Russian included; long legends wrap instead of shrinking away; and
the calendar and the chart, in English and Russian, match their checked-in references (at
half size, about what a phone shows: tests/support/picture_references.py)."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from PIL import Image

from bot.domain.localised import compact_count, day_and_month, month_names, weekday_names
from bot.pictures import (
    CalendarLabels,
    CheckinPoint,
    ProgressLabels,
    WeekCount,
    progress_chart,
    streak_calendar,
)
from bot.pictures.drawing import Box, Canvas, draw_legend
from tests.support.picture_labels import RUSSIAN_CALENDAR, RUSSIAN_PROGRESS
from tests.support.picture_references import assert_matches_reference

TODAY = date(2025, 10, 22)  # a Wednesday
DONE = frozenset(TODAY - timedelta(days=n) for n in range(80) if n % 3 != 1)
FROZEN = frozenset({TODAY - timedelta(days=4), TODAY - timedelta(days=19)})
REST = frozenset({TODAY - timedelta(days=7), TODAY - timedelta(days=22)})
START = TODAY - timedelta(days=TODAY.weekday(), weeks=11)
WEEKS = [
    WeekCount(START + timedelta(weeks=n), (n * 3) % 8 + (12 if n == 11 else 0)) for n in range(12)
]
CHECKINS = [
    CheckinPoint(START + timedelta(days=3), "flight", 7, False, after=4),
    CheckinPoint(START + timedelta(days=20), "party", 5, True),
    CheckinPoint(START + timedelta(days=60), "flight", 8, False),
]
CALENDARS = {"en": CalendarLabels.english(), "ru": RUSSIAN_CALENDAR}
CHARTS = {"en": ProgressLabels.english(), "ru": RUSSIAN_PROGRESS}


def _calendar(labels: CalendarLabels, weeks: int = 12) -> bytes:
    return streak_calendar(TODAY, DONE, FROZEN, weeks=weeks, labels=labels, rest=REST)


def test_names_dates_and_counts_are_the_locales_own():
    assert weekday_names("en") == ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    assert weekday_names("ru") == ("пн", "вт", "ср", "чт", "пт", "сб", "вс")
    assert month_names("en")[0] == "Jan" and month_names("en")[11] == "Dec"
    # Standing alone over their weeks: the nominative ("март", "май"), not "марта", "мая".
    assert month_names("ru")[:5] == ("янв.", "февр.", "март", "апр.", "май")
    assert day_and_month(date(2025, 10, 12), "en") == "Oct 12"
    assert day_and_month(date(2025, 5, 12), "ru") == "12 мая"  # in a date: the genitive
    assert compact_count(9_999, "en") == "9999"
    assert compact_count(56_789, "en") == "57K"
    assert compact_count(56_789, "ru") == "57\xa0тыс."


def test_a_locale_babel_lacks_falls_back_to_its_language_then_english():
    assert weekday_names("pt-br")[0] == "seg."
    assert month_names("ru-xx") == month_names("ru")
    assert month_names("xx") == month_names("en")
    assert day_and_month(TODAY, "zz-qq") == day_and_month(TODAY, "en")


@pytest.mark.parametrize("weeks", [4, 12, 52])
def test_a_russian_calendar_has_russian_names(weeks: int):
    english_words = CalendarLabels(**{**RUSSIAN_CALENDAR.__dict__, "locale": "en"})
    russian = _calendar(RUSSIAN_CALENDAR, weeks)
    assert russian != _calendar(english_words, weeks)  # only the names differ
    Image.open(io.BytesIO(russian)).verify()


def test_a_russian_chart_has_russian_dates():
    english_words = ProgressLabels(**{**RUSSIAN_PROGRESS.__dict__, "locale": "en"})
    russian = progress_chart(WEEKS, CHECKINS, labels=RUSSIAN_PROGRESS)
    assert russian != progress_chart(WEEKS, CHECKINS, labels=english_words)
    Image.open(io.BytesIO(russian)).verify()


@pytest.mark.parametrize("locale", sorted(CALENDARS))
def test_the_calendar_matches_its_reference(locale: str):
    image = Image.open(io.BytesIO(_calendar(CALENDARS[locale])))
    assert_matches_reference(image, f"calendar-{locale}")


@pytest.mark.parametrize("locale", sorted(CHARTS))
def test_the_chart_matches_its_reference(locale: str):
    image = Image.open(io.BytesIO(progress_chart(WEEKS, CHECKINS, labels=CHARTS[locale])))
    assert_matches_reference(image, f"progress-{locale}")


def _legend_boxes(labels: list[str], lines: int) -> list[Box]:
    """Where draw_legend puts each item's swatch, for labels too long for one line."""
    boxes: list[Box] = []

    def swatch(canvas: Canvas, box: Box) -> None:
        boxes.append(box)

    draw_legend(
        Canvas(800, 120),
        [(swatch, label) for label in labels],
        middle_y=60,
        left=24,
        right=776,
        size=16,
        lines=lines,
        smallest=15,
    )
    return boxes


def test_a_long_legend_wraps_onto_even_lines_and_keeps_its_size():
    labels = ["после перелёта", "после поздней ночи", "перед процедурой"]
    labels += ["до и после процедуры", "сначала к врачу"]
    boxes = _legend_boxes(labels, lines=2)
    assert len(boxes) == len(labels)  # nothing dropped
    assert {round(bottom - top) for _, top, _, bottom in boxes} == {16}  # not shrunk
    rows = sorted({top for _, top, _, _ in boxes})
    assert len(rows) == 2 and rows[1] - rows[0] >= 16
    per_row = sorted(sum(1 for box in boxes if box[1] == row) for row in rows)
    assert per_row == [2, 3]  # even, not 4 and 1
    assert all(left >= 24 and right <= 776 for left, _, right, _ in boxes)


def test_a_legend_on_one_line_shrinks_then_drops_what_does_not_fit():
    boxes = _legend_boxes(["a much longer legend label than fits here"] * 5, lines=1)
    assert 0 < len(boxes) < 5
    assert {round(bottom - top) for _, top, _, bottom in boxes} == {11}
    assert len({top for _, top, _, _ in boxes}) == 1
