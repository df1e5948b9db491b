"""Every broken file stops loading with file:line: field: reason.

Each case copies a small valid content tree (catalog_fixtures/content) into tmp_path, breaks one
thing, and checks the message points at the right line. Lines are found by searching the broken
file, so the fixtures can be edited without renumbering the tests.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.catalog import load_catalog
from bot.catalog.texts import TEXTS_FILE
from tests.support.content_files import FIXTURE, copy_fixture, edit, line_of, load_error

CLASSIC = "en/routines/classic.yaml"
QUICK = "en/routines/quick.yaml"
FLIGHT = "en/routines/depuff-flight.yaml"
FLIGHT_SHORT = "en/routines/depuff-flight-short.yaml"
SAFETY = "en/safety.yaml"
TEXTS = f"en/{TEXTS_FILE}"

EYES_STEP = """  - id: eyes
    title: Under the eyes
    areas: [under_eyes]
    cue: Slow and light.
    duration_s: 90
    how: Tap along the bone.
    direction: Outwards.
    avoid: Pulling.
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_fixture(tmp_path)


def assert_reported(message: str, prefix: str) -> None:
    lines = message.splitlines()
    assert any(line.startswith(prefix) for line in lines), f"{prefix!r} not in:\n{message}"


def test_the_fixture_itself_is_valid() -> None:
    assert [r.id for r in load_catalog(FIXTURE).routines("en")] == [
        "classic",
        "quick",
        "depuff-flight",
        "depuff-flight-short",
        "depuff-party",
        "depuff-party-short",
    ]


# (file, [(old, new), ...], text on the expected line, "field: reason" the line starts with)
CASES = {
    "wrong type": (
        CLASSIC,
        [("duration_s: 90", 'duration_s: "long"')],
        '"long"',
        "steps[5].duration_s: Input should be a valid integer (got 'long')",
    ),
    "number as a string": (
        CLASSIC,
        [("duration_s: 90", 'duration_s: "90"')],
        '"90"',
        "steps[5].duration_s: Input should be a valid integer (got '90')",
    ),
    "duration too short": (
        CLASSIC,
        [("duration_s: 90", "duration_s: 5")],
        "duration_s: 5",
        "steps[5].duration_s: Input should be greater than or equal to 10",
    ),
    "missing step field": (
        CLASSIC,
        [("    avoid: Cold hands.\n", "")],
        "- id: prepare",
        "steps[0].avoid: required field is missing",
    ),
    "missing routine field": (
        CLASSIC,
        [("outro: Done.\n", "")],
        "id: classic",
        "outro: required field is missing",
    ),
    "too-long title": (
        CLASSIC,
        [("title: Classic\n", "title: " + "x" * 61 + "\n")],
        "xxxx",
        "title: String should have at most 60 characters",
    ),
    "too-long how": (
        CLASSIC,
        [("how: Glide along the jaw.", "how: " + "y" * 901)],
        "yyyy",
        "steps[3].how: String should have at most 400 characters",
    ),
    "how-to over the glance limit": (
        CLASSIC,
        [("how: Glide along the jaw.", "how: " + "glide " * 40 + "slowly out")],
        "glide glide",
        "steps[3].how: the how-to and its direction must be read at a glance: at most 35 words "
        "(has 45)",
    ),
    "cue over the glance limit": (
        CLASSIC,
        [("cue: Slow and light.", "cue: " + "very " * 10 + "light")],
        "very very",
        "steps[0].cue: the cue must be read at a glance: at most 10 words (has 11)",
    ),
    "suction outside a cups routine": (
        CLASSIC,
        [("how: Glide along the jaw.", "how: Glide along the jaw.\n    cautions: [tool, suction]")],
        "cautions: [tool, suction]",
        "steps[3].cautions: 'suction' is for steps using vacuum cups",
    ),
    "a preparation step that also touches an area": (
        CLASSIC,
        [("areas: [preparation]", "areas: [preparation, cheeks]")],
        "areas: [preparation, cheeks]",
        "steps[0].areas: 'preparation' means no area is touched: list it alone",
    ),
    "blank text": (
        CLASSIC,
        [("how: Warm your hands.", 'how: "   "')],
        'how: "   "',
        "steps[0].how: String should have at least 1 character",
    ),
    "title on two lines": (
        CLASSIC,
        [("title: Classic\n", 'title: "Two\\nlines"\n')],
        "Two",
        "title: must fit on one line",
    ),
    "bad step slug": (
        CLASSIC,
        [("  - id: jaw", "  - id: Jaw_1")],
        "Jaw_1",
        "steps[3].id: must be a slug",
    ),
    "bad routine slug": (
        CLASSIC,
        [("id: classic", "id: classic routine")],
        "classic routine",
        "id: must be a slug",
    ),
    "unknown step key": (
        CLASSIC,
        [("    avoid: Rubbing.", "    avoid: Rubbing.\n    pressure: light")],
        "pressure: light",
        "steps[6].pressure: unknown field; expected one of: id, title, areas, duration_s, cue,",
    ),
    "unknown routine key": (
        CLASSIC,
        [("outro: Done.", "outro: Done.\ncolour: red")],
        "colour: red",
        "colour: unknown field; expected one of: id, kind, length, cause,",
    ),
    "unknown kind": (
        CLASSIC,
        [("kind: daily", "kind: weekly")],
        "kind: weekly",
        "kind: Input should be 'daily' or 'depuff' (got 'weekly')",
    ),
    "unknown area": (
        CLASSIC,
        [("areas: [jaw]", "areas: [legs]")],
        "areas: [legs]",
        "steps[3].areas[0]: Input should be 'preparation', 'collarbone',",
    ),
    "tip of the wrong type": (
        CLASSIC,
        [("  - Be regular.", "  - 42")],
        "- 42",
        "tips[0]: Input should be a valid string (got 42)",
    ),
    "daily without a length": (
        CLASSIC,
        [("length: classic\n", "")],
        "id: classic",
        "length: a daily routine needs a length: 'classic' or 'quick'",
    ),
    "daily with a cause": (
        CLASSIC,
        [("length: classic", "length: classic\ncause: party")],
        "cause: party",
        "cause: only depuff routines have a cause",
    ),
    "depuff with an unknown length": (
        FLIGHT,
        [("length: classic", "length: short")],
        "length: short",
        "length: Input should be 'classic' or 'quick' (got 'short')",
    ),
    "depuff without a cause": (
        FLIGHT,
        [("cause: flight\n", "")],
        "id: depuff-flight",
        "cause: a depuff routine needs a cause: 'flight' or 'party'",
    ),
    "file name differs from id": (
        CLASSIC,
        [("id: classic", "id: classic-two")],
        "classic-two",
        "id: must equal the file name 'classic'",
    ),
    "duplicate key": (
        CLASSIC,
        [("title: Classic\n", "title: Classic\ntitle: Again\n")],
        "title: Again",
        "title: key given twice (first on line 4)",
    ),
    "bad YAML": (
        CLASSIC,
        [("title: Classic", "title: Classic: the best")],
        "Classic: the best",
        "YAML syntax error: mapping values are not allowed here",
    ),
    "classic with 7 steps": (
        CLASSIC,
        [(EYES_STEP, ""), ("duration_s: 150\n    how: Sweep", "duration_s: 240\n    how: Sweep")],
        "steps:",
        "steps: a classic routine needs at least 8 steps (has 7)",
    ),
    "neck step after a face step": (
        CLASSIC,
        [("areas: [cheeks]", "areas: [neck_back]")],
        "areas: [neck_back]",
        "steps[4].areas: neck_back comes after the face step steps[3] (jaw)",
    ),
    "classic too short": (
        CLASSIC,
        [("duration_s: 150", "duration_s: 10")],
        "steps:",
        "steps: a classic routine must take 15-20 minutes in total; "
        "its step durations add up to 13 min 40 s",
    ),
    "quick too long": (
        QUICK,
        [("duration_s: 100", "duration_s: 200")],
        "steps:",
        "steps: a quick routine must take 4-6 minutes in total; "
        "its step durations add up to 6 min 40 s",
    ),
    "short depuff of 6 minutes": (
        FLIGHT_SHORT,
        [("duration_s: 30", "duration_s: 180")],
        "steps:",
        "steps: a quick de-puffing routine must take 3-5 minutes in total; "
        "its step durations add up to 6 min",
    ),
    "short depuff under 3 minutes": (
        FLIGHT_SHORT,
        [("duration_s: 45", "duration_s: 10")],
        "steps:",
        "steps: a quick de-puffing routine must take 3-5 minutes in total; "
        "its step durations add up to 2 min 55 s",
    ),
    "neck step after a face step in a de-puffing routine": (
        FLIGHT,
        [("areas: [under_eyes]", "areas: [neck_back]")],
        "areas: [neck_back]",
        "steps[4].areas: neck_back comes after the face step steps[3] (cheeks)",
    ),
    "neck step after a face step in a short de-puffing routine": (
        FLIGHT_SHORT,
        [("areas: [forehead]", "areas: [shoulders]")],
        "areas: [shoulders]",
        "steps[4].areas: shoulders comes after the face step steps[3] (under_eyes)",
    ),
    "too-long safety item": (
        SAFETY,
        [("  - The skin is broken.", "  - " + "z" * 201)],
        "zzzz",
        "do_not_massage_if[1]: String should have at most 200 characters",
    ),
    "empty safety list": (
        SAFETY,
        [("ask_first_if:\n  - A swelling is painful or hot.", "ask_first_if: []")],
        "ask_first_if",
        "ask_first_if: Tuple should have at least 1 item",
    ),
}


@pytest.mark.parametrize(("file", "edits", "needle", "expected"), CASES.values(), ids=CASES)
def test_each_problem_names_file_line_and_field(
    root: Path, file: str, edits: list[tuple[str, str]], needle: str, expected: str
) -> None:
    path = root / file
    for old, new in edits:
        edit(path, old, new)
    assert_reported(load_error(root), f"{path}:{line_of(path, needle)}: {expected}")


def test_single_problem_is_exactly_one_line(root: Path) -> None:
    path = root / CLASSIC
    edit(path, "duration_s: 90", "duration_s: 5")
    line = line_of(path, "duration_s: 5")
    expected = f"{path}:{line}: steps[5].duration_s: Input should be greater than or equal to 10"
    assert load_error(root) == expected


def test_several_problems_are_listed_one_per_line(root: Path) -> None:
    edit(root / CLASSIC, "kind: daily", "kind: weekly")
    edit(root / SAFETY, "title: Safety first", "title: " + "t" * 70)
    edit(root / QUICK, "  - id: cheeks", "  - id: Cheeks")
    lines = load_error(root).splitlines()
    expected = [
        f"{root / SAFETY}:1: title: String should have at most 60",
        f"{root / CLASSIC}:2: kind:",
        f"{root / QUICK}:{line_of(root / QUICK, 'Cheeks')}: steps[1].id:",
    ]
    assert len(lines) == len(expected)
    for prefix in expected:
        assert sum(line.startswith(prefix) for line in lines) == 1, prefix


@pytest.mark.parametrize(
    ("field", "written"),
    [("summary", "A calm 15-20 minute routine."), ("title", "Five-minute face")],
)
def test_a_title_or_summary_gives_no_length_the_header_would_contradict(
    root: Path, field: str, written: str
) -> None:
    path = root / QUICK
    old = "summary: For busy days." if field == "summary" else "title: Quick"
    edit(path, old, f"{field}: {written}")
    expected = f"{field}: the {field} must not give a length"
    assert_reported(load_error(root), f"{path}:{line_of(path, written)}: {expected}")


def test_classic_must_start_with_preparation(root: Path) -> None:
    path = root / CLASSIC
    edit(path, "areas: [preparation]", "areas: [collarbone]")
    expected = "steps[0].areas: a classic routine starts with a 'preparation' step (got collarbone)"
    assert_reported(load_error(root), f"{path}:{line_of(path, '- id: prepare') + 2}: {expected}")


def test_a_tool_routine_needs_its_tool_on_enough_steps_and_keeps_cups_off_the_eyes(
    root: Path,
) -> None:
    path = root / QUICK
    edit(path, "title: Quick", "tool: cups\ntitle: Quick")
    message = load_error(root)
    assert_reported(
        message,
        f"{path}:{line_of(path, 'steps:')}: steps: a cups routine needs at least 3 steps using "
        "the tool (has 0)",
    )
    edit(path, "areas: [neck_sides]", "areas: [neck_sides]\n    cautions: [tool]")
    message = load_error(root)
    line = line_of(path, "cautions: [tool]")
    assert_reported(message, f"{path}:{line}: steps[0].cautions: a step with vacuum cups needs")
    assert_reported(
        message,
        f"{path}:{line_of(path, 'areas: [neck_sides]')}: steps[0].areas: cups never go over "
        "neck_sides",
    )


def test_step_ids_are_unique(root: Path) -> None:
    path = root / CLASSIC
    edit(path, "  - id: eyes", "  - id: jaw")
    line = line_of(path, "title: Under the eyes") - 1
    expected = "steps[5].id: step id 'jaw' is already used by steps[3]"
    assert_reported(load_error(root), f"{path}:{line}: {expected}")


def test_depuff_needs_five_steps(root: Path) -> None:
    path = root / FLIGHT
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("  - id: eyes")], encoding="utf-8")
    expected = "steps: a de-puffing routine needs at least 5 steps (has 4)"
    assert_reported(load_error(root), f"{path}:{line_of(path, 'steps:')}: {expected}")


def test_short_depuff_needs_five_steps_too(root: Path) -> None:
    path = root / FLIGHT_SHORT
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: eyes")
    text = text[:start] + text[text.index("  - id: sweep") :]
    path.write_text(text.replace("duration_s: 30", "duration_s: 75", 1), encoding="utf-8")
    strokes = root / "strokes" / "depuff-flight-short.yaml"
    drawn = yaml.safe_load(strokes.read_text(encoding="utf-8"))
    del drawn["eyes"]  # the step is gone, and so are its strokes
    strokes.write_text(yaml.safe_dump(drawn), encoding="utf-8")
    # 4 steps, 3 min 30 s: only the step count is wrong, and it is the only line reported.
    assert load_error(root) == (
        f"{path}:{line_of(path, 'steps:')}: steps: a de-puffing routine needs at least 5 steps "
        "(has 4)"
    )


def test_short_depuff_is_not_held_to_the_daily_quick_time(root: Path) -> None:
    # 3 min 30 s is too short for a daily quick routine (4-6 min) but right for a short de-puff.
    catalog = load_catalog(root)
    assert catalog.routine("en", "depuff-flight-short").total_seconds == 210


def test_safety_note_must_fit_one_message(root: Path) -> None:
    path = root / SAFETY
    items = "".join(f"  - {i:02d} " + "w" * 190 + "\n" for i in range(16))
    edit(path, "good_practice:\n  - Keep the pressure light.\n", f"good_practice:\n{items}")
    assert_reported(load_error(root), f"{path}:1: the note is too long for one message")


def test_empty_file(root: Path) -> None:
    (root / QUICK).write_text("# nothing yet\n", encoding="utf-8")
    assert_reported(load_error(root), f"{root / QUICK}:1: the file is empty")


def test_routine_file_must_be_a_mapping(root: Path) -> None:
    (root / QUICK).write_text("- just\n- a list\n", encoding="utf-8")
    assert_reported(load_error(root), f"{root / QUICK}:1: Input should be a valid dictionary")


@pytest.mark.parametrize("name", ["notes.txt", "classic.yml", "quick.yaml.bak"])
def test_unknown_file_in_routines(root: Path, name: str) -> None:
    (root / "en" / "routines" / name).write_text("id: x\n", encoding="utf-8")
    assert_reported(load_error(root), f"{root / 'en' / 'routines' / name}: unexpected entry")


def test_hidden_files_are_ignored(root: Path) -> None:
    (root / "en" / "routines" / ".DS_Store").write_bytes(b"\0\1")
    (root / "README.md").write_text("How to write content.\n", encoding="utf-8")
    load_catalog(root)


@pytest.mark.parametrize("name", ["English", "EN", "en_US", "e"])
def test_locale_folder_names_look_like_language_codes(root: Path, name: str) -> None:
    (root / name).mkdir()
    assert_reported(load_error(root), f"{root / name}: a folder in content/ must be named")


def test_unknown_entry_in_a_locale_folder(root: Path) -> None:
    (root / "en" / "safety.yml").write_text("title: x\n", encoding="utf-8")
    assert_reported(load_error(root), f"{root / 'en' / 'safety.yml'}: unexpected entry")


def remove_routine(root: Path, routine_id: str) -> None:
    """Delete a routine and its strokes, as an author removing it would."""
    (root / "en" / "routines" / f"{routine_id}.yaml").unlink()
    (root / "strokes" / f"{routine_id}.yaml").unlink()


def test_default_locale_needs_each_kind_of_routine(root: Path) -> None:
    remove_routine(root, "depuff-party")
    remove_routine(root, "quick")
    assert load_error(root) == (
        f"{root / 'en' / 'routines'}: the default locale needs at least one routine of each kind "
        "the bot offers; missing: daily/quick, depuff/party/classic"
    )


def test_default_locale_needs_a_short_depuff_routine_for_each_cause(root: Path) -> None:
    remove_routine(root, "depuff-flight-short")
    remove_routine(root, "depuff-party-short")
    assert load_error(root) == (
        f"{root / 'en' / 'routines'}: the default locale needs at least one routine of each kind "
        "the bot offers; missing: depuff/flight/quick, depuff/party/quick"
    )


def test_a_depuff_routine_without_a_length_is_the_long_one(root: Path) -> None:
    # Two long flight routines and no short one: the one without `length` does not count as short.
    edit(root / FLIGHT_SHORT, "length: quick\n", "")
    assert load_error(root).endswith("missing: depuff/flight/quick")


def test_coverage_is_not_judged_while_a_routine_is_broken(root: Path) -> None:
    # A typo in quick.yaml must not also claim that there is no quick routine.
    edit(root / QUICK, "kind: daily", "kind: dayly")
    assert "missing:" not in load_error(root)


@pytest.mark.parametrize("name", ["safety.yaml", TEXTS_FILE, "adaptations.yaml", "routines"])
def test_default_locale_needs_every_part(root: Path, name: str) -> None:
    target = root / "en" / name
    shutil.rmtree(target) if target.is_dir() else target.unlink()
    assert_reported(load_error(root), f"{target}: missing in the default locale")


def test_missing_default_locale(root: Path) -> None:
    assert_reported(
        load_error(root, "fr"), f"{root / 'fr'}: the default locale's folder is missing"
    )


def test_missing_content_folder(tmp_path: Path) -> None:
    assert load_error(tmp_path / "nope") == f"{tmp_path / 'nope'}: content folder not found"


# --- interface texts -------------------------------------------------------------------------

GREETING = "greeting = Hello, <b>{ $name }</b>!"
PLAIN = "plain = Nothing to fill in."


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            GREETING,
            "greeting = Hello, <b>{ $name }!",
            "greeting: invalid Telegram HTML: <b> is never",
        ),
        (
            GREETING,
            "greeting = <p>Hello, { $name }</p>",
            "greeting: invalid Telegram HTML: <p> is not",
        ),
        (PLAIN, "plain = Salt & pepper", "plain: invalid Telegram HTML: a bare '&' must be"),
        (PLAIN, "plain = 1 < 2", "plain: invalid Telegram HTML: a literal '<' must be written"),
        (PLAIN, "plain = <b>x</i>", "plain: invalid Telegram HTML: </i> found where </b> was"),
        (PLAIN, "plain = <a>x</a>", "plain: invalid Telegram HTML: <a> needs an href"),
        (PLAIN, "plain = <span>x</span>", "plain: invalid Telegram HTML: <span> is only allowed"),
        (PLAIN, "plain = line<br/>", "plain: invalid Telegram HTML: <br/> is not supported"),
        (PLAIN, "plain = Nothing { to fill", 'not a Fluent message: Expected token: "}"'),
        (PLAIN, "plain =", 'not a Fluent message: Expected message "plain" to have a value'),
        (
            PLAIN,
            "plain = { $n ->\n    [one] a\n}",
            "not a Fluent message: Expected one of the variants to be marked as default (*)",
        ),
        (PLAIN, "9lives = x", "not a Fluent message: Expected an entry start"),
        (PLAIN, "plain = x\n    .title = y", "plain: attributes (.name = ...) are not used"),
        (
            PLAIN,
            "plain = { -brand }",
            "plain: cannot be rendered: text 'plain': Unknown term: -brand",
        ),
    ],
)
def test_bad_interface_text(root: Path, old: str, new: str, expected: str) -> None:
    path = root / TEXTS
    edit(path, old, new)
    first_line = new.split("\n", 1)[0]
    assert_reported(load_error(root), f"{path}:{line_of(path, first_line)}: {expected}")


def test_a_message_written_twice(root: Path) -> None:
    path = root / TEXTS
    edit(path, PLAIN, PLAIN + "\nplain = Again.")
    assert_reported(
        load_error(root), f"{path}:{line_of(path, 'plain = Again.')}: plain: written twice"
    )


def write_de(root: Path, texts: str) -> Path:
    (root / "de").mkdir()
    path = root / "de" / TEXTS_FILE
    path.write_text(texts, encoding="utf-8")
    return path


DE_COMPLETE = (
    "greeting = Hallo, <b>{ $name }</b>!\n"
    "plain = Nichts.\n"
    "progress = Schritt { $number } von { $total }\n"
    'link = <a href="https://example.org/{ $page }">mehr</a>\n'
)


def test_translation_with_an_unknown_key(root: Path) -> None:
    path = write_de(root, DE_COMPLETE + "farewell = Tschüss!\n")
    assert load_error(root) == (
        f"{path}:5: farewell: unknown message: the default locale has no such text "
        "(translate existing ones)"
    )


def test_a_translation_must_have_every_message(root: Path) -> None:
    path = write_de(root, "plain = Nichts.\n")
    assert load_error(root) == f"{path}: missing, to translate: greeting, link, progress"


def test_translation_with_other_variables(root: Path) -> None:
    path = write_de(
        root,
        DE_COMPLETE.replace("{ $name }", "{ $nam }").replace(" von { $total }", ""),
    )
    lines = load_error(root).splitlines()
    assert lines == [
        f"{path}:1: greeting: variables $nam differ from the default locale's $name",
        f"{path}:3: progress: variables $number differ from the default locale's $number $total",
    ]


def test_translation_with_invalid_html(root: Path) -> None:
    path = write_de(root, DE_COMPLETE.replace("plain = Nichts.", "plain = <b>Nichts"))
    assert load_error(root) == f"{path}:2: plain: invalid Telegram HTML: <b> is never closed"


def test_a_plural_needs_every_form_of_the_language(root: Path) -> None:
    # English counts have two forms; Russian four (one, few, many, other).
    en = root / TEXTS
    edit(en, PLAIN, "plain = { $n ->\n    [one] { $n } day\n   *[other] { $n } days\n}")
    (root / "ru").mkdir()
    ru = root / "ru" / TEXTS_FILE
    ru.write_text(
        DE_COMPLETE.replace(
            "plain = Nichts.", "plain = { $n ->\n    [one] { $n } день\n   *[other] { $n } дня\n}"
        ),
        encoding="utf-8",
    )
    assert load_error(root) == (
        f"{ru}:2: plain: $n needs the plural forms few, many too "
        "(Russian has few, many, one, other)"
    )


# --- translated routines ----------------------------------------------------------------------


def test_translated_routine_must_exist_in_default(root: Path) -> None:
    (root / "de" / "routines").mkdir(parents=True)
    target = root / "de" / "routines" / "extra.yaml"
    text = (root / QUICK).read_text(encoding="utf-8").replace("id: quick", "id: extra")
    target.write_text(text, encoding="utf-8")
    assert_reported(load_error(root), f"{target}:1: id: the default locale has no routine")


def test_translated_routine_keeps_steps_and_durations(root: Path) -> None:
    (root / "de" / "routines").mkdir(parents=True)
    target = root / "de" / "routines" / "quick.yaml"
    shutil.copy(root / QUICK, target)
    edit(target, "duration_s: 100", "duration_s: 90")
    edit(target, "duration_s: 100", "duration_s: 110")
    message = load_error(root)
    assert_reported(message, f"{target}:{line_of(target, 'duration_s: 90')}: steps[0].duration_s:")
    assert_reported(message, f"{target}:{line_of(target, 'duration_s: 110')}: steps[1].duration_s:")


def test_translated_routine_keeps_step_ids(root: Path) -> None:
    (root / "de" / "routines").mkdir(parents=True)
    target = root / "de" / "routines" / "quick.yaml"
    shutil.copy(root / QUICK, target)
    edit(target, "  - id: cheeks", "  - id: wangen")
    assert_reported(
        load_error(root),
        f"{target}:{line_of(target, 'steps:')}: steps: must have the same step ids",
    )


def test_a_broken_default_does_not_add_noise_to_translations(root: Path) -> None:
    # Only the real mistakes are reported, not their knock-on effects on the German files.
    edit(root / TEXTS, GREETING, "greeting = Hello, <b>{ $name }!")
    edit(root / QUICK, "kind: daily", "kind: dayly")
    write_de(root, DE_COMPLETE)
    (root / "de" / "routines").mkdir()
    shutil.copy(FIXTURE / QUICK, root / "de" / "routines" / "quick.yaml")
    lines = load_error(root).splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith(f"{root / TEXTS}:2: greeting: invalid Telegram HTML")
    assert lines[1].startswith(f"{root / QUICK}:2: kind:")
