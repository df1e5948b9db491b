"""Issue 11, points 1, 2 and 10 below the handlers: rest days in the streak and the delivery
rule, the emergency number by zone, one route per red flag in every file, free text."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, time, timedelta
from html import escape
from pathlib import Path
from zoneinfo import available_timezones

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.catalog import CatalogError, load_catalog, sign_routes
from bot.catalog.models import ROUTE_NAMES
from bot.config import DEFAULT_CONTENT_DIR
from bot.domain import edema
from bot.domain.delivery_policy import Recipient, Verdict, decide
from bot.domain.emergency import FALLBACK, NUMBERS, ZONES, emergency_number
from bot.domain.free_text import is_one_of, one_slip, parse_list, topic
from bot.domain.streaks import DAYS_PER_FREEZE, Day, Summary, advance, recompute, standing
from bot.domain.zones import parse_timezone
from bot.telegram import render
from tests.support.content import real_catalog

FOUR = time(4, 0)
START = date(2026, 3, 2)
catalog = real_catalog()


def day(offset: int) -> Day:
    d = START + timedelta(days=offset)
    return Day(d, datetime.combine(d, time(9), UTC), "UTC")


# --- streaks --------------------------------------------------------------------------------


def test_a_rest_day_neither_breaks_the_run_nor_counts():
    rest = {START + timedelta(days=2)}
    summary, frozen = recompute([day(0), day(1), day(3)], FOUR, rest)
    assert (summary.current, summary.total_days, summary.freezes, frozen) == (3, 3, 0, ())
    without, _ = recompute([day(0), day(1), day(3)], FOUR)
    assert without.current == 1, "the same gap without a rest day breaks the run"


def test_freezes_cover_missed_days_around_a_rest_day_not_the_rest_day():
    history = [day(n) for n in range(7)]  # a week: one freeze earned
    rest = {START + timedelta(days=8)}
    summary, frozen = recompute([*history, day(9)], FOUR, rest)
    assert summary.current == 8 and frozen == (START + timedelta(days=7),)


def test_today_as_a_rest_day_is_not_at_risk():
    summary = advance(Summary(), day(0), FOUR).summary
    tomorrow = datetime.combine(START + timedelta(days=1), time(20), UTC)
    assert standing(summary, tomorrow, "UTC", FOUR).at_risk
    view = standing(summary, tomorrow, "UTC", FOUR, {START + timedelta(days=1)})
    assert view.resting_today and not view.at_risk and view.current == 1


@given(
    st.sets(st.integers(0, 40), min_size=1),
    st.sets(st.integers(0, 40)),
)
@example(done={*range(12), 29, 32, 34}, resting={30})  # a freeze spent on the nearer gap
def test_step_by_step_equals_recomputing_with_rest_days(done, resting):
    rest = {START + timedelta(days=n) for n in resting - done}
    days = [day(n) for n in sorted(done)]
    summary = Summary()
    for item in days:
        summary = advance(summary, item, FOUR, rest).summary
    assert summary == recompute(days, FOUR, rest)[0]
    # More rest days never shorten a run, as long as no freeze is in play. With one, a rest day
    # can bring a gap within the freeze's reach sooner, so it is spent on that gap instead of
    # a later one (done 0-11, 29, 32, 34 with a rest on day 30: the run is 1 at the end, 2
    # without the rest day); each freeze is spent on the first gap it closes, by the rules.
    without = recompute(days, FOUR)[0]
    if max(summary.best, without.best) < DAYS_PER_FREEZE:
        assert summary.current >= without.current


# --- the delivery rule ----------------------------------------------------------------------


@pytest.mark.parametrize("key", ["reminder:10:00", "nudge", "snooze:3", "flight:4"])
def test_nothing_is_sent_on_a_rest_day_and_everything_again_the_next_day(key):
    rest_day = date(2026, 11, 25)
    summary = Summary(
        2, 2, 2, 0, 2, Day(date(2026, 11, 24), datetime(2026, 11, 24, 9, tzinfo=UTC), "UTC")
    )
    recipient = Recipient(
        zone="UTC", day_starts_at=FOUR, summary=summary, rest_days=frozenset({rest_day})
    )
    for due in (datetime(2026, 11, 25, 10, tzinfo=UTC), datetime(2026, 11, 25, 20, tzinfo=UTC)):
        decision = decide(
            key,
            local_date=due.date(),
            due_at=due,
            now=due,
            grace=timedelta(hours=2),
            recipient=recipient,
        )
        assert decision.verdict is Verdict.REST_DAY
    # 02:00 on the 26th is still the 25th's ritual day (it starts at 04:00).
    late = datetime(2026, 11, 26, 2, tzinfo=UTC)
    assert (
        decide(
            key,
            local_date=late.date(),
            due_at=late,
            now=late,
            grace=timedelta(hours=2),
            recipient=recipient,
        ).verdict
        is Verdict.REST_DAY
    )
    nxt = datetime(2026, 11, 26, 10, tzinfo=UTC)
    decision = decide(
        key,
        local_date=nxt.date(),
        due_at=nxt,
        now=nxt,
        grace=timedelta(hours=2),
        recipient=recipient,
    )
    # The next day everything is back: the run of two goes on through the rest day, so the
    # reminder offers a third day and tonight's nudge is about a run of two.
    assert decision.send
    if key.startswith("reminder"):
        assert decision.streak_days == 3
    if key == "nudge":
        assert decision.streak_days == 2


# --- emergency numbers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "number"),
    [
        ("Asia/Tokyo", "119"),
        ("Europe/Moscow", "112 or 103"),
        ("America/New_York", "911"),
        ("America/Indiana/Indianapolis", "911"),
        ("Europe/London", "999"),
        ("Australia/Sydney", "000"),
        ("Europe/Berlin", "112"),
        ("UTC+03:00", "112"),
        ("UTC", "112"),
        ("Antarctica/Troll", "112"),
        ("Pacific/Pago_Pago", "911"),  # American Samoa, a US territory
        ("America/Puerto_Rico", "911"),
        ("Pacific/Kiritimati", "112"),
        ("UTC-09:30", "112"),
    ],
)
def test_the_emergency_number_comes_from_the_zone(zone, number):
    assert emergency_number(zone) == number


def test_the_table_holds_only_canonical_zones_and_known_countries():
    for zone, country in ZONES.items():
        assert parse_timezone(zone) == zone, zone  # bot.domain.zones would store it like this
        assert country in NUMBERS, zone
    for zone in available_timezones():
        assert emergency_number(zone)  # every zone gets a number, 112 when unknown
    assert FALLBACK == "112"


# --- one route per sign, in every file ------------------------------------------------------


def test_every_route_has_signs_and_every_sign_one_route():
    note = catalog.safety("en")
    ids = [sign.id for sign in note.signs]
    assert len(ids) == len(set(ids))
    assert set(ROUTE_NAMES) == {flag.route for flag in edema.ROUTES}
    for name in ROUTE_NAMES:
        assert note.signs_of(name), name


def _all_texts(locale: str):
    note = catalog.safety(locale)
    yield from sign_routes.note_texts(note)
    texts = {key: catalog.text(locale, key, **_dummy(key)) for key in catalog.text_keys()}
    yield from sign_routes.interface_texts(texts)
    for routine in catalog.routines(locale):
        yield from sign_routes.model_texts(routine)
    yield from sign_routes.model_texts(catalog.adaptations(locale))


def _dummy(key: str) -> dict[str, str]:
    return dict.fromkeys(catalog.text_placeholders(key), "x")


@pytest.mark.parametrize("locale", catalog.locales)
def test_the_same_sign_has_the_same_route_in_every_file(locale):
    """Routine files, interface texts, adaptations and the note's own advice, checked against
    safety.yaml's signs; and the check-in and the note, both drawn from that list, show each
    sign under its own route's heading."""
    note = catalog.safety(locale)
    assert sign_routes.check(note, _all_texts(locale)) == []
    headings = {name: escape(note.routes.of(name).heading, quote=False) for name in ROUTE_NAMES}
    shown = [render.safety_message(catalog, locale, "UTC")]
    shown += [
        render.red_flag_question(catalog, locale, cause, pregnant=True)
        for cause in render.DEPUFF_CAUSES
    ]
    for message in shown:
        for sign in note.signs:
            text = escape(sign.text, quote=False)
            if text not in message:
                assert message is not shown[0], f"the note lacks {sign.id}"
                continue  # a check-in for another cause
            above = message[: message.index(text)]
            nearest = max(ROUTE_NAMES, key=lambda name: above.rfind(headings[name]))
            assert nearest == sign.route, (sign.id, nearest)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, root)
    return root


def test_a_routine_giving_the_calf_another_route_is_refused(content: Path):
    path = content / "en" / "routines" / "depuff-flight.yaml"
    text = path.read_text(encoding="utf-8")
    assert "get medical help today" in text
    path.write_text(
        text.replace("get medical help today", "call the emergency number"),
        encoding="utf-8",
    )
    with pytest.raises(CatalogError) as error:
        load_catalog(content)
    message = str(error.value)
    assert "depuff-flight.yaml" in message and "'leg-clot'" in message and "'urgent'" in message


def test_an_emergency_sign_told_to_wait_is_refused(content: Path):
    path = content / "en" / "texts.ftl"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "unknown_message = ",
            "unknown_message = If your tongue swells, see a doctor next week. ",
        ),
        encoding="utf-8",
    )
    with pytest.raises(CatalogError) as error:
        load_catalog(content)
    assert "unknown_message" in str(error.value) and "'airway'" in str(error.value)


# --- free text ------------------------------------------------------------------------------

LISTS = {
    name: parse_list(catalog.text("en", f"words_{name}")) for name in ("flight", "party", "puffy")
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my face is puffy", "puffy"),
        ("My FACE is so PUFY!!", "puffy"),
        ("just landed", "flight"),
        ("Just lnaded in Rome", "flight"),
        ("puffy eyes after the party", "party"),
        ("such a hangover", "party"),
        ("jet lag again", "flight"),
        ("i landed", "flight"),
        ("jst landed", "flight"),
        ("puffyy face", "puffy"),
        ("Puffy eyes after party", "party"),
        ("hangover", "party"),
        ("drank too much last night", "party"),
        ("a big night out", "party"),
        ("hello there", None),
        ("a fine day", None),
        ("winter", None),  # one slip from nothing in the lists
    ],
)
def test_free_text_is_understood_well_enough(text, expected):
    assert topic(text, LISTS) == expected


def test_one_slip():
    assert (
        one_slip("puffy", "pufy") and one_slip("landed", "lnaded") and one_slip("party", "partyy")
    )
    assert not one_slip("puffy", "pfy") and not one_slip("landed", "handled")


def test_a_whole_argument_is_one_of_the_phrases():
    landed = parse_list(catalog.text("en", "words_landed"))
    for said in ("now", "Now!", "just landed", "Just lnaded", "i've landed", "arrived"):
        assert is_one_of(said, landed), said
    for said in ("", "now now", "18:30", "landed at 18:30", "abc", "tomorrow"):
        assert not is_one_of(said, landed), said
