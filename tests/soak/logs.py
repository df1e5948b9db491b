"""Reading the instances' logs as they grow: which updates each process finished, and every
line that must not be there (a traceback, ERROR or CRITICAL)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

# bot/telegram/traffic.py writes one such line when a handler has finished (replies sent).
_UPDATE_LINE = re.compile(
    r" update id=(?P<id>\d+) user=(?P<user>\S+) handler=(?P<handler>\S+) outcome=(?P<outcome>\S+)"
)
_LEVEL = re.compile(r"^\S+ \S+ (?P<level>[A-Z]+) (?P<message>.*)$")
_BAD_LEVELS = {"ERROR", "CRITICAL"}
_DIGITS = re.compile(r"[+-]?\d+")
# A traceback frame in the project's own code (not the libraries', not the soak runner's).
_FRAME = re.compile(r'File ".*/(?P<path>bot/[^"]+)", line (?P<line>\d+), in (?P<func>\S+)')
# tests/soak/clocked_bot.py logs this before each dispatcher tick.
TICK_LINE = re.compile(r"soak: tick at (?P<at>\S+)")
# Lines kept from the start of a traceback; its last lines are kept apart.
_HEAD = 8
_TAIL = 3


@dataclass
class Problem:
    """A traceback or an ERROR line: where, and the excerpt."""

    log: str
    line_number: int
    head: list[str]
    tail: list[str] = field(default_factory=list)
    # The update whose handler failed: its update line comes just before the error handler's
    # traceback (traffic.logged logs the outcome, then PTB calls the error handler).
    update_id: int | None = None
    # Else the dispatcher tick running when it happened (its simulated instant).
    tick: str | None = None
    # The innermost frame of the project's code: where it failed.
    where: str | None = None
    where_function: str | None = None
    # Every frame of the project's code, outermost first: the path into the failure.
    frames: list[str] = field(default_factory=list)

    @property
    def signature(self) -> str:
        """What tells one failure from another: a traceback's exception line (its last), else
        the line's message; numbers blurred, so that the same failure for other ids, times or
        offsets counts as one."""
        lines = self.tail or self.head[1:]
        last = lines[-1].strip() if lines else self.head[0]
        level = _LEVEL.match(last)
        what = _DIGITS.sub("#", level["message"] if level else last)
        origin = "a handler" if self.update_id else "a dispatcher tick" if self.tick else ""
        where = " ".join(part for part in (origin, self.where_function) if part)
        return f"{what} (in {where})" if where else what

    def describe(self) -> str:
        lines = list(self.head)
        if self.tail:
            lines += ["...", *self.tail]
        if self.frames:
            lines.insert(1, "the project's frames: " + " > ".join(self.frames))
        body = "\n    ".join(lines)
        where = f" (failed at {self.where})" if self.where else ""
        return f"{self.log}:{self.line_number}{where}:\n    {body}"


@dataclass
class LogFile:
    path: Path
    label: str
    offset: int = 0
    lines_read: int = 0
    partial: str = ""
    # update id -> outcome ("ok", "error", "warned", "dropped")
    finished: dict[int, str] = field(default_factory=dict)
    handlers: dict[str, int] = field(default_factory=dict)
    warnings: int = 0
    problems: list[Problem] = field(default_factory=list)
    _open: Problem | None = None
    _failed_update: int | None = None
    _tick: str | None = None

    def read_new(self) -> list[int]:
        """Read what was appended since the last call; returns the update ids finished in it."""
        try:
            with self.path.open("rb") as handle:
                handle.seek(self.offset)
                chunk = handle.read()
        except FileNotFoundError:
            return []
        self.offset += len(chunk)
        text = self.partial + chunk.decode("utf-8", errors="replace")
        lines = text.split("\n")
        self.partial = lines.pop()  # an unfinished last line waits for the rest
        done = []
        for line in lines:
            self.lines_read += 1
            done.extend(self._line(line))
        return done

    def _line(self, line: str) -> list[int]:
        level = _LEVEL.match(line)
        if self._open is not None:
            if level is None:
                # A traceback's frames follow its first line without a level prefix.
                frame = _FRAME.search(line)
                if frame is not None:
                    self._open.where = f"{frame['path']}:{frame['line']} in {frame['func']}"
                    self._open.where_function = f"{frame['path']} {frame['func']}"
                    if self._open.where not in self._open.frames:
                        self._open.frames.append(self._open.where)
                if len(self._open.head) < _HEAD:
                    self._open.head.append(line)
                else:
                    self._open.tail = [*self._open.tail, line][-_TAIL:]
                return []
            self._open = None
        if "Traceback" in line or (level is not None and level["level"] in _BAD_LEVELS):
            self._open = Problem(
                self.label,
                self.lines_read,
                [line],
                update_id=self._failed_update,
                tick=None if self._failed_update else self._tick,
            )
            self._failed_update = None
            self.problems.append(self._open)
            return []
        if level is not None and level["level"] == "WARNING":
            self.warnings += 1
        tick = TICK_LINE.search(line)
        if tick is not None:
            self._tick = tick["at"]
            return []
        found = _UPDATE_LINE.search(line)
        if found is None:
            return []
        update_id = int(found["id"])
        if found["outcome"] == "error":
            self._failed_update = update_id
        self.finished[update_id] = found["outcome"]
        self.handlers[found["handler"]] = self.handlers.get(found["handler"], 0) + 1
        return [update_id]
