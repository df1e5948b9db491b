"""One start/stop sequence for the bot, whichever way its updates arrive (polling or webhook).

Start: initialize, post_init (migrations, the dispatcher's schedule), start receiving, then
start the Application (handlers and the JobQueue). Stop: stop receiving (no new update is
taken), stop the Application (the updates in hand are finished and the running jobs
too), post_stop, shutdown, post_shutdown (which closes the database). Every hook runs in both
modes, and a stop signal that comes during start-up stops the bot as soon as it has started.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Protocol

from telegram.ext import Application

from bot.telegram.handlers import ALLOWED_UPDATES

log = logging.getLogger(__name__)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


class Receiver(Protocol):
    """How updates reach the Application: started once it runs, stopped before it stops."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class Polling:
    """Long polling with PTB's Updater (getUpdates)."""

    def __init__(self, application: AnyApplication) -> None:
        assert application.updater is not None, "built with an Updater (ApplicationBuilder)"
        self._updater = application.updater

    async def start(self) -> None:
        await self._updater.start_polling(
            poll_interval=0.0, timeout=10, allowed_updates=ALLOWED_UPDATES
        )

    async def stop(self) -> None:
        if self._updater.running:
            await self._updater.stop()


@asynccontextmanager
async def lifecycle(
    application: AnyApplication, receiver: Receiver
) -> AsyncIterator[AnyApplication]:
    """The bot running and receiving updates for the duration of the block (which gets the
    Application)."""
    await application.initialize()
    try:
        if application.post_init is not None:
            await application.post_init(application)
        try:
            # PTB's own order (run_polling): receiving first, then the handlers and the
            # JobQueue; what arrives in between waits in the update queue.
            await receiver.start()
            await application.start()
            yield application
        finally:
            await receiver.stop()  # also after a start that failed half-way
            if application.running:
                await application.stop()
            if application.post_stop is not None:
                await application.post_stop(application)
    finally:
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)


async def run_until_signalled(serve: Callable[[], AbstractAsyncContextManager[Any]]) -> int:
    """`python -m bot run`: serve until SIGTERM or SIGINT, then stop gracefully; exit code 0."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    # Installed before start-up: a signal during the migrations stops the bot right after them.
    signals = (signal.SIGINT, signal.SIGTERM)
    for sig in signals:
        loop.add_signal_handler(sig, stop.set)
    try:
        async with serve():
            await stop.wait()
            log.info("stop signal: finishing the updates in hand")
    finally:
        for sig in signals:
            loop.remove_signal_handler(sig)
    return 0
