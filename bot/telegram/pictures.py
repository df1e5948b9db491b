"""Sending a picture without holding anyone up: by file_id when Telegram already holds the
same picture, otherwise drawn in a worker thread (bot/offload.py) while the chat shows
"sending a photo", then uploaded and its file_id kept for next time."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass

from telegram import Bot, Message
from telegram.constants import ChatAction
from telegram.error import BadRequest, TelegramError

from bot.pictures.fingerprint import fingerprint
from bot.services import pictures
from bot.telegram.services import Services

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Picture:
    """A picture to send: how to draw it (a pure function and its inputs) and what it shows."""

    kind: str
    draw: Callable[[], bytes]
    fingerprint: str


def picture(kind: str, draw: Callable[..., bytes], **inputs: object) -> Picture:
    """`draw(**inputs)` as a Picture, keyed by those same inputs (so the key cannot miss one)."""
    return Picture(kind, functools.partial(draw, **inputs), fingerprint(kind, **inputs))


def _file_refused(exc: BadRequest) -> bool:
    """Telegram no longer accepts a stored file_id ("wrong file identifier/HTTP URL
    specified", "invalid file_id", "wrong remote file identifier ...")."""
    text = exc.message.lower()
    return "file identifier" in text or "file_id" in text


async def send_picture(svc: Services, bot: Bot, chat_id: int, shown: Picture) -> Message:
    known = await pictures.known_file_id(svc, shown.fingerprint)
    if known is not None:
        try:
            return await bot.send_photo(chat_id, known)
        except BadRequest as exc:
            if not _file_refused(exc):
                raise
            log.info("picture: Telegram refused a stored %s file_id; drawing it again", shown.kind)
            await pictures.forget(svc, shown.fingerprint)
    try:
        await bot.send_chat_action(chat_id, ChatAction.UPLOAD_PHOTO)
    except TelegramError as exc:
        # Only a courtesy while the picture is drawn; the picture itself still goes.
        log.debug("picture: chat action failed (%s)", type(exc).__name__)
    png = await svc.offload.run(shown.draw)
    message = await bot.send_photo(chat_id, png)
    if message.photo:
        # The largest size: what Telegram shows when the picture is opened.
        await pictures.remember(svc, shown.fingerprint, shown.kind, message.photo[-1].file_id)
    return message
