"""The step pictures ready to send: rendered ahead of time into PICTURES_DIR, never on a
request's path.

At start-up `warm` renders whatever is missing (a new install, changed content or drawing
code) in a thread of its own, beside the bot: nobody waits for it, and a step whose picture is
not on disk yet is sent as text meanwhile. Several instances may share the folder; each file is
written whole under its key (see step_pictures.render_all), so readers never see half of one.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from pathlib import Path

from bot.catalog import Catalog, Routine, Step
from bot.services.step_pictures import (
    StepPicture,
    cached_file,
    render_all,
    step_picture,
    step_pictures,
)

log = logging.getLogger(__name__)


class _Stopped(Exception):
    """The process is stopping: the render ends after the picture it is on."""


class StepPictureCache:
    def __init__(self, folder: Path | None, catalog: Catalog) -> None:
        self.folder = folder
        self._catalog = catalog
        # Fingerprinting a step hashes its strokes: once per step, not per press.
        self._pictures: dict[tuple[str, str], StepPicture | None] = {}
        self._stopping = threading.Event()
        self._task: asyncio.Task[None] | None = None

    def file(
        self, routine: Routine, step: Step, *, animated: bool
    ) -> tuple[StepPicture, Path] | None:
        """The step's picture and its file when it is on disk; None: send the step as text."""
        if self.folder is None:
            return None
        key = (routine.id, step.id)
        if key not in self._pictures:
            self._pictures[key] = step_picture(self._catalog, routine, step)
        picture = self._pictures[key]
        if picture is None:
            return None
        path = cached_file(self.folder, picture, animated)
        return (picture, path) if path.exists() else None

    def missing(self) -> int:
        """How many step pictures (diagrams and animations) are not on disk yet."""
        if self.folder is None:
            return 0
        folder = self.folder
        return sum(
            not cached_file(folder, picture, animated).exists()
            for picture in step_pictures(self._catalog)
            for animated in (False, True)
        )

    def start_warming(self) -> None:
        """Render what is missing, in the background (see the module's docstring)."""
        if self.folder is not None and self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._warm(self.folder))

    async def wait_warm(self) -> None:
        """Until the start-up render has finished (tests and benchmarks wait for it)."""
        if self._task is not None:
            await asyncio.shield(self._task)

    async def stop(self) -> None:
        self._stopping.set()
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)

    async def _warm(self, folder: Path) -> None:
        started = time.monotonic()

        def progress(done: int, total: int, picture: StepPicture) -> None:
            if self._stopping.is_set():
                raise _Stopped

        try:
            result = await asyncio.to_thread(
                render_all, self._catalog, folder, progress, readable=False
            )
        except _Stopped:
            return
        except OSError as exc:
            # A read-only or full disk: the bot still works, its steps as text.
            log.warning("step pictures: cannot render into %s (%s); steps go as text", folder, exc)
            return
        log.info(
            "step pictures: %d ready in %s (%d drawn now) in %.1f s",
            result.pictures,
            folder,
            result.drawn,
            time.monotonic() - started,
        )
