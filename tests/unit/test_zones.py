"""Zones as users type them, and the one way from a stored zone to a tzinfo."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from bot.domain.zones import lacks_sign, local_date, parse_timezone, wall_clock, zone_for
from tests.support.zones import (
    MAX_OFFSET_MINUTES,
    MIN_OFFSET_MINUTES,
    NAMED,
    fixed_offsets,
    offset_zone,
    zones,
)

BOT = Path(__file__).resolve().parents[2] / "bot"
SIGNS = "+-\u2212"
MINUSES = "-\u2212"
NAMED_LOWER = {name.lower() for name in NAMED}
instants = st.datetimes(
    min_value=datetime(1971, 1, 1), max_value=datetime(2037, 12, 31), timezones=st.just(UTC)
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("America/New York", "America/New_York"),
        ("+03:00", "UTC+03:00"),
        ("+3", "UTC+03:00"),
        ("+0530", "UTC+05:30"),
        ("UTC-5", "UTC-05:00"),
        ("utc+14", "UTC+14:00"),
        ("UTC+14", "UTC+14:00"),
        ("GMT+5:30", "UTC+05:30"),
        ("\u221205:00", "UTC-05:00"),  # a real minus sign
        ("UTC \u2212 12", "UTC-12:00"),
        ("UTC", "UTC"),
        ("utc", "UTC"),
        ("+0", "UTC"),
        ("-00:00", "UTC"),
        # The city alone, as the onboarding buttons show it (one zone per city).
        ("Moscow", "Europe/Moscow"),
        ("berlin", "Europe/Berlin"),
        ("New York", "America/New_York"),
        ("los angeles", "America/Los_Angeles"),
        ("Pago Pago", "Pacific/Pago_Pago"),
    ],
)
def test_what_is_accepted(typed, expected):
    assert parse_timezone(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "12",  # was UTC-02:00: the "1" was taken for a sign
        "0730",  # was UTC-07:30
        "a5",  # was UTC-05:00
        "25:00",  # was UTC-05:00, so /flight 25:00 was a landing "now" in that zone
        "+15",
        "-13",
        "UTC-13",
        "+14:01",
        "+03:60",
        "+3:75",
        "3+",
        "++3",
        "+-3",
        "UTC5",
        "Mars/Olympus",
        "Eastern",  # US/Eastern is a link, not a place
        "Beijing",  # not a zone's city (Asia/Shanghai): refused rather than guessed
        "",
    ],
)
def test_what_is_refused(typed):
    assert parse_timezone(typed) is None


def test_a_missing_sign_is_told_apart_from_nonsense():
    assert lacks_sign("12") and lacks_sign("0730") and lacks_sign("utc 5")
    assert not lacks_sign("a5") and not lacks_sign("25") and not lacks_sign("+3")
    assert not lacks_sign("Europe/Berlin") and not lacks_sign("")


# Mostly the characters offsets are made of, so that near misses ("12", "u+3", "3-") come up.
offset_like = st.one_of(
    st.text(alphabet="0123456789:+-\u2212 utcgmaz", max_size=8), st.text(max_size=20)
)


@given(offset_like)
def test_an_offset_is_only_ever_read_from_a_sign(text):
    name = parse_timezone(text)
    if name is None or not name.startswith(("UTC+", "UTC-")):
        return
    # The sign typed is the sign stored: east stays east.
    if name.startswith("UTC+"):
        assert "+" in text
    else:
        assert "-" in text or "\u2212" in text
    assert text.strip().lower().lstrip("utcgm ")[:1] in SIGNS


@given(st.text(max_size=40))
def test_parsing_never_raises_and_its_answers_are_canonical_zones(text):
    name = parse_timezone(text)
    if name is not None:
        assert parse_timezone(name) == name
        assert datetime(2026, 1, 1, tzinfo=zone_for(name)).utcoffset() is not None


@given(st.from_regex(r"\A(utc|gmt|[a-z])?\s?\d{1,4}(:\d{2})?\Z"))
def test_digits_without_a_sign_are_never_a_zone(text):
    assume(text.lower() not in NAMED_LOWER)  # such as GMT0, an IANA name
    assert parse_timezone(text) is None


@st.composite
def typed_offsets(draw):
    """An offset in range as a person may type it, with the minutes it means."""
    minutes = draw(st.integers(MIN_OFFSET_MINUTES, MAX_OFFSET_MINUTES))
    hours, rest = divmod(abs(minutes), 60)
    sign = "+" if minutes >= 0 else draw(st.sampled_from(MINUSES))
    prefix = draw(st.sampled_from(["", "UTC", "utc", "GMT", "gmt"]))
    hour = draw(st.sampled_from([f"{hours}", f"{hours:02d}"]))
    tail = draw(st.sampled_from([f":{rest:02d}", f"{rest:02d}"] + ([""] if rest == 0 else [])))
    space = draw(st.sampled_from(["", " "]))
    return f"{prefix}{space}{sign}{space}{hour}{tail}", minutes


@given(typed_offsets())
def test_every_way_of_typing_an_offset_gives_its_canonical_name(typed):
    text, minutes = typed
    name, oracle = offset_zone(minutes)
    assert parse_timezone(text) == name
    assert parse_timezone(name) == name
    assert zone_for(name).utcoffset(None) == oracle.utcoffset(None)


@given(
    st.one_of(
        st.integers(-24 * 60, MIN_OFFSET_MINUTES - 1), st.integers(MAX_OFFSET_MINUTES + 1, 99 * 60)
    ),
    st.sampled_from(MINUSES),
)
def test_offsets_out_of_range_are_refused(minutes, minus):
    hours, rest = divmod(abs(minutes), 60)
    sign = "+" if minutes >= 0 else minus
    assert parse_timezone(f"UTC{sign}{hours:02d}:{rest:02d}") is None


@given(st.integers(0, 14), st.integers(60, 99), st.sampled_from(SIGNS))
def test_minutes_past_59_are_refused(hours, minutes, sign):
    assert parse_timezone(f"{sign}{hours:02d}:{minutes}") is None


@given(zones, instants)
def test_a_stored_zone_gives_the_tzinfo_it_names(zone, instant):
    name, oracle = zone
    assert instant.astimezone(zone_for(name)).utcoffset() == instant.astimezone(oracle).utcoffset()
    assert wall_clock(instant, name) == instant.astimezone(oracle).strftime("%H:%M")
    assert local_date(instant, name) == instant.astimezone(oracle).date()


@given(fixed_offsets)
def test_an_offset_is_named_as_stored(zone):
    name, _ = zone
    assert zone_for(name).tzname(None) == name


def test_a_zone_no_longer_known_reads_as_utc_and_is_logged_once(caplog):
    caplog.set_level(logging.WARNING, logger="bot.domain.zones")
    gone = "Atlantis/Poseidonia"  # as if removed from tzdata after it was stored
    assert zone_for(gone) is UTC
    assert zone_for(gone) is UTC
    assert wall_clock(datetime(2026, 11, 25, 8, 0, tzinfo=UTC), gone) == "08:00"
    warnings = [r for r in caplog.records if gone in r.getMessage()]
    assert len(warnings) == 1 and "using UTC" in warnings[0].getMessage()


def test_a_tzinfo_where_a_name_belongs_is_a_loud_error():
    with pytest.raises(TypeError):
        zone_for(ZoneInfo("Europe/Berlin"))


def test_naive_instants_are_refused():
    with pytest.raises(ValueError):
        local_date(datetime(2026, 1, 1), "UTC")


def test_only_the_domain_turns_zone_names_into_tzinfo():
    """One way from a stored zone to a tzinfo: `zone_for`, called only in bot/domain; nothing
    but bot/domain/zones.py builds a ZoneInfo or a fixed timezone itself."""
    offenders = []
    for path in sorted(BOT.rglob("*.py")):
        relative = path.relative_to(BOT).as_posix()
        source = path.read_text(encoding="utf-8")
        if relative != "domain/zones.py" and re.search(r"\bZoneInfo\(|[^.\w]timezone\(", source):
            offenders.append(f"{relative}: builds a tzinfo")
        if not relative.startswith("domain/") and "zone_for" in source:
            offenders.append(f"{relative}: calls zone_for outside bot/domain")
    assert offenders == []
    assert BOT.joinpath("domain/zones.py").exists()
