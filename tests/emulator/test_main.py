"""``python -m emulator`` serves and prints its URLs."""

from __future__ import annotations

import asyncio
import sys

import httpx
import pytest

pytestmark = pytest.mark.timeout(15)


async def test_module_serves_and_prints_base_urls() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "emulator", "--port", "0", "--no-stdin",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        lines: dict[str, str] = {}
        while "base_file_url" not in lines:
            raw = await asyncio.wait_for(process.stdout.readline(), 10)
            assert raw, (await process.stderr.read()).decode()
            key, _, value = raw.decode().partition(":")
            lines[key.strip()] = value.strip()
        assert lines["base_url"].startswith("http://127.0.0.1:")
        assert lines["base_url"].endswith("/bot")
        assert lines["base_file_url"].endswith("/file/bot")
        async with httpx.AsyncClient() as http:
            response = await http.get(f"{lines['base_url']}{lines['token']}/getMe")
        assert response.json()["result"]["username"] == "face_ritual_test_bot"
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 5)
