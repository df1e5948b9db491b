"""The log of a whole run of the real bot (a `python -m bot run` child at DEBUG): one line per
handled update, and never the token or the database password."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.engine import make_url

from tests.e2e.test_routine import begin
from tests.support.bot import TOKEN, BotProcess
from tests.support.databases import postgres_url, reset_postgres

PASSWORD = "Pa55word-that-must-not-leak"


@pytest.fixture(params=["sqlite", "postgresql"])
async def database(request, tmp_path) -> tuple[str, str | None]:
    """(URL, its password): on PostgreSQL with a password in the URL (trust authentication
    ignores it, which is all this test needs)."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", None
    url = postgres_url()
    await reset_postgres(url)
    with_password = make_url(url).set(password=PASSWORD)
    return with_password.render_as_string(hide_password=False), PASSWORD


async def test_a_whole_run_logs_each_update_and_no_secret(emulator, database, tmp_path):
    url, password = database
    child = BotProcess(emulator, url, tmp_path)
    await child.start()
    alice = emulator.user(9301)
    await alice.send("/start")
    await alice.wait_for_bot_message(
        lambda m: "Which time zone" in (m.text or "") or m.flat_buttons
    )
    step = await begin(alice)
    await alice.press(step, "Next")
    await alice.wait_for_bot_message(lambda m: "Step 2 of" in (m.text or ""))
    await alice.send("/streak")
    await alice.wait_for_bot_message(lambda m: m.photo is not None)
    await alice.send("hello?")
    await alice.wait_for_bot_message(lambda m: "/help" in (m.text or ""))
    assert await child.terminate() == 0
    log = child.log()

    secret_part = TOKEN.split(":", 1)[1]
    assert secret_part not in log, "the token's secret part is never logged"
    if password is not None:
        assert password not in log
    lines = re.findall(r"update id=\d+ user=9301 handler=(\w+) outcome=(\w+) ms=\d+\.\d", log)
    handlers = [handler for handler, _ in lines]
    assert {"start", "routine", "button", "streak", "text"} <= set(handlers), handlers
    assert {outcome for _, outcome in lines} == {"ok"}
    assert "DEBUG" in log, "the run was logged at DEBUG, the most talkative level"
