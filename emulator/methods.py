"""The Bot API methods: validation with Telegram's error texts, then state changes.

Each handler takes decoded ``Params`` and returns the JSON ``result`` or raises ``ApiError``.
Transport concerns (tokens, faults, rate limits, the envelope) live in ``server.py``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from . import errors as E
from .errors import ApiError, bad_request
from .markup import EntityParseError, format_text, trim, utf16_len
from .media import extension_for, guess_mime, image_kind, image_size
from .params import Params, Upload
from .state import (
    DEFAULT_ALLOWED_UPDATES,
    CallbackAnswer,
    ChatEvent,
    ChatRecord,
    EmulatorState,
    StoredFile,
    StoredMessage,
    WebhookConfig,
)
from .webhook import is_loopback

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_ANSWER_TEXT = 200
MAX_COMMANDS = 100
MAX_DOWNLOAD = 20 * 1024 * 1024

CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice",
        "upload_voice", "upload_document", "choose_sticker", "find_location",
        "record_video_note", "upload_video_note",
    }
)  # fmt: skip
_BUTTON_ACTIONS = (
    "callback_data", "url", "login_url", "switch_inline_query",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "callback_game",
    "pay", "web_app", "copy_text",
)  # fmt: skip
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
# setWebhook: Telegram calls HTTPS on these ports only.
_WEBHOOK_PORTS = frozenset({80, 88, 443, 8443})
_SCOPE_TYPES = frozenset(
    {
        "default", "all_private_chats", "all_group_chats", "all_chat_administrators", "chat",
        "chat_administrators", "chat_member",
    }
)  # fmt: skip

_KEEP = object()  # "reply_markup absent": a send leaves the chat's reply keyboard alone


def _check_webhook_url(url: str) -> None:
    """Telegram's rules for a webhook URL, except that a loopback host (the only kind the
    emulator delivers to) may use http:// and any port, so that tests can serve one."""
    if not re.match(r"^https?://[^\s/]+", url):
        raise bad_request(E.WEBHOOK_URL_INVALID)
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        raise bad_request(E.WEBHOOK_URL_INVALID) from None
    if is_loopback(parts.hostname or ""):
        return
    if parts.scheme != "https":
        raise bad_request(E.WEBHOOK_HTTPS_REQUIRED)
    if (443 if port is None else port) not in _WEBHOOK_PORTS:
        raise bad_request(E.WEBHOOK_PORT_INVALID)


@dataclass
class CallContext:
    """Per-request facts a handler may need beyond its parameters."""

    client_gone: Callable[[], bool] = lambda: False


@dataclass
class ApiOptions:
    strict_ampersand: bool = True
    callback_query_ttl: float = 15 * 60


class BotApi:
    def __init__(self, state: EmulatorState, options: ApiOptions) -> None:
        self.state = state
        self.options = options
        self.bot_texts: dict[tuple[str, str], str] = {}
        # lower-case name -> (canonical name, handler); Telegram matches names case-insensitively.
        self.methods: dict[str, tuple[str, Callable[..., Any]]] = {}
        for name in (
            "getMe", "logOut", "close", "getUpdates", "setWebhook", "deleteWebhook",
            "getWebhookInfo", "sendMessage", "sendPhoto", "sendDocument", "sendLocation",
            "sendChatAction", "sendVideo", "sendAnimation", "sendAudio", "sendVoice",
            "sendSticker", "editMessageText", "editMessageCaption", "editMessageReplyMarkup",
            "deleteMessage", "deleteMessages", "answerCallbackQuery", "setMyCommands",
            "getMyCommands", "deleteMyCommands", "getFile", "getChat", "setMyName", "getMyName",
            "setMyDescription", "getMyDescription", "setMyShortDescription",
            "getMyShortDescription",
        ):  # fmt: skip
            handler = getattr(self, "m_" + re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower())
            self.methods[name.lower()] = (name, handler)

    def lookup(self, method: str) -> tuple[str, Callable[..., Any]] | None:
        return self.methods.get(method.lower())

    # ================================================================ helpers

    @property
    def _bot_sender(self) -> dict[str, Any]:
        return self.state.bot.to_api()

    def _chat(self, p: Params) -> ChatRecord:
        chat = self.state.chats.get(p.chat_id())
        if chat is None:
            raise bad_request(E.CHAT_NOT_FOUND)
        return chat

    @staticmethod
    def _check_writable(chat: ChatRecord) -> None:
        if chat.type == "private":
            if chat.blocked:
                raise ApiError(403, E.BOT_BLOCKED)
        elif chat.bot_status == "kicked":
            raise ApiError(403, E.BOT_KICKED)
        elif chat.bot_status == "left":
            raise ApiError(403, "Forbidden: bot is not a member of the group chat")

    def _target_chat(self, p: Params) -> ChatRecord:
        chat = self._chat(p)
        self._check_writable(chat)
        return chat

    def _format(
        self, p: Params, text: str, *, caption: bool
    ) -> tuple[str, list[dict[str, Any]], str | None]:
        parse_mode = p.str("parse_mode") or None
        try:
            visible, entities = format_text(
                text, parse_mode, strict_ampersand=self.options.strict_ampersand
            )
        except EntityParseError as exc:
            raise bad_request(E.CANT_PARSE_ENTITIES + str(exc)) from None
        except ValueError:
            raise bad_request(E.UNSUPPORTED_PARSE_MODE) from None
        explicit = p.get("caption_entities" if caption else "entities")
        if parse_mode is None and isinstance(explicit, list):
            entities = self._explicit_entities(explicit, text)
            visible, entities = trim(text, entities)
        limit = MAX_CAPTION if caption else MAX_TEXT
        if utf16_len(visible) > limit:
            raise bad_request(E.CAPTION_TOO_LONG if caption else E.MESSAGE_TOO_LONG)
        html = text if (parse_mode or "").lower() == "html" else None
        return visible, entities, html

    @staticmethod
    def _explicit_entities(raw: list[Any], text: str) -> list[dict[str, Any]]:
        total = utf16_len(text)
        entities = []
        for entity in raw:
            if not isinstance(entity, dict) or not {"type", "offset", "length"} <= entity.keys():
                raise bad_request("Bad Request: can't parse entities JSON object")
            if entity["offset"] < 0 or entity["offset"] + entity["length"] > total:
                raise bad_request("Bad Request: entity end is after the end of the text")
            entities.append(dict(entity))
        return entities

    def _reply_markup(self, p: Params, *, inline_only: bool) -> Any:
        """The inline keyboard to store (or None), or for sends a reply-keyboard change."""
        raw = p.get("reply_markup")
        if raw is None:
            return None if inline_only else (None, _KEEP)
        if not isinstance(raw, dict):
            raise bad_request(E.REPLY_MARKUP_INVALID)
        if "inline_keyboard" in raw:
            markup = self._validate_inline_keyboard(raw)
            return markup if inline_only else (markup, _KEEP)
        if inline_only:
            raise bad_request(E.REPLY_MARKUP_INVALID)
        if "keyboard" in raw:
            rows = raw["keyboard"]
            if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
                raise bad_request(
                    'Bad Request: field "keyboard" of the ReplyKeyboardMarkup must be an '
                    "Array of Arrays"
                )
            texts = [
                [b if isinstance(b, str) else str(b.get("text", "")) for b in row] for row in rows
            ]
            return None, texts
        if raw.get("remove_keyboard"):
            return None, None
        if raw.get("force_reply"):
            return None, _KEEP
        raise bad_request(E.REPLY_MARKUP_INVALID)

    @staticmethod
    def _validate_inline_keyboard(raw: dict[str, Any]) -> dict[str, Any] | None:
        rows = raw["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request(
                'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup must be an '
                "Array of Arrays"
            )
        for row in rows:
            for button in row:
                if not isinstance(button, dict):
                    raise bad_request(
                        "Bad Request: can't parse inline keyboard button: "
                        "InlineKeyboardButton must be an Object"
                    )
                text = button.get("text")
                if not isinstance(text, str):
                    raise bad_request(
                        "Bad Request: can't parse inline keyboard button: "
                        'Field "text" must be of type String'
                    )
                if not text.strip():
                    raise bad_request(E.BUTTON_TEXT_INVALID)
                if not any(key in button for key in _BUTTON_ACTIONS):
                    raise bad_request(E.TEXT_BUTTONS_UNALLOWED)
                if "callback_data" in button:
                    data = button["callback_data"]
                    if not isinstance(data, str) or not (
                        1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES
                    ):
                        raise bad_request(E.BUTTON_DATA_INVALID)
                if "url" in button:
                    url = button["url"]
                    if not isinstance(url, str) or not re.match(r"^(https?|tg)://\S+$", url):
                        raise bad_request(E.BUTTON_URL_INVALID)
        if not any(rows):
            return None
        return {"inline_keyboard": rows}

    def _reply_to(self, p: Params, chat: ChatRecord) -> int | None:
        params = p.get("reply_parameters")
        message_id = None
        allow_without = p.bool("allow_sending_without_reply")
        if isinstance(params, dict):
            message_id = params.get("message_id")
            allow_without = bool(params.get("allow_sending_without_reply", allow_without))
        elif p.get("reply_to_message_id") is not None:
            message_id = p.int("reply_to_message_id")
        if message_id is None:
            return None
        if self.state.find_message(chat.id, int(message_id)) is None:
            if allow_without:
                return None
            raise bad_request("Bad Request: message to be replied not found")
        return int(message_id)

    def _send(self, chat: ChatRecord, p: Params, keyboard_change: Any, **fields: Any) -> dict:
        if keyboard_change is not _KEEP:
            chat.reply_keyboard = keyboard_change
        message = self.state.add_message(
            chat,
            from_bot=True,
            sender=self._bot_sender,
            reply_to_message_id=self._reply_to(p, chat),
            **fields,
        )
        return self.state.message_to_api(message)

    def _input_file(self, p: Params, field: str, kind: str, missing: str) -> Upload | StoredFile:
        value = p.input_file(field)
        if value is None or value == "":
            raise bad_request(missing)
        if isinstance(value, Upload):
            if not value.data:
                raise bad_request(E.FILE_EMPTY)
            return value
        if value.startswith(("http://", "https://")):
            # Telegram would fetch the URL; nothing here may reach the internet.
            raise bad_request(E.URL_CONTENT_FAILED)
        stored = self.state.files.get(value)
        if stored is None or value in self.state.expired_files:
            raise bad_request(E.WRONG_FILE_ID)
        if stored.kind != kind:
            raise bad_request(
                f"Bad Request: can't use file of type {stored.kind.capitalize()} "
                f"as {kind.capitalize()}"
            )
        return stored

    def _caption(self, p: Params) -> dict[str, Any]:
        caption = p.str("caption")
        if not caption:
            return {}
        visible, entities, html = self._format(p, caption, caption=True)
        if not visible:
            return {}
        return {"caption": visible, "caption_entities": entities, "caption_html": html}

    def _message(self, chat: ChatRecord, p: Params, not_found: str) -> StoredMessage:
        """The message `message_id` of `chat`, or Telegram's error for a missing one."""
        message_id = p.int("message_id")
        if message_id is None:
            raise bad_request(E.MESSAGE_ID_NOT_SPECIFIED)
        message = self.state.find_message(chat.id, message_id)
        if message is None:
            raise bad_request(not_found)
        return message

    def _editable_message(self, p: Params) -> StoredMessage:
        if p.get("inline_message_id"):
            raise bad_request("Bad Request: MESSAGE_ID_INVALID")
        chat = self._chat(p)
        self._check_writable(chat)
        message = self._message(chat, p, E.MESSAGE_TO_EDIT_NOT_FOUND)
        if not message.from_bot:
            raise bad_request(E.MESSAGE_CANT_BE_EDITED)
        return message

    def _finish_edit(self, message: StoredMessage) -> dict[str, Any]:
        message.edit_date = self.state.now()
        self.state.message_edited(message)
        return self.state.message_to_api(message)

    # ================================================================ identity & session

    def m_get_me(self, p: Params, ctx: CallContext) -> Any:
        return {
            **self.state.bot.to_api(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def m_log_out(self, p: Params, ctx: CallContext) -> Any:
        return True

    def m_close(self, p: Params, ctx: CallContext) -> Any:
        return True

    # ================================================================ updates

    async def m_get_updates(self, p: Params, ctx: CallContext) -> Any:
        state = self.state
        if state.webhook is not None:
            raise ApiError(409, E.CONFLICT_WEBHOOK)
        offset = p.int("offset", 0) or 0
        limit = min(max(p.int("limit", 100) or 100, 1), 100)
        try:
            timeout = max(float(p.get("timeout") or 0), 0.0)
        except (TypeError, ValueError):
            raise bad_request("Bad Request: invalid timeout specified") from None
        allowed = p.get("allowed_updates")
        if isinstance(allowed, list):
            state.allowed_updates = frozenset(allowed) if allowed else DEFAULT_ALLOWED_UPDATES

        # Only the newest getUpdates may wait: bumping the generation terminates older ones.
        state.poll_generation += 1
        generation = state.poll_generation
        state.confirm(offset)
        state.changed()

        def probe() -> tuple[str, list[Any]] | None:
            if state.poll_generation != generation:
                return ("conflict", [])
            if state.webhook is not None:
                return ("webhook", [])
            if state.closing or ctx.client_gone():
                return ("closing", [])
            ready = state.deliverable(limit)
            return ("updates", ready) if ready else None

        outcome = probe()
        if outcome is None and timeout > 0:
            try:
                outcome = await state.notifier.wait_for(probe, timeout)
            except TimeoutError:
                outcome = None
        kind, updates = outcome or ("updates", [])
        if kind == "conflict":
            raise ApiError(409, E.CONFLICT_POLLING)
        if kind == "webhook":
            raise ApiError(409, E.CONFLICT_WEBHOOK)
        return [update.to_api() for update in updates]

    def m_set_webhook(self, p: Params, ctx: CallContext) -> Any:
        url = p.str("url") or ""
        secret = p.str("secret_token")
        # Refused before anything changes, like Telegram: a bad call keeps the old settings.
        if url:
            _check_webhook_url(url)
            if secret is not None and not _SECRET_RE.match(secret):
                raise bad_request(E.WEBHOOK_SECRET_INVALID)
        if p.bool("drop_pending_updates"):
            self.state.updates.clear()
        allowed = p.get("allowed_updates")
        if isinstance(allowed, list):
            self.state.allowed_updates = frozenset(allowed) if allowed else DEFAULT_ALLOWED_UPDATES
        if not url:
            self.state.webhook = None
        else:
            self.state.webhook = WebhookConfig(
                url=url,
                secret_token=secret or None,
                max_connections=p.int("max_connections", 40) or 40,
            )
        self.state.changed()
        return True

    def m_delete_webhook(self, p: Params, ctx: CallContext) -> Any:
        if p.bool("drop_pending_updates"):
            self.state.updates.clear()
        self.state.webhook = None
        self.state.changed()
        return True

    def m_get_webhook_info(self, p: Params, ctx: CallContext) -> Any:
        webhook = self.state.webhook
        info: dict[str, Any] = {
            "url": webhook.url if webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self.state.updates),
        }
        if webhook is not None:
            info["max_connections"] = webhook.max_connections
            if self.state.allowed_updates != DEFAULT_ALLOWED_UPDATES:
                info["allowed_updates"] = sorted(self.state.allowed_updates)
            if webhook.last_error_date is not None:
                info["last_error_date"] = webhook.last_error_date
                info["last_error_message"] = webhook.last_error_message
        return info

    # ================================================================ sending

    def _message_text(self, p: Params) -> tuple[str, list[dict[str, Any]], str | None]:
        """A message's text as shown, its entities and HTML; empty (also once the markup is
        taken out) is refused as Telegram refuses it."""
        text = p.str("text")
        if not text:
            raise bad_request(E.MESSAGE_TEXT_EMPTY)
        visible, entities, html = self._format(p, text, caption=False)
        if not visible:
            raise bad_request(E.MESSAGE_TEXT_EMPTY)
        return visible, entities, html

    def m_send_message(self, p: Params, ctx: CallContext) -> Any:
        chat = self._target_chat(p)
        visible, entities, html = self._message_text(p)
        markup, keyboard = self._reply_markup(p, inline_only=False)
        return self._send(
            chat, p, keyboard, text=visible, entities=entities, html=html, reply_markup=markup
        )

    def m_send_photo(self, p: Params, ctx: CallContext) -> Any:
        chat = self._target_chat(p)
        source = self._input_file(p, "photo", "photo", E.NO_PHOTO)
        caption = self._caption(p)
        markup, keyboard = self._reply_markup(p, inline_only=False)
        if isinstance(source, Upload):
            kind = image_kind(source.data)
            size = image_size(source.data)
            if kind is None or size is None:
                raise bad_request(E.IMAGE_PROCESS_FAILED)
            width, height = size
            if width + height > 10000 or max(width, height) > 20 * min(width, height):
                raise bad_request(E.PHOTO_INVALID_DIMENSIONS)
            mime = "image/jpeg" if kind == "jpeg" else f"image/{kind}"
            source = self.state.store_file(
                source.data,
                kind="photo",
                filename=source.filename,
                mime_type=mime,
                width=width,
                height=height,
                extension=extension_for(mime),
            )
        return self._send(
            chat, p, keyboard, photo_file_id=source.file_id, reply_markup=markup, **caption
        )

    def m_send_document(self, p: Params, ctx: CallContext) -> Any:
        chat = self._target_chat(p)
        source = self._input_file(p, "document", "document", E.NO_DOCUMENT)
        caption = self._caption(p)
        markup, keyboard = self._reply_markup(p, inline_only=False)
        if isinstance(source, Upload):
            source = self._store_upload(source, "document")
        return self._send(
            chat, p, keyboard, document_file_id=source.file_id, reply_markup=markup, **caption
        )

    def _store_upload(self, upload: Upload, kind: str, **dimensions: int | None) -> StoredFile:
        """Keep an uploaded file; its type from the upload, else guessed from its name."""
        mime = upload.content_type
        if not mime or mime == "application/octet-stream":
            mime = guess_mime(upload.filename, mime or "application/octet-stream")
        return self.state.store_file(
            upload.data,
            kind=kind,
            filename=upload.filename,
            mime_type=mime,
            extension=extension_for(mime, upload.filename),
            **dimensions,
        )

    def _send_media(self, p: Params, kind: str) -> Any:
        chat = self._target_chat(p)
        source = self._input_file(p, kind, kind, f"Bad Request: there is no {kind} in the request")
        caption = self._caption(p)
        markup, keyboard = self._reply_markup(p, inline_only=False)
        if isinstance(source, Upload):
            # Telegram reads a GIF's size from the file itself (and converts it to MP4).
            measured = image_size(source.data) if image_kind(source.data) == "gif" else None
            width, height = measured or (p.int("width"), p.int("height"))
            source = self._store_upload(
                source, kind, width=width, height=height, duration=p.int("duration")
            )
        return self._send(
            chat,
            p,
            keyboard,
            media_kind=kind,
            media_file_id=source.file_id,
            reply_markup=markup,
            **caption,
        )

    def m_send_video(self, p: Params, ctx: CallContext) -> Any:
        return self._send_media(p, "video")

    def m_send_animation(self, p: Params, ctx: CallContext) -> Any:
        return self._send_media(p, "animation")

    def m_send_audio(self, p: Params, ctx: CallContext) -> Any:
        return self._send_media(p, "audio")

    def m_send_voice(self, p: Params, ctx: CallContext) -> Any:
        return self._send_media(p, "voice")

    def m_send_sticker(self, p: Params, ctx: CallContext) -> Any:
        chat = self._target_chat(p)
        source = self._input_file(
            p, "sticker", "sticker", "Bad Request: there is no sticker in the request"
        )
        markup, keyboard = self._reply_markup(p, inline_only=False)
        if isinstance(source, Upload):
            size = image_size(source.data) or (512, 512)
            source = self.state.store_file(
                source.data,
                kind="sticker",
                filename=source.filename,
                mime_type="image/webp",
                width=size[0],
                height=size[1],
                extension="webp",
            )
        sticker = {
            "file_id": source.file_id,
            "file_unique_id": source.file_unique_id,
            "type": "regular",
            "width": source.width or 512,
            "height": source.height or 512,
            "is_animated": False,
            "is_video": False,
            "file_size": source.size,
        }
        if p.str("emoji"):
            sticker["emoji"] = p.str("emoji")
        return self._send(chat, p, keyboard, sticker=sticker, reply_markup=markup)

    def m_send_location(self, p: Params, ctx: CallContext) -> Any:
        chat = self._target_chat(p)
        try:
            latitude = float(p.get("latitude"))
            longitude = float(p.get("longitude"))
        except (TypeError, ValueError):
            raise bad_request("Bad Request: wrong latitude or longitude specified") from None
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise bad_request("Bad Request: wrong location specified")
        markup, keyboard = self._reply_markup(p, inline_only=False)
        return self._send(
            chat,
            p,
            keyboard,
            location={"latitude": latitude, "longitude": longitude},
            reply_markup=markup,
        )

    def m_send_chat_action(self, p: Params, ctx: CallContext) -> Any:
        chat = self._target_chat(p)
        action = p.str("action")
        if action not in CHAT_ACTIONS:
            raise bad_request(E.CHAT_ACTION_INVALID)
        chat.last_action = action
        chat.last_action_at = self.state.clock.monotonic()
        self.state.changed(ChatEvent("chat_action", chat.id, action=action))
        return True

    # ================================================================ editing

    def m_edit_message_text(self, p: Params, ctx: CallContext) -> Any:
        message = self._editable_message(p)
        if message.text is None:
            raise bad_request(E.NO_TEXT_TO_EDIT)
        visible, entities, html = self._message_text(p)
        # Like Telegram: an edit without reply_markup removes the inline keyboard.
        markup = self._reply_markup(p, inline_only=True)
        if (visible, entities, markup) == (message.text, message.entities, message.reply_markup):
            raise bad_request(E.MESSAGE_NOT_MODIFIED)
        message.text, message.entities, message.html = visible, entities, html
        message.reply_markup = markup
        return self._finish_edit(message)

    def m_edit_message_caption(self, p: Params, ctx: CallContext) -> Any:
        message = self._editable_message(p)
        if not message.is_media:
            raise bad_request(E.NO_CAPTION_TO_EDIT)
        caption = self._caption(p)
        markup = self._reply_markup(p, inline_only=True)
        new = (caption.get("caption"), caption.get("caption_entities", []), markup)
        if new == (message.caption, message.caption_entities, message.reply_markup):
            raise bad_request(E.MESSAGE_NOT_MODIFIED)
        message.caption = caption.get("caption")
        message.caption_entities = caption.get("caption_entities", [])
        message.caption_html = caption.get("caption_html")
        message.reply_markup = markup
        return self._finish_edit(message)

    def m_edit_message_reply_markup(self, p: Params, ctx: CallContext) -> Any:
        message = self._editable_message(p)
        markup = self._reply_markup(p, inline_only=True)
        if markup == message.reply_markup:
            raise bad_request(E.MESSAGE_NOT_MODIFIED)
        message.reply_markup = markup
        return self._finish_edit(message)

    def m_delete_message(self, p: Params, ctx: CallContext) -> Any:
        chat = self._chat(p)
        message = self._message(chat, p, E.MESSAGE_TO_DELETE_NOT_FOUND)
        self.state.message_deleted(message)
        return True

    def m_delete_messages(self, p: Params, ctx: CallContext) -> Any:
        chat = self._chat(p)
        ids = p.get("message_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise bad_request(E.MESSAGE_IDS_INVALID)
        for message_id in ids:
            message = self.state.find_message(chat.id, int(message_id))
            if message is not None:
                self.state.message_deleted(message)
        return True

    # ================================================================ callback queries

    def m_answer_callback_query(self, p: Params, ctx: CallContext) -> Any:
        query = self.state.callback_queries.get(p.str("callback_query_id") or "")
        if query is not None and query.answered:
            query.repeated_answers += 1
        if (
            query is None
            or query.answered
            or self.state.clock.monotonic() - query.created_at > self.options.callback_query_ttl
        ):
            raise bad_request(E.QUERY_TOO_OLD)
        text = p.str("text")
        if text is not None and len(text) > MAX_ANSWER_TEXT:
            raise bad_request(E.ANSWER_TOO_LONG)
        query.answer = CallbackAnswer(
            query_id=query.id,
            text=text or None,
            show_alert=p.bool("show_alert"),
            url=p.str("url"),
            cache_time=p.int("cache_time", 0) or 0,
        )
        self.state.changed(
            ChatEvent(
                "callback_answer",
                query.chat_id,
                query.message_id,
                callback_answer=query.answer,
            )
        )
        return True

    # ================================================================ commands

    def _command_key(self, p: Params) -> tuple[str, str]:
        scope = p.get("scope")
        if scope is None:
            scope = {"type": "default"}
        if not isinstance(scope, dict) or scope.get("type") not in _SCOPE_TYPES:
            raise bad_request(E.SCOPE_INVALID)
        scope = dict(scope)
        if scope["type"] in {"chat", "chat_administrators", "chat_member"}:
            if "chat_id" not in scope:
                raise bad_request(E.SCOPE_INVALID)
            chat_id = scope["chat_id"]
            if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
                scope["chat_id"] = int(chat_id)
            if scope["type"] == "chat_member" and "user_id" not in scope:
                raise bad_request(E.SCOPE_INVALID)
        language = p.str("language_code") or ""
        if language and not re.match(r"^[a-z]{2}$", language):
            raise bad_request(E.LANGUAGE_CODE_INVALID)
        return json.dumps(scope, sort_keys=True), language

    def m_set_my_commands(self, p: Params, ctx: CallContext) -> Any:
        commands = p.get("commands")
        if not isinstance(commands, list):
            raise bad_request(E.COMMANDS_JSON_INVALID)
        if len(commands) > MAX_COMMANDS:
            raise bad_request(E.BOT_COMMANDS_TOO_MUCH)
        cleaned = []
        for command in commands:
            if not isinstance(command, dict):
                raise bad_request(E.COMMANDS_JSON_INVALID)
            name, description = command.get("command"), command.get("description")
            if not isinstance(name, str) or not _COMMAND_RE.match(name):
                raise bad_request(E.BOT_COMMAND_INVALID)
            if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
                raise bad_request(E.BOT_COMMAND_DESCRIPTION_INVALID)
            cleaned.append({"command": name, "description": description})
        key = self._command_key(p)
        if cleaned:
            self.state.commands[key] = cleaned
        else:
            self.state.commands.pop(key, None)
        self.state.changed()
        return True

    def m_get_my_commands(self, p: Params, ctx: CallContext) -> Any:
        return list(self.state.commands.get(self._command_key(p), []))

    def m_delete_my_commands(self, p: Params, ctx: CallContext) -> Any:
        self.state.commands.pop(self._command_key(p), None)
        self.state.changed()
        return True

    def _set_text(self, kind: str, field: str, limit: int, p: Params) -> Any:
        value = p.str(field) or ""
        if len(value) > limit:
            raise bad_request(f"Bad Request: bot {kind.replace('_', ' ')} is too long")
        language = p.str("language_code") or ""
        self.bot_texts[(kind, language)] = value
        return True

    def _get_text(self, kind: str, field: str, p: Params) -> Any:
        language = p.str("language_code") or ""
        value = self.bot_texts.get((kind, language), self.bot_texts.get((kind, ""), None))
        if value is None and kind == "name":
            value = self.state.bot.first_name
        return {field: value or ""}

    def m_set_my_name(self, p: Params, ctx: CallContext) -> Any:
        return self._set_text("name", "name", 64, p)

    def m_get_my_name(self, p: Params, ctx: CallContext) -> Any:
        return self._get_text("name", "name", p)

    def m_set_my_description(self, p: Params, ctx: CallContext) -> Any:
        return self._set_text("description", "description", 512, p)

    def m_get_my_description(self, p: Params, ctx: CallContext) -> Any:
        return self._get_text("description", "description", p)

    def m_set_my_short_description(self, p: Params, ctx: CallContext) -> Any:
        return self._set_text("short_description", "short_description", 120, p)

    def m_get_my_short_description(self, p: Params, ctx: CallContext) -> Any:
        return self._get_text("short_description", "short_description", p)

    # ================================================================ files & chats

    def m_get_file(self, p: Params, ctx: CallContext) -> Any:
        stored = self.state.files.get(p.str("file_id") or "")
        if stored is None:
            raise bad_request(E.INVALID_FILE_ID)
        if stored.size > MAX_DOWNLOAD:
            raise bad_request(E.FILE_TOO_BIG)
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.size,
            "file_path": stored.file_path,
        }

    def m_get_chat(self, p: Params, ctx: CallContext) -> Any:
        chat = self._chat(p)
        return {
            **chat.to_api(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }
