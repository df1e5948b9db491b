"""What the locale writes itself (bot/domain/localised.py): dates, decimals, zone names, plural
forms; and each locale's onboarding zones are real ones."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from bot.domain.emergency import emergency_number
from bot.domain.localised import day_label, plural_forms, signed_decimal, tenths, zone_label
from tests.support.content import real_catalog

catalog = real_catalog()


def test_dates_and_numbers_per_locale():
    day = date(2026, 11, 25)
    assert day_label(day, "en") == "November 25"
    assert day_label(day, "ru") == "25 ноября"
    assert day_label(date(2026, 5, 1), "ru") == "1 мая"
    assert tenths(1.5, "en") == "1.5" and tenths(1.5, "ru") == "1,5"
    assert tenths(1234.56, "en") == "1,234.6" and tenths(1234.56, "ru") == "1\xa0234,6"
    assert signed_decimal(0.5, "en") == "+0.5" and signed_decimal(-1.25, "ru") in ("-1,2", "-1,3")
    assert tenths(2, "pt-br") == "2,0"  # a region: its language's way
    assert tenths(2, "xx") == "2.0"  # unknown: the default's


def test_plural_forms_per_language():
    assert plural_forms("en") == {"one", "other"}
    assert plural_forms("ru") == {"one", "few", "many", "other"}


def test_zone_buttons_name_the_city_in_the_users_language():
    assert zone_label("Europe/Moscow", "ru") == "Москва"
    assert zone_label("America/New_York", "en") == "New York"
    assert zone_label("Etc/GMT-3", "en")  # no city: a name all the same
    assert zone_label("Not/A_Zone", "en") == "A Zone"


@pytest.mark.parametrize("locale", catalog.locales)
def test_each_locales_onboarding_zones_are_real(locale):
    zones = [z.strip() for z in catalog.text(locale, "onboarding_zones").split(",") if z.strip()]
    assert 3 <= len(zones) <= 24 and len(set(zones)) == len(zones)
    for zone in zones:
        ZoneInfo(zone)  # raises for a name that is no zone
        assert zone_label(zone, locale)


def test_two_emergency_numbers_are_joined_in_the_users_words():
    assert emergency_number("Europe/Moscow", "ru") == "112 или 103"
    assert emergency_number("Europe/Moscow", "en") == "112 or 103"
    assert emergency_number("Europe/Dublin", "en") == "112 or 999"
    assert emergency_number("America/New_York", "ru") == "911"
