"""The rules between the two packages: `bot` imports nothing from `emulator`, and `emulator`
imports `bot` only in its demo (which runs the bot)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The only module of the emulator package allowed to import the bot.
EMULATOR_MODULES_USING_THE_BOT = {"emulator/demo.py"}
# A string that names a module, as importlib.import_module or __import__ would take it.
_MODULE_NAME = re.compile(r"[A-Za-z_]\w*(\.\w+)*")


def _names_a_module(value: object) -> bool:
    return isinstance(value, str) and _MODULE_NAME.fullmatch(value) is not None


def imported_modules(source: str, package: tuple[str, ...], *, strings: bool) -> set[str]:
    """Every module the source imports, relative imports resolved against `package`; with
    `strings`, also every string constant that looks like a module name (a dynamic import)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
        elif strings and isinstance(node, ast.Constant) and _names_a_module(node.value):
            found.add(node.value)
    return found


def modules_of(path: Path, *, strings: bool) -> set[str]:
    package = path.relative_to(ROOT).parts[:-1]
    return imported_modules(path.read_text(encoding="utf-8"), package, strings=strings)


def is_within(module: str, top: str) -> bool:
    return module == top or module.startswith(f"{top}.")


def python_files(top: str) -> list[Path]:
    files = sorted((ROOT / top).rglob("*.py"))
    assert files, f"no Python files under {top}/"
    return files


@pytest.mark.parametrize(
    ("source", "package"),
    [
        ("import emulator", ("bot",)),
        ("import emulator.users as users", ("bot", "telegram")),
        ("from emulator import BotApiEmulator", ("bot",)),
        ("from emulator.state import ChatEvent", ("bot", "telegram")),
        ("def f():\n    from emulator import demo", ("bot",)),
        ("import importlib\nimportlib.import_module('emulator.demo')", ("bot",)),
        ("__import__('emulator')", ("bot",)),
    ],
)
def test_the_check_sees_every_way_of_importing_the_emulator(source, package):
    assert any(is_within(m, "emulator") for m in imported_modules(source, package, strings=True))


def test_relative_imports_are_resolved_against_the_package():
    found = imported_modules("from ..storage import users", ("bot", "telegram"), strings=False)
    assert found == {"bot.storage", "bot.storage.users"}


def test_the_bot_imports_nothing_from_the_emulator():
    offenders = {}
    for path in python_files("bot"):
        found = sorted(m for m in modules_of(path, strings=True) if is_within(m, "emulator"))
        if found:
            offenders[path.relative_to(ROOT).as_posix()] = found
    assert offenders == {}, "bot/ must not import the emulator (tests and the demo use it)"


def test_the_emulator_imports_the_bot_only_in_its_demo():
    users = {
        path.relative_to(ROOT).as_posix()
        for path in python_files("emulator")
        if any(is_within(m, "bot") for m in modules_of(path, strings=False))
    }
    assert users <= EMULATOR_MODULES_USING_THE_BOT
