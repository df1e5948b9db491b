"""The HTTP side: routing, request decoding, the JSON envelope, faults, rate limits, call log.

Order of a call mirrors where things happen in reality: the token and method are checked by
Telegram's front end, network faults happen before the server sees the request (or after it
answered, for a lost response), flood control is applied before the method runs.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
import logging
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import tornado.httputil
import tornado.web

from . import errors as E
from .errors import ApiError, bad_request, too_many_requests
from .faults import FaultRule
from .methods import CallContext
from .params import Params, Upload

if TYPE_CHECKING:
    from .emulator import BotApiEmulator

log = logging.getLogger(__name__)

_TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]+$")

# A request header the emulator keeps in the call log (ApiCall.note) and Telegram would ignore:
# a test harness inside the bot uses it to say what the bot was doing when it made the call.
NOTE_HEADER = "X-Emulator-Note"

# What nginx in front of Telegram returns when the backend is down: not JSON on purpose.
BAD_GATEWAY_HTML = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)


@dataclass(frozen=True)
class ApiCall:
    """One request as the emulator saw it. ``at`` is time.monotonic() when it arrived.

    ``fault`` names the injected fault that shaped the outcome, if any. For "drop" and
    "lost_response" the client got no answer at all; ``ok``/``result`` say what the server
    did (nothing, or the work that the client never heard about). ``note`` is the request's
    ``X-Emulator-Note`` header, if it had one.
    """

    method: str
    params: dict[str, Any]
    ok: bool
    error_code: int | None
    description: str | None
    at: float
    fault: str | None = None
    result: Any = None
    duration: float = 0.0
    note: str | None = None

    @property
    def chat_id(self) -> int | None:
        try:
            chat_id: Any = self.params.get("chat_id")  # None is a TypeError, caught below
            return int(chat_id)
        except (TypeError, ValueError):
            return None


def decode_request(request: tornado.httputil.HTTPServerRequest) -> Params:
    values: dict[str, Any] = {
        name: raw[-1].decode("utf-8", "replace") for name, raw in request.query_arguments.items()
    }
    content_type = request.headers.get("Content-Type", "")
    if content_type.startswith("application/json"):
        if request.body.strip():
            try:
                body = json.loads(request.body)
            except ValueError:
                raise bad_request("Bad Request: can't parse JSON request body") from None
            if not isinstance(body, dict):
                raise bad_request("Bad Request: JSON request body must be an object")
            values.update(body)
    else:
        for name, raw in request.body_arguments.items():
            values[name] = raw[-1].decode("utf-8", "replace")
    uploads = {
        name: Upload(parts[0].filename, parts[0].body, parts[0].content_type)
        for name, parts in request.files.items()
        if parts
    }
    return Params(values, uploads)


class ApiServer:
    def __init__(self, emulator: BotApiEmulator) -> None:
        self.emu = emulator

    def application(self) -> tornado.web.Application:
        return tornado.web.Application(
            [
                (r"/bot(?P<token>[^/]+)/(?P<method>[A-Za-z0-9_]+)/?", ApiHandler, {"server": self}),
                (r"/file/bot(?P<token>[^/]+)/(?P<path>.+)", FileHandler, {"server": self}),
                (r"/", IndexHandler, {"server": self}),
            ],
            log_function=_quiet_log,
        )

    def token_error(self, token: str) -> ApiError | None:
        if token == self.emu.token:
            return None
        # Telegram: a malformed token is 404, a well-formed but unknown one is 401.
        if _TOKEN_RE.match(token):
            return ApiError(401, E.UNAUTHORIZED)
        return ApiError(404, E.NOT_FOUND)

    def record(self, call: ApiCall) -> None:
        self.emu.calls.append(call)
        self.emu.state.changed()

    async def handle(self, handler: ApiHandler, token: str, method: str) -> None:
        started = time.monotonic()
        params: Params | None = None

        def finish(
            ok: bool,
            *,
            code: int | None = None,
            description: str | None = None,
            result: Any = None,
            fault: FaultRule | None = None,
        ) -> None:
            self.record(
                ApiCall(
                    method=canonical,
                    params=params.as_log() if params is not None else {},
                    ok=ok,
                    error_code=code,
                    description=description,
                    at=started,
                    fault=fault.kind if fault else None,
                    result=result,
                    duration=time.monotonic() - started,
                    note=handler.request.headers.get(NOTE_HEADER),
                )
            )

        canonical = method
        failure = self.token_error(token)
        found = self.emu.api.lookup(method) if failure is None else None
        if failure is None and found is None:
            if method.lower() in _real_methods():
                # Real Telegram would do something here; a 404 would reach the bot as a
                # baffling InvalidToken, so say plainly what is missing.
                log.warning("the bot called %s, which the emulator does not implement", method)
                failure = bad_request(
                    f"Bad Request: method {method} is not implemented by the Bot API emulator"
                )
            else:
                failure = ApiError(404, E.NOT_FOUND)
        if failure is None:
            assert found is not None  # without a method, `failure` says so above
            canonical, function = found
            try:
                params = decode_request(handler.request)
            except ApiError as exc:
                failure = exc
        if failure is not None:
            handler.send_error_payload(failure)
            finish(False, code=failure.code, description=failure.description)
            return
        assert params is not None

        chat_id = params.get("chat_id")
        rule = self.emu.faults.take(canonical, chat_id)
        if rule is not None:
            if rule.kind == "slow":
                await asyncio.sleep(rule.delay)
            elif rule.kind == "drop":
                handler.drop_connection()
                finish(False, description="connection dropped (fault)", fault=rule)
                return
            elif rule.kind == "502":
                handler.send_html(502, BAD_GATEWAY_HTML)
                finish(False, code=502, description="Bad Gateway (fault)", fault=rule)
                return
            elif rule.kind != "lost_response":
                failure = {
                    "429": too_many_requests(rule.retry_after),
                    "403": ApiError(403, E.BOT_BLOCKED),
                    "500": ApiError(500, E.INTERNAL_SERVER_ERROR),
                }[rule.kind]
                handler.send_error_payload(failure)
                finish(False, code=failure.code, description=failure.description, fault=rule)
                return

        limiter = self.emu.rate_limiter
        if limiter is not None:
            retry_after = limiter.check(canonical, _as_int(chat_id), time.monotonic())
            if retry_after:
                failure = too_many_requests(retry_after)
                handler.send_error_payload(failure)
                finish(False, code=429, description=failure.description)
                return

        context = CallContext(client_gone=lambda: handler.client_gone)
        try:
            result = function(params, context)
            if inspect.isawaitable(result):
                result = await result
        except ApiError as exc:
            handler.send_error_payload(exc)
            finish(False, code=exc.code, description=exc.description, fault=rule)
            return
        except Exception:
            log.exception("emulator bug while handling %s", canonical)
            failure = ApiError(500, E.INTERNAL_SERVER_ERROR)
            handler.send_error_payload(failure)
            finish(False, code=500, description=failure.description)
            return

        if rule is not None and rule.kind == "lost_response":
            handler.drop_connection()
            finish(True, result=result, fault=rule, description="response lost (fault)")
            return
        handler.send_json(200, {"ok": True, "result": result})
        finish(True, result=result, fault=rule)


@functools.cache
def _real_methods() -> frozenset[str]:
    """Bot API method names, taken from PTB's camelCase aliases on telegram.Bot."""
    try:
        import telegram
    except ImportError:  # pragma: no cover - PTB is a dependency of the project
        return frozenset()
    return frozenset(
        name.lower()
        for name in dir(telegram.Bot)
        if re.match(r"^[a-z]+[A-Z]\w*$", name) and callable(getattr(telegram.Bot, name))
    )


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _quiet_log(handler: tornado.web.RequestHandler) -> None:
    # Telegram-level errors are normal in tests and already in emu.calls; keep stderr clean.
    log.debug("%s %s -> %s", handler.request.method, handler.request.uri, handler.get_status())


class _BaseHandler(tornado.web.RequestHandler):
    server: ApiServer

    def initialize(self, server: ApiServer) -> None:
        self.server = server
        self.client_gone = False

    def on_connection_close(self) -> None:
        # A long poll whose client went away must stop waiting for updates it cannot deliver.
        self.client_gone = True
        self.server.emu.state.changed()

    def check_xsrf_cookie(self) -> None:  # an API, not a browser form
        return None

    def send_json(self, status: int, payload: dict[str, Any]) -> None:
        if self.client_gone:
            return
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(payload, ensure_ascii=False))

    def send_error_payload(self, error: ApiError) -> None:
        self.send_json(error.code, error.payload())

    def send_html(self, status: int, body: str) -> None:
        if self.client_gone:
            return
        self.set_status(status)
        self.set_header("Content-Type", "text/html")
        self.finish(body)

    def drop_connection(self) -> None:
        if self.client_gone:
            return
        stream = self.detach()
        stream.close()


class ApiHandler(_BaseHandler):
    async def get(self, token: str, method: str) -> None:
        await self.server.handle(self, token, method)

    async def post(self, token: str, method: str) -> None:
        await self.server.handle(self, token, method)


class FileHandler(_BaseHandler):
    async def get(self, token: str, path: str) -> None:
        failure = self.server.token_error(token)
        if failure is not None:
            self.send_error_payload(failure)
            return
        stored = self.server.emu.state.files_by_path.get(path)
        if stored is None:
            self.send_error_payload(ApiError(404, E.NOT_FOUND))
            return
        self.set_header("Content-Type", stored.mime_type or "application/octet-stream")
        self.finish(stored.data)


class IndexHandler(_BaseHandler):
    async def get(self) -> None:
        self.set_header("Content-Type", "text/plain")
        self.finish(
            f"Telegram Bot API emulator for @{self.server.emu.bot_user.username}\n"
            f"base_url: {self.server.emu.base_url}\n"
        )
