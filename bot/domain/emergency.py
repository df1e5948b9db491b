"""The emergency number to tell a user, from their time zone (their country is not asked).

Zone -> country -> number. A zone not listed, an offset such as "UTC+03:00" and plain "UTC"
get 112: it is the emergency number in every EU and EEA country and most of Europe (the EU's
single European emergency number, European Electronic Communications Code, Directive (EU)
2018/1972, art. 109), and GSM mobile phones connect it in most other countries too.

The numbers are the ambulance or general emergency numbers each country publishes, checked
against the ITU's list of national emergency numbers (ITU Operational Bulletin, "Emergency
numbers" annex) and the services' own pages: NHS "When to call 999" (UK), 911.gov (US and
Canada), Japan's Fire and Disaster Management Agency (119 for fire and ambulance), Triple Zero
(000, Australian Government), Russia's 112 system (ambulance 103). When a country has one
number for everything, that number; otherwise the ambulance one first.
"""

from __future__ import annotations

from bot.domain.localised import either

FALLBACK = "112"

# Country (ISO 3166 alpha-2) -> what to call for an ambulance; "a/b": either, the first
# first (said in the user's language: "112 or 103", «112 или 103»).
NUMBERS: dict[str, str] = {
    "GB": "999",
    "IE": "112/999",
    "RU": "112/103",
    "US": "911",
    "CA": "911",
    "MX": "911",
    "JP": "119",
    "KR": "119",
    "TW": "119",
    "CN": "120",
    "HK": "999",
    "SG": "995",
    "MY": "999",
    "IN": "112",
    "AU": "000",
    "NZ": "111",
    "BR": "192",
    "AR": "107",
    "CL": "131",
    "CO": "123",
    "PH": "911",
    "TH": "1669",
    "IL": "101",
    "AE": "998",
    "ZA": "10177 (112 from a mobile)",
    "CH": "144",
    "NO": "113",
    "TR": "112",
}

# Canonical zone name (bot.domain.zones) -> country; the zones of the countries above that
# people live in, and a few old names the tz database still accepts.
ZONES: dict[str, str] = {
    "Europe/London": "GB",
    "GB": "GB",
    "Europe/Belfast": "GB",
    "Europe/Dublin": "IE",
    "Europe/Moscow": "RU",
    "Europe/Kaliningrad": "RU",
    "Europe/Samara": "RU",
    "Europe/Volgograd": "RU",
    "Asia/Yekaterinburg": "RU",
    "Asia/Omsk": "RU",
    "Asia/Novosibirsk": "RU",
    "Asia/Krasnoyarsk": "RU",
    "Asia/Irkutsk": "RU",
    "Asia/Yakutsk": "RU",
    "Asia/Vladivostok": "RU",
    "Asia/Magadan": "RU",
    "Asia/Kamchatka": "RU",
    "W-SU": "RU",
    "America/New_York": "US",
    "America/Chicago": "US",
    "America/Denver": "US",
    "America/Phoenix": "US",
    "America/Los_Angeles": "US",
    "America/Anchorage": "US",
    "America/Detroit": "US",
    "America/Boise": "US",
    "America/Juneau": "US",
    "Pacific/Honolulu": "US",
    # US territories, where 911 is the number too (911.gov): Puerto Rico, the US Virgin
    # Islands, Guam, the Northern Mariana Islands, American Samoa.
    "America/Puerto_Rico": "US",
    "America/St_Thomas": "US",
    "Pacific/Guam": "US",
    "Pacific/Saipan": "US",
    "Pacific/Pago_Pago": "US",
    "US/Eastern": "US",
    "US/Central": "US",
    "US/Mountain": "US",
    "US/Pacific": "US",
    "US/Alaska": "US",
    "US/Hawaii": "US",
    "America/Toronto": "CA",
    "America/Montreal": "CA",
    "America/Vancouver": "CA",
    "America/Edmonton": "CA",
    "America/Winnipeg": "CA",
    "America/Regina": "CA",
    "America/Halifax": "CA",
    "America/St_Johns": "CA",
    "America/Mexico_City": "MX",
    "America/Cancun": "MX",
    "America/Monterrey": "MX",
    "America/Tijuana": "MX",
    "America/Merida": "MX",
    "America/Chihuahua": "MX",
    "Asia/Tokyo": "JP",
    "Japan": "JP",
    "Asia/Seoul": "KR",
    "Asia/Taipei": "TW",
    "Asia/Shanghai": "CN",
    "Asia/Urumqi": "CN",
    "PRC": "CN",
    "Asia/Hong_Kong": "HK",
    "Asia/Singapore": "SG",
    "Asia/Kuala_Lumpur": "MY",
    "Asia/Kolkata": "IN",
    "Asia/Calcutta": "IN",
    "Australia/Sydney": "AU",
    "Australia/Melbourne": "AU",
    "Australia/Brisbane": "AU",
    "Australia/Perth": "AU",
    "Australia/Adelaide": "AU",
    "Australia/Darwin": "AU",
    "Australia/Hobart": "AU",
    "Pacific/Auckland": "NZ",
    "America/Sao_Paulo": "BR",
    "America/Manaus": "BR",
    "America/Fortaleza": "BR",
    "America/Recife": "BR",
    "America/Bahia": "BR",
    "America/Argentina/Buenos_Aires": "AR",
    "America/Buenos_Aires": "AR",
    "America/Santiago": "CL",
    "America/Bogota": "CO",
    "Asia/Manila": "PH",
    "Asia/Bangkok": "TH",
    "Asia/Jerusalem": "IL",
    "Asia/Tel_Aviv": "IL",
    "Asia/Dubai": "AE",
    "Africa/Johannesburg": "ZA",
    "Europe/Zurich": "CH",
    "Europe/Oslo": "NO",
    "Europe/Istanbul": "TR",
}
# Whole regions of the tz database inside one country.
_PREFIXES = {
    "America/Indiana/": "US",
    "America/Kentucky/": "US",
    "America/North_Dakota/": "US",
    "America/Argentina/": "AR",
    "Australia/": "AU",
}


def country_of(zone: str) -> str | None:
    """The country of a canonical zone name, when the table knows it."""
    if zone in ZONES:
        return ZONES[zone]
    return next((c for prefix, c in _PREFIXES.items() if zone.startswith(prefix)), None)


def emergency_number(zone: str, locale: str = "en") -> str:
    """What to call for an ambulance where the user is (from the zone, else 112), in the
    words of `locale` when there are two."""
    country = country_of(zone)
    numbers = NUMBERS.get(country, FALLBACK) if country else FALLBACK
    return either(numbers.split("/"), locale)
