"""Is the API server up? Its kubeconfig says where it serves; `GET /readyz` says `ok`.

The API server writes `DATA_DIR/kubeconfig` once it serves, so the supervisor removes the
previous run's file before starting it and waits for the new one (which also covers
`--port 0`). The probe is a bare HTTPS request over asyncio streams: the supervisor stays
free of HTTP client imports, so `pyk8s up` is quick to start.
"""

from __future__ import annotations

import asyncio
import base64
import ssl
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from pyk8s._aio.clock import Clock

POLL_SECONDS = 0.02
PROBE_TIMEOUT_SECONDS = 2.0


class ApiServerExitedError(Exception):
    """The API server process ended before it became ready."""


def read_kubeconfig(path: Path) -> tuple[str, ssl.SSLContext | None] | None:
    """(server URL, TLS context trusting the cluster CA) of the kubeconfig's current
    cluster, or None while the file is missing or still being written."""
    try:
        data = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError):
        return None
    if not isinstance(data, dict):
        return None
    current = data.get("current-context")
    cluster_name = next(
        (c.get("context", {}).get("cluster") for c in data.get("contexts") or [] if c.get("name") == current),
        None,
    )
    clusters = [c for c in data.get("clusters") or [] if isinstance(c, dict)]
    cluster = next((c for c in clusters if c.get("name") == cluster_name), clusters[0] if clusters else None)
    details = (cluster or {}).get("cluster") or {}
    server = details.get("server")
    if not server:
        return None
    context: ssl.SSLContext | None = None
    if server.startswith("https://"):
        ca = details.get("certificate-authority-data")
        try:
            context = ssl.create_default_context(cadata=base64.b64decode(ca).decode() if ca else None)
        except (ValueError, ssl.SSLError):
            return None
    return server, context


async def probe_readyz(
    server: str, context: ssl.SSLContext | None, *, timeout: float = PROBE_TIMEOUT_SECONDS
) -> bool:
    """True if `GET <server>/readyz` answers 200 `ok`."""
    url = urlsplit(server)
    host = url.hostname or "127.0.0.1"
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(host, port, ssl=context)
            try:
                writer.write(
                    f"GET /readyz HTTP/1.1\r\nHost: {url.netloc}\r\nConnection: close\r\n\r\n".encode()
                )
                await writer.drain()
                response = await reader.read()
            finally:
                writer.close()
    except (OSError, TimeoutError, ssl.SSLError):
        return False
    head, _, body = response.partition(b"\r\n\r\n")
    return head.split(b" ", 2)[1:2] == [b"200"] and body.strip().endswith(b"ok")


async def wait_until_ready(
    kubeconfig: Path, *, alive: Callable[[], bool], clock: Clock, timeout: float
) -> str:
    """Wait for the kubeconfig and a ready answer; the server URL. Raises
    ApiServerExitedError if the process died, TimeoutError after `timeout` seconds."""
    deadline = clock.monotonic() + timeout
    while True:
        if not alive():
            raise ApiServerExitedError("the API server exited before it became ready")
        found = read_kubeconfig(kubeconfig)
        if found is not None and await probe_readyz(*found):
            return found[0]
        if clock.monotonic() > deadline:
            raise TimeoutError(f"the API server was not ready within {timeout:.0f} s")
        await clock.sleep(POLL_SECONDS)
