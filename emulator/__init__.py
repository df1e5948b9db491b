"""A faithful, local Telegram Bot API emulator for testing and demoing the bot.

The bot talks to it over real HTTP; tests and the demo act as Telegram users in-process::

    async with BotApiEmulator() as emu:
        app = (
            ApplicationBuilder().token(emu.token)
            .base_url(emu.base_url).base_file_url(emu.file_base_url).build()
        )
        ...  # add handlers, start polling
        alice = emu.user(1001, first_name="Alice")
        await alice.send("/start")
        reply = await alice.wait_for_bot_message(timeout=5)
        await alice.press(reply, "Next")

See README.md in this folder for the full API and the places where it deliberately differs
from Telegram.
"""

from .emulator import DEFAULT_TOKEN, BotApiEmulator
from .errors import ApiError
from .faults import FAULT_KINDS, FaultInjector, FaultRule
from .messages import Button, ChatMessage, DocumentFile
from .ratelimit import RateLimits
from .server import NOTE_HEADER, ApiCall
from .state import CallbackAnswer, CallbackQueryRecord, ChatEvent, WebhookConfig
from .users import (
    ButtonNotFoundError,
    ChatView,
    EmulatedGroup,
    EmulatedUser,
    EmulatorError,
)

__all__ = [
    "DEFAULT_TOKEN",
    "FAULT_KINDS",
    "NOTE_HEADER",
    "ApiCall",
    "ApiError",
    "BotApiEmulator",
    "Button",
    "ButtonNotFoundError",
    "CallbackAnswer",
    "CallbackQueryRecord",
    "ChatEvent",
    "ChatMessage",
    "ChatView",
    "DocumentFile",
    "EmulatedGroup",
    "EmulatedUser",
    "EmulatorError",
    "FaultInjector",
    "FaultRule",
    "RateLimits",
    "WebhookConfig",
]
