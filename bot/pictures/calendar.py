"""The streak calendar: a contribution-graph heatmap of the last weeks of routines."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from bot.domain.localised import month_names, weekday_names
from bot.pictures.drawing import (
    BACKGROUND,
    GREEN,
    MUTED,
    Box,
    Canvas,
    Colour,
    Swatch,
    draw_legend,
)

MAX_WEEKS = 52
WIDTH = 800

DONE_COLOUR: Colour = GREEN
FROZEN_COLOUR: Colour = (140, 203, 245)  # ice blue
MISSED_COLOUR: Colour = (232, 234, 238)
REST_COLOUR: Colour = (214, 196, 240)  # soft lavender: neither done nor missed
FUTURE_OUTLINE: Colour = (228, 231, 235)
TODAY_OUTLINE: Colour = (230, 126, 34)

_MARGIN = 24
_LABEL_WIDTH = 56  # the weekday names' column
_TOP = 40  # the month names' row
_LEGEND_HEIGHT = 56
_MAX_PITCH = 48  # a cell plus its gap; few weeks would otherwise give giant squares


@dataclass(frozen=True)
class CalendarLabels:
    """The words on the picture, from the caller's interface texts; the weekday and month
    names are the locale's own (bot/domain/localised.py)."""

    locale: str  # as the bot keeps it: "en", "ru", "pt-br"
    done: str
    frozen: str
    missed: str
    today: str
    rest: str

    @classmethod
    def english(cls) -> CalendarLabels:
        """A sample for tests and benchmarks; the bot's come from content/ (progress_views)."""
        return cls(
            locale="en", done="done", frozen="freeze", missed="missed", today="today", rest="rest"
        )


@dataclass(frozen=True)
class _Grid:
    """Where the cells go: one column per week (oldest left), one row per weekday."""

    first_monday: date
    weeks: int
    pitch: int
    left: int

    @classmethod
    def of(cls, today: date, weeks: int) -> _Grid:
        if not 1 <= weeks <= MAX_WEEKS:
            raise ValueError(f"weeks must be between 1 and {MAX_WEEKS}, got {weeks}")
        pitch = min(_MAX_PITCH, (WIDTH - 2 * _MARGIN - _LABEL_WIDTH) // weeks)
        left = (WIDTH - _LABEL_WIDTH - pitch * weeks) // 2 + _LABEL_WIDTH
        first_monday = today - timedelta(days=today.weekday(), weeks=weeks - 1)
        return cls(first_monday, weeks, pitch, left)

    @property
    def gap(self) -> int:
        return max(2, self.pitch // 8)

    @property
    def height(self) -> int:
        return _TOP + 7 * self.pitch + _LEGEND_HEIGHT

    def days(self) -> list[date]:
        return [self.first_monday + timedelta(days=n) for n in range(self.weeks * 7)]

    def box(self, day: date) -> tuple[int, int, int, int] | None:
        offset = (day - self.first_monday).days
        if not 0 <= offset < self.weeks * 7:
            return None
        column, row = divmod(offset, 7)
        left, top = self.left + column * self.pitch, _TOP + row * self.pitch
        cell = self.pitch - self.gap
        return left, top, left + cell, top + cell


def cell_box(today: date, day: date, weeks: int = 12) -> tuple[int, int, int, int] | None:
    """Where `day`'s square is in the picture, as (left, top, right, bottom) with right and
    bottom exclusive (as Image.crop), or None when the day is not on the calendar. Days after
    `today` in its week are on it (drawn faint)."""
    return _Grid.of(today, weeks).box(day)


def streak_calendar(
    today: date,
    done: Collection[date],
    frozen: Collection[date] = (),
    *,
    weeks: int = 12,
    labels: CalendarLabels,
    rest: Collection[date] = (),
    joined: date | None = None,
) -> bytes:
    """A PNG of the last `weeks` weeks, the last column being the week of `today`: done days
    green, days a streak freeze covered ice blue, rest days (a red flag or a stop-sign)
    lavender, other past days grey, today outlined. Days before `joined` (the user's first day)
    are blank like those to come: nobody missed a day before they started.
    Dates off the calendar or after today are ignored."""
    grid = _Grid.of(today, weeks)
    done_days, frozen_days, rest_days = set(done), set(frozen), set(rest)
    canvas = Canvas(WIDTH, grid.height)
    radius = max(2, grid.pitch // 7)
    outline = 2 if grid.pitch < 24 else 3
    for day in grid.days():
        box = grid.box(day)
        assert box is not None  # every day of the grid has a square
        unknown = joined is not None and day < joined
        if day > today or (unknown and day not in done_days | frozen_days | rest_days):
            canvas.rect(box, fill=BACKGROUND, outline=FUTURE_OUTLINE, radius=radius)
            continue
        canvas.rect(
            box,
            fill=_colour(day, done_days, frozen_days, rest_days),
            outline=TODAY_OUTLINE if day == today else None,
            width=outline,
            radius=radius,
        )
    _month_names(canvas, grid, month_names(labels.locale))
    _weekday_names(canvas, grid, weekday_names(labels.locale))
    _legend(canvas, grid, labels, with_rest=bool(rest_days))
    return canvas.png()


def _colour(day: date, done: set[date], frozen: set[date], rest: set[date]) -> Colour:
    if day in done:  # a day both done and frozen was done: the freeze was not needed
        return DONE_COLOUR
    if day in rest:
        return REST_COLOUR
    return FROZEN_COLOUR if day in frozen else MISSED_COLOUR


def _month_names(canvas: Canvas, grid: _Grid, months: tuple[str, ...]) -> None:
    """Over the columns where a month starts, and over the first column; a name that would
    collide with the next one is dropped (going right to left keeps the real month starts)."""
    size = 18 if grid.pitch >= 40 else 16  # a few weeks leave room for a legible size
    next_left = float(WIDTH)
    for column in reversed(range(grid.weeks)):
        monday = grid.first_monday + timedelta(weeks=column)
        sunday = monday + timedelta(days=6)
        if column > 0 and sunday.day > 7:  # no 1st of a month in this column
            continue
        name = months[sunday.month - 1]
        left = grid.left + column * grid.pitch
        if left + canvas.text_width(name, size) + 6 > next_left:
            continue
        canvas.text((left, _TOP - 10), name, size=size, fill=MUTED, anchor="ls")
        next_left = left


def _weekday_names(canvas: Canvas, grid: _Grid, weekdays: tuple[str, ...]) -> None:
    every = 1 if grid.pitch >= 18 else 2  # Mon, Wed, Fri, Sun when rows are too tight
    # One size for the column, the largest at which its longest name fits.
    size = min(
        canvas.fitting_size(name, _LABEL_WIDTH - 8, max(12, min(18, grid.pitch * 9 // 20)))
        for name in weekdays
    )
    cell = grid.pitch - grid.gap
    for row in range(0, 7, every):
        middle = _TOP + row * grid.pitch + cell / 2
        canvas.text((grid.left - 8, middle), weekdays[row], size=size, fill=MUTED, anchor="rm")


def _legend(canvas: Canvas, grid: _Grid, labels: CalendarLabels, *, with_rest: bool) -> None:
    def square(fill: Colour, outline: Colour | None = None) -> Swatch:
        def draw(target: Canvas, box: Box) -> None:
            target.rect(box, fill=fill, outline=outline, width=2, radius=3)

        return draw

    entries = [
        (square(DONE_COLOUR), labels.done),
        (square(FROZEN_COLOUR), labels.frozen),
        (square(MISSED_COLOUR), labels.missed),
    ]
    if with_rest:  # only when the picture has one: most people never see a rest day
        entries.append((square(REST_COLOUR), labels.rest))
    draw_legend(
        canvas,
        [*entries, (square(BACKGROUND, TODAY_OUTLINE), labels.today)],
        middle_y=_TOP + 7 * grid.pitch + _LEGEND_HEIGHT / 2,
        left=_MARGIN,
        right=WIDTH - _MARGIN,
        size=18 if grid.pitch >= 40 else 16,  # as the month names
        lines=2,
    )
