"""setWebhook refuses what Telegram refuses: anything but HTTPS on ports 443, 80, 88 or 8443.

The one deviation: a loopback host (the only kind the emulator delivers to) may use http:// and
any port, so that tests can serve a webhook on 127.0.0.1.
"""

from __future__ import annotations

import pytest

from emulator import BotApiEmulator
from emulator import errors as E

from .conftest import RawApi

pytestmark = pytest.mark.timeout(10)


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("http://bot.example.org/hook", E.WEBHOOK_HTTPS_REQUIRED),
        ("http://bot.example.org:8443/hook", E.WEBHOOK_HTTPS_REQUIRED),
        ("http://10.0.0.7/hook", E.WEBHOOK_HTTPS_REQUIRED),
        ("https://bot.example.org:8080/hook", E.WEBHOOK_PORT_INVALID),
        ("https://bot.example.org:444/", E.WEBHOOK_PORT_INVALID),
        ("https://bot.example.org:1/", E.WEBHOOK_PORT_INVALID),
        ("ftp://bot.example.org/hook", E.WEBHOOK_URL_INVALID),
        ("https://bot.example.org:http/", E.WEBHOOK_URL_INVALID),
    ],
)
async def test_set_webhook_refuses_what_telegram_refuses_and_changes_nothing(
    emu: BotApiEmulator, api: RawApi, url: str, error: str
) -> None:
    await api.ok("setWebhook", url="https://bot.example.org/before", allowed_updates=["message"])
    assert await api.error("setWebhook", url=url, allowed_updates=["callback_query"]) == (
        400,
        error,
    )
    # The refused call changed nothing: neither the URL nor the update types.
    assert emu.webhook is not None and emu.webhook.url == "https://bot.example.org/before"
    info = await api.ok("getWebhookInfo")
    assert info["allowed_updates"] == ["message"]


@pytest.mark.parametrize(
    "url",
    [
        "https://bot.example.org/hook",
        "https://bot.example.org:443/hook",
        "https://bot.example.org:80/hook",
        "https://bot.example.org:88/hook",
        "https://bot.example.org:8443/hook",
        # The deviation for local tests: Telegram never calls a loopback address.
        "http://127.0.0.1:54321/hook",
        "https://localhost:9999/hook",
        "http://[::1]:8080/hook",
        "http://127.0.0.2:1/hook",
    ],
)
async def test_set_webhook_accepts_https_on_telegrams_ports_and_loopback_hosts(
    emu: BotApiEmulator, api: RawApi, url: str
) -> None:
    assert await api.ok("setWebhook", url=url) is True
    assert emu.webhook is not None and emu.webhook.url == url
