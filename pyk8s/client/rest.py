"""`Client`: the REST verbs of the Kubernetes API over one aiohttp session.

Objects are plain JSON dicts in and out. Every call addresses a `Resource` (group, version,
plural) and, where it applies, a namespace, a name and a subresource. Failures raise the
`pyk8s.api.errors` class the server's Status names (`NotFoundError`, `ConflictError`, ...)
or `ClientError` when no answer came.

Retries happen in one place (`_send`):
- 429 Too Many Requests (and, for reads, a 5xx carrying Retry-After) is retried after the
  server's Retry-After, at most 10 times (as kubectl does), each wait capped;
- a connection that could not be established is retried for every verb (nothing was
  sent), with exponential backoff;
- a connection lost mid-request is retried for reads only: a write may have been applied,
  and repeating a create or delete would turn success into AlreadyExists or NotFound.
Every request first takes a token from the client's bucket (QPS/burst), and every wait
reads the injected clock.

Connections: requests share one keep-alive pool of at most `max_connections` connections
(a burst of concurrent requests waits for a warm connection instead of opening, and
TLS-handshaking, one per request); watches hold a connection each for as long as they
stream, so they get their own uncapped pool and can never starve requests of connections.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

import aiohttp
import orjson

import pyk8s
from pyk8s._aio.clock import Clock, RealClock
from pyk8s.api.errors import StatusError, from_status
from pyk8s.api.selectors import FieldSelector, LabelSelector
from pyk8s.client.errors import ClientError
from pyk8s.client.flowcontrol import Backoff, TokenBucket
from pyk8s.client.kubeconfig import ClientConfig, in_cluster_config, load_kubeconfig
from pyk8s.client.resources import EVENTS, PODS, Resource
from pyk8s.client.watch import Opened, WatchStream

log = logging.getLogger("pyk8s.client")

Obj = dict[str, Any]
LabelSelectorLike = str | Mapping[str, str] | LabelSelector | None
FieldSelectorLike = str | Mapping[str, str] | FieldSelector | None

DEFAULT_QPS = 500.0  # generous: in-tree components talk to a local server
DEFAULT_BURST = 1000
MAX_RETRY_AFTER = 10  # kubectl retries a 429 this many times
MAX_RETRY_AFTER_SECONDS = 30.0
CONNECTION_RETRIES = 5
REQUEST_TIMEOUT = 60.0
CONNECT_TIMEOUT = 10.0
# Above the steady concurrency of an in-tree component (the scheduler's 64 bindings plus 16
# event writes); a wider burst (a ReplicaSet's slow-start batch of 500 creates) queues for a
# warm connection: each new one costs both ends a TLS handshake, and more connections add
# server-side state, not throughput.
DEFAULT_MAX_CONNECTIONS = 128
# How long an idle pooled connection is kept: longer than the gaps between a controller's
# bursts (aiohttp's 15 s default closed the pool between them), shorter than the idle time
# after which servers close it (ours an hour; Go's HTTP stacks commonly 90 s), since a POST
# sent on a connection the server is closing fails and is not retried.
KEEPALIVE_SECONDS = 60.0
JSON = "application/json"
_NO_HEADERS: Mapping[str, str] = {}


class PatchType(enum.StrEnum):
    """The PATCH content types (the request's Content-Type picks the algorithm)."""

    JSON = "application/json-patch+json"
    MERGE = "application/merge-patch+json"
    STRATEGIC = "application/strategic-merge-patch+json"
    APPLY = "application/apply-patch+yaml"


def label_selector_string(selector: LabelSelectorLike) -> str:
    """A label selector in its query-string form (a dict means `k=v` for every item)."""
    if selector is None:
        return ""
    if isinstance(selector, Mapping):
        return ",".join(f"{k}={v}" for k, v in sorted(selector.items()))
    return str(selector)


def field_selector_string(selector: FieldSelectorLike) -> str:
    if selector is None:
        return ""
    if isinstance(selector, Mapping):
        return ",".join(f"{k}={v}" for k, v in sorted(selector.items()))
    return str(selector)


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    meta = obj.get("metadata")
    return meta if isinstance(meta, Mapping) else {}


class Client:
    """An async client of one API server, as one user.

    One aiohttp session (keep-alive, the cluster's CA) per client; create it in the event
    loop that uses it and `await client.aclose()` (or `async with`) when done.

    `component` names the caller in the User-Agent (`pyk8s-<component>/<version>`), from
    which the server derives default field managers; `field_manager` (default
    `pyk8s-<component>`) is sent with every create, update and patch unless a call names
    another. `max_connections` caps the pool of ordinary requests (0: uncapped); watches
    have their own pool and do not count.
    """

    def __init__(
        self,
        config: ClientConfig,
        *,
        component: str = "client",
        field_manager: str | None = None,
        qps: float = DEFAULT_QPS,
        burst: int = DEFAULT_BURST,
        clock: Clock | None = None,
        request_timeout: float = REQUEST_TIMEOUT,
        connect_timeout: float = CONNECT_TIMEOUT,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
    ) -> None:
        self.config = config
        self.clock = clock or RealClock()
        name = component if component.startswith("pyk8s-") else f"pyk8s-{component}"
        self.component = component
        self.user_agent = f"{name}/{pyk8s.__version__}"
        self.field_manager = field_manager or name
        self.namespace = config.namespace
        self._base = config.server.rstrip("/")
        self._limiter = TokenBucket(qps, burst, clock=self.clock)
        self._ssl = config.ssl_context()
        self._timeout = aiohttp.ClientTimeout(total=request_timeout, sock_connect=connect_timeout)
        self._watch_timeout = aiohttp.ClientTimeout(total=None, sock_connect=connect_timeout, sock_read=None)
        self._max_connections = max(0, max_connections)
        self._session: aiohttp.ClientSession | None = None  # requests: a capped, warm pool
        self._stream_session: aiohttp.ClientSession | None = None  # watches: a connection each
        self._content_headers: dict[str, Mapping[str, str]] = {}
        self._warned: set[str] = set()

    @classmethod
    def from_kubeconfig(
        cls, path: str | Any | None = None, *, context: str | None = None, **kwargs: Any
    ) -> Client:
        """A client for a kubeconfig file (default `$KUBECONFIG` or `~/.kube/config`)."""
        return cls(load_kubeconfig(path, context=context), **kwargs)

    @classmethod
    def in_cluster(cls, **kwargs: Any) -> Client:
        """A client for a process running in a pod (service-account credentials)."""
        return cls(in_cluster_config(), **kwargs)

    @classmethod
    def from_url(
        cls, server: str, *, token: str | None = None, ca_data: bytes | None = None, **kwargs: Any
    ) -> Client:
        """A client for an explicit URL (plain `http://` with a token works too)."""
        return cls(ClientConfig(server=server, token=token, ca_data=ca_data), **kwargs)

    # lifecycle

    def _new_session(self, limit: int) -> aiohttp.ClientSession:
        headers = {"User-Agent": self.user_agent, "Accept": JSON}
        if self.config.token:
            headers["Authorization"] = f"Bearer {self.config.token}"
        connector = aiohttp.TCPConnector(
            limit=limit,
            limit_per_host=limit,
            keepalive_timeout=KEEPALIVE_SECONDS,
            ssl=self._ssl if self._ssl is not None else True,
        )
        return aiohttp.ClientSession(
            connector=connector, headers=headers, json_serialize=lambda v: orjson.dumps(v).decode()
        )

    def _get_session(self, stream: bool = False) -> aiohttp.ClientSession:
        """The pool for ordinary requests, or (`stream`) the uncapped one for watches: a
        watch holds its connection for minutes, so in a capped pool enough watches would
        leave requests waiting forever."""
        if stream:
            if self._stream_session is None or self._stream_session.closed:
                self._stream_session = self._new_session(0)
            return self._stream_session
        if self._session is None or self._session.closed:
            self._session = self._new_session(self._max_connections)
        return self._session

    async def aclose(self) -> None:
        sessions = (self._session, self._stream_session)
        self._session = self._stream_session = None
        for session in sessions:
            if session is not None:
                await session.close()

    async def __aenter__(self) -> Client:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # the transport: one place for rate limiting, retries and error decoding

    async def _send(
        self,
        method: str,
        path: str,
        *,
        params: Sequence[tuple[str, str]] = (),
        body: bytes | None = None,
        content_type: str = JSON,
        stream: bool = False,
    ) -> tuple[aiohttp.ClientResponse, bytes]:
        """Send one request, retrying as the module docstring says. A streamed response is
        returned unread (the caller must release it); otherwise its body is read."""
        url = self._base + path
        headers = self._headers_for(content_type) if body is not None else _NO_HEADERS
        idempotent = method == "GET"
        backoff: Backoff | None = None  # built on the first failure only: most requests never fail
        throttled = failures = 0
        while True:
            await self._limiter.wait()
            try:
                resp = await self._get_session(stream).request(
                    method,
                    url,
                    params=params or None,
                    data=body,
                    headers=headers,
                    timeout=self._watch_timeout if stream else self._timeout,
                    server_hostname=self.config.tls_server_name,
                )
                data = b"" if stream and resp.status < 400 else await _read(resp)
            except (aiohttp.ClientError, TimeoutError) as err:
                # A certificate the client does not trust fails the same way every time.
                tls = isinstance(err, aiohttp.ClientConnectorCertificateError | aiohttp.ClientSSLError)
                never_sent = isinstance(err, aiohttp.ClientConnectorError) and not tls
                failures += 1
                if not tls and (never_sent or idempotent) and failures <= CONNECTION_RETRIES:
                    if backoff is None:
                        backoff = Backoff(initial=0.1, maximum=5.0, jitter=0.5, clock=self.clock)
                    delay = await backoff.sleep()
                    log.debug("%s %s failed (%s); retried after %.2fs", method, path, err, delay)
                    continue
                raise ClientError(str(err) or type(err).__name__, method=method, url=url) from err
            self._log_warnings(resp)
            if resp.status < 400:
                return resp, data
            delay = self._retry_after(resp, idempotent)
            if delay is not None and throttled < MAX_RETRY_AFTER:
                throttled += 1
                log.debug("%s %s: %d, retried after %.1fs", method, path, resp.status, delay)
                await self.clock.sleep(delay)
                continue
            raise _status_error(resp.status, data)

    def _headers_for(self, content_type: str) -> Mapping[str, str]:
        """The per-request headers of a body of `content_type` (a handful of distinct values,
        so each mapping is built once)."""
        headers = self._content_headers.get(content_type)
        if headers is None:
            headers = self._content_headers[content_type] = {"Content-Type": content_type}
        return headers

    @staticmethod
    def _retry_after(resp: aiohttp.ClientResponse, idempotent: bool) -> float | None:
        """Seconds to wait before retrying this response, or None if it is final."""
        header = resp.headers.get("Retry-After")
        if resp.status != 429 and not (resp.status >= 500 and header and idempotent):
            return None
        try:
            seconds = float(header) if header else 1.0
        except ValueError:
            seconds = 1.0
        return max(0.0, min(seconds, MAX_RETRY_AFTER_SECONDS))

    def _log_warnings(self, resp: aiohttp.ClientResponse) -> None:
        for value in resp.headers.getall("Warning", ()):
            text = value.split('"', 1)[1].rstrip('"') if '"' in value else value
            if text not in self._warned:
                self._warned.add(text)
                log.warning("server warning: %s", text)

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Sequence[tuple[str, str]] = (),
        body: Any = None,
        content_type: str = JSON,
    ) -> Any:
        """A request to any path (`/version`, a resource URL built elsewhere); JSON in and out."""
        raw = body if isinstance(body, bytes) or body is None else orjson.dumps(body)
        resp, data = await self._send(method, path, params=params, body=raw, content_type=content_type)
        if not data:
            return None
        if "json" not in resp.headers.get("Content-Type", JSON):
            return data.decode(errors="replace")
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError as err:
            raise ClientError(f"response is not JSON: {data[:200]!r}", method=method, url=path) from err

    # reads

    async def version(self) -> Obj:
        return await self.request("GET", "/version")

    async def get(
        self,
        resource: Resource,
        name: str,
        *,
        namespace: str | None = None,
        subresource: str = "",
        resource_version: str | None = None,
    ) -> Obj:
        params = [("resourceVersion", resource_version)] if resource_version is not None else []
        path = resource.path(namespace=_ns(resource, namespace), name=name, subresource=subresource)
        return await self.request("GET", path, params=params)

    async def list(
        self,
        resource: Resource,
        *,
        namespace: str | None = None,
        label_selector: LabelSelectorLike = None,
        field_selector: FieldSelectorLike = None,
        limit: int | None = None,
        continue_token: str | None = None,
        resource_version: str | None = None,
        resource_version_match: str | None = None,
        timeout_seconds: int | None = None,
    ) -> Obj:
        """One list request: a `<Kind>List` with `metadata.resourceVersion` and, when `limit`
        cut it short, `metadata.continue` for the next page."""
        params = _list_params(
            label_selector,
            field_selector,
            limit=limit,
            continue_token=continue_token,
            resource_version=resource_version,
            resource_version_match=resource_version_match,
            timeout_seconds=timeout_seconds,
        )
        return await self.request("GET", resource.path(namespace=namespace or None), params=params)

    async def pages(
        self,
        resource: Resource,
        *,
        namespace: str | None = None,
        label_selector: LabelSelectorLike = None,
        field_selector: FieldSelectorLike = None,
        page_size: int = 500,
        resource_version: str | None = None,
    ) -> AsyncIterator[Obj]:
        """Every page of a paginated list (one consistent snapshot on our server), in order."""
        token: str | None = None
        while True:
            page = await self.list(
                resource,
                namespace=namespace,
                label_selector=label_selector,
                field_selector=field_selector,
                limit=page_size,
                continue_token=token,
                resource_version=None if token else resource_version,
            )
            yield page
            token = _meta(page).get("continue") or None
            if not token:
                return

    async def list_all(
        self,
        resource: Resource,
        *,
        namespace: str | None = None,
        label_selector: LabelSelectorLike = None,
        field_selector: FieldSelectorLike = None,
        page_size: int = 500,
        resource_version: str | None = None,
    ) -> Obj:
        """The whole list, fetched in pages, as one `<Kind>List` (resourceVersion of the snapshot)."""
        items: list[Obj] = []
        last: Obj = {}
        async for page in self.pages(
            resource,
            namespace=namespace,
            label_selector=label_selector,
            field_selector=field_selector,
            page_size=page_size,
            resource_version=resource_version,
        ):
            items += page.get("items") or []
            last = page
        meta = {"resourceVersion": _meta(last).get("resourceVersion", "")}
        return {
            "kind": last.get("kind", ""),
            "apiVersion": last.get("apiVersion", ""),
            "metadata": meta,
            "items": items,
        }

    def watch(
        self,
        resource: Resource,
        *,
        namespace: str | None = None,
        name: str | None = None,
        label_selector: LabelSelectorLike = None,
        field_selector: FieldSelectorLike = None,
        resource_version: str | None = None,
        allow_bookmarks: bool = True,
        send_initial_events: bool = False,
        timeout_seconds: int | None = None,
    ) -> WatchStream:
        """A watch stream (see `pyk8s.client.watch`). `send_initial_events` asks for a
        watch-list: the current objects as ADDED, a BOOKMARK marking their end, then changes.
        Without `timeout_seconds` the server picks when to end the stream (30 to 60 minutes
        on ours): an idle watch costs nothing."""
        fields = field_selector_string(field_selector)
        if name:
            fields = ",".join(f for f in (f"metadata.name={name}", fields) if f)
        params = _list_params(
            label_selector,
            fields or None,
            resource_version=resource_version,
            resource_version_match="NotOlderThan" if send_initial_events else None,
            timeout_seconds=timeout_seconds,
        )
        params.insert(0, ("watch", "true"))
        if allow_bookmarks:
            params.append(("allowWatchBookmarks", "true"))
        if send_initial_events:
            params.append(("sendInitialEvents", "true"))
        path = resource.path(namespace=namespace or None)

        async def opener() -> Opened:
            resp, _ = await self._send("GET", path, params=params, stream=True)
            return _chunks(resp, path), resp.close

        return WatchStream(opener, describe=f"watch {path}")

    # writes

    def _write_params(
        self, *, dry_run: bool, field_manager: str | None, field_validation: str | None
    ) -> list[tuple[str, str]]:
        params = [("fieldManager", field_manager or self.field_manager)]
        if dry_run:
            params.append(("dryRun", "All"))
        if field_validation:
            params.append(("fieldValidation", field_validation))
        return params

    async def create(
        self,
        resource: Resource,
        obj: Obj,
        *,
        namespace: str | None = None,
        name: str | None = None,
        subresource: str = "",
        dry_run: bool = False,
        field_manager: str | None = None,
        field_validation: str | None = None,
    ) -> Obj:
        """POST an object (or a create-subresource of `name`: binding, eviction, token)."""
        ns = _ns(resource, namespace or _meta(obj).get("namespace"))
        path = resource.path(namespace=ns, name=name, subresource=subresource)
        params = self._write_params(
            dry_run=dry_run, field_manager=field_manager, field_validation=field_validation
        )
        return await self.request("POST", path, params=params, body=obj)

    async def update(
        self,
        resource: Resource,
        obj: Obj,
        *,
        subresource: str = "",
        dry_run: bool = False,
        field_manager: str | None = None,
        field_validation: str | None = None,
    ) -> Obj:
        """PUT an object; its `metadata.resourceVersion`, when set, makes the write
        conditional (409 Conflict if the object changed since)."""
        meta = _meta(obj)
        path = resource.path(
            namespace=_ns(resource, meta.get("namespace")), name=_name(obj), subresource=subresource
        )
        params = self._write_params(
            dry_run=dry_run, field_manager=field_manager, field_validation=field_validation
        )
        return await self.request("PUT", path, params=params, body=obj)

    async def update_status(self, resource: Resource, obj: Obj, **kwargs: Any) -> Obj:
        return await self.update(resource, obj, subresource="status", **kwargs)

    async def patch(
        self,
        resource: Resource,
        name: str,
        patch: Any,
        *,
        namespace: str | None = None,
        patch_type: PatchType | str = PatchType.MERGE,
        subresource: str = "",
        dry_run: bool = False,
        field_manager: str | None = None,
        force: bool | None = None,
        field_validation: str | None = None,
    ) -> Obj:
        """PATCH with a JSON patch (a list of operations), a merge patch, a strategic merge
        patch or an apply configuration; `force` only means something for apply."""
        path = resource.path(namespace=_ns(resource, namespace), name=name, subresource=subresource)
        params = self._write_params(
            dry_run=dry_run, field_manager=field_manager, field_validation=field_validation
        )
        if force is not None:
            params.append(("force", "true" if force else "false"))
        return await self.request(
            "PATCH", path, params=params, body=orjson.dumps(patch), content_type=str(patch_type)
        )

    async def patch_status(self, resource: Resource, name: str, patch: Any, **kwargs: Any) -> Obj:
        return await self.patch(resource, name, patch, subresource="status", **kwargs)

    async def apply(
        self,
        resource: Resource,
        obj: Obj,
        *,
        field_manager: str | None = None,
        force: bool = False,
        subresource: str = "",
        dry_run: bool = False,
    ) -> Obj:
        """Server-side apply of `obj` (an apply configuration: only the fields you own)."""
        return await self.patch(
            resource,
            _name(obj),
            obj,
            namespace=_meta(obj).get("namespace"),
            patch_type=PatchType.APPLY,
            subresource=subresource,
            dry_run=dry_run,
            field_manager=field_manager,
            force=force,
        )

    async def delete(
        self,
        resource: Resource,
        name: str,
        *,
        namespace: str | None = None,
        propagation_policy: str | None = None,
        grace_period_seconds: int | None = None,
        preconditions: Mapping[str, str] | None = None,
        dry_run: bool = False,
    ) -> Obj:
        """DELETE one object. Returns a success Status, or the object when it is only marked
        for deletion (finalizers, grace period). `preconditions` may hold `uid` and
        `resourceVersion` (409 Conflict if they no longer match)."""
        path = resource.path(namespace=_ns(resource, namespace), name=name)
        body = _delete_options(propagation_policy, grace_period_seconds, preconditions, dry_run)
        params = [("dryRun", "All")] if dry_run else []
        return await self.request("DELETE", path, params=params, body=body)

    async def delete_collection(
        self,
        resource: Resource,
        *,
        namespace: str | None = None,
        label_selector: LabelSelectorLike = None,
        field_selector: FieldSelectorLike = None,
        propagation_policy: str | None = None,
        grace_period_seconds: int | None = None,
        dry_run: bool = False,
    ) -> Obj:
        path = resource.path(namespace=_ns(resource, namespace) if resource.namespaced else None)
        params = _list_params(label_selector, field_selector)
        if dry_run:
            params.append(("dryRun", "All"))
        body = _delete_options(propagation_policy, grace_period_seconds, None, dry_run)
        return await self.request("DELETE", path, params=params, body=body)

    # subresources with their own shapes

    async def get_scale(self, resource: Resource, name: str, *, namespace: str | None = None) -> Obj:
        return await self.get(resource, name, namespace=namespace, subresource="scale")

    async def scale(
        self, resource: Resource, name: str, replicas: int, *, namespace: str | None = None
    ) -> Obj:
        """Set `spec.replicas` through the scale subresource."""
        return await self.patch(
            resource, name, {"spec": {"replicas": replicas}}, namespace=namespace, subresource="scale"
        )

    async def bind(self, namespace: str, pod: str, node: str, *, uid: str | None = None) -> Obj:
        """Bind a pod to a node (the scheduler's write): POST pods/binding."""
        meta: Obj = {"name": pod, "namespace": namespace}
        if uid:
            meta["uid"] = uid
        binding = {
            "apiVersion": "v1",
            "kind": "Binding",
            "metadata": meta,
            "target": {"apiVersion": "v1", "kind": "Node", "name": node},
        }
        return await self.create(PODS, binding, namespace=namespace, name=pod, subresource="binding")

    async def evict(
        self, namespace: str, pod: str, *, grace_period_seconds: int | None = None, dry_run: bool = False
    ) -> Obj:
        """Evict a pod (honours PodDisruptionBudgets: 429 TooManyRequests when one forbids it,
        which this method does not retry past its budget of Retry-After waits)."""
        eviction: Obj = {
            "apiVersion": "policy/v1",
            "kind": "Eviction",
            "metadata": {"name": pod, "namespace": namespace},
        }
        options = _delete_options(None, grace_period_seconds, None, dry_run)
        if options:
            eviction["deleteOptions"] = options
        return await self.create(PODS, eviction, namespace=namespace, name=pod, subresource="eviction")

    async def create_event(self, event: Obj) -> Obj:
        return await self.create(EVENTS, event)


async def _read(resp: aiohttp.ClientResponse) -> bytes:
    try:
        return await resp.read()
    finally:
        resp.release()


async def _chunks(resp: aiohttp.ClientResponse, path: str) -> AsyncIterator[bytes]:
    """The body of a streamed response, chunk by chunk; connection loss is a ClientError."""
    try:
        async for chunk in resp.content.iter_any():
            yield chunk
    except (aiohttp.ClientError, TimeoutError, asyncio.IncompleteReadError) as err:
        raise ClientError(
            f"watch stream broken: {err or type(err).__name__}", method="GET", url=path
        ) from err
    finally:
        resp.release()


def _status_error(code: int, data: bytes) -> StatusError:
    """The error a non-2xx response means: the Status it carries, or one made from the code."""
    body: Any = None
    try:
        body = orjson.loads(data) if data else None
    except orjson.JSONDecodeError:
        body = None
    if not isinstance(body, dict) or body.get("kind") != "Status":
        text = data.decode(errors="replace").strip()[:500] if data else ""
        body = {"code": code, "message": text or f"the server responded with status {code}"}
    return from_status(body, code=code)


def _ns(resource: Resource, namespace: str | None) -> str | None:
    if not resource.namespaced:
        return None
    if not namespace:
        raise ValueError(f"{resource.qualified} are namespaced: a namespace is required")
    return namespace


def _name(obj: Obj) -> str:
    name = _meta(obj).get("name")
    if not name:
        raise ValueError("the object has no metadata.name")
    return str(name)


def _list_params(
    label_selector: LabelSelectorLike = None,
    field_selector: FieldSelectorLike = None,
    *,
    limit: int | None = None,
    continue_token: str | None = None,
    resource_version: str | None = None,
    resource_version_match: str | None = None,
    timeout_seconds: int | None = None,
) -> list[tuple[str, str]]:
    params: list[tuple[str, str]] = []
    labels, fields = label_selector_string(label_selector), field_selector_string(field_selector)
    if labels:
        params.append(("labelSelector", labels))
    if fields:
        params.append(("fieldSelector", fields))
    if limit:
        params.append(("limit", str(limit)))
    if continue_token:
        params.append(("continue", continue_token))
    if resource_version is not None:
        params.append(("resourceVersion", resource_version))
    if resource_version_match:
        params.append(("resourceVersionMatch", resource_version_match))
    if timeout_seconds is not None:
        params.append(("timeoutSeconds", str(timeout_seconds)))
    return params


def _delete_options(
    policy: str | None, grace: int | None, preconditions: Mapping[str, str] | None, dry_run: bool
) -> Obj | None:
    body: Obj = {}
    if policy:
        body["propagationPolicy"] = policy
    if grace is not None:
        body["gracePeriodSeconds"] = grace
    if preconditions:
        body["preconditions"] = {k: v for k, v in preconditions.items() if v}
    if dry_run:
        body["dryRun"] = ["All"]
    if not body:
        return None
    return {"kind": "DeleteOptions", "apiVersion": "v1", **body}
