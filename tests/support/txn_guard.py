"""A test guard: no Bot API request while the same task holds a write transaction.

On SQLite one writer holds the lock at a time; a handler that waits for Telegram inside
`Database.transaction()` makes every other writer (every press, the reminder dispatcher) wait
for Telegram too. `install()` wraps `Database.transaction()` and `Database.read()` so that a
context variable says which transactions the current asyncio task holds and where each was
opened (a task started inside inherits them, and sees them close), and gives the bot's HTTP
client a request hook that tags each Bot API request made meanwhile with the emulator's note
header. The emulator keeps the note in its call log (`ApiCall.note`), so one check covers a bot
in this process and a `python -m bot` child (tests/support/guarded_bot.py).

A write transaction held across a request is a violation. A read transaction is reported
apart: in WAL mode it does not block the writer, it only pins a snapshot. Drawing or decoding
a picture with Pillow (milliseconds of CPU) inside a write transaction is a violation too; that
one is seen in this process only.
"""

from __future__ import annotations

import contextlib
import json
import sys
import warnings
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import httpx
from PIL import Image
from telegram.request import HTTPXRequest

from bot.storage.database import Database
from emulator import NOTE_HEADER, ApiCall, BotApiEmulator

ROOT = Path(__file__).resolve().parents[2]
WRITE, READ = "write", "read"
# Findings of Pillow work inside a write transaction.
HEAVY = "heavy"
# Pillow's ways to a picture: every drawing starts from a new image, every decoding opens one.
_HEAVY_CALLS = ("new", "open")
# Frames never named as "where": the guard itself, the context-manager plumbing, the engine.
_PLUMBING = (__file__, "contextlib.py", str(ROOT / "bot" / "storage" / "database.py"))
# The project's own code, where a request's caller is looked for; never the libraries.
_OURS = str(ROOT) + "/"
_NOT_OURS = (
    str(ROOT / ".venv") + "/",
    str(ROOT / "emulator") + "/",
    str(ROOT / "bot" / "telegram" / "rate_limiter.py"),  # every request passes there
    __file__,
)
# How many frames of the project's own code a note names for the request (innermost first).
_SENT_FROM_FRAMES = 4


@dataclass
class Holding:
    """One open transaction: its kind, where it was opened, whether it is still open."""

    kind: str
    opened_at: str
    open: bool = field(default=True)


_held: ContextVar[tuple[Holding, ...]] = ContextVar("txn_guard_held", default=())


def _where(frame: FrameType | None) -> str:
    while frame is not None and frame.f_code.co_filename.endswith(_PLUMBING):
        frame = frame.f_back
    if frame is None:
        return "?"
    return f"{_relative(frame.f_code.co_filename)}:{frame.f_lineno} ({frame.f_code.co_name})"


def _relative(filename: str) -> str:
    path = Path(filename)
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name


def _our_frames(frame: FrameType | None) -> list[str]:
    """The project's frames on the stack (innermost first): who made the request."""
    found = []
    while frame is not None and len(found) < _SENT_FROM_FRAMES:
        name = frame.f_code.co_filename
        if name.startswith(_OURS) and not name.startswith(_NOT_OURS):
            found.append(f"{_relative(name)}:{frame.f_lineno} ({frame.f_code.co_name})")
        frame = frame.f_back
    return found


def _guarded(original: Callable[..., Any], kind: str) -> Callable[..., Any]:
    @asynccontextmanager
    async def guarded(self: Database, *args: Any, **kwargs: Any) -> AsyncIterator[Any]:
        opened_at = _where(sys._getframe(1))
        # Held from the moment the transaction has begun (waiting for the lock is not holding).
        async with original(self, *args, **kwargs) as session:
            holding = Holding(kind, opened_at)
            token = _held.set((*_held.get(), holding))
            try:
                yield session
            finally:
                holding.open = False
                # Left in another context, the reset fails; `open` is what counts anyway.
                with contextlib.suppress(ValueError):
                    _held.reset(token)

    return guarded


async def _note_request(request: httpx.Request) -> None:
    """httpx request hook: runs in the task that makes the request, so it sees its holdings."""
    held = [holding for holding in _held.get() if holding.open]
    if held:
        note = {
            "held": [{"kind": h.kind, "opened_at": h.opened_at} for h in held],
            "sent_from": _our_frames(sys._getframe(1)),
        }
        request.headers[NOTE_HEADER] = json.dumps(note)


def _hooked_client(original: Callable[[HTTPXRequest], httpx.AsyncClient]) -> Callable[..., Any]:
    def build_client(self: HTTPXRequest) -> httpx.AsyncClient:
        client = original(self)
        hooks = client.event_hooks
        client.event_hooks = {**hooks, "request": [*hooks.get("request", []), _note_request]}
        return client

    return build_client


@dataclass(frozen=True)
class Finding:
    """A Bot API call (or Pillow work) made while its task held a transaction."""

    kind: str
    call: str
    opened_at: str
    made_from: tuple[str, ...]

    def __str__(self) -> str:
        made = " < ".join(self.made_from) or "?"
        return f"{self.call} from {made}, inside the {self.kind} transaction of {self.opened_at}"


# Pillow work inside a write transaction, in this process (a list: tests read their part).
_heavy: list[Finding] = []


def _flag_heavy(original: Callable[..., Any], name: str) -> Callable[..., Any]:
    def flagged(*args: Any, **kwargs: Any) -> Any:
        for holding in _held.get():
            if holding.open and holding.kind == WRITE:
                made_from = tuple(_our_frames(sys._getframe(1)))
                _heavy.append(Finding(WRITE, f"PIL.Image.{name}", holding.opened_at, made_from))
        return original(*args, **kwargs)

    return flagged


def install(patch: Callable[[object, str, Any], None] = setattr) -> None:
    """Wrap the transactions, the bot's HTTP client and Pillow's entry points; `patch` is
    setattr or pytest's monkeypatch.setattr (undone after the test). Applies to HTTP clients
    built afterwards."""
    patch(Database, "transaction", _guarded(Database.transaction, WRITE))
    patch(Database, "read", _guarded(Database.read, READ))
    patch(HTTPXRequest, "_build_client", _hooked_client(HTTPXRequest._build_client))
    for name in _HEAVY_CALLS:
        patch(Image, name, _flag_heavy(getattr(Image, name), name))


def findings(calls: Iterable[ApiCall], kind: str) -> list[Finding]:
    """Calls made while a transaction of `kind` was open in the calling task, one per distinct
    (method, transaction, call site)."""
    found: dict[Finding, None] = {}
    for call in calls:
        if not call.note:
            continue
        note = json.loads(call.note)
        for held in note["held"]:
            if held["kind"] == kind:
                finding = Finding(kind, call.method, held["opened_at"], tuple(note["sent_from"]))
                found.setdefault(finding)
    return list(found)


class HeldReadWarning(UserWarning):
    """A Bot API call made inside a read transaction: not a failure (see the module doc)."""


class TransactionGuard:
    """What an e2e test sees of the guard: the emulators started during the test, and the
    findings in their call logs (and this process's Pillow findings). `check()` fails on every
    write or heavy finding not taken."""

    def __init__(self) -> None:
        self.emulators: list[BotApiEmulator] = []
        self._taken: dict[str, set[int]] = {WRITE: set(), READ: set()}
        self._heavy_from = len(_heavy)

    def _calls(self, kind: str) -> list[ApiCall]:
        taken = self._taken[kind]
        return [call for emu in self.emulators for call in emu.calls if id(call) not in taken]

    def _found(self, kind: str) -> list[Finding]:
        if kind == HEAVY:
            return list(dict.fromkeys(_heavy[self._heavy_from :]))
        return findings(self._calls(kind), kind)

    def take(self, kind: str) -> list[Finding]:
        """The findings of `kind` so far, now counted as expected (for the guard's own test)."""
        found = self._found(kind)
        if kind == HEAVY:
            self._heavy_from = len(_heavy)
        else:
            self._taken[kind].update(id(call) for call in self._calls(kind))
        return found

    def check(self) -> None:
        for finding in self._found(READ):
            warnings.warn(HeldReadWarning(str(finding)), stacklevel=1)
        writes, heavy = self._found(WRITE), self._found(HEAVY)
        assert not writes, (
            "Bot API calls made while the same task held a write transaction (on SQLite every "
            "other writer waits for Telegram meanwhile; commit first, then send):\n"
            + "\n".join(f"- {finding}" for finding in writes)
        )
        assert not heavy, (
            "Pictures drawn or decoded while the same task held a write transaction (every "
            "other writer waits for the CPU meanwhile; draw after the commit):\n"
            + "\n".join(f"- {finding}" for finding in heavy)
        )

    def watch(self, patch: Callable[[object, str, Any], None]) -> None:
        """Install the guard and keep every emulator started from now on."""
        install(patch)
        start = BotApiEmulator.start
        emulators = self.emulators

        async def watched(emu: BotApiEmulator) -> BotApiEmulator:
            if emu not in emulators:
                emulators.append(emu)
            return await start(emu)

        patch(BotApiEmulator, "start", watched)
