"""getUpdates long polling, offsets, conflicts, webhooks, and the updates user actions make."""

from __future__ import annotations

import asyncio
import json
import socket
import time

import httpx
import pytest
import tornado.httpserver
import tornado.netutil
import tornado.web
from telegram import Bot, Update
from telegram.error import Conflict

from emulator import BotApiEmulator
from emulator import errors as E

from .conftest import RawApi

pytestmark = pytest.mark.timeout(10)


async def test_long_poll_returns_promptly_when_an_update_arrives(
    bot: Bot, emu: BotApiEmulator
) -> None:
    alice = emu.user(1001, "Alice")

    async def user_types_later() -> None:
        await asyncio.sleep(0.2)
        await alice.send("hello")

    started = time.monotonic()
    sender = asyncio.create_task(user_types_later())
    updates = await bot.get_updates(timeout=5)
    elapsed = time.monotonic() - started
    await sender
    assert 0.15 < elapsed < 1.5
    assert len(updates) == 1 and updates[0].message.text == "hello"


async def test_long_poll_returns_empty_after_timeout(bot: Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert 0.9 < time.monotonic() - started < 2.0


async def test_zero_timeout_returns_immediately(bot: Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=0) == ()
    assert time.monotonic() - started < 0.5


async def test_offset_confirms_and_drops_earlier_updates(bot: Bot, emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice")
    for text in ("one", "two", "three"):
        await alice.send(text)
    first = await bot.get_updates()
    assert [u.message.text for u in first] == ["one", "two", "three"]
    ids = [u.update_id for u in first]
    assert ids == sorted(ids) and len(set(ids)) == 3
    # Without a new offset the same updates come back: nothing is lost on a crash.
    assert [u.update_id for u in await bot.get_updates()] == ids
    rest = await bot.get_updates(offset=ids[1])
    assert [u.message.text for u in rest] == ["two", "three"]
    assert [u.message.text for u in await bot.get_updates()] == ["two", "three"]
    assert await bot.get_updates(offset=ids[-1] + 1) == ()
    await alice.send("four")
    latest = await bot.get_updates()
    assert [u.message.text for u in latest] == ["four"]
    assert latest[0].update_id > ids[-1]


async def test_limit_and_negative_offset(bot: Bot, emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice")
    for index in range(5):
        await alice.send(f"m{index}")
    assert [u.message.text for u in await bot.get_updates(limit=2)] == ["m0", "m1"]
    assert [u.message.text for u in await bot.get_updates(offset=-2)] == ["m3", "m4"]
    assert [u.message.text for u in await bot.get_updates()] == ["m3", "m4"]


async def test_concurrent_get_updates_conflict(api: RawApi, emu: BotApiEmulator) -> None:
    first = asyncio.create_task(api("getUpdates", timeout=3))
    await asyncio.sleep(0.2)
    second = asyncio.create_task(api("getUpdates", timeout=0))
    status, body = await asyncio.wait_for(first, 2)
    assert status == 409
    assert body == {"ok": False, "error_code": 409, "description": E.CONFLICT_POLLING}
    assert (await second)[1] == {"ok": True, "result": []}


async def test_conflict_raises_ptb_conflict(emu: BotApiEmulator, bot: Bot) -> None:
    async with Bot(emu.token, base_url=emu.base_url) as other_instance:
        waiting = asyncio.create_task(bot.get_updates(timeout=3))
        await asyncio.sleep(0.2)
        await other_instance.get_updates(timeout=0)
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await asyncio.wait_for(waiting, 2)


async def test_webhook_blocks_get_updates(bot: Bot, api: RawApi, emu: BotApiEmulator) -> None:
    assert await bot.set_webhook("https://bot.example.org/hook", secret_token="s3cr3t")
    info = await bot.get_webhook_info()
    assert info.url == "https://bot.example.org/hook"
    assert await api.error("getUpdates") == (409, E.CONFLICT_WEBHOOK)
    with pytest.raises(Conflict, match="can't use getUpdates method while webhook is active"):
        await bot.get_updates()
    assert emu.webhook is not None and emu.webhook.secret_token == "s3cr3t"
    assert await bot.delete_webhook()
    assert (await bot.get_webhook_info()).url == ""
    assert await bot.get_updates() == ()


async def test_setting_a_webhook_terminates_a_waiting_poll(api: RawApi) -> None:
    poll = asyncio.create_task(api("getUpdates", timeout=3))
    await asyncio.sleep(0.1)
    await api.ok("setWebhook", url="https://bot.example.org/hook")
    status, body = await asyncio.wait_for(poll, 1)
    assert (status, body["description"]) == (409, E.CONFLICT_WEBHOOK)


async def test_delete_webhook_can_drop_pending_updates(bot: Bot, emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice")
    await alice.send("old")
    assert (await bot.get_webhook_info()).pending_update_count == 1
    await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates() == ()
    assert emu.pending_updates == []


async def test_webhook_secret_must_be_valid(api: RawApi) -> None:
    assert await api.error("setWebhook", url="https://x.org/h", secret_token="bad token!") == (
        400,
        E.WEBHOOK_SECRET_INVALID,
    )


async def test_allowed_updates_filter_and_persist(bot: Bot, emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice")
    sent = await bot.send_message(1001, "Q", reply_markup={"inline_keyboard": [
        [{"text": "A", "callback_data": "a"}]]})  # fmt: skip
    await alice.send("text")
    await alice.press(sent, "A")
    only_queries = await bot.get_updates(allowed_updates=["callback_query"])
    assert [u.callback_query.data for u in only_queries] == ["a"]
    await alice.send("ignored while filtered")
    # Not specifying allowed_updates keeps the previous setting, like Telegram.
    assert [u.callback_query.data for u in await bot.get_updates()] == ["a"]
    await bot.get_updates(offset=only_queries[-1].update_id + 1, allowed_updates=[])
    await alice.send("seen again")
    assert [u.message.text for u in await bot.get_updates()] == ["seen again"]


async def test_user_actions_produce_the_right_updates(bot: Bot, emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice", last_name="Liddell", username="alice", language_code="en")
    await alice.send("/start")
    await alice.send("/depuff flight")
    await alice.send_sticker("😀")
    await alice.send_photo(caption="my face")
    await alice.send_location(52.5, 13.4)
    await alice.send_document(b"%PDF-1.4", "notes.pdf")
    updates = await bot.get_updates()
    start, depuff, sticker, photo, location, document = (u.message for u in updates)

    assert start.text == "/start"
    assert start.entities[0].type == "bot_command" and start.entities[0].length == 6
    assert start.from_user.id == 1001 and not start.from_user.is_bot
    assert start.from_user.language_code == "en" and start.from_user.username == "alice"
    assert start.chat.id == 1001 and start.chat.type == "private"
    assert depuff.entities[0].length == len("/depuff")
    assert sticker.sticker.emoji == "😀"
    assert photo.photo[-1].width == 64 and photo.caption == "my face"
    assert (location.location.latitude, location.location.longitude) == (52.5, 13.4)
    assert document.document.file_name == "notes.pdf"
    assert document.document.mime_type == "application/pdf"


async def test_callback_query_update_carries_message_and_chat_instance(
    bot: Bot, emu: BotApiEmulator
) -> None:
    alice = emu.user(1001, "Alice")
    sent = await bot.send_message(1001, "Pick", reply_markup={"inline_keyboard": [
        [{"text": "Next", "callback_data": "step:2"}]]})  # fmt: skip
    query_id = await alice.press(sent, "Next")
    (update,) = await bot.get_updates()
    query = update.callback_query
    assert query.id == query_id
    assert query.data == "step:2"
    assert query.from_user.id == 1001
    assert query.chat_instance
    assert query.message.message_id == sent.message_id
    assert query.message.text == "Pick"
    assert query.message.reply_markup.inline_keyboard[0][0].callback_data == "step:2"


async def test_blocking_sends_my_chat_member(bot: Bot, emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice")
    alice.block_bot()
    alice.unblock_bot()
    blocked, unblocked = await bot.get_updates()
    assert blocked.my_chat_member.new_chat_member.status == "kicked"
    assert blocked.my_chat_member.old_chat_member.status == "member"
    assert blocked.my_chat_member.from_user.id == 1001
    assert unblocked.my_chat_member.new_chat_member.status == "member"


async def test_user_edits_become_edited_message(bot: Bot, emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice")
    original = await alice.send("helo")
    await alice.edit(original, "hello")
    first, second = await bot.get_updates()
    assert first.message.text == "helo"
    assert second.edited_message.text == "hello"
    assert second.edited_message.edit_date is not None


async def test_update_json_is_what_ptb_expects(emu: BotApiEmulator, api: RawApi) -> None:
    alice = emu.user(1001, "Alice")
    await alice.send("hi")
    (raw,) = await api.ok("getUpdates")
    assert set(raw) == {"update_id", "message"}
    assert Update.de_json(raw, None).message.text == "hi"


async def test_webhook_delivery_with_secret_token() -> None:
    received: list[tuple[dict, str | None]] = []
    status = {"code": 500}

    class Hook(tornado.web.RequestHandler):
        def post(self) -> None:
            received.append(
                (json.loads(self.request.body), self.request.headers.get(
                    "X-Telegram-Bot-Api-Secret-Token"))
            )  # fmt: skip
            self.set_status(status["code"])

    sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
    port = sockets[0].getsockname()[1]
    server = tornado.httpserver.HTTPServer(tornado.web.Application([(r"/hook", Hook)]))
    server.add_sockets(sockets)
    try:
        async with BotApiEmulator(webhook_retry_delay=0.05) as emu, httpx.AsyncClient() as http:
            await http.post(
                emu.method_url("setWebhook"),
                data={"url": f"http://127.0.0.1:{port}/hook", "secret_token": "abc"},
            )
            alice = emu.user(1001, "Alice")
            await alice.send("first")
            # The endpoint fails: the update stays queued and the error is reported.
            await alice.wait_until(lambda _: emu.webhook.last_error_message, timeout=3)
            assert emu.pending_updates and "500" in emu.webhook.last_error_message
            info = (await http.post(emu.method_url("getWebhookInfo"))).json()["result"]
            assert info["pending_update_count"] == 1 and "last_error_message" in info
            status["code"] = 200
            await alice.wait_until(lambda _: not emu.pending_updates, timeout=3)
            await alice.send("second")
            await alice.wait_until(lambda _: not emu.pending_updates, timeout=3)
    finally:
        server.stop()
    texts = [body["message"]["text"] for body, _ in received]
    assert texts[-2:] == ["first", "second"] and set(texts) == {"first", "second"}
    assert {secret for _, secret in received} == {"abc"}


async def test_webhook_errors_are_reported_not_raised(emu: BotApiEmulator, api: RawApi) -> None:
    alice = emu.user(1001, "Alice")
    await api.ok("setWebhook", url="https://bot.example.org/hook")
    await alice.send("queued")
    await alice.wait_until(lambda _: emu.webhook.last_error_message, timeout=2)
    assert "only calls 127.0.0.1" in emu.webhook.last_error_message
    assert len(emu.pending_updates) == 1

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    await api.ok("setWebhook", url=f"http://127.0.0.1:{closed_port}/hook")
    await alice.wait_until(
        lambda _: (emu.webhook.last_error_message or "").startswith("Connection failed"),
        timeout=2,
    )
    assert len(emu.pending_updates) == 1
    await api.ok("deleteWebhook")
    assert len(await api.ok("getUpdates")) == 1


async def test_webhook_redirect_reaches_a_local_endpoint() -> None:
    hits: list[str] = []

    class Hook(tornado.web.RequestHandler):
        def post(self) -> None:
            hits.append(json.loads(self.request.body)["message"]["text"])

    sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
    server = tornado.httpserver.HTTPServer(tornado.web.Application([(r"/in", Hook)]))
    server.add_sockets(sockets)
    redirect = f"http://127.0.0.1:{sockets[0].getsockname()[1]}/in"
    try:
        async with BotApiEmulator(webhook_redirect=redirect) as emu, httpx.AsyncClient() as http:
            await http.post(
                emu.method_url("setWebhook"), data={"url": "https://bot.example.org/tg"}
            )
            alice = emu.user(1001, "Alice")
            await alice.send("via proxy")
            await alice.wait_until(lambda _: hits, timeout=3)
    finally:
        server.stop()
    assert hits == ["via proxy"]
