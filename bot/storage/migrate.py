"""Apply Alembic migrations from inside the running bot (start-up and `python -m bot migrate`)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection

from bot.storage.database import Database

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Any constant shared by all instances: several starting at once migrate one at a time.
_PG_MIGRATION_LOCK = 0x6661_6365


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def _upgrade(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
    config = _config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


async def upgrade(database: Database) -> None:
    async with database.engine.begin() as connection:
        await connection.run_sync(_upgrade)


def head_revision() -> str | None:
    """The newest migration this code knows."""
    return ScriptDirectory.from_config(_config()).get_current_head()
