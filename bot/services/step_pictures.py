"""Every step's diagram and animation, rendered ahead of time into a folder (never on a
request's path).

`python -m bot render-pictures` calls this so that the pictures can be reviewed; the bot
renders into the same cache and sends each file once, reusing its file_id. A picture's key is
its fingerprint: what it shows and the code that drew it, so identical steps (the collarbone
stretch is in every routine) are drawn once and share a file.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.catalog import Catalog, Routine, Step
from bot.catalog.strokes import StepStrokes
from bot.pictures.animation import step_animation
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
    key: str  # the diagram's fingerprint, and its cached file's name (<key>.png)
    animation_key: str  # the animation's, likewise (<animation_key>.gif)
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
    inputs = {"strokes": strokes.model_dump(), "areas": step.areas}
    key, animation_key = fingerprint(KIND, **inputs), fingerprint(ANIMATION_KIND, **inputs)
    return StepPicture(routine.id, step.id, key, animation_key, strokes, step.areas)


def cached_file(folder: Path, picture: StepPicture, animated: bool) -> Path:
    """Where render_all puts the step's animation (GIF) or its diagram (PNG) in `folder`."""
    return folder / (f"{picture.animation_key}.gif" if animated else f"{picture.key}.png")


@dataclass(frozen=True)
class Rendered:
    pictures: int  # steps with a picture
    drawn: int  # distinct diagrams drawn this time (the others were in the cache already)
    animated: int  # distinct animations drawn this time, likewise
    folder: Path


def render_all(
    catalog: Catalog,
    folder: Path,
    progress: Callable[[int, int, StepPicture], None],
    *,
    readable: bool = True,
) -> Rendered:
    """Draw every step's diagram and animation into `folder` (cached_file), each unless it is
    there already, and (`readable`) copies as <routine>/<nn>-<step>.png and .gif for review;
    `progress(done, total, picture)` after each step. Safe while another process renders into
    the same folder: a file appears under its name only once it is whole."""
    pictures = step_pictures(catalog)
    folder.mkdir(parents=True, exist_ok=True)
    drawn = {False: 0, True: 0}
    for done, picture in enumerate(pictures, start=1):
        for animated in (False, True):
            cached = cached_file(folder, picture, animated)
            if not cached.exists():
                draw = step_animation if animated else step_diagram
                _write_whole(cached, draw(picture.strokes, picture.areas))
                drawn[animated] += 1
            if readable:
                _write_whole(_readable_copy(catalog, folder, picture, cached), cached.read_bytes())
        progress(done, len(pictures), picture)
    return Rendered(len(pictures), drawn[False], drawn[True], folder)


def _readable_copy(catalog: Catalog, folder: Path, picture: StepPicture, cached: Path) -> Path:
    """<routine>/<nn>-<step>.png or .gif: the step's picture under a name a person can find."""
    routine = catalog.routine(catalog.default_locale, picture.routine_id)
    index = [s.id for s in routine.steps].index(picture.step_id) + 1
    path = folder / picture.routine_id / f"{index:02d}-{picture.step_id}{cached.suffix}"
    path.parent.mkdir(exist_ok=True)
    return path


def _write_whole(path: Path, data: bytes) -> None:
    """Write through a temporary file of this process and thread's own in the same folder,
    renamed over `path`: a reader never finds half a picture, and two renderers never write
    into the same temporary file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        temporary.write_bytes(data)
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
