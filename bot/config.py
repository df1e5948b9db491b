"""Settings from the environment and `.env`, validated once at start-up.

A bad setting stops the bot with one line naming it (see `load_settings`), never a traceback,
and the token's value never appears in that line or in any log.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.domain.zones import parse_timezone

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONTENT_DIR = PROJECT_ROOT / "content"
# Relative to the working folder, like data/bot.db.
DEFAULT_PICTURES_DIR = Path("data/pictures/steps")

# BotFather tokens are a numeric bot id, a colon, then 30+ URL-safe characters.
_TOKEN_SHAPE = re.compile(r"^\d{3,15}:[A-Za-z0-9_-]{30,}$")


# Telegram's setWebhook refuses any other port, and any scheme but https.
WEBHOOK_PORTS = (443, 80, 88, 8443)
_WEBHOOK_URL_SHAPE = (
    "must be the public https:// address Telegram posts updates to, "
    "like https://bot.example.com/telegram/hook"
)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_webhook_url(url: str) -> str:
    """Refuse at start what setWebhook would refuse later, in words that say how to fix it.

    A loopback host is the one exception: Telegram never calls it, so it only serves local
    tests (against the emulator), which may use http:// and any port."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or re.search(r"\s", url):
        raise ValueError(_WEBHOOK_URL_SHAPE)
    try:
        port = 443 if parts.port is None else parts.port
    except ValueError:
        raise ValueError("has a port that is not a number between 1 and 65535") from None
    if _is_loopback(parts.hostname):
        return url
    if parts.scheme != "https":
        raise ValueError(
            "must start with https://: Telegram posts updates over HTTPS only "
            "(http:// is accepted only for a loopback host such as 127.0.0.1, for local tests)"
        )
    if port not in WEBHOOK_PORTS:
        raise ValueError(
            f"uses port {port}, but Telegram posts updates only to ports 443, 80, 88 or 8443 "
            "(443 when the address names none)"
        )
    return url


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
    # Where each step's diagram and animation are rendered (at start-up, for what is missing)
    # and read from when a step is sent; empty: steps are sent as text only.
    pictures_dir: Path | None = DEFAULT_PICTURES_DIR
    # Updates of different chats handled at once; one chat's updates always run in order.
    max_concurrent_updates: int = Field(default=64, ge=1, le=10_000)
    # PTB's AIORateLimiter keeps under Telegram's flood limits and honours 429 retry_after.
    rate_limit: bool = True
    # A reminder missed while the bot was down is still sent if it is at most this late.
    reminder_grace_minutes: int = Field(default=120, ge=0, le=24 * 60)
    # Steps over an area treated with botulinum toxin or filler are left out for this many days.
    injectables_pause_days: int = Field(default=14, ge=1, le=365)
    # Webhook mode when set: the public HTTPS address Telegram posts updates to.
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = Field(default=8443, ge=1, le=65_535)
    # Telegram sends it back in X-Telegram-Bot-Api-Secret-Token; required with WEBHOOK_URL.
    webhook_secret: SecretStr | None = None
    # Telegram user ids allowed to use /stats, comma-separated.
    # NoDecode: read as the plain text "123,456", not as JSON.
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    # Per-user flood control: a burst of this many updates, then one every FLOOD_REFILL_SECONDS.
    flood_burst: int = Field(default=10, ge=1, le=1000)
    flood_refill_seconds: float = Field(default=1.0, gt=0, le=3600)
    # This process's name on the reminders it is sending (see `instance`); unique per process.
    instance_id: str | None = Field(default=None, max_length=64)
    # How long a claimed reminder is held by its instance without a renewal (renewed every
    # third of it while its batch is being sent); then another instance may take it over.
    delivery_lease_seconds: int = Field(default=90, ge=1, le=3600)
    # Delivery records (the keys that make reminders idempotent) are kept this many days.
    delivery_retention_days: int = Field(default=30, ge=2, le=3650)
    # How long a process trusts its in-memory copy of a user's settings (see profile_cache_ttl).
    profile_cache_seconds: float | None = Field(default=None, ge=0, le=3600)
    # A warning is logged (and counted on /healthz) when the event loop was held this long.
    loop_lag_warn_ms: float = Field(default=50, gt=0, le=60_000)
    # Threads that draw pictures and build exports, off the event loop (see bot/offload.py).
    worker_threads: int = Field(default=2, ge=1, le=64)
    # Polling mode: serve GET /healthz on this port too (webhook mode serves it on its own port).
    health_port: int | None = Field(default=None, ge=0, le=65_535)
    health_listen: str = "127.0.0.1"

    @field_validator("webhook_url", mode="before")
    @classmethod
    def _webhook_url(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str):
            raise ValueError(_WEBHOOK_URL_SHAPE)
        return _check_webhook_url(value.strip())

    @field_validator("pictures_dir", mode="before")
    @classmethod
    def _pictures_dir(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None  # PICTURES_DIR= : steps as text only
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        # Telegram's rule for secret_token: 1-256 characters A-Z, a-z, 0-9, _ and -.
        if not re.match(r"^[A-Za-z0-9_-]{1,256}$", value.get_secret_value().strip()):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return SecretStr(value.get_secret_value().strip())

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _admin_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",") if part.strip()]
            if not all(re.match(r"^\d{1,15}$", part) for part in parts):
                raise ValueError("must be Telegram user ids separated by commas, like 123,456")
            return frozenset(int(part) for part in parts)
        if isinstance(value, int):
            return frozenset({value})
        return value

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.webhook_url and self.webhook_secret is None:
            raise ValueError(
                "WEBHOOK_URL is set but WEBHOOK_SECRET is not: without it anyone could post "
                "updates to the bot"
            )
        return self

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
        # Read as /timezone reads what users type, and stored in the same canonical form.
        zone = parse_timezone(value)
        if zone is None:
            raise ValueError(
                "is not a time zone: an IANA name such as Europe/Berlin, "
                "or an offset such as +03:00 or UTC-5"
            )
        return zone

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
                "(or try the bot without one: make demo, or python -m emulator.demo)"
            )
        return self.telegram_bot_token.get_secret_value()

    @property
    def webhook_path(self) -> str:
        """The URL path of WEBHOOK_URL, where the local server listens ("" for the root)."""
        if not self.webhook_url:
            return ""
        return urlsplit(self.webhook_url).path.strip("/")

    @property
    def instance(self) -> str:
        """INSTANCE_ID, or this host and what the process listens on: stable across restarts
        (so a restarted process takes back the reminders it left) and distinct for the
        instances of one host (one per webhook port; polling allows only one per bot)."""
        if self.instance_id:
            return self.instance_id
        listening = f"webhook-{self.webhook_port}" if self.webhook_url else "polling"
        return f"{socket.gethostname()[:40]}:{listening}"

    @property
    def profile_cache_ttl(self) -> float:
        """PROFILE_CACHE_SECONDS, or by default 60 s on SQLite (one process: every change goes
        through its own cache) and 0 on PostgreSQL, where another instance may change a user's
        zone or reminders and this one must not act on the old ones."""
        if self.profile_cache_seconds is not None:
            return self.profile_cache_seconds
        return 0.0 if self.database_kind == "postgresql" else 60.0

    @property
    def delivery_lease(self) -> timedelta:
        return timedelta(seconds=self.delivery_lease_seconds)

    @property
    def database_kind(self) -> str:
        return "postgresql" if self.database_url.startswith("postgresql") else "sqlite"


def load_settings(**overrides: Any) -> Settings:
    """Read settings; turn validation errors into a SettingsError of short, safe lines."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            reason = error["msg"].removeprefix("Value error, ")
            if error["loc"]:
                lines.append(f"Setting {str(error['loc'][0]).upper()}: {reason}")
            else:  # a rule across settings names them itself
                lines.append(reason)
        raise SettingsError("\n".join(lines)) from None
