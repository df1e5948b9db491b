"""Every step's diagram, rendered ahead of time into a folder (never on a request's path).

`python -m bot render-pictures` calls this so that the pictures can be reviewed; the bot will
later render into the same cache at start-up and send each picture once, reusing its file_id.
A picture's key is its fingerprint: what it shows and the code that drew it, so identical steps
(the collarbone stretch is in every routine) are drawn once and share a file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.catalog import Catalog, Routine, Step
from bot.catalog.strokes import StepStrokes
from bot.pictures.fingerprint import fingerprint
from bot.pictures.strokes import step_diagram

KIND = "step"
ANIMATION_KIND = "step-animation"
# The kinds of picture whose file_ids are kept for good (see sent_pictures.prune).
KINDS = (KIND, ANIMATION_KIND)


@dataclass(frozen=True)
class StepPicture:
    routine_id: str
    step_id: str
    key: str  # the fingerprint, and the cached file's name
    animation_key: str
    strokes: StepStrokes
    areas: tuple[str, ...]


def step_pictures(catalog: Catalog) -> list[StepPicture]:
    """Every step of every routine that has strokes, in menu order."""
    found: list[StepPicture] = []
    for routine in catalog.routines(catalog.default_locale):
        for step in routine.steps:
            picture = step_picture(catalog, routine, step)
            if picture is not None:
                found.append(picture)
    return found


def step_picture(catalog: Catalog, routine: Routine, step: Step) -> StepPicture | None:
    strokes = catalog.strokes(routine.id, step.id)
    if strokes is None:
        return None
    key = fingerprint(KIND, strokes=strokes.model_dump(), areas=step.areas)
    animation_key = fingerprint(ANIMATION_KIND, strokes=strokes.model_dump(), areas=step.areas)
    return StepPicture(routine.id, step.id, key, animation_key, strokes, step.areas)


def cached_file(folder: Path, picture: StepPicture, animated: bool) -> Path:
    return folder / (f"{picture.animation_key}.gif" if animated else f"{picture.key}.png")


@dataclass(frozen=True)
class Rendered:
    pictures: int  # steps with a picture
    drawn: int  # distinct pictures drawn this time (the others were in the cache already)
    folder: Path


def render_all(
    catalog: Catalog,
    folder: Path,
    progress: Callable[[int, int, StepPicture], None],
    *,
    readable: bool = True,
) -> Rendered:
    """Draw every step's picture into `folder` as <key>.png (unless it is there already), and
    a readable copy as <routine>/<nn>-<step>.png for review; `progress(done, total, picture)`
    after each."""
    pictures = step_pictures(catalog)
    folder.mkdir(parents=True, exist_ok=True)
    drawn = 0
    for done, picture in enumerate(pictures, start=1):
        cached = folder / f"{picture.key}.png"
        if not cached.exists():
            png = step_diagram(picture.strokes, picture.areas)
            temporary = cached.with_suffix(".tmp")
            temporary.write_bytes(png)
            temporary.replace(cached)  # never a half-written picture under its key
            drawn += 1
        if readable:
            routine = catalog.routine(catalog.default_locale, picture.routine_id)
            index = [s.id for s in routine.steps].index(picture.step_id) + 1
            copy = folder / picture.routine_id / f"{index:02d}-{picture.step_id}.png"
            copy.parent.mkdir(exist_ok=True)
            copy.write_bytes(cached.read_bytes())
        progress(done, len(pictures), picture)
    return Rendered(len(pictures), drawn, folder)
