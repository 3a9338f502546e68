"""The L7 proxy: route a request, pick an endpoint, stream the request there and the
response back (aiohttp on both sides).

- Hop-by-hop headers (RFC 9110 §7.6.1, plus any the Connection header names) are dropped
  both ways; the original Host is kept; X-Forwarded-For/-Host/-Port/-Proto and X-Real-IP
  are set, as ingress-nginx sets them. Bodies stream in both directions without being
  decoded (no automatic decompression), so Content-Length and Content-Encoding stay true.
- Endpoints are taken round robin; a connection refused or unreachable moves to the next
  endpoint (nothing of the request was sent yet). 503 when the Service has no endpoint,
  502 when none accepted the connection, 504 when one stopped answering, 404 when no rule
  and no default backend matched.
- Upstream sockets are made inside `upstream_netns` (the node host namespace, where pod IPs
  are routed). Without one, only loopback endpoints are dialled: a pod address must never
  be sent into the host's own network.
- Upgrade requests (WebSocket) are not proxied (the Upgrade header is hop-by-hop).
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from typing import Any

import aiohttp
from aiohttp import web
from multidict import CIMultiDict
from yarl import URL

from pyk8s.network.dns.netns import call_in_netns
from pyk8s.network.ingress.backends import RoundRobin, is_loopback
from pyk8s.network.ingress.routing import Backend, RouteTable

log = logging.getLogger("pyk8s.network.ingress")

HOP_BY_HOP = frozenset(
    h.lower()
    for h in (
        "Connection",
        "Keep-Alive",
        "Proxy-Authenticate",
        "Proxy-Authorization",
        "Proxy-Connection",
        "TE",
        "Trailer",
        "Transfer-Encoding",
        "Upgrade",
    )
)
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 60.0  # ingress-nginx's proxy-read-timeout
CHUNK = 64 * 1024

Endpoints = Callable[[Backend], list[tuple[str, int]]]


def forward_headers(headers: Any, *, remote: str, host: str, port: int, scheme: str) -> CIMultiDict[str]:
    """The request headers to send upstream."""
    named = {t.strip().lower() for v in headers.getall("Connection", []) for t in v.split(",")}
    out: CIMultiDict[str] = CIMultiDict()
    for key, value in headers.items():
        lower = key.lower()
        if lower in HOP_BY_HOP or lower in named or lower.startswith("x-forwarded-") or lower == "x-real-ip":
            continue
        out.add(key, value)
    previous = headers.get("X-Forwarded-For")
    out["X-Forwarded-For"] = f"{previous}, {remote}" if previous else remote
    out["X-Real-IP"] = remote
    out["X-Forwarded-Host"] = host
    out["X-Forwarded-Port"] = str(port)
    out["X-Forwarded-Proto"] = scheme
    return out


def response_headers(headers: Any) -> CIMultiDict[str]:
    """The upstream response headers to send back to the client."""
    named = {t.strip().lower() for v in headers.getall("Connection", []) for t in v.split(",")}
    out: CIMultiDict[str] = CIMultiDict()
    for key, value in headers.items():
        lower = key.lower()
        if lower in HOP_BY_HOP or lower in named:
            continue
        out.add(key, value)
    return out


class IngressProxy:
    """The request handler of the HTTP and HTTPS listeners."""

    def __init__(self, endpoints: Endpoints, *, upstream_netns: str | None = None) -> None:
        self.table = RouteTable()
        self.endpoints = endpoints
        self.upstream_netns = upstream_netns
        self.balancer = RoundRobin()
        self._session: aiohttp.ClientSession | None = None
        self.requests = 0

    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            netns = self.upstream_netns

            def socket_factory(addr_info: Any) -> socket.socket:
                family, kind, proto = addr_info[0], addr_info[1], addr_info[2]
                return call_in_netns(netns, lambda: socket.socket(family, kind, proto))

            connector = aiohttp.TCPConnector(
                limit=0, force_close=False, socket_factory=socket_factory if netns else None
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                auto_decompress=False,
                timeout=aiohttp.ClientTimeout(
                    total=None, sock_connect=CONNECT_TIMEOUT, sock_read=READ_TIMEOUT
                ),
                cookie_jar=aiohttp.DummyCookieJar(),
            )
        return self._session

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def handle(self, request: web.BaseRequest) -> web.StreamResponse:
        self.requests += 1
        host = request.host or ""
        backend = self.table.route(host, request.path)
        if backend is None:
            return _plain(404, "404 page not found")
        if not backend.service:
            return _plain(503, f"backend {backend.resource} is not supported by this controller")
        targets = self.endpoints(backend)
        if self.upstream_netns is None:
            # No pod network to dial into: refuse rather than send a pod IP out of the host.
            targets = [t for t in targets if is_loopback(t[0])]
        if not targets:
            return _plain(503, "503 Service Temporarily Unavailable")
        scheme = "https" if request.secure else "http"
        sockname = request.transport.get_extra_info("sockname") if request.transport else None
        port = int(sockname[1]) if sockname else 0
        remote = request.remote or ""
        headers = forward_headers(request.headers, remote=remote, host=host, port=port, scheme=scheme)
        skip = [
            h for h in ("User-Agent", "Accept", "Accept-Encoding", "Content-Type") if h not in request.headers
        ]
        body = request.content if request.body_exists else None
        for address, target_port in self.balancer.order(backend.key, targets):
            authority = f"[{address}]:{target_port}" if ":" in address else f"{address}:{target_port}"
            url = URL(f"http://{authority}{request.rel_url.raw_path_qs}", encoded=True)
            try:
                upstream = await self.session().request(
                    request.method,
                    url,
                    headers=headers,
                    data=body,
                    allow_redirects=False,
                    skip_auto_headers=skip,
                )
            except aiohttp.ClientConnectorError as exc:
                log.debug("%s: %s unreachable: %s", backend.key, authority, exc)
                continue  # nothing was sent: the next endpoint may take it
            except (TimeoutError, aiohttp.ServerTimeoutError):
                return _plain(504, "504 Gateway Time-out")
            except aiohttp.ClientError as exc:
                log.debug("%s: %s failed: %s", backend.key, authority, exc)
                return _plain(502, "502 Bad Gateway")
            try:
                return await self._relay(request, upstream)
            finally:
                upstream.release()
        return _plain(502, "502 Bad Gateway")

    async def _relay(self, request: web.BaseRequest, upstream: aiohttp.ClientResponse) -> web.StreamResponse:
        response = web.StreamResponse(status=upstream.status, reason=upstream.reason)
        response.headers.update(response_headers(upstream.headers))
        if "Content-Length" not in upstream.headers and request.method != "HEAD":
            response.enable_chunked_encoding()
        await response.prepare(request)
        try:
            async for chunk in upstream.content.iter_chunked(CHUNK):
                await response.write(chunk)
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.debug("upstream response cut short: %r", exc)
            if request.transport is not None:
                request.transport.close()
            return response
        await response.write_eof()
        return response


def _plain(status: int, text: str) -> web.Response:
    return web.Response(status=status, text=text + "\n", content_type="text/plain")
