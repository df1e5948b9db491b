"""WEBHOOK_URL is refused at start when Telegram's setWebhook would refuse it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.config import WEBHOOK_PORTS, SettingsError, load_settings

SECRET = "s3cret-" + "x" * 20

hosts = st.sampled_from(["bot.example.com", "example.org", "10.0.0.7", "[2001:db8::1]"])
loopback_hosts = st.sampled_from(["127.0.0.1", "127.8.9.10", "localhost", "[::1]"])
paths = st.sampled_from(["", "/", "/hook", "/telegram/hook/v1"])
ports = st.integers(min_value=1, max_value=65_535)


def webhook_url(url: str) -> str | None:
    return load_settings(_env_file=None, webhook_url=url, webhook_secret=SECRET).webhook_url


def refusal(url: str) -> str:
    with pytest.raises(SettingsError) as refused:
        webhook_url(url)
    message = str(refused.value)
    assert message.startswith("Setting WEBHOOK_URL: ") and "\n" not in message
    return message


@given(hosts, st.sampled_from(WEBHOOK_PORTS), paths)
def test_https_on_telegrams_ports_is_accepted(host, port, path):
    assert webhook_url(f"https://{host}:{port}{path}") == f"https://{host}:{port}{path}"


@given(hosts, paths)
def test_https_without_a_port_is_port_443_and_accepted(host, path):
    assert webhook_url(f" https://{host}{path} ") == f"https://{host}{path}"


@given(hosts, ports.filter(lambda p: p not in WEBHOOK_PORTS), paths)
def test_any_other_port_is_refused_naming_the_allowed_ones(host, port, path):
    message = refusal(f"https://{host}:{port}{path}")
    assert f"port {port}" in message and "443, 80, 88 or 8443" in message


@given(hosts, st.one_of(st.none(), ports), paths)
def test_plain_http_is_refused_for_a_host_telegram_would_call(host, port, path):
    netloc = host if port is None else f"{host}:{port}"
    assert "must start with https://" in refusal(f"http://{netloc}{path}")


@given(loopback_hosts, st.sampled_from(["http", "https"]), ports, paths)
def test_a_loopback_host_may_use_http_and_any_port_for_local_tests(host, scheme, port, path):
    url = f"{scheme}://{host}:{port}{path}"
    assert webhook_url(url) == url


@pytest.mark.parametrize(
    "url", ["ftp://bot.example.com/hook", "bot.example.com/hook", "https://", "https:///hook"]
)
def test_something_that_is_no_web_address_is_refused(url):
    assert "must be the public https:// address" in refusal(url)


def test_a_port_that_is_no_number_is_refused():
    assert "port that is not a number" in refusal("https://bot.example.com:99999/hook")


def test_no_webhook_url_means_polling():
    assert webhook_url("") is None and webhook_url("   ") is None


def test_the_profile_cache_is_trusted_only_where_no_other_instance_can_change_a_user():
    sqlite = load_settings(_env_file=None, database_url="sqlite+aiosqlite:///x.db")
    postgres = load_settings(_env_file=None, database_url="postgresql+asyncpg://u@h/db")
    assert sqlite.profile_cache_ttl == 60.0
    assert postgres.profile_cache_ttl == 0.0, "another instance may change the user meanwhile"
    chosen = load_settings(
        _env_file=None, database_url="postgresql+asyncpg://u@h/db", profile_cache_seconds=5
    )
    assert chosen.profile_cache_ttl == 5.0


def test_each_process_is_named_for_its_reminders_by_host_and_listening_port():
    polling = load_settings(_env_file=None)
    webhook = load_settings(
        _env_file=None,
        webhook_url="https://bot.example.com/hook",
        webhook_secret="s3cret",
        webhook_port=8442,
    )
    assert polling.instance.endswith(":polling")
    assert webhook.instance.endswith(":webhook-8442")
    assert load_settings(_env_file=None, instance_id="bot-1").instance == "bot-1"
