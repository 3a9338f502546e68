"""The REST client's connections: a burst of requests reuses a capped, warm pool; watches have
their own pool so they never starve requests; the retry backoff exists only once a request
failed. A real API server runs in this process, behind a loopback TCP forwarder that counts
the connections the client opens (TLS passes through it untouched)."""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from pyk8s._aio.clock import FakeClock
from pyk8s.apiserver.app import ApiServerConfig, RunningServer, start_apiserver
from pyk8s.apiserver.certs import ensure_pki
from pyk8s.client import Client, ClientConfig, ClientError, rest
from pyk8s.client.kubeconfig import load_kubeconfig
from pyk8s.client.resources import CONFIGMAPS, NAMESPACES
from pyk8s.client.watch import EventType
from pyk8s.testing.etcd import free_port

WAIT = 60.0  # generous: the machine may be loaded; outcomes are awaited, never timed


class ConnectionCounter:
    """A loopback TCP forwarder to `port` that counts the connections accepted."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.opened = 0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        return int(self._server.sockets[0].getsockname()[1])

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.opened += 1
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.port)
        pipes = [
            asyncio.create_task(_pipe(reader, up_writer)),
            asyncio.create_task(_pipe(up_reader, writer)),
        ]
        self._tasks.update(pipes)
        try:
            await asyncio.wait(pipes, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in pipes:
                task.cancel()
                self._tasks.discard(task)
            for w in (writer, up_writer):
                w.close()

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass


@pytest.fixture(scope="module")
def pki_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("t2-pki") / "pki"
    ensure_pki(directory)
    return directory


@pytest.fixture
async def apiserver(tmp_path: Path, pki_template: Path) -> AsyncIterator[RunningServer]:
    shutil.copytree(pki_template, tmp_path / "data" / "pki")
    config = ApiServerConfig(data_dir=tmp_path / "data", port=0, storage_url=f"memory://{uuid.uuid4().hex}")
    running = await start_apiserver(config)
    try:
        yield running
    finally:
        await running.stop()


@pytest.fixture
async def counted(apiserver: RunningServer) -> AsyncIterator[tuple[ConnectionCounter, ClientConfig]]:
    """The forwarder and a kubeconfig (admin client certificate) pointing at it."""
    config = load_kubeconfig(apiserver.kubeconfig)
    counter = ConnectionCounter(int(apiserver.url.rsplit(":", 1)[1].rstrip("/")))
    port = await counter.start()
    try:
        yield counter, dataclasses.replace(config, server=f"https://127.0.0.1:{port}")
    finally:
        await counter.close()


def configmap(name: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": "default"}}


async def test_bursts_reuse_a_capped_pool(counted: tuple[ConnectionCounter, ClientConfig]) -> None:
    counter, config = counted
    async with Client(config, max_connections=4) as client:
        async with asyncio.timeout(WAIT):
            for _ in range(3):
                found = await asyncio.gather(*(client.get(NAMESPACES, "default") for _ in range(40)))
                assert {ns["metadata"]["name"] for ns in found} == {"default"}
    # 120 requests in bursts of 40, over at most 4 connections (one TLS handshake each)
    assert 1 <= counter.opened <= 4


async def test_watches_do_not_take_request_connections(
    counted: tuple[ConnectionCounter, ClientConfig],
) -> None:
    _, config = counted
    names = {f"cm-{i}" for i in range(8)}
    async with Client(config, max_connections=2) as client:
        seen: list[set[str]] = [set() for _ in range(5)]
        everything = asyncio.Event()

        async def follow(index: int, opened: asyncio.Event) -> None:
            async with client.watch(CONFIGMAPS, namespace="default", resource_version="0") as events:
                opened.set()
                async for event in events:
                    if event.type is EventType.ADDED:
                        seen[index].add(event.object["metadata"]["name"])
                    if all(s >= names for s in seen):
                        everything.set()

        async with asyncio.timeout(WAIT):
            # more open watches than the request pool has connections
            opened = [asyncio.Event() for _ in seen]
            watchers = [asyncio.create_task(follow(i, e)) for i, e in enumerate(opened)]
            try:
                await asyncio.gather(*(e.wait() for e in opened))
                await asyncio.gather(*(client.create(CONFIGMAPS, configmap(n)) for n in sorted(names)))
                await everything.wait()
                listed = await client.list(CONFIGMAPS, namespace="default")
            finally:
                for task in watchers:
                    task.cancel()
                await asyncio.gather(*watchers, return_exceptions=True)
    assert {cm["metadata"]["name"] for cm in listed["items"]} >= names


async def test_a_closed_client_reopens_both_pools(counted: tuple[ConnectionCounter, ClientConfig]) -> None:
    _, config = counted
    client = Client(config, max_connections=1)
    try:
        async with asyncio.timeout(WAIT):
            for round_ in range(2):
                await client.create(CONFIGMAPS, configmap(f"round-{round_}"))
                async with client.watch(CONFIGMAPS, namespace="default", resource_version="0") as events:
                    async for event in events:
                        if event.object["metadata"]["name"] == f"round-{round_}":
                            break
                await client.aclose()
    finally:
        await client.aclose()


class InstantClock(FakeClock):
    """A fake clock whose sleeps pass at once."""

    async def sleep(self, seconds: float) -> None:
        self.advance(max(0.0, seconds))
        await asyncio.sleep(0)


async def test_backoff_is_built_only_after_a_failure(
    monkeypatch: pytest.MonkeyPatch, counted: tuple[ConnectionCounter, ClientConfig]
) -> None:
    built: list[rest.Backoff] = []

    class CountedBackoff(rest.Backoff):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            built.append(self)

    monkeypatch.setattr(rest, "Backoff", CountedBackoff)
    _, config = counted
    async with Client(config) as client, asyncio.timeout(WAIT):
        for _ in range(5):
            await client.get(NAMESPACES, "default")
    assert built == []

    # nothing listens: every attempt is refused, retried with one backoff, then reported
    refused = ClientConfig(server=f"http://127.0.0.1:{free_port()}")
    async with Client(refused, clock=InstantClock()) as client, asyncio.timeout(WAIT):
        with pytest.raises(ClientError):
            await client.get(NAMESPACES, "default")
    assert len(built) == 1
