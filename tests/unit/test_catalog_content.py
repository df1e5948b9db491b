"""The real content/ folder loads and follows the method's rules.

Interface texts belong to the bot and change often, so these tests check them generically (every
key renders and escapes) and never name a specific key.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.catalog import Catalog, Routine, SafetyNote, load_catalog
from bot.catalog.rules import FACE_AREAS, NECK_AREAS, SAFETY_MAX_CHARS
from bot.catalog.texts import TEXTS_FILE

CONTENT = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(CONTENT, default_locale="en")


def test_real_content_loads(catalog: Catalog) -> None:
    assert catalog.default_locale == "en"
    assert catalog.locales[0] == "en"
    assert list(catalog.locales[1:]) == sorted(catalog.locales[1:])


DEPUFF_IDS = ["depuff-flight", "depuff-flight-short", "depuff-party", "depuff-party-short"]


def test_menu_order_and_one_routine_of_each_kind(catalog: Catalog) -> None:
    ids = [r.id for r in catalog.routines("en")]
    assert ids[:2] == ["classic", "quick"]
    assert set(ids) >= {"classic", "quick", *DEPUFF_IDS}
    kinds = [r.kind for r in catalog.routines("en")]
    assert kinds == sorted(kinds, key=lambda k: k != "daily")  # daily ones first
    # Per cause, flight before party, the long de-puff before the short one.
    assert [i for i in ids if i in DEPUFF_IDS] == DEPUFF_IDS
    assert catalog.find("en", kind="daily", length="classic").id == "classic"
    assert catalog.find("en", kind="daily", length="quick").id == "quick"
    for cause in ("flight", "party"):
        long, short = f"depuff-{cause}", f"depuff-{cause}-short"
        assert catalog.find("en", kind="depuff", cause=cause).id == long  # long first
        assert catalog.find("en", kind="depuff", cause=cause, length="classic").id == long
        assert catalog.find("en", kind="depuff", cause=cause, length="quick").id == short


def _areas(routine: Routine) -> list[set[str]]:
    return [set(step.areas) for step in routine.steps]


def test_classic_routine(catalog: Catalog) -> None:
    classic = catalog.routine("en", "classic")
    assert (classic.kind, classic.length, classic.title) == (
        "daily",
        "classic",
        "Classic face routine",
    )
    assert 10 <= len(classic.steps) <= 14
    assert 15 * 60 <= classic.total_seconds <= 20 * 60
    assert classic.minutes_span == (15, 20)
    assert classic.steps[0].areas == ("preparation",)
    areas = _areas(classic)
    last_neck_only = max(i for i, a in enumerate(areas) if a and a <= NECK_AREAS)
    first_face = min(i for i, a in enumerate(areas) if a & FACE_AREAS)
    assert last_neck_only < first_face
    # The last step sweeps the whole path: the face out to the temples, down the neck.
    assert {"forehead", "temples", "neck_sides", "collarbone"} <= areas[-1]
    # The brief's order of the face: jaw and chin, cheeks, nose, eyes, brows/forehead, temples.
    firsts = [s.areas[0] for s in classic.steps if set(s.areas) & FACE_AREAS][:-1]
    assert firsts == ["chin", "chin", "cheeks", "nose", "under_eyes", "brows", "temples"]


def test_quick_routine(catalog: Catalog) -> None:
    quick = catalog.routine("en", "quick")
    assert quick.title == "Quick routine"
    assert 5 <= len(quick.steps) <= 8
    assert 4 * 60 <= quick.total_seconds <= 6 * 60


@pytest.mark.parametrize(
    ("routine_id", "title", "length", "minutes"),
    [
        ("depuff-flight", "After a flight: full de-puff", "classic", (6, 10)),
        ("depuff-party", "After a late night: full de-puff", "classic", (6, 10)),
        ("depuff-flight-short", "After a flight: short de-puff", "quick", (3, 5)),
        ("depuff-party-short", "After a late night: short de-puff", "quick", (3, 5)),
    ],
)
def test_depuff_routines(
    catalog: Catalog, routine_id: str, title: str, length: str, minutes: tuple[int, int]
) -> None:
    routine = catalog.routine("en", routine_id)
    assert (routine.kind, routine.length, routine.title) == ("depuff", length, title)
    assert len(routine.steps) >= 5
    assert minutes[0] * 60 <= routine.total_seconds <= minutes[1] * 60
    assert routine.steps[0].areas == ("preparation",)
    assert len(routine.tips) >= 3
    intro = routine.intro.lower()
    assert "version" in intro and "water" in intro


@pytest.mark.parametrize("cause", ["flight", "party"])
def test_short_depuff_routines(catalog: Catalog, cause: str) -> None:
    short = catalog.routine("en", f"depuff-{cause}-short")
    long = catalog.routine("en", f"depuff-{cause}")
    assert [s.areas[0] for s in short.steps] == [
        "preparation",
        "collarbone",
        "preparation",  # oil on, after the stretch on bare skin
        "neck_sides",
        "under_eyes",
        "forehead",
    ]
    assert short.total_seconds < long.total_seconds
    assert short.minutes_span == (4, 4)
    tips = " ".join(short.tips).lower()
    for word in ("water", "salt", "head"):
        assert word in tips, word


def test_every_routine_works_the_neck_before_the_face(catalog: Catalog) -> None:
    for routine in catalog.routines("en"):
        areas = _areas(routine)
        last_neck_only = max(i for i, a in enumerate(areas) if a <= NECK_AREAS)
        first_face = min(i for i, a in enumerate(areas) if a & FACE_AREAS)
        assert last_neck_only < first_face, routine.id


def _all_text(routine: Routine) -> str:
    parts = [routine.title, routine.summary, routine.intro, routine.outro, *routine.tips]
    for step in routine.steps:
        parts += [step.title, step.cue, step.how, step.direction or "", step.avoid]
        parts.append(step.more or "")
    return " ".join(parts).lower()


def test_no_promises_and_no_leg_massage(catalog: Catalog) -> None:
    for routine in catalog.routines("en"):
        text = _all_text(routine)
        for word in ("guarantee", "cure", "will remove", "will eliminate", "detox"):
            assert word not in text, (routine.id, word)
    # After a flight a swollen leg can be a clot: no step may ever work on the legs.
    for routine in catalog.routines("en"):
        for step in routine.steps:
            words = f"{step.title} {step.cue} {step.how} {step.direction} {step.more}".lower()
            pattern = r"\b(legs?|calf|calves|ankles?|feet|foot)\b"
            assert not re.search(pattern, words), (routine.id, step.id)


def test_safety_note(catalog: Catalog) -> None:
    """Issue 11 point 3: every sign routed, and what was missing is there."""
    note = catalog.safety("en")
    assert isinstance(note, SafetyNote)
    for route in ("emergency", "urgent", "pregnancy", "allergy", "recurring"):
        assert note.signs_of(route), route
    ask_first = " ".join(note.ask_first_if).lower()
    for needed in (
        "thyroid",
        "blood clot now, or treatment for one",
        "blood thinners or bruise easily",
        "nuts",
        "patch-test",
        "dental surgery",
        "lymphoedema after head or neck cancer",
        "facial nerve",
        "heart or kidney disease",
    ):
        assert needed in ask_first, needed
    assert "have had" not in ask_first  # a clot long treated is no reason to stop for good
    not_today = " ".join(note.do_not_massage_if).lower()
    for needed in ("fever", "infection", "broken", "peel, laser, microneedling, threads"):
        assert needed in not_today, needed
    assert any("dizzy during neck work" in item for item in note.good_practice)
    assert "not medical advice" in note.disclaimer
    assert note.plain_length() + 400 <= SAFETY_MAX_CHARS


def test_every_interface_text_renders_and_escapes(catalog: Catalog) -> None:
    source = (CONTENT / "en" / TEXTS_FILE).read_text(encoding="utf-8")
    written = {line.split(" =", 1)[0] for line in source.splitlines() if " =" in line[:60]}
    assert catalog.text_keys() == {key for key in written if key.isidentifier()}
    for locale in catalog.locales:
        for key in catalog.text_keys():
            params = {name: "<&>" for name in catalog.text_placeholders(key)}
            rendered = catalog.text(locale, key, **params)
            assert "<&>" not in rendered
            if params:
                assert "&lt;&amp;&gt;" in rendered
