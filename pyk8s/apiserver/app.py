"""The HTTP application: one dispatcher for every path, with authentication, Status errors
and metrics around it, and the process entry point `run_apiserver`."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from aiohttp import web

from pyk8s._aio import runtime
from pyk8s.api import errors
from pyk8s.apiserver import components, discovery, metrics_api, proxy, reviews
from pyk8s.apiserver.admission import DEFAULT_SERVICE_CIDR, BuiltinAdmission
from pyk8s.apiserver.auth import PUBLIC_PATHS, Authenticator
from pyk8s.apiserver.bootstrap import ensure_system_objects
from pyk8s.apiserver.certs import ensure_pki, server_ssl_context, write_kubeconfig
from pyk8s.apiserver.metrics import Metrics
from pyk8s.apiserver.negotiation import negotiate
from pyk8s.apiserver.openapi import OpenApi
from pyk8s.apiserver.requestinfo import RequestInfo, parse_resource_path
from pyk8s.apiserver.resources import NOT_FOUND_MESSAGE, ResourceHandler
from pyk8s.apiserver.responses import dumps, respond, status_response
from pyk8s.apiserver.server import ApiServer
from pyk8s.apiserver.tokens import ServiceAccountTokens
from pyk8s.kinds import builtin_strategies
from pyk8s.storage import Retention, open_storage

log = logging.getLogger("pyk8s.apiserver")
# Like kube-apiserver's --max-requests-inflight: past this, non-watch requests get 429.
MAX_INFLIGHT = 800


@dataclass
class ApiServerConfig:
    """How to run an API server."""

    data_dir: Path
    bind: str = "127.0.0.1"
    port: int = 6443
    storage_url: str = ""
    service_cidr: str = DEFAULT_SERVICE_CIDR
    kubeconfig: Path | None = None  # default: DATA_DIR/kubeconfig
    extra_sans: tuple[str, ...] = ()
    shutdown_timeout: float = 10.0
    watch_cache_size: int = 10_000  # events each resource's watch cache keeps for resuming watches
    # None: no compactor (with `--workers`, only worker 0 compacts the shared storage)
    retention: Retention | None = field(default_factory=Retention)
    # With `--workers`: this process's index, a listening socket shared through SO_REUSEPORT,
    # and the kubeconfig left to the supervisor (it writes it once every worker is ready).
    worker: int | None = None
    reuse_port: bool = False
    write_kubeconfig: bool = True
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    # Filled in once serving: the address clients should use.
    url: str = ""


class Dispatcher:
    """Routes every request: health, version, discovery, OpenAPI, metrics, resources."""

    def __init__(
        self, server: ApiServer, authenticator: Authenticator, metrics: Metrics, *, advertise: str
    ) -> None:
        self.server = server
        self.authenticator = authenticator
        self.metrics = metrics
        self.openapi = OpenApi(server)
        self.resources = ResourceHandler(server)
        self.advertise = advertise
        self.ready = False
        self.shutting_down = False
        self._metric_children: dict[tuple[Any, ...], tuple[Any, Any]] = {}
        self.inflight = 0
        self.max_inflight = MAX_INFLIGHT
        self.metrics_api: metrics_api.MetricsApi | None = None  # metrics.k8s.io, when installed

    async def handle(self, request: web.Request) -> web.StreamResponse:
        start = time.perf_counter()
        info: RequestInfo | None = None
        code = 500
        try:
            path = request.path.rstrip("/") or "/"
            user = await self.authenticator.authenticate(request)
            if user.anonymous and not _public(path):
                raise errors.UnauthorizedError()
            info = parse_resource_path(request.method, path, request.query)
            if info is not None and info.group == metrics_api.GROUP and self.metrics_api is not None:
                response = await self.metrics_api.handle(request, info)
            elif info is not None and info.verb == "watch":
                gauge = self.metrics.watches.labels(info.resource)
                gauge.inc()
                try:
                    response = await self.resources.handle(request, info, user)
                finally:
                    gauge.dec()
            elif info is not None and info.subresource in proxy.LONG_RUNNING:
                # Streams last as long as the client wants: like watches, not counted in flight.
                response = await self.resources.handle(request, info, user)
            elif info is not None:
                if self.inflight >= self.max_inflight:
                    raise errors.too_many_requests("too many requests, please try again later", 1)
                self.inflight += 1
                try:
                    response = await self.resources.handle(request, info, user)
                finally:
                    self.inflight -= 1
            else:
                response = await self._non_resource(request, path)
            code = response.status
            return response
        except errors.StatusError as err:
            code = err.code
            response = status_response(err, _error_output(request))
            if isinstance(err, errors.TooManyRequestsError):
                response.headers["Retry-After"] = str(err.retry_after)
            return response
        except asyncio.CancelledError:
            code = 499
            raise
        except Exception as err:
            log.exception("internal error serving %s %s", request.method, request.path)
            return status_response(errors.internal(str(err) or type(err).__name__))
        finally:
            if info is not None:
                self._observe(info, code, time.perf_counter() - start)

    def _observe(self, info: RequestInfo, code: int, seconds: float) -> None:
        scope = "namespace" if info.namespace else ("resource" if info.name else "cluster")
        key = (info.verb, info.group, info.version, info.resource, info.subresource, scope, code)
        children = self._metric_children.get(key)
        if children is None:
            labels = (info.verb.upper(), *key[1:6])
            children = (
                self.metrics.requests.labels(*labels, str(code)),
                self.metrics.latency.labels(*labels),
            )
            self._metric_children[key] = children
        children[0].inc()
        if info.verb != "watch":
            children[1].observe(seconds)

    async def _non_resource(self, request: web.Request, path: str) -> web.StreamResponse:
        if path in ("/healthz", "/livez", "/readyz") or path.startswith(("/healthz/", "/livez/", "/readyz/")):
            return self._health(request, path)
        accept = request.headers.get("Accept", "")
        if path == "/version":
            return _json(discovery.version_info())
        if path == "/api":
            output = negotiate(accept, allow_discovery=True)
            if output.discovery:
                body = discovery.aggregated(self.server, legacy=True, version=output.discovery)
                return respond(dumps(body), output)
            return _json(discovery.api_versions(self.advertise))
        if path == "/apis":
            output = negotiate(accept, allow_discovery=True)
            if output.discovery:
                body = discovery.aggregated(self.server, legacy=False, version=output.discovery)
                return respond(dumps(body), output)
            return _json(discovery.api_group_list(self.server))
        segments = [s for s in path.split("/") if s]
        if segments[:1] == ["api"] and len(segments) == 2:
            gv = self.server.group_versions.get(("", segments[1]))
            if gv is not None:
                return _json(discovery.resource_list(gv))
        if segments[:1] == ["apis"] and len(segments) == 2:
            group = discovery.api_group(self.server, segments[1])
            if group is not None:
                return _json(group)
        if segments[:1] == ["apis"] and len(segments) == 3:
            gv = self.server.group_versions.get((segments[1], segments[2]))
            if gv is not None:
                return _json(discovery.resource_list(gv))
        if segments == ["openapi", "v2"]:
            return self.openapi.v2_response(request)
        if segments[:2] == ["openapi", "v3"]:
            return self._openapi(request, "/".join(segments[2:]))
        if path == "/metrics":
            return web.Response(body=self.metrics.exposition(), content_type="text/plain", charset="utf-8")
        raise errors.NotFoundError(NOT_FOUND_MESSAGE)

    def _health(self, request: web.Request, path: str) -> web.Response:
        kind = path.strip("/").split("/")[0]
        checks = [("ping", True), ("log", True)]
        if kind in ("readyz", "healthz"):
            checks.append(("storage", self.ready))
            checks.append(("informer-sync", self.ready))
        if kind == "readyz":
            checks.append(("shutdown", not self.shutting_down))
        failed = [name for name, ok in checks if not ok]
        if "verbose" in request.query or failed:
            lines = [
                f"[{'+' if ok else '-'}]{name} {'ok' if ok else 'failed: reason withheld'}"
                for name, ok in checks
            ]
            lines.append(f"{kind} check {'failed' if failed else 'passed'}")
            return web.Response(text="\n".join(lines) + "\n", status=500 if failed else 200)
        return web.Response(text="ok")

    def _openapi(self, request: web.Request, key: str) -> web.Response:
        if not key:
            return _json(self.openapi.index())
        doc = self.openapi.document(key)
        if doc is None:
            raise errors.NotFoundError(NOT_FOUND_MESSAGE)
        etag = f'"{doc.hash}"'
        headers = {"Etag": etag, "Vary": "Accept"}
        if request.query.get("hash") == doc.hash:
            headers["Cache-Control"] = "public, immutable"
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers=headers)
        return web.Response(body=doc.body, content_type="application/json", headers=headers)


def _public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(("/healthz/", "/livez/", "/readyz/"))


def _json(value: Any) -> web.Response:
    return web.Response(body=orjson.dumps(value), content_type="application/json")


def _error_output(request: web.Request) -> Any:
    try:
        return negotiate(request.headers.get("Accept", ""))
    except errors.StatusError:
        return None


def build_app(dispatcher: Dispatcher) -> web.Server:
    """aiohttp's low-level server: every request goes straight to the dispatcher, no router."""
    return web.Server(dispatcher.handle)


@dataclass
class RunningServer:
    """A started API server (for tests and `pyk8s up`): stop() drains and closes."""

    config: ApiServerConfig
    server: ApiServer
    dispatcher: Dispatcher
    runner: web.ServerRunner
    storage: Any
    url: str
    kubeconfig: Path
    streams: proxy.StreamProxy | None = None

    async def stop(self) -> None:
        self.dispatcher.shutting_down = True
        await self.server.stop()  # ends every watch stream, so draining does not wait for them
        await self.runner.shutdown()
        await self.runner.cleanup()
        if self.streams is not None:
            await self.streams.close()
        await self.storage.aclose()


async def start_apiserver(config: ApiServerConfig) -> RunningServer:
    """Open storage, start the caches, bootstrap, serve HTTPS, write the kubeconfig."""
    data_dir = config.data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    url = config.storage_url or f"sqlite://{data_dir}/state.db"
    storage = await open_storage(url, retention=config.retention)
    admission = BuiltinAdmission(service_cidr=config.service_cidr)
    server = ApiServer(
        storage, builtin_strategies(), admission=admission, cache_capacity=config.watch_cache_size
    )
    admission.bind(server)
    pki = ensure_pki(data_dir / "pki", extra_sans=config.extra_sans)
    metrics = Metrics()
    metrics.add_gauge_source(
        "watch_cache_capacity",
        "Objects held by each watch cache.",
        "resource",
        lambda: {s.info.plural: len(s.cache.objects) for s in server.stores()},
    )
    metrics.add_gauge_source(
        "apiserver_registered_watchers",
        "Watchers per resource.",
        "kind",
        lambda: {s.info.kind: s.cache.watcher_count for s in server.stores()},
    )
    tokens = ServiceAccountTokens(pki.dir / "sa.key")
    service_account_user = reviews.token_validator(server, tokens)
    if config.worker is not None:
        index = str(config.worker)
        metrics.add_gauge_source(
            "pyk8s_apiserver_worker_info",
            "The worker process that served this scrape.",
            "worker",
            lambda: {index: 1},
        )

    authenticator = Authenticator.with_admin_token(pki.admin_token, validator=service_account_user)
    reviews.install(server, authenticator, tokens)
    components.install(server)
    streams = proxy.install(server, pki)
    dispatcher = Dispatcher(server, authenticator, metrics, advertise=f"{config.bind}:{config.port}")
    dispatcher.metrics_api = metrics_api.install(server, streams.nodes)
    runner = web.ServerRunner(
        build_app(dispatcher), handle_signals=False, shutdown_timeout=config.shutdown_timeout
    )
    try:
        await server.start()
        await runner.setup()
        site = web.TCPSite(
            runner,
            config.bind,
            config.port,
            ssl_context=server_ssl_context(pki),
            reuse_address=True,
            reuse_port=config.reuse_port or None,
            backlog=1024,
        )
        await site.start()
        port = _bound_port(runner) or config.port
        host = config.bind if config.bind not in ("0.0.0.0", "::") else "127.0.0.1"
        dispatcher.advertise = f"{host}:{port}"
        await bootstrap(server, config, host, port)
    except BaseException:
        await runner.cleanup()
        await server.stop()
        await streams.close()
        await storage.aclose()
        raise
    server_url = f"https://{host}:{port}"
    kubeconfig = config.kubeconfig or data_dir / "kubeconfig"
    if config.write_kubeconfig:
        write_kubeconfig(kubeconfig, pki, server_url)
    dispatcher.ready = True
    config.url = server_url
    config.ready.set()
    if config.write_kubeconfig:
        log.info("serving on %s (storage %s); kubeconfig at %s", server_url, url, kubeconfig)
    else:
        log.info("serving on %s (storage %s)", server_url, url)
    return RunningServer(config, server, dispatcher, runner, storage, server_url, kubeconfig, streams)


# Bootstrap attempts: API servers sharing storage race to create the system objects.
BOOTSTRAP_ATTEMPTS = 5


async def bootstrap(server: ApiServer, config: ApiServerConfig, host: str, port: int) -> None:
    """`ensure_system_objects`, tried again when another API server on the same storage was
    creating them at the same moment: its read can miss an object that admission then sees
    (the `kubernetes` Service's fixed ClusterIP already allocated: 422), and the next attempt
    finds it and leaves it alone."""
    for attempt in range(1, BOOTSTRAP_ATTEMPTS + 1):
        try:
            await ensure_system_objects(server, service_cidr=config.service_cidr, host=host, port=port)
            return
        except errors.StatusError as err:
            if attempt == BOOTSTRAP_ATTEMPTS:
                raise
            log.info("system objects: %s (another API server creating them?); trying again", err)
            await asyncio.sleep(0.2 * attempt)


def _bound_port(runner: web.ServerRunner) -> int | None:
    for address in runner.addresses:
        if isinstance(address, tuple) and len(address) >= 2:
            return int(address[1])
    return None


async def run_apiserver(config: ApiServerConfig, stop: asyncio.Event) -> None:
    """Serve until `stop` is set, then drain and exit."""
    running = await start_apiserver(config)
    runtime.freeze_startup_objects()
    runtime.tune_gc(young=runtime.LATENCY_YOUNG)
    try:
        await stop.wait()
        log.info("shutting down: draining requests")
    finally:
        await running.stop()
