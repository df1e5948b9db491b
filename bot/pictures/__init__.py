"""Pure PNG rendering of the streak calendar and the progress chart: no Telegram, no SQL."""

from bot.pictures.calendar import CalendarLabels, cell_box, streak_calendar
from bot.pictures.progress import CheckinPoint, ProgressLabels, WeekCount, progress_chart

__all__ = [
    "CalendarLabels",
    "CheckinPoint",
    "ProgressLabels",
    "WeekCount",
    "cell_box",
    "progress_chart",
    "streak_calendar",
]
