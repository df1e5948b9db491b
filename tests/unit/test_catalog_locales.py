"""A second locale translates its texts (all of them) and any part of the rest of the content;
routines and the safety note fall back to the default's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.catalog import Catalog, load_catalog
from bot.catalog.texts import TEXTS_FILE

FIXTURE = Path(__file__).parent / "catalog_fixtures" / "content"


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    root = tmp_path / "content"
    shutil.copytree(FIXTURE, root)
    de = root / "de"
    (de / "routines").mkdir(parents=True)
    classic = (root / "en" / "routines" / "classic.yaml").read_text(encoding="utf-8")
    classic = classic.replace("title: Classic\n", "title: Klassisches Ritual\n")
    classic = classic.replace("title: Get ready", "title: Vorbereitung")
    (de / "routines" / "classic.yaml").write_text(classic, encoding="utf-8")
    (de / TEXTS_FILE).write_text(
        "greeting = Hallo, <b>{ $name }</b>!\n"
        "plain = Nichts auszufüllen.\n"
        "progress = Schritt { $number } von { $total }\n"
        'link = <a href="https://example.org/{ $page }">mehr</a>\n',
        encoding="utf-8",
    )
    # pt-br has texts only: no routines, no safety note.
    (root / "pt-br").mkdir()
    (root / "pt-br" / TEXTS_FILE).write_text(
        "greeting = Olá, <b>{ $name }</b>!\n"
        "plain = Nada a preencher.\n"
        "progress = Passo { $number } de { $total }\n"
        'link = <a href="https://example.org/{ $page }">mais</a>\n',
        encoding="utf-8",
    )
    return load_catalog(root, default_locale="en")


def test_locales_are_sorted_with_the_default_first(catalog: Catalog) -> None:
    assert catalog.locales == ("en", "de", "pt-br")
    assert catalog.default_locale == "en"


def test_translated_routine_and_fallback_for_the_rest(catalog: Catalog) -> None:
    de = catalog.routines("de")
    assert [r.id for r in de] == [r.id for r in catalog.routines("en")]
    assert de[0].title == "Klassisches Ritual"
    assert de[0].steps[0].title == "Vorbereitung"
    assert catalog.routine("de", "quick") is catalog.routine("en", "quick")
    assert catalog.find("de", kind="daily", length="classic").title == "Klassisches Ritual"
    assert catalog.find("de", kind="depuff", cause="party").id == "depuff-party"
    assert catalog.routines("pt-br") == catalog.routines("en")


def test_find_long_and_short_depuff(catalog: Catalog) -> None:
    for locale in ("en", "de"):
        short = catalog.find(locale, kind="depuff", cause="party", length="quick")
        assert short is not None and short.id == "depuff-party-short"
        # Without a length the long one comes first; the fixture's file leaves `length` out.
        assert catalog.find(locale, kind="depuff", cause="party").id == "depuff-party"
        long = catalog.find(locale, kind="depuff", cause="party", length="classic")
        assert long is not None and long.id == "depuff-party"
        assert catalog.find(locale, kind="depuff", cause="flight", length="classic").id == (
            "depuff-flight"
        )
    assert catalog.find("en", kind="daily", length="quick").id == "quick"  # not a short de-puff


def test_unknown_routine_is_a_key_error(catalog: Catalog) -> None:
    with pytest.raises(KeyError):
        catalog.routine("de", "nope")
    with pytest.raises(KeyError):
        catalog.routine("en", "nope")


def test_find_returns_none_when_nothing_matches(catalog: Catalog) -> None:
    assert catalog.find("en", kind="daily", cause="flight") is None
    assert catalog.find("en").id == "classic"  # no criteria: the first in menu order


def test_safety_falls_back(catalog: Catalog) -> None:
    assert catalog.safety("de") is catalog.safety("en")
    assert catalog.safety("xx") is catalog.safety("en")


def test_texts_per_locale_with_numbers_written_its_way(catalog: Catalog) -> None:
    assert catalog.text("de", "greeting", name="Ana") == "Hallo, <b>Ana</b>!"
    assert catalog.text("pt-br", "plain") == "Nada a preencher."
    assert catalog.text("de", "progress", number=1, total=1000) == "Schritt 1 von 1.000"
    assert catalog.text("en", "progress", number=1, total=1000) == "Step 1 of 1,000"
    assert catalog.text("xx", "progress", number=1, total=3) == "Step 1 of 3"
    assert catalog.text_keys() == frozenset({"greeting", "plain", "progress", "link"})
    assert catalog.has_text("plain")
    assert not catalog.has_text("farewell")
    with pytest.raises(KeyError):
        catalog.text("de", "farewell")


@pytest.mark.parametrize(
    ("asked", "resolved"),
    [
        ("de", "de"),
        ("de-AT", "de"),
        ("DE", "de"),
        ("pt-BR", "pt-br"),
        ("pt_BR", "pt-br"),
        ("pt", "pt-br"),
        ("fr", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_language_codes_resolve_to_a_locale(catalog: Catalog, asked: str, resolved: str) -> None:
    assert catalog.resolve_locale(asked) == resolved


def test_text_escapes_params(catalog: Catalog) -> None:
    evil = "<script>alert('x')</script> & co"
    assert catalog.text("en", "greeting", name=evil) == (
        "Hello, <b>&lt;script&gt;alert('x')&lt;/script&gt; &amp; co</b>!"
    )
    assert catalog.text("en", "greeting", name='"quoted"') == 'Hello, <b>"quoted"</b>!'
    assert catalog.text("en", "progress", number=2, total=10) == "Step 2 of 10"  # str()-ed
    # A value that looks like a placeholder is not expanded again.
    assert catalog.text("en", "greeting", name="{name}") == "Hello, <b>{name}</b>!"
    # Unused params are ignored; the stored HTML itself is not escaped.
    assert catalog.text("en", "link", page="a&b", extra=1) == (
        '<a href="https://example.org/a&amp;b">more</a> &amp; <i>less</i>'
    )


def test_missing_param_names_the_text_and_the_param(catalog: Catalog) -> None:
    with pytest.raises(KeyError, match=r"greeting.*name"):
        catalog.text("en", "greeting")
