"""The dependency rule between the bot's layers (README, "Layout"), checked over every import
in bot/ (read with `ast`, nothing is imported): each layer imports only the layers below it."""

from __future__ import annotations

import ast
from pathlib import Path

BOT = Path(__file__).resolve().parents[2] / "bot"

# Small modules with one job each that any layer above the domain may use: the clock, the
# settings, the worker threads, the loop-lag monitor and the log format.
LEAVES = {"bot.clock", "bot.config", "bot.offload", "bot.loop_lag", "bot.logging_setup"}
# Layer (a package, or a module of the leaves) -> the layers it may import besides itself.
MAY_IMPORT: dict[str, set[str]] = {
    "bot.domain": set(),
    "bot.catalog": {"bot.domain"},
    "bot.pictures": {"bot.domain"},
    **{leaf: set() for leaf in LEAVES - {"bot.config"}},
    "bot.config": {"bot.domain"},
    "bot.storage": {"bot.domain", *LEAVES},
    "bot.services": {"bot.domain", "bot.storage", "bot.catalog", "bot.pictures", *LEAVES},
    "bot.telegram": {"bot.services", "bot.domain", "bot.catalog", "bot.pictures", *LEAVES},
}
# The composition root and the process's edges: they know every part and wire them together.
ROOT = {
    "bot",
    "bot.__main__",
    "bot.app",
    "bot.demo",
    "bot.health",
    "bot.preflight",
    "bot.webhook",
}
# Not part of the rule: the Bot API emulator, which moves out of bot/ (issue 12, item 5).
OUTSIDE = ("bot.emulator",)
# TEMPORARY: handlers/buttons.py still opens its own transaction and imports storage; it is
# being rewritten as a button registry, and the lead moves those parts into bot/services when
# merging. Remove this exception then.
EXCEPTIONS = {"bot.telegram.handlers.buttons"}


def module_of(path: Path) -> str:
    parts = path.relative_to(BOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> str | None:
    """The layer `module` belongs to (ROOT's modules are their own), None if none."""
    if module in ROOT:
        return module
    found = [layer for layer in MAY_IMPORT if module == layer or module.startswith(layer + ".")]
    return max(found, key=len, default=None)


def _is_module(name: str) -> bool:
    path = BOT.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imported(module: str, source: str, *, is_package: bool = False) -> list[tuple[int, str]]:
    """The project modules `module` imports (line, name), relative imports resolved; a name
    imported from a package counts as its submodule when it is one."""
    found = []
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                name = f"{base}.{alias.name}"
                found.append((node.lineno, name if _is_module(name) else base))
    return [(line, name) for line, name in found if name == "bot" or name.startswith("bot.")]


def violations(module: str, source: str, *, is_package: bool = False) -> list[str]:
    """Each import of `module` that the rule does not allow."""
    layer = layer_of(module)
    if layer is None:
        return [f"{module}: in no layer; place it in MAY_IMPORT or ROOT (README, Layout)"]
    if layer in ROOT:
        return []
    allowed = {layer, *MAY_IMPORT[layer]}
    return [
        f"{module}:{line} imports {name} ({layer} may import only {', '.join(sorted(allowed))})"
        for line, name in imported(module, source, is_package=is_package)
        if layer_of(name) not in allowed
    ]


def test_every_import_in_bot_follows_the_layers():
    found = []
    for path in sorted(BOT.rglob("*.py")):
        module = module_of(path)
        if module.startswith(OUTSIDE) or module in EXCEPTIONS:
            continue
        found += violations(module, path.read_text(), is_package=path.name == "__init__.py")
    assert not found, "imports against the dependency rule:\n" + "\n".join(found)


def test_the_check_sees_a_violation_and_resolves_relative_imports():
    source = "from bot.storage import users\nfrom bot.services import runs\n"
    assert violations("bot.telegram.handlers.fake", source) == [
        "bot.telegram.handlers.fake:1 imports bot.storage.users (bot.telegram may import only "
        "bot.catalog, bot.clock, bot.config, bot.domain, bot.logging_setup, bot.loop_lag, "
        "bot.offload, bot.pictures, bot.services, bot.telegram)"
    ]
    relative = "from .models import Step\nfrom . import sign_routes\n"
    assert imported("bot.catalog.loader", relative) == [
        (1, "bot.catalog.models"),
        (2, "bot.catalog.sign_routes"),
    ]
    assert violations("bot.domain.fake", "from bot.catalog import Catalog\n")
    assert violations("bot.services.fake", "import bot.telegram.render\n")
    assert not violations("bot.services.fake", "from bot.storage import users\n")


def test_the_temporary_exception_is_still_needed():
    """Once handlers/buttons.py follows the rule, the exception above goes."""
    for name in EXCEPTIONS:
        path = BOT.parent.joinpath(*name.split(".")).with_suffix(".py")
        assert violations(name, path.read_text()), f"{name} follows the rule: drop its exception"
