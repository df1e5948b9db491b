"""Webhook mode over real HTTP: the emulator delivers updates to the bot's own tornado server.

The bot registers its public https:// URL; the emulator, which only calls loopback addresses,
delivers to the local server instead (`webhooks.redirect`, what a reverse proxy would do).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import re
import signal
import socket
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

import bot.health
import bot.telegram.dispatcher
import bot.webhook
from bot.app import build_application
from bot.config import Settings, SettingsError
from bot.health import judge_health
from bot.loop_lag import WARN_EVERY_S
from bot.storage.database import Database
from bot.telegram.services import BOT_DATA_KEY, Services
from bot.webhook import SECRET_HEADER, serving
from emulator import BotApiEmulator
from tests.support.bot import TOKEN, BotProcess, free_port, settings_for
from tests.support.clock import FakeClock

PUBLIC_URL = "https://bot.example.com/hook/v1"
PATH = "/hook/v1"
SECRET = "webhook-secret-" + "W" * 24

_update_ids = itertools.count(900_000_001)


def webhook_settings(emulator: BotApiEmulator, database_url: str, **overrides: Any) -> Settings:
    webhook = dict(
        webhook_url=PUBLIC_URL, webhook_secret=SecretStr(SECRET), webhook_listen="127.0.0.1"
    )
    return settings_for(emulator, database_url, **{**webhook, **overrides})


@asynccontextmanager
async def webhook_bot(
    emulator: BotApiEmulator, settings: Settings, clock: FakeClock
) -> AsyncIterator[tuple[Any, str]]:
    """The bot served in this process on a free port; yields it and its local base URL."""
    application = build_application(settings, clock=clock)
    async with serving(application, settings, port=0) as port:
        base = f"http://127.0.0.1:{port}"
        # Set before any user sends: the emulator decides where to deliver per update.
        emulator.webhooks.redirect = f"{base}/{settings.webhook_path}"
        yield application, base


@pytest.fixture
async def served(emulator: BotApiEmulator, sqlite_url: str, clock: FakeClock):
    async with webhook_bot(emulator, webhook_settings(emulator, sqlite_url), clock) as served:
        yield served


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as client:
        yield client


def forged_help(user: Any) -> dict[str, Any]:
    """A /help update as Telegram would post it, from an emulated user nobody delivered."""
    sender = user.to_api()
    return {
        "update_id": next(_update_ids),
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": user.id, "type": "private", "first_name": sender["first_name"]},
            "from": sender,
            "text": "/help",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        },
    }


def sent_to(emulator: BotApiEmulator, chat_id: int) -> list[Any]:
    return [c for c in emulator.calls if c.method == "sendMessage" and c.chat_id == chat_id]


async def wait_until(probe: Any, within: float, what: str) -> None:
    deadline = time.monotonic() + within
    while not probe():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {within} s")
        await asyncio.sleep(0.02)


def services_of(application: Any) -> Services:
    return application.bot_data[BOT_DATA_KEY]


# ---------------------------------------------------------------- delivery


async def test_a_command_is_delivered_by_webhook_and_answered(emulator, served):
    alice = emulator.user(1001, first_name="Alice", language_code="en")
    await alice.send("/help")
    answer = await alice.wait_for_bot_message(timeout=10)
    assert "/routine" in answer.text
    # Registered with the public URL and the secret, keeping what Telegram holds.
    assert emulator.webhook is not None
    assert emulator.webhook.url == PUBLIC_URL
    assert emulator.webhook.secret_token == SECRET
    [register] = [c for c in emulator.calls if c.method == "setWebhook"]
    assert register.params.get("drop_pending_updates") in (None, False, "false", "False")
    assert emulator.webhooks.delivered >= 1
    assert not [c for c in emulator.calls if c.method == "getUpdates"]


async def test_a_webhook_is_not_deleted_on_shutdown(emulator, sqlite_url, clock):
    settings = webhook_settings(emulator, sqlite_url)
    async with webhook_bot(emulator, settings, clock):
        pass
    assert emulator.webhook is not None and emulator.webhook.url == PUBLIC_URL
    assert not [c for c in emulator.calls if c.method == "deleteWebhook"]


async def test_an_accepted_update_is_finished_before_the_bot_stops(emulator, sqlite_url, clock):
    settings = webhook_settings(emulator, sqlite_url)
    alice = emulator.user(1001, first_name="Alice", language_code="en")
    async with webhook_bot(emulator, settings, clock):
        await alice.send("/help")
        await wait_until(lambda: emulator.webhooks.delivered == 1, 10, "delivery")
        # Stop at once: the 200 was given, so the answer must still go out.
    assert alice.bot_messages and "/routine" in alice.bot_messages[-1].text


async def test_a_webhook_at_the_root_path(emulator, sqlite_url, clock):
    settings = webhook_settings(emulator, sqlite_url, webhook_url="https://bot.example.com")
    async with webhook_bot(emulator, settings, clock) as (_, base):
        assert emulator.webhooks.redirect == base + "/"
        alice = emulator.user(1001, first_name="Alice", language_code="en")
        await alice.send("/help")
        assert "/routine" in (await alice.wait_for_bot_message(timeout=10)).text


async def test_a_busy_port_or_the_health_path_stop_start_up_with_one_line(
    emulator, sqlite_url, clock
):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        settings = webhook_settings(emulator, sqlite_url, webhook_port=port)
        with pytest.raises(SettingsError, match=f"cannot listen on 127.0.0.1:{port}"):
            async with serving(build_application(settings, clock=clock), settings):
                pass
    settings = webhook_settings(emulator, sqlite_url, webhook_url="https://x.example/healthz/")
    with pytest.raises(SettingsError, match="WEBHOOK_URL"):
        async with serving(build_application(settings, clock=clock), settings, port=0):
            pass
    # Refused before anything ran: nothing was migrated, nothing registered.
    assert not [c for c in emulator.calls if c.method in ("setMyCommands", "setWebhook")]


@pytest.mark.parametrize("headers", [{}, {SECRET_HEADER: "wrong-" + SECRET}, {SECRET_HEADER: ""}])
async def test_an_update_without_the_right_secret_is_refused_and_not_processed(
    emulator, served, http, headers
):
    _, base = served
    mallory = emulator.user(6661, first_name="Mallory")
    response = await http.post(base + PATH, json=forged_help(mallory), headers=headers)
    assert response.status_code == 403
    # Nothing was queued: no answer goes to that chat. (An answer takes milliseconds here.)
    await asyncio.sleep(1.0)
    assert sent_to(emulator, mallory.id) == []
    assert mallory.bot_messages == []


async def test_an_update_with_the_right_secret_is_accepted_and_processed(emulator, served, http):
    _, base = served
    bob = emulator.user(2002, first_name="Bob", language_code="en")
    response = await http.post(base + PATH, json=forged_help(bob), headers={SECRET_HEADER: SECRET})
    assert response.status_code == 200
    answer = await bob.wait_for_bot_message(timeout=10)
    assert "/routine" in answer.text


@pytest.mark.parametrize(
    "body", [b"{not json", b"[1, 2, 3]", b'"an update"', b"\xff\xfe", b"{}"], ids=repr
)
async def test_a_malformed_body_is_a_400_and_nothing_is_processed(emulator, served, http, body):
    _, base = served
    before = len(emulator.calls)
    response = await http.post(
        base + PATH,
        content=body,
        headers={SECRET_HEADER: SECRET, "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    await asyncio.sleep(0.2)
    assert [c.method for c in emulator.calls[before:] if c.method.startswith("send")] == []


async def test_only_post_at_the_webhook_path(served, http):
    _, base = served
    assert (await http.get(base + PATH)).status_code == 405
    response = await http.post(base + "/elsewhere", json={}, headers={SECRET_HEADER: SECRET})
    assert response.status_code == 404
    # The trailing slash of the registered URL is optional, as a proxy may add or drop it.
    response = await http.post(base + PATH + "/", content=b"[]", headers={SECRET_HEADER: SECRET})
    assert response.status_code == 400


# ---------------------------------------------------------------- health


async def wait_for_first_tick(application: Any) -> datetime:
    svc = services_of(application)
    await wait_until(lambda: svc.heartbeat.last_tick_at is not None, 10, "the start-up tick")
    assert svc.heartbeat.last_tick_at is not None
    return svc.heartbeat.last_tick_at


async def test_health_is_ok_with_the_database_and_the_start_up_tick(served, http, clock):
    application, base = served
    ticked_at = await wait_for_first_tick(application)
    response = await http.get(base + "/healthz")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    report = response.json()
    event_loop = report.pop("event_loop")
    assert report == {
        "status": "ok",
        "database": "ok",
        "last_tick": ticked_at.isoformat(),
        "last_tick_age_s": 0.0,  # the fake clock stands still
        "mode": "webhook",
    }
    assert event_loop["threshold_ms"] == 50
    assert set(event_loop) == {
        "threshold_ms",
        "worst_lag_ms_last_minute",
        "blocked_total",
        "lag_histogram_ms",
    }
    assert datetime.fromisoformat(report["last_tick"]) == clock.now()
    assert SECRET not in response.text and TOKEN not in response.text


async def test_health_shows_a_blocked_event_loop_and_the_log_warns(served, http, caplog):
    # The bot serves in this test's own event loop, so holding it here holds the bot's.
    application, base = served
    await wait_for_first_tick(application)
    before = (await http.get(base + "/healthz")).json()["event_loop"]
    with caplog.at_level(logging.WARNING, logger="bot.loop_lag"):
        time.sleep(0.3)  # noqa: ASYNC251 - the point: a handler that blocks the loop
        await asyncio.sleep(0.2)  # the monitor wakes late once, and records it
        after = (await http.get(base + "/healthz")).json()["event_loop"]
        assert after["worst_lag_ms_last_minute"] >= 200
        assert after["blocked_total"] >= before["blocked_total"] + 1
        slow = sum(n for bound, n in after["lag_histogram_ms"].items() if bound in ("300", "500"))
        assert slow >= 1

        def warned() -> bool:
            worst = [
                int(match[1])
                for r in caplog.records
                if (match := re.search(r"event loop blocked: .* worst (\d+) ms", r.getMessage()))
            ]
            return any(ms >= 250 for ms in worst)

        # At once, unless another block was warned about in the last WARN_EVERY_S: then with
        # the next line, which reports the worst since (bounded).
        await wait_until(warned, WARN_EVERY_S + 2, "the warning about the blocked loop")


async def test_health_is_degraded_when_the_database_fails(served, http, monkeypatch, tmp_path):
    application, base = served
    await wait_for_first_tick(application)
    # A real failure: SQLite cannot open a directory as a database file.
    broken = Database(f"sqlite+aiosqlite:///{tmp_path}")
    monkeypatch.setattr(services_of(application).db, "read", broken.read)
    try:
        response = await http.get(base + "/healthz")
    finally:
        await broken.dispose()
    assert response.status_code == 503
    report = response.json()
    assert report["status"] == "degraded" and report["database"] == "error"
    assert report["last_tick"] is not None


async def test_a_hanging_database_check_is_cut_short(served, http, monkeypatch):
    application, base = served

    @asynccontextmanager
    async def hanging_read() -> AsyncIterator[Any]:
        await asyncio.sleep(3600)
        yield None

    monkeypatch.setattr(services_of(application).db, "read", hanging_read)
    monkeypatch.setattr(bot.health, "DB_CHECK_TIMEOUT_S", 0.2)
    started = time.monotonic()
    response = await http.get(base + "/healthz")
    assert response.status_code == 503 and response.json()["database"] == "error"
    assert time.monotonic() - started < 2


@pytest.fixture
def first_tick_done(monkeypatch: pytest.MonkeyPatch) -> asyncio.Event:
    """Set when the dispatcher's first tick has returned: the heartbeat is stamped after each
    claim too, so a heartbeat alone may be mid-tick, and the tick's last stamp would then come
    after the test moved the clock. Ask for it before `served`, to patch before the bot starts."""
    done = asyncio.Event()
    tick = bot.telegram.dispatcher.tick

    async def tick_then_flag(*args: Any, **kwargs: Any) -> Any:
        try:
            return await tick(*args, **kwargs)
        finally:
            done.set()

    monkeypatch.setattr(bot.telegram.dispatcher, "tick", tick_then_flag)
    return done


async def test_health_is_degraded_when_the_dispatcher_stops_ticking(
    first_tick_done, served, http, clock
):
    _, base = served
    await asyncio.wait_for(first_tick_done.wait(), 10)
    clock.advance(seconds=179)
    assert (await http.get(base + "/healthz")).status_code == 200
    clock.advance(seconds=200)
    response = await http.get(base + "/healthz")
    assert response.status_code == 503
    report = response.json()
    assert report["status"] == "degraded" and report["database"] == "ok"
    assert report["last_tick_age_s"] == 379.0


def test_the_health_rules():
    start = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    s = timedelta(seconds=1)

    def judge(ok: bool, tick: datetime | None, now: datetime) -> str:
        return judge_health(database_ok=ok, last_tick=tick, started_at=start, now=now)

    assert judge(True, None, start + 60 * s) == "ok"  # no tick yet, but just started
    assert judge(True, None, start + 181 * s) == "degraded"  # never ticked
    assert judge(True, start + 100 * s, start + 280 * s) == "ok"
    assert judge(True, start, start + 181 * s) == "degraded"
    assert judge(False, start, start + 1 * s) == "degraded"


# ---------------------------------------------------------------- the process


def assert_start_line(log: str, expected: str, *absent: str) -> None:
    lines = [line for line in log.splitlines() if " starting: " in line]
    assert len(lines) == 1, log
    assert " INFO " in lines[0]
    assert lines[0].endswith(expected), lines[0]
    for secret in absent:
        assert secret not in log


async def test_polling_start_logs_mode_database_and_reminder_users(emulator, sqlite_url, tmp_path):
    # A webhook secret in the environment must not leak either, even unused.
    child = BotProcess(emulator, sqlite_url, tmp_path, extra_env={"WEBHOOK_SECRET": SECRET})
    await child.start()
    try:
        alice = emulator.user(1001, first_name="Alice", language_code="en")
        await alice.send("/remind 7:30")
        await alice.wait_for_bot_message(timeout=10)
    finally:
        assert await child.terminate() == 0
    first = "starting: mode=polling database=sqlite users_with_reminders=0"
    assert_start_line(child.log(), first, TOKEN, SECRET, sqlite_url)

    child.log_path.unlink()
    await child.start()
    await wait_until(lambda: "Application started" in child.log(), 10, "polling")
    assert await child.terminate() == 0
    second = "starting: mode=polling database=sqlite users_with_reminders=1"
    assert_start_line(child.log(), second, TOKEN, SECRET, sqlite_url)


async def test_sigterm_during_start_up_stops_the_bot_cleanly_once_started(
    emulator, sqlite_url, tmp_path
):
    """The signal handlers are in place before start-up (bot/lifecycle.py): a SIGTERM while
    the commands are being published ends in the same clean stop as one after start-up."""
    child = BotProcess(emulator, sqlite_url, tmp_path)
    starting = asyncio.create_task(child.start())
    await wait_until(
        lambda: any(c.method == "setMyCommands" for c in emulator.calls), 20, "post_init"
    )
    assert child.process is not None
    child.process.send_signal(signal.SIGTERM)
    code = await asyncio.wait_for(child.process.wait(), 20)
    starting.cancel()
    with contextlib.suppress(asyncio.CancelledError, AssertionError):
        await starting
    log = child.log()
    assert code == 0, log
    assert "Traceback" not in log
    assert "stop signal: finishing the updates in hand" in log


async def test_a_webhook_process_serves_logs_its_start_and_exits_0_on_sigterm(
    emulator, sqlite_url, tmp_path, http
):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    emulator.webhooks.redirect = base + PATH
    env = {
        "WEBHOOK_URL": PUBLIC_URL,
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
    }
    child = BotProcess(emulator, sqlite_url, tmp_path, extra_env=env)
    await child.start()
    try:
        await wait_until(lambda: emulator.webhook is not None, 10, "setWebhook")
        alice = emulator.user(1001, first_name="Alice", language_code="en")
        await alice.send("/help")
        assert "/routine" in (await alice.wait_for_bot_message(timeout=10)).text
        health = await http.get(base + "/healthz")
        assert health.status_code == 200, health.text
        assert health.json()["mode"] == "webhook"
    finally:
        code = await child.terminate()
    assert code == 0, child.log()
    log = child.log()
    expected = f"starting: mode=webhook url={PUBLIC_URL} database=sqlite users_with_reminders=0"
    assert_start_line(log, expected, TOKEN, SECRET, sqlite_url)
    assert "Traceback" not in log
    # Still registered: other instances may be serving it.
    assert emulator.webhook is not None
    assert not [c for c in emulator.calls if c.method == "deleteWebhook"]
