"""The progress picture: routines per week over puffiness check-ins, on one time axis."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import count
from types import MappingProxyType

from bot.domain.localised import compact_count, day_and_month
from bot.pictures.drawing import (
    BACKGROUND,
    GREEN,
    GRID,
    INK,
    MUTED,
    RED,
    Box,
    Canvas,
    Colour,
    Swatch,
    draw_legend,
)

WIDTH, HEIGHT = 800, 640
MAX_RATING = 10

_MARGIN = 24
_PLOT_LEFT, _PLOT_RIGHT = 64, WIDTH - 28


@dataclass(frozen=True)
class _Panel:
    """One of the two stacked charts: where its title, plot area and date labels go."""

    title_y: int
    top: int
    bottom: int

    @property
    def labels_y(self) -> int:
        return self.bottom + 18


_WEEKS_PANEL = _Panel(title_y=26, top=64, bottom=250)
_CHECKINS_PANEL = _Panel(title_y=326, top=364, bottom=540)
_LEGEND_Y = 602  # the middle of a band for two lines

_BLUE: Colour = (37, 99, 235)
_PURPLE: Colour = (147, 51, 234)
_NEUTRAL: Colour = (140, 149, 159)
# Known causes get their own look; any other cause is a neutral dot.
_CAUSE_STYLES: Mapping[str, tuple[Colour, str]] = MappingProxyType(
    # A square, not a triangle: a triangle over a before-after line reads as an arrow.
    {"flight": (_BLUE, "square"), "party": (_PURPLE, "diamond")}
)
_MARKER_RADIUS = 7


@dataclass(frozen=True)
class WeekCount:
    week_start: date
    routines: int


@dataclass(frozen=True)
class CheckinPoint:
    day: date
    cause: str
    rating: int  # puffiness 0..10; values outside are drawn at the nearest end
    red_flag: bool
    # The rating after the routine this one came before, if given: drawn as a line from
    # before to a ring at after, the change that routine made.
    after: int | None = None


@dataclass(frozen=True)
class ProgressLabels:
    """The words on the picture, from the caller's interface texts; the dates and large
    counts are written as the locale writes them (bot/domain/localised.py)."""

    locale: str  # as the bot keeps it: "en", "ru", "pt-br"
    title_weeks: str
    title_checkins: str
    causes: Mapping[str, str]  # cause -> its legend text; an unlisted cause shows as is
    no_checkins: str
    red_flag: str
    change: str

    @classmethod
    def english(cls) -> ProgressLabels:
        """A sample for tests and benchmarks; the bot's come from content/ (progress_views)."""
        return cls(
            locale="en",
            title_weeks="Routines per week",
            title_checkins="Puffiness check-ins",
            causes=MappingProxyType({"flight": "after a flight", "party": "after a party"}),
            no_checkins="No check-ins yet",
            red_flag="red flag",
            change="before and after a routine",
        )


@dataclass(frozen=True)
class _Span:
    """The dates both panels share, start inclusive, end exclusive, across the plot width."""

    start: date
    end: date

    def x(self, day: date, offset: float = 0.0) -> float:
        days = (day - self.start).days + offset
        return _PLOT_LEFT + days / (self.end - self.start).days * (_PLOT_RIGHT - _PLOT_LEFT)

    def __contains__(self, day: date) -> bool:
        return self.start <= day < self.end


def progress_chart(
    weeks: Sequence[WeekCount],
    checkins: Sequence[CheckinPoint],
    *,
    labels: ProgressLabels,
) -> bytes:
    """A PNG of two stacked panels: routines done per week as bars, and below, over the same
    dates, the check-in ratings marked by cause. Check-ins outside the weeks' dates are left
    out so both panels stay aligned; with no weeks the check-ins set the dates."""
    weeks = sorted(weeks, key=lambda week: week.week_start)
    span = _span(weeks, checkins)
    points = sorted(
        (point for point in checkins if span is not None and point.day in span),
        key=lambda p: (p.day, p.cause, p.rating, p.red_flag, -1 if p.after is None else p.after),
    )
    canvas = Canvas(WIDTH, HEIGHT)
    starts = [week.week_start for week in weeks] or _weekly(span)
    _weeks_panel(canvas, weeks, span, starts, labels)
    _checkins_panel(canvas, points, span, starts, labels)
    return canvas.png()


def _span(weeks: Sequence[WeekCount], checkins: Sequence[CheckinPoint]) -> _Span | None:
    if weeks:
        return _Span(weeks[0].week_start, weeks[-1].week_start + timedelta(days=7))
    if checkins:
        first = min(point.day for point in checkins)
        last = max(point.day for point in checkins)
        return _Span(first, max(first + timedelta(days=7), last + timedelta(days=1)))
    return None


def _weekly(span: _Span | None) -> list[date]:
    if span is None:
        return []
    return [span.start + timedelta(weeks=n) for n in range(-(-(span.end - span.start).days // 7))]


def _weeks_panel(
    canvas: Canvas,
    weeks: Sequence[WeekCount],
    span: _Span | None,
    starts: Sequence[date],
    labels: ProgressLabels,
) -> None:
    panel = _WEEKS_PANEL
    _title(canvas, panel, labels.title_weeks)
    highest = max((week.routines for week in weeks), default=0)
    top = max(7, highest)
    _y_axis(canvas, panel, top, _tick_step(top), labels.locale)
    if span is None:
        return
    for week in weeks:
        left, right = span.x(week.week_start), span.x(week.week_start, 7)
        pad = min(4.0, (right - left) * 0.15)
        routines = max(0, week.routines)
        height = routines / top * (panel.bottom - panel.top)
        if routines:
            box = (left + pad, panel.bottom - height, right - pad, panel.bottom)
            canvas.rect(box, fill=GREEN, radius=min(3.0, (right - left) / 6))
        text = compact_count(routines, labels.locale)
        if routines and right - left - 2 * pad >= max(22, canvas.text_width(text, 13)):
            canvas.text(((left + right) / 2, panel.bottom - height - 4), text, size=13, anchor="ms")
    _date_labels(canvas, panel, span, starts, labels.locale)


def _checkins_panel(
    canvas: Canvas,
    points: Sequence[CheckinPoint],
    span: _Span | None,
    starts: Sequence[date],
    labels: ProgressLabels,
) -> None:
    panel = _CHECKINS_PANEL
    _title(canvas, panel, labels.title_checkins)
    _y_axis(canvas, panel, MAX_RATING, 2, labels.locale)
    if span is not None:
        _date_labels(canvas, panel, span, starts, labels.locale)
    if span is None or not points:
        middle = ((_PLOT_LEFT + _PLOT_RIGHT) / 2, (panel.top + panel.bottom) / 2)
        size = canvas.fitting_size(labels.no_checkins, _PLOT_RIGHT - _PLOT_LEFT, 18)
        canvas.text(middle, labels.no_checkins, size=size, fill=MUTED, anchor="mm")
        return
    centres = [(span.x(point.day, 0.5), _rating_y(panel, point.rating)) for point in points]
    for point, centre in zip(points, centres, strict=True):  # lines under every marker
        if point.after is not None:
            colour, _ = _CAUSE_STYLES.get(point.cause, (_NEUTRAL, "circle"))
            _change_line(canvas, centre, (centre[0], _rating_y(panel, point.after)), colour)
    for point, centre in zip(points, centres, strict=True):
        colour, shape = _CAUSE_STYLES.get(point.cause, (_NEUTRAL, "circle"))
        _marker(canvas, centre, shape, colour)
    for point, centre in zip(points, centres, strict=True):  # rings on top of every marker
        if point.red_flag:
            _ring(canvas, centre)
    _checkins_legend(canvas, points, labels)


def _title(canvas: Canvas, panel: _Panel, text: str) -> None:
    size = canvas.fitting_size(text, WIDTH - 2 * _MARGIN, 22)
    canvas.text((_MARGIN, panel.title_y), text, size=size, fill=INK, anchor="lm")


def _y_axis(canvas: Canvas, panel: _Panel, top: int, step: int, locale: str) -> None:
    for value in range(0, top + 1, step):
        y = panel.bottom - value / top * (panel.bottom - panel.top)
        canvas.line([(_PLOT_LEFT, y), (_PLOT_RIGHT, y)], fill=GRID if value else MUTED)
        canvas.text(
            (_PLOT_LEFT - 8, y), compact_count(value, locale), size=13, fill=MUTED, anchor="rm"
        )


def _tick_step(top: int) -> int:
    """A round step (1, 2, 5, 10, 20, ...) giving at most 7 gridlines above zero."""
    for power in count():
        for multiple in (1, 2, 5):
            step = multiple * 10**power
            if top <= 7 * step:
                return step
    raise AssertionError("unreachable")


def _date_labels(
    canvas: Canvas, panel: _Panel, span: _Span, starts: Sequence[date], locale: str
) -> None:
    """ "Oct 12" under the middle of each week, thinned out so the labels never touch."""
    texts = [day_and_month(start, locale) for start in starts]
    if not texts:
        return
    widest = max(canvas.text_width(text, 13) for text in texts) + 12
    every = max(1, math.ceil(len(texts) * widest / (_PLOT_RIGHT - _PLOT_LEFT)))
    for start, text in list(zip(starts, texts, strict=True))[::every]:
        x = span.x(start, 3.5)
        canvas.text((x, panel.labels_y), text, size=13, fill=MUTED, anchor="mm")


def _rating_y(panel: _Panel, rating: int) -> float:
    rating = min(MAX_RATING, max(0, rating))
    return panel.bottom - rating / MAX_RATING * (panel.bottom - panel.top)


def _marker(
    canvas: Canvas,
    centre: tuple[float, float],
    shape: str,
    colour: Colour,
    r: float = _MARKER_RADIUS,
) -> None:
    x, y = centre
    if shape == "square":
        side = r * 0.85
        canvas.rect((x - side, y - side, x + side, y + side), fill=colour, radius=1.5)
    elif shape == "diamond":
        canvas.polygon([(x, y - r), (x + r, y), (x, y + r), (x - r, y)], fill=colour)
    else:
        canvas.ellipse((x - r, y - r, x + r, y + r), fill=colour)


def _change_line(
    canvas: Canvas, start: tuple[float, float], end: tuple[float, float], colour: Colour
) -> None:
    """From the rating before a routine to the one after: a line ending in a hollow ring."""
    (x, y0), (_, y1) = start, end
    r = _MARKER_RADIUS - 1
    canvas.line([(x, y0), (x, y1)], fill=colour, width=3)
    canvas.ellipse((x - r, y1 - r, x + r, y1 + r), fill=BACKGROUND, outline=colour, width=3)


def _ring(canvas: Canvas, centre: tuple[float, float], r: float = 12) -> None:
    x, y = centre
    canvas.ellipse((x - r, y - r, x + r, y + r), outline=RED, width=3)


def _checkins_legend(
    canvas: Canvas, points: Sequence[CheckinPoint], labels: ProgressLabels
) -> None:
    """One entry per cause present (known causes first), then the red flag if any."""
    present = {point.cause for point in points}
    known = [cause for cause in _CAUSE_STYLES if cause in present]
    causes = known + sorted(present - set(known))
    items = [(_marker_swatch(cause), labels.causes.get(cause, cause)) for cause in causes]
    if any(point.after is not None for point in points):
        items.append((_change_swatch, labels.change))
    if any(point.red_flag for point in points):
        items.append((_ring_swatch, labels.red_flag))
    draw_legend(
        canvas,
        items,
        middle_y=_LEGEND_Y,
        left=_MARGIN,
        right=WIDTH - _MARGIN,
        size=16,
        lines=2,
        smallest=15,
    )


def _marker_swatch(cause: str) -> Swatch:
    colour, shape = _CAUSE_STYLES.get(cause, (_NEUTRAL, "circle"))

    def draw(canvas: Canvas, box: Box) -> None:
        left, top, right, bottom = box
        centre = ((left + right) / 2, (top + bottom) / 2)
        _marker(canvas, centre, shape, colour, r=(right - left) / 2 - 1)

    return draw


def _change_swatch(canvas: Canvas, box: Box) -> None:
    left, top, right, bottom = box
    x = (left + right) / 2
    canvas.line([(x, top), (x, bottom - 4)], fill=_NEUTRAL, width=3)
    canvas.ellipse((x - 4, bottom - 8, x + 4, bottom), fill=BACKGROUND, outline=_NEUTRAL, width=2)


def _ring_swatch(canvas: Canvas, box: Box) -> None:
    left, top, right, bottom = box
    _ring(canvas, ((left + right) / 2, (top + bottom) / 2), r=(right - left) / 2)
