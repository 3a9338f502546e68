"""`pyk8s apiserver --workers 2` as a real process tree: one port served by two API servers on
shared storage (sqlite in shared mode by default, etcd), the supervisor's stop and failure
paths, and the lifeline that ends the workers of a SIGKILLed supervisor."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import orjson
import pytest

from pyk8s.testing.etcd import free_port

from ..server.conftest import alive

REPO = Path(__file__).resolve().parents[2]
# Generous: two interpreters start side by side on a loaded 2-core machine.
START_TIMEOUT = 90.0
SERVING_RE = re.compile(r"serving on (https://\S+) with 2 workers")
WORKER_RE = re.compile(rb'^pyk8s_apiserver_worker_info\{worker="(\d+)"\}', re.MULTILINE)


@dataclass
class Workers:
    """A running `pyk8s apiserver --workers 2` and how to reach it."""

    process: subprocess.Popen[bytes]
    data_dir: Path
    log: Path
    url: str = ""

    @property
    def kubeconfig(self) -> Path:
        return self.data_dir / "kubeconfig"

    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.data_dir / "pki" / "ca.crt"))

    def headers(self) -> dict[str, str]:
        token = (self.data_dir / "pki" / "admin.token").read_text().strip()
        return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def children(self) -> list[int]:
        """The worker processes (children of the supervisor, from /proc)."""
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    found.append(int(entry.name))
        return found

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def command(data_dir: Path, port: int, *flags: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pyk8s",
        "apiserver",
        "--workers",
        "2",
        "--data-dir",
        str(data_dir),
        "--port",
        str(port),
        *flags,
    ]


def start(tmp_path: Path, *flags: str, port: int = 0) -> Workers:
    """Start the supervisor and wait for the kubeconfig it writes once both workers are ready."""
    data_dir = tmp_path / f"data-{uuid.uuid4().hex[:6]}"
    log = tmp_path / f"{data_dir.name}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            command(data_dir, port, *flags), stdout=out, stderr=subprocess.STDOUT, cwd=REPO
        )
    workers = Workers(process, data_dir, log)
    deadline = time.monotonic() + START_TIMEOUT
    try:
        # The kubeconfig is written first, then the line naming the address is logged.
        while not (workers.kubeconfig.exists() and SERVING_RE.search(workers.output())):
            if process.poll() is not None:
                raise AssertionError(f"supervisor exited ({process.returncode}):\n{workers.output()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"not ready in time:\n{workers.output()}")
            time.sleep(0.05)
    except BaseException:
        kill_tree(workers)
        raise
    match = SERVING_RE.search(workers.output())
    assert match is not None
    workers.url = match.group(1)
    return workers


def kill_tree(workers: Workers) -> None:
    """Cleanup whatever happened: SIGKILL the supervisor and its workers."""
    pids = workers.children()
    if workers.process.poll() is None:
        workers.process.kill()
        workers.process.wait()
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def wait_gone(pids: list[int], timeout: float = 60.0) -> list[int]:
    """The pids still alive after `timeout` (an empty list as soon as all are gone)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        left = [pid for pid in pids if alive(pid)]
        if not left:
            return []
        time.sleep(0.05)
    return [pid for pid in pids if alive(pid)]


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Workers]:
    workers = start(tmp_path)
    try:
        yield workers
    finally:
        kill_tree(workers)


def fresh_session(workers: Workers) -> aiohttp.ClientSession:
    """A session opening a new connection for every request (the kernel picks a worker each time)."""
    connector = aiohttp.TCPConnector(ssl=workers.ssl_context(), force_close=True)
    return aiohttp.ClientSession(connector=connector, headers=workers.headers())


@pytest.fixture
async def fresh(running: Workers) -> AsyncIterator[aiohttp.ClientSession]:
    async with fresh_session(running) as session:
        yield session


async def worker_of(session: aiohttp.ClientSession, url: str) -> tuple[str, bytes]:
    """Which worker answered a /metrics scrape, and the scrape."""
    async with session.get(f"{url}/metrics") as resp:
        body = await resp.read()
        assert resp.status == 200, body
    match = WORKER_RE.search(body)
    assert match, body[:500]
    return match.group(1).decode(), body


async def create_configmap(session: aiohttp.ClientSession, url: str, namespace: str, name: str) -> dict:
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {"k": name}}
    async with session.post(
        f"{url}/api/v1/namespaces/{namespace}/configmaps", data=orjson.dumps(body)
    ) as resp:
        data = orjson.loads(await resp.read())
        assert resp.status == 201, data
        return data


async def check_shared_state(workers: Workers, session: aiohttp.ClientSession) -> None:
    """What one API server on two processes must give: both workers reached, a write seen at
    once by consistent reads on fresh connections, and a watch seeing every worker's writes."""
    seen: set[str] = set()
    for _ in range(200):  # the kernel spreads connections by a hash: both show up quickly
        worker, _ = await worker_of(session, workers.url)
        seen.add(worker)
        if seen == {"0", "1"}:
            break
    assert seen == {"0", "1"}

    namespace = f"w-{uuid.uuid4().hex[:6]}"
    body = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}}
    async with session.post(f"{workers.url}/api/v1/namespaces", data=orjson.dumps(body)) as resp:
        assert resp.status == 201, await resp.text()
    # Written through one worker, read at once (a consistent GET) on new connections.
    for i in range(12):
        await create_configmap(session, workers.url, namespace, f"direct-{i}")
        async with session.get(f"{workers.url}/api/v1/namespaces/{namespace}/configmaps/direct-{i}") as resp:
            assert resp.status == 200, await resp.text()
        async with session.get(f"{workers.url}/api/v1/namespaces/{namespace}/configmaps") as resp:
            names = {item["metadata"]["name"] for item in orjson.loads(await resp.read())["items"]}
            assert f"direct-{i}" in names

    async with session.get(f"{workers.url}/api/v1/namespaces/{namespace}/configmaps") as resp:
        rv = orjson.loads(await resp.read())["metadata"]["resourceVersion"]
    wanted = {f"watched-{i}" for i in range(20)}
    async with fresh_session(workers) as watch_session:
        path = f"/api/v1/namespaces/{namespace}/configmaps?watch=1&resourceVersion={rv}"
        async with watch_session.get(workers.url + path, timeout=aiohttp.ClientTimeout(total=120)) as stream:
            assert stream.status == 200
            for name in sorted(wanted):
                await create_configmap(session, workers.url, namespace, name)
            added: set[str] = set()
            while not wanted <= added:
                line = await asyncio.wait_for(stream.content.readline(), 60)
                assert line, f"watch ended early with {sorted(added)}"
                event = orjson.loads(line)
                assert event["type"] == "ADDED", event
                added.add(event["object"]["metadata"]["name"])
    # Both workers wrote: each one's own metrics count configmap creates.
    posts: dict[str, float] = {}
    for _ in range(200):
        worker, scrape = await worker_of(session, workers.url)
        posts[worker] = sum(
            float(line.rsplit(b" ", 1)[1])
            for line in scrape.splitlines()
            if line.startswith(b"apiserver_request_total{")
            and b'verb="CREATE"' in line
            and b'resource="configmaps"' in line
            and b'code="201"' in line
        )
        if len(posts) == 2:
            break
    assert len(posts) == 2 and all(count > 0 for count in posts.values()), posts


async def test_two_workers_serve_one_cluster_and_stop_cleanly(
    running: Workers, fresh: aiohttp.ClientSession
) -> None:
    from kubernetes import client, config

    api = client.CoreV1Api(config.new_client_from_config(config_file=str(running.kubeconfig)))
    names = {ns.metadata.name for ns in api.list_namespace().items}
    assert {"default", "kube-system", "kube-public", "kube-node-lease"} <= names
    api.api_client.close()

    await check_shared_state(running, fresh)

    children = running.children()
    assert len(children) == 2
    running.process.send_signal(signal.SIGTERM)
    assert await asyncio.to_thread(running.process.wait, 60) == 0, running.output()
    assert wait_gone(children) == []
    output = running.output()
    assert "worker 0: " in output and "worker 1: " in output


@pytest.mark.etcd
async def test_two_workers_on_etcd(tmp_path: Path, dedicated_etcd) -> None:
    workers = start(tmp_path, "--storage", dedicated_etcd.url)
    try:
        assert f"(storage {dedicated_etcd.url})" in workers.output()
        async with fresh_session(workers) as session:
            await check_shared_state(workers, session)
        workers.process.send_signal(signal.SIGTERM)
        assert await asyncio.to_thread(workers.process.wait, 60) == 0, workers.output()
    finally:
        kill_tree(workers)


def test_workers_end_with_a_killed_supervisor(running: Workers) -> None:
    children = running.children()
    assert len(children) == 2
    running.process.kill()
    running.process.wait()
    assert wait_gone(children) == [], running.output()
    assert "the supervisor is gone: shutting down" in running.output()


def test_a_dead_worker_stops_the_supervisor(running: Workers) -> None:
    children = sorted(running.children())
    assert len(children) == 2
    os.kill(children[1], signal.SIGKILL)
    assert running.process.wait(60) == 1
    assert wait_gone(children) == []
    assert re.search(r"worker \d exited \(exit code -9\): stopping the others", running.output())


def test_memory_storage_is_refused(tmp_path: Path) -> None:
    result = subprocess.run(
        command(tmp_path / "data", 0, "--storage", "memory://x"),
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "memory:// lives in one process" in result.stderr


def test_port_in_use_fails_before_starting_workers(tmp_path: Path) -> None:
    port = free_port()
    with socket.create_server(("127.0.0.1", port)):
        result = subprocess.run(
            command(tmp_path / "data", port),
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=60,
            check=False,
        )
    assert result.returncode == 1
    assert "Address already in use" in result.stderr
    assert not (tmp_path / "data" / "kubeconfig").exists()


def test_a_worker_failing_to_start_fails_the_command(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a directory")
    result = subprocess.run(
        command(tmp_path / "data", 0, "--storage", f"sqlite://{tmp_path}/file/state.db"),
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert re.search(r"pyk8s: worker \d: \[Errno \d+\]", result.stderr), result.stderr
    assert re.search(r"worker \d failed to start \(exit code 1\)", result.stderr), result.stderr
    assert not (tmp_path / "data" / "kubeconfig").exists()


@pytest.mark.etcd
async def test_api_servers_bootstrapping_at_once_all_start(tmp_path: Path, dedicated_etcd) -> None:
    """Three API servers on one empty store create the system objects at the same moment:
    every one of them starts (a lost race is AlreadyExists, or an allocated ClusterIP that the
    next attempt finds), and each object exists once."""
    from pyk8s.apiserver.admission import BuiltinAdmission
    from pyk8s.apiserver.app import ApiServerConfig, bootstrap
    from pyk8s.apiserver.server import ApiServer
    from pyk8s.kinds import builtin_strategies
    from pyk8s.storage import open_storage

    servers: list[ApiServer] = []
    try:
        for _ in range(3):
            storage = await open_storage(dedicated_etcd.url, retention=None)
            admission = BuiltinAdmission()
            server = ApiServer(storage, builtin_strategies(), admission=admission, cache_capacity=50)
            admission.bind(server)
            servers.append(server)
            await server.start()
        config = ApiServerConfig(data_dir=tmp_path)
        await asyncio.gather(*(bootstrap(server, config, "127.0.0.1", 6443) for server in servers))
        for server in servers:
            namespaces = server.endpoint("", "v1", "namespaces")
            services = server.endpoint("", "v1", "services")
            assert namespaces is not None and services is not None
            for name in ("default", "kube-system", "kube-public", "kube-node-lease"):
                await namespaces.storage.get("", name)
            service = await services.storage.get("default", "kubernetes")
            assert service["spec"]["clusterIP"] == "10.96.0.1"
    finally:
        for server in servers:
            await server.stop()
            await server.storage.aclose()


def test_sigterm_while_workers_start_stops_everything(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    log = tmp_path / "early.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(command(data_dir, 0), stdout=out, stderr=subprocess.STDOUT, cwd=REPO)
    workers = Workers(process, data_dir, log)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while len(workers.children()) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        children = workers.children()
        assert len(children) == 2, workers.output()
        process.send_signal(signal.SIGTERM)
        assert process.wait(60) == 0, workers.output()
        assert wait_gone(children) == []
    finally:
        kill_tree(workers)


def test_worker_storage_urls() -> None:
    from pyk8s.apiserver.workers import WorkersError, worker_storage_url

    data = Path("/var/pyk8s")
    assert worker_storage_url("", data, 2) == "sqlite:///var/pyk8s/state.db?shared=1"
    assert (
        worker_storage_url("sqlite:///x/s.db?synchronous=normal&shared=0", data, 2)
        == "sqlite:///x/s.db?synchronous=normal&shared=1"
    )
    assert worker_storage_url("etcd://127.0.0.1:2379", data, 2) == "etcd://127.0.0.1:2379"
    with pytest.raises(WorkersError, match="memory:// lives in one process"):
        worker_storage_url("memory://cluster", data, 3)


def test_port_reservation_refuses_a_port_another_server_shares() -> None:
    """Even a listener that itself allows SO_REUSEPORT (another pyk8s's workers) keeps the
    reservation out; once reserved, the workers' SO_REUSEPORT listeners join it."""
    from pyk8s.apiserver.workers import reserve_port

    other = socket.socket()
    other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    other.bind(("127.0.0.1", 0))
    other.listen()
    try:
        with pytest.raises(OSError):
            reserve_port("127.0.0.1", other.getsockname()[1]).close()
    finally:
        other.close()
    reservation = reserve_port("127.0.0.1", 0)
    listeners = []
    try:
        for _ in range(2):
            listener = socket.socket()
            listeners.append(listener)
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            listener.bind(("127.0.0.1", reservation.getsockname()[1]))
            listener.listen()
    finally:
        reservation.close()
        for listener in listeners:
            listener.close()
