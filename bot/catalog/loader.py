"""Walk the content folder, validate every file, and build a `Catalog` or fail with all problems.

Start-up is the only moment content is checked, so this collects every problem in every file
before raising: an author fixes them in one pass instead of one restart per mistake.
"""

from __future__ import annotations

import re
import types
from pathlib import Path
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, RootModel, ValidationError

from . import sign_routes
from .catalog import Catalog
from .errors import CatalogError, Problem
from .models import Adaptations, Routine, SafetyNote
from .rules import check_routine, check_safety, missing_kinds, translation_differs
from .source import Loc, YamlDoc, read_yaml
from .strokes import STROKES_DIR, load_strokes
from .texts import TEXTS_FILE, LocaleTexts, read_texts

ROUTINES_DIR = "routines"
SAFETY_FILE = "safety.yaml"
ADAPTATIONS_FILE = "adaptations.yaml"
# A language code as folder name: "en", "pt-br", "zh-hant". Lowercase keeps lookups simple.
LOCALE_NAME = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})*")

M = TypeVar("M", bound=BaseModel)


def load_catalog(content_dir: Path, default_locale: str = "en") -> Catalog:
    """Load and check everything under `content_dir`. Raises CatalogError listing every problem."""
    content_dir = Path(content_dir)
    if not content_dir.is_dir():
        raise CatalogError.from_problems([Problem(str(content_dir), "content folder not found")])
    problems: list[Problem] = []
    locale_dirs = _locale_folders(content_dir, problems)
    if default_locale not in locale_dirs:
        problems.append(
            Problem(str(content_dir / default_locale), "the default locale's folder is missing")
        )

    default = _LocaleContent(content_dir / default_locale, reference=None)
    if default_locale in locale_dirs:
        default.load(problems)
    parts = {default_locale: default}
    for locale, folder in locale_dirs.items():
        if locale != default_locale:
            parts[locale] = _LocaleContent(folder, reference=default)
            parts[locale].load(problems)
    # Strokes are the same in every language: checked against the default locale's routines.
    strokes = load_strokes(
        content_dir / STROKES_DIR, default.routines, default.routines_complete, _validate, problems
    )

    if problems:
        raise CatalogError.from_problems(problems)
    return Catalog(
        default_locale,
        routines={loc: part.routines for loc, part in parts.items()},
        safety={loc: part.safety for loc, part in parts.items() if part.safety is not None},
        texts={loc: part.texts for loc, part in parts.items() if part.texts is not None},
        adaptations={
            loc: part.adaptations for loc, part in parts.items() if part.adaptations is not None
        },
        strokes=strokes,
    )


def _locale_folders(content_dir: Path, problems: list[Problem]) -> dict[str, Path]:
    """The locale folders in `content_dir`, by name; a folder not named as one is a problem."""
    locale_dirs: dict[str, Path] = {}
    for entry in sorted(content_dir.iterdir()):
        # Top-level files (a README, say) are allowed; hidden entries are editor/OS litter;
        # the strokes folder holds what every language shares, not a language.
        if entry.name.startswith(".") or not entry.is_dir() or entry.name == STROKES_DIR:
            continue
        if LOCALE_NAME.fullmatch(entry.name):
            locale_dirs[entry.name] = entry
        else:
            problems.append(
                Problem(
                    str(entry),
                    "a folder in content/ must be named by a lowercase language code, "
                    "like 'en' or 'pt-br'",
                )
            )
    return locale_dirs


class _LocaleContent:
    """Everything read from one locale's folder. Translations are checked against the default."""

    def __init__(self, folder: Path, reference: _LocaleContent | None) -> None:
        """`reference` is the default locale's content, or None when loading the default."""
        self.folder = folder
        self.reference = reference
        self.routines: dict[str, Routine] = {}
        self.safety: SafetyNote | None = None
        self.adaptations: Adaptations | None = None
        self.texts: LocaleTexts | None = None
        # Whether every file was readable. Comparing a translation with a default that failed to
        # load would only add noise to the real error, so such checks wait for the fix.
        self.texts_complete = False
        self.routines_complete = False

    def load(self, problems: list[Problem]) -> None:
        known = {TEXTS_FILE, SAFETY_FILE, ADAPTATIONS_FILE, ROUTINES_DIR}
        entries = {e.name for e in self.folder.iterdir() if not e.name.startswith(".")}
        for name in sorted(entries - known):
            problems.append(
                Problem(
                    str(self.folder / name),
                    f"unexpected entry: a locale folder holds only {TEXTS_FILE}, {SAFETY_FILE}, "
                    f"{ADAPTATIONS_FILE} and {ROUTINES_DIR}/",
                )
            )
        if not entries & known:
            problems.append(
                Problem(
                    str(self.folder),
                    f"nothing to load: add {TEXTS_FILE}, {SAFETY_FILE} "
                    f"or {ROUTINES_DIR}/, or remove the folder",
                )
            )
            return
        for name in sorted(known - entries) if self.reference is None else ():
            problems.append(Problem(str(self.folder / name), "missing in the default locale"))

        if TEXTS_FILE in entries:
            self._load_texts(problems)
        if SAFETY_FILE in entries:
            self._load_safety(problems)
        if ADAPTATIONS_FILE in entries:
            self._load_adaptations(problems)
        if ROUTINES_DIR in entries:
            self._load_routines(problems)
        self._check_sign_routes(problems)

    def _check_sign_routes(self, problems: list[Problem]) -> None:
        """The same red flag has the same route in every file of this locale."""
        note = self.safety or (self.reference.safety if self.reference else None)
        if note is None:
            return
        sources: list[tuple[Path, list[sign_routes.Text]]] = []
        if self.safety is not None:
            sources.append((self.folder / SAFETY_FILE, list(sign_routes.note_texts(self.safety))))
        if self.texts is not None:
            sources.append(
                (self.folder / TEXTS_FILE, list(sign_routes.interface_texts(self.texts.sources)))
            )
        if self.adaptations is not None:
            sources.append(
                (self.folder / ADAPTATIONS_FILE, list(sign_routes.model_texts(self.adaptations)))
            )
        for routine_id, routine in self.routines.items():
            path = self.folder / ROUTINES_DIR / f"{routine_id}.yaml"
            sources.append((path, list(sign_routes.model_texts(routine))))
        for path, texts in sources:
            for where, reason in sign_routes.check(note, texts):
                problems.append(Problem(str(path), reason, path=where))

    def _load_texts(self, problems: list[Problem]) -> None:
        path = self.folder / TEXTS_FILE
        reference = None
        if self.reference is not None:
            if not self.reference.texts_complete:
                return  # compared with a default that failed to load: only noise
            reference = self.reference.texts
        self.texts, found = read_texts(path, str(path), self.folder.name, reference)
        self.texts_complete = self.texts is not None
        problems.extend(found)

    def _load_safety(self, problems: list[Problem]) -> None:
        doc = _read(self.folder / SAFETY_FILE, problems)
        if doc is None:
            return
        note = _validate(SafetyNote, doc, problems)
        if note is not None:
            problems.extend(doc.problem(loc, reason) for loc, reason in check_safety(note))
            self.safety = note

    def _load_adaptations(self, problems: list[Problem]) -> None:
        doc = _read(self.folder / ADAPTATIONS_FILE, problems)
        if doc is None:
            return
        adaptations = _validate(Adaptations, doc, problems)
        if adaptations is None:
            return
        ids = [area.id for area in adaptations.injection_areas]
        for index, area_id in enumerate(ids):
            if area_id in ids[:index]:
                problems.append(
                    doc.problem(("injection_areas", index, "id"), "another area uses this id")
                )
        reference = self.reference.adaptations if self.reference else None
        if reference is not None and ids != [area.id for area in reference.injection_areas]:
            problems.append(
                doc.problem(
                    ("injection_areas",),
                    "a translation must list the same injection areas, in the same order",
                )
            )
        self.adaptations = adaptations

    def _load_routines(self, problems: list[Problem]) -> None:
        folder = self.folder / ROUTINES_DIR
        if not folder.is_dir():
            problems.append(Problem(str(folder), "must be a folder of <id>.yaml files"))
            return
        clean = True
        for path in sorted(folder.iterdir()):
            if path.name.startswith("."):
                continue
            if path.suffix != ".yaml" or not path.is_file():
                problems.append(
                    Problem(str(path), "unexpected entry: routines/ holds only <id>.yaml files")
                )
                continue
            doc = _read(path, problems)
            routine = _validate(Routine, doc, problems) if doc is not None else None
            if doc is None or routine is None:
                clean = False
                continue
            self._check_routine(path, doc, routine, problems)
        self.routines_complete = clean
        if self.reference is None and clean:  # coverage is only fair once every file validated
            missing = missing_kinds(self.routines.values())
            if missing:
                problems.append(
                    Problem(
                        str(folder),
                        "the default locale needs at least one routine of each kind the bot "
                        f"offers; missing: {', '.join(missing)}",
                    )
                )

    def _check_routine(
        self, path: Path, doc: YamlDoc, routine: Routine, problems: list[Problem]
    ) -> None:
        findings: list[tuple[Loc, str]] = []
        if routine.id != path.stem:
            # Ids are how users' progress and buttons refer to routines: the file name must agree.
            findings.append((("id",), f"must equal the file name {path.stem!r}"))
        elif routine.id in self.routines:
            findings.append((("id",), "another file already uses this id"))
        findings += check_routine(routine)
        if self.reference is not None:
            original = self.reference.routines.get(routine.id)
            if original is None and self.reference.routines_complete:
                findings.append(
                    (
                        ("id",),
                        "the default locale has no routine with this id: a locale may only "
                        "translate existing routines",
                    )
                )
            elif original is not None:
                findings += translation_differs(original, routine)
        problems.extend(doc.problem(loc, reason) for loc, reason in findings)
        self.routines.setdefault(routine.id, routine)


def _read(path: Path, problems: list[Problem]) -> YamlDoc | None:
    doc, found = read_yaml(path, str(path))
    problems.extend(found)
    return doc


def _validate(model: type[M], doc: YamlDoc, problems: list[Problem]) -> M | None:
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        errors = exc.errors()
        # pydantic drops invalid items before counting, so a list with one bad item also reports
        # "too short". That second message points away from the real mistake: keep only the first.
        inner = {err["loc"][:n] for err in errors for n in range(len(err["loc"]))}
        errors = [e for e in errors if not (e["type"] == "too_short" and e["loc"] in inner)]
        problems.extend(doc.problem(err["loc"], _reason(model, err)) for err in errors)
        return None


def _reason(model: type[BaseModel], error: Any) -> str:
    """pydantic's message, reworded where it would puzzle someone editing YAML."""
    kind, loc, message = error["type"], error["loc"], error["msg"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        owner = _owner(model, loc)
        return f"unknown field; expected one of: {', '.join(owner.model_fields)}"
    if kind == "value_error":
        return message.removeprefix("Value error, ")
    if kind.endswith("_type") or kind in {"literal_error", "int_parsing"}:
        return f"{message} (got {_show_input(error.get('input'))})"
    return message


def _owner(model: type[BaseModel], loc: Loc) -> type[BaseModel]:
    """The model an unknown key at `loc` was found in (a step of a routine, say)."""
    current: Any = model
    for part in loc[:-1]:
        current = _inner(current, part)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else model


def _inner(annotation: Any, part: str | int) -> Any:
    """The type of the value at `part` inside a value of type `annotation` (None: unknown)."""
    while get_origin(annotation) in (Annotated, Union, types.UnionType):
        annotation = next(a for a in get_args(annotation) if a is not type(None))
    if isinstance(annotation, type) and issubclass(annotation, RootModel):
        return _inner(annotation.model_fields["root"].annotation, part)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        field = annotation.model_fields.get(str(part))
        return field.annotation if field is not None else None
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in (tuple, list) and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    return None


def _show_input(value: object) -> str:
    if isinstance(value, dict | list):
        return "a mapping" if isinstance(value, dict) else "a list"
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."
