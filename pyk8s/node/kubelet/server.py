"""The node agent's HTTPS API, which the API server reaches to serve pods/log, exec, attach,
port-forward, nodes/proxy and metrics (as kube-apiserver reaches the kubelet on 10250).

    GET /healthz                                      ok
    GET /pods                                         the pods this node runs (a PodList)
    GET /stats/summary                                usage (`stats.py`)
    GET /containerLogs/{namespace}/{pod}/{container}  pods/log parameters
    GET /exec/{namespace}/{pod}/{container}           WebSocket, v5/v4.channel.k8s.io
    GET /attach/{namespace}/{pod}/{container}         WebSocket, v5/v4.channel.k8s.io
    GET /portForward/{namespace}/{pod}                WebSocket, SPDY/3.1+portforward.k8s.io
                                                      or v5/v4.channel.k8s.io with ?ports=

It listens on the node's InternalIP on a port chosen at start (published in
`status.daemonEndpoints.kubeletEndpoint.Port`), with a self-signed serving certificate
kept under `DATA_DIR/pki`, and requires a client certificate signed by the cluster CA (the
one in the agent's kubeconfig): the API server presents `kube-apiserver-kubelet-client`.
Errors are `metav1.Status` bodies; once a stream is open, they go on its error channel.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import ipaddress
import json
import logging
import posixpath
import ssl
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from aiohttp import web
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from pyk8s.api import errors
from pyk8s.node.kubelet.probes import open_connection_in_netns
from pyk8s.node.kubelet.stats import ContainerRef, PodRef, StatsProvider
from pyk8s.node.kubelet.worker import PodWorker, container_key, pod_netns
from pyk8s.node.oci.crun import RuntimeError_
from pyk8s.node.streaming import channels, portforward, remotecommand
from pyk8s.node.streaming.logs import LogOptions, LogOptionsError, stream_logs

if TYPE_CHECKING:
    from pyk8s.node.kubelet.agent import Kubelet

log = logging.getLogger("pyk8s.node.kubelet.server")

Obj = dict[str, Any]
CONNECT_TIMEOUT = 10.0
CERT_DAYS = 3650


class KubeletServer:
    """Serves the node API for one `Kubelet`."""

    def __init__(self, kubelet: Kubelet) -> None:
        self.kubelet = kubelet
        self.port = 0  # 0 until serving; the Node status publishes it
        self.stats = StatsProvider(kubelet.config.node_name, clock=kubelet.clock)
        self._runner: web.AppRunner | None = None
        self._sockets: set[web.WebSocketResponse] = set()
        self._cgroups: dict[str, str] = {}
        kubelet.runtime.stdin_policy = self._stdin_policy

    # lifecycle

    async def start(self) -> int:
        """Listen on the node's address (a free port); returns the port, 0 if the cluster CA
        is unknown (client certificates could not be verified, so nothing is served)."""
        config = self.kubelet.config
        client_ca = self.kubelet.client.config.ca_data
        if not client_ca:
            log.warning("no cluster CA in the kubeconfig: logs, exec and port-forward are not served")
            return 0
        cert, key = await asyncio.to_thread(
            ensure_serving_certificate, config.data_dir / "pki", config.node_name, config.node_ip
        )
        context = server_ssl_context(cert, key, client_ca)
        app = web.Application(client_max_size=1 << 20)
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/pods", self._pods)
        app.router.add_get("/stats/summary", self._summary)
        app.router.add_get("/containerLogs/{namespace}/{pod}/{container}", self._logs)
        for verb in ("exec", "attach"):
            app.router.add_route("*", f"/{verb}/{{namespace}}/{{pod}}/{{container}}", self._remote_command)
        app.router.add_route("*", "/portForward/{namespace}/{pod}", self._port_forward)
        runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, config.node_ip, 0, ssl_context=context, reuse_address=True)
        await site.start()
        self._runner = runner
        for address in runner.addresses:
            if isinstance(address, tuple) and len(address) >= 2:
                self.port = int(address[1])
        log.info("node API on https://%s:%d", config.node_ip, self.port)
        return self.port

    async def stop(self) -> None:
        for ws in list(self._sockets):
            with contextlib.suppress(Exception):
                await ws.close(code=1001)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self.port = 0

    # lookups

    def _worker(self, namespace: str, name: str) -> PodWorker:
        for worker in list(self.kubelet.workers.values()):
            meta = worker.pod["metadata"]
            if meta.get("name") == name and meta.get("namespace", "default") == namespace:
                return worker
        raise errors.not_found("pods", name)

    @staticmethod
    def _container_spec(worker: PodWorker, name: str) -> Obj:
        spec = worker.pod["spec"]
        for key in ("containers", "initContainers", "ephemeralContainers"):
            for container in spec.get(key) or []:
                if container.get("name") == name:
                    return dict(container)
        raise errors.BadRequestError(
            f"container {name} is not valid for pod {worker.pod['metadata']['name']}"
        )

    def _running_container(self, worker: PodWorker, name: str) -> str:
        """The runtime ID of the container's current run, which must be running."""
        self._container_spec(worker, name)
        record = worker.records.get(name)
        if record is None or not record.running or not record.container_id:
            raise errors.BadRequestError(f'container not found ("{name}")')
        return record.container_id.split("://", 1)[1]

    def _stdin_policy(self, annotations: dict[str, str]) -> tuple[bool, bool]:
        worker = self.kubelet.workers.get(annotations.get("io.kubernetes.pod.uid", ""))
        if worker is None:
            return False, False
        try:
            container = self._container_spec(worker, annotations.get("io.kubernetes.container.name", ""))
        except errors.StatusError:
            return False, False
        return bool(container.get("stdin")), bool(container.get("stdinOnce"))

    # plain endpoints

    async def _healthz(self, request: web.Request) -> web.Response:
        return web.Response(text="ok")

    async def _pods(self, request: web.Request) -> web.Response:
        items = [worker.pod for worker in list(self.kubelet.workers.values())]
        body = {"kind": "PodList", "apiVersion": "v1", "metadata": {}, "items": items}
        return web.Response(body=orjson.dumps(body), content_type="application/json")

    async def _summary(self, request: web.Request) -> web.Response:
        pods = [self._pod_ref(worker) for worker in list(self.kubelet.workers.values())]
        summary = await self.stats.summary([p for p in pods if p is not None])
        return web.Response(body=orjson.dumps(summary), content_type="application/json")

    def _pod_ref(self, worker: PodWorker) -> PodRef | None:
        meta = worker.pod["metadata"]
        containers: list[ContainerRef] = []
        pod_cgroup = ""
        for name, record in list(worker.records.items()):
            if not record.running or not record.container_id:
                continue
            cgroup = self._cgroup_of(record.container_id.split("://", 1)[1])
            if cgroup:
                containers.append(ContainerRef(name, cgroup, record.started_at))
                pod_cgroup = posixpath.dirname(cgroup.rstrip("/"))
        if not pod_cgroup:
            return None
        start = (worker.pod.get("status") or {}).get("startTime") or ""
        return PodRef(
            meta["name"], meta.get("namespace", "default"), worker.uid, start, pod_cgroup, containers
        )

    def _cgroup_of(self, cid: str) -> str:
        """The container's cgroup, from its OCI spec (kept until the container is gone)."""
        cgroup = self._cgroups.get(cid)
        if cgroup is None:
            try:
                config = json.loads((self.kubelet.runtime.container_dir(cid) / "config.json").read_text())
                cgroup = str(config.get("linux", {}).get("cgroupsPath") or "")
            except (OSError, ValueError):
                return ""
            if len(self._cgroups) > 4096:
                self._cgroups.clear()
            self._cgroups[cid] = cgroup
        return cgroup

    # logs

    async def _logs(self, request: web.Request) -> web.StreamResponse:
        info = request.match_info
        try:
            options = LogOptions.from_query(request.query, self.kubelet.clock.now())
            worker = self._worker(info["namespace"], info["pod"])
            path, finished = self._log_file(worker, info["container"], options.previous)
        except LogOptionsError as err:
            return _status_response(errors.BadRequestError(str(err)))
        except errors.StatusError as err:
            return _status_response(err)
        response = web.StreamResponse(headers={"Content-Type": "text/plain; charset=utf-8"})
        await response.prepare(request)
        try:
            async with contextlib.aclosing(stream_logs(path, options, finished)) as chunks:
                async for chunk in chunks:
                    await response.write(chunk)
            await response.write_eof()
        except ConnectionError:
            pass  # the reader left (kubectl logs -f interrupted)
        return response

    def _log_file(self, worker: PodWorker, name: str, previous: bool) -> tuple[Path, Callable[[], bool]]:
        """The log file of the run the request means, and whether that run is over.

        As the kubelet chooses: the latest run (running or not); `previous` is the run
        before it, or the last run while the container waits to be restarted."""
        self._container_spec(worker, name)
        pod_name = worker.pod["metadata"]["name"]
        runs = worker.attempts.get(name, 0)
        record = worker.records.get(name)
        waiting = record is None or (not record.running and record.terminated is None)
        latest = runs - 1
        if previous:
            run = latest if (waiting and record is not None and record.last_terminated) else latest - 1
            if run < 0:
                raise errors.BadRequestError(
                    f'previous terminated container "{name}" in pod "{pod_name}" not found'
                )
        else:
            run = latest
        meta = worker.pod["metadata"]
        path = (
            self.kubelet.services.logs_dir
            / f"{meta.get('namespace', 'default')}_{pod_name}_{worker.uid}"
            / name
            / f"{run}.log"
        )
        if run < 0 or not path.exists():
            if previous:
                raise errors.BadRequestError(
                    f'previous terminated container "{name}" in pod "{pod_name}" not found'
                )
            reason = (record.waiting_reason if record is not None else "") or "ContainerCreating"
            raise errors.BadRequestError(
                f'container "{name}" in pod "{pod_name}" is waiting to start: {reason}'
            )
        container_dir = self.kubelet.runtime.container_dir(container_key(worker.uid, name, run))

        def finished() -> bool:
            return run != latest or (container_dir / "exit.json").exists() or not container_dir.exists()

        return path, finished

    # streams

    async def _remote_command(self, request: web.Request) -> web.StreamResponse:
        verb = request.path.split("/")[1]
        ws = await self._accept(request, channels.SUPPORTED)
        if not isinstance(ws, web.WebSocketResponse):
            return ws
        sock = remotecommand.ChannelSocket(ws)
        options = remotecommand.StreamOptions.from_query(request.query)
        info = request.match_info
        try:
            worker = self._worker(info["namespace"], info["pod"])
            cid = self._running_container(worker, info["container"])
            if verb == "attach":
                reader, writer = await _attach(self.kubelet.runtime.attach(cid))
                await remotecommand.run_attach(sock, options, reader, writer)
            elif not options.command:
                raise errors.BadRequestError("you must specify at least 1 command")
            elif options.tty:
                proc, master = await self.kubelet.runtime.exec_tty(cid, list(options.command))
                await remotecommand.run_exec_tty(sock, options, proc, master)
            else:
                proc = await self.kubelet.runtime.exec(cid, list(options.command))
                await remotecommand.run_exec(sock, options, proc)
        except errors.StatusError as err:
            await sock.finish(channels.failure(err.message, err.reason, err.code))
        except (RuntimeError_, OSError) as err:
            await sock.finish(channels.failure(f"error {verb}ing in container: {err}"))
        finally:
            self._sockets.discard(ws)
        return ws

    async def _port_forward(self, request: web.Request) -> web.StreamResponse:
        ports: list[int] = []
        try:
            ports = portforward.parse_ports(request.query.getall("ports", []))
        except ValueError as err:
            return _status_response(errors.BadRequestError(f"invalid port: {err}"))
        offered = (
            (channels.PORT_FORWARD_SPDY, *channels.SUPPORTED) if ports else (channels.PORT_FORWARD_SPDY,)
        )
        ws = await self._accept(request, offered)
        if not isinstance(ws, web.WebSocketResponse):
            return ws
        namespace, name = request.match_info["namespace"], request.match_info["pod"]
        try:
            if ws.ws_protocol == channels.PORT_FORWARD_SPDY:
                await portforward.SpdyPortForward(ws, self._connector(namespace, name), name).run()
            else:
                await portforward.ChannelPortForward(ws, ports, self._connector(namespace, name), name).run()
        finally:
            self._sockets.discard(ws)
        return ws

    def _connector(self, namespace: str, name: str) -> portforward.Connect:
        async def connect(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
            try:
                worker = self._worker(namespace, name)
            except errors.StatusError as err:
                raise OSError(err.message) from None
            if worker.sandbox is None:
                raise OSError(f"pod {name} has no network namespace on this node yet")
            # The sandbox's namespace (a hostNetwork pod's is its node's); none on the process
            # runtime, whose pods listen on the machine's own loopback.
            return await open_connection_in_netns(
                pod_netns(worker.sandbox), "127.0.0.1", port, CONNECT_TIMEOUT
            )

        return connect

    async def _accept(self, request: web.Request, protocols: tuple[str, ...]) -> web.StreamResponse:
        """The WebSocket with the best protocol both sides speak, or an error response."""
        if request.headers.get("Upgrade", "").lower() != "websocket":
            return _status_response(
                errors.BadRequestError("this endpoint needs a WebSocket upgrade (Upgrade: websocket)")
            )
        offered = request.headers.getall("Sec-WebSocket-Protocol", [])
        chosen = channels.choose_protocol(offered, protocols)
        if chosen is None:
            return _status_response(
                errors.BadRequestError(
                    f"none of the offered protocols {offered} is supported; use one of {protocols}"
                )
            )
        ws = web.WebSocketResponse(protocols=(chosen,), max_msg_size=0, compress=False, autoping=True)
        await ws.prepare(request)
        self._sockets.add(ws)
        return ws


async def _attach(
    connecting: Awaitable[tuple[asyncio.StreamReader, asyncio.StreamWriter]],
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    try:
        return await connecting
    except OSError:
        raise errors.BadRequestError("the container has exited: nothing to attach to") from None


def _status_response(err: errors.StatusError) -> web.Response:
    return web.Response(status=err.code, body=orjson.dumps(err.status()), content_type="application/json")


def ensure_serving_certificate(directory: Path, node_name: str, address: str) -> tuple[Path, Path]:
    """The node's self-signed serving certificate and key (made once, then reused). The API
    server does not verify it, as with --kubelet-insecure-tls: both ends are on this host."""
    directory.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = directory / "kubelet.crt", directory / "kubelet.key"
    if cert_path.exists() and key_path.exists():
        return cert_path, key_path
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{node_name}@pyk8s")])
    sans: list[x509.GeneralName] = [x509.DNSName(node_name), x509.DNSName("localhost")]
    with contextlib.suppress(ValueError):
        sans.append(x509.IPAddress(ipaddress.ip_address(address)))
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=CERT_DAYS))
        .add_extension(x509.SubjectAlternativeName(sans), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_bytes = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    key_path.touch(mode=0o600)
    key_path.write_bytes(key_bytes)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path


def server_ssl_context(cert: Path, key: Path, client_ca: bytes) -> ssl.SSLContext:
    """TLS that requires a client certificate signed by the cluster CA."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cadata=client_ca.decode())
    context.load_cert_chain(str(cert), str(key))
    context.verify_mode = ssl.CERT_REQUIRED
    context.set_alpn_protocols(["http/1.1"])
    return context
