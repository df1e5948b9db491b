from __future__ import annotations

import pytest
from hypothesis import settings

from bot.storage.database import Database
from bot.storage.migrate import upgrade
from tests.support.databases import postgres_url, reset_postgres

# Property tests are bounded by their example counts; a per-example deadline would only make
# them flaky on a busy CI machine.
settings.register_profile("project", deadline=None)
settings.load_profile("project")


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """Each storage test runs on both backends; PostgreSQL is skipped, and says so, without
    TEST_DATABASE_URL."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    url = postgres_url()
    await reset_postgres(url)
    return url


@pytest.fixture
async def database(database_url: str):
    db = Database(database_url)
    await upgrade(db)
    try:
        yield db
    finally:
        await db.dispose()
