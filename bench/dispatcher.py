"""The reminder dispatcher at scale, three measurements in one run, printed as tables.

1. Fan-out: a few hundred reminders due in the same minute, sent by the real bot (with its
   rate limiter) to the emulator enforcing Telegram's limits: messages per second against
   Telegram's 30, and every 429 served (the goal: >= 95% of 30/s, and no 429 at all).
2. The due query: with 100 and with 100,000 users, the time to claim one batch of due
   reminders, and the query plan (it must use the index on next_at, not scan).
3. The process: resident memory and start-up time of `python -m bot run` with 100 and with
   100,000 users in its database (the goal: within 20 MB of each other; flat start-up).

    python bench/dispatcher.py [--fanout 300] [--users 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, text  # noqa: E402

from bot.app import build_application  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.emulator import BotApiEmulator  # noqa: E402
from bot.storage import reminders  # noqa: E402
from bot.storage.database import Database  # noqa: E402
from bot.storage.migrate import upgrade  # noqa: E402
from bot.storage.models import Reminder, User  # noqa: E402
from bot.telegram import dispatcher  # noqa: E402
from bot.telegram.services import BOT_DATA_KEY  # noqa: E402

TELEGRAM_RATE = 30.0
NOW = datetime(2026, 11, 25, 7, 30, tzinfo=UTC)


async def populate(url: str, users: int, due: int, now: datetime = NOW) -> None:
    """`users` users with a daily reminder; `due` of them due at `now`, the rest later."""
    database = Database(url)
    await upgrade(database)
    rng = random.Random(7)
    async with database.transaction() as session:
        for start in range(0, users, 10_000):
            ids = range(start + 1, min(users, start + 10_000) + 1)
            await session.execute(
                insert(User),
                [
                    dict(
                        id=i,
                        chat_id=i,
                        first_name="U",
                        language="en",
                        timezone="UTC",
                        default_routine="classic",
                        created_at=NOW,
                        updated_at=NOW,
                    )
                    for i in ids
                ],
            )
            await session.execute(
                insert(Reminder),
                [
                    dict(
                        user_id=i,
                        local_time="07:30",
                        created_at=NOW,
                        next_at=now if i <= due else now + timedelta(minutes=rng.randint(2, 1439)),
                    )
                    for i in ids
                ],
            )
    await database.dispose()


async def fanout(folder: Path, count: int) -> list[str]:
    url = f"sqlite+aiosqlite:///{folder}/fanout.db"
    await populate(url, count, count)
    async with BotApiEmulator(rate_limits=True) as emulator:
        for i in range(1, count + 1):
            emulator.user(i)
        settings = load_settings(
            _env_file=None,
            telegram_bot_token=emulator.token,
            telegram_api_base_url=emulator.base_url,
            database_url=url,
            log_level="WARNING",
        )
        application = build_application(settings)
        await application.initialize()
        svc = application.bot_data[BOT_DATA_KEY]
        started = time.perf_counter()
        report = await dispatcher.tick(svc, application.bot, now=NOW)
        seconds = time.perf_counter() - started
        await application.shutdown()
        await svc.db.dispose()
    rate = report.sent / seconds
    return [
        f"{'reminders due':<28}{count:>10}",
        f"{'sent':<28}{report.sent:>10}",
        f"{'seconds':<28}{seconds:>10.2f}",
        f"{'messages per second':<28}{rate:>10.1f}",
        f"{'share of 30/s':<28}{rate / TELEGRAM_RATE:>10.0%}",
        f"{'429s served':<28}{emulator.served_429:>10}",
    ]


async def due_query(folder: Path, users: int) -> tuple[list[str], str]:
    rows, plan = [], ""
    for population in (100, users):
        url = f"sqlite+aiosqlite:///{folder}/due-{population}.db"
        await populate(url, population, min(500, population))
        database = Database(url)
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            async with database.transaction() as session:
                claimed = await reminders.claim_due(session, NOW, dispatcher.BATCH)
                await session.rollback()
            timings.append((time.perf_counter() - started) * 1000)
        async with database.read() as session:
            result = await session.execute(
                text(
                    "EXPLAIN QUERY PLAN SELECT id FROM reminders WHERE next_at <= :now "
                    "ORDER BY next_at LIMIT 500"
                ),
                {"now": NOW.replace(tzinfo=None)},
            )
            plan = "; ".join(str(row[-1]) for row in result)
        await database.dispose()
        rows.append(
            f"{population:>10}{len(claimed):>10}{min(timings):>12.1f}"
            f"{sorted(timings)[len(timings) // 2]:>12.1f}"
        )
    return rows, plan


async def process_footprint(folder: Path, users: int) -> list[str]:
    rows = []
    for population in (100, users):
        url = f"sqlite+aiosqlite:///{folder}/rss-{population}.db"
        # Nothing due while measuring: the bot runs on the real clock here.
        await populate(url, population, 0, now=datetime.now(UTC))
        async with BotApiEmulator() as emulator:
            env = {
                k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))
            }
            env.update(
                TELEGRAM_BOT_TOKEN=emulator.token,
                TELEGRAM_API_BASE_URL=emulator.base_url,
                DATABASE_URL=url,
                LOG_LEVEL="WARNING",
            )
            started = time.perf_counter()
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", cwd=folder, env=env
            )
            # Ready: post_init (migrations, commands, timers) is done and polling starts.
            await emulator.wait_for_call("setMyCommands", timeout=60)
            ready = time.perf_counter() - started
            await asyncio.sleep(3)  # the start-up tick has run by now
            rss = _rss_mb(process.pid)
            process.terminate()
            await asyncio.wait_for(process.wait(), 30)
        rows.append(f"{population:>10}{ready:>14.2f}{rss:>12.1f}")
    return rows


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fanout", type=int, default=300)
    parser.add_argument("--users", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        print("Fan-out through the emulator with Telegram's limits on (30 messages/s):")
        for row in await fanout(folder, args.fanout):
            print("  " + row)
        rows, plan = await due_query(folder, args.users)
        print("\nClaiming one batch of due reminders (SQLite):")
        print(f"{'users':>10}{'claimed':>10}{'best ms':>12}{'median ms':>12}")
        for row in rows:
            print(row)
        print(f"  plan: {plan}")
        print("\nThe bot process (python -m bot run):")
        print(f"{'users':>10}{'start-up s':>14}{'RSS MB':>12}")
        for row in await process_footprint(folder, args.users):
            print(row)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
