"""Before the bot starts: can it open its database and reach Telegram?

Either failing inside PTB's start-up would end in a traceback (or, for a database that does not
answer, in a long wait). Checked here first, each ends start-up with one line that says what is
wrong and which setting to look at, within a bounded time. The lines never carry a password or
the token: they name hosts and exception classes only (driver messages may quote the URL).
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bot.config import Settings

if TYPE_CHECKING:
    from bot.storage.database import Database

# SQLAlchemy and PTB are imported inside the checks: `python -m bot` imports this module for
# StartupError, and commands that need neither should not wait for them.

# A check that takes longer than this is a failure: nothing at start-up should hang.
CHECK_TIMEOUT_S = 10.0
# How far down an exception's causes to look for the root one (they are short chains).
_MAX_CAUSES = 10


class StartupError(Exception):
    """Something the bot depends on is missing; the message is one line, safe to print."""


def root_cause(exc: BaseException) -> str:
    """The class name of the innermost cause: `ConnectionRefusedError` rather than the
    wrappers PTB, httpx and SQLAlchemy put around it."""
    for _ in range(_MAX_CAUSES):
        # SQLAlchemy keeps the driver's exception in .orig; everything else chains __cause__.
        inner = getattr(exc, "orig", None) or exc.__cause__
        if not isinstance(inner, BaseException):
            break
        exc = inner
    return type(exc).__name__


def _database_place(settings: Settings) -> str:
    """What the lines call the database: no user, no password."""
    from sqlalchemy.engine import make_url

    from bot.storage.database import sqlite_file

    if settings.database_kind == "sqlite":
        return f"the SQLite database {sqlite_file(settings.database_url) or '(in memory)'}"
    url = make_url(settings.database_url)
    host, port = url.host or "localhost", url.port or 5432
    return f"the database at postgresql://{host}:{port}/{url.database or ''}"


def _origin(url: str) -> str:
    """scheme://host[:port] of a URL: no path (where a token could be), no user info."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"


async def check_database(settings: Settings) -> None:
    """Open the database as the bot would (for SQLite, its folder is created), bounded."""
    from bot.storage.database import Database, sqlite_file

    where = _database_place(settings)
    try:
        database = Database(settings.database_url)
    except ModuleNotFoundError:
        if settings.database_kind != "postgresql":
            raise
        raise StartupError(
            "the PostgreSQL driver is not installed: pip install -e '.[postgres]'"
        ) from None
    except OSError as exc:  # the SQLite folder: e.g. a file is in the way, or read-only
        folder = (sqlite_file(settings.database_url) or Path()).parent
        raise StartupError(
            f"cannot create the folder {folder} for {where} ({type(exc).__name__}); "
            "check DATABASE_URL"
        ) from None
    try:
        if database.kind == "sqlite":
            _open_sqlite(settings.database_url)  # bounded by its own busy timeout
        else:
            async with asyncio.timeout(CHECK_TIMEOUT_S):
                await _select_1(database)
    except TimeoutError:
        raise StartupError(
            f"{where} did not answer within {CHECK_TIMEOUT_S:g} s; check DATABASE_URL"
        ) from None
    except Exception as exc:
        raise StartupError(f"cannot open {where} ({root_cause(exc)}); check DATABASE_URL") from None
    finally:
        await database.dispose()


async def _select_1(database: Database) -> None:
    from sqlalchemy import text

    async with database.read() as session:
        await session.execute(text("SELECT 1"))


def _open_sqlite(url: str) -> None:
    """Open the file and take the write lock for a moment, with the standard library.

    Not through aiosqlite: a connection that fails half-way there is left to the garbage
    collector, whose clean-up can run after the event loop closed and print a traceback.
    BEGIN IMMEDIATE makes SQLite create and lock the file, so a place it cannot write fails
    here, not later inside the migrations."""
    from bot.storage.database import SQLITE_BUSY_TIMEOUT_MS, sqlite_file

    path = sqlite_file(url)
    if path is None:  # in memory: nothing to open
        return
    # The bot's own busy timeout: another process (a migration) may hold the lock that long.
    connection = sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
    finally:
        connection.close()


async def check_telegram(settings: Settings) -> None:
    """getMe, as PTB's start-up does, but bounded and with one line for each failure."""
    from telegram import Bot
    from telegram.error import BadRequest, InvalidToken, NetworkError, TelegramError
    from telegram.request import HTTPXRequest

    where = f"the Telegram Bot API at {_origin(settings.telegram_api_base_url)}"
    requests = [HTTPXRequest(), HTTPXRequest()]
    bot = Bot(
        settings.token,
        base_url=settings.telegram_api_base_url,
        request=requests[0],
        get_updates_request=requests[1],
    )
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_S):
            await bot.initialize()  # calls getMe
    except TimeoutError:
        raise StartupError(
            f"{where} did not answer within {CHECK_TIMEOUT_S:g} s; "
            "check the network and TELEGRAM_API_BASE_URL"
        ) from None
    except InvalidToken:
        # str(exc) would quote the token: PTB puts it in the message.
        raise StartupError(
            f"{where} refused the token (InvalidToken); check TELEGRAM_BOT_TOKEN"
        ) from None
    except TelegramError as exc:
        # PTB's BadRequest is a NetworkError too, but it is an answer, not a lost connection.
        if isinstance(exc, NetworkError) and not isinstance(exc, BadRequest):
            problem = f"cannot reach {where} ({root_cause(exc)})"  # TimedOut, refused, 5xx
        else:
            problem = f"{where} answered getMe with an error ({type(exc).__name__})"
        raise StartupError(f"{problem}; check the network and TELEGRAM_API_BASE_URL") from None
    finally:
        # Not bot.shutdown(): it does nothing for a bot whose initialize() failed.
        for request in requests:
            await request.shutdown()


async def check_start(settings: Settings) -> None:
    """Everything `python -m bot run` needs from outside; raises StartupError on the first
    that fails. The database comes first: it is local, so its failure is the likelier fix."""
    await check_database(settings)
    await check_telegram(settings)
