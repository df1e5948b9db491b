"""The engine and its transactions, tuned per backend.

SQLite is the embedded default for one instance: WAL lets readers work beside the writer, the
busy timeout (set before WAL, as SQLite requires for the switch to wait too) makes a second
writer wait instead of failing, and every transaction begins IMMEDIATE so that two handlers
never both read and then fail to upgrade to a write lock ('database is locked').
PostgreSQL is for scaling out: row locks (SELECT ... FOR UPDATE) keep instances apart.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, cast

from sqlalchemy import event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import CursorResult, Result, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.sql.dml import Insert

SQLITE_BUSY_TIMEOUT_MS = 10_000
# SQLite's automatic checkpoint runs inside a commit, on the one writer: every 1000 pages of
# WAL one commit takes tens to hundreds of ms longer, and every writer queued behind it (a
# person's button press) waits. Here the writer never checkpoints; every CHECKPOINT_EVERY
# commits a PASSIVE checkpoint runs on a reader's connection instead, beside the writer.
CHECKPOINT_EVERY = 300

log = logging.getLogger(__name__)


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None for an in-memory database)."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _tune_sqlite(engine: AsyncEngine, begin: str, *, writer: bool = False) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let us emit BEGIN ourselves (see _on_begin) instead of the driver's deferred BEGIN.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        if writer:
            cursor.execute("PRAGMA wal_autocheckpoint = 0")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(begin)


def insert_or_ignore(
    session: AsyncSession, model: type, unique: list[str], **values: Any
) -> Insert:
    """INSERT that does nothing when the row's unique key exists (both backends speak
    ON CONFLICT DO NOTHING, through their own dialect's insert)."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return insert(model).values(**values).on_conflict_do_nothing(index_elements=unique)


def rows_matched(result: Result[Any]) -> int:
    """The rows an UPDATE, DELETE or INSERT matched. The session returns a CursorResult for
    these, but its signature promises only a Result (which has no rowcount) for any statement;
    SQLAlchemy's advice is this cast."""
    return cast("CursorResult[Any]", result).rowcount


class WriterQueue:
    """SQLite's one writer, taken in turn: people's transactions (a button press) before
    background ones (the reminder fan-out's many small ones), each kind first come, first
    served. A person then waits at most for the one transaction already running."""

    def __init__(self) -> None:
        self._busy = False
        self._waiting: dict[bool, deque[asyncio.Future[None]]] = {False: deque(), True: deque()}

    @asynccontextmanager
    async def turn(self, *, background: bool) -> AsyncIterator[None]:
        ahead = self._waiting[False] or (background and self._waiting[True])
        if self._busy or ahead:
            queue = self._waiting[background]
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            queue.append(waiter)
            try:
                await waiter  # the previous holder hands the turn on: _busy stays True
            except asyncio.CancelledError:
                if waiter in queue:
                    queue.remove(waiter)  # never handed the turn
                elif not waiter.cancelled():
                    self._hand_on()  # handed the turn, and cannot use it
                raise
        else:
            self._busy = True
        try:
            yield
        finally:
            self._hand_on()

    def _hand_on(self) -> None:
        for background in (False, True):
            queue = self._waiting[background]
            while queue:
                waiter = queue.popleft()
                if not waiter.done():
                    waiter.set_result(None)
                    return
        self._busy = False


class Database:
    """Owns the engines. Handlers write through `transaction()` and only read through `read()`,
    which on SQLite uses a second engine whose deferred transactions run beside the writer
    (WAL) without queueing for the write lock."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.kind = "postgresql" if url.startswith("postgresql") else "sqlite"
        if self.kind == "sqlite":
            path = sqlite_file(url)
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
            self.engine = create_async_engine(url, echo=echo)
            _tune_sqlite(self.engine, "BEGIN IMMEDIATE", writer=True)
            self._reader = create_async_engine(url, echo=echo)
            _tune_sqlite(self._reader, "BEGIN")
        else:
            self.engine = create_async_engine(url, echo=echo, pool_pre_ping=True)
            self._reader = self.engine
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self._read_sessions = async_sessionmaker(self._reader, expire_on_commit=False)
        # SQLite has one writer at a time. Waiting in SQLite's busy handler means sleeping and
        # polling with growing pauses; queueing here first is fair and wakes the next writer
        # at once. The busy timeout still covers other processes (e.g. `python -m bot migrate`).
        self._sqlite_writer = WriterQueue() if self.kind == "sqlite" else None
        self._commits = 0
        self._checkpointing: asyncio.Task[None] | None = None
        self.checkpoints = 0  # passive checkpoints run (for the tests)

    @asynccontextmanager
    async def transaction(self, *, background: bool = False) -> AsyncIterator[AsyncSession]:
        """One short transaction: commits on success, rolls back on any error. On SQLite a
        `background` one (the reminder dispatcher's) lets people's transactions go first."""
        async with contextlib.AsyncExitStack() as stack:
            if self._sqlite_writer is not None:
                await stack.enter_async_context(self._sqlite_writer.turn(background=background))
            session = await stack.enter_async_context(self._sessions())
            await stack.enter_async_context(session.begin())
            yield session
        if self._sqlite_writer is not None:
            self._commits += 1
            if self._commits >= CHECKPOINT_EVERY and self._checkpointing is None:
                self._commits = 0
                self._checkpointing = asyncio.get_running_loop().create_task(self._checkpoint())

    async def _checkpoint(self) -> None:
        """Copy the WAL into the database file without blocking the writer or the readers."""
        try:
            async with self._reader.connect() as connection:
                raw = await connection.get_raw_connection()
                driver = raw.driver_connection
                assert driver is not None
                # aiosqlite's own connection: no BEGIN first (a checkpoint cannot run inside a
                # transaction).
                await driver.execute("PRAGMA wal_checkpoint(PASSIVE)")
            self.checkpoints += 1
        except Exception as exc:  # the next one tries again; the WAL only grows meanwhile
            log.warning("SQLite checkpoint failed: %s", exc)
        finally:
            self._checkpointing = None

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A transaction for reading only (on SQLite it does not queue for the write lock)."""
        async with self._read_sessions() as session, session.begin():
            yield session

    async def dispose(self) -> None:
        if self._checkpointing is not None:
            await self._checkpointing
        await self.engine.dispose()
        if self._reader is not self.engine:
            await self._reader.dispose()
