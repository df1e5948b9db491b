"""Acting as Telegram users: sending, pressing buttons, and reading what a chat shows.

Everything here talks to the state in-process (no HTTP): these are the actions Telegram's
*clients* perform, which the bot only ever sees as updates. Reads return snapshots of the chat
as it is now; waits are woken by state changes and always bounded by a timeout whose error
shows the end of the chat and the bot's recent failed API calls, which is usually the answer
to "why did the bot not reply".
"""

# Every wait in this API takes its own timeout by design (tests read better that way).
# ruff: noqa: ASYNC109

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from .markup import detect_entities, utf16_len
from .media import extension_for, guess_mime, image_kind, image_size, make_png
from .messages import Button, ChatMessage
from .state import ChatRecord, StoredMessage, UserRecord

if TYPE_CHECKING:
    from .emulator import BotApiEmulator

T = TypeVar("T")

DEFAULT_TIMEOUT = 5.0


class EmulatorError(Exception):
    """A test asked for something a Telegram user could not do."""


class ButtonNotFoundError(EmulatorError, LookupError):
    """The message has no (longer a) button matching what the test tried to press."""


# A message can be named by a ChatMessage, by anything with .message_id (PTB's Message), or id.
MessageRef = ChatMessage | Any


def _message_id(message: MessageRef) -> int:
    if isinstance(message, ChatMessage):
        return message.message_id
    message_id = getattr(message, "message_id", None)
    return int(message if message_id is None else message_id)


class ChatView:
    """Reading and waiting on one chat; shared by private chats (users) and groups."""

    def __init__(self, emulator: BotApiEmulator, chat_id: int) -> None:
        self._emu = emulator
        self.chat_id = chat_id
        self._cursor = 0  # highest bot message id returned by wait_for_bot_message

    # ------------------------------------------------------------------ reading

    @property
    def _chat(self) -> ChatRecord:
        return self._emu.state.chats[self.chat_id]

    @property
    def messages(self) -> list[ChatMessage]:
        """The chat as it is now: both sides, edits applied, deleted messages gone."""
        return [self._emu.state.snapshot(m) for m in self._chat.visible()]

    @property
    def bot_messages(self) -> list[ChatMessage]:
        return [self._emu.state.snapshot(m) for m in self._chat.visible() if m.from_bot]

    @property
    def user_messages(self) -> list[ChatMessage]:
        return [self._emu.state.snapshot(m) for m in self._chat.visible() if not m.from_bot]

    @property
    def last_message(self) -> ChatMessage | None:
        visible = self._chat.visible()
        return self._emu.state.snapshot(visible[-1]) if visible else None

    @property
    def last_bot_message(self) -> ChatMessage | None:
        bot = [m for m in self._chat.visible() if m.from_bot]
        return self._emu.state.snapshot(bot[-1]) if bot else None

    def message(self, message: MessageRef) -> ChatMessage | None:
        """The current version of a message (None once deleted)."""
        stored = self._emu.state.find_message(self.chat_id, _message_id(message))
        return None if stored is None else self._emu.state.snapshot(stored)

    @property
    def reply_keyboard(self) -> list[list[str]] | None:
        """The custom reply keyboard shown under the input field, if the bot set one."""
        keyboard = self._chat.reply_keyboard
        return [list(row) for row in keyboard] if keyboard else None

    @property
    def chat_action(self) -> str | None:
        """The bot's current chat action ("typing"...), cleared by its next message."""
        chat = self._chat
        if chat.last_action is None or chat.last_action_at is None:
            return None
        # Clients show an action for about 5 seconds.
        if self._emu.clock.monotonic() - chat.last_action_at > 5:
            return None
        return chat.last_action

    @property
    def commands(self) -> list[tuple[str, str]]:
        """The command menu this chat would show, after Telegram's scope fallback."""
        language = None
        if self._chat.type == "private" and self._chat.user is not None:
            language = self._chat.user.language_code
        return self._emu.visible_commands(self.chat_id, language)

    def describe(self, last: int = 10) -> str:
        chat = self._chat
        if chat.type == "private":
            label = chat.user.first_name if chat.user else ""
        else:
            label = chat.title or ""
        lines = [f"chat {self.chat_id} ({chat.type}{', ' + label if label else ''})"]
        messages = self.messages
        if not messages:
            lines.append("  (no messages)")
        if len(messages) > last:
            lines.append(f"  ... {len(messages) - last} earlier message(s)")
        lines.extend("  " + m.describe() for m in messages[-last:])
        failures = [c for c in self._emu.calls if not c.ok and c.chat_id == self.chat_id][-3:]
        if failures:
            lines.append("recent failed API calls for this chat:")
            lines.extend(f"  {c.method} -> {c.error_code} {c.description}" for c in failures)
        return "\n".join(lines)

    # ------------------------------------------------------------------ waiting

    async def _wait(self, probe: Callable[[], T | None], timeout: float, what: str) -> T:
        try:
            return await self._emu.state.notifier.wait_for(probe, timeout)
        except TimeoutError:
            raise TimeoutError(
                f"timed out after {timeout:g}s waiting for {what}\n{self.describe()}"
            ) from None

    async def wait_for_bot_message(
        self,
        predicate: Callable[[ChatMessage], Any] | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> ChatMessage:
        """The next bot message not returned by an earlier wait (optionally: matching).

        Non-matching messages passed over are consumed too, like reading a chat top-down.
        """

        def probe() -> ChatMessage | None:
            for stored in self._chat.visible():
                if stored.from_bot and stored.message_id > self._cursor:
                    snapshot = self._emu.state.snapshot(stored)
                    if predicate is None or predicate(snapshot):
                        return snapshot
            return None

        message = await self._wait(probe, timeout, "a new bot message")
        self._cursor = message.message_id
        return message

    async def wait_for_bot_messages(
        self, count: int, *, timeout: float = DEFAULT_TIMEOUT
    ) -> list[ChatMessage]:
        """The next ``count`` new bot messages (waiting for all of them)."""

        def probe() -> list[ChatMessage] | None:
            fresh = [m for m in self._chat.visible() if m.from_bot and m.message_id > self._cursor]
            if len(fresh) < count:
                return None
            return [self._emu.state.snapshot(m) for m in fresh[:count]]

        messages = await self._wait(probe, timeout, f"{count} new bot message(s)")
        self._cursor = messages[-1].message_id
        return messages

    async def wait_until(
        self, condition: Callable[[ChatView], T], *, timeout: float = DEFAULT_TIMEOUT
    ) -> T:
        """Re-evaluate ``condition(chat)`` on every change until it is truthy; return it."""
        return await self._wait(lambda: condition(self), timeout, "the condition")

    async def wait_for_edit(
        self, message: MessageRef, *, timeout: float = DEFAULT_TIMEOUT
    ) -> ChatMessage:
        """The message after its next edit (counted from this call)."""
        message_id = _message_id(message)
        current = self._emu.state.find_message(self.chat_id, message_id)
        baseline = current.edit_count if current else 0

        def probe() -> ChatMessage | None:
            stored = self._emu.state.find_message(self.chat_id, message_id)
            if stored is None or stored.edit_count <= baseline:
                return None
            return self._emu.state.snapshot(stored)

        return await self._wait(probe, timeout, f"an edit of message {message_id}")

    def mark_read(self) -> None:
        """Make wait_for_bot_message ignore every bot message sent so far."""
        bot = [m.message_id for m in self._chat.visible() if m.from_bot]
        if bot:
            self._cursor = max(self._cursor, bot[-1])

    # ------------------------------------------------------------------ acting

    def _user_record(self, user: Any) -> UserRecord:
        user_id = user.id if hasattr(user, "id") else int(user)
        record = self._emu.state.users.get(user_id)
        if record is None:
            raise EmulatorError(f"unknown user {user_id}: create it with emu.user({user_id})")
        return record

    def _post(self, user: UserRecord, **fields: Any) -> ChatMessage:
        state = self._emu.state
        chat = self._chat
        reply_to = fields.pop("reply_to", None)
        if reply_to is not None:
            reply_id = _message_id(reply_to)
            if state.find_message(chat.id, reply_id) is None:
                raise EmulatorError(f"cannot reply to message {reply_id}: it does not exist")
            fields["reply_to_message_id"] = reply_id
        stored = state.add_message(chat, from_bot=False, sender=user.to_api(), **fields)
        state.enqueue("message", state.message_to_api(stored))
        return state.snapshot(stored)

    def _text_fields(self, text: str) -> dict[str, Any]:
        if not text or not text.strip():
            raise EmulatorError("Telegram clients do not send empty messages")
        if utf16_len(text) > 4096:
            raise EmulatorError("Telegram clients split texts over 4096 characters")
        return {"text": text, "entities": detect_entities(text)}

    def _photo_fields(self, data: bytes | None, caption: str | None) -> dict[str, Any]:
        data = make_png(64, 64) if data is None else data
        kind, size = image_kind(data), image_size(data)
        if kind is None or size is None:
            raise EmulatorError("send_photo needs PNG/JPEG/GIF/WebP bytes")
        mime = "image/jpeg" if kind == "jpeg" else f"image/{kind}"
        stored = self._emu.state.store_file(
            data,
            kind="photo",
            mime_type=mime,
            width=size[0],
            height=size[1],
            extension="jpg" if kind == "jpeg" else kind,
        )
        fields: dict[str, Any] = {"photo_file_id": stored.file_id}
        if caption:
            fields.update(caption=caption, caption_entities=detect_entities(caption))
        return fields

    def _document_fields(
        self, data: bytes, filename: str, mime_type: str | None, caption: str | None
    ) -> dict[str, Any]:
        mime = mime_type or guess_mime(filename)
        stored = self._emu.state.store_file(
            data,
            kind="document",
            filename=filename,
            mime_type=mime,
            extension=extension_for(mime, filename),
        )
        fields: dict[str, Any] = {"document_file_id": stored.file_id}
        if caption:
            fields.update(caption=caption, caption_entities=detect_entities(caption))
        return fields

    def _sticker_fields(self, emoji: str) -> dict[str, Any]:
        stored = self._emu.state.store_file(
            make_png(512, 512), kind="sticker", mime_type="image/webp", extension="webp"
        )
        sticker = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "file_size": stored.size,
        }
        return {"sticker": sticker}

    def _edit(self, user: UserRecord, message: MessageRef, text: str) -> ChatMessage:
        state = self._emu.state
        stored = state.find_message(self.chat_id, _message_id(message))
        if stored is None or stored.sender.get("id") != user.id or stored.text is None:
            raise EmulatorError("a user can only edit their own text messages")
        fields = self._text_fields(text)
        stored.text, stored.entities = fields["text"], fields["entities"]
        stored.edit_date = state.now()
        state.message_edited(stored)
        state.enqueue("edited_message", state.message_to_api(stored))
        return state.snapshot(stored)

    def _find_target(self, message: MessageRef) -> StoredMessage:
        message_id = _message_id(message)
        stored = self._emu.state.find_message(self.chat_id, message_id)
        if stored is None:
            raise ButtonNotFoundError(
                f"message {message_id} is not in the chat (deleted?)\n{self.describe()}"
            )
        return stored

    def _press(
        self,
        user: UserRecord,
        message: MessageRef,
        button: str | int,
        inaccessible: bool | None = None,
    ) -> str:
        stored = self._find_target(message)
        snapshot = self._emu.state.snapshot(stored)
        chosen = _choose_button(snapshot, button)
        if chosen.callback_data is None:
            raise ButtonNotFoundError(
                f"button {chosen.text!r} on message {stored.message_id} has no callback_data "
                f"(it is a {', '.join(k for k in chosen.raw if k != 'text') or 'plain'} button)"
            )
        return self._press_data(user, stored, chosen.callback_data, inaccessible)

    def _press_data(
        self,
        user: UserRecord,
        message: MessageRef | StoredMessage,
        data: str,
        inaccessible: bool | None = None,
    ) -> str:
        stored = message if isinstance(message, StoredMessage) else self._find_target(message)
        record = self._emu.state.new_callback_query(
            self._chat, stored, user, data, inaccessible=inaccessible
        )
        return record.id


def _choose_button(message: ChatMessage, button: str | int) -> Button:
    buttons = message.flat_buttons
    available = ", ".join(repr(b.text) for b in buttons) or "none (no inline keyboard)"
    if isinstance(button, int):
        if 0 <= button < len(buttons):
            return buttons[button]
        raise ButtonNotFoundError(
            f"message {message.message_id} has no button #{button}; buttons: {available}"
        )
    exact = [b for b in buttons if b.text == button]
    if exact:
        return exact[0]
    partial = [b for b in buttons if button in b.text]
    if not partial:
        partial = [b for b in buttons if button.casefold() in b.text.casefold()]
    if len(partial) == 1:
        return partial[0]
    if partial:
        raise ButtonNotFoundError(
            f"{button!r} matches several buttons on message {message.message_id}: "
            + ", ".join(repr(b.text) for b in partial)
        )
    raise ButtonNotFoundError(
        f"message {message.message_id} has no button {button!r}; buttons: {available}"
    )


class EmulatedUser(ChatView):
    """A Telegram user and their private chat with the bot."""

    def __init__(self, emulator: BotApiEmulator, record: UserRecord) -> None:
        super().__init__(emulator, record.id)
        self._record = record

    def __repr__(self) -> str:
        return f"<EmulatedUser {self.id} {self.first_name!r}>"

    @property
    def id(self) -> int:
        return self._record.id

    @property
    def first_name(self) -> str:
        return self._record.first_name

    @property
    def last_name(self) -> str | None:
        return self._record.last_name

    @property
    def username(self) -> str | None:
        return self._record.username

    @property
    def language_code(self) -> str | None:
        return self._record.language_code

    def to_api(self) -> dict[str, Any]:
        return self._record.to_api()

    async def send(self, text: str, *, reply_to: MessageRef | None = None) -> ChatMessage:
        """Send a text; "/start" or "/cmd@bot args" get a bot_command entity like in Telegram."""
        self._restart_if_blocked()
        return self._post(self._record, reply_to=reply_to, **self._text_fields(text))

    async def send_photo(
        self, data: bytes | None = None, *, caption: str | None = None
    ) -> ChatMessage:
        self._restart_if_blocked()
        return self._post(self._record, **self._photo_fields(data, caption))

    async def send_document(
        self,
        data: bytes = b"hello\n",
        filename: str = "document.txt",
        *,
        mime_type: str | None = None,
        caption: str | None = None,
    ) -> ChatMessage:
        self._restart_if_blocked()
        return self._post(self._record, **self._document_fields(data, filename, mime_type, caption))

    async def send_sticker(self, emoji: str = "👍") -> ChatMessage:
        self._restart_if_blocked()
        return self._post(self._record, **self._sticker_fields(emoji))

    async def send_location(self, latitude: float, longitude: float) -> ChatMessage:
        self._restart_if_blocked()
        return self._post(self._record, location={"latitude": latitude, "longitude": longitude})

    async def edit(self, message: MessageRef, text: str) -> ChatMessage:
        """Edit one of this user's own text messages (the bot gets edited_message)."""
        return self._edit(self._record, message, text)

    async def press(
        self, message: MessageRef, button: str | int, *, inaccessible: bool | None = None
    ) -> str:
        """Press an inline button by text (exact, else unique substring) or flat index.

        Uses the message as it is *now*, so pressing a removed keyboard fails like it would
        for a real user. The bot gets the message as an InaccessibleMessage when it is older
        than 48 hours of emulator time, or when `inaccessible=True`. Returns the callback
        query id.
        """
        return self._press(self._record, message, button, inaccessible)

    async def press_data(
        self, message: MessageRef, data: str, *, inaccessible: bool | None = None
    ) -> str:
        """Send a callback query with arbitrary data for a message (forged-button tests)."""
        return self._press_data(self._record, message, data, inaccessible)

    @property
    def is_blocked(self) -> bool:
        return self._chat.blocked

    def block_bot(self) -> None:
        """Block the bot: later sends to this chat get 403, the bot gets my_chat_member."""
        if not self._chat.blocked:
            self._chat.blocked = True
            self._emu._member_update(self._chat, self._record, "member", "kicked")

    def unblock_bot(self) -> None:
        if self._chat.blocked:
            self._chat.blocked = False
            self._emu._member_update(self._chat, self._record, "kicked", "member")

    def _restart_if_blocked(self) -> None:
        # Telegram clients replace the input field of a blocked bot with "Restart", which
        # unblocks it first; sending while blocked therefore implies unblocking.
        if self._chat.blocked:
            self.unblock_bot()


class EmulatedGroup(ChatView):
    """A group chat with the bot as a member; every action names the acting user."""

    def __repr__(self) -> str:
        return f"<EmulatedGroup {self.chat_id} {self.title!r}>"

    @property
    def title(self) -> str | None:
        return self._chat.title

    @property
    def type(self) -> str:
        return self._chat.type

    async def send(
        self, user: Any, text: str, *, reply_to: MessageRef | None = None
    ) -> ChatMessage:
        return self._post(self._user_record(user), reply_to=reply_to, **self._text_fields(text))

    async def send_photo(
        self, user: Any, data: bytes | None = None, *, caption: str | None = None
    ) -> ChatMessage:
        return self._post(self._user_record(user), **self._photo_fields(data, caption))

    async def send_document(
        self,
        user: Any,
        data: bytes = b"hello\n",
        filename: str = "document.txt",
        *,
        mime_type: str | None = None,
        caption: str | None = None,
    ) -> ChatMessage:
        return self._post(
            self._user_record(user), **self._document_fields(data, filename, mime_type, caption)
        )

    async def send_sticker(self, user: Any, emoji: str = "👍") -> ChatMessage:
        return self._post(self._user_record(user), **self._sticker_fields(emoji))

    async def send_location(self, user: Any, latitude: float, longitude: float) -> ChatMessage:
        return self._post(
            self._user_record(user), location={"latitude": latitude, "longitude": longitude}
        )

    async def edit(self, user: Any, message: MessageRef, text: str) -> ChatMessage:
        return self._edit(self._user_record(user), message, text)

    async def press(
        self,
        user: Any,
        message: MessageRef,
        button: str | int,
        *,
        inaccessible: bool | None = None,
    ) -> str:
        return self._press(self._user_record(user), message, button, inaccessible)

    async def press_data(
        self, user: Any, message: MessageRef, data: str, *, inaccessible: bool | None = None
    ) -> str:
        return self._press_data(self._user_record(user), message, data, inaccessible)

    def remove_bot(self, by: Any) -> None:
        """A member removes the bot: sends get 403 "bot was kicked", bot gets my_chat_member."""
        if self._chat.bot_status != "kicked":
            old = self._chat.bot_status
            self._chat.bot_status = "kicked"
            self._emu._member_update(self._chat, self._user_record(by), old, "kicked")

    def add_bot(self, by: Any) -> None:
        if self._chat.bot_status != "member":
            old = self._chat.bot_status
            self._chat.bot_status = "member"
            self._emu._member_update(self._chat, self._user_record(by), old, "member")
