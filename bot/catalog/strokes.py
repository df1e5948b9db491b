"""Each step's strokes: where the hands go and which way, read from content/strokes/.

Strokes are the same in every language, so they live beside the locale folders, one file per
routine (`content/strokes/<routine-id>.yaml`), keyed by step id. The shapes are validated with
pydantic like the rest of the content, and `load_strokes` reports every problem with its file,
line and field through the loader's own machinery (it is handed the loader's `validate`).
The coordinates and regions they refer to are in bot/domain/face_map.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Literal, get_args

from pydantic import Field, RootModel, model_validator

from bot.domain.face_map import STRETCH_MAX, PathKind, View, distance

from .errors import Problem
from .models import Routine, Slug, Step, _Content
from .rules import Finding
from .source import YamlDoc, read_yaml
from .stroke_rules import check_step_strokes

STROKES_DIR = "strokes"

# What touches the skin. Fingers: fingertips (one or two), flat_fingers (the pads of several),
# ring_fingers (the lightest, under the eyes), v_grip (index above the jawbone, middle below),
# palm. Tools: cup (vacuum cup), stone (gua sha), roller.
Hands = Literal[
    "fingertips", "flat_fingers", "ring_fingers", "v_grip", "palm", "cup", "stone", "roller"
]
HANDS: tuple[str, ...] = get_args(Hands)
# A picture for a step that moves no skin (or lays something on it): slow belly breaths, oil
# warmed between the palms, a glass of water and a cool splash, a warm cloth over the face.
Illustration = Literal["breathe", "oil", "water", "compress"]
ILLUSTRATIONS: tuple[str, ...] = get_args(Illustration)

Coordinate = Annotated[float, Field(ge=0, le=1)]
Point = tuple[Coordinate, Coordinate]


class StrokePath(_Content):
    """One movement: the hand goes down at the first point, follows the points, and lifts off
    at the last (to go back in the air, unpressed)."""

    kind: PathKind
    points: Annotated[tuple[Point, ...], Field(min_length=1, max_length=12)]
    # The order paths are done in, when it matters ("first below the cheekbone, then on it");
    # paths done together (both sides at once, lanes of one pass) share a number.
    order: Annotated[int, Field(strict=True, ge=1, le=9)] | None = None
    # What touches the skin on this path, where it differs from the step's.
    hands: Hands | None = None
    # circles only: how many circles at each point (None: as many as feel right).
    turns: Annotated[int, Field(strict=True, ge=1, le=10)] | None = None

    @model_validator(mode="after")
    def _fits_kind(self) -> StrokePath:
        count = len(self.points)
        if self.kind in ("glide", "tap") and count < 2:
            raise ValueError(f"a {self.kind} needs at least 2 points: where it starts and ends")
        if self.kind == "stretch":
            if count != 2:
                raise ValueError(
                    "a stretch has exactly 2 points: where the fingers rest, and "
                    "how far the skin moves"
                )
            if distance(*self.points) > STRETCH_MAX:
                raise ValueError(
                    f"a stretch moves the skin a short way (at most {STRETCH_MAX}); "
                    "a longer movement is a glide"
                )
        if self.turns is not None and self.kind != "circles":
            raise ValueError("only circles have turns")
        return self


class StepStrokes(_Content):
    """How one step is drawn: paths on a view, or an illustration (a step that moves no skin);
    or `same_as` another routine, whose step of the same id is drawn the same way (the
    collarbone stretch is in every routine: it is written once)."""

    same_as: Slug | None = None

    view: View | None = None
    hands: Hands | None = None
    # How many times the whole step is done; None: keep repeating until the step's time is up.
    repeat: Annotated[int, Field(strict=True, ge=1, le=30)] | None = None
    # Both sides alike: the paths are given for one side and drawn on both.
    mirrored: bool = False
    # Seconds one pass takes, for the animation's pace ("about three seconds a pass"): a pass
    # over the paths done together (those of one order, or all when there are no orders;
    # orders follow one another, a pass each), or one breath, one compress.
    pass_seconds: Annotated[float, Field(ge=0.5, le=60)] = 3.0
    paths: tuple[StrokePath, ...] = ()
    illustration: Illustration | None = None

    @model_validator(mode="after")
    def _consistent(self) -> StepStrokes:
        if self.same_as is not None:
            _same_as_alone(self)
            return self
        _paths_or_illustration(self)
        _orders_run_on(self.paths)
        return self

    def hands_of(self, path: StrokePath) -> str:
        return path.hands or self.hands or "fingertips"


# The checks of one step's strokes that span its fields, apart so that each says one thing; each
# raises the ValueError pydantic reports at the step (StepStrokes._consistent calls them in turn).


def _same_as_alone(strokes: StepStrokes) -> None:
    if strokes.model_fields_set - {"same_as"}:
        raise ValueError("same_as stands alone: the strokes are the other routine's")


def _paths_or_illustration(strokes: StepStrokes) -> None:
    """Paths on a view with hands, or an illustration with neither: one of the two."""
    if strokes.paths and strokes.illustration is not None:
        raise ValueError("give either paths or an illustration, not both")
    if not strokes.paths and strokes.illustration is None:
        raise ValueError("needs paths (where the hands go) or an illustration")
    if strokes.paths and (strokes.view is None or strokes.hands is None):
        raise ValueError("paths need a view (front, side, neck) and hands")
    if strokes.illustration is not None and (strokes.view, strokes.hands) != (None, None):
        raise ValueError("an illustration brings its own picture: leave out view and hands")


def _orders_run_on(paths: tuple[StrokePath, ...]) -> None:
    """Orders are all or nothing, and count 1, 2, 3... (paths done together share one)."""
    orders = [path.order for path in paths]
    if all(o is None for o in orders):
        return
    if None in orders:
        raise ValueError("when one path has an order, every path needs one")
    used = sorted({o for o in orders if o is not None})
    if used != list(range(1, len(used) + 1)):
        raise ValueError(f"orders must run 1, 2, 3... without gaps (got {used})")


class RoutineStrokes(RootModel[dict[Slug, StepStrokes]]):
    """A strokes file: step id -> that step's strokes."""

    model_config = {"frozen": True}


Strokes = Mapping[str, Mapping[str, StepStrokes]]  # routine id -> step id -> strokes
Validate = Callable[[type[RoutineStrokes], YamlDoc, list[Problem]], RoutineStrokes | None]


def load_strokes(
    folder: Path,
    routines: Mapping[str, Routine],
    complete: bool,
    validate: Validate,
    problems: list[Problem],
) -> dict[str, dict[str, StepStrokes]]:
    """Read every strokes file and check it against the default locale's `routines`.

    `complete`: whether every routine file validated; a routine missing from `routines` for
    another reason would make its strokes file look orphaned, so that check waits for the fix.
    """
    if not folder.is_dir():
        problems.append(
            Problem(
                str(folder),
                "missing: every routine's steps need strokes, in "
                f"{STROKES_DIR}/<routine-id>.yaml beside the language folders",
            )
        )
        return {}
    parsed, found = _read_files(folder, routines, complete, validate, problems)
    # Files that did not read are reported already: a same_as into one is not reported again.
    broken = {routine_id for routine_id, steps in found.items() if not steps}
    for routine_id, (doc, entries) in parsed.items():
        found[routine_id] = _check_file(
            routine_id, routines, doc, entries, parsed, broken, problems
        )
    _report_missing_files(folder, routines, found, problems)
    return {routine_id: found[routine_id] for routine_id in routines if routine_id in found}


def _read_files(
    folder: Path,
    routines: Mapping[str, Routine],
    complete: bool,
    validate: Validate,
    problems: list[Problem],
) -> tuple[dict[str, tuple[YamlDoc, dict[str, StepStrokes]]], dict[str, dict[str, StepStrokes]]]:
    """Every file of the folder read and validated, in name order: those that did (routine id
    -> the document and its steps' strokes), and those that did not, as no strokes (so that
    their steps are not also called missing)."""
    parsed: dict[str, tuple[YamlDoc, dict[str, StepStrokes]]] = {}
    found: dict[str, dict[str, StepStrokes]] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        if path.suffix != ".yaml" or not path.is_file():
            problems.append(
                Problem(str(path), f"unexpected entry: {STROKES_DIR}/ holds only <id>.yaml files")
            )
            continue
        read = _read_file(path, routines, complete, validate, problems)
        if read is None:
            found[path.stem] = {}
        else:
            parsed[path.stem] = read
    return parsed, found


def _read_file(
    path: Path,
    routines: Mapping[str, Routine],
    complete: bool,
    validate: Validate,
    problems: list[Problem],
) -> tuple[YamlDoc, dict[str, StepStrokes]] | None:
    """One strokes file, read and validated, or None (its problems reported)."""
    doc, read_problems = read_yaml(path, str(path))
    problems.extend(read_problems)
    strokes = validate(RoutineStrokes, doc, problems) if doc is not None else None
    if doc is None or strokes is None:
        return None
    if path.stem not in routines:
        # Nothing may refer to it; reported only when the routines all read, since a routine
        # file that did not would make this one look orphaned (its own problem is reported).
        if complete:
            problems.append(
                doc.problem(
                    (),
                    f"no routine {path.stem!r}: strokes are for the steps of "
                    "an existing routine (the file name is the routine id)",
                )
            )
        return None
    return doc, dict(strokes.root)


def _report_missing_files(
    folder: Path,
    routines: Mapping[str, Routine],
    found: Mapping[str, Mapping[str, StepStrokes]],
    problems: list[Problem],
) -> None:
    for routine_id in routines:
        if routine_id not in found:
            problems.append(
                Problem(
                    str(folder / f"{routine_id}.yaml"),
                    f"missing: the strokes of routine {routine_id!r}, step by step",
                )
            )


def _check_file(
    routine_id: str,
    routines: Mapping[str, Routine],
    doc: YamlDoc,
    entries: dict[str, StepStrokes],
    parsed: Mapping[str, tuple[YamlDoc, dict[str, StepStrokes]]],
    broken: set[str],
    problems: list[Problem],
) -> dict[str, StepStrokes]:
    """One routine's strokes, each `same_as` replaced by what it refers to, checked against
    the routine's steps. A borrowed stroke's own problems are reported where it is written
    out, once; here only those that come from this step being different."""
    routine = routines[routine_id]
    steps = {step.id: step for step in routine.steps}
    resolved: dict[str, StepStrokes] = {}
    for step_id, strokes in entries.items():
        step = steps.get(step_id)
        if step is None:
            problems.append(
                doc.problem(
                    (step_id,),
                    f"routine {routine.id!r} has no step {step_id!r} "
                    f"(its steps: {', '.join(steps)})",
                )
            )
            continue
        if strokes.same_as in broken:
            continue  # that file's own problems are reported; this would only repeat them
        checked = _check_step(routine, step, strokes, doc, routines, parsed, problems)
        if checked is not None:
            resolved[step_id] = checked
    for step_id in steps:
        if step_id not in entries:
            problems.append(doc.problem((), f"step {step_id!r} has no strokes: add them"))
    return resolved


def _check_step(
    routine: Routine,
    step: Step,
    strokes: StepStrokes,
    doc: YamlDoc,
    routines: Mapping[str, Routine],
    parsed: Mapping[str, tuple[YamlDoc, dict[str, StepStrokes]]],
    problems: list[Problem],
) -> StepStrokes | None:
    """One step's strokes (those it borrows, for a `same_as`) checked against the step, or
    None where a `same_as` leads nowhere (reported)."""
    known: list[Finding] = []
    if strokes.same_as is not None:
        borrowed = _borrowed(step.id, strokes.same_as, routines, parsed)
        if borrowed is None:
            problems.append(
                doc.problem(
                    (step.id, "same_as"),
                    f"{STROKES_DIR}/{strokes.same_as}.yaml must draw a step {step.id!r} "
                    "itself (not by same_as)",
                )
            )
            return None
        home, home_step, strokes = borrowed
        # Reported at home already: only what breaks here alone is this step's problem.
        known = check_step_strokes(home, home_step, strokes)
    findings = [f for f in check_step_strokes(routine, step, strokes) if f not in known]
    problems.extend(doc.problem((step.id, *loc), reason) for loc, reason in findings)
    return strokes


def _borrowed(
    step_id: str,
    same_as: str,
    routines: Mapping[str, Routine],
    parsed: Mapping[str, tuple[YamlDoc, dict[str, StepStrokes]]],
) -> tuple[Routine, Step, StepStrokes] | None:
    """What `same_as: <routine>` refers to for the step `step_id`: that routine, its step of the
    same id and the strokes it writes out for it; None if any is missing, or is itself a
    `same_as` (one hop only, so a reader finds the strokes where the reference points)."""
    home = routines.get(same_as) if same_as in parsed else None
    if home is None:
        return None
    home_step = next((s for s in home.steps if s.id == step_id), None)
    if home_step is None:
        return None
    other = parsed[same_as][1].get(step_id)
    if other is None or other.same_as is not None:
        return None
    return home, home_step, other
