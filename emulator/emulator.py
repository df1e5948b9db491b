"""BotApiEmulator: the server, the state and the user-facing handles, wired together."""

# Every wait in this API takes its own timeout by design (tests read better that way).
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import re
import socket
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import tornado.httpserver
import tornado.netutil

from .faults import FaultInjector
from .methods import ApiOptions, BotApi
from .ratelimit import RateLimiter, RateLimits
from .server import ApiCall, ApiServer
from .state import (
    BotUser,
    CallbackAnswer,
    CallbackQueryRecord,
    ChatEvent,
    ChatRecord,
    Clock,
    EmulatorState,
    UserRecord,
    WebhookConfig,
)
from .users import DEFAULT_TIMEOUT, EmulatedGroup, EmulatedUser
from .webhook import WebhookDeliverer

T = TypeVar("T")

DEFAULT_TOKEN = "123456:" + "A" * 35
_TOKEN_RE = re.compile(r"^(\d+):[A-Za-z0-9_-]+$")


class BotApiEmulator:
    """A Telegram Bot API server on 127.0.0.1 plus in-process Telegram users.

    Point python-telegram-bot at it with ``base_url=emu.base_url`` and
    ``base_file_url=emu.file_base_url``.
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        port: int = 0,
        host: str = "127.0.0.1",
        bot_username: str = "face_ritual_test_bot",
        bot_first_name: str = "Face Ritual (test)",
        rate_limits: bool | RateLimits = False,
        strict_ampersand: bool = True,
        callback_query_ttl: float = 15 * 60,
        webhook_redirect: str | None = None,
        webhook_retry_delay: float = 0.5,
    ) -> None:
        match = _TOKEN_RE.match(token)
        if match is None:
            raise ValueError("token must look like '123456:ABC-def_...'")
        if host not in {"127.0.0.1", "localhost"}:
            raise ValueError("the emulator only binds to the loopback interface")
        self.token = token
        self.host = host
        self._requested_port = port
        self.clock = Clock()
        self.bot_user = BotUser(int(match.group(1)), bot_first_name, bot_username)
        self.state = EmulatorState(self.bot_user, self.clock)
        self.api = BotApi(
            self.state,
            ApiOptions(strict_ampersand=strict_ampersand, callback_query_ttl=callback_query_ttl),
        )
        self.faults = FaultInjector()
        if rate_limits is True:
            rate_limits = RateLimits()
        self.rate_limiter = RateLimiter(rate_limits) if rate_limits else None
        self.calls: list[ApiCall] = []
        self.webhooks = WebhookDeliverer(
            self.state, redirect=webhook_redirect, retry_delay=webhook_retry_delay
        )
        self._server = ApiServer(self)
        self._http: tornado.httpserver.HTTPServer | None = None
        self._sockets: list[socket.socket] = []
        self._port: int | None = None
        self._users: dict[int, EmulatedUser] = {}
        self._groups: dict[int, EmulatedGroup] = {}
        self._listener_tasks: set[asyncio.Task[Any]] = set()

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> BotApiEmulator:
        if self._http is not None:
            return self
        self.state.closing = False
        self._sockets = tornado.netutil.bind_sockets(self._requested_port, self.host)
        self._port = self._sockets[0].getsockname()[1]
        self._http = tornado.httpserver.HTTPServer(self._server.application())
        self._http.add_sockets(self._sockets)
        self.webhooks.start()
        return self

    async def stop(self) -> None:
        if self._http is None:
            return
        # Release long polls first so their connections can finish cleanly.
        self.state.closing = True
        self.state.changed()
        await self.webhooks.stop()
        self._http.stop()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._http.close_all_connections(), timeout=2)
        self._http = None
        for task in list(self._listener_tasks):
            task.cancel()

    async def __aenter__(self) -> BotApiEmulator:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the emulator is not started")
        return self._port

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    @property
    def file_base_url(self) -> str:
        return f"http://{self.host}:{self.port}/file/bot"

    def method_url(self, method: str) -> str:
        return f"{self.base_url}{self.token}/{method}"

    # ------------------------------------------------------------------ users and chats

    def user(
        self,
        user_id: int,
        first_name: str | None = None,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> EmulatedUser:
        """The user with this id (created on first use; later calls may update fields)."""
        if user_id <= 0:
            raise ValueError("user ids are positive")
        record, _ = self.state.ensure_user(
            user_id,
            first_name=first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
        )
        handle = self._users.get(user_id)
        if handle is None:
            handle = self._users[user_id] = EmulatedUser(self, record)
        return handle

    def group(
        self, chat_id: int, title: str | None = None, *, type: str | None = None
    ) -> EmulatedGroup:
        """A group the bot is a member of; ids starting with -100 default to supergroups."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        self.state.ensure_group(chat_id, title, type)
        handle = self._groups.get(chat_id)
        if handle is None:
            handle = self._groups[chat_id] = EmulatedGroup(self, chat_id)
        return handle

    def _member_update(
        self, chat: ChatRecord, actor: UserRecord, old_status: str, new_status: str
    ) -> None:
        def member(status: str) -> dict[str, Any]:
            data: dict[str, Any] = {"status": status, "user": self.bot_user.to_api()}
            if status == "kicked":
                data["until_date"] = 0
            return data

        self.state.enqueue(
            "my_chat_member",
            {
                "chat": chat.to_api(),
                "from": actor.to_api(),
                "date": self.state.now(),
                "old_chat_member": member(old_status),
                "new_chat_member": member(new_status),
            },
        )
        kind = "blocked" if new_status == "kicked" else "unblocked"
        self.state.changed(ChatEvent(kind, chat.id))

    # ------------------------------------------------------------------ callback queries

    @property
    def callback_answers(self) -> dict[str, CallbackAnswer]:
        """query id -> how the bot answered it; unanswered queries are absent."""
        return {
            query_id: query.answer
            for query_id, query in self.state.callback_queries.items()
            if query.answer is not None
        }

    def unanswered_callback_queries(self) -> list[CallbackQueryRecord]:
        return [q for q in self.state.callback_queries.values() if q.answer is None]

    def callback_queries_answered_twice(self) -> list[CallbackQueryRecord]:
        """Queries the bot tried to answer again after answering them (each refused, as
        Telegram refuses it: 400 "query is too old ... or query ID is invalid")."""
        return [q for q in self.state.callback_queries.values() if q.repeated_answers]

    async def wait_for_callback_answer(
        self, query_id: str, *, timeout: float = DEFAULT_TIMEOUT
    ) -> CallbackAnswer:
        if query_id not in self.state.callback_queries:
            raise KeyError(f"no callback query {query_id!r} was sent")

        def probe() -> CallbackAnswer | None:
            return self.state.callback_queries[query_id].answer

        return await self._wait(probe, timeout, f"an answer to callback query {query_id}")

    # ------------------------------------------------------------------ API call log

    def calls_to(self, method: str) -> list[ApiCall]:
        name = method.lower()
        return [call for call in self.calls if call.method.lower() == name]

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[ApiCall], Any] | None = None,
        *,
        since: int = 0,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> ApiCall:
        """The first logged call to ``method`` at index >= ``since`` (e.g. len(emu.calls))."""
        name = method.lower()

        def probe() -> ApiCall | None:
            for call in self.calls[since:]:
                if call.method.lower() == name and (predicate is None or predicate(call)):
                    return call
            return None

        return await self._wait(probe, timeout, f"a {method} call")

    @property
    def served_429(self) -> int:
        """Every 429 answered so far, from rate limits and from injected faults alike."""
        return sum(1 for call in self.calls if call.error_code == 429)

    @property
    def rate_limit_hits(self) -> int:
        """429s caused by the rate limiter only (not by injected faults)."""
        return sum(1 for call in self.calls if call.error_code == 429 and call.fault is None)

    # ------------------------------------------------------------------ observing changes

    def on_change(
        self, callback: Callable[[ChatEvent], Awaitable[None] | None]
    ) -> Callable[[], None]:
        """Call ``callback(event)`` for every chat change; coroutine functions are scheduled
        as tasks. Returns a function that unsubscribes."""

        def listener(event: ChatEvent) -> None:
            result = callback(event)
            if inspect.isawaitable(result):
                task = asyncio.ensure_future(result)
                self._listener_tasks.add(task)
                task.add_done_callback(self._listener_tasks.discard)

        return self.state.add_listener(listener)

    def events(self) -> asyncio.Queue[ChatEvent]:
        """A queue receiving every chat event from now on (new/edited/deleted messages,
        callback answers, chat actions, block/unblock)."""
        queue: asyncio.Queue[ChatEvent] = asyncio.Queue()
        self.state.add_listener(queue.put_nowait)
        return queue

    # ------------------------------------------------------------------ misc inspection

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by the bot (what getUpdates would return)."""
        return [update.to_api() for update in self.state.updates]

    @property
    def webhook(self) -> WebhookConfig | None:
        return self.state.webhook

    def commands(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[tuple[str, str]]:
        """Commands stored for exactly this scope and language (like getMyCommands)."""
        key = (json.dumps(scope or {"type": "default"}, sort_keys=True), language_code)
        return [(c["command"], c["description"]) for c in self.state.commands.get(key, [])]

    def visible_commands(
        self, chat_id: int, language_code: str | None = None
    ) -> list[tuple[str, str]]:
        """The menu a chat shows: Telegram's scope fallback from narrowest to default."""
        chat = self.state.chats.get(chat_id)
        scopes: list[dict[str, Any]] = [{"type": "chat", "chat_id": chat_id}]
        if chat is not None and chat.type != "private":
            scopes.append({"type": "all_group_chats"})
        else:
            scopes.append({"type": "all_private_chats"})
        scopes.append({"type": "default"})
        languages = [language_code, ""] if language_code else [""]
        for scope in scopes:
            for language in languages:
                found = self.commands(scope, language)
                if found:
                    return found
        return []

    def advance_time(self, seconds: float) -> None:
        """Move the emulator's clock forward (message dates, callback query expiry)."""
        self.clock.advance(seconds)
        self.state.changed()

    def file_bytes(self, file_id: str) -> bytes:
        return self.state.files[file_id].data

    def expire_file(self, file_id: str) -> None:
        """Refuse `file_id` from now on when a bot sends it again ("wrong file identifier"),
        as Telegram may for a file it no longer holds; messages showing it stay as they are."""
        self.state.expired_files.add(file_id)

    async def _wait(self, probe: Callable[[], T | None], timeout: float, what: str) -> T:
        try:
            return await self.state.notifier.wait_for(probe, timeout)
        except TimeoutError:
            recent = "\n".join(
                f"  {c.method} -> {'ok' if c.ok else f'{c.error_code} {c.description}'}"
                for c in self.calls[-8:]
            )
            raise TimeoutError(
                f"timed out after {timeout:g}s waiting for {what}\nlast API calls:\n"
                f"{recent or '  (none)'}"
            ) from None

    def __repr__(self) -> str:
        where = f"{self.host}:{self._port}" if self._port else "not started"
        return f"<BotApiEmulator @{self.bot_user.username} {where}>"
