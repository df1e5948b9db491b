"""Problems found while loading the content catalogue, and the one exception that reports them.

Content is edited by people who are not reading the code, so every problem carries the file, the
line and the field path: the message alone must be enough to find and fix the mistake.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one file. `line` is 1-based; `path` is like ``steps[3].duration_s``."""

    file: str
    reason: str
    line: int | None = None
    path: str = ""

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.path}: {self.reason}" if self.path else f"{where}: {self.reason}"


class CatalogError(Exception):
    """The content cannot be used. The message lists every problem found, one per line."""

    def __init__(self, message: str, problems: Iterable[Problem] = ()) -> None:
        super().__init__(message)
        self.problems: tuple[Problem, ...] = tuple(problems)

    @classmethod
    def from_problems(cls, problems: Iterable[Problem]) -> CatalogError:
        found = tuple(problems)
        return cls("\n".join(str(p) for p in found), found)


def format_path(loc: Iterable[str | int]) -> str:
    """Turn a location tuple such as ``("steps", 3, "duration_s")`` into ``steps[3].duration_s``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
