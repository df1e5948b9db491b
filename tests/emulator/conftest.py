"""Fixtures: a running emulator, PTB's own Bot pointed at it, and a raw HTTP client.

PTB's Bot checks that our JSON is what PTB parses and that errors map to PTB's exception
classes; raw httpx checks the envelopes byte-for-byte (status, error_code, description).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from telegram import Bot

from emulator import BotApiEmulator

TOKEN = "123456:" + "A" * 35


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(token=TOKEN) as emulator:
        yield emulator


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=emu.base_url, base_file_url=emu.file_base_url) as ptb_bot:
        yield ptb_bot


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5) as client:
        yield client


class RawApi:
    """POSTs form fields the way PTB encodes them, returning (status, decoded JSON)."""

    def __init__(self, emu: BotApiEmulator, client: httpx.AsyncClient) -> None:
        self.emu = emu
        self.client = client

    async def __call__(self, method: str, **params: Any) -> tuple[int, dict[str, Any]]:
        import json

        form = {
            key: value if isinstance(value, str) else json.dumps(value)
            for key, value in params.items()
        }
        response = await self.client.post(self.emu.method_url(method), data=form)
        return response.status_code, response.json()

    async def error(self, method: str, **params: Any) -> tuple[int, str]:
        status, body = await self(method, **params)
        assert body["ok"] is False, body
        assert body["error_code"] == status
        return status, body["description"]

    async def ok(self, method: str, **params: Any) -> Any:
        status, body = await self(method, **params)
        assert status == 200 and body["ok"] is True, body
        return body["result"]


@pytest.fixture
def api(emu: BotApiEmulator, http: httpx.AsyncClient) -> RawApi:
    return RawApi(emu, http)
