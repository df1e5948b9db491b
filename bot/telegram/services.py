"""What every handler needs, built once by the composition root (bot/app.py)."""

from __future__ import annotations

from dataclasses import dataclass

from telegram.ext import CallbackContext

from bot.catalog import Catalog
from bot.clock import Clock
from bot.config import Settings
from bot.storage.database import Database
from bot.storage.profiles import ProfileCache

BOT_DATA_KEY = "services"


@dataclass(frozen=True)
class Services:
    settings: Settings
    db: Database
    catalog: Catalog
    clock: Clock
    profiles: ProfileCache


def services(context: CallbackContext) -> Services:  # type: ignore[type-arg]
    return context.application.bot_data[BOT_DATA_KEY]
