"""End to end: a real PTB Application (polling and webhook) driven by emulated users."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from emulator import BotApiEmulator

from .conftest import TOKEN

pytestmark = pytest.mark.timeout(15)

NEXT = InlineKeyboardMarkup([[InlineKeyboardButton("Next ▶", callback_data="step:2")]])


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    name = update.effective_user.first_name
    await update.effective_message.reply_text(
        f"<b>Welcome, {name}!</b> Step 1: relax your jaw.",
        parse_mode=ParseMode.HTML,
        reply_markup=NEXT,
    )


async def depuff(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(f"Depuff routine: {' '.join(context.args)}")


async def next_step(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer("Saved")
    await query.edit_message_text("Step 2: cheeks.")


async def photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    file = await update.effective_message.photo[-1].get_file()
    data = await file.download_as_bytearray()
    await update.effective_message.reply_text(f"Got {len(data)} bytes")


def build(emu: BotApiEmulator) -> Application:
    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(emu.base_url)
        .base_file_url(emu.file_base_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("depuff", depuff))
    app.add_handler(CallbackQueryHandler(next_step, pattern="^step:"))
    app.add_handler(MessageHandler(filters.PHOTO, photo))
    return app


@pytest.fixture
async def polling_app(emu: BotApiEmulator) -> AsyncIterator[Application]:
    app = build(emu)
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=1)
        yield app
        await app.updater.stop()
        await app.stop()


async def test_a_conversation_over_polling(emu: BotApiEmulator, polling_app: Application) -> None:
    alice = emu.user(1001, first_name="Alice", language_code="en")
    await alice.send("/start")
    welcome = await alice.wait_for_bot_message(timeout=5)
    assert welcome.text == "Welcome, Alice! Step 1: relax your jaw."
    assert welcome.html.startswith("<b>Welcome, Alice!</b>")
    assert welcome.button_texts == ["Next ▶"]

    query_id = await alice.press(welcome, "Next")
    answer = await emu.wait_for_callback_answer(query_id, timeout=5)
    assert answer.text == "Saved"
    edited = await alice.wait_for_edit(welcome, timeout=5)
    assert edited.text == "Step 2: cheeks." and edited.buttons == []
    with pytest.raises(LookupError):
        await alice.press(edited, "Next")

    await alice.send("/depuff flight")
    assert (await alice.wait_for_bot_message(timeout=5)).text == "Depuff routine: flight"

    await alice.send_photo()
    reply = await alice.wait_for_bot_message(lambda m: m.text.startswith("Got"), timeout=5)
    assert reply.text == f"Got {len(alice.user_messages[-1].photo)} bytes"
    assert emu.unanswered_callback_queries() == []


async def test_polling_confirms_updates_on_shutdown(emu: BotApiEmulator) -> None:
    app = build(emu)
    alice = emu.user(1001, "Alice")
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await alice.send("/start")
        await alice.wait_for_bot_message(timeout=5)
        await app.updater.stop()
        await app.stop()
    assert emu.pending_updates == []


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_a_conversation_over_webhook(emu: BotApiEmulator) -> None:
    app = build(emu)
    port = free_port()
    async with app:
        await app.start()
        await app.updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path="tg",
            webhook_url=f"http://127.0.0.1:{port}/tg",
            secret_token="hook-secret",
        )
        try:
            assert emu.webhook is not None and emu.webhook.secret_token == "hook-secret"
            bob = emu.user(1002, "Bob")
            await bob.send("/start")
            welcome = await bob.wait_for_bot_message(timeout=5)
            assert welcome.text.startswith("Welcome, Bob!")
            query_id = await bob.press(welcome, 0)
            await emu.wait_for_callback_answer(query_id, timeout=5)
        finally:
            await app.updater.stop()
            await app.stop()
