"""Streams and proxies through the API server to node agents: pods/log, pods/exec,
pods/attach, pods/portforward, pods/proxy, nodes/proxy and services/proxy.

The protocols live on the node (`pyk8s/node/kubelet/server.py`); this module only checks
the request against the objects (the pod exists, is bound, names a valid container),
finds the node agent (`status.daemonEndpoints.kubeletEndpoint.Port` at the node's
InternalIP) and relays:

- log: the node's HTTP body, streamed as it comes;
- exec, attach, portforward: the client's WebSocket. The node is dialled first with the
  protocols the client offered, then the client's upgrade is accepted with the protocol
  the node chose, and messages are pumped both ways until either side closes. So the
  channel protocol and SPDY-in-WebSocket are spoken end to end by the client and the node;
- pods/proxy and services/proxy: an HTTP/1.0 request carried over the node's port-forward
  (channel protocol), so a pod's port is reached inside its network namespace wherever
  the pod network does or does not route;
- nodes/proxy: an HTTP request to the node agent itself.

The API server authenticates to nodes with its kubelet-client certificate and does not
verify the node's self-signed serving certificate (both ends run on this machine, as with
kube-apiserver's --kubelet-insecure-tls). Network safety: node addresses are contacted only
when they belong to this machine (loopback or bound to a local interface); simulated nodes
publish addresses that do not, and their pods get a 503 instead of packets leaving the host.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import ipaddress
import logging
import socket
import ssl
import weakref
from typing import Any

import aiohttp
import orjson
from aiohttp import WSMsgType, web
from yarl import URL

from pyk8s.api import errors
from pyk8s.api import fields as field_errors
from pyk8s.api.resource import Obj
from pyk8s.api.selectors import LabelSelector
from pyk8s.apiserver.certs import Pki
from pyk8s.apiserver.requestinfo import RequestInfo
from pyk8s.apiserver.server import ApiServer, Endpoint
from pyk8s.registry.options import ListOptions

log = logging.getLogger("pyk8s.apiserver.proxy")

LONG_RUNNING = frozenset({"log", "exec", "attach", "portforward", "proxy"})
CONNECT_TIMEOUT = 10.0
PROXY_BODY_LIMIT = 64 << 20
CHANNEL_V4 = "v4.channel.k8s.io"
# Headers that describe one hop, never forwarded (RFC 9110 §7.6.1), plus credentials.
HOP_HEADERS = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "authorization",
        "host",
        "content-length",
        "content-encoding",
    }
)

_INSTALLED: weakref.WeakKeyDictionary[ApiServer, StreamProxy] = weakref.WeakKeyDictionary()


def install(server: ApiServer, pki: Pki) -> StreamProxy:
    """Enable streams and proxies for `server`, reaching nodes with the PKI's kubelet-client
    certificate."""
    proxy = StreamProxy(server, NodeConnections(server, pki))
    _INSTALLED[server] = proxy
    return proxy


async def serve_stream(
    server: ApiServer, request: web.Request, info: RequestInfo, endpoint: Endpoint, user: object = None
) -> web.StreamResponse:
    """The handler for the streaming subresources (called from the resource handler)."""
    proxy = _INSTALLED.get(server)
    if proxy is None:
        raise errors.ServiceUnavailableError(
            f"{info.resource}/{info.subresource} is not served by this API server"
        )
    return await proxy.serve(request, info, endpoint)


def is_local_address(address: str) -> bool:
    """Whether `address` is an IP of this machine (loopback or bound to an interface)."""
    return _is_local(address)


@functools.lru_cache(maxsize=1024)
def _is_local(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if ip.is_loopback:
        return True
    family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((address, 0))
        except OSError:
            return False
    return True


AGENT_ADDRESS_ANNOTATION = "pyk8s.io/node-agent-address"


class NodeConnections:
    """Where node agents are and the TLS session that reaches them."""

    def __init__(self, server: ApiServer, pki: Pki) -> None:
        self.server = server
        self.ssl = ssl.create_default_context()
        self.ssl.check_hostname = False
        self.ssl.verify_mode = ssl.CERT_NONE  # self-signed node certificates, on this host
        self.ssl.load_cert_chain(str(pki.kubelet_client_cert), str(pki.kubelet_client_key))
        self._session: aiohttp.ClientSession | None = None

    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(ssl=self.ssl, limit=0)
            self._session = aiohttp.ClientSession(
                connector=connector,
                timeout=aiohttp.ClientTimeout(total=None, sock_connect=CONNECT_TIMEOUT),
                auto_decompress=False,
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def node(self, name: str) -> Obj:
        nodes = self.server.endpoint("", "v1", "nodes")
        if nodes is None:
            raise errors.not_found("nodes", name)
        return await nodes.storage.get("", name)

    def location(self, node: Obj) -> tuple[str, int]:
        """The node agent's (address, port), or a 503 when it cannot be reached from here."""
        name = node["metadata"]["name"]
        status = node.get("status") or {}
        port = int(((status.get("daemonEndpoints") or {}).get("kubeletEndpoint") or {}).get("Port") or 0)
        addresses = {a.get("type"): a.get("address") for a in status.get("addresses") or []}
        address = addresses.get("InternalIP") or addresses.get("ExternalIP") or ""
        # A real node's InternalIP may exist only inside its pod-network namespace; its agent
        # says where on this machine it listens.
        agent = ((node.get("metadata") or {}).get("annotations") or {}).get(AGENT_ADDRESS_ANNOTATION, "")
        if agent and is_local_address(agent):
            address = agent
        if not port or not address:
            raise errors.ServiceUnavailableError(f"node {name} does not publish a node agent endpoint")
        if not is_local_address(address):
            raise errors.ServiceUnavailableError(
                f"the node agent of {name} ({address}:{port}) is not on this machine: "
                "this API server only contacts node agents at local addresses"
            )
        return address, port

    async def for_node(self, name: str) -> tuple[str, int]:
        return self.location(await self.node(name))

    def url(self, address: str, port: int, path: str, raw_query: str = "", scheme: str = "https") -> URL:
        host = f"[{address}]" if ":" in address else address
        query = f"?{raw_query}" if raw_query else ""
        return URL(f"{scheme}://{host}:{port}{path}{query}", encoded=True)

    async def fetch_json(self, name: str, path: str, timeout: float) -> Any:
        """GET a JSON document from a node agent."""
        address, port = await self.for_node(name)
        async with self.session().get(
            self.url(address, port, path), timeout=aiohttp.ClientTimeout(total=timeout)
        ) as resp:
            body = await resp.read()
            if resp.status != 200:
                raise _backend_error(resp.status, body)
            return orjson.loads(body)


class StreamProxy:
    """Serves the streaming and proxy subresources of pods, nodes and services."""

    def __init__(self, server: ApiServer, nodes: NodeConnections) -> None:
        self.server = server
        self.nodes = nodes

    async def close(self) -> None:
        await self.nodes.close()

    async def serve(self, request: web.Request, info: RequestInfo, endpoint: Endpoint) -> web.StreamResponse:
        resource, sub = info.resource, info.subresource
        if info.group or sub not in LONG_RUNNING or not info.name:
            raise errors.NotFoundError("the server could not find the requested resource")
        if resource == "pods":
            if sub == "proxy":
                return await self._pod_proxy(request, info)
            if request.method not in ("GET", "POST") or (sub == "log" and request.method != "GET"):
                raise errors.method_not_supported(f"pods/{sub}", request.method.lower())
            pod = await self._pod(info.namespace, info.name)
            if sub == "log":
                return await self._log(request, pod)
            if sub == "portforward":
                return await self._relay(request, pod, f"/portForward/{info.namespace}/{info.name}")
            return await self._remote_command(request, pod, sub)
        if resource == "nodes" and sub == "proxy":
            return await self._node_proxy(request, info)
        if resource == "services" and sub == "proxy":
            return await self._service_proxy(request, info)
        raise errors.NotFoundError("the server could not find the requested resource")

    # pods

    async def _pod(self, namespace: str, name: str) -> Obj:
        pods = self.server.endpoint("", "v1", "pods")
        assert pods is not None
        return await pods.storage.get(namespace, name)

    async def _pod_node(self, pod: Obj) -> tuple[str, int]:
        node = (pod.get("spec") or {}).get("nodeName")
        if not node:
            raise errors.BadRequestError(f"pod {pod['metadata']['name']} does not have a host assigned")
        return await self.nodes.for_node(node)

    async def _log(self, request: web.Request, pod: Obj) -> web.StreamResponse:
        name, namespace = pod["metadata"]["name"], pod["metadata"].get("namespace", "default")
        container = pick_container(pod, request.query.get("container", ""))
        problems = validate_log_options(request.query)
        if problems:
            raise errors.invalid("PodLogOptions", name, problems)
        address, port = await self._pod_node(pod)
        url = self.nodes.url(
            address, port, f"/containerLogs/{namespace}/{name}/{container}", request.rel_url.raw_query_string
        )
        try:
            upstream = await self.nodes.session().get(
                url, timeout=aiohttp.ClientTimeout(total=None, sock_read=None)
            )
        except (aiohttp.ClientError, OSError) as err:
            raise _dial_error(address, port, err) from None
        async with upstream:
            if upstream.status != 200:
                raise _backend_error(upstream.status, await upstream.read())
            response = web.StreamResponse(headers={"Content-Type": "text/plain"})
            await response.prepare(request)
            try:
                async for chunk in upstream.content.iter_any():
                    await response.write(chunk)
                await response.write_eof()
            except (ConnectionError, aiohttp.ClientPayloadError):
                pass  # the client left, or the node went away mid-stream
            return response

    async def _remote_command(self, request: web.Request, pod: Obj, sub: str) -> web.StreamResponse:
        name, namespace = pod["metadata"]["name"], pod["metadata"].get("namespace", "default")
        container = pick_container(pod, request.query.get("container", ""))
        phase = (pod.get("status") or {}).get("phase")
        if phase in ("Succeeded", "Failed"):
            action = "exec into" if sub == "exec" else "attach to"
            raise errors.BadRequestError(
                f"cannot {action} a container in a completed pod; current phase is {phase}"
            )
        if sub == "exec" and not request.query.getall("command", []):
            raise errors.BadRequestError("you must specify at least 1 command")
        return await self._relay(request, pod, f"/{sub}/{namespace}/{name}/{container}")

    async def _relay(self, request: web.Request, pod: Obj, path: str) -> web.StreamResponse:
        """Dial the node's WebSocket with the client's protocols, then accept the client's
        upgrade with the protocol the node chose and pump messages both ways."""
        address, port = await self._pod_node(pod)  # first, so a client falling back to SPDY sees it too
        if request.headers.get("Upgrade", "").lower() != "websocket":
            raise errors.BadRequestError(
                "streams are served over WebSocket only (Upgrade: websocket); SPDY upgrades are not supported"
            )
        offered = [
            p.strip()
            for value in request.headers.getall("Sec-WebSocket-Protocol", [])
            for p in value.split(",")
        ]
        url = self.nodes.url(address, port, path, request.rel_url.raw_query_string)
        try:
            upstream = await self.nodes.session().ws_connect(
                url, protocols=[p for p in offered if p], max_msg_size=0, autoping=True, compress=0
            )
        except aiohttp.WSServerHandshakeError as err:
            raise _backend_error(err.status, b"") from None
        except (aiohttp.ClientError, OSError) as err:
            raise _dial_error(address, port, err) from None
        client = web.WebSocketResponse(
            protocols=(upstream.protocol,) if upstream.protocol else (),
            max_msg_size=0,
            compress=False,
            autoping=True,
        )
        try:
            await client.prepare(request)
            await pump_websockets(client, upstream)
        finally:
            await upstream.close()
        return client

    async def _pod_proxy(self, request: web.Request, info: RequestInfo) -> web.StreamResponse:
        scheme, name, port_text = split_proxy_name(info.name)
        if scheme not in ("", "http"):
            raise errors.BadRequestError(f"pods/proxy supports http only, not {scheme}")
        pod = await self._pod(info.namespace, name)
        port = container_port(pod, port_text)
        return await self._proxy_through_node(request, pod, port, proxied_path(request, info))

    async def _proxy_through_node(self, request: web.Request, pod: Obj, port: int, path: str) -> web.Response:
        """One HTTP/1.0 exchange with `port` in the pod, over the node's port-forward."""
        name, namespace = pod["metadata"]["name"], pod["metadata"].get("namespace", "default")
        address, node_port = await self._pod_node(pod)
        url = self.nodes.url(address, node_port, f"/portForward/{namespace}/{name}", f"ports={port}")
        body = await request.read()
        query = request.rel_url.raw_query_string
        head = [f"{request.method} {path}{'?' + query if query else ''} HTTP/1.0", f"Host: {name}:{port}"]
        head += [f"{k}: {v}" for k, v in request.headers.items() if k.lower() not in HOP_HEADERS]
        head += [f"Content-Length: {len(body)}", "Connection: close"]
        raw_request = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body
        try:
            ws = await self.nodes.session().ws_connect(url, protocols=[CHANNEL_V4], max_msg_size=0)
        except aiohttp.WSServerHandshakeError as err:
            raise _backend_error(err.status, b"") from None
        except (aiohttp.ClientError, OSError) as err:
            raise _dial_error(address, node_port, err) from None
        data, failure = bytearray(), bytearray()
        seen = {0: False, 1: False}
        try:
            await ws.send_bytes(b"\x00" + raw_request)
            async for message in ws:
                if message.type != WSMsgType.BINARY or not message.data:
                    continue
                channel, payload = message.data[0], message.data[1:]
                if channel in seen and not seen[channel]:
                    seen[channel] = True  # each channel starts with the port number
                    continue
                (data if channel == 0 else failure).extend(payload)
                if len(data) > PROXY_BODY_LIMIT:
                    raise errors.ServiceUnavailableError("the proxied response is too large")
        finally:
            await ws.close()
        if failure:
            raise errors.ServiceUnavailableError(failure.decode(errors="replace"))
        return http_response(bytes(data))

    # nodes and services

    async def _node_proxy(self, request: web.Request, info: RequestInfo) -> web.StreamResponse:
        scheme, name, port_text = split_proxy_name(info.name)
        address, port = await self.nodes.for_node(name)
        if port_text:
            port = int(port_text) if port_text.isdigit() else port
        url = self.nodes.url(
            address, port, proxied_path(request, info), request.rel_url.raw_query_string, scheme or "https"
        )
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_HEADERS}
        body = await request.read()
        try:
            upstream = await self.nodes.session().request(
                request.method,
                url,
                headers=headers,
                data=body or None,
                timeout=aiohttp.ClientTimeout(total=None, sock_read=None),
            )
        except (aiohttp.ClientError, OSError) as err:
            raise _dial_error(address, port, err) from None
        async with upstream:
            response = web.StreamResponse(status=upstream.status)
            for key, value in upstream.headers.items():
                if key.lower() not in HOP_HEADERS:
                    response.headers.add(key, value)
            await response.prepare(request)
            with contextlib.suppress(ConnectionError, aiohttp.ClientPayloadError):
                async for chunk in upstream.content.iter_any():
                    await response.write(chunk)
                await response.write_eof()
            return response

    async def _service_proxy(self, request: web.Request, info: RequestInfo) -> web.StreamResponse:
        scheme, name, port_text = split_proxy_name(info.name)
        if scheme not in ("", "http"):
            raise errors.BadRequestError(f"services/proxy supports http only, not {scheme}")
        services = self.server.endpoint("", "v1", "services")
        assert services is not None
        service = await services.storage.get(info.namespace, name)
        pod, port = await self._service_backend(service, port_text)
        return await self._proxy_through_node(request, pod, port, proxied_path(request, info))

    async def _service_backend(self, service: Obj, port_text: str) -> tuple[Obj, int]:
        """A ready pod behind the service and its port, from the EndpointSlices."""
        name, namespace = service["metadata"]["name"], service["metadata"].get("namespace", "default")
        ports = (service.get("spec") or {}).get("ports") or []
        chosen = next(
            (
                p
                for p in ports
                if not port_text or p.get("name") == port_text or str(p.get("port")) == port_text
            ),
            None,
        )
        if chosen is None:
            raise errors.ServiceUnavailableError(f'no endpoints available for service "{name}"')
        slices = self.server.endpoint("discovery.k8s.io", "v1", "endpointslices")
        if slices is not None:
            selector = LabelSelector.parse(f"kubernetes.io/service-name={name}")
            listed = await slices.storage.list(namespace, ListOptions(label_selector=selector))
            for cached in listed.items:
                endpoint_slice = cached.obj()
                port = next(
                    (
                        p.get("port")
                        for p in endpoint_slice.get("ports") or []
                        if p.get("name", "") == chosen.get("name", "")
                    ),
                    None,
                )
                for item in endpoint_slice.get("endpoints") or []:
                    target = item.get("targetRef") or {}
                    if target.get("kind") != "Pod" or (item.get("conditions") or {}).get("ready") is False:
                        continue
                    with contextlib.suppress(errors.NotFoundError):
                        pod = await self._pod(target.get("namespace") or namespace, target["name"])
                        return pod, int(port or _target_port(chosen, pod))
        raise errors.ServiceUnavailableError(f'no endpoints available for service "{name}"')


def _target_port(service_port: Obj, pod: Obj) -> int:
    target = service_port.get("targetPort", service_port.get("port"))
    return container_port(pod, str(target))


# request helpers (pure)


def pick_container(pod: Obj, container: str) -> str:
    """The container a log/exec/attach request means, as kube-apiserver picks it."""
    spec = pod.get("spec") or {}
    name = pod["metadata"]["name"]
    regular = [c["name"] for c in spec.get("containers") or []]
    init = [c["name"] for c in spec.get("initContainers") or []]
    ephemeral = [c["name"] for c in spec.get("ephemeralContainers") or []]
    if not container:
        if len(regular) == 1:
            return regular[0]
        if not regular:
            raise errors.BadRequestError(f"a container name must be specified for pod {name}")
        message = f"a container name must be specified for pod {name}, choose one of: [{' '.join(regular)}]"
        if init:
            message += f" or one of the init containers: [{' '.join(init)}]"
        raise errors.BadRequestError(message)
    if container not in (*regular, *init, *ephemeral):
        raise errors.BadRequestError(f"container {container} is not valid for pod {name}")
    return container


def validate_log_options(query: Any) -> field_errors.FieldErrors:
    """PodLogOptions validation, with Kubernetes' wording."""
    problems: field_errors.FieldErrors = []

    def number(key: str) -> int | None:
        value = query.get(key)
        if value is None or value == "":
            return None
        try:
            return int(value)
        except ValueError:
            problems.append(field_errors.invalid(key, value, "must be an integer"))
            return None

    tail = number("tailLines")
    if tail is not None and tail < 0:
        problems.append(field_errors.invalid("tailLines", tail, "must be greater than or equal to 0"))
    limit = number("limitBytes")
    if limit is not None and limit < 1:
        problems.append(field_errors.invalid("limitBytes", limit, "must be greater than 0"))
    since = number("sinceSeconds")
    if since is not None and query.get("sinceTime"):
        problems.append(
            field_errors.forbidden("", "at most one of `sinceTime` or `sinceSeconds` may be specified")
        )
    elif since is not None and since < 1:
        problems.append(field_errors.invalid("sinceSeconds", since, "must be greater than 0"))
    stream = query.get("stream")
    if stream not in (None, "", "All", "Stdout", "Stderr"):
        problems.append(field_errors.not_supported("stream", stream, ["All", "Stderr", "Stdout"]))
    elif stream not in (None, "", "All") and tail is not None:
        problems.append(
            field_errors.forbidden("", "`tailLines` and specific `stream` are mutually exclusive for now")
        )
    return problems


def split_proxy_name(text: str) -> tuple[str, str, str]:
    """`[scheme:]name[:port]` as proxy subresources name their target."""
    parts = text.split(":")
    if len(parts) == 1:
        return "", parts[0], ""
    if len(parts) == 2:
        return "", parts[0], parts[1]
    return parts[0], parts[1], parts[2]


def container_port(pod: Obj, port_text: str) -> int:
    """A port number from a number, a container port's name, or (empty) the first
    declared port (80 when none is declared), as kube-apiserver resolves pods/proxy."""
    declared = [p for c in (pod.get("spec") or {}).get("containers") or [] for p in c.get("ports") or []]
    if port_text.isdigit():
        return int(port_text)
    if port_text:
        for port in declared:
            if port.get("name") == port_text:
                return int(port["containerPort"])
        raise errors.BadRequestError(f"pod {pod['metadata']['name']} has no port named {port_text}")
    return int(declared[0]["containerPort"]) if declared else 80


def proxied_path(request: web.Request, info: RequestInfo) -> str:
    """What follows `.../<name>/proxy` in the request path ("/" when nothing does)."""
    raw = request.rel_url.raw_path
    marker = f"/{info.resource}/{info.name}/proxy"
    index = raw.find(marker)
    rest = raw[index + len(marker) :] if index >= 0 else ""
    return rest if rest.startswith("/") else "/" + rest


def http_response(raw: bytes) -> web.Response:
    """A web.Response from a whole HTTP/1.x response (status line, headers, body)."""
    head, sep, body = raw.partition(b"\r\n\r\n")
    if not sep:
        head, sep, body = raw.partition(b"\n\n")
    lines = head.decode("latin-1").splitlines()
    if not lines or not lines[0].startswith("HTTP/"):
        raise errors.ServiceUnavailableError("the pod did not answer with HTTP")
    parts = lines[0].split(" ", 2)
    status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 502
    response = web.Response(status=status, body=body)
    for line in lines[1:]:
        key, _, value = line.partition(":")
        if key and key.strip().lower() not in HOP_HEADERS:
            response.headers.add(key.strip(), value.strip())
    return response


async def pump_websockets(client: web.WebSocketResponse, upstream: aiohttp.ClientWebSocketResponse) -> None:
    """Copy messages both ways until one side closes, then close the other with its code."""

    async def copy(source: Any, sink: Any) -> None:
        async for message in source:
            if message.type == WSMsgType.BINARY:
                await sink.send_bytes(message.data)
            elif message.type == WSMsgType.TEXT:
                await sink.send_str(message.data)

    down = asyncio.ensure_future(copy(upstream, client))
    up = asyncio.ensure_future(copy(client, upstream))
    try:
        done, _ = await asyncio.wait({down, up}, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            if task.exception() is not None and not isinstance(task.exception(), ConnectionError):
                log.info("stream relay ended: %s", task.exception())
    finally:
        for task in (down, up):
            task.cancel()
        with contextlib.suppress(ConnectionError, RuntimeError):
            await client.close(code=upstream.close_code or 1000)
        with contextlib.suppress(ConnectionError, RuntimeError):
            await upstream.close(code=client.close_code or 1000)


def _backend_error(status: int, body: bytes) -> errors.StatusError:
    """A node's error answer as the Status the client gets."""
    try:
        doc = orjson.loads(body) if body else None
    except orjson.JSONDecodeError:
        doc = None
    if isinstance(doc, dict) and doc.get("kind") == "Status":
        return errors.from_status(doc, code=status)
    text = body.decode(errors="replace").strip() or f"the node agent answered {status}"
    if status == 404:
        return errors.NotFoundError(text)
    if 400 <= status < 500:
        return errors.BadRequestError(text)
    return errors.internal(text)


def _dial_error(address: str, port: int, err: BaseException) -> errors.StatusError:
    reason = getattr(err, "strerror", None) or str(err) or type(err).__name__
    return errors.ServiceUnavailableError(f"error dialing backend: dial tcp {address}:{port}: {reason}")
