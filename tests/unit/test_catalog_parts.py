"""The catalogue's building blocks: YAML line mapping, Telegram HTML, Fluent texts, labels."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.catalog import Routine, Step
from bot.catalog.catalog import routine_order
from bot.catalog.errors import CatalogError, Problem, format_path
from bot.catalog.models import Cause, minutes_span
from bot.catalog.rules import LENGTH_WORDS
from bot.catalog.source import read_yaml
from bot.catalog.telegram_html import html_problems
from bot.catalog.texts import LocaleTexts, parse_texts
from bot.domain import edema

# --- YAML and lines ---------------------------------------------------------------------------

DOC = """\
title: A
steps:
  - id: one
    duration_s: 10
  - id: two

    duration_s: 20
nested:
  deeper:
    - [1, 2]
"""


def test_line_map_points_at_keys_and_items(tmp_path: Path) -> None:
    path = tmp_path / "doc.yaml"
    path.write_text(DOC, encoding="utf-8")
    doc, problems = read_yaml(path, "doc.yaml")
    assert problems == []
    assert doc is not None
    assert doc.data["steps"][1]["duration_s"] == 20
    assert doc.lines.line_for(("title",)) == 1
    assert doc.lines.line_for(("steps",)) == 2
    assert doc.lines.line_for(("steps", 1)) == 5
    assert doc.lines.line_for(("steps", 1, "duration_s")) == 7
    assert doc.lines.line_for(("nested", "deeper", 0, 1)) == 10
    # Unknown paths fall back to the nearest known ancestor, then to the document.
    assert doc.lines.line_for(("steps", 1, "avoid")) == 5
    assert doc.lines.line_for(("missing",)) == 1
    assert (
        str(doc.problem(("steps", 0, "avoid"), "required"))
        == "doc.yaml:3: steps[0].avoid: required"
    )


def test_duplicate_keys_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n", encoding="utf-8")
    _, problems = read_yaml(path, "dup.yaml")
    assert [str(p) for p in problems] == [
        "dup.yaml:4: b.c: key given twice (first on line 3)",
        "dup.yaml:5: a: key given twice (first on line 1)",
    ]


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        (
            "a: [1, 2\nb: 3\n",
            2,
            "YAML syntax error: while parsing a flow sequence (line 1), expected ','",
        ),
        ("a: b: c\n", 1, "YAML syntax error: mapping values are not allowed here"),
        ("a: 1\n\tb: 2\n", 2, "YAML syntax error: "),
        ("a: !!python/object:os.system x\n", 1, "YAML syntax error: could not determine a"),
        (
            "a: 1\n---\nb: 2\n",
            2,
            "YAML syntax error: expected a single document in the stream (line 1), but found",
        ),
    ],
)
def test_syntax_errors_have_a_line(tmp_path: Path, text: str, line: int, reason: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    doc, problems = read_yaml(path, "bad.yaml")
    assert doc is None
    assert len(problems) == 1
    assert str(problems[0]).startswith(f"bad.yaml:{line}: {reason}")


def test_invalid_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: café\n".encode("latin-1"))
    _, problems = read_yaml(path, "latin1.yaml")
    assert str(problems[0]).startswith("latin1.yaml: not valid UTF-8")


def test_problem_and_error_formatting() -> None:
    assert format_path(("steps", 3, "duration_s")) == "steps[3].duration_s"
    assert format_path(("tips", 0)) == "tips[0]"
    assert format_path(()) == ""
    problems = [Problem("a.yaml", "bad", 2, "x"), Problem("b.yaml", "worse")]
    error = CatalogError.from_problems(problems)
    assert str(error) == "a.yaml:2: x: bad\nb.yaml: worse"
    assert error.problems == tuple(problems)


# --- Telegram HTML ----------------------------------------------------------------------------

VALID_HTML = [
    "plain text",
    "<b>bold</b> <strong>s</strong> <i>i</i> <em>e</em> <u>u</u> <ins>i</ins>",
    "<s>s</s> <strike>s</strike> <del>d</del> <code>c</code> <pre>p</pre>",
    '<pre><code class="language-python">x = 1</code></pre>',
    '<a href="https://example.org/?a=1&amp;b=2">link</a>',
    "<blockquote>q</blockquote> <blockquote expandable>q</blockquote>",
    '<tg-spoiler>s</tg-spoiler> <span class="tg-spoiler">s</span>',
    "<b><i>nested</i></b>",
    "1 &lt; 2 &amp;&amp; 3 &gt; 2 &quot;q&quot; &#169; &#x1F600;",
    "a > b is fine for Telegram",
    "{name} and {{braces}}",
    "emoji ✅ and “quotes”",
]


@pytest.mark.parametrize("text", VALID_HTML)
def test_valid_telegram_html(text: str) -> None:
    assert html_problems(text) == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("<b>open", "<b> is never closed"),
        ("close</b>", "</b> closes a tag that was never opened"),
        ("<b><i>x</b></i>", "</b> found where </i> was expected"),
        ("<div>x</div>", "<div> is not a tag Telegram supports"),
        ("<b class='x'>x</b>", "<b> cannot have the attribute 'class'"),
        ("<a>x</a>", "<a> needs an href"),
        ('<span class="red">x</span>', '<span> is only allowed as <span class="tg-spoiler">'),
        ('<code class="x">x</code>', '<code> may only have class="language-..."'),
        ("a<br>b", "<br> is not a tag Telegram supports"),
        ("a<br/>b", "<br/> is not supported: Telegram has no self-closing tags"),
        ("1 < 2", "a literal '<' must be written &lt;"),
        ("<3", "a literal '<' must be written &lt;"),
        ("salt & pepper", "a bare '&' must be written &amp;"),
        ("&nbsp;", "a bare '&' must be written &amp;"),
        ("&amp", "a bare '&' must be written &amp;"),
        ("<!-- note -->", "HTML comments are not supported"),
    ],
)
def test_invalid_telegram_html(text: str, problem: str) -> None:
    assert any(p.startswith(problem) for p in html_problems(text)), html_problems(text)


def test_one_mistake_is_reported_once() -> None:
    assert html_problems("<p>a</p> <p>b</p>") == ["<p> is not a tag Telegram supports"]


def _texts(source: str, locale: str = "en", reference: LocaleTexts | None = None) -> LocaleTexts:
    texts, problems = parse_texts(source, "texts.ftl", locale, reference)
    assert problems == [], problems
    return texts


@given(st.text())
def test_escaped_text_is_always_valid(text: str) -> None:
    # Whatever a user types, once escaped the way catalog.text does, Telegram accepts it.
    assert html_problems(_texts("bold = <b>{ $x }</b>").format("bold", {"x": text})) == []


# --- Fluent texts -----------------------------------------------------------------------------

RUN = """run = { $days ->
    [one] a run of { $days } day
   *[other] a run of { $days } days
}
"""
RUN_RU = """run = { $days ->
    [one] серия из { $days } дня
    [few] серия из { $days } дней
    [many] серия из { $days } дней
   *[other] серия из { $days } дня
}
"""
DAYS_RU = """run = { $days ->
    [one] { $days } день
    [few] { $days } дня
    [many] { $days } дней
   *[other] { $days } дня
}
"""


def test_variables_and_plural_forms_per_language() -> None:
    english = _texts("hi = Hi { $name }, { $count } left, { $name } again\n" + RUN)
    assert english.variables == {"hi": {"name", "count"}, "run": {"days"}}
    shown = {n: english.format("run", {"days": n}) for n in (0, 1, 2, 5, 11, 21, 22, 25, 101)}
    assert shown[1] == "a run of 1 day" and shown[21] == "a run of 21 days"
    assert shown[0] == "a run of 0 days" and shown[101] == "a run of 101 days"
    russian = _texts(DAYS_RU, "ru", reference=_texts(RUN))
    words = {n: russian.format("run", {"days": n}) for n in (0, 1, 2, 5, 11, 21, 22, 25, 101)}
    assert words == {
        0: "0 дней", 1: "1 день", 2: "2 дня", 5: "5 дней", 11: "11 дней",
        21: "21 день", 22: "22 дня", 25: "25 дней", 101: "101 день",
    }  # fmt: skip
    # Numbers are written the locale's way; a text value is escaped, never taken as a count.
    assert russian.format("run", {"days": 1.5}) == "1,5 дня"
    assert english.format("hi", {"name": "<A>", "count": 1234}).startswith("Hi &lt;A&gt;, 1,234")


def test_a_translation_needs_every_message_variable_and_plural_form() -> None:
    english = _texts("hi = Hi { $name }\n" + RUN)
    _, problems = parse_texts(RUN.replace("[one]", "[few]"), "ru.ftl", "ru", english)
    reasons = [str(p) for p in problems]
    assert "ru.ftl:1: run: $days needs the plural forms many, one too" in reasons[0]
    assert reasons[1] == "ru.ftl: missing, to translate: hi"
    _, problems = parse_texts("hi = Привет, { $nom }\n" + RUN_RU, "ru.ftl", "ru", english)
    assert [str(p) for p in problems] == [
        "ru.ftl:1: hi: variables $nom differ from the default locale's $name"
    ]
    _, problems = parse_texts("hi = Hi { $name }\nbye = Bye\n" + RUN, "ru.ftl", "ru", english)
    assert any("bye: unknown message" in str(p) for p in problems)


def test_broken_fluent_and_html_are_reported_with_their_line() -> None:
    source = (
        "ok = Fine\nbroken = { $x\nbad_html = <b>{ $x ->\n    [a] A</i>\n   *[other] B</b>\n}\n"
    )
    _, problems = parse_texts(source, "texts.ftl", "en", None)
    reasons = [str(p) for p in problems]
    assert reasons[0].startswith("texts.ftl:2: not a Fluent message:"), reasons
    assert any(r.startswith("texts.ftl:3: bad_html: invalid Telegram HTML") for r in reasons)


# --- models -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "span"),
    [
        (20, (1, 1)),
        (240, (4, 4)),
        (300, (5, 5)),
        (330, (6, 6)),
        (480, (8, 8)),
        (600, (10, 10)),
        (900, (15, 15)),
        (901, (15, 20)),
        (1125, (15, 20)),
        (1200, (20, 20)),
        (1260, (20, 25)),
    ],
)
def test_minutes_span(seconds: int, span: tuple[int, int]) -> None:
    assert minutes_span(seconds) == span


@given(st.integers(min_value=30, max_value=4 * 3600))  # 3 steps of 10 s at least
def test_minutes_span_is_honest(seconds: int) -> None:
    low, high = minutes_span(seconds)
    minutes = seconds / 60
    if low != high:
        assert low < minutes < high and high - low == 5
    else:
        assert abs(low - minutes) <= 0.5


def _step(index: int, area: str = "cheeks") -> dict[str, object]:
    return {
        "id": f"s{index}",
        "title": "T",
        "areas": [area],
        "cue": "c",
        "duration_s": 60,
        "how": "h",
        "direction": "d",
        "avoid": "a",
    }


def _routine(routine_id: str, kind: str, **extra: object) -> Routine:
    steps = [_step(i) for i in range(3)]
    return Routine.model_validate(
        {"id": routine_id, "kind": kind, "title": "T", "summary": "S", "intro": "I", "outro": "O"}
        | {"steps": steps}
        | extra
    )


def test_routine_model() -> None:
    routine = _routine("r", "daily", length="quick", tips=["  tip  "])
    assert routine.total_seconds == 180
    assert routine.minutes_span == (3, 3)
    assert routine.tips == ("tip",)  # stripped
    assert isinstance(routine.steps[0], Step)
    assert routine.model_dump()["total_seconds"] == 180
    with pytest.raises(ValueError, match="frozen"):
        routine.title = "other"  # type: ignore[misc]
    assert hash(routine) == hash(_routine("r", "daily", length="quick", tips=["tip"]))


def test_menu_order() -> None:
    routines = [
        _routine("a-party-short", "depuff", cause="party", length="quick"),
        _routine("b-party", "depuff", cause="party"),
        _routine("a-flight-short", "depuff", cause="flight", length="quick"),
        _routine("z-flight", "depuff", cause="flight", length="classic"),
        _routine("quick", "daily", length="quick"),
        _routine("b-classic", "daily", length="classic"),
        _routine("a-classic", "daily", length="classic"),
    ]
    ordered = [r.id for r in sorted(routines, key=routine_order)]
    # Daily classic, daily quick; then per cause (flight, party) the long de-puff before the
    # short one; the same place is shared in id order.
    assert ordered == [
        "a-classic",
        "b-classic",
        "quick",
        "z-flight",
        "a-flight-short",
        "b-party",
        "a-party-short",
    ]


def test_depuff_length_defaults_to_the_long_version() -> None:
    assert _routine("r", "depuff", cause="flight").length == "classic"
    assert _routine("r", "depuff", cause="flight", length=None).length == "classic"
    assert _routine("r", "depuff", cause="flight", length="quick").length == "quick"
    assert _routine("r", "depuff", cause="flight", length="classic").length == "classic"
    # A daily routine still has to say which one it is.
    with pytest.raises(ValueError, match="a daily routine needs a length"):
        _routine("r", "daily")


def test_the_content_names_the_same_causes_as_the_check_in():
    """One list of causes: a de-puffing routine's `cause` is what the check-in, /depuff and
    the free-text topics understand (bot.domain.edema.Cause)."""
    assert get_args(Cause) == tuple(cause.value for cause in edema.Cause)


@pytest.mark.parametrize(
    ("text", "gives_a_length"),
    [
        ("Five-minute face", True),
        ("A calm 15-20 minute routine.", True),
        ("Самомассаж за 5\u00a0мин", True),
        ("Самомассаж на 15–20 минут", True),
        ("Пять минут для лица", True),
        ("Классический самомассаж", False),
        ("Быстрый уход за шеей", False),
    ],
)
def test_a_length_is_seen_in_english_and_russian(text: str, gives_a_length: bool) -> None:
    assert bool(LENGTH_WORDS.search(text)) is gives_a_length
