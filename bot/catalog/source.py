"""Read one YAML file and remember where each value came from.

PyYAML's composed node tree knows the line of every key and item; the plain data does not. We
compose first, keep a map from field path to line, then construct the data from the same nodes,
so validation errors (which speak in field paths) can be pointed at a line in the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, format_path

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class LineMap:
    """Field path -> 1-based line of the key (mapping entries) or of the item (list entries)."""

    lines: dict[Loc, int] = field(default_factory=dict)

    def line_for(self, loc: Loc) -> int:
        # A missing field has no node of its own: fall back to the nearest enclosing one, which is
        # where the author has to add it anyway.
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)


@dataclass(frozen=True)
class YamlDoc:
    shown: str  # the file name as it appears in messages
    data: Any
    lines: LineMap

    def problem(self, loc: Loc, reason: str) -> Problem:
        return Problem(self.shown, reason, self.lines.line_for(loc), format_path(loc))


def read_text(path: Path, shown: str) -> tuple[str | None, list[Problem]]:
    """A content file's text (a byte-order mark dropped), or None and why it cannot be read."""
    try:
        return path.read_text(encoding="utf-8-sig"), []
    except UnicodeDecodeError as exc:
        return None, [Problem(shown, f"not valid UTF-8 ({exc.reason} at byte {exc.start})")]
    except OSError as exc:
        return None, [Problem(shown, f"cannot be read: {exc.strerror or exc}")]


def read_yaml(path: Path, shown: str) -> tuple[YamlDoc | None, list[Problem]]:
    """Parse `path`. Returns the document, or None and the problems that prevented reading it."""
    text, unread = read_text(path, shown)
    if text is None:
        return None, unread

    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, [Problem(shown, "the file is empty", 1)]
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(shown, exc)]
    except yaml.YAMLError as exc:  # unmarked errors are rare (e.g. reader errors); keep the text
        return None, [Problem(shown, f"YAML error: {exc}")]
    finally:
        loader.dispose()

    lines: dict[Loc, int] = {(): node.start_mark.line + 1}
    problems = [
        Problem(shown, f"key given twice (first on line {first})", line, format_path(loc))
        for loc, line, first in _walk(node, (), lines, set())
    ]
    return YamlDoc(shown, data, LineMap(lines)), problems


def _syntax_problem(shown: str, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    # PyYAML phrases errors as context then problem ("while parsing a flow sequence ... expected
    # ',' or ']'"); where the context started is often where the typo is, so name that line too.
    context = exc.context or ""
    ctx_mark, problem_mark = exc.context_mark, exc.problem_mark
    if context and ctx_mark and problem_mark and ctx_mark.line != problem_mark.line:
        context += f" (line {ctx_mark.line + 1})"
    parts = [part for part in (context, exc.problem) if part]
    reason = "YAML syntax error: " + (", ".join(parts) if parts else str(exc))
    return Problem(shown, reason, mark.line + 1 if mark else None)


def _walk(
    node: yaml.Node, loc: Loc, lines: dict[Loc, int], seen: set[int]
) -> Iterator[tuple[Loc, int, int]]:
    """Fill `lines` for everything under `node`; yield duplicate keys as (loc, line, first_line).

    PyYAML keeps the last of duplicate keys silently, which hides copy-paste mistakes, so they are
    reported here. Aliased nodes are visited once: a later alias only repeats known content.
    """
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in first_seen:
                yield (*loc, key), line, first_seen[key]
                continue
            first_seen[key] = line
            lines[(*loc, key)] = line
            yield from _walk(value_node, (*loc, key), lines, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*loc, index)] = item.start_mark.line + 1
            yield from _walk(item, (*loc, index), lines, seen)
