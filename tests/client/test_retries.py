"""Retries: 429 with Retry-After, lost connections for reads, refused connections, and what is
never retried. A tiny aiohttp stand-in on loopback plays the server, since a real API
server rarely sends 429 or drops connections on purpose."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import orjson
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from pyk8s._aio.clock import FakeClock
from pyk8s.api.errors import InternalError, TooManyRequestsError
from pyk8s.client import Client, ClientConfig, ClientError
from pyk8s.client.resources import CONFIGMAPS
from pyk8s.testing.etcd import free_port


class InstantClock(FakeClock):
    """A fake clock whose sleeps pass at once (and are recorded)."""

    def __init__(self) -> None:
        super().__init__()
        self.slept: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.advance(max(0.0, seconds))
        await asyncio.sleep(0)


def status(code: int, reason: str, message: str, **details: Any) -> bytes:
    body = {
        "kind": "Status",
        "apiVersion": "v1",
        "status": "Failure",
        "code": code,
        "reason": reason,
        "message": message,
    }
    if details:
        body["details"] = details
    return orjson.dumps(body)


Handler = Callable[[web.Request, int], Any]


@pytest.fixture
async def stand_in() -> AsyncIterator[Callable[[Handler], Any]]:
    """Start a stand-in server answering with `handler(request, n)` (n counts requests from 1);
    returns a client for it (on an InstantClock) and the methods it received."""
    servers: list[TestServer] = []
    clients: list[Client] = []

    async def start(handler: Handler) -> tuple[Client, list[str]]:
        seen: list[str] = []

        async def handle(request: web.Request) -> web.StreamResponse:
            seen.append(request.method)
            return await handler(request, len(seen))

        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", handle)
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        servers.append(server)
        client = Client(ClientConfig(server=str(server.make_url("")).rstrip("/")), clock=InstantClock())
        clients.append(client)
        return client, seen

    yield start
    for client in clients:
        await client.aclose()
    for server in servers:
        await server.close()


OK = orjson.dumps(
    {"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"name": "a", "namespace": "default"}}
)


async def test_429_is_retried_after_retry_after(stand_in: Callable[[Handler], Any]) -> None:
    async def handler(request: web.Request, n: int) -> web.Response:
        if n < 3:
            return web.Response(
                status=429,
                body=status(429, "TooManyRequests", "slow down", retryAfterSeconds=2),
                headers={"Retry-After": "2"},
                content_type="application/json",
            )
        return web.Response(body=OK, content_type="application/json")

    client, seen = await stand_in(handler)
    created = await client.create(CONFIGMAPS, {"metadata": {"name": "a", "namespace": "default"}})
    assert created["metadata"]["name"] == "a"
    assert seen == ["POST", "POST", "POST"]  # a 429 was never processed: writes retry too
    assert client.clock.slept.count(2.0) == 2  # type: ignore[attr-defined]


async def test_429_gives_up_after_ten_retries(stand_in: Callable[[Handler], Any]) -> None:
    async def handler(request: web.Request, n: int) -> web.Response:
        return web.Response(
            status=429,
            body=status(429, "TooManyRequests", "busy", retryAfterSeconds=1),
            content_type="application/json",
        )

    client, seen = await stand_in(handler)
    with pytest.raises(TooManyRequestsError) as err:
        await client.get(CONFIGMAPS, "a", namespace="default")
    assert err.value.retry_after == 1
    assert len(seen) == 11


async def test_a_5xx_with_retry_after_is_retried_for_reads_only(stand_in: Callable[[Handler], Any]) -> None:
    async def handler(request: web.Request, n: int) -> web.Response:
        if n == 1 or request.method == "DELETE":
            return web.Response(
                status=503,
                body=status(503, "ServiceUnavailable", "starting"),
                headers={"Retry-After": "1"},
                content_type="application/json",
            )
        if n == 2:
            return web.Response(
                status=500, body=status(500, "InternalError", "bug"), content_type="application/json"
            )
        return web.Response(body=OK, content_type="application/json")

    client, seen = await stand_in(handler)
    with pytest.raises(InternalError):  # the retry got a 500 without Retry-After: final
        await client.get(CONFIGMAPS, "a", namespace="default")
    assert seen == ["GET", "GET"]
    with pytest.raises(Exception) as err:
        await client.delete(CONFIGMAPS, "a", namespace="default")
    assert getattr(err.value, "code", None) == 503
    assert seen[2:] == ["DELETE"]


async def test_a_lost_connection_is_retried_for_reads(stand_in: Callable[[Handler], Any]) -> None:
    async def handler(request: web.Request, n: int) -> web.Response:
        if n == 1:
            assert request.transport is not None
            request.transport.close()  # drop the connection without answering
            await asyncio.sleep(0.05)
        return web.Response(body=OK, content_type="application/json")

    client, seen = await stand_in(handler)
    assert (await client.get(CONFIGMAPS, "a", namespace="default"))["metadata"]["name"] == "a"
    assert seen == ["GET", "GET"]


async def test_a_lost_connection_is_not_retried_for_writes(stand_in: Callable[[Handler], Any]) -> None:
    async def handler(request: web.Request, n: int) -> web.Response:
        assert request.transport is not None
        request.transport.close()  # the write may or may not have happened
        await asyncio.sleep(0.05)
        return web.Response(body=OK, content_type="application/json")

    client, seen = await stand_in(handler)
    with pytest.raises(ClientError):
        await client.create(CONFIGMAPS, {"metadata": {"name": "a", "namespace": "default"}})
    assert seen == ["POST"]


async def test_a_refused_connection_is_retried_with_backoff_then_fails() -> None:
    clock = InstantClock()
    async with Client(ClientConfig(server=f"http://127.0.0.1:{free_port()}"), clock=clock) as client:
        with pytest.raises(ClientError):
            await client.create(CONFIGMAPS, {"metadata": {"name": "a", "namespace": "default"}})
    delays = clock.slept
    assert len(delays) == 5
    assert delays == sorted(delays)


async def test_a_non_status_error_body_still_maps_to_its_code(stand_in: Callable[[Handler], Any]) -> None:
    async def handler(request: web.Request, n: int) -> web.Response:
        return web.Response(status=404, text="404 page not found")

    client, _ = await stand_in(handler)
    with pytest.raises(Exception) as err:
        await client.request("GET", "/nope")
    assert getattr(err.value, "code", None) == 404
    assert "404 page not found" in str(err.value)
