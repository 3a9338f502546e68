"""`NodeInfo`: one node and the pods on it, with the sums the filters need kept up to date.

Adding or removing a pod updates the requested resources, the non-zero requests used for
scoring, the host ports in use and the lists of pods with (anti-)affinity, so a filter
reads a few integers instead of walking the node's pods. The node itself is parsed once
per version: labels, taints split by effect, `spec.unschedulable`, allocatable resources
and the images it holds.

The scheduling cycle reads NodeInfos directly from the cache: it runs without awaiting, so
nothing can change them under it (Kubernetes copies a snapshot per cycle because its
informers run on other threads). Preemption's what-if runs on `clone()`s.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from pyk8s.scheduler.podinfo import CPU, EPHEMERAL_STORAGE, MEMORY, PODS, HostPort, PodInfo, resource_value
from pyk8s.scheduler.terms import NO_EXECUTE, NO_SCHEDULE, PREFER_NO_SCHEDULE, Taint

Obj = dict[str, Any]
ALL_IPS = "0.0.0.0"
BASIC = frozenset((CPU, MEMORY, EPHEMERAL_STORAGE, PODS))


class NodeInfo:
    """A node's scheduling state. `node` is None while only pods name it (it may come later)."""

    __slots__ = (
        "alloc_cpu",
        "alloc_ephemeral",
        "alloc_memory",
        "alloc_pods",
        "alloc_scalars",
        "free_cpu",
        "free_memory",
        "free_pods",
        "hard_taints",
        "images",
        "labels",
        "match_counts",
        "name",
        "node",
        "nz_cpu",
        "nz_memory",
        "pods",
        "pods_with_affinity",
        "pods_with_required_anti_affinity",
        "prefer_taints",
        "req_cpu",
        "req_ephemeral",
        "req_memory",
        "req_scalars",
        "taints",
        "unschedulable",
        "used_ports",
    )

    def __init__(self, name: str, node: Obj | None = None) -> None:
        self.name = name
        self.node: Obj | None = None
        self.labels: Mapping[str, str] = {}
        self.taints: tuple[Taint, ...] = ()
        self.hard_taints: tuple[Taint, ...] = ()  # NoSchedule and NoExecute: the Filter's
        self.prefer_taints: tuple[Taint, ...] = ()  # PreferNoSchedule: the Score's
        self.unschedulable = False
        self.alloc_cpu = self.alloc_memory = self.alloc_ephemeral = self.alloc_pods = 0
        self.alloc_scalars: dict[str, int] = {}
        self.images: dict[str, int] = {}  # image name -> size in bytes
        self.req_cpu = self.req_memory = self.req_ephemeral = 0
        self.req_scalars: dict[str, int] = {}
        self.nz_cpu = self.nz_memory = 0
        self.pods: dict[str, PodInfo] = {}
        # (namespace, selector text) -> matching pods here; forgotten whenever the pods change
        self.match_counts: dict[tuple[str, str], int] = {}
        self.pods_with_affinity: dict[str, PodInfo] = {}
        self.pods_with_required_anti_affinity: dict[str, PodInfo] = {}
        self.used_ports: dict[tuple[str, int], Counter[str]] = {}
        # allocatable minus requested, kept up to date: the Filter reads one number each.
        self.free_cpu = self.free_memory = self.free_pods = 0
        if node is not None:
            self.set_node(node)

    # the node

    def set_node(self, node: Obj) -> None:
        meta = node.get("metadata") or {}
        spec = node.get("spec") or {}
        status = node.get("status") or {}
        self.node = node
        self.labels = meta.get("labels") or {}
        self.taints = tuple(Taint.parse(t) for t in spec.get("taints") or ())
        self.hard_taints = tuple(t for t in self.taints if t.effect in (NO_SCHEDULE, NO_EXECUTE))
        self.prefer_taints = tuple(t for t in self.taints if t.effect == PREFER_NO_SCHEDULE)
        self.unschedulable = bool(spec.get("unschedulable"))
        allocatable = status.get("allocatable") or {}
        self.alloc_cpu = resource_value(CPU, allocatable.get(CPU, 0))
        self.alloc_memory = resource_value(MEMORY, allocatable.get(MEMORY, 0))
        self.alloc_ephemeral = resource_value(EPHEMERAL_STORAGE, allocatable.get(EPHEMERAL_STORAGE, 0))
        self.alloc_pods = resource_value(PODS, allocatable.get(PODS, 0))
        self.alloc_scalars = {n: resource_value(n, v) for n, v in allocatable.items() if n not in BASIC}
        images: dict[str, int] = {}
        for image in status.get("images") or ():
            size = int(image.get("sizeBytes") or 0)
            for image_name in image.get("names") or ():
                images[image_name] = size
        self.images = images
        self._update_free()

    def _update_free(self) -> None:
        self.free_cpu = self.alloc_cpu - self.req_cpu
        self.free_memory = self.alloc_memory - self.req_memory
        self.free_pods = self.alloc_pods - len(self.pods)

    # pods

    def add_pod(self, pod: PodInfo) -> None:
        old = self.pods.get(pod.key)
        if old is not None:
            self.remove_pod(old.key)
        self.pods[pod.key] = pod
        self.match_counts.clear()
        self.req_cpu += pod.req_cpu
        self.req_memory += pod.req_memory
        self.req_ephemeral += pod.req_ephemeral
        for name, value in pod.req_scalars:
            self.req_scalars[name] = self.req_scalars.get(name, 0) + value
        self.nz_cpu += pod.non_zero_cpu
        self.nz_memory += pod.non_zero_memory
        for port in pod.host_ports:
            self.used_ports.setdefault((port.protocol, port.port), Counter())[port.ip] += 1
        if pod.has_affinity:
            self.pods_with_affinity[pod.key] = pod
        if pod.has_required_anti_affinity:
            self.pods_with_required_anti_affinity[pod.key] = pod
        self._update_free()

    def remove_pod(self, key: str) -> PodInfo | None:
        pod = self.pods.pop(key, None)
        if pod is None:
            return None
        self.match_counts.clear()
        self.req_cpu -= pod.req_cpu
        self.req_memory -= pod.req_memory
        self.req_ephemeral -= pod.req_ephemeral
        for name, value in pod.req_scalars:
            self.req_scalars[name] = self.req_scalars.get(name, 0) - value
        self.nz_cpu -= pod.non_zero_cpu
        self.nz_memory -= pod.non_zero_memory
        for port in pod.host_ports:
            ips = self.used_ports.get((port.protocol, port.port))
            if ips is not None:
                ips[port.ip] -= 1
                if ips[port.ip] <= 0:
                    del ips[port.ip]
                if not ips:
                    del self.used_ports[(port.protocol, port.port)]
        self.pods_with_affinity.pop(key, None)
        self.pods_with_required_anti_affinity.pop(key, None)
        self._update_free()
        return pod

    def port_conflicts(self, port: HostPort) -> bool:
        """Whether `port` is taken (0.0.0.0 conflicts with every address of the same port)."""
        ips = self.used_ports.get((port.protocol, port.port))
        if not ips:
            return False
        if port.ip == ALL_IPS:
            return True
        return ALL_IPS in ips or port.ip in ips

    def clone(self) -> NodeInfo:
        """An independent copy for what-if evaluation (preemption); pods are shared, not copied."""
        twin = NodeInfo.__new__(NodeInfo)
        for slot in NodeInfo.__slots__:
            setattr(twin, slot, getattr(self, slot))
        twin.req_scalars = dict(self.req_scalars)
        twin.pods = dict(self.pods)
        twin.match_counts = dict(self.match_counts)  # the twin's pods change on their own
        twin.pods_with_affinity = dict(self.pods_with_affinity)
        twin.pods_with_required_anti_affinity = dict(self.pods_with_required_anti_affinity)
        twin.used_ports = {k: Counter(v) for k, v in self.used_ports.items()}
        return twin

    def __repr__(self) -> str:
        return f"NodeInfo({self.name}, pods={len(self.pods)}, cpu={self.req_cpu}/{self.alloc_cpu}m)"
