"""Decoding request parameters the way the Bot API server does.

Clients send every value as a string (PTB JSON-encodes non-strings into form fields), so the
server has to know which fields are text. Known text fields stay verbatim; anything else is
JSON-decoded when it parses, which turns "123" into 123 and '{"inline_keyboard": ...}' into a
dict, and is kept as the raw string otherwise (e.g. chat_id "@channel").
"""

from __future__ import annotations

import builtins
import json
from dataclasses import dataclass
from typing import Any

from .errors import CHAT_ID_EMPTY, CHAT_NOT_FOUND, bad_request

STRING_FIELDS = frozenset(
    {
        "text", "caption", "parse_mode", "callback_query_id", "url", "secret_token", "data",
        "query", "description", "short_description", "name", "title", "first_name",
        "last_name", "username", "emoji", "address", "phone_number", "language_code",
        "action", "business_connection_id", "message_effect_id", "inline_message_id",
        "ip_address", "switch_pm_text", "start_parameter", "payload", "explanation",
        "question", "file_id", "next_offset", "sticker_set_name", "custom_title",
        "photo", "document", "sticker", "video", "audio", "voice", "animation",
        "video_note", "thumbnail", "certificate", "filename", "format", "foursquare_id",
        "google_place_id", "invite_link", "reason", "quote", "button_text",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request."""

    filename: str | None
    data: bytes
    content_type: str | None

    def __repr__(self) -> str:  # keeps the call log readable
        return f"Upload({self.filename!r}, {len(self.data)} bytes, {self.content_type!r})"


def decode_value(name: str, value: Any) -> Any:
    if name in STRING_FIELDS:
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        return value
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


class Params:
    """Typed access to one request's parameters, raising Telegram's errors on bad input."""

    def __init__(self, values: dict[str, Any], uploads: dict[str, Upload] | None = None):
        self.values = {name: decode_value(name, value) for name, value in values.items()}
        self.uploads = uploads or {}

    def __contains__(self, name: str) -> bool:
        return name in self.values or name in self.uploads

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def as_log(self) -> dict[str, Any]:
        logged = dict(self.values)
        logged.update(self.uploads)
        return logged

    def str(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None:
            return None
        return value if isinstance(value, str) else json.dumps(value)

    def int(self, name: builtins.str, default: int | None = None) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        try:
            return int(str(value))
        except ValueError:
            raise bad_request(f"Bad Request: invalid {name} specified") from None

    def bool(self, name: builtins.str, default: bool = False) -> bool:
        value = self.values.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            return value != 0
        return str(value).lower() in {"true", "1", "yes", "on"}

    def chat_id(self, name: builtins.str = "chat_id") -> builtins.int:
        value = self.values.get(name)
        if value is None or value == "":
            raise bad_request(CHAT_ID_EMPTY)
        if isinstance(value, bool):
            raise bad_request(CHAT_NOT_FOUND)
        if isinstance(value, int):
            return value
        try:
            return int(str(value))
        except ValueError:
            # "@username" chats are public channels/supergroups; none exist here.
            raise bad_request(CHAT_NOT_FOUND) from None

    def input_file(self, name: builtins.str) -> Upload | builtins.str | None:
        """A file field: an uploaded part (directly or via attach://), or a file_id/URL string."""
        if name in self.uploads:
            return self.uploads[name]
        value = self.values.get(name)
        if value is None:
            return None
        if not isinstance(value, str):
            value = str(value)
        if value.startswith("attach://"):
            return self.uploads.get(value[len("attach://") :])
        return value
