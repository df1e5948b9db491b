"""``python -m emulator``: serve the emulator for manual checks.

Prints the URLs to give the bot, echoes every bot message, and lets you type as a user: each
line on stdin is sent to the bot from that user (``/press N`` presses button N of the last bot
message, ``/block`` and ``/unblock`` toggle blocking).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys

from .emulator import DEFAULT_TOKEN, BotApiEmulator
from .state import ChatEvent


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m emulator", description=__doc__)
    parser.add_argument("--port", type=int, default=8081, help="0 picks a free port")
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--username", default="face_ritual_test_bot")
    parser.add_argument("--user-id", type=int, default=1001, help="who stdin lines come from")
    parser.add_argument("--first-name", default="Alice")
    parser.add_argument("--language", default="en")
    parser.add_argument("--rate-limits", action="store_true", help="enforce flood limits")
    parser.add_argument("--no-stdin", action="store_true", help="do not read user input")
    return parser.parse_args(argv)


def _print_event(event: ChatEvent) -> None:
    if event.kind in {"message", "edited"} and event.message is not None:
        if event.message.from_bot:
            prefix = "edited " if event.kind == "edited" else ""
            print(f"[chat {event.chat_id}] {prefix}{event.message.describe()}", flush=True)
    elif event.kind == "deleted":
        print(f"[chat {event.chat_id}] message #{event.message_id} deleted", flush=True)
    elif event.kind == "callback_answer" and event.callback_answer is not None:
        answer = event.callback_answer
        style = "alert" if answer.show_alert else "toast"
        print(f"[chat {event.chat_id}] {style}: {answer.text or '(empty answer)'}", flush=True)
    elif event.kind == "chat_action":
        print(f"[chat {event.chat_id}] bot is {event.action}...", flush=True)


async def _read_user_input(emu: BotApiEmulator, args: argparse.Namespace) -> None:
    user = emu.user(args.user_id, args.first_name, language_code=args.language)
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            return
        line = line.rstrip("\n")
        try:
            if line.startswith("/press "):
                target = user.last_bot_message
                if target is None:
                    print("no bot message to press on", flush=True)
                    continue
                choice = line[len("/press ") :].strip()
                button: str | int = int(choice) if choice.isdigit() else choice
                await user.press(target, button)
            elif line == "/block":
                user.block_bot()
            elif line == "/unblock":
                user.unblock_bot()
            elif line.strip():
                await user.send(line)
        except Exception as exc:  # keep the manual session alive on a typo
            print(f"! {exc}", flush=True)


async def main(argv: list[str] | None = None) -> None:
    args = _parse_args(argv)
    emu = BotApiEmulator(
        args.token, port=args.port, bot_username=args.username, rate_limits=args.rate_limits
    )
    async with emu:
        emu.on_change(_print_event)
        emu.user(args.user_id, args.first_name, language_code=args.language)
        print(f"Bot API emulator for @{emu.bot_user.username}", flush=True)
        print(f"token:         {emu.token}", flush=True)
        print(f"base_url:      {emu.base_url}", flush=True)
        print(f"base_file_url: {emu.file_base_url}", flush=True)
        print(f"user chat:     {args.user_id} ({args.first_name})", flush=True)
        print(f"try: curl {emu.method_url('getMe')}", flush=True)
        if args.no_stdin:
            await asyncio.Event().wait()
        else:
            print(f"type lines to send them as user {args.user_id}", flush=True)
            await _read_user_input(emu, args)


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())
