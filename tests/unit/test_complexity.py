"""No function in bot/ is over cyclomatic complexity 15 (radon's measure): past that a function
is a hub that does several things, and a change to one of them risks the others. Migrations
are generated code and are left out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from radon.visitors import ComplexityVisitor, Function

BOT = Path(__file__).resolve().parents[2] / "bot"
MAX_COMPLEXITY = 15


def _functions(blocks) -> Iterator[Function]:
    for block in blocks:
        if isinstance(block, Function):
            yield block
            yield from _functions(block.closures)


def complexities() -> dict[str, int]:
    found = {}
    for path in sorted(BOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        visitor = ComplexityVisitor.from_code(path.read_text())
        for function in _functions(visitor.blocks):
            name = f"{function.classname}.{function.name}" if function.classname else function.name
            found[f"{path.relative_to(BOT.parent)}:{function.lineno} {name}"] = function.complexity
    return found


def test_the_measure_sees_functions_methods_and_closures():
    names = {name.split(" ", 1)[1] for name in complexities()}
    assert len(names) > 500
    assert "PacedRateLimiter.process_request" in names  # a method
    assert {"decide", "load_catalog", "adapt"} <= names  # module functions across packages


def test_no_function_in_bot_is_over_complexity_15():
    over = {name: c for name, c in complexities().items() if c > MAX_COMPLEXITY}
    assert over == {}, "split these into functions with one job each"
