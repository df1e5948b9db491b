"""A round-robin load balancer for webhook POSTs, in front of the bot instances.

What nginx does in `deploy/nginx.conf` (with `proxy_next_upstream error`): each POST goes to the
next instance; one that refuses the connection or drops it is skipped for the next. It also
remembers which instance accepted each update (answered 2xx), so that the soak can tell an
update lost in a SIGKILL (accepted by the instance that died before handling it) from one the
bot never answered. A POST that reached an instance which then failed is noted as well: that
instance may have handled it before dying, and the next one handles it again, as Telegram's
own retry would.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import tornado.httpserver
import tornado.netutil
import tornado.web
from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from tornado.iostream import StreamClosedError

# Only what the bot checks and needs.
_FORWARDED_HEADERS = ("Content-Type", "X-Telegram-Bot-Api-Secret-Token")


@dataclass
class Routing:
    """Where one update went: the backend that accepted it (None: none did), and the backends
    that may have seen it but failed before answering."""

    accepted_by: int | None = None
    accepted_at: float = 0.0
    maybe_seen_by: list[int] = field(default_factory=list)


class Balancer:
    def __init__(
        self, backends: list[str], *, request_timeout: float = 10.0, sticky: bool = False
    ) -> None:
        self.backends = backends
        # Each user's updates to one backend while it is up (a temporary soak switch, see
        # SOAK_STICKY_USERS in run.py), instead of round robin.
        self.sticky = sticky
        self.request_timeout = request_timeout
        self.routes: dict[int, Routing] = {}
        self.forwarded = [0 for _ in backends]
        self._next = 0
        self._client = AsyncHTTPClient(force_instance=True, max_clients=20)
        self._server: tornado.httpserver.HTTPServer | None = None
        self._sockets: list[socket.socket] = []
        self.port = 0
        # Called with (update id, backend index) when a backend accepts an update.
        self.on_accept: Callable[[int, int], None] | None = None

    async def start(self) -> str:
        """Serve on a free loopback port; returns the URL to post updates to."""
        self._sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
        self.port = self._sockets[0].getsockname()[1]
        app = tornado.web.Application([(r"/.*", _Forward, {"balancer": self})])
        self._server = tornado.httpserver.HTTPServer(app)
        self._server.add_sockets(self._sockets)
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
        self._client.close()

    async def forward(self, path: str, headers: dict[str, str], body: bytes) -> int:
        """POST to one backend after another, from the next in turn, until one answers;
        returns its status (502 when none could be reached)."""
        update = _json(body)
        update_id = update.get("update_id") if isinstance(update.get("update_id"), int) else None
        routing = self.routes.setdefault(update_id, Routing()) if update_id is not None else None
        first = self._next
        self._next = (self._next + 1) % len(self.backends)
        user_id = _user_id(update)
        if self.sticky and user_id is not None:
            first = user_id % len(self.backends)
        for attempt in range(len(self.backends)):
            index = (first + attempt) % len(self.backends)
            request = HTTPRequest(
                self.backends[index] + path,
                method="POST",
                body=body,
                headers=headers,
                request_timeout=self.request_timeout,
            )
            try:
                response = await self._client.fetch(request, raise_error=False)
            except ConnectionRefusedError:
                continue  # nobody listening: the request never reached a bot
            except (OSError, StreamClosedError, HTTPClientError):
                # No HTTP answer (reset, closed, timed out): the bot may have read and queued
                # the update before its process died.
                if routing is not None:
                    routing.maybe_seen_by.append(index)
                continue
            if 200 <= response.code < 300:
                self.forwarded[index] += 1
                if routing is not None and update_id is not None:
                    routing.accepted_by, routing.accepted_at = index, time.monotonic()
                    if self.on_accept is not None:
                        self.on_accept(update_id, index)
            return response.code
        return 502


def _json(body: bytes) -> dict:
    try:
        data = json.loads(body)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _user_id(update: dict) -> int | None:
    """The sender of an update (a message, a button press, a block), if any."""
    for kind in ("message", "edited_message", "callback_query", "my_chat_member"):
        sender = (update.get(kind) or {}).get("from") or {}
        if isinstance(sender.get("id"), int):
            return sender["id"]
    return None


class _Forward(tornado.web.RequestHandler):
    def initialize(self, balancer: Balancer) -> None:
        self.balancer = balancer

    async def post(self) -> None:
        headers = {k: v for k in _FORWARDED_HEADERS if (v := self.request.headers.get(k))}
        status = await self.balancer.forward(self.request.path, headers, self.request.body)
        self.set_status(status)
        self.finish()
