"""What /streak and /progress show: the numbers as text, and the picture to follow (drawn
with bot.pictures, off the event loop, only when it changed: see bot/telegram/pictures.py),
from the figures bot/services/progress.py reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from statistics import mean

from telegram import InlineKeyboardMarkup

from bot.catalog import Catalog
from bot.domain import progress, streaks
from bot.domain.edema import Cause, RedFlag
from bot.domain.localised import day_label, signed_decimal, tenths
from bot.domain.times_of_day import format_time
from bot.pictures import (
    CalendarLabels,
    CheckinPoint,
    ProgressLabels,
    WeekCount,
    progress_chart,
    streak_calendar,
)
from bot.services import checkins
from bot.services import progress as figures
from bot.services.accounts import Account
from bot.telegram import render
from bot.telegram.pictures import Picture, picture
from bot.telegram.services import Services

WEEK_MARKS = {
    progress.Mark.DONE: "✅",
    progress.Mark.FROZEN: "❄️",
    progress.Mark.REST: "🌿",
    progress.Mark.MISSED: "▫️",
    progress.Mark.OPEN: "⏳",
    progress.Mark.FUTURE: "·",
}


@dataclass(frozen=True)
class Card:
    """A text with buttons, sent at once, and the picture that follows it."""

    text: str
    keyboard: InlineKeyboardMarkup | None
    picture: Picture


async def streak_card(svc: Services, user: Account) -> Card:
    """/streak: the streak in numbers, this week at a glance, and the calendar to follow."""
    catalog, locale = svc.catalog, user.language
    days = await figures.streak_days(svc, user)
    today, view, done, frozen, rest = days.today, days.standing, days.done, days.frozen, days.rest
    joined = max(days.joined, progress.first_shown(today))
    weekdays = catalog.text(locale, "calendar_weekdays").split()
    week = "  ".join(
        f"{weekdays[day.weekday()]} {WEEK_MARKS[mark]}"
        for day, mark in progress.this_week(today, done, frozen, rest, joined)
    )
    t = catalog.text
    caption = t(
        locale,
        "streak_caption",
        current=view.current,
        best=view.best,
        total=view.total_days,
        freezes=view.freezes,
        most=streaks.MAX_FREEZES,
        consistency=streaks.consistency(done, today),
        week=week,
    )
    caption += "\n\n" + _status(catalog, locale, view, user.day_starts_at)
    yesterday = today - timedelta(days=1)
    keyboard = render.streak_keyboard(
        catalog, locale, yesterday=None if yesterday in done else yesterday
    )
    calendar = picture(
        "calendar",
        streak_calendar,
        today=today,
        done=frozenset(done),
        frozen=frozenset(frozen),
        labels=calendar_labels(catalog, locale),
        rest=frozenset(d for d in rest if d >= progress.first_shown(today)),
        joined=joined,
    )
    return Card(caption, keyboard, calendar)


def _status(catalog: Catalog, locale: str, view: streaks.Standing, day_start: time) -> str:
    if view.total_days == 0:
        return catalog.text(locale, "streak_none_yet")
    if view.done_today:
        return catalog.text(locale, "streak_today_done")
    if view.resting_today:
        return catalog.text(locale, "streak_today_rest")
    if view.current == 0:
        return catalog.text(locale, "streak_ended")
    lines = [catalog.text(locale, "streak_today_open", day_start=format_time(day_start))]
    if view.freezes_pending:
        lines.append(catalog.text(locale, "streak_freezes_pending", count=view.freezes_pending))
    return "\n".join(lines)


def streak_rules(catalog: Catalog, user: Account) -> str:
    return catalog.text(
        user.language,
        "streak_rules",
        day_start=format_time(user.day_starts_at),
        most=streaks.MAX_FREEZES,
    )


async def log_day(svc: Services, user: Account, day: date) -> str:
    """ "I did it yesterday": count `day` if it is still yesterday; returns the answer."""
    catalog, locale = svc.catalog, user.language
    logged = await figures.log_day(svc, user, day)
    if logged.too_late:
        return catalog.text(locale, "streak_log_too_late")
    if logged.counted is None:
        return catalog.text(locale, "streak_already_counted", day=day_label(day, locale))
    note = render.streak_note(catalog, locale, logged.counted)
    return catalog.text(locale, "streak_logged", day=day_label(day, locale)) + "\n" + note


def calendar_labels(catalog: Catalog, locale: str) -> CalendarLabels:
    t = catalog.text
    return CalendarLabels(
        locale=locale,
        done=t(locale, "calendar_done"),
        frozen=t(locale, "calendar_frozen"),
        missed=t(locale, "calendar_missed"),
        today=t(locale, "calendar_today"),
        rest=t(locale, "calendar_rest"),
    )


async def progress_card(svc: Services, user: Account) -> Card | None:
    """/progress: routines per week and the check-ins of the last 12 weeks; None when there
    is nothing to show yet."""
    catalog, locale = svc.catalog, user.language
    days = await figures.progress_days(svc, user)
    today, done, rows = days.today, days.done, days.checkins
    if not done and not rows:
        return None
    ratings = [progress.Rating(row.phase, row.cause, row.rating) for row in rows]
    pairs = progress.paired(ratings)
    points = [
        CheckinPoint(
            day=rows[index].day,
            cause=rows[index].cause,
            rating=rows[index].rating,
            red_flag=rows[index].red_flag not in (None, RedFlag.NONE),
            after=after,
        )
        for index, after in pairs
    ]
    changes = progress.puffiness_changes(ratings)
    first_active = min([*done, *(row.day for row in rows)], default=None)
    weeks = progress.per_week(done, today, progress.weeks_to_show(today, first_active))
    # The weekly average counts from the first active week, not from twelve weeks ago.
    started = progress.week_start(min(done or [today]))
    active = [count for monday, count in weeks if monday >= started]
    caption = catalog.text(
        locale,
        "progress_caption",
        routines=len(done),
        days=len(set(done)),
        this_week=weeks[-1][1],
        weeks=len(weeks),
        average=tenths(mean(active) if active else 0, locale),
        checkins=len(points),
    )
    if changes:
        caption += "\n" + catalog.text(
            locale,
            "progress_puffiness_change",
            change=signed_decimal(mean(changes), locale),
            pairs=len(changes),
        )
    chart = picture(
        "progress",
        progress_chart,
        weeks=tuple(WeekCount(monday, count) for monday, count in weeks),
        checkins=tuple(points),
        labels=progress_labels(catalog, locale),
    )
    return Card(caption, None, chart)


def progress_labels(catalog: Catalog, locale: str) -> ProgressLabels:
    t = catalog.text
    return ProgressLabels(
        locale=locale,
        title_weeks=t(locale, "chart_weeks_title"),
        title_checkins=t(locale, "chart_checkins_title"),
        causes={
            **{cause.value: t(locale, f"chart_cause_{cause.value}") for cause in Cause},
            checkins.DAILY: t(locale, f"chart_cause_{checkins.DAILY}"),
        },
        no_checkins=t(locale, "chart_no_checkins"),
        red_flag=t(locale, "chart_red_flag"),
        change=t(locale, "chart_change"),
    )
