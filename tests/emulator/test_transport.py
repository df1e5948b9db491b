"""Tokens, routing, request encodings and the response envelope."""

from __future__ import annotations

import json

import httpx
import pytest
from telegram import Bot
from telegram.error import InvalidToken

from emulator import NOTE_HEADER, BotApiEmulator

from .conftest import TOKEN, RawApi

pytestmark = pytest.mark.timeout(10)


async def test_get_me_through_ptb(bot: Bot, emu: BotApiEmulator) -> None:
    me = await bot.get_me()
    assert me.id == 123456 == emu.bot_user.id
    assert me.is_bot
    assert me.username == "face_ritual_test_bot" == emu.bot_user.username
    assert bot.username == "face_ritual_test_bot"


async def test_wrong_token_is_401_and_malformed_token_is_404(
    emu: BotApiEmulator, http: httpx.AsyncClient
) -> None:
    wrong = await http.post(f"{emu.base_url}123456:BBB/getMe")
    assert wrong.status_code == 401
    assert wrong.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    malformed = await http.post(f"{emu.base_url}nonsense/getMe")
    assert malformed.status_code == 404
    assert malformed.json()["description"] == "Not Found"
    with pytest.raises(InvalidToken):
        async with Bot("123456:" + "B" * 35, base_url=emu.base_url):
            pass


async def test_unknown_method_is_404(emu: BotApiEmulator, http: httpx.AsyncClient) -> None:
    response = await http.post(emu.method_url("sendTelepathy"))
    assert response.status_code == 404
    assert response.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


async def test_method_names_are_case_insensitive(api: RawApi) -> None:
    assert (await api.ok("GETME"))["id"] == 123456


async def test_json_body_and_query_string_are_accepted(
    emu: BotApiEmulator, http: httpx.AsyncClient
) -> None:
    emu.user(1001, "Alice")
    as_json = await http.post(
        emu.method_url("sendMessage"),
        json={
            "chat_id": 1001,
            "text": "json",
            "reply_markup": {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]},
        },
    )
    assert as_json.json()["result"]["reply_markup"]["inline_keyboard"][0][0]["text"] == "A"
    as_query = await http.get(
        emu.method_url("sendMessage"), params={"chat_id": "1001", "text": "q"}
    )
    assert as_query.json()["result"]["text"] == "q"


async def test_string_fields_stay_strings(emu: BotApiEmulator, api: RawApi) -> None:
    emu.user(1001, "Alice")
    # PTB sends text raw; "123" and "true" must not turn into a number or a bool.
    message = await api.ok("sendMessage", chat_id="1001", text="123")
    assert message["text"] == "123"
    message = await api.ok("sendMessage", chat_id=1001, text="true")
    assert message["text"] == "true"


async def test_chat_id_errors(api: RawApi) -> None:
    assert await api.error("sendMessage", text="x") == (400, "Bad Request: chat_id is empty")
    assert await api.error("sendMessage", chat_id=999, text="x") == (
        400,
        "Bad Request: chat not found",
    )
    assert await api.error("sendMessage", chat_id="@nobody", text="x") == (
        400,
        "Bad Request: chat not found",
    )


async def test_every_call_is_logged(emu: BotApiEmulator, bot: Bot, api: RawApi) -> None:
    emu.user(1001, "Alice")
    await bot.send_message(1001, "hi")
    await api.error("sendMessage", chat_id=1001, text="")
    sends = emu.calls_to("sendMessage")
    assert [(c.ok, c.error_code) for c in sends] == [(True, None), (False, 400)]
    assert sends[0].params["chat_id"] == 1001
    assert sends[0].params["text"] == "hi"
    assert sends[0].result["text"] == "hi"
    assert sends[1].description == "Bad Request: message text is empty"
    assert sends[0].at <= sends[1].at
    assert emu.calls[0].method == "getMe"


async def test_a_note_header_is_kept_in_the_call_log(
    emu: BotApiEmulator, http: httpx.AsyncClient
) -> None:
    await http.post(emu.method_url("getMe"), headers={NOTE_HEADER: "inside a transaction"})
    await http.post(emu.method_url("getMe"))
    assert [call.note for call in emu.calls_to("getMe")] == ["inside a transaction", None]


async def test_bad_json_body_is_a_bad_request(emu: BotApiEmulator, http: httpx.AsyncClient) -> None:
    response = await http.post(
        emu.method_url("getMe"), content=b"{", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["ok"] is False


async def test_two_emulators_do_not_share_state() -> None:
    async with BotApiEmulator(TOKEN) as first, BotApiEmulator(TOKEN) as second:
        assert first.port != second.port
        first.user(1, "A")
        assert 1 in first.state.chats and 1 not in second.state.chats


async def test_index_page_mentions_base_url(emu: BotApiEmulator, http: httpx.AsyncClient) -> None:
    response = await http.get(f"http://127.0.0.1:{emu.port}/")
    assert emu.base_url in response.text


async def test_response_is_utf8_json(emu: BotApiEmulator, http: httpx.AsyncClient) -> None:
    emu.user(1001, "Alice")
    response = await http.post(
        emu.method_url("sendMessage"), data={"chat_id": "1001", "text": "Привет 👋"}
    )
    assert response.headers["content-type"].startswith("application/json")
    assert json.loads(response.content.decode("utf-8"))["result"]["text"] == "Привет 👋"


async def test_real_but_unimplemented_methods_fail_clearly(emu: BotApiEmulator, api: RawApi):
    emu.user(1001, "Alice")
    status, description = await api.error("pinChatMessage", chat_id=1001, message_id=1)
    assert status == 400
    assert description == (
        "Bad Request: method pinChatMessage is not implemented by the Bot API emulator"
    )
