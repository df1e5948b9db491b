"""What a chat participant sees: immutable snapshots of messages.

Tests and the demo get snapshots rather than the live records so that an assertion about a
message is not changed behind its back by a later edit; re-read the chat to see the edit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple


@dataclass(frozen=True)
class Button:
    """One inline keyboard button as the user sees it."""

    text: str
    callback_data: str | None = None
    url: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


class DocumentFile(NamedTuple):
    """A document as ``(name, data)``; the MIME type is in ``ChatMessage.raw``."""

    name: str | None
    data: bytes


@dataclass(frozen=True)
class MediaFile:
    """A video, animation, audio or voice message."""

    kind: str
    name: str | None
    data: bytes
    mime_type: str | None = None


@dataclass(frozen=True)
class ChatMessage:
    """A message in a chat, as it currently looks (edits applied).

    ``text`` is always a string (empty for media) so predicates like ``"Step 2" in m.text``
    never trip over None; ``content`` is the text or, for media, the caption. ``buttons`` are
    the inline keyboard's rows; ``raw`` is the Bot API JSON of the message.
    """

    message_id: int
    chat_id: int
    from_bot: bool
    text: str
    html: str | None
    caption: str | None
    photo: bytes | None
    document: DocumentFile | None
    buttons: list[list[Button]]
    edited: bool
    date: int
    sender_id: int
    entities: list[dict[str, Any]] = field(default_factory=list)
    media: MediaFile | None = None
    sticker: dict[str, Any] | None = None
    location: dict[str, Any] | None = None
    reply_to_message_id: int | None = None
    # The file_id a photo was sent with: equal ids mean the bot sent the same file again.
    photo_file_id: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def flat_buttons(self) -> list[Button]:
        return [button for row in self.buttons for button in row]

    @property
    def button_texts(self) -> list[str]:
        return [button.text for button in self.flat_buttons]

    @property
    def content(self) -> str:
        return self.text or self.caption or ""

    @property
    def has_keyboard(self) -> bool:
        return bool(self.buttons)

    def describe(self) -> str:
        """One line for timeout messages and the demo log."""
        who = "bot" if self.from_bot else f"user {self.sender_id}"
        if self.photo is not None:
            body = f"[photo] {self.caption or ''}".rstrip()
        elif self.document is not None:
            body = f"[document {self.document.name}] {self.caption or ''}".rstrip()
        elif self.sticker is not None:
            body = f"[sticker {self.sticker.get('emoji', '')}]"
        elif self.media is not None:
            body = f"[{self.media.kind}] {self.caption or ''}".rstrip()
        elif self.location is not None:
            body = f"[location {self.location['latitude']}, {self.location['longitude']}]"
        else:
            body = self.text
        body = body.replace("\n", "⏎ ")
        if len(body) > 120:
            body = body[:117] + "..."
        if self.buttons:
            body += "  [" + " | ".join(self.button_texts) + "]"
        if self.edited:
            body += "  (edited)"
        return f"#{self.message_id} {who}: {body}"


def buttons_from_markup(markup: dict[str, Any] | None) -> list[list[Button]]:
    if not markup or "inline_keyboard" not in markup:
        return []
    return [
        [
            Button(
                text=button.get("text", ""),
                callback_data=button.get("callback_data"),
                url=button.get("url"),
                raw=dict(button),
            )
            for button in row
        ]
        for row in markup["inline_keyboard"]
    ]
