"""Sending a picture without holding anyone up: by file_id when Telegram already holds the
same picture for this bot, otherwise drawn (or read from the step-picture cache) in a worker
thread (bot/offload.py) while the chat shows "sending a photo", then uploaded and its file_id
kept for next time."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from telegram import Bot, InlineKeyboardMarkup, Message
from telegram.constants import ChatAction
from telegram.error import BadRequest, TelegramError

from bot.pictures.fingerprint import fingerprint
from bot.services import pictures
from bot.telegram.services import Services

log = logging.getLogger(__name__)

# How a picture goes out: a photo (sendPhoto), or a looping animation (sendAnimation).
Media = Literal["photo", "animation"]


@dataclass(frozen=True)
class Picture:
    """A picture to send: how to get its bytes (a pure function and its inputs, or a cached
    file's read), what it shows (its key), and as what it goes out."""

    kind: str
    draw: Callable[[], bytes]
    fingerprint: str
    media: Media = "photo"


def picture(kind: str, draw: Callable[..., bytes], **inputs: object) -> Picture:
    """`draw(**inputs)` as a Picture, keyed by those same inputs (so the key cannot miss one)."""
    return Picture(kind, functools.partial(draw, **inputs), fingerprint(kind, **inputs))


def _file_refused(exc: BadRequest) -> bool:
    """Telegram no longer accepts a stored file_id ("wrong file identifier/HTTP URL
    specified", "invalid file_id", "wrong remote file identifier ...")."""
    text = exc.message.lower()
    return "file identifier" in text or "file_id" in text


def _sent_file_id(message: Message, media: Media) -> str | None:
    if media == "animation":
        return message.animation.file_id if message.animation else None
    # The largest size: what Telegram shows when the picture is opened.
    return message.photo[-1].file_id if message.photo else None


async def _send(
    bot: Bot,
    chat_id: int,
    media: Media,
    file: str | bytes,
    caption: str | None,
    reply_markup: InlineKeyboardMarkup | None,
) -> Message:
    if media == "animation":
        return await bot.send_animation(
            chat_id, file, caption=caption, reply_markup=reply_markup, filename="step.gif"
        )
    return await bot.send_photo(chat_id, file, caption=caption, reply_markup=reply_markup)


async def send_picture(
    svc: Services,
    bot: Bot,
    chat_id: int,
    shown: Picture,
    *,
    caption: str | None = None,
    reply_markup: InlineKeyboardMarkup | None = None,
) -> Message:
    known = await pictures.known_file_id(svc, bot.id, shown.fingerprint)
    if known is not None:
        try:
            return await _send(bot, chat_id, shown.media, known, caption, reply_markup)
        except BadRequest as exc:
            if not _file_refused(exc):
                raise
            log.info("picture: Telegram refused a stored %s file_id; sending it anew", shown.kind)
            await pictures.forget(svc, bot.id, shown.fingerprint)
    try:
        action = ChatAction.UPLOAD_VIDEO if shown.media == "animation" else ChatAction.UPLOAD_PHOTO
        await bot.send_chat_action(chat_id, action)
    except TelegramError as exc:
        # Only a courtesy while the picture is drawn; the picture itself still goes.
        log.debug("picture: chat action failed (%s)", type(exc).__name__)
    data = await svc.offload.run(shown.draw)
    message = await _send(bot, chat_id, shown.media, data, caption, reply_markup)
    file_id = _sent_file_id(message, shown.media)
    if file_id is not None:
        await pictures.remember(svc, bot.id, shown.fingerprint, shown.kind, file_id)
    return message
