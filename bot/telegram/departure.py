"""Knowing the moment a request leaves for Telegram.

A reminder waits in the rate limiter before it is sent, sometimes for seconds. To tell a crash
"before the request left" (safe to send again) from "while it was in flight" (it probably
arrived), the dispatcher records the departure right before the request goes on the wire,
after the rate limiter has let it through. PTB's AIORateLimiter passes `rate_limit_args`
through untouched, so a send can carry its own hook there.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from telegram import Bot
from telegram.ext import AIORateLimiter, ExtBot

T = TypeVar("T")
Hook = Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class Departure:
    """`rate_limit_args` for one send: `before_send` runs each time the request leaves (again
    after a 429); `max_retries` is AIORateLimiter's own (None: its default)."""

    before_send: Hook
    max_retries: int | None = None


class DepartureRateLimiter(AIORateLimiter):
    """AIORateLimiter that runs a send's Departure hook once the limiter lets it through."""

    async def process_request(  # type: ignore[override]
        self,
        callback: Callable[..., Coroutine[Any, Any, T]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | Departure | None,
    ) -> T:
        if not isinstance(rate_limit_args, Departure):
            return await super().process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )
        departure = rate_limit_args

        async def leave(*call_args: Any, **call_kwargs: Any) -> T:
            await departure.before_send()
            return await callback(*call_args, **call_kwargs)

        return await super().process_request(
            leave, args, kwargs, endpoint, data, departure.max_retries
        )


async def send_noting_departure(
    bot: Bot, before_send: Hook, send: Callable[[Departure | None], Awaitable[T]]
) -> T:
    """`send(rate_limit_args)`, with `before_send` awaited right before the request leaves:
    inside the rate limiter when there is one, else just before."""
    limiter = bot.rate_limiter if isinstance(bot, ExtBot) else None
    if isinstance(limiter, DepartureRateLimiter):
        return await send(Departure(before_send))
    await before_send()
    return await send(None)
