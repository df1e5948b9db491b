"""Webhook mode: Telegram POSTs updates to a small tornado server, which also answers /healthz.

This is PTB's "custom webhook" pattern (the Application runs without an Updater and updates are
put on its queue by hand) rather than `Application.run_webhook`, because the built-in server
has no way to add a health route.

Routes:
- `POST /<path of WEBHOOK_URL>`: an update. The X-Telegram-Bot-Api-Secret-Token header must
  equal WEBHOOK_SECRET (403 otherwise, before the body is read as JSON); the body must be a JSON
  object (400 otherwise). The answer is 200 as soon as the update is queued: handling it is the
  Application's job, so a slow handler never makes Telegram time out and resend.
- `GET /healthz`: the database and the reminder dispatcher, for a load balancer or a
  supervisor. No secret needed; it reveals nothing sensitive.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from datetime import datetime

import tornado.httpserver
import tornado.netutil
import tornado.web
from telegram import Update

from bot.config import Settings, SettingsError
from bot.health import HEALTH_PATH, HealthHandler
from bot.lifecycle import AnyApplication, lifecycle
from bot.services.context import Services
from bot.telegram.handlers import ALLOWED_UPDATES
from bot.telegram.services import BOT_DATA_KEY

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram's updates are a few kilobytes (a 4096-character message plus the one it replies to);
# anything near this size is not from Telegram, and tornado would buffer it all in memory.
MAX_BODY_BYTES = 1024 * 1024

# ---------------------------------------------------------------- updates


class UpdateHandler(tornado.web.RequestHandler):
    def initialize(self, bot_app: AnyApplication, secret: str) -> None:
        self.bot_app = bot_app
        self.secret = secret.encode()

    def _secret_ok(self) -> bool:
        given = self.request.headers.get(SECRET_HEADER)
        # Constant time, so the secret cannot be guessed a character at a time from timings.
        return given is not None and hmac.compare_digest(given.encode(), self.secret)

    async def post(self, *_: str) -> None:
        if not self._secret_ok():
            # Not from Telegram (or a stale secret): refuse before parsing or queueing anything.
            raise tornado.web.HTTPError(403)
        update = self._parse_update()
        # The queue is unbounded, so this never waits: once the 200 is sent the update is in
        # the Application's hands, and Application.stop() finishes it before the bot exits.
        await self.bot_app.update_queue.put(update)
        self.set_status(200)
        self.finish()

    def _parse_update(self) -> Update:
        try:
            data = json.loads(self.request.body)
        except (ValueError, UnicodeDecodeError):
            raise tornado.web.HTTPError(400, "body is not JSON") from None
        if not isinstance(data, dict):
            raise tornado.web.HTTPError(400, "body is not a JSON object")
        try:
            return Update.de_json(data, self.bot_app.bot)
        except (TypeError, ValueError, KeyError) as exc:
            raise tornado.web.HTTPError(400, "not an update: %s", type(exc).__name__) from None


# ---------------------------------------------------------------- server


def _log_request(handler: tornado.web.RequestHandler) -> None:
    """Tornado logs every request at INFO, i.e. one line per update; successes go to DEBUG."""
    status = handler.get_status()
    request = handler.request
    # request.path, not request.uri: no query string in the log, whatever a caller puts there.
    message = "%d %s %s (%s) %.1fms"
    args = (status, request.method, request.path, request.remote_ip, 1000 * request.request_time())
    log.log(logging.DEBUG if status < 400 else logging.WARNING, message, *args)


def web_app(
    application: AnyApplication, settings: Settings, started_at: datetime
) -> tornado.web.Application:
    path = settings.webhook_path
    if "/" + path == HEALTH_PATH:
        raise SettingsError(f"Setting WEBHOOK_URL: its path may not be {HEALTH_PATH}")
    assert settings.webhook_secret is not None  # Settings refuses WEBHOOK_URL without it
    svc: Services = application.bot_data[BOT_DATA_KEY]
    # Telegram posts to the URL exactly as registered: accept it with or without the final /.
    update_route = rf"/{re.escape(path)}/?" if path else r"/"
    return tornado.web.Application(
        [
            (HEALTH_PATH, HealthHandler, {"svc": svc, "started_at": started_at, "mode": "webhook"}),
            (
                update_route,
                UpdateHandler,
                {
                    "bot_app": application,
                    "secret": settings.webhook_secret.get_secret_value(),
                },
            ),
        ],
        log_function=_log_request,
    )


def _bind(address: str, port: int) -> list[socket.socket]:
    """Bound before anything else, so that a busy port stops start-up at once, in one line."""
    try:
        return tornado.netutil.bind_sockets(port, address)
    except OSError as exc:
        raise SettingsError(
            f"Setting WEBHOOK_LISTEN/WEBHOOK_PORT: cannot listen on {address}:{port} "
            f"({exc.strerror or exc})"
        ) from None


async def _register_webhook(application: AnyApplication, settings: Settings) -> None:
    assert settings.webhook_url is not None and settings.webhook_secret is not None
    await application.bot.set_webhook(
        url=settings.webhook_url,
        secret_token=settings.webhook_secret.get_secret_value(),
        allowed_updates=ALLOWED_UPDATES,
        # Updates that arrived while the bot was down are still wanted (same as polling).
        drop_pending_updates=False,
    )


async def _stop_server(server: tornado.httpserver.HTTPServer) -> None:
    # Stop accepting first. A request cut off after this was never answered 200, so Telegram
    # sends its update again (to this bot when it is back, or to another instance).
    server.stop()
    with suppress(TimeoutError):
        await asyncio.wait_for(server.close_all_connections(), timeout=5)


class Webhook:
    """The tornado server as the Application's way in: listening (on sockets bound before
    start-up, so the port is known and taken at once) and only then registered with Telegram,
    which starts posting as soon as the webhook is set."""

    def __init__(self, application: AnyApplication, settings: Settings, port: int | None) -> None:
        svc: Services = application.bot_data[BOT_DATA_KEY]
        self._application, self._settings = application, settings
        self.server = tornado.httpserver.HTTPServer(
            web_app(application, settings, started_at=svc.clock.now()),
            max_body_size=MAX_BODY_BYTES,
        )
        listen_port = settings.webhook_port if port is None else port
        self.sockets = _bind(settings.webhook_listen, listen_port)
        self.port: int = self.sockets[0].getsockname()[1]

    async def start(self) -> None:
        self.server.add_sockets(self.sockets)
        await _register_webhook(self._application, self._settings)
        log.info("webhook: listening on %s:%d", self._settings.webhook_listen, self.port)

    async def stop(self) -> None:
        # The webhook is deliberately NOT deleted: other instances behind the same load
        # balancer may still be serving it, and an instance being restarted wants the updates
        # that arrive meanwhile kept at Telegram (which retries delivery), not switched off.
        # `setWebhook` with an empty URL, or polling, replaces it.
        await _stop_server(self.server)

    def close(self) -> None:
        self.server.stop()
        for sock in self.sockets:
            sock.close()


@asynccontextmanager
async def serving(
    application: AnyApplication, settings: Settings, *, port: int | None = None
) -> AsyncIterator[int]:
    """The bot in webhook mode inside the running event loop (the one lifecycle, see
    bot/lifecycle.py); yields the bound port. `port` overrides WEBHOOK_PORT (0: any free
    port, for tests)."""
    webhook = Webhook(application, settings, port)
    try:
        async with lifecycle(application, webhook):
            yield webhook.port
    finally:
        webhook.close()
