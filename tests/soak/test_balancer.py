"""The soak's load balancer: round robin, skipping an instance that is down, and a record of
which instance accepted each update (what tells an update lost in a kill)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import tornado.httpserver
import tornado.netutil
import tornado.web

from tests.soak.balancer import Balancer
from tests.support.bot import free_port


class _Accept(tornado.web.RequestHandler):
    def initialize(self, seen: list[int]) -> None:
        self.seen = seen

    def post(self) -> None:
        self.seen.append(json.loads(self.request.body)["update_id"])
        self.finish()


@asynccontextmanager
async def backend() -> AsyncIterator[tuple[str, list[int]]]:
    seen: list[int] = []
    sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
    server = tornado.httpserver.HTTPServer(
        tornado.web.Application([(r"/.*", _Accept, {"seen": seen})])
    )
    server.add_sockets(sockets)
    try:
        yield f"http://127.0.0.1:{sockets[0].getsockname()[1]}", seen
    finally:
        server.stop()


@asynccontextmanager
async def dropper() -> AsyncIterator[str]:
    """Reads a request and closes the connection without answering (a process dying)."""

    async def drop(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(100)
        writer.close()

    server = await asyncio.start_server(drop, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    finally:
        server.close()


def update(update_id: int, user_id: int = 7) -> dict:
    return {"update_id": update_id, "message": {"from": {"id": user_id}, "text": "/help"}}


async def post_all(balancer: Balancer, updates: list[dict]) -> list[int]:
    url = await balancer.start()
    try:
        async with httpx.AsyncClient() as client:
            return [(await client.post(url + "/hook", json=u)).status_code for u in updates]
    finally:
        balancer.stop()


async def test_updates_go_round_robin_and_skip_an_instance_that_is_down():
    down = f"http://127.0.0.1:{free_port()}"
    async with backend() as (first, first_seen), backend() as (second, second_seen):
        balancer = Balancer([first, down, second])
        codes = await post_all(balancer, [update(n) for n in range(1, 7)])
    assert codes == [200] * 6
    assert sorted(first_seen + second_seen) == [1, 2, 3, 4, 5, 6]
    assert len(first_seen) >= 2 and len(second_seen) >= 2
    assert balancer.forwarded[1] == 0
    # A refused connection never reached a bot: not "maybe seen".
    assert all(balancer.routes[n].maybe_seen_by == [] for n in range(1, 7))
    assert {balancer.routes[n].accepted_by for n in first_seen} == {0}


async def test_an_instance_that_drops_the_request_may_have_seen_it():
    async with dropper() as dying, backend() as (live, seen):
        balancer = Balancer([dying, live])
        accepted = []
        balancer.on_accept = lambda update_id, index: accepted.append((update_id, index))
        codes = await post_all(balancer, [update(1)])
    assert codes == [200] and seen == [1]
    assert balancer.routes[1].maybe_seen_by == [0]
    assert accepted == [(1, 1)]


async def test_when_no_instance_answers_the_update_is_refused_for_a_retry():
    balancer = Balancer([f"http://127.0.0.1:{free_port()}"])
    assert await post_all(balancer, [update(1)]) == [502]
    assert balancer.routes[1].accepted_by is None


async def test_sticky_routing_keeps_a_user_on_one_instance():
    async with backend() as (first, first_seen), backend() as (second, second_seen):
        balancer = Balancer([first, second], sticky=True)
        await post_all(balancer, [update(n, user_id=9) for n in range(1, 5)])
    assert (first_seen, second_seen) == ([], [1, 2, 3, 4])
