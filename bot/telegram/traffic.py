"""Every update passes here: flood control first, then one structured log line per update
(user, handler, outcome, milliseconds), whatever the handler did."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.domain.flood import Verdict
from bot.telegram.accounts import guess_locale
from bot.telegram.services import services

log = logging.getLogger("bot.updates")

Callback = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, object]]


def _who(update: object) -> str:
    user = update.effective_user if isinstance(update, Update) else None
    return str(user.id) if user else "-"


def _line(update: object, handler: str, outcome: str, started: float) -> None:
    update_id = update.update_id if isinstance(update, Update) else "-"
    log.info(
        "update id=%s user=%s handler=%s outcome=%s ms=%.1f",
        update_id,
        _who(update),
        handler,
        outcome,
        (time.perf_counter() - started) * 1000,
    )


def logged(name: str, callback: Callback) -> Callback:
    """The handler `callback`, logging one line when it ends (an error is re-raised for the
    error handler, which answers the user)."""

    async def run(update: Update, context: ContextTypes.DEFAULT_TYPE) -> object:
        started = time.perf_counter()
        outcome = "error"
        try:
            result = await callback(update, context)
            outcome = "ok"
            return result
        finally:
            _line(update, name, outcome, started)

    return run


async def flood_guard(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Runs before every handler (group -1). Over the user's limit the update is dropped: a
    button press still gets a short answer (Telegram shows a spinner until it does), and a
    message gets one "slow down" note per flood."""
    if not isinstance(update, Update) or update.effective_user is None:
        return
    svc = services(context)
    verdict = svc.flood.check(update.effective_user.id, time.monotonic())
    if verdict is Verdict.PASS:
        return
    started = time.perf_counter()
    text = svc.catalog.text(guess_locale(svc, update), "flood_slow_down")
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(text)
        elif verdict is Verdict.WARN and update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, text)
    except TelegramError as exc:  # too old to answer, or the user blocked us meanwhile
        log.debug("flood answer not delivered: %s", exc)
    _line(update, "flood", "warned" if verdict is Verdict.WARN else "dropped", started)
    raise ApplicationHandlerStop
