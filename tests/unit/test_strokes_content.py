"""Strokes (content/strokes/): every step has them, and every broken file or rule is reported
with file:line: field: reason, the step and the segment named.

Broken cases copy the small valid fixture tree (catalog_fixtures/content) into tmp_path, break
one thing and look for the message, as test_catalog_errors.py does for routines.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.catalog import load_catalog
from bot.catalog.stroke_rules import check_step_strokes
from bot.domain.face_map import NECK_BASE, path_problems
from tests.support.content import real_catalog
from tests.support.content_files import FIXTURE, copy_fixture, edit, line_of, load_error

STROKES = "strokes/classic.yaml"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_fixture(tmp_path)


def assert_reported(message: str, expected: str) -> None:
    assert expected in message.splitlines(), f"{expected!r} not in:\n{message}"


# --- the real catalogue ------------------------------------------------------------------


def test_every_step_of_every_routine_has_strokes_that_keep_every_rule() -> None:
    catalog = real_catalog()
    checked = 0
    for routine in catalog.routines("en"):
        for step in routine.steps:
            strokes = catalog.strokes(routine.id, step.id)
            assert strokes is not None, (routine.id, step.id)
            assert check_step_strokes(routine, step, strokes) == [], (routine.id, step.id)
            for path in strokes.paths:
                assert strokes.view is not None
                assert path_problems(strokes.view, step.areas, path.points) == []
            checked += 1
    assert checked >= 70  # every step of ten routines


def test_the_collarbone_step_stretches_towards_the_base_of_the_neck() -> None:
    catalog = real_catalog()
    for routine in catalog.routines("en"):
        step = next(s for s in routine.steps if s.areas == ("collarbone",))
        strokes = catalog.strokes(routine.id, step.id)
        assert strokes is not None and strokes.view is not None
        base = NECK_BASE[strokes.view]
        for path in strokes.paths:
            assert path.kind == "stretch"
            (x0, y0), (x1, y1) = path.points
            assert (base[0] - x1) ** 2 + (base[1] - y1) ** 2 < (base[0] - x0) ** 2 + (
                base[1] - y0
            ) ** 2, routine.id


def test_preparation_steps_are_illustrated_and_skin_steps_drawn() -> None:
    catalog = real_catalog()
    for routine in catalog.routines("en"):
        for step in routine.steps:
            strokes = catalog.strokes(routine.id, step.id)
            assert strokes is not None
            if not step.touches_skin:
                assert strokes.illustration in ("breathe", "oil", "water"), step.id
                assert strokes.paths == ()
            else:
                assert strokes.paths or strokes.illustration == "compress", step.id


def test_translations_share_the_strokes(root: Path) -> None:
    # A translated routine has the same step ids; the strokes come from content/strokes/ alone.
    (root / "de").mkdir()
    shutil.copytree(root / "en" / "routines", root / "de" / "routines")
    catalog = load_catalog(root)
    assert catalog.strokes("classic", "cheeks") is not None


# --- broken files ------------------------------------------------------------------------


def test_a_missing_strokes_folder_is_an_error(root: Path) -> None:
    shutil.rmtree(root / "strokes")
    assert load_error(root).startswith(f"{root / 'strokes'}: missing: every routine's steps")


def test_a_routine_without_strokes_is_an_error(root: Path) -> None:
    (root / "strokes" / "quick.yaml").unlink()
    assert_reported(
        load_error(root),
        f"{root / 'strokes' / 'quick.yaml'}: missing: the strokes of routine 'quick', step by step",
    )


def test_strokes_for_an_unknown_routine_are_an_error(root: Path) -> None:
    shutil.copy(root / STROKES, root / "strokes" / "lunch-break.yaml")
    assert_reported(
        load_error(root),
        f"{root / 'strokes' / 'lunch-break.yaml'}:3: no routine 'lunch-break': strokes are for "
        "the steps of an existing routine (the file name is the routine id)",
    )


def test_strokes_for_an_unknown_step_are_an_error(root: Path) -> None:
    path = root / STROKES
    edit(path, "\ncheeks:", "\nchecks:")
    message = load_error(root)
    assert_reported(
        message,
        f"{path}:{line_of(path, 'checks:')}: checks: routine 'classic' has no step 'checks' "
        "(its steps: prepare, collarbone, neck, jaw, cheeks, eyes, forehead, sweep)",
    )
    first = line_of(path, "prepare:")  # the file's first entry: the missing one goes beside it
    assert_reported(message, f"{path}:{first}: step 'cheeks' has no strokes: add them")


def test_an_unknown_field_names_the_fields_it_may_be(root: Path) -> None:
    path = root / STROKES
    edit(path, "      points: [[0.445, 0.49]", "      colour: red\n      points: [[0.445, 0.49]")
    assert_reported(
        load_error(root),
        f"{path}:{line_of(path, 'colour: red')}: cheeks.paths[0].colour: unknown field; "
        "expected one of: kind, points, order, hands, turns",
    )


def test_a_coordinate_off_the_picture_is_an_error_on_its_line(root: Path) -> None:
    path = root / STROKES
    edit(path, "[[0.445, 0.49], [0.36, 0.5]", "[[0.445, 1.49], [0.36, 0.5]")
    assert_reported(
        load_error(root),
        f"{path}:{line_of(path, '1.49')}: cheeks.paths[0].points[0][1]: "
        "Input should be less than or equal to 1",
    )


def test_a_long_stretch_is_a_glide(root: Path) -> None:
    path = root / STROKES
    edit(path, "[[0.27, 0.53], [0.37, 0.565]]", "[[0.17, 0.50], [0.37, 0.565]]")
    assert_reported(
        load_error(root),
        f"{path}:{line_of(path, '- kind: stretch')}: collarbone.paths[0]: a stretch moves the "
        "skin a short way (at most 0.12); a longer movement is a glide",
    )


def test_orders_run_without_gaps(root: Path) -> None:
    path = root / STROKES
    edit(path, "      order: 2\n", "      order: 3\n")
    assert_reported(
        load_error(root),
        f"{path}:{line_of(path, 'cheeks:')}: cheeks: orders must run 1, 2, 3... without gaps "
        "(got [1, 3])",
    )


def test_a_preparation_step_gets_an_illustration_not_paths(root: Path) -> None:
    path = root / STROKES
    paths = (
        "  view: neck\n  hands: palm\n  paths:\n"
        "    - kind: glide\n      points: [[0.07, 0.6], [0.29, 0.53]]\n"
    )
    edit(path, "  illustration: breathe\n  repeat: 5\n", paths)
    assert_reported(
        load_error(root),
        f"{path}:{line_of(path, 'prepare:')}: prepare: a preparation step touches no skin: give "
        "it an illustration (breathe, oil or water) and no paths",
    )


def test_a_skin_step_is_drawn_not_illustrated(root: Path) -> None:
    path = root / STROKES
    text = path.read_text(encoding="utf-8")
    eyes = text.index("eyes:")
    end = text.index("\n\n", eyes)
    path.write_text(text[:eyes] + "eyes:\n  illustration: water" + text[end:], encoding="utf-8")
    assert_reported(
        load_error(root),
        f"{path}:{line_of(path, 'illustration: water')}: eyes.illustration: 'eyes' works on the "
        "skin (under_eyes): draw its paths instead",
    )


def test_a_step_without_the_tool_caution_is_drawn_with_hands(root: Path) -> None:
    path = root / STROKES
    edit(path, "  hands: ring_fingers\n", "  hands: stone\n")
    assert_reported(
        load_error(root),
        f"{path}:{line_of(path, 'hands: stone')}: eyes.hands: this step has no 'tool' caution: "
        "draw it with the hands",
    )


# --- the physiology rule catches each kind of broken stroke ------------------------------


def test_a_stroke_across_the_eye_is_an_error(root: Path) -> None:
    path = root / STROKES
    edit(path, "[[0.455, 0.395], [0.4, 0.405], [0.345, 0.395]]", "[[0.455, 0.395], [0.4, 0.36]]")
    assert_reported(
        load_error(root),
        f"{path}:{line_of(path, '[0.4, 0.36]')}: eyes.paths[0].points: segment 1 "
        "([0.455, 0.395] to [0.4, 0.36]) crosses the eye, which strokes avoid",
    )


def test_a_neck_stroke_going_up_is_an_error(root: Path) -> None:
    path = root / STROKES
    edit(
        path,
        "[[0.56, 0.52], [0.56, 0.62], [0.54, 0.74], [0.51, 0.86]]",
        "[[0.51, 0.86], [0.54, 0.74], [0.56, 0.62], [0.56, 0.52]]",
    )
    message = load_error(root)
    # Reported where the stroke is written, not again by every routine drawing it the same.
    assert message.count("neck.paths[0].points: segment 1") == 1
    assert_reported(
        message,
        f"{path}:{line_of(path, '[[0.51, 0.86]')}: neck.paths[0].points: segment 1 "
        "([0.51, 0.86] to [0.54, 0.74]) goes up or across the neck: neck strokes go down, "
        "towards the collarbone",
    )


def test_a_face_stroke_towards_the_centre_is_an_error(root: Path) -> None:
    path = root / STROKES
    edit(path, "[[0.445, 0.49], [0.36, 0.5], [0.27, 0.47]]", "[[0.27, 0.47], [0.36, 0.48]]")
    assert_reported(
        load_error(root),
        f"{path}:{line_of(path, '[[0.27, 0.47]')}: cheeks.paths[0].points: segment 1 "
        "([0.27, 0.47] to [0.36, 0.48]) goes towards the centre of the face: face strokes go "
        "from the centre outwards",
    )


def test_a_collarbone_stretch_away_from_the_neck_is_an_error(root: Path) -> None:
    path = root / STROKES
    edit(path, "[[0.27, 0.53], [0.37, 0.565]]", "[[0.30, 0.54], [0.22, 0.53]]")
    assert_reported(
        load_error(root),
        f"{path}:{line_of(path, '[[0.30, 0.54]')}: collarbone.paths[0].points: segment 1 "
        "([0.3, 0.54] to [0.22, 0.53]) does not point towards the base of the neck: collarbone "
        "and shoulder strokes go inwards, to just above the inner ends of the collarbones",
    )


def test_a_stroke_off_its_areas_is_an_error(root: Path) -> None:
    path = root / STROKES
    # The fixture's eye step names under_eyes only: carrying on to the temple leaves it.
    edit(path, "[0.4, 0.405], [0.345, 0.395]]", "[0.4, 0.405], [0.345, 0.395], [0.28, 0.34]]")
    assert_reported(
        load_error(root),
        f"{path}:{line_of(path, '[0.28, 0.34]')}: eyes.paths[0].points: segment 3 "
        "([0.345, 0.395] to [0.28, 0.34]) leaves the step's areas (by 0.06): add the area it "
        "crosses, or move it",
    )


# --- same_as: a step drawn as another routine's ----------------------------------------------


def test_same_as_draws_a_step_as_another_routines(root: Path) -> None:
    catalog = load_catalog(root)
    assert "same_as: classic" in (root / "strokes" / "quick.yaml").read_text(encoding="utf-8")
    assert catalog.strokes("quick", "sweep") == catalog.strokes("classic", "sweep")
    assert catalog.strokes("quick", "sweep").same_as is None  # resolved, not the reference


def test_same_as_needs_the_step_drawn_in_the_other_routine(root: Path) -> None:
    path = root / "strokes" / "quick.yaml"
    edit(path, "neck:\n  same_as: classic", "neck:\n  same_as: depuff-party")
    assert_reported(
        load_error(root),
        f"{path}:{line_of(path, 'same_as: depuff-party')}: neck.same_as: "
        "strokes/depuff-party.yaml must draw a step 'neck' itself (not by same_as)",
    )


@pytest.mark.parametrize("other", ["lunch-break", "quick"])
def test_same_as_names_a_routine_with_strokes_of_its_own(root: Path, other: str) -> None:
    path = root / "strokes" / "quick.yaml"
    edit(path, "neck:\n  same_as: classic", f"neck:\n  same_as: {other}")
    assert_reported(
        load_error(root),
        f"{path}:{line_of(path, f'same_as: {other}')}: neck.same_as: "
        f"strokes/{other}.yaml must draw a step 'neck' itself (not by same_as)",
    )


def test_same_as_stands_alone(root: Path) -> None:
    path = root / "strokes" / "quick.yaml"
    edit(path, "neck:\n  same_as: classic", "neck:\n  same_as: classic\n  repeat: 3")
    assert_reported(
        load_error(root),
        f"{path}:{line_of(path, 'neck:')}: neck: same_as stands alone: the strokes are the "
        "other routine's",
    )


def test_a_referenced_stroke_is_checked_against_each_step_using_it(root: Path) -> None:
    # classic's sweep is drawn over the forehead; a routine whose sweep names other areas
    # cannot borrow it.
    routine = root / "en" / "routines" / "quick.yaml"
    text = routine.read_text(encoding="utf-8")
    sweep = text.index("  - id: sweep")
    routine.write_text(
        text[:sweep] + text[sweep:].replace("areas: [forehead]", "areas: [cheeks]", 1),
        encoding="utf-8",
    )
    path = root / "strokes" / "quick.yaml"
    assert_reported(
        load_error(root),
        f"{path}:{line_of(path, 'sweep:')}: sweep.paths[0].points: segment 1 "
        "([0.485, 0.2] to [0.4, 0.2]) leaves the step's areas (by 0.22): add the area it "
        "crosses, or move it",
    )


def test_each_order_of_paths_is_a_pass_of_its_own_that_must_fit(root: Path) -> None:
    # cheeks: below the cheekbone, then on it: two passes of 55 s do not fit in 100 s.
    routines = root / "en" / "routines" / "classic.yaml"
    text = routines.read_text(encoding="utf-8")
    cheeks = text.index("id: cheeks")
    routines.write_text(
        text[:cheeks] + text[cheeks:].replace("duration_s: 150", "duration_s: 100", 1),
        encoding="utf-8",
    )
    path = root / STROKES
    edit(path, "  pass_seconds: 3\n", "  pass_seconds: 55\n")
    assert_reported(
        load_error(root),
        f"{path}:{line_of(path, 'pass_seconds: 55')}: cheeks.pass_seconds: 2 pass(es) of 55 s "
        "do not fit in the step's 100 s",
    )


def test_the_passes_a_step_repeats_fit_in_its_time(root: Path) -> None:
    path = root / STROKES
    edit(path, "  repeat: 5\n  pass_seconds: 6\n", "  repeat: 30\n  pass_seconds: 6\n")
    duration = load_catalog(FIXTURE).routine("en", "classic").steps[0].duration_s
    assert_reported(
        load_error(root),
        f"{path}:{line_of(path, 'pass_seconds: 6')}: prepare.pass_seconds: 30 pass(es) of 6 s "
        f"do not fit in the step's {duration} s",
    )
