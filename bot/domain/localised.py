"""The words and numbers the bot takes from the locale itself rather than from the interface
texts: weekday and month names, dates, decimals, a large count, and which plural forms a count
has. Babel's CLDR data writes them the way each language does ("12 Oct" is "Oct 12" in
English, "12 окт." in Russian; 1.5 is "1,5"), so no translator has to, and no English is left
in the code."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import (
    format_skeleton,
    get_day_names,
    get_month_names,
    get_timezone,
    get_timezone_location,
)
from babel.lists import format_list
from babel.numbers import format_compact_decimal, format_decimal

# What a locale Babel does not know falls back to: the content's default language.
FALLBACK = "en"


@lru_cache(maxsize=64)
def cldr_locale(code: str) -> Locale:
    """`code` as the bot keeps it ("en", "pt-br"); an unknown region falls back to its
    language, an unknown language to FALLBACK, so that a picture is always drawn."""
    for candidate in (code, code.split("-")[0], FALLBACK):
        try:
            return Locale.parse(candidate, sep="-")
        except (UnknownLocaleError, ValueError):
            continue
    raise AssertionError("unreachable: FALLBACK is a known locale")


@lru_cache(maxsize=64)
def weekday_names(code: str) -> tuple[str, ...]:
    """Seven short names, Monday first, as a column heading writes them ("Mon", "пн")."""
    names = get_day_names("abbreviated", context="stand-alone", locale=cldr_locale(code))
    return tuple(names[day] for day in range(7))  # Babel's 0 is Monday, as date.weekday()


@lru_cache(maxsize=64)
def month_names(code: str) -> tuple[str, ...]:
    """Twelve short names, January first, standing alone over their weeks ("Jan", "март")."""
    names = get_month_names("abbreviated", context="stand-alone", locale=cldr_locale(code))
    return tuple(names[month] for month in range(1, 13))


def day_and_month(day: date, code: str) -> str:
    """A short date without the year, in the locale's order ("Oct 12", "12 окт.")."""
    return format_skeleton("MMMd", day, locale=cldr_locale(code))


def compact_count(number: int, code: str) -> str:
    """A count for an axis or a bar top: in full up to 9999, then shortened as the locale
    shortens it ("57K", "57 тыс."), so huge counts keep the labels narrow."""
    if number < 10_000:
        return str(number)
    return format_compact_decimal(number, format_type="short", locale=cldr_locale(code))


def day_label(day: date, code: str) -> str:
    """A day in a sentence, without the year ("November 25", «25 ноября»)."""
    return format_skeleton("MMMMd", day, locale=cldr_locale(code))


def tenths(value: float, code: str) -> str:
    """A mean to one decimal, as the locale writes it ("1.5", "1,5")."""
    return format_decimal(value, "#,##0.0", locale=cldr_locale(code))


def signed_decimal(value: float, code: str) -> str:
    """A change to one decimal, with its sign ("+1.5", "−0,5" as the locale writes them)."""
    return format_decimal(value, "+0.0;-0.0", locale=cldr_locale(code))


def plural_forms(code: str) -> frozenset[str]:
    """The plural categories a count's message needs in the locale ("other" included)."""
    return frozenset(cldr_locale(code).plural_form.tags) | {"other"}


def zone_label(zone: str, code: str) -> str:
    """A time zone as a button names it: its city in the locale's words ("Москва",
    "New York"); the zone's own last part when CLDR has no city for it."""
    try:
        return str(
            get_timezone_location(get_timezone(zone), locale=cldr_locale(code), return_city=True)
        )
    except LookupError:
        return zone.rsplit("/", 1)[-1].replace("_", " ")


def either(items: list[str], code: str) -> str:
    """Alternatives as the locale joins them ("112 or 999", «112 или 103»)."""
    return str(format_list(items, style="or", locale=cldr_locale(code)))
