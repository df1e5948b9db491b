"""Webhook delivery: POST each pending update to the registered URL, in order, like Telegram.

An update leaves the queue only after a 2xx answer; anything else is recorded as
last_error_message and retried, which is what lets a test check that a bot's webhook endpoint
rejects a wrong secret token without losing the update.

Nothing may leave this machine, so only loopback URLs are called. A bot configured with its
public URL can still be tested by giving the emulator ``webhook_redirect`` (where the reverse
proxy would forward to).
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import logging
from urllib.parse import urlsplit

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest

from .state import EmulatorState, PendingUpdate, WebhookConfig

log = logging.getLogger(__name__)


def is_loopback(host: str) -> bool:
    """localhost, 127.0.0.0/8 or ::1: the only hosts webhooks are delivered to. setWebhook also
    lets them use http:// and any port, which Telegram refuses (it never calls them anyway):
    a deviation, so that tests can serve a webhook locally."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class WebhookDeliverer:
    def __init__(
        self,
        state: EmulatorState,
        *,
        redirect: str | None = None,
        retry_delay: float = 0.5,
        request_timeout: float = 10.0,
    ) -> None:
        self.state = state
        self.redirect = redirect
        self.retry_delay = retry_delay
        self.request_timeout = request_timeout
        self.delivered = 0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="bot-api-emulator-webhook")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def _target(self, webhook: WebhookConfig) -> str | None:
        if self.redirect:
            return self.redirect
        host = urlsplit(webhook.url).hostname or ""
        return webhook.url if is_loopback(host) else None

    async def _run(self) -> None:
        client = AsyncHTTPClient(force_instance=True)
        state = self.state
        try:
            while True:

                def work() -> tuple[WebhookConfig, PendingUpdate] | None:
                    webhook = state.webhook
                    if webhook is None:
                        return None
                    pending = state.deliverable(1)
                    return (webhook, pending[0]) if pending else None

                webhook, update = await state.notifier.wait_for(work, None)
                target = self._target(webhook)
                if target is None:
                    self._fail(webhook, "Failed to resolve host: the emulator only calls 127.0.0.1")

                    def replaced(old: WebhookConfig = webhook) -> bool:
                        return state.webhook is not old

                    await state.notifier.wait_for(replaced, None)
                    continue
                headers = {"Content-Type": "application/json"}
                if webhook.secret_token:
                    headers["X-Telegram-Bot-Api-Secret-Token"] = webhook.secret_token
                request = HTTPRequest(
                    target,
                    method="POST",
                    body=json.dumps(update.to_api(), ensure_ascii=False),
                    headers=headers,
                    request_timeout=self.request_timeout,
                )
                try:
                    response = await client.fetch(request, raise_error=False)
                    error = (
                        None
                        if 200 <= response.code < 300
                        else (f"Wrong response from the webhook: {response.code} {response.reason}")
                    )
                except (OSError, HTTPClientError) as exc:
                    error = f"Connection failed: {exc}"
                if error is None:
                    if update in state.updates:
                        state.updates.remove(update)
                    self.delivered += 1
                    state.changed()
                else:
                    self._fail(webhook, error)
                    await asyncio.sleep(self.retry_delay)
        finally:
            client.close()

    def _fail(self, webhook: WebhookConfig, message: str) -> None:
        log.debug("webhook delivery failed: %s", message)
        webhook.last_error_date = self.state.now()
        webhook.last_error_message = message
        self.state.changed()
