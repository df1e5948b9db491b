"""Knowing whether a request reached Telegram.

A reminder waits in the rate limiter before it is sent, sometimes for seconds. To tell a crash
"before the request left" (safe to send again) from "while it was in flight" (it probably
arrived), the dispatcher records the departure right before the request goes on the wire,
after the rate limiter has let it through: a bulk send carries a Departure as its
`rate_limit_args`, and the rate limiter (rate_limiter.py) runs its hook.

After an error the same question decides what happens next: an answer from Telegram (429,
5xx, 400) or a failure before the request was written (no connection, a pool timeout) proves
the message was not delivered, so it may be sent again. A request that was written and then
got no answer (a read timeout, a dropped connection) may have been delivered: it is
ambiguous, like a crash in flight.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import httpx
from telegram import Bot
from telegram.error import NetworkError, TelegramError
from telegram.ext import ExtBot

from bot.telegram.rate_limiter import Departure, Hook, PacedRateLimiter

T = TypeVar("T")

# httpx errors raised once the request was fully written: the server may have acted on it.
_AFTER_WRITING = (httpx.ReadTimeout, httpx.ReadError, httpx.RemoteProtocolError)


def may_have_arrived(exc: TelegramError) -> bool:
    """True when the request may have reached Telegram despite the error."""
    cause = exc.__cause__
    if isinstance(cause, httpx.HTTPError):  # PTB's transport raises its errors from httpx's
        return isinstance(cause, _AFTER_WRITING)
    # An answer (429, 5xx, 4xx) has no cause, or a parsing error as its cause; anything else
    # is PTB's "unknown error in HTTP implementation": no proof it did not arrive.
    return (
        isinstance(exc, NetworkError) and cause is not None and not isinstance(cause, TelegramError)
    )


async def send_noting_departure(
    bot: Bot, before_send: Hook, send: Callable[[Departure | None], Awaitable[T]]
) -> T:
    """`send(rate_limit_args)`, with `before_send` awaited right before the request leaves:
    inside the rate limiter when there is one, else just before."""
    limiter = bot.rate_limiter if isinstance(bot, ExtBot) else None
    if isinstance(limiter, PacedRateLimiter):
        return await send(Departure(before_send))
    await before_send()
    return await send(None)
