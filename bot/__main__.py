"""Command line: `python -m bot [run|demo|migrate|check-content|check-streaks]`.

With no command: run against Telegram when TELEGRAM_BOT_TOKEN is set, else the terminal demo.
Every failure a person can fix (a setting, a content file) ends with a clear message and exit
code 2, not a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot.catalog import CatalogError
from bot.config import Settings, SettingsError, load_settings
from bot.logging_setup import setup_logging

log = logging.getLogger("bot")


def _run(settings: Settings) -> int:
    from telegram import Update

    from bot.app import build_application

    application = build_application(settings)
    log.info("starting: long polling, database %s", settings.database_kind)
    # PTB stops on SIGINT/SIGTERM: it stops fetching, finishes the updates in hand, runs
    # post_shutdown (which closes the database) and returns.
    application.run_polling(allowed_updates=Update.ALL_TYPES)
    log.info("stopped")
    return 0


def _demo(settings: Settings) -> int:
    from bot.demo import run_demo

    return asyncio.run(run_demo(settings))


def _migrate(settings: Settings) -> int:
    from bot.storage.database import Database
    from bot.storage.migrate import upgrade

    async def migrate() -> None:
        database = Database(settings.database_url)
        try:
            await upgrade(database)
        finally:
            await database.dispose()

    asyncio.run(migrate())
    print(f"Database is up to date ({settings.database_kind}).")
    return 0


def _check_content(settings: Settings) -> int:
    from bot.app import load_content

    catalog = load_content(settings)
    for locale in catalog.locales:
        names = ", ".join(r.id for r in catalog.routines(locale))
        print(f"{locale}: {names}")
    print(f"Content OK: {settings.content_dir}")
    return 0


def _check_streaks(settings: Settings) -> int:
    """Recompute every stored streak from the completions; repair and report any that differ."""
    from bot.storage.database import Database
    from bot.storage.migrate import upgrade
    from bot.storage.streaks import check_all

    async def check() -> tuple[int, int]:
        database = Database(settings.database_url)
        try:
            await upgrade(database)
            return await check_all(database, progress=lambda n: print(f"  checked {n} users"))
        finally:
            await database.dispose()

    checked, repaired = asyncio.run(check())
    print(f"Streaks checked: {checked}; repaired from history: {repaired}.")
    return 0


COMMANDS = {
    "run": _run,
    "demo": _demo,
    "migrate": _migrate,
    "check-content": _check_content,
    "check-streaks": _check_streaks,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", choices=sorted(COMMANDS), help="default: see below")
    parser.epilog = "Without a command: run if TELEGRAM_BOT_TOKEN is set, otherwise demo."
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        secrets = (
            [settings.telegram_bot_token.get_secret_value()] if settings.telegram_bot_token else []
        )
        setup_logging(settings.log_level, secrets)
        command = args.command
        if command is None:
            command = "run" if settings.telegram_bot_token else "demo"
            if command == "demo":
                print("No TELEGRAM_BOT_TOKEN set: starting the terminal demo instead.\n")
        if command == "run":
            settings.token  # noqa: B018 - raises SettingsError with advice when missing
        return COMMANDS[command](settings)
    except (SettingsError, CatalogError) as exc:
        print(f"Cannot start: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
