"""/streak does not slow down as history grows: a user with a week of history against one with
ten years of daily routines, in the same run, printed as a table.

Three rows per user:
- through Telegram: /streak sent to the real bot over HTTP (the emulator), until the photo
  with its caption arrives;
- the handler's own work: reading the summary row and the 12-week window, drawing the PNG;
- for contrast, recomputing the streak from the whole history (what the stored summary
  saves on every /streak; the nightly-style check does it on purpose).

    python bench/streak.py [--years 10] [--rounds 30]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from bot.app import build_application, running  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.storage import streaks  # noqa: E402
from bot.storage.accounts import Account  # noqa: E402
from bot.storage.database import Database  # noqa: E402
from bot.storage.migrate import upgrade  # noqa: E402
from bot.storage.models import Completion, User  # noqa: E402
from bot.telegram.progress_views import streak_card  # noqa: E402
from bot.telegram.services import BOT_DATA_KEY  # noqa: E402
from emulator import BotApiEmulator  # noqa: E402
from tests.support.clock import FakeClock  # noqa: E402
from tests.support.users import add_users  # noqa: E402

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
TODAY = date(2026, 11, 25)
WEEK_USER, DECADE_USER = 1, 2
FOUR = datetime.strptime("04:00", "%H:%M").time()


async def populate(url: str, years: int) -> dict[int, int]:
    """Two users: daily routines for the last week, and for the last `years` years (one
    missed day a month, so freezes and frozen days are part of the history too)."""
    database = Database(url)
    await upgrade(database)
    days = {WEEK_USER: 7, DECADE_USER: 365 * years}
    async with database.transaction() as session:
        await add_users(session, list(days), now=NOW)
        for user_id, count in days.items():
            rows = [
                dict(
                    user_id=user_id,
                    local_date=TODAY - timedelta(days=n),
                    routine_id="classic",
                    completed_at=NOW - timedelta(days=n),
                    timezone="UTC",
                )
                for n in range(count)
                if n % 30 != 17
            ]
            for start in range(0, len(rows), 5000):
                await session.execute(insert(Completion), rows[start : start + 5000])
            await streaks.rebuild(session, user_id, FOUR, fallback_zone="UTC", now=NOW)
    await database.dispose()
    return {user_id: count - count // 30 for user_id, count in days.items()}


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"{statistics.median(ordered):>10.1f}{p95:>10.1f}"


async def measure(folder: Path, years: int, rounds: int) -> list[tuple[str, str, str]]:
    url = f"sqlite+aiosqlite:///{folder}/streak.db"
    sizes = await populate(url, years)
    rows = []
    async with BotApiEmulator() as emulator:
        settings = load_settings(
            _env_file=None,
            telegram_bot_token=emulator.token,
            telegram_api_base_url=emulator.base_url,
            telegram_file_base_url=emulator.file_base_url,
            database_url=url,
            log_level="WARNING",
            rate_limit=False,
            # Each round asks at once: a measurement, not a flood to refuse.
            flood_burst=1000,
        )
        application = build_application(settings, clock=FakeClock(NOW))
        async with running(application):
            svc = application.bot_data[BOT_DATA_KEY]
            chats = {user_id: emulator.user(user_id) for user_id in sizes}
            through_telegram: dict[int, list[float]] = {user_id: [] for user_id in sizes}
            handler: dict[int, list[float]] = {user_id: [] for user_id in sizes}
            rebuild: dict[int, list[float]] = {user_id: [] for user_id in sizes}
            for _ in range(rounds):  # alternating, so drift on the machine hits both alike
                for user_id, chat in chats.items():
                    photos = len([m for m in chat.bot_messages if m.photo is not None])
                    started = time.perf_counter()
                    await chat.send("/streak")
                    await chat.wait_until(
                        lambda c, n=photos: len([m for m in c.messages if m.photo]) > n,
                        timeout=30,
                    )
                    through_telegram[user_id].append((time.perf_counter() - started) * 1000)
                    async with svc.db.read() as session:
                        profile = Account.of(await session.get(User, user_id))
                    started = time.perf_counter()
                    await streak_card(svc, profile)
                    handler[user_id].append((time.perf_counter() - started) * 1000)
                    started = time.perf_counter()
                    async with svc.db.read() as session:
                        await streaks.check(session, user_id, FOUR, "UTC")
                    rebuild[user_id].append((time.perf_counter() - started) * 1000)
    for user_id, label in ((WEEK_USER, "a week"), (DECADE_USER, f"{years} years")):
        history = f"{label} ({sizes[user_id]} days)"
        rows.append((history, "/streak via Telegram", summary(through_telegram[user_id])))
        rows.append((history, "streak card (handler)", summary(handler[user_id])))
        rows.append((history, "recompute from history", summary(rebuild[user_id])))
    return rows


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        rows = await measure(Path(name), args.years, args.rounds)
    print(f"/streak handling time by history length ({args.rounds} rounds, SQLite):")
    print(f"{'history':<24}{'measured':<26}{'median ms':>10}{'p95 ms':>10}")
    for history, what, numbers in rows:
        print(f"{history:<24}{what:<26}{numbers}")
    medians = {(h, w): float(n.split()[0]) for h, w, n in rows}
    week, decade = rows[0][0], rows[3][0]
    for what in ("/streak via Telegram", "streak card (handler)", "recompute from history"):
        ratio = medians[(decade, what)] / medians[(week, what)]
        print(f"  {what}: long history / short = {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
