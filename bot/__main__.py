"""Command line: `python -m bot [run|demo|migrate|check-content|check-streaks]`.

With no command: run against Telegram when TELEGRAM_BOT_TOKEN is set, else the terminal demo.
Every failure a person can fix (a setting, a content file, a database or a Telegram that cannot
be reached at start) ends with a clear message and exit code 2, not a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bot.catalog import CatalogError
from bot.config import Settings, SettingsError, load_settings
from bot.logging_setup import setup_logging
from bot.preflight import StartupError

if TYPE_CHECKING:  # PTB is imported only by the commands that run the bot
    from telegram.ext import Application

log = logging.getLogger("bot")


def _run(settings: Settings) -> int:
    from bot.app import build_application, load_content
    from bot.preflight import check_start
    from bot.telegram.handlers import ALLOWED_UPDATES

    # Content first: its errors are found without the network. Then the database and Telegram,
    # each failure in one line, before PTB's own start-up would end in a traceback.
    catalog = load_content(settings)
    asyncio.run(check_start(settings))
    application = build_application(settings, catalog=catalog)
    _announce_start(application, settings)
    if settings.webhook_url:
        from bot.webhook import run_webhook

        code = run_webhook(settings, application)
    else:
        # PTB stops on SIGINT/SIGTERM: it stops fetching, finishes the updates in hand, runs
        # post_shutdown (which closes the database) and returns.
        application.run_polling(allowed_updates=ALLOWED_UPDATES)
        code = 0
    log.info("stopped")
    return code


def _describe_mode(settings: Settings) -> str:
    """`mode=polling`, or `mode=webhook url=...` with the URL's host and path only: no user
    info or query string, where a secret could hide."""
    if not settings.webhook_url:
        return "mode=polling"
    url = urlsplit(settings.webhook_url)
    host = url.netloc.rpartition("@")[2]
    return f"mode=webhook url={url.scheme}://{host}{url.path}"


# Counting runs at every start; on a slow or locked database it must not hold start-up up.
_COUNT_TIMEOUT_S = 5.0


async def _count_users_with_reminders(application: Application) -> int | None:
    from bot.storage.reminders import users_with_reminders
    from bot.telegram.services import BOT_DATA_KEY

    svc = application.bot_data[BOT_DATA_KEY]
    try:
        async with asyncio.timeout(_COUNT_TIMEOUT_S), svc.db.read() as session:
            return await users_with_reminders(session)
    except Exception as exc:
        # The class name only: driver messages may quote connection details.
        log.warning(
            "could not count users with reminders (%s); starting anyway", type(exc).__name__
        )
        return None


def _announce_start(application: Application, settings: Settings) -> None:
    """Log one line at start: the mode, the database kind and how many users have reminders.

    It runs after the Application's own post_init, i.e. after the migrations, so the count
    works on a fresh database too; polling or serving starts right after it."""
    post_init = application.post_init

    async def announcing_post_init(app: Application) -> None:
        if post_init is not None:
            await post_init(app)
        count = await _count_users_with_reminders(app)
        log.info(
            "starting: %s database=%s users_with_reminders=%s",
            _describe_mode(settings),
            settings.database_kind,
            "?" if count is None else count,
        )

    application.post_init = announcing_post_init


def _demo(settings: Settings) -> int:
    from bot.demo import run_demo

    return asyncio.run(run_demo(settings))


def _migrate(settings: Settings) -> int:
    from bot.preflight import check_database
    from bot.storage.database import Database
    from bot.storage.migrate import upgrade

    async def migrate() -> None:
        await check_database(settings)
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
    from bot.preflight import check_database
    from bot.storage.database import Database
    from bot.storage.migrate import upgrade
    from bot.storage.streaks import check_all

    async def check() -> tuple[int, int]:
        await check_database(settings)
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


def _secrets(settings: Settings) -> list[str]:
    """What the log filter masks: the token, and the webhook secret (PTB logs the parameters
    of every Bot API call at DEBUG, setWebhook's secret_token among them)."""
    secrets = [settings.telegram_bot_token, settings.webhook_secret]
    return [secret.get_secret_value() for secret in secrets if secret is not None]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", choices=sorted(COMMANDS), help="default: see below")
    parser.epilog = "Without a command: run if TELEGRAM_BOT_TOKEN is set, otherwise demo."
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        setup_logging(settings.log_level, _secrets(settings))
        command = args.command
        if command is None:
            command = "run" if settings.telegram_bot_token else "demo"
            if command == "demo":
                print("No TELEGRAM_BOT_TOKEN set: starting the terminal demo instead.\n")
        if command == "run":
            settings.token  # noqa: B018 - raises SettingsError with advice when missing
        return COMMANDS[command](settings)
    except (SettingsError, CatalogError, StartupError) as exc:
        print(f"Cannot start: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
