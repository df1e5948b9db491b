"""Settings from the environment and `.env`, validated once at start-up.

A bad setting stops the bot with one line naming it (see `load_settings`), never a traceback,
and the token's value never appears in that line or in any log.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONTENT_DIR = PROJECT_ROOT / "content"

# BotFather tokens are a numeric bot id, a colon, then 30+ URL-safe characters.
_TOKEN_SHAPE = re.compile(r"^\d{3,15}:[A-Za-z0-9_-]{30,}$")


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line per problem, safe to print."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_file_base_url: str = "https://api.telegram.org/file/bot"
    database_url: str = "sqlite+aiosqlite:///data/bot.db"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    default_timezone: str = "UTC"
    default_language: str = "en"
    content_dir: Path = DEFAULT_CONTENT_DIR
    # Updates of different chats handled at once; one chat's updates always run in order.
    max_concurrent_updates: int = Field(default=64, ge=1, le=10_000)
    # PTB's AIORateLimiter keeps under Telegram's flood limits and honours 429 retry_after.
    rate_limit: bool = True
    # A reminder missed while the bot was down is still sent if it is at most this late.
    reminder_grace_minutes: int = Field(default=120, ge=0, le=24 * 60)

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        if not _TOKEN_SHAPE.match(value.get_secret_value().strip()):
            # Deliberately no value in the message: it is a secret even when malformed.
            raise ValueError("does not look like a bot token from @BotFather (digits:letters)")
        return SecretStr(value.get_secret_value().strip())

    @field_validator("telegram_api_base_url", "telegram_file_base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("must be an http(s) URL")
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("default_timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("is not an IANA time zone name such as Europe/Berlin") from None
        return value

    @field_validator("default_language")
    @classmethod
    def _language(cls, value: str) -> str:
        if not re.match(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$", value):
            raise ValueError("must be a language code such as en or pt-br")
        return value

    @property
    def token(self) -> str:
        if self.telegram_bot_token is None:
            raise SettingsError(
                "TELEGRAM_BOT_TOKEN is not set: put the token from @BotFather in .env "
                "(or try the bot without one: python -m bot demo)"
            )
        return self.telegram_bot_token.get_secret_value()

    @property
    def database_kind(self) -> str:
        return "postgresql" if self.database_url.startswith("postgresql") else "sqlite"


def load_settings(**overrides: object) -> Settings:
    """Read settings; turn validation errors into a SettingsError of short, safe lines."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            name = str(error["loc"][0]).upper() if error["loc"] else "settings"
            reason = error["msg"].removeprefix("Value error, ")
            lines.append(f"Setting {name}: {reason}")
        raise SettingsError("\n".join(lines)) from None
