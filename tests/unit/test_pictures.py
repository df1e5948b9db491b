"""The streak calendar and progress pictures: valid Telegram photos that show what they claim."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from bot.pictures import (
    CalendarLabels,
    CheckinPoint,
    ProgressLabels,
    WeekCount,
    cell_box,
    progress_chart,
    streak_calendar,
)
from bot.pictures.calendar import (
    DONE_COLOUR,
    FROZEN_COLOUR,
    MISSED_COLOUR,
    TODAY_OUTLINE,
)
from bot.pictures.drawing import BACKGROUND

TODAY = date(2025, 10, 22)  # a Wednesday
CALENDAR = CalendarLabels.english()
PROGRESS = ProgressLabels.english()


def decode(png: bytes) -> Image.Image:
    """The picture, after checking it is a PNG Telegram's sendPhoto accepts (and small)."""
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.format == "PNG"
    width, height = image.size
    assert 0 < width <= 10_000 and 0 < height <= 10_000
    assert width + height <= 10_000
    assert max(width, height) / min(width, height) <= 20
    assert len(png) < 200_000
    return image.convert("RGB")


def centre(image: Image.Image, box: tuple[int, int, int, int] | None) -> tuple[int, ...]:
    assert box is not None
    left, top, right, bottom = box
    return image.getpixel(((left + right) // 2, (top + bottom) // 2))


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


# --- streak calendar ---------------------------------------------------------------------


@pytest.mark.parametrize("weeks", [1, 2, 12, 26, 52])
def test_the_calendar_is_a_valid_photo_about_800_pixels_wide(weeks: int):
    image = decode(streak_calendar(TODAY, {days_ago(1)}, weeks=weeks, labels=CALENDAR))
    assert image.width == 800
    first_monday = days_ago(7 * (weeks - 1) + TODAY.weekday())
    for day in (TODAY, first_monday):
        box = cell_box(TODAY, day, weeks)
        assert box is not None
        left, top, right, bottom = box
        assert 0 <= left < right <= image.width and 0 <= top < bottom <= image.height


def test_done_frozen_and_missed_days_have_their_own_colours():
    done, frozen, missed = days_ago(3), days_ago(4), days_ago(5)
    image = decode(streak_calendar(TODAY, [done], [frozen], labels=CALENDAR))
    assert centre(image, cell_box(TODAY, done, 12)) == DONE_COLOUR
    assert centre(image, cell_box(TODAY, frozen, 12)) == FROZEN_COLOUR
    assert centre(image, cell_box(TODAY, missed, 12)) == MISSED_COLOUR
    assert len({DONE_COLOUR, FROZEN_COLOUR, MISSED_COLOUR, BACKGROUND}) == 4
    red, green, blue = DONE_COLOUR
    assert green > red and green > blue  # green-ish
    red, green, blue = FROZEN_COLOUR
    assert blue > green > red  # ice blue
    assert max(MISSED_COLOUR) - min(MISSED_COLOUR) < 10 and min(MISSED_COLOUR) > 200  # light grey


def test_a_day_both_done_and_frozen_shows_as_done():
    day = days_ago(2)
    image = decode(streak_calendar(TODAY, [day], [day], labels=CALENDAR))
    assert centre(image, cell_box(TODAY, day, 12)) == DONE_COLOUR


def test_the_rest_of_this_week_is_on_the_calendar_but_drawn_empty():
    friday = TODAY + timedelta(days=2)
    image = decode(streak_calendar(TODAY, [friday], [friday], labels=CALENDAR))
    assert centre(image, cell_box(TODAY, friday, 12)) == BACKGROUND


def test_days_before_the_user_joined_are_blank_not_missed():
    joined = days_ago(10)
    logged_before = days_ago(11)  # "I did it yesterday" on the first day: still shown
    image = decode(streak_calendar(TODAY, [logged_before], labels=CALENDAR, joined=joined))
    assert centre(image, cell_box(TODAY, days_ago(12), 12)) == BACKGROUND
    assert centre(image, cell_box(TODAY, days_ago(70), 12)) == BACKGROUND
    assert centre(image, cell_box(TODAY, logged_before, 12)) == DONE_COLOUR
    assert centre(image, cell_box(TODAY, joined, 12)) == MISSED_COLOUR
    assert centre(image, cell_box(TODAY, days_ago(1), 12)) == MISSED_COLOUR


def test_this_weeks_line_does_not_call_days_before_joining_missed():
    from bot.domain.progress import Mark, this_week

    marks = dict(this_week(TODAY, set(), set(), joined=TODAY))
    assert marks[days_ago(2)] is Mark.FUTURE and marks[TODAY] is Mark.OPEN
    assert dict(this_week(TODAY, set(), set(), joined=days_ago(2)))[days_ago(1)] is Mark.MISSED


@pytest.mark.parametrize("done", [[], [TODAY]])
def test_today_is_outlined_whether_done_or_not(done: list[date]):
    image = decode(streak_calendar(TODAY, done, labels=CALENDAR))
    box = cell_box(TODAY, TODAY, 12)
    assert box is not None
    left, top, right, bottom = box
    middle = (top + bottom) // 2
    assert image.getpixel((left + 1, middle)) == TODAY_OUTLINE
    assert image.getpixel((right - 2, middle)) == TODAY_OUTLINE
    assert centre(image, box) == (DONE_COLOUR if done else MISSED_COLOUR)
    yesterday = cell_box(TODAY, days_ago(1), 12)
    assert yesterday is not None
    assert image.getpixel((yesterday[0] + 1, (yesterday[1] + yesterday[3]) // 2)) != TODAY_OUTLINE


def test_dates_off_the_calendar_and_future_dates_are_ignored():
    inside = [days_ago(1), days_ago(10)]
    outside = [days_ago(7 * 12 + 5), date(1999, 1, 1), TODAY + timedelta(days=1), date(2090, 5, 5)]
    plain = streak_calendar(TODAY, inside, labels=CALENDAR)
    assert streak_calendar(TODAY, inside + outside, outside, labels=CALENDAR) == plain


def test_cell_box_places_days_by_week_column_and_weekday_row():
    monday = TODAY - timedelta(days=TODAY.weekday())
    first_monday = monday - timedelta(weeks=11)
    assert cell_box(TODAY, first_monday - timedelta(days=1), 12) is None
    assert cell_box(TODAY, monday + timedelta(days=7), 12) is None
    this_monday, last_monday = (
        cell_box(TODAY, monday, 12),
        cell_box(TODAY, monday - timedelta(7), 12),
    )
    sunday = cell_box(TODAY, monday + timedelta(days=6), 12)
    assert this_monday and last_monday and sunday
    assert last_monday[0] < this_monday[0] and last_monday[1] == this_monday[1]  # columns
    assert sunday[0] == this_monday[0] and sunday[1] > this_monday[1]  # rows


def test_the_calendar_is_deterministic_and_ignores_input_order():
    days = [days_ago(n) for n in (1, 2, 5, 9, 30)]
    first = streak_calendar(TODAY, days, [days_ago(3)], labels=CALENDAR)
    assert streak_calendar(TODAY, list(reversed(days)), {days_ago(3)}, labels=CALENDAR) == first
    assert streak_calendar(TODAY, set(days), (days_ago(3),), labels=CALENDAR) == first


@pytest.mark.parametrize("weeks", [0, 53, -1])
def test_weeks_outside_1_to_52_are_refused(weeks: int):
    with pytest.raises(ValueError):
        streak_calendar(TODAY, [], weeks=weeks, labels=CALENDAR)


def test_long_localised_labels_still_render():
    labels = CalendarLabels(
        locale="ru",
        done="сделано и ещё очень длинное пояснение",
        frozen="заморозка серии на этот день",
        missed="пропущенный день без заморозки",
        today="сегодняшний день",
        rest="день отдыха по совету врача",
    )
    rest = [days_ago(3)]
    for weeks in (4, 52):
        decode(streak_calendar(TODAY, [days_ago(1)], [days_ago(2)], weeks=weeks, labels=labels))
        decode(streak_calendar(TODAY, [], weeks=weeks, labels=labels, rest=rest))


@settings(max_examples=30)
@given(
    today=st.dates(date(1990, 1, 1), date(2100, 12, 31)),
    offsets=st.lists(st.integers(-400, 400), max_size=60),
    frozen_offsets=st.lists(st.integers(-400, 400), max_size=20),
    weeks=st.integers(1, 52),
)
def test_any_dates_and_any_weeks_render_a_valid_calendar(
    today: date, offsets: list[int], frozen_offsets: list[int], weeks: int
):
    done = {today + timedelta(days=n) for n in offsets}
    frozen = {today + timedelta(days=n) for n in frozen_offsets}
    image = decode(streak_calendar(today, done, frozen, weeks=weeks, labels=CALENDAR))
    assert image.width == 800
    assert centre(image, cell_box(today, today, weeks)) in (
        DONE_COLOUR,
        FROZEN_COLOUR,
        MISSED_COLOUR,
    )


# --- progress chart ----------------------------------------------------------------------

START = date(2025, 7, 28)


def twelve_weeks(routines: int = 5) -> list[WeekCount]:
    return [WeekCount(START + timedelta(weeks=n), (routines + n) % 9) for n in range(12)]


def checkin(offset: int, cause: str = "flight", rating: int = 5, red_flag: bool = False):
    return CheckinPoint(START + timedelta(days=offset), cause, rating, red_flag)


def count_pixels(image: Image.Image, box: tuple[int, int, int, int], wanted) -> int:
    region = image.crop(box)
    colours = region.getcolors(region.width * region.height) or []
    return sum(n for n, colour in colours if wanted(*colour))


def red_pixels(image: Image.Image, *, lower_half: bool = True) -> int:
    box = (0, image.height // 2 if lower_half else 0, image.width, image.height)
    return count_pixels(image, box, lambda r, g, b: r > 180 and g < 80 and b < 80)


def green_pixels(image: Image.Image) -> int:
    box = (0, 0, image.width, image.height // 2)
    return count_pixels(image, box, lambda r, g, b: g > 140 and r < 80 and b < 100)


def test_the_progress_chart_is_a_valid_photo_with_bars_and_markers():
    points = [checkin(3, "flight", 7), checkin(20, "party", 4), checkin(40, "sauna", 2)]
    image = decode(progress_chart(twelve_weeks(), points, labels=PROGRESS))
    assert image.width == 800
    assert green_pixels(image) > 1000  # the bars
    assert red_pixels(image) == 0  # no red flag, no red


@pytest.mark.parametrize(
    ("weeks", "checkins"),
    [
        ([], []),
        ([], [checkin(0), checkin(9, "party", 12, True)]),
        ([WeekCount(START, 0)], []),
        (twelve_weeks(), []),
    ],
)
def test_empty_or_sparse_inputs_render(weeks: list[WeekCount], checkins: list[CheckinPoint]):
    decode(progress_chart(weeks, checkins, labels=PROGRESS))


def test_no_routines_draw_no_bars():
    weeks = [WeekCount(START + timedelta(weeks=n), 0) for n in range(12)]
    assert green_pixels(decode(progress_chart(weeks, [], labels=PROGRESS))) == 0


def test_red_flag_check_ins_show_red_in_the_lower_panel():
    points = [checkin(10, "party", 8, red_flag=True), checkin(30)]
    image = decode(progress_chart(twelve_weeks(), points, labels=PROGRESS))
    assert red_pixels(image) > 20
    assert red_pixels(image, lower_half=False) == red_pixels(image)  # and only there


def test_many_check_ins_huge_counts_and_odd_ratings_render():
    weeks = [WeekCount(START + timedelta(weeks=n), 10**12 * n - 3) for n in range(52)]
    causes = ["flight", "party", "wine", "", "a very long cause nobody told the chart about"]
    points = [
        checkin(n % 370, causes[n % len(causes)], rating=n % 25 - 7, red_flag=n % 11 == 0)
        for n in range(2000)
    ]
    image = decode(progress_chart(weeks, points, labels=PROGRESS))
    assert red_pixels(image) > 0


def test_check_ins_outside_the_weeks_are_left_out():
    points = [checkin(5, "party", 3)]
    plain = progress_chart(twelve_weeks(), points, labels=PROGRESS)
    outside = [*points, checkin(-30, red_flag=True), checkin(12 * 7 + 1, red_flag=True)]
    assert progress_chart(twelve_weeks(), outside, labels=PROGRESS) == plain


def test_the_progress_chart_is_deterministic_and_ignores_input_order():
    points = [checkin(n * 4, ("flight", "party")[n % 2], n % 11, n == 3) for n in range(15)]
    first = progress_chart(twelve_weeks(), points, labels=PROGRESS)
    again = progress_chart(list(reversed(twelve_weeks())), points[::-1], labels=PROGRESS)
    assert again == first


def test_english_progress_labels_name_the_known_causes():
    assert dict(PROGRESS.causes) == {"flight": "after a flight", "party": "after a party"}


def blue_pixels(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    return count_pixels(image, box, lambda r, g, b: b > 200 and r < 80 and 80 < g < 120)


def test_a_rating_before_and_after_a_routine_is_drawn_as_the_change_it_made():
    """A line from the rating before (8) down to a ring at the one after (3): the pixels
    between the two are the cause's colour only when the "after" is given."""
    from bot.pictures.progress import _CHECKINS_PANEL, _rating_y

    before_only = decode(progress_chart(twelve_weeks(), [checkin(20, rating=8)], labels=PROGRESS))
    paired = CheckinPoint(START + timedelta(days=20), "flight", 8, False, after=3)
    with_after = decode(progress_chart(twelve_weeks(), [paired], labels=PROGRESS))
    top, bottom = _rating_y(_CHECKINS_PANEL, 7), _rating_y(_CHECKINS_PANEL, 4)
    between = (0, round(top), with_after.width, round(bottom))
    assert blue_pixels(before_only, between) == 0
    assert blue_pixels(with_after, between) >= 1.5 * round(bottom - top)  # a 3 px line
    # The legend says what the line means; without a pair it is not there.
    assert with_after != before_only


def test_paired_ratings_give_each_before_its_after_and_the_same_changes():
    from bot.domain.progress import Rating, paired, puffiness_changes

    ratings = [
        Rating("before", "flight", 8),
        Rating("before", "daily", 5),  # never rated after
        Rating("before", "daily", 6),
        Rating("after", "daily", 4),
        Rating("after", "flight", 3),
        Rating("after", "party", 1),  # no "before" of its cause: left out
    ]
    assert paired(ratings) == [(0, 3), (1, None), (2, 4)]
    assert sorted(puffiness_changes(ratings)) == [-5, -2]


@pytest.mark.parametrize(
    ("first_active", "weeks"),
    [(None, 4), (TODAY, 4), (TODAY - timedelta(weeks=5), 6), (TODAY - timedelta(weeks=40), 12)],
)
def test_a_newcomers_chart_shows_a_few_weeks_not_twelve_empty_ones(first_active, weeks):
    from bot.domain.progress import weeks_to_show

    assert weeks_to_show(TODAY, first_active) == weeks
