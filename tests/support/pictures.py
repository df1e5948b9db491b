"""/streak and /progress as a user sees them: the numbers first, then the picture below."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

from emulator import ChatMessage, EmulatedUser


@dataclass(frozen=True)
class PictureAnswer:
    text: ChatMessage  # the numbers, with the buttons
    photo: ChatMessage
    image: Image.Image


async def picture_answer(user: EmulatedUser, command: str) -> PictureAnswer:
    """Send `command`; its answer must be a text and then, as the next message, a PNG."""
    await user.send(command)
    text = await user.wait_for_bot_message()
    assert text.photo is None and text.text, f"the text comes first, got {text.describe()}"
    photo = await user.wait_for_bot_message()
    assert photo.photo is not None, f"the picture follows the text, got {photo.describe()}"
    image = Image.open(io.BytesIO(photo.photo))
    image.load()
    assert image.format == "PNG" and image.width <= 10_000 and image.height <= 10_000
    return PictureAnswer(text, photo, image)
