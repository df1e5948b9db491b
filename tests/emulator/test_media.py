"""Photos and documents: uploads, file_id reuse, validation, getFile and downloads."""

from __future__ import annotations

import io
import struct

import httpx
import pytest
from telegram import Bot, InputFile
from telegram.error import BadRequest

from emulator import BotApiEmulator, EmulatorError
from emulator import errors as E
from emulator.media import image_kind, image_size, make_png

from .conftest import RawApi

pytestmark = pytest.mark.timeout(10)


def tiny_gif(width: int = 3, height: int = 2) -> bytes:
    return b"GIF89a" + struct.pack("<HH", width, height) + b"\x00\x00\x00;"


def tiny_jpeg(width: int = 5, height: int = 7) -> bytes:
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + b"\xff\xe0" + struct.pack(">H", 4) + b"JF" + sof + b"\xff\xd9"


def test_image_sniffing() -> None:
    assert image_kind(make_png()) == "png" and image_size(make_png(3, 4)) == (3, 4)
    assert image_size(tiny_gif()) == (3, 2)
    assert image_size(tiny_jpeg()) == (5, 7)
    assert image_kind(b"%PDF-1.4") is None
    assert image_size(b"\x89PNG\r\n\x1a\n") is None  # truncated


async def test_send_photo_upload(bot: Bot, emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice")
    png = make_png(40, 30)
    message = await bot.send_photo(1001, png, caption="<b>Day 1</b>", parse_mode="HTML")
    largest = message.photo[-1]
    assert (largest.width, largest.height, largest.file_size) == (40, 30, len(png))
    assert largest.file_id and largest.file_unique_id
    assert message.caption == "Day 1" and message.caption_entities[0].type == "bold"
    shown = alice.last_bot_message
    assert shown.photo == png and shown.caption == "Day 1" and shown.text == ""
    assert shown.content == "Day 1"


async def test_photo_file_id_can_be_reused(bot: Bot, emu: BotApiEmulator) -> None:
    emu.user(1001, "Alice")
    emu.user(1002, "Bob")
    first = await bot.send_photo(1001, make_png())
    again = await bot.send_photo(1002, first.photo[-1].file_id)
    assert again.photo[-1].file_unique_id == first.photo[-1].file_unique_id
    assert emu.user(1002).last_bot_message.photo == make_png()
    assert emu.user(1002).last_bot_message.photo_file_id == first.photo[-1].file_id


async def test_an_expired_file_id_is_refused_but_old_messages_keep_it(
    bot: Bot, emu: BotApiEmulator
) -> None:
    emu.user(1001, "Alice")
    first = await bot.send_photo(1001, make_png())
    emu.expire_file(first.photo[-1].file_id)
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_photo(1001, first.photo[-1].file_id)
    assert emu.user(1001).last_bot_message.photo == make_png()


@pytest.mark.parametrize(
    ("photo", "description"),
    [
        (b"definitely not an image", E.IMAGE_PROCESS_FAILED),
        (b"\x89PNG\r\n\x1a\nbroken", E.IMAGE_PROCESS_FAILED),
        (make_png(2000, 20), E.PHOTO_INVALID_DIMENSIONS),
    ],
)
async def test_bad_photos(bot: Bot, emu: BotApiEmulator, photo: bytes, description: str) -> None:
    emu.user(1001, "Alice")
    with pytest.raises(BadRequest) as info:
        await bot.send_photo(1001, InputFile(photo, filename="x.png"))
    assert info.value.message == description.removeprefix("Bad Request: ").capitalize()


async def test_photo_reference_errors(bot: Bot, emu: BotApiEmulator, api: RawApi) -> None:
    emu.user(1001, "Alice")
    assert await api.error("sendPhoto", chat_id=1001) == (400, E.NO_PHOTO)
    assert await api.error("sendPhoto", chat_id=1001, photo="no-such-id") == (
        400,
        E.WRONG_FILE_ID,
    )
    assert await api.error("sendPhoto", chat_id=1001, photo="https://example.org/a.jpg") == (
        400,
        E.URL_CONTENT_FAILED,
    )
    document = await bot.send_document(1001, b"text", filename="a.txt")
    with pytest.raises(BadRequest, match=r"(?i)can't use file of type document as photo"):
        await bot.send_photo(1001, document.document.file_id)


async def test_send_document_and_download(bot: Bot, emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice")
    data = b"Day,Minutes\n1,5\n"
    message = await bot.send_document(1001, io.BytesIO(data), filename="progress.csv",
                                      caption="Your log")  # fmt: skip
    document = message.document
    assert (document.file_name, document.file_size) == ("progress.csv", len(data))
    assert document.mime_type == "text/csv"
    shown = alice.last_bot_message
    assert shown.document.name == "progress.csv" and shown.document.data == data
    assert shown.caption == "Your log"

    file = await bot.get_file(document.file_id)
    assert file.file_size == len(data) and file.file_path.startswith(emu.file_base_url)
    assert bytes(await file.download_as_bytearray()) == data


async def test_user_photo_can_be_downloaded_by_the_bot(bot: Bot, emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice")
    jpeg = tiny_jpeg()
    await alice.send_photo(jpeg, caption="before")
    (update,) = await bot.get_updates()
    photo = update.message.photo[-1]
    assert (photo.width, photo.height) == (5, 7)
    file = await photo.get_file()
    assert bytes(await file.download_as_bytearray()) == jpeg
    with pytest.raises(EmulatorError, match="PNG/JPEG"):
        await alice.send_photo(b"nope")


async def test_get_file_errors_and_file_route(
    emu: BotApiEmulator, api: RawApi, http: httpx.AsyncClient
) -> None:
    assert await api.error("getFile", file_id="nope") == (400, E.INVALID_FILE_ID)
    missing = await http.get(f"{emu.file_base_url}{emu.token}/photos/none.jpg")
    assert missing.status_code == 404
    wrong_token = await http.get(f"{emu.file_base_url}123:x/photos/none.jpg")
    assert wrong_token.status_code == 401


async def test_edit_caption(bot: Bot, emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice")
    sent = await bot.send_photo(1001, make_png(), caption="v1")
    await bot.edit_message_caption(1001, sent.message_id, caption="v2")
    assert alice.last_bot_message.caption == "v2" and alice.last_bot_message.edited
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_caption(1001, sent.message_id, caption="v2")
    with pytest.raises(BadRequest, match=r"(?i)there is no text in the message to edit"):
        await bot.edit_message_text("x", chat_id=1001, message_id=sent.message_id)


async def test_video_animation_and_sticker(bot: Bot, emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice")
    video = await bot.send_video(
        1001, InputFile(b"\x00\x00\x00\x18ftypmp42", filename="jaw.mp4"), caption="Jaw",
        width=640, height=360, duration=12,
    )  # fmt: skip
    assert (video.video.width, video.caption) == (640, "Jaw")
    assert emu.calls_to("sendVideo")[0].result["video"]["duration"] == 12
    assert alice.last_bot_message.media.kind == "video"
    assert alice.last_bot_message.media.name == "jaw.mp4"
    animation = await bot.send_animation(1001, InputFile(b"GIF89a....", filename="tap.gif"))
    assert animation.animation.file_name == "tap.gif"
    again = await bot.send_video(1001, video.video.file_id)
    assert again.video.file_unique_id == video.video.file_unique_id
    sticker = await bot.send_sticker(1001, make_png(512, 512))
    assert sticker.sticker.width == 512
    await bot.edit_message_caption(1001, video.message_id, caption="Jaw, slowly")
    assert alice.message(video).caption == "Jaw, slowly"
