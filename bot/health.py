"""GET /healthz: whether this process can do its job, for a load balancer or a supervisor.

Webhook mode serves it beside the update route (bot/webhook.py); polling mode serves it on
HEALTH_PORT when that is set (`start_health_server`). It needs no secret and reveals nothing
sensitive: the database answers or not, when the reminder dispatcher last finished a tick, and
the event loop's lag (bot/loop_lag.py).
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import datetime, timedelta
from typing import Any

import tornado.httpserver
import tornado.netutil
import tornado.web
from sqlalchemy import text

from bot.config import SettingsError
from bot.services.context import Services

log = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
# The dispatcher ticks every minute; three missed ticks in a row means it is stuck or dead.
# The first ticks of a fresh start are given the same time before anyone is alarmed.
STALE_TICK_AFTER = timedelta(seconds=180)
# A health check must answer even when the database hangs (a load balancer waits a few seconds).
DB_CHECK_TIMEOUT_S = 5.0


def judge_health(
    *, database_ok: bool, last_tick: datetime | None, started_at: datetime, now: datetime
) -> str:
    """The status: "ok" when the database answers and (after the first STALE_TICK_AFTER of
    uptime) the dispatcher has finished a tick within the last STALE_TICK_AFTER, or "degraded"."""
    if not database_ok:
        return "degraded"
    if now - started_at <= STALE_TICK_AFTER:
        return "ok"
    if last_tick is None or now - last_tick > STALE_TICK_AFTER:
        return "degraded"
    return "ok"


async def database_answers(svc: Services) -> bool:
    """A cheap `SELECT 1` through the read path handlers use, bounded by DB_CHECK_TIMEOUT_S."""
    try:
        async with asyncio.timeout(DB_CHECK_TIMEOUT_S):
            async with svc.db.read() as session:
                await session.execute(text("SELECT 1"))
        return True
    except Exception as exc:
        # The class name only: driver messages may quote connection details.
        log.warning("health: the database check failed (%s)", type(exc).__name__)
        return False


async def health_report(svc: Services, started_at: datetime, mode: str) -> dict[str, Any]:
    database_ok = await database_answers(svc)
    # The service clock, not the wall clock: the dispatcher stamps its ticks with it.
    now = svc.clock.now()
    last_tick = svc.heartbeat.last_tick_at
    return {
        "status": judge_health(
            database_ok=database_ok, last_tick=last_tick, started_at=started_at, now=now
        ),
        "database": "ok" if database_ok else "error",
        "last_tick": last_tick.isoformat() if last_tick else None,
        "last_tick_age_s": round((now - last_tick).total_seconds(), 1) if last_tick else None,
        "mode": mode,
        # Informational: a lagging loop slows every reply, but restarting would not help.
        "event_loop": svc.loop_lag.report(),
    }


class HealthHandler(tornado.web.RequestHandler):
    def initialize(self, svc: Services, started_at: datetime, mode: str) -> None:
        self.svc = svc
        self.started_at = started_at
        self.mode = mode

    async def get(self) -> None:
        report = await health_report(self.svc, self.started_at, self.mode)
        self.set_status(200 if report["status"] == "ok" else 503)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(report))


def _quiet_log(handler: tornado.web.RequestHandler) -> None:
    """Health checks come every few seconds: successes are not worth a line each."""
    status = handler.get_status()
    log.log(logging.DEBUG if status < 400 else logging.WARNING, "%d GET %s", status, HEALTH_PATH)


def start_health_server(
    svc: Services, listen: str, port: int
) -> tuple[tornado.httpserver.HTTPServer, int]:
    """Polling mode's health endpoint, in the running loop; returns the server and its port
    (`port` 0 takes any free one). A busy port stops start-up with one line."""
    app = tornado.web.Application(
        [
            (
                HEALTH_PATH,
                HealthHandler,
                {"svc": svc, "started_at": svc.clock.now(), "mode": "polling"},
            )
        ],
        log_function=_quiet_log,
    )
    try:
        sockets = tornado.netutil.bind_sockets(port, listen)
    except OSError as exc:
        raise SettingsError(
            f"Setting HEALTH_LISTEN/HEALTH_PORT: cannot listen on {listen}:{port} "
            f"({exc.strerror or exc})"
        ) from None
    server = tornado.httpserver.HTTPServer(app)
    server.add_sockets(sockets)
    bound: int = sockets[0].getsockname()[1]
    log.info("health: GET http://%s:%d%s", listen, bound, HEALTH_PATH)
    return server, bound
