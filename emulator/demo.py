"""`python -m emulator.demo` (`make demo`): the real bot, the emulator and a chat in the terminal.

Nothing leaves this machine and no token is needed. Type a message or a command; when the bot's
latest message has buttons, type a button's number to press it. Ctrl-D (or /quit) leaves.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import hashlib
import logging
import sys
import textwrap
import threading
import time
from datetime import datetime
from pathlib import Path

from pydantic import SecretStr

# The one module of the emulator package that imports the bot: the demo runs it.
from bot.__main__ import run_command
from bot.app import build_application, running
from bot.config import Settings
from bot.telegram.services import BOT_DATA_KEY

from .emulator import BotApiEmulator
from .media import extension_for, image_kind
from .messages import ChatMessage
from .state import ChatEvent
from .users import EmulatedUser

DEMO_USER_ID = 1
DEMO_DATABASE_URL = "sqlite+aiosqlite:///data/demo.db"
# Every picture, animation and document the bot sends is saved under here, one folder a run,
# so a newcomer can open what a phone would show.
DEMO_MEDIA_DIR = Path("data/demo")
# How long the bot must stay silent before the next typed line is taken (piped input).
QUIET_S = 0.6
MAX_WAIT_S = 10.0
WIDTH = 78


class MediaFolder:
    """Saves what the bot sends as files (a file sent twice is saved once) and says where."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._saved: dict[str, Path] = {}  # by the content's hash

    def save(self, message: ChatMessage) -> tuple[str, Path] | None:
        """(what it is, where it was saved), or None for a message without a file."""
        if message.photo is not None:
            kind, data, name = "picture", message.photo, None
            extension = image_kind(message.photo) or "png"
        elif message.document is not None:
            kind, data, name = "document", message.document.data, message.document.name
            extension = extension_for(None, name)
        elif message.media is not None:
            kind, data, name = message.media.kind, message.media.data, message.media.name
            extension = extension_for(message.media.mime_type, name)
        else:
            return None
        digest = hashlib.sha256(data).hexdigest()
        path = self._saved.get(digest)
        if path is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            stem = Path(name).stem if name else kind
            path = self.folder / f"{message.message_id}-{stem}.{extension}"
            path.write_bytes(data)
            self._saved[digest] = path
        return kind, path


class TerminalChat:
    """Prints the demo user's chat as it changes; numbers the latest message's buttons."""

    def __init__(
        self, user: EmulatedUser, out=sys.stdout, media: MediaFolder | None = None
    ) -> None:
        self.user = user
        self.out = out
        self.media = media
        self.last_event = time.monotonic()
        self.keyboard: ChatMessage | None = None
        self._shown: dict[int, str] = {}

    def on_event(self, event: ChatEvent) -> None:
        if event.chat_id != self.user.id:
            return
        self.last_event = time.monotonic()
        if event.kind == "callback_answer" and event.callback_answer is not None:
            if event.callback_answer.text:
                self._print(f"  ({event.callback_answer.text})")
            return
        message = event.message
        if message is None or not message.from_bot:
            return
        if event.kind == "message":
            self._show(message)
        elif event.kind == "edited":
            if self._shown.get(message.message_id) != message.content:
                self._show(message, edited=True)
            elif message.has_keyboard and self._is_latest(message):
                self._buttons(message)
            elif self.keyboard is not None and self.keyboard.message_id == message.message_id:
                self.keyboard = None

    def _is_latest(self, message: ChatMessage) -> bool:
        bot_messages = self.user.bot_messages
        return bool(bot_messages) and bot_messages[-1].message_id == message.message_id

    def _show(self, message: ChatMessage, *, edited: bool = False) -> None:
        self._shown[message.message_id] = message.content
        label = "bot (edited)" if edited else "bot"
        body = message.content or message.describe()
        saved = self.media.save(message) if self.media is not None else None
        if saved is not None:
            kind, path = saved
            body = f"[{kind}: {path}] {message.caption or ''}".rstrip()
        elif message.photo is not None:
            body = f"[picture] {message.caption or ''}"
        lines = [f"{label} ▸"]
        for paragraph in body.split("\n"):
            wrapped = textwrap.wrap(paragraph, WIDTH - 2) or [""]
            lines.extend("  " + line for line in wrapped)
        self._print("\n".join(lines))
        if message.has_keyboard:
            self._buttons(message)
        elif self.keyboard is not None and self.keyboard.message_id == message.message_id:
            self.keyboard = None

    def _buttons(self, message: ChatMessage) -> None:
        self.keyboard = message
        numbered = [f"[{i}] {b.text}" for i, b in enumerate(message.flat_buttons, start=1)]
        self._print("  " + "   ".join(numbered))

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    async def press(self, number: int) -> bool:
        current = self.keyboard and self.user.message(self.keyboard.message_id)
        if not current or not 1 <= number <= len(current.flat_buttons):
            self._print("  (no button with that number on the latest message)")
            return False
        await self.user.press(current, number - 1)
        return True

    async def settle(self) -> None:
        """Wait until the bot has been quiet for a moment (bounded)."""
        deadline = time.monotonic() + MAX_WAIT_S
        await asyncio.sleep(0.05)
        while time.monotonic() < deadline:
            idle = time.monotonic() - self.last_event
            if idle >= QUIET_S:
                return
            await asyncio.sleep(QUIET_S - idle)


def _read_lines(loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[str | None]) -> None:
    """A daemon thread: input() blocks, and must not keep the process alive on exit."""
    while True:
        try:
            line = input()
        except (EOFError, KeyboardInterrupt):
            loop.call_soon_threadsafe(queue.put_nowait, None)
            return
        loop.call_soon_threadsafe(queue.put_nowait, line)


async def run_demo(settings: Settings, language: str = "en") -> int:
    async with BotApiEmulator() as emulator:
        demo_settings = settings.model_copy(
            update={
                "telegram_bot_token": SecretStr(emulator.token),
                "telegram_api_base_url": emulator.base_url,
                "telegram_file_base_url": emulator.file_base_url,
                "database_url": DEMO_DATABASE_URL,
                "rate_limit": False,
            }
        )
        # The chat is the interface; the bot's own log would only clutter it.
        logging.getLogger().setLevel(logging.WARNING)
        name = (getpass.getuser() or "friend").capitalize()
        # As Telegram tells the bot the app's language: the bot answers in it when content/
        # has it (the menu too), in the default language otherwise.
        user = emulator.user(DEMO_USER_ID, first_name=name, language_code=language)
        media = MediaFolder(DEMO_MEDIA_DIR / datetime.now().strftime("%Y%m%d-%H%M%S"))
        chat = TerminalChat(user, media=media)
        emulator.on_change(chat.on_event)
        application = build_application(demo_settings)
        pictures = application.bot_data[BOT_DATA_KEY].step_pictures
        async with running(application):
            if pictures.missing():
                # Only the first run (or after the strokes or the drawing changed): the bot
                # would send those steps as text meanwhile, and the demo is there to show them.
                print(
                    f"Drawing the step pictures into {pictures.folder} (first run only, "
                    "under a minute)...",
                    flush=True,
                )
                await pictures.wait_warm()
            print(
                "Face ritual bot: demo. You are chatting with the real bot through a local\n"
                "Telegram emulator; progress is kept in data/demo.db, and the pictures and\n"
                f"files it sends are saved in {media.folder}. Type /start to begin,\n"
                "a button's number to press it, and Ctrl-D or /quit to leave.\n",
                flush=True,
            )
            interactive = sys.stdin.isatty()
            queue: asyncio.Queue[str | None] = asyncio.Queue()
            loop = asyncio.get_running_loop()
            threading.Thread(target=_read_lines, args=(loop, queue), daemon=True).start()
            while True:
                line = await queue.get()
                if line is None or line.strip() in ("/quit", "/exit"):
                    break
                text = line.strip()
                if not text:
                    continue
                if not interactive:  # a terminal already shows what was typed
                    print(f"you ▸ {text}", flush=True)
                if text.isdigit():
                    await chat.press(int(text))
                else:
                    await user.send(text)
                await chat.settle()
            await chat.settle()
        print(
            f"Bye! Your progress is saved in data/demo.db, the pictures in {media.folder}.",
            flush=True,
        )
    with contextlib.suppress(Exception):
        sys.stdout.flush()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m emulator.demo", description="Chat with the bot in the terminal."
    )
    parser.add_argument(
        "--language",
        default="en",
        help="the language of your (emulated) Telegram app, e.g. ru (default: en)",
    )
    args = parser.parse_args(argv)
    return run_command(lambda settings: asyncio.run(run_demo(settings, args.language)))


if __name__ == "__main__":
    sys.exit(main())
