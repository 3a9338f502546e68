"""NodeResourcesFit: the pod's requests must fit in the node's allocatable resources minus
what its pods (assumed ones included) already request; then nodes are scored by how much
would be left (LeastAllocated, the default: spreading) or used (MostAllocated: packing).

Filter reasons are kube-scheduler's: "Too many pods", "Insufficient cpu", "Insufficient
memory", "Insufficient ephemeral-storage", "Insufficient <extended resource>", all
Unschedulable (preemption may free the room).

Scores use each resource's weight: score = sum of weight x resource score / sum of weight over the
resources the node has, where for LeastAllocated a resource scores
(allocatable - requested) x 100 / allocatable, and for MostAllocated requested x 100 /
allocatable; cpu and memory count the "non-zero" requests (100m / 200Mi for containers that
name none), so best-effort pods spread too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from pyk8s.scheduler.events import NODE, POD, Action, ClusterEvent
from pyk8s.scheduler.framework import (
    MAX_NODE_SCORE,
    CycleState,
    filter_nodes_one_by_one,
    record_rejections,
)
from pyk8s.scheduler.nodeinfo import NodeInfo
from pyk8s.scheduler.podinfo import CPU, MEMORY, PodInfo
from pyk8s.scheduler.status import Code, Status

if TYPE_CHECKING:
    from pyk8s.scheduler.framework import Framework

NAME = "NodeResourcesFit"
LEAST_ALLOCATED = "LeastAllocated"
MOST_ALLOCATED = "MostAllocated"
STRATEGIES = (LEAST_ALLOCATED, MOST_ALLOCATED)


class ResourceSpec(NamedTuple):
    name: str
    weight: int = 1


DEFAULT_RESOURCES = (ResourceSpec(CPU, 1), ResourceSpec(MEMORY, 1))


def least_requested_score(requested: int, capacity: int) -> int:
    if capacity == 0 or requested > capacity:
        return 0
    return (capacity - requested) * MAX_NODE_SCORE // capacity


def most_requested_score(requested: int, capacity: int) -> int:
    if capacity == 0:
        return 0
    return min(requested, capacity) * MAX_NODE_SCORE // capacity


def allocatable_and_requested(
    node: NodeInfo, resource: str, pod_request: int, *, non_zero: bool
) -> tuple[int, int]:
    """(allocatable, requested with the pod) of one resource on a node, as scoring sees it:
    (0, 0) for an extended resource the pod does not ask for, so it is left out."""
    if resource == CPU:
        return node.alloc_cpu, (node.nz_cpu if non_zero else node.req_cpu) + pod_request
    if resource == MEMORY:
        return node.alloc_memory, (node.nz_memory if non_zero else node.req_memory) + pod_request
    if resource == "ephemeral-storage":
        return node.alloc_ephemeral, node.req_ephemeral + pod_request
    if pod_request == 0:
        return 0, 0
    return node.alloc_scalars.get(resource, 0), node.req_scalars.get(resource, 0) + pod_request


def pod_score_requests(pod: PodInfo, resources: Sequence[ResourceSpec], *, non_zero: bool) -> list[int]:
    out = []
    for spec in resources:
        if non_zero and spec.name == CPU:
            out.append(pod.non_zero_cpu)
        elif non_zero and spec.name == MEMORY:
            out.append(pod.non_zero_memory)
        else:
            out.append(pod.requests.get(spec.name, 0))
    return out


class NodeResourcesFit:
    """Filter on requests; Score with the configured strategy."""

    name = NAME

    def __init__(
        self,
        fw: Framework | None = None,
        *,
        strategy: str = LEAST_ALLOCATED,
        resources: Sequence[ResourceSpec] = DEFAULT_RESOURCES,
        ignored_resources: Sequence[str] = (),
        ignored_resource_groups: Sequence[str] = (),
    ) -> None:
        if strategy not in STRATEGIES:
            raise ValueError(f"scoring strategy {strategy} is not supported")
        self.strategy = strategy
        self.resources = tuple(resources)
        self.ignored = frozenset(ignored_resources)
        self.ignored_groups = frozenset(ignored_resource_groups)
        self._statuses: dict[tuple[str, ...], Status] = {}

    # Filter

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        too_many = len(node.pods) >= node.alloc_pods
        cpu, memory, ephemeral = pod.req_cpu, pod.req_memory, pod.req_ephemeral
        if not too_many and (
            (cpu == 0 or cpu <= node.alloc_cpu - node.req_cpu)
            and (memory == 0 or memory <= node.alloc_memory - node.req_memory)
            and (ephemeral == 0 or ephemeral <= node.alloc_ephemeral - node.req_ephemeral)
            and not pod.req_scalars
        ):
            return None  # the common case, decided without building anything
        reasons, unresolvable = self.insufficient_resources(pod, node)
        return self._status(tuple(reasons), unresolvable) if reasons else None

    def filter_nodes(
        self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo], rejected: dict[str, Status]
    ) -> list[NodeInfo]:
        if pod.req_scalars or pod.req_ephemeral:
            return filter_nodes_one_by_one(self, state, pod, nodes, rejected)
        cpu, memory = pod.req_cpu, pod.req_memory
        passing = [
            n
            for n in nodes
            if n.free_pods > 0 and (not cpu or cpu <= n.free_cpu) and (not memory or memory <= n.free_memory)
        ]
        return record_rejections(self, state, pod, nodes, passing, rejected)

    def insufficient_resources(self, pod: PodInfo, node: NodeInfo) -> tuple[list[str], bool]:
        """The reasons the pod does not fit, in kube-scheduler's order, and whether the pod
        asks for more than the node has at all (then preempting cannot help, as since
        Kubernetes 1.34: the status is UnschedulableAndUnresolvable)."""
        reasons = []
        unresolvable = False

        def check(reason: str, wanted: int, allocatable: int, requested: int) -> None:
            nonlocal unresolvable
            if wanted > allocatable - requested:
                reasons.append(reason)
                unresolvable = unresolvable or wanted > allocatable

        if len(node.pods) + 1 > node.alloc_pods:
            reasons.append("Too many pods")
            unresolvable = node.alloc_pods < 1
        if pod.req_cpu:
            check("Insufficient cpu", pod.req_cpu, node.alloc_cpu, node.req_cpu)
        if pod.req_memory:
            check("Insufficient memory", pod.req_memory, node.alloc_memory, node.req_memory)
        if pod.req_ephemeral:
            eph = pod.req_ephemeral
            check("Insufficient ephemeral-storage", eph, node.alloc_ephemeral, node.req_ephemeral)
        for name, value in pod.req_scalars:
            if name in self.ignored or ("/" in name and name.split("/", 1)[0] in self.ignored_groups):
                continue
            allocatable, requested = node.alloc_scalars.get(name, 0), node.req_scalars.get(name, 0)
            check(f"Insufficient {name}", value, allocatable, requested)
        return reasons, unresolvable

    def _status(self, reasons: tuple[str, ...], unresolvable: bool) -> Status:
        key = (*reasons, str(unresolvable))
        status = self._statuses.get(key)
        if status is None:
            code = Code.UNSCHEDULABLE_AND_UNRESOLVABLE if unresolvable else Code.UNSCHEDULABLE
            status = self._statuses[key] = Status(code, *reasons, plugin=NAME)
        return status

    # Score

    def score(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> list[int]:
        if self.resources == DEFAULT_RESOURCES:
            return self._score_cpu_memory(pod, nodes)
        requests = pod_score_requests(pod, self.resources, non_zero=True)
        scorer = least_requested_score if self.strategy == LEAST_ALLOCATED else most_requested_score
        scores = []
        for node in nodes:
            total = weights = 0
            for spec, request in zip(self.resources, requests, strict=True):
                allocatable, requested = allocatable_and_requested(node, spec.name, request, non_zero=True)
                if allocatable == 0:
                    continue
                total += scorer(requested, allocatable) * spec.weight
                weights += spec.weight
            scores.append(total // weights if weights else 0)
        return scores

    def _score_cpu_memory(self, pod: PodInfo, nodes: list[NodeInfo]) -> list[int]:
        """The default resources (cpu and memory, weight 1 each), inlined: this runs for
        hundreds of nodes per pod."""
        pod_cpu, pod_mem = pod.non_zero_cpu, pod.non_zero_memory
        least = self.strategy == LEAST_ALLOCATED
        scores = []
        append = scores.append
        for node in nodes:
            cap_cpu, cap_mem = node.alloc_cpu, node.alloc_memory
            req_cpu, req_mem = node.nz_cpu + pod_cpu, node.nz_memory + pod_mem
            if least:
                s_cpu = (cap_cpu - req_cpu) * 100 // cap_cpu if cap_cpu and req_cpu <= cap_cpu else 0
                s_mem = (cap_mem - req_mem) * 100 // cap_mem if cap_mem and req_mem <= cap_mem else 0
            else:
                s_cpu = (req_cpu if req_cpu < cap_cpu else cap_cpu) * 100 // cap_cpu if cap_cpu else 0
                s_mem = (req_mem if req_mem < cap_mem else cap_mem) * 100 // cap_mem if cap_mem else 0
            if cap_cpu and cap_mem:
                append((s_cpu + s_mem) // 2)
            else:
                append(s_cpu if cap_cpu else s_mem)
        return scores

    def normalize_score(self, state: CycleState, pod: PodInfo, scores: list[int]) -> None:
        return None

    def events_to_register(self) -> list[ClusterEvent]:
        return [
            ClusterEvent(POD, Action.DELETE | Action.UPDATE_POD_SCALE_DOWN),
            ClusterEvent(NODE, Action.ADD | Action.UPDATE_NODE_ALLOCATABLE),
        ]
