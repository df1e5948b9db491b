"""Russian labels for the streak calendar and the progress chart, until content/ has a "ru"
folder: what a Russian picture will look like, and which letters its font must have."""

from __future__ import annotations

from types import MappingProxyType

from bot.pictures import CalendarLabels, ProgressLabels

RUSSIAN_CALENDAR = CalendarLabels(
    locale="ru",
    done="сделано",
    frozen="заморозка",
    missed="пропуск",
    today="сегодня",
    rest="отдых",
)

RUSSIAN_PROGRESS = ProgressLabels(
    locale="ru",
    title_weeks="Процедур за неделю",
    title_checkins="Отёчность или скованность (от 0 до 10)",
    causes=MappingProxyType(
        {
            "flight": "после перелёта",
            "party": "после поздней ночи",
            "daily": "перед процедурой",
        }
    ),
    no_checkins="Отметок пока нет",
    red_flag="сначала к врачу",
    change="до и после процедуры",
)

# Every letter of the Russian alphabet, both cases, ё and Ё among them: a label to come may use
# any of them.
RUSSIAN_ALPHABET = "".join(map(chr, range(0x410, 0x450))) + "Ёё"
