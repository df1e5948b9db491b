"""Where a handler finds the application's services: in the Application's bot_data."""

from __future__ import annotations

from telegram.ext import CallbackContext

# Re-exported: the Telegram layer names the container by this module (bot.services.context
# defines it, beside the use cases that take it).
from bot.services.context import Services as Services

BOT_DATA_KEY = "services"


def services(context: CallbackContext) -> Services:
    return context.application.bot_data[BOT_DATA_KEY]
