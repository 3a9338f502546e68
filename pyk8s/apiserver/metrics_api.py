"""The resource metrics API (`metrics.k8s.io/v1beta1`: NodeMetrics and PodMetrics), which
`kubectl top` and the HorizontalPodAutoscaler read.

On Kubernetes metrics-server serves it through API aggregation, from the kubelets'
resource metrics. Here the API server serves it itself: every request asks the node
agents concerned for `/stats/summary` (CPU in nanocores over the node's last measurement
window, memory as the working set) and answers in metrics-server's shapes. Nothing is
scraped in the background. Nodes whose agent cannot be reached (simulated nodes, for one)
have no metrics, as a node without a kubelet has none under metrics-server.

The group is registered like any other (discovery lists it, so kubectl finds it), but
its requests are answered here rather than by the generic resource handler, because
they need the namespace, the name and the label selector of the request.
"""

from __future__ import annotations

import asyncio
import logging
from decimal import Decimal
from typing import Any

import orjson
from aiohttp import web

from pyk8s.api import errors
from pyk8s.api.quantity import BINARY_SI, DECIMAL_SI, Quantity
from pyk8s.api.resource import Obj, ResourceInfo, ResourceStrategy
from pyk8s.api.schema import QUANTITY, TIME, list_of, map_of, ref, string, struct
from pyk8s.api.selectors import FieldSelector, LabelSelector, SelectorError
from pyk8s.apiserver.proxy import NodeConnections
from pyk8s.apiserver.requestinfo import RequestInfo
from pyk8s.apiserver.server import ApiServer
from pyk8s.kinds import meta
from pyk8s.registry.options import ListOptions

log = logging.getLogger("pyk8s.apiserver.metrics")

GROUP = "metrics.k8s.io"
VERSION = "v1beta1"
SUMMARY_TIMEOUT = 5.0
M = "io.k8s.metrics.pkg.apis.metrics.v1beta1."

USAGE = map_of(QUANTITY, "Resource usage by resource name (cpu, memory).")
ContainerMetrics = struct(
    M + "ContainerMetrics",
    "Resource usage of one container.",
    required=("name", "usage"),
    name=string("The container's name, as in the pod spec."),
    usage=USAGE,
)
NodeMetrics = struct(
    M + "NodeMetrics",
    "Resource usage of a node, measured over `window` ending at `timestamp`.",
    required=("timestamp", "window", "usage"),
    gvk=(GROUP, VERSION, "NodeMetrics"),
    apiVersion=string("API group and version: metrics.k8s.io/v1beta1."),
    kind=string("NodeMetrics."),
    metadata=ref(meta.OBJECT_META, "The node's name and labels."),
    timestamp=TIME,
    window=string("How long the CPU rate was measured over (a duration such as 1.5s)."),
    usage=USAGE,
)
PodMetrics = struct(
    M + "PodMetrics",
    "Resource usage of the containers of a pod, measured over `window` ending at `timestamp`.",
    required=("timestamp", "window", "containers"),
    gvk=(GROUP, VERSION, "PodMetrics"),
    apiVersion=string("API group and version: metrics.k8s.io/v1beta1."),
    kind=string("PodMetrics."),
    metadata=ref(meta.OBJECT_META, "The pod's name, namespace and labels."),
    timestamp=TIME,
    window=string("How long the CPU rate was measured over (a duration such as 1.5s)."),
    containers=list_of(ContainerMetrics, "Usage of each running container."),
)


class _MetricsStrategy(ResourceStrategy):
    """Read-only, computed on every request: nothing stored, cached or split into status."""

    has_status = False
    persisted = False
    cacheable_cells = False


def _metrics_info(kind: str, plural: str, namespaced: bool) -> ResourceInfo:
    return ResourceInfo(
        group=GROUP, version=VERSION, kind=kind, plural=plural, namespaced=namespaced, verbs=("get", "list")
    )


class NodeMetricsStrategy(_MetricsStrategy):
    info = _metrics_info("NodeMetrics", "nodes", namespaced=False)
    schema = NodeMetrics


class PodMetricsStrategy(_MetricsStrategy):
    info = _metrics_info("PodMetrics", "pods", namespaced=True)
    schema = PodMetrics


def install(server: ApiServer, nodes: NodeConnections) -> MetricsApi:
    """Serve metrics.k8s.io from `server` (discovery lists it from now on)."""
    server.add(NodeMetricsStrategy())
    server.add(PodMetricsStrategy())
    return MetricsApi(server, nodes)


def cpu_quantity(nanocores: int) -> str:
    return Quantity.from_decimal(Decimal(nanocores) / Decimal(10**9), DECIMAL_SI).canonical()


def memory_quantity(size: int) -> str:
    return Quantity.from_decimal(Decimal(size), BINARY_SI).canonical()


class MetricsApi:
    """Answers GET and LIST of nodes and pods in metrics.k8s.io/v1beta1."""

    def __init__(self, server: ApiServer, nodes: NodeConnections) -> None:
        self.server = server
        self.nodes = nodes

    async def handle(self, request: web.Request, info: RequestInfo) -> web.Response:
        if info.version != VERSION or info.resource not in ("nodes", "pods") or info.subresource:
            raise errors.NotFoundError("the server could not find the requested resource")
        if info.verb not in ("get", "list"):
            raise errors.method_not_supported(info.resource, info.verb, group=GROUP)
        if info.resource == "nodes" and info.namespace:
            raise errors.NotFoundError("the server could not find the requested resource")
        try:
            labels = LabelSelector.parse(request.query.get("labelSelector", ""))
            fields = FieldSelector.parse(request.query.get("fieldSelector", ""))
        except SelectorError as err:
            raise errors.BadRequestError(str(err)) from None
        if info.resource == "nodes":
            items = await self.node_metrics(labels, fields, info.name)
            kind = "NodeMetrics"
            missing = f'nodemetrics.metrics.k8s.io "{info.name}" not found'
        else:
            items = await self.pod_metrics(info.namespace, labels, fields, info.name)
            kind = "PodMetrics"
            missing = f'podmetrics.metrics.k8s.io "{info.namespace}/{info.name}" not found'
        if info.name:
            if not items:
                raise errors.NotFoundError(
                    missing, details={"name": info.name, "group": GROUP, "kind": info.resource}
                )
            return _json(items[0])
        body = {"kind": f"{kind}List", "apiVersion": f"{GROUP}/{VERSION}", "metadata": {}, "items": items}
        return _json(body)

    async def _objects(
        self, resource: str, namespace: str, labels: LabelSelector, fields: FieldSelector
    ) -> list[Obj]:
        endpoint = self.server.endpoint("", "v1", resource)
        assert endpoint is not None
        listed = await endpoint.storage.list(
            namespace, ListOptions(label_selector=labels, field_selector=fields)
        )
        return [cached.obj() for cached in listed.items]

    async def _summaries(self, node_names: set[str]) -> dict[str, Obj]:
        async def one(name: str) -> tuple[str, Obj | None]:
            try:
                return name, await self.nodes.fetch_json(name, "/stats/summary", SUMMARY_TIMEOUT)
            except (errors.StatusError, OSError, TimeoutError, ValueError) as err:
                log.debug("no metrics from node %s: %s", name, err)
                return name, None
            except Exception as err:  # a node's failure must not fail the whole list
                log.info("no metrics from node %s: %s", name, err)
                return name, None

        results = await asyncio.gather(*(one(name) for name in sorted(node_names)))
        return {name: summary for name, summary in results if summary is not None}

    async def node_metrics(self, labels: LabelSelector, fields: FieldSelector, name: str = "") -> list[Obj]:
        nodes = await self._objects("nodes", "", labels, fields)
        if name:
            nodes = [n for n in nodes if n["metadata"]["name"] == name]
        summaries = await self._summaries({n["metadata"]["name"] for n in nodes})
        items = []
        for node in nodes:
            summary = summaries.get(node["metadata"]["name"])
            stats = (summary or {}).get("node") or {}
            cpu, memory = stats.get("cpu") or {}, stats.get("memory") or {}
            if "usageNanoCores" not in cpu or "workingSetBytes" not in memory:
                continue
            items.append(
                {
                    "kind": "NodeMetrics",
                    "apiVersion": f"{GROUP}/{VERSION}",
                    "metadata": _metadata(node),
                    "timestamp": cpu.get("time") or memory.get("time"),
                    "window": (summary or {}).get("window") or "10s",
                    "usage": {
                        "cpu": cpu_quantity(int(cpu["usageNanoCores"])),
                        "memory": memory_quantity(int(memory["workingSetBytes"])),
                    },
                }
            )
        return items

    async def pod_metrics(
        self, namespace: str, labels: LabelSelector, fields: FieldSelector, name: str = ""
    ) -> list[Obj]:
        pods = await self._objects("pods", namespace, labels, fields)
        if name:
            pods = [p for p in pods if p["metadata"]["name"] == name]
        pods = [p for p in pods if (p.get("spec") or {}).get("nodeName")]
        summaries = await self._summaries({p["spec"]["nodeName"] for p in pods})
        by_uid: dict[str, tuple[Obj, str]] = {}
        for summary in summaries.values():
            for entry in summary.get("pods") or []:
                uid = (entry.get("podRef") or {}).get("uid")
                if uid:
                    by_uid[uid] = (entry, summary.get("window") or "10s")
        items = []
        for pod in pods:
            found = by_uid.get(pod["metadata"].get("uid", ""))
            if found is None:
                continue
            entry, window = found
            containers = []
            timestamp = ""
            for container in entry.get("containers") or []:
                cpu, memory = container.get("cpu") or {}, container.get("memory") or {}
                if "usageNanoCores" not in cpu or "workingSetBytes" not in memory:
                    continue
                timestamp = timestamp or cpu.get("time", "")
                usage = {
                    "cpu": cpu_quantity(int(cpu["usageNanoCores"])),
                    "memory": memory_quantity(int(memory["workingSetBytes"])),
                }
                containers.append({"name": container["name"], "usage": usage})
            if not containers:
                continue
            items.append(
                {
                    "kind": "PodMetrics",
                    "apiVersion": f"{GROUP}/{VERSION}",
                    "metadata": _metadata(pod),
                    "timestamp": timestamp,
                    "window": window,
                    "containers": containers,
                }
            )
        return items


def _metadata(obj: Obj) -> Obj:
    meta_in = obj["metadata"]
    out: dict[str, Any] = {"name": meta_in["name"]}
    if meta_in.get("namespace"):
        out["namespace"] = meta_in["namespace"]
    out["creationTimestamp"] = meta_in.get("creationTimestamp")
    if meta_in.get("labels"):
        out["labels"] = meta_in["labels"]
    return out


def _json(value: Any) -> web.Response:
    return web.Response(body=orjson.dumps(value), content_type="application/json")
