"""Each kind of callback data bound to its handler: the press a handler gets, the `on`
decorators that bind a class to a handler (with the guards that run first), and `dispatch`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.catalog import Catalog
from bot.services.accounts import Account
from bot.telegram import pressed
from bot.telegram.accounts import ensure_user
from bot.telegram.callback_registry import Button
from bot.telegram.services import Services

B = TypeVar("B", bound=Button)
D = TypeVar("D")


@dataclass(frozen=True)
class Press:
    """A button press, before anyone has looked up who pressed it."""

    svc: Services
    update: Update
    context: ContextTypes.DEFAULT_TYPE
    query: CallbackQuery

    async def by_user(self) -> UserPress:
        user, _ = await ensure_user(self.svc, self.update)
        return UserPress(self.svc, self.update, self.context, self.query, user)


@dataclass(frozen=True)
class UserPress(Press):
    """A press by a known user: their profile, language and chat at hand."""

    user: Account

    @property
    def catalog(self) -> Catalog:
        return self.svc.catalog

    @property
    def locale(self) -> str:
        return self.user.language

    def text(self, key: str, **values: object) -> str:
        return self.svc.catalog.text(self.user.language, key, **values)

    async def answer(self, key: str | None = None, **values: object) -> None:
        """Answer the press, with the notice `key` if given."""
        await pressed.answer(self.query, self.text(key, **values) if key else None)

    async def refuse(self) -> None:
        """Answer a press whose data makes no sense here (forged, or an older version's)."""
        await self.answer("press_invalid")

    async def send(self, text: str, reply_markup: InlineKeyboardMarkup | None = None) -> None:
        await self.context.bot.send_message(self.user.chat_id, text, reply_markup=reply_markup)


# A check before the handler: True lets the press through, otherwise the guard has answered it.
Guard = Callable[[UserPress, D], Awaitable[bool]]
Handler = Callable[[UserPress, D], Awaitable[None]]
RunHandler = Callable[[Press, D], Awaitable[None]]


@dataclass(frozen=True)
class _Binding:
    handle: Callable[[Any, Any], Awaitable[None]]
    guards: tuple[Callable[[UserPress, Any], Awaitable[bool]], ...]
    by_user: bool


_BOUND: dict[type[Button], _Binding] = {}


def on(kind: type[B], *guards: Guard[B]) -> Callable[[Handler[B]], Handler[B]]:
    """Bind `kind` to the decorated handler, called with the presser looked up and once every
    guard has let the press through."""

    def bind(handle: Handler[B]) -> Handler[B]:
        _bind(kind, _Binding(handle, guards, by_user=True))
        return handle

    return bind


def on_run(kind: type[B]) -> Callable[[RunHandler[B]], RunHandler[B]]:
    """Bind a press on a run's message: the run row says whose it is, so nobody is looked up
    first (the hot path)."""

    def bind(handle: RunHandler[B]) -> RunHandler[B]:
        _bind(kind, _Binding(handle, (), by_user=False))
        return handle

    return bind


def bound() -> frozenset[type[Button]]:
    """Every kind of callback data that has a handler."""
    return frozenset(_BOUND)


async def dispatch(press: Press, data: Button) -> None:
    binding = _BOUND[type(data)]
    if not binding.by_user:
        await binding.handle(press, data)
        return
    by_user = await press.by_user()
    for guard in binding.guards:
        if not await guard(by_user, data):
            return
    await binding.handle(by_user, data)


def _bind(kind: type[Button], binding: _Binding) -> None:
    if kind in _BOUND:
        raise TypeError(f"{kind.__name__} has a handler already")
    _BOUND[kind] = binding
