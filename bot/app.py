"""The composition root: the only module that knows every part and wires them together."""

from __future__ import annotations

import asyncio
import gc
import logging
from contextlib import AbstractAsyncContextManager
from urllib.parse import urlsplit

import tornado.httpserver
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, Defaults

from bot.catalog import Catalog, load_catalog
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.domain.flood import FloodGuard
from bot.health import start_health_server
from bot.lifecycle import Polling, lifecycle
from bot.loop_lag import LoopLagMonitor
from bot.offload import Offloader
from bot.services.context import Services
from bot.services.step_picture_cache import StepPictureCache
from bot.storage.accounts import AccountCache
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from bot.storage.reminders import users_with_reminders
from bot.telegram import dispatcher, walkthrough
from bot.telegram.bot_profile import publish_profile
from bot.telegram.errors import on_error
from bot.telegram.handlers import register
from bot.telegram.job_queue import DrainingJobQueue
from bot.telegram.rate_limiter import PacedRateLimiter
from bot.telegram.services import BOT_DATA_KEY
from bot.telegram.update_processor import PerChatUpdateProcessor

log = logging.getLogger(__name__)


def load_content(settings: Settings) -> Catalog:
    return load_catalog(settings.content_dir, default_locale=settings.default_language)


def describe_mode(settings: Settings) -> str:
    """`mode=polling`, or `mode=webhook url=...` with the URL's host and path only: no user
    info or query string, where a secret could hide."""
    if not settings.webhook_url:
        return "mode=polling"
    url = urlsplit(settings.webhook_url)
    host = url.netloc.rpartition("@")[2]
    return f"mode=webhook url={url.scheme}://{host}{url.path}"


# Counting runs at every start; on a slow or locked database it must not hold start-up up.
_COUNT_TIMEOUT_S = 5.0


async def _count_users_with_reminders(database: Database) -> int | None:
    try:
        async with asyncio.timeout(_COUNT_TIMEOUT_S), database.read() as session:
            return await users_with_reminders(session)
    except Exception as exc:
        # The class name only: driver messages may quote connection details.
        log.warning(
            "could not count users with reminders (%s); starting anyway", type(exc).__name__
        )
        return None


def build_application(
    settings: Settings, *, catalog: Catalog | None = None, clock: Clock | None = None
) -> Application:
    """The PTB Application with storage, content and handlers; nothing runs until started."""
    catalog = catalog or load_content(settings)
    database = Database(settings.database_url)
    svc = Services(
        settings=settings,
        db=database,
        catalog=catalog,
        clock=clock or SystemClock(),
        account_cache=AccountCache(ttl_s=settings.profile_cache_ttl),
        flood=FloodGuard(settings.flood_burst, settings.flood_refill_seconds),
        offload=Offloader(settings.worker_threads),
        loop_lag=LoopLagMonitor(settings.loop_lag_warn_ms),
        step_pictures=StepPictureCache(settings.pictures_dir, catalog),
    )

    health_servers: list[tornado.httpserver.HTTPServer] = []

    async def post_init(application: Application) -> None:
        if settings.health_port is not None and not settings.webhook_url:
            server, _ = start_health_server(svc, settings.health_listen, settings.health_port)
            health_servers.append(server)
        await upgrade(database)
        svc.step_pictures.start_warming()
        await publish_profile(application)
        rearmed = await walkthrough.rearm_hands_free(svc, application.job_queue)
        if application.job_queue is not None:
            dispatcher.schedule(application.job_queue, svc.clock.now())
        # What start-up built (content, mappers, PTB's objects: over 100,000) lives as long as
        # the process. Left to the collector, every full collection walks all of it, a pause
        # of 25-45 ms on the event loop here; frozen, they are never walked again.
        gc.collect()
        gc.freeze()
        # Watched from here on: start-up's own work (migrations, the collection above) holds
        # the loop before any update is taken, and is not what the lag figure is about.
        svc.loop_lag.start()
        log.info(
            "ready: database %s, %d locale(s), %d routines, %d hands-free run(s) resumed",
            database.kind,
            len(catalog.locales),
            len(catalog.routines(catalog.default_locale)),
            rearmed,
        )
        # After the migrations, so the count works on a fresh database too.
        count = await _count_users_with_reminders(database)
        log.info(
            "starting: %s database=%s users_with_reminders=%s",
            describe_mode(settings),
            settings.database_kind,
            "?" if count is None else count,
        )

    async def post_shutdown(application: Application) -> None:
        # Back to the collector: a process that builds another Application (the tests, the
        # demo) must get this one's memory back.
        gc.unfreeze()
        for server in health_servers:
            server.stop()
        await svc.loop_lag.stop()
        await svc.step_pictures.stop()
        svc.offload.close()
        await database.dispose()

    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_file_base_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .job_queue(DrainingJobQueue())
        .concurrent_updates(PerChatUpdateProcessor(settings.max_concurrent_updates))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if settings.rate_limit:
        # Not assigned back: the builder sets it on itself, and its returned type (an
        # ExtBot with the limiter's arguments) would not fit the variable's.
        builder.rate_limiter(PacedRateLimiter())
    application = builder.build()
    application.bot_data[BOT_DATA_KEY] = svc
    register(application)
    application.add_error_handler(on_error)
    return application


def running(application: Application) -> AbstractAsyncContextManager[Application]:
    """The bot with long polling inside an existing event loop (the tests, the demo, and
    `python -m bot run` without WEBHOOK_URL): the one lifecycle, see bot/lifecycle.py."""
    return lifecycle(application, Polling(application))
