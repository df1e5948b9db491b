"""`python -m bot run` without its database or without Telegram: one line, exit code 2, soon.

Each case runs the real command as a child process and checks that stderr is exactly one line
starting with "Cannot start:", with no traceback and no password or token in any output.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

import bot.preflight
from bot.config import load_settings
from bot.preflight import StartupError, check_database, check_telegram
from emulator import BotApiEmulator
from tests.support.bot import TOKEN, free_port

PASSWORD = "hunter2-db-password"
OTHER_TOKEN = "7654321:" + "Q" * 35
# Refused connections fail in milliseconds; this bounds start-up, interpreter included.
WITHIN_S = 30.0


async def run_bot(cwd: Path, *args: str, **env: str) -> tuple[int, str, str]:
    """`python -m bot run` (or `args`) with only the settings given, and its exit code."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "DATABASE_", "WEBHOOK_", "LOG_"))
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *(args or ("run",)),
        cwd=cwd,
        env={**base, "TELEGRAM_BOT_TOKEN": TOKEN, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(), WITHIN_S)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise AssertionError(f"python -m bot {args} still running after {WITHIN_S} s") from None
    assert process.returncode is not None
    return process.returncode, stdout.decode(), stderr.decode()


def the_one_line(result: tuple[int, str, str], *secrets: str) -> str:
    code, stdout, stderr = result
    assert code == 2, result
    assert "Traceback" not in stderr + stdout, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("Cannot start: "), lines[0]
    for secret in (TOKEN, OTHER_TOKEN, *secrets):
        assert secret not in stderr + stdout
    return lines[0]


def closed_telegram() -> str:
    return f"http://127.0.0.1:{free_port()}/bot"


@pytest.mark.parametrize("command", ["run", "migrate", "check-streaks"])
async def test_an_unreachable_postgresql_is_one_line(tmp_path, command):
    port = free_port()
    line = the_one_line(
        await run_bot(
            tmp_path,
            command,
            DATABASE_URL=f"postgresql+asyncpg://face:{PASSWORD}@127.0.0.1:{port}/facedb",
            TELEGRAM_API_BASE_URL=closed_telegram(),
        ),
        PASSWORD,
    )
    assert f"the database at postgresql://127.0.0.1:{port}/facedb" in line
    assert "(ConnectionRefusedError)" in line and "DATABASE_URL" in line
    assert "face:" not in line


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        # Tests run as root, whom no file mode stops: a file where a folder should be does.
        ("{tmp}/a-file/data/bot.db", "cannot create the folder {tmp}/a-file/data"),
        ("/proc/face-ritual-test/bot.db", "cannot create the folder /proc/face-ritual-test"),
        ("/proc/face-ritual-test.db", "cannot open the SQLite database /proc/face-ritual-test.db"),
        ("{tmp}", "cannot open the SQLite database {tmp}"),  # a folder, not a file
    ],
)
async def test_an_unwritable_sqlite_place_is_one_line(tmp_path, where, expected):
    (tmp_path / "a-file").write_text("not a folder")
    path = where.format(tmp=tmp_path)
    line = the_one_line(
        await run_bot(
            tmp_path,
            DATABASE_URL=f"sqlite+aiosqlite:///{path}",
            TELEGRAM_API_BASE_URL=closed_telegram(),
        )
    )
    assert expected.format(tmp=tmp_path) in line and "DATABASE_URL" in line


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_no_network_to_telegram_is_one_line(tmp_path, mode):
    api = closed_telegram()
    webhook = {
        "WEBHOOK_URL": "https://bot.example.com/hook",
        "WEBHOOK_SECRET": "s" * 20,
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(free_port()),
    }
    line = the_one_line(
        await run_bot(
            tmp_path,
            DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
            TELEGRAM_API_BASE_URL=api,
            **(webhook if mode == "webhook" else {}),
        )
    )
    origin = api.removesuffix("/bot")
    assert f"cannot reach the Telegram Bot API at {origin} (ConnectError)" in line
    assert "TELEGRAM_API_BASE_URL" in line


async def test_a_token_telegram_refuses_is_one_line(tmp_path):
    async with BotApiEmulator(token=TOKEN) as emulator:
        line = the_one_line(
            await run_bot(
                tmp_path,
                DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
                TELEGRAM_API_BASE_URL=emulator.base_url,
                TELEGRAM_BOT_TOKEN=OTHER_TOKEN,
            )
        )
        # Refused at getMe: nothing else was tried with it.
        assert [call.method for call in emulator.calls] == ["getMe"]
    assert "refused the token (InvalidToken)" in line and "TELEGRAM_BOT_TOKEN" in line


# ---------------------------------------------------------------- a peer that never answers


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections (the kernel does) and never says a word."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


async def test_a_database_that_never_answers_is_given_up_on_in_time(silent_port, monkeypatch):
    monkeypatch.setattr(bot.preflight, "CHECK_TIMEOUT_S", 0.5)
    settings = load_settings(
        _env_file=None,
        database_url=f"postgresql+asyncpg://face:{PASSWORD}@127.0.0.1:{silent_port}/facedb",
    )
    started = time.monotonic()
    with pytest.raises(StartupError, match=r"did not answer within 0\.5 s") as refused:
        await check_database(settings)
    assert time.monotonic() - started < 3
    assert PASSWORD not in str(refused.value)


async def test_a_telegram_that_never_answers_is_given_up_on_in_time(silent_port, monkeypatch):
    monkeypatch.setattr(bot.preflight, "CHECK_TIMEOUT_S", 0.5)
    settings = load_settings(
        _env_file=None,
        telegram_bot_token=SecretStr(TOKEN),
        telegram_api_base_url=f"http://127.0.0.1:{silent_port}/bot",
    )
    started = time.monotonic()
    with pytest.raises(StartupError, match=r"did not answer within 0\.5 s") as refused:
        await check_telegram(settings)
    assert time.monotonic() - started < 3
    assert TOKEN not in str(refused.value)
