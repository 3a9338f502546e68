"""Shared fixtures: real etcd on loopback for the whole session, storage backends by name."""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pyk8s.storage import Storage, StorageEvent, open_storage
from pyk8s.testing.etcd import EtcdServer, find_etcd

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_binary(name: str, found: str | None, package: str) -> str:
    """Skip (with the reason) when a real component is missing; in CI a missing one fails."""
    if found:
        return found
    message = f"{name} not found: install Debian's {package}"
    if IN_CI:
        pytest.fail(f"{message} (CI must run every tier)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def etcd_server() -> Iterator[EtcdServer]:
    require_binary("etcd", find_etcd(), "etcd-server")
    server = EtcdServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def dedicated_etcd() -> Iterator[EtcdServer]:
    """An etcd of the test's own, for tests that kill or restart it."""
    require_binary("etcd", find_etcd(), "etcd-server")
    server = EtcdServer().start()
    try:
        yield server
    finally:
        server.stop()


_counter = itertools.count()


@dataclass
class Backend:
    """A storage backend under test: `open()` returns a started store on the same data."""

    name: str
    url: str
    root: str  # a key prefix no other test uses (etcd is shared by the session)
    etcd: EtcdServer | None = None
    opened: list[Storage] = field(default_factory=list)

    async def open(self) -> Storage:
        store = await open_storage(self.url, retention=None)
        self.opened.append(store)
        return store

    def key(self, name: str) -> str:
        return self.root + name


BACKENDS = ["memory", "sqlite", "sqlite-shared", pytest.param("etcd", marks=pytest.mark.etcd)]


def make_backend(name: str, tmp_path: Path, request: pytest.FixtureRequest) -> Backend:
    root = f"/registry/t{next(_counter)}/"
    if name == "memory":
        return Backend(name, f"memory://{uuid.uuid4().hex}", root)
    if name == "sqlite":
        return Backend(name, f"sqlite://{tmp_path}/state.db", root)
    if name == "sqlite-shared":
        return Backend(name, f"sqlite://{tmp_path}/state.db?shared=1", root)
    server: EtcdServer = request.getfixturevalue("etcd_server")
    return Backend(name, server.url, root, etcd=server)


@pytest.fixture(params=BACKENDS)
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Backend]:
    b = make_backend(request.param, tmp_path, request)
    try:
        yield b
    finally:
        for store in b.opened:
            await store.aclose()


@pytest.fixture
async def store(backend: Backend) -> Storage:
    return await backend.open()


async def eventually(predicate: Callable[[], Awaitable[bool]], *, timeout: float = 10.0) -> None:
    """Wait until `predicate()` is true (polling briefly), or fail."""
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await predicate():
        if loop.time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.01)


async def collect(stream: Any, count: int, *, timeout: float = 10.0) -> list[StorageEvent]:
    """Read exactly `count` events from a storage watch stream (or fail after `timeout`)."""
    import asyncio

    events: list[StorageEvent] = []

    async def run() -> None:
        async for batch in stream:
            events.extend(batch)
            if len(events) >= count:
                return

    await asyncio.wait_for(run(), timeout)
    return events
