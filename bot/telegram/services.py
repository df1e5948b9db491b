"""What every handler needs, built once by the composition root (bot/app.py)."""

from __future__ import annotations

from dataclasses import dataclass

from telegram.ext import CallbackContext

from bot.catalog import Catalog
from bot.clock import Clock
from bot.config import Settings
from bot.storage.database import Database

BOT_DATA_KEY = "services"


@dataclass(frozen=True)
class Services:
    settings: Settings
    db: Database
    catalog: Catalog
    clock: Clock

    def locale_for(self, language_code: str | None) -> str:
        """The catalogue locale closest to a Telegram language code, else the default."""
        if language_code:
            code = language_code.lower()
            for candidate in (code, code.split("-")[0]):
                if candidate in self.catalog.locales:
                    return candidate
        return self.settings.default_language


def services(context: CallbackContext) -> Services:  # type: ignore[type-arg]
    return context.application.bot_data[BOT_DATA_KEY]
