"""Command line: `python -m bot [run|migrate|check-content|check-streaks|render-pictures]`.

With no command: run against Telegram when TELEGRAM_BOT_TOKEN is set; without one, say so and
exit with EXIT_NO_TOKEN, on which `make run` starts the terminal demo instead. The demo lives in
the emulator package (`python -m emulator.demo`): the bot imports nothing from the emulator.
Every failure a person can fix (a setting, a content file, a database or a Telegram that cannot
be reached at start) ends with a clear message and exit code 2, not a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bot.catalog import CatalogError
from bot.config import DEFAULT_PICTURES_DIR, Settings, SettingsError, load_settings
from bot.logging_setup import setup_logging
from bot.preflight import StartupError

log = logging.getLogger("bot")


def _run(settings: Settings) -> int:
    from bot.app import build_application, load_content, running
    from bot.lifecycle import run_until_signalled
    from bot.preflight import check_start

    # Content first: its errors are found without the network. Then the database and Telegram,
    # each failure in one line, before PTB's own start-up would end in a traceback.
    catalog = load_content(settings)
    asyncio.run(check_start(settings))
    application = build_application(settings, catalog=catalog)
    if settings.webhook_url:
        from bot.webhook import serving

        code = asyncio.run(run_until_signalled(lambda: serving(application, settings)))
    else:
        code = asyncio.run(run_until_signalled(lambda: running(application)))
    log.info("stopped")
    return code


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


def _render_pictures(settings: Settings, out: Path | None = None) -> int:
    """Draw every step's diagram and animation into a folder, for review and for the bot."""
    from bot.app import load_content
    from bot.services.step_pictures import StepPicture, render_all

    catalog = load_content(settings)
    # By default where the bot reads them (PICTURES_DIR), so a deploy can render them ahead.
    folder = out or settings.pictures_dir or DEFAULT_PICTURES_DIR
    interactive = sys.stdout.isatty()
    started = time.monotonic()

    def progress(done: int, total: int, picture: StepPicture) -> None:
        line = f"  {done}/{total} {picture.routine_id}: {picture.step_id}"
        if interactive:
            print(f"\r{line:<70}", end="" if done < total else "\n", flush=True)
        else:
            print(line)

    result = render_all(catalog, folder, progress)
    print(
        f"Rendered {result.pictures} step pictures in {time.monotonic() - started:.0f} s "
        f"({result.drawn} diagrams and {result.animated} animations drawn, the rest cached) "
        f"into {result.folder}: <routine>/<nn>-<step>.png and .gif to review, <key>.png and "
        "<key>.gif for the bot."
    )
    return 0


COMMANDS: dict[str, Callable[..., int]] = {
    "run": _run,
    "migrate": _migrate,
    "check-content": _check_content,
    "check-streaks": _check_streaks,
    "render-pictures": _render_pictures,
}


def _secrets(settings: Settings) -> list[str]:
    """What the log filter masks: the token, and the webhook secret (PTB logs the parameters
    of every Bot API call at DEBUG, setWebhook's secret_token among them)."""
    secrets = [settings.telegram_bot_token, settings.webhook_secret]
    return [secret.get_secret_value() for secret in secrets if secret is not None]


# `python -m bot` without a command exits with this when no token is set (in the environment or
# .env), so that `make run` can start the terminal demo instead; `python -m bot run` exits with
# 2, like any other missing setting.
EXIT_NO_TOKEN = 3


def run_command(command: Callable[[Settings], int]) -> int:
    """Load the settings, set up logging and run `command` (the bot's commands, and the demo's).

    A failure a person can fix ends in one line on stderr and exit code 2."""
    try:
        settings = load_settings()
        setup_logging(settings.log_level, _secrets(settings))
        return command(settings)
    except (SettingsError, CatalogError, StartupError) as exc:
        print(f"Cannot start: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _dispatch(command: str | None, settings: Settings, out: Path | None = None) -> int:
    """Run `command`; no command runs the bot, or says why not (EXIT_NO_TOKEN) without a token."""
    if command in (None, "run"):
        try:
            settings.token  # noqa: B018 - raises SettingsError with advice when missing
        except SettingsError as exc:
            if command == "run":
                raise
            print(f"Cannot start: {exc}", file=sys.stderr)
            return EXIT_NO_TOKEN
        command = "run"
    if command == "render-pictures":
        return _render_pictures(settings, out)
    return COMMANDS[command](settings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", choices=sorted(COMMANDS), help="default: see below")
    parser.add_argument(
        "--out",
        type=Path,
        help="render-pictures: the folder to draw into (default: PICTURES_DIR, "
        f"{DEFAULT_PICTURES_DIR})",
    )
    parser.epilog = (
        "Without a command: run if TELEGRAM_BOT_TOKEN is set. "
        "The terminal demo (no token needed): make demo, or python -m emulator.demo."
    )
    args = parser.parse_args(argv)
    if args.out is not None and args.command != "render-pictures":
        parser.error("--out is for render-pictures")
    return run_command(lambda settings: _dispatch(args.command, settings, args.out))


if __name__ == "__main__":
    sys.exit(main())
