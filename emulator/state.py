"""Everything the emulated Telegram remembers: users, chats, messages, files, updates, queries.

All of it lives on one asyncio loop, so there are no locks; instead every mutation goes through
``EmulatorState.changed`` which wakes waiters (long polls, test waits) and tells listeners
(the demo). Waiting is therefore event-driven: a waiter re-checks its condition only when
something actually changed.
"""

# Every wait in this API takes its own timeout by design (tests read better that way).
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import itertools
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .messages import ChatMessage, DocumentFile, MediaFile, buttons_from_markup

log = logging.getLogger(__name__)

T = TypeVar("T")

# getUpdates' default when allowed_updates was never given (per the Bot API docs).
DEFAULT_ALLOWED_UPDATES = frozenset(
    {
        "message", "edited_message", "channel_post", "edited_channel_post",
        "business_connection", "business_message", "edited_business_message",
        "deleted_business_messages", "inline_query", "chosen_inline_result", "callback_query",
        "shipping_query", "pre_checkout_query", "purchased_paid_media", "poll", "poll_answer",
        "my_chat_member", "chat_join_request", "chat_boost", "removed_chat_boost",
    }
)  # fmt: skip

# A press on a message older than this reaches the bot as an InaccessibleMessage.
INACCESSIBLE_AFTER_S = 48 * 3600


class Clock:
    """Wall and monotonic time with a shared offset, so tests can 'wait' 15 minutes instantly."""

    def __init__(self) -> None:
        self.offset = 0.0

    def time(self) -> float:
        return time.time() + self.offset

    def monotonic(self) -> float:
        return time.monotonic() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


class Notifier:
    """A level-triggered 'something changed' signal that any number of tasks can wait on."""

    def __init__(self) -> None:
        self._event = asyncio.Event()
        self.version = 0

    def notify(self) -> None:
        self.version += 1
        # Swap in a fresh event so that waiters woken now do not spin on a set event.
        event, self._event = self._event, asyncio.Event()
        event.set()

    async def wait_for(self, probe: Callable[[], T | None], timeout: float | None) -> T:
        """Return probe()'s first truthy result; re-evaluated after every change."""
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while True:
            result = probe()
            if result:
                return result
            event = self._event
            if deadline is None:
                await event.wait()
                continue
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError
            try:
                async with asyncio.timeout(remaining):
                    await event.wait()
            except TimeoutError:
                result = probe()
                if result:
                    return result
                raise


@dataclass(frozen=True)
class BotUser:
    id: int
    first_name: str
    username: str

    def to_api(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "is_bot": True,
            "first_name": self.first_name,
            "username": self.username,
        }


@dataclass
class UserRecord:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    data: bytes
    kind: str  # photo | document | sticker
    file_path: str
    filename: str | None = None
    mime_type: str | None = None
    width: int | None = None
    height: int | None = None
    duration: int | None = None

    @property
    def size(self) -> int:
        return len(self.data)

    def photo_size(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.size,
            "width": self.width or 1,
            "height": self.height or 1,
        }

    def document(self) -> dict[str, Any]:
        return self.media_object("document")

    def media_object(self, kind: str) -> dict[str, Any]:
        """Document/Video/Animation/Audio/Voice JSON with the fields PTB requires."""
        data: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.size,
        }
        if kind in {"video", "animation"}:
            data.update(width=self.width or 0, height=self.height or 0)
        if kind in {"video", "animation", "audio", "voice"}:
            data["duration"] = self.duration or 0
        if self.filename and kind != "voice":
            data["file_name"] = self.filename
        if self.mime_type:
            data["mime_type"] = self.mime_type
        return data


@dataclass
class StoredMessage:
    chat_id: int
    message_id: int
    from_bot: bool
    sender: dict[str, Any]
    date: int
    text: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    html: str | None = None  # the source as sent, when parse_mode was HTML
    caption: str | None = None
    caption_entities: list[dict[str, Any]] = field(default_factory=list)
    caption_html: str | None = None
    reply_markup: dict[str, Any] | None = None  # inline keyboards only, like Telegram
    photo_file_id: str | None = None
    document_file_id: str | None = None
    media_kind: str | None = None  # video | animation | audio | voice
    media_file_id: str | None = None
    sticker: dict[str, Any] | None = None
    location: dict[str, Any] | None = None
    reply_to_message_id: int | None = None
    edit_date: int | None = None
    edit_count: int = 0  # edit_date has 1 s resolution; waits need to see every edit
    deleted: bool = False

    @property
    def has_text(self) -> bool:
        return self.text is not None

    @property
    def is_media(self) -> bool:
        return (
            self.photo_file_id is not None
            or self.document_file_id is not None
            or self.media_file_id is not None
        )


@dataclass
class ChatRecord:
    id: int
    type: str  # private | group | supergroup
    chat_instance: str
    title: str | None = None
    user: UserRecord | None = None  # the other party of a private chat
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    next_message_id: int = 1
    blocked: bool = False  # private chats: the user blocked the bot
    bot_status: str = "member"  # groups: member | left | kicked
    reply_keyboard: list[list[str]] | None = None
    last_action: str | None = None
    last_action_at: float | None = None

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.type == "private" and self.user is not None:
            data["first_name"] = self.user.first_name
            if self.user.last_name:
                data["last_name"] = self.user.last_name
            if self.user.username:
                data["username"] = self.user.username
        else:
            data["title"] = self.title or str(self.id)
        return data

    def visible(self) -> list[StoredMessage]:
        return [m for m in self.messages.values() if not m.deleted]


@dataclass
class PendingUpdate:
    update_id: int
    kind: str
    payload: dict[str, Any]

    def to_api(self) -> dict[str, Any]:
        return {"update_id": self.update_id, self.kind: self.payload}


@dataclass(frozen=True)
class CallbackAnswer:
    query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int


@dataclass
class CallbackQueryRecord:
    id: str
    chat_id: int
    message_id: int
    user_id: int
    data: str
    created_at: float  # Clock.monotonic()
    answer: CallbackAnswer | None = None
    # answerCallbackQuery calls refused because the query was answered already: Telegram
    # refuses them too, and a bot that makes them has lost track of its own answer.
    repeated_answers: int = 0
    # Sent to the bot as an InaccessibleMessage (chat, message_id, date 0).
    inaccessible: bool = False

    @property
    def answered(self) -> bool:
        return self.answer is not None


@dataclass
class WebhookConfig:
    url: str
    secret_token: str | None = None
    max_connections: int = 40
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass(frozen=True)
class ChatEvent:
    """What the demo is told about. ``kind`` is one of: message, edited, deleted,
    callback_answer, chat_action, blocked, unblocked."""

    kind: str
    chat_id: int
    message_id: int | None = None
    from_bot: bool | None = None
    message: ChatMessage | None = None
    callback_answer: CallbackAnswer | None = None
    action: str | None = None


class EmulatorState:
    def __init__(self, bot: BotUser, clock: Clock) -> None:
        self.bot = bot
        self.clock = clock
        self.users: dict[int, UserRecord] = {}
        self.chats: dict[int, ChatRecord] = {}
        self.files: dict[str, StoredFile] = {}
        # file_ids Telegram no longer accepts for sending (see BotApiEmulator.expire_file);
        # messages already showing them still do.
        self.expired_files: set[str] = set()
        self.files_by_path: dict[str, StoredFile] = {}
        self.updates: list[PendingUpdate] = []
        self.allowed_updates: frozenset[str] = DEFAULT_ALLOWED_UPDATES
        self.poll_generation = 0
        self.webhook: WebhookConfig | None = None
        self.callback_queries: dict[str, CallbackQueryRecord] = {}
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.notifier = Notifier()
        self.closing = False
        self._update_ids = itertools.count(100_000_001)
        self._file_counter = itertools.count(1)
        self._listeners: list[Callable[[ChatEvent], None]] = []

    # ---------------------------------------------------------------- change signalling

    def changed(self, event: ChatEvent | None = None) -> None:
        self.notifier.notify()
        if event is None:
            return
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # a broken demo listener must not break the API server
                log.exception("chat event listener failed")

    def add_listener(self, listener: Callable[[ChatEvent], None]) -> Callable[[], None]:
        self._listeners.append(listener)

        def remove() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return remove

    def now(self) -> int:
        return int(self.clock.time())

    # ---------------------------------------------------------------- users and chats

    def ensure_user(self, user_id: int, **fields: Any) -> tuple[UserRecord, ChatRecord]:
        user = self.users.get(user_id)
        if user is None:
            user = UserRecord(id=user_id, first_name=fields.pop("first_name", None) or "User")
            self.users[user_id] = user
        for key, value in fields.items():
            if value is not None:
                setattr(user, key, value)
        chat = self.chats.get(user_id)
        if chat is None:
            chat = ChatRecord(id=user_id, type="private", chat_instance=_random_digits(), user=user)
            self.chats[user_id] = chat
        return user, chat

    def ensure_group(self, chat_id: int, title: str | None, chat_type: str | None) -> ChatRecord:
        chat = self.chats.get(chat_id)
        if chat is None:
            if chat_type is None:
                chat_type = "supergroup" if str(chat_id).startswith("-100") else "group"
            chat = ChatRecord(
                id=chat_id, type=chat_type, chat_instance=_random_digits(), title=title
            )
            self.chats[chat_id] = chat
        elif title is not None:
            chat.title = title
        return chat

    # ---------------------------------------------------------------- messages

    def add_message(
        self, chat: ChatRecord, *, from_bot: bool, sender: dict[str, Any], **fields: Any
    ) -> StoredMessage:
        message = StoredMessage(
            chat_id=chat.id,
            message_id=chat.next_message_id,
            from_bot=from_bot,
            sender=sender,
            date=self.now(),
            **fields,
        )
        chat.next_message_id += 1
        chat.messages[message.message_id] = message
        if from_bot:
            # A message ends the "typing..." status in real clients.
            chat.last_action = None
        self.changed(
            ChatEvent(
                "message",
                chat.id,
                message.message_id,
                from_bot,
                message=self.snapshot(message),
            )
        )
        return message

    def message_edited(self, message: StoredMessage) -> None:
        message.edit_count += 1
        self.changed(
            ChatEvent(
                "edited",
                message.chat_id,
                message.message_id,
                message.from_bot,
                message=self.snapshot(message),
            )
        )

    def message_deleted(self, message: StoredMessage) -> None:
        message.deleted = True
        self.changed(ChatEvent("deleted", message.chat_id, message.message_id, message.from_bot))

    def find_message(self, chat_id: int, message_id: int) -> StoredMessage | None:
        chat = self.chats.get(chat_id)
        if chat is None:
            return None
        message = chat.messages.get(message_id)
        return None if message is None or message.deleted else message

    def message_to_api(self, message: StoredMessage, *, nested: bool = False) -> dict[str, Any]:
        chat = self.chats[message.chat_id]
        data: dict[str, Any] = {
            "message_id": message.message_id,
            "from": message.sender,
            "chat": chat.to_api(),
            "date": message.date,
        }
        if message.text is not None:
            data["text"] = message.text
            if message.entities:
                data["entities"] = message.entities
        if message.photo_file_id is not None:
            data["photo"] = [self.files[message.photo_file_id].photo_size()]
        if message.document_file_id is not None:
            data["document"] = self.files[message.document_file_id].document()
        if message.media_kind is not None and message.media_file_id is not None:
            data[message.media_kind] = self.files[message.media_file_id].media_object(
                message.media_kind
            )
        if message.sticker is not None:
            data["sticker"] = message.sticker
        if message.location is not None:
            data["location"] = message.location
        if message.caption is not None:
            data["caption"] = message.caption
            if message.caption_entities:
                data["caption_entities"] = message.caption_entities
        if message.edit_date is not None:
            data["edit_date"] = message.edit_date
        if message.reply_markup is not None:
            data["reply_markup"] = message.reply_markup
        if message.reply_to_message_id is not None and not nested:
            replied = chat.messages.get(message.reply_to_message_id)
            if replied is not None and not replied.deleted:
                data["reply_to_message"] = self.message_to_api(replied, nested=True)
        return data

    def inaccessible_message_to_api(self, message: StoredMessage) -> dict[str, Any]:
        """Telegram's InaccessibleMessage: the chat, the id, date 0 and nothing else."""
        chat = self.chats[message.chat_id]
        return {"chat": chat.to_api(), "message_id": message.message_id, "date": 0}

    def snapshot(self, message: StoredMessage) -> ChatMessage:
        document = None
        if message.document_file_id is not None:
            stored = self.files[message.document_file_id]
            document = DocumentFile(stored.filename, stored.data)
        photo = None
        if message.photo_file_id is not None:
            photo = self.files[message.photo_file_id].data
        media = None
        if message.media_kind is not None and message.media_file_id is not None:
            stored = self.files[message.media_file_id]
            media = MediaFile(message.media_kind, stored.filename, stored.data, stored.mime_type)
        return ChatMessage(
            message_id=message.message_id,
            chat_id=message.chat_id,
            from_bot=message.from_bot,
            text=message.text or "",
            html=message.html if message.text is not None else message.caption_html,
            caption=message.caption,
            photo=photo,
            photo_file_id=message.photo_file_id,
            document=document,
            buttons=buttons_from_markup(message.reply_markup),
            edited=message.edit_date is not None,
            date=message.date,
            sender_id=message.sender["id"],
            entities=[dict(e) for e in (message.entities or message.caption_entities)],
            sticker=message.sticker,
            location=message.location,
            media=media,
            reply_to_message_id=message.reply_to_message_id,
            raw=self.message_to_api(message),
        )

    # ---------------------------------------------------------------- files

    def store_file(
        self,
        data: bytes,
        *,
        kind: str,
        filename: str | None = None,
        mime_type: str | None = None,
        width: int | None = None,
        height: int | None = None,
        duration: int | None = None,
        extension: str = "bin",
    ) -> StoredFile:
        number = next(self._file_counter)
        prefix = {
            "photo": "AgACAgIAAxk",
            "document": "BQACAgIAAxk",
            "sticker": "CAACAgIAAxk",
            "video": "BAACAgIAAxk",
            "animation": "CgACAgIAAxk",
            "audio": "CQACAgIAAxk",
            "voice": "AwACAgIAAxk",
        }
        file_id = f"{prefix.get(kind, 'BAACAgIAAxk')}{number:06d}{secrets.token_urlsafe(24)}"
        folder = {
            "photo": "photos",
            "document": "documents",
            "sticker": "stickers",
            "video": "videos",
            "animation": "animations",
            "audio": "music",
            "voice": "voice",
        }
        stored = StoredFile(
            file_id=file_id,
            file_unique_id=f"AQAD{number:04d}{secrets.token_urlsafe(6)}",
            data=data,
            kind=kind,
            file_path=f"{folder.get(kind, 'files')}/file_{number}.{extension}",
            filename=filename,
            mime_type=mime_type,
            width=width,
            height=height,
            duration=duration,
        )
        self.files[file_id] = stored
        self.files_by_path[stored.file_path] = stored
        return stored

    # ---------------------------------------------------------------- updates

    def enqueue(self, kind: str, payload: dict[str, Any]) -> PendingUpdate:
        update = PendingUpdate(next(self._update_ids), kind, payload)
        self.updates.append(update)
        self.changed()
        return update

    def confirm(self, offset: int) -> None:
        """getUpdates' offset: every update below it is acknowledged and forgotten."""
        if offset < 0:
            self.updates = self.updates[offset:]
        elif offset > 0:
            self.updates = [u for u in self.updates if u.update_id >= offset]

    def deliverable(self, limit: int) -> list[PendingUpdate]:
        # Updates of types the bot did not ask for are never delivered, so drop them now
        # rather than let them block the queue.
        self.updates = [u for u in self.updates if u.kind in self.allowed_updates]
        return self.updates[:limit]

    # ---------------------------------------------------------------- callback queries

    def new_callback_query(
        self,
        chat: ChatRecord,
        message: StoredMessage,
        user: UserRecord,
        data: str,
        *,
        inaccessible: bool | None = None,
    ) -> CallbackQueryRecord:
        """A press on `message`. Telegram hands the bot an InaccessibleMessage instead of the
        message when it is older than 48 hours (or otherwise out of the bot's reach):
        `inaccessible=None` follows the age, True or False forces it."""
        if inaccessible is None:
            inaccessible = self.now() - message.date > INACCESSIBLE_AFTER_S
        query_id = str(secrets.randbits(62) | (1 << 61))
        while query_id in self.callback_queries:
            query_id = str(secrets.randbits(62) | (1 << 61))
        record = CallbackQueryRecord(
            id=query_id,
            chat_id=chat.id,
            message_id=message.message_id,
            user_id=user.id,
            data=data,
            created_at=self.clock.monotonic(),
            inaccessible=inaccessible,
        )
        self.callback_queries[query_id] = record
        self.enqueue(
            "callback_query",
            {
                "id": query_id,
                "from": user.to_api(),
                "message": (
                    self.inaccessible_message_to_api(message)
                    if inaccessible
                    else self.message_to_api(message)
                ),
                "chat_instance": chat.chat_instance,
                "data": data,
            },
        )
        return record


def _random_digits() -> str:
    return str(secrets.randbits(62))
