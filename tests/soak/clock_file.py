"""The simulated instant, shared through one small file: the soak test writes it, every bot
child reads it as its `Clock`.

A file rather than a pipe or a socket: a child started (or restarted after a SIGKILL) at any
moment reads the current instant at once, and nothing is lost when a reader dies. The writer
replaces the file atomically, so a reader sees the old instant or the new one, never half.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path


def write_instant(path: Path, instant: datetime) -> None:
    """Make `instant` (timezone-aware) the simulated now for every reader of `path`."""
    if instant.tzinfo is None:
        raise ValueError("the simulated instant must be timezone-aware")
    partial = path.with_name(path.name + ".partial")
    partial.write_text(instant.astimezone(UTC).isoformat())
    os.replace(partial, path)


def read_instant(path: Path) -> datetime:
    return datetime.fromisoformat(path.read_text().strip())


class FileClock:
    """`bot.clock.Clock` reading `path`; re-read only when the file changed (the bot asks for
    the time many times per update, a stat is far cheaper than a read)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._seen: tuple[int, int, int] | None = None
        self._now = read_instant(path)

    def now(self) -> datetime:
        stat = os.stat(self._path)
        # A replace makes a new inode, so even two writes within the clock's resolution differ.
        seen = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        if seen != self._seen:
            self._now = read_instant(self._path)
            self._seen = seen
        return self._now
