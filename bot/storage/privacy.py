"""A user's own data: all of it exported, or all of it erased.

Both walk the schema instead of a hand-kept list: every table with a `user_id` column holds
data about that user, so a table added later is exported and erased without anyone having to
remember it here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.database import rows_matched
from bot.storage.models import Base, User

EXPORT_FORMAT = "face-ritual-export/1"


def user_tables() -> list[Table]:
    """Tables holding rows about a user, children before parents (safe delete order)."""
    return [table for table in reversed(Base.metadata.sorted_tables) if "user_id" in table.columns]


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


async def export(session: AsyncSession, user_id: int, now: datetime) -> dict[str, Any] | None:
    """Every row about the user, by table, as JSON-ready values; None for a stranger."""
    user = await session.get(User, user_id)
    if user is None:
        return None
    users = User.__table__
    tables: dict[str, list[dict[str, object]]] = {
        "users": [{column.name: _plain(getattr(user, column.key)) for column in users.columns}]
    }
    for table in sorted(user_tables(), key=lambda t: t.name):
        primary = list(table.primary_key.columns)
        rows = await session.execute(
            select(table).where(table.c.user_id == user_id).order_by(*primary)
        )
        tables[table.name] = [
            {key: _plain(value) for key, value in row._mapping.items()} for row in rows
        ]
    return {"format": EXPORT_FORMAT, "exported_at": now.isoformat(), "tables": tables}


async def erase(session: AsyncSession, user_id: int) -> dict[str, int]:
    """Delete every row about the user; rows removed per table. Explicit deletes rather than
    trusting ON DELETE CASCADE, which SQLite honours only when told to."""
    removed = {}
    for table in user_tables():
        result = await session.execute(delete(table).where(table.c.user_id == user_id))
        removed[table.name] = rows_matched(result) or 0
    users = Base.metadata.tables[User.__tablename__]  # the same Table, typed as one
    result = await session.execute(delete(users).where(users.c.id == user_id))
    removed["users"] = rows_matched(result) or 0
    return removed
