"""`PodInfo`: a pod with everything the plugins read, computed once.

A pod is parsed when it enters the queue or the cache (and again only when a new version
arrives), never per node: requests, host ports, tolerations, compiled affinity terms and
topology spread constraints. The dict itself is shared with the informer's cache and
never mutated; a pod assumed onto a node is a shallow copy of its PodInfo with
`node_name` set (no deep copy of the pod).

Resource requests follow Kubernetes' PodRequests: regular containers add up; init
containers run one at a time, so the pod needs the largest of them, except restartable
init containers (sidecars) which keep running and add to everything after them; then pod
overhead is added. Scoring uses "non-zero" requests, where a container that names no cpu
or memory request counts as 100m and 200Mi, so empty pods still spread.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping
from typing import Any, NamedTuple

from pyk8s.api.meta import parse_time
from pyk8s.api.quantity import QuantityError, parse_quantity
from pyk8s.api.selectors import LabelSelector, Op
from pyk8s.api.selectors import Requirement as LabelRequirement
from pyk8s.scheduler.terms import (
    AffinityTerm,
    NodeSelector,
    NodeSelectorTerm,
    PreferredTerm,
    Toleration,
    compile_affinity_terms,
    compile_label_selector,
)

Obj = dict[str, Any]

CPU = "cpu"
MEMORY = "memory"
EPHEMERAL_STORAGE = "ephemeral-storage"
PODS = "pods"
BASIC_RESOURCES = frozenset((CPU, MEMORY, EPHEMERAL_STORAGE, PODS))
DEFAULT_MILLI_CPU_REQUEST = 100  # what a container without a cpu request counts as, for scoring
DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024
DEFAULT_SCHEDULER = "default-scheduler"
PREEMPT_NEVER = "Never"


@functools.lru_cache(maxsize=4096)
def quantity_value(text: str, milli: bool) -> int:
    """A quantity string as an integer (cpu in millicores); 0 if it does not parse."""
    try:
        q = parse_quantity(text)
    except (QuantityError, ValueError, TypeError):
        return 0
    return q.milli_value() if milli else q.value()


def resource_value(name: str, text: Any) -> int:
    return quantity_value(str(text), name == CPU)


def _add(into: dict[str, int], other: Mapping[str, int]) -> None:
    for name, value in other.items():
        into[name] = into.get(name, 0) + value


def _max(into: dict[str, int], other: Mapping[str, int]) -> None:
    for name, value in other.items():
        if value > into.get(name, 0):
            into[name] = value


def _container_requests(container: Mapping[str, Any], defaults: bool) -> dict[str, int]:
    requests = ((container.get("resources") or {}).get("requests")) or {}
    out = {name: resource_value(name, value) for name, value in requests.items()}
    if defaults:
        out.setdefault(CPU, DEFAULT_MILLI_CPU_REQUEST)
        out.setdefault(MEMORY, DEFAULT_MEMORY_REQUEST)
    return out


def pod_requests(spec: Mapping[str, Any], *, non_zero: bool = False) -> dict[str, int]:
    """The pod's effective requests by resource name (PodRequests), cpu in millicores.
    `non_zero` fills in the scoring defaults for containers without cpu/memory requests."""
    total: dict[str, int] = {}
    for container in spec.get("containers") or ():
        _add(total, _container_requests(container, non_zero))
    sidecars: dict[str, int] = {}
    init_max: dict[str, int] = {}
    for container in spec.get("initContainers") or ():
        requests = _container_requests(container, non_zero)
        if container.get("restartPolicy") == "Always":
            # A sidecar runs from its start to the pod's end: it adds to the regular containers
            # and to every init container started after it.
            _add(total, requests)
            _add(sidecars, requests)
            running = dict(sidecars)
        else:
            running = dict(requests)
            _add(running, sidecars)
        _max(init_max, running)
    _max(total, init_max)
    pod_level = ((spec.get("resources") or {}).get("requests")) or {}
    for name in (CPU, MEMORY):
        if name in pod_level:
            total[name] = resource_value(name, pod_level[name])
    _add(total, {name: resource_value(name, v) for name, v in (spec.get("overhead") or {}).items()})
    return total


class HostPort(NamedTuple):
    ip: str
    protocol: str
    port: int


class SpreadConstraint(NamedTuple):
    """A TopologySpreadConstraint, compiled (matchLabelKeys merged into the selector)."""

    max_skew: int
    topology_key: str
    when_unsatisfiable: str
    selector: LabelSelector | None
    min_domains: int
    honor_node_affinity: bool
    honor_node_taints: bool
    # the selector as text: nodes remember their count of matching pods under this key
    selector_key: str | None = None

    def matches(self, namespace: str, own_namespace: str, labels: Mapping[str, str]) -> bool:
        return self.selector is not None and namespace == own_namespace and self.selector.matches(labels)


def _spread_constraints(spec: Mapping[str, Any], labels: Mapping[str, str]) -> tuple[SpreadConstraint, ...]:
    out = []
    for c in spec.get("topologySpreadConstraints") or ():
        selector = compile_label_selector(c.get("labelSelector"))
        keys = [k for k in c.get("matchLabelKeys") or () if k in labels]
        if selector is not None and keys:
            extra = [LabelRequirement(k, Op.IN, (labels[k],)) for k in keys]
            selector = LabelSelector([*selector.requirements, *extra])
        out.append(
            SpreadConstraint(
                max_skew=int(c.get("maxSkew") or 1),
                topology_key=str(c.get("topologyKey") or ""),
                when_unsatisfiable=str(c.get("whenUnsatisfiable") or "DoNotSchedule"),
                selector=selector,
                min_domains=int(c.get("minDomains") or 1),
                honor_node_affinity=(c.get("nodeAffinityPolicy") or "Honor") == "Honor",
                honor_node_taints=(c.get("nodeTaintsPolicy") or "Ignore") == "Honor",
                selector_key=str(selector) if selector is not None else None,
            )
        )
    return tuple(out)


# kube-scheduler's system default constraints, for pods without their own: spread the pods
# of one workload over hosts (skew 3) and zones (skew 5), as a preference only.
DEFAULT_SPREAD = (("kubernetes.io/hostname", 3), ("topology.kubernetes.io/zone", 5))
SPREAD_OWNERS = frozenset({"ReplicaSet", "ReplicationController", "StatefulSet"})
# Labels that differ between the pods of one workload, so they cannot select its siblings.
PER_POD_LABELS = frozenset({"statefulset.kubernetes.io/pod-name", "apps.kubernetes.io/pod-index"})


def _default_spread_constraints(
    meta: Mapping[str, Any], labels: Mapping[str, str]
) -> tuple[SpreadConstraint, ...]:
    """The default constraints for a pod a ReplicaSet, RC or StatefulSet owns.

    Kubernetes selects the siblings with the union of the selectors of the Services and
    controllers matching the pod; the scheduler here has no informers on those, so the
    pod's own labels (less the per-pod ones) select its siblings: the pods of one
    ReplicaSet share all of them (template labels plus pod-template-hash)."""
    owner = next((o for o in meta.get("ownerReferences") or () if o.get("controller")), None)
    if owner is None or owner.get("kind") not in SPREAD_OWNERS:
        return ()
    shared = [LabelRequirement(k, Op.IN, (v,)) for k, v in sorted(labels.items()) if k not in PER_POD_LABELS]
    if not shared:
        return ()
    selector = LabelSelector(shared)
    return tuple(
        SpreadConstraint(skew, key, "ScheduleAnyway", selector, 1, True, False, str(selector))
        for key, skew in DEFAULT_SPREAD
    )


def normalized_image_name(name: str) -> str:
    """Image names without a tag get `:latest`, as ImageLocality compares them."""
    if name.rfind(":") <= name.rfind("/"):
        return name + ":latest"
    return name


class PodInfo:
    """One pod, parsed for scheduling. Treat as immutable; `assumed_on()` copies."""

    __slots__ = (
        "affinity_terms",
        "anti_affinity_terms",
        "claims",
        "deleting",
        "host_ports",
        "images",
        "key",
        "labels",
        "name",
        "namespace",
        "node_affinity",
        "node_name",
        "node_selector",
        "nominated_node_name",
        "non_zero_cpu",
        "non_zero_memory",
        "obj",
        "preemption_policy",
        "preferred_affinity_terms",
        "preferred_anti_affinity_terms",
        "preferred_node_terms",
        "priority",
        "req_cpu",
        "req_ephemeral",
        "req_memory",
        "req_scalars",
        "requests",
        "scheduler_name",
        "scheduling_gated",
        "spread_constraints",
        "spread_defaulted",
        "tolerations",
        "uid",
    )

    obj: Obj
    key: str
    namespace: str
    name: str
    uid: str
    labels: Mapping[str, str]
    node_name: str
    nominated_node_name: str
    scheduler_name: str
    priority: int
    preemption_policy: str
    deleting: bool
    scheduling_gated: bool
    requests: dict[str, int]
    req_cpu: int
    req_memory: int
    req_ephemeral: int
    req_scalars: tuple[tuple[str, int], ...]  # extended resources and hugepages, non-zero only
    non_zero_cpu: int
    non_zero_memory: int
    host_ports: tuple[HostPort, ...]
    tolerations: tuple[Toleration, ...]
    node_selector: Mapping[str, str]
    node_affinity: NodeSelector | None
    preferred_node_terms: tuple[PreferredTerm, ...]
    affinity_terms: tuple[AffinityTerm, ...]
    anti_affinity_terms: tuple[AffinityTerm, ...]
    preferred_affinity_terms: tuple[AffinityTerm, ...]
    preferred_anti_affinity_terms: tuple[AffinityTerm, ...]
    spread_constraints: tuple[SpreadConstraint, ...]
    spread_defaulted: bool  # the constraints are the system defaults, not the pod's own
    claims: tuple[str, ...]
    images: tuple[str, ...]

    def __init__(self, pod: Obj) -> None:
        meta = pod.get("metadata") or {}
        spec = pod.get("spec") or {}
        status = pod.get("status") or {}
        self.obj = pod
        self.namespace = meta.get("namespace") or ""
        self.name = meta.get("name") or ""
        self.key = f"{self.namespace}/{self.name}"
        self.uid = meta.get("uid") or ""
        self.labels = meta.get("labels") or {}
        self.node_name = spec.get("nodeName") or ""
        self.nominated_node_name = status.get("nominatedNodeName") or ""
        self.scheduler_name = spec.get("schedulerName") or DEFAULT_SCHEDULER
        self.priority = int(spec.get("priority") or 0)
        self.preemption_policy = spec.get("preemptionPolicy") or "PreemptLowerPriority"
        self.deleting = bool(meta.get("deletionTimestamp"))
        self.scheduling_gated = bool(spec.get("schedulingGates"))
        self._parse_resources(spec)
        self.tolerations = tuple(Toleration.parse(t) for t in spec.get("tolerations") or ())
        self._parse_affinity(spec)
        own = bool(spec.get("topologySpreadConstraints"))
        self.spread_defaulted = not own
        self.spread_constraints = (
            _spread_constraints(spec, self.labels) if own else _default_spread_constraints(meta, self.labels)
        )
        self.claims = _claim_names(self.name, spec)
        self.images = tuple(
            normalized_image_name(str(c.get("image") or ""))
            for key in ("initContainers", "containers")
            for c in spec.get(key) or ()
        )

    def _parse_resources(self, spec: Mapping[str, Any]) -> None:
        self.requests = requests = pod_requests(spec)
        self.req_cpu = requests.get(CPU, 0)
        self.req_memory = requests.get(MEMORY, 0)
        self.req_ephemeral = requests.get(EPHEMERAL_STORAGE, 0)
        self.req_scalars = tuple(
            (name, value) for name, value in requests.items() if value and name not in BASIC_RESOURCES
        )
        non_zero = pod_requests(spec, non_zero=True)
        self.non_zero_cpu = non_zero.get(CPU, 0)
        self.non_zero_memory = non_zero.get(MEMORY, 0)
        ports: list[HostPort] = []
        containers = list(spec.get("containers") or ())
        containers += [c for c in spec.get("initContainers") or () if c.get("restartPolicy") == "Always"]
        for container in containers:
            for port in container.get("ports") or ():
                host_port = int(port.get("hostPort") or 0)
                if host_port > 0:
                    ip = port.get("hostIP") or "0.0.0.0"
                    ports.append(HostPort(ip, port.get("protocol") or "TCP", host_port))
        self.host_ports = tuple(ports)

    def _parse_affinity(self, spec: Mapping[str, Any]) -> None:
        self.node_selector = spec.get("nodeSelector") or {}
        affinity = spec.get("affinity") or {}
        node = affinity.get("nodeAffinity") or {}
        required = node.get("requiredDuringSchedulingIgnoredDuringExecution")
        self.node_affinity = NodeSelector.compile(required) if required is not None else None
        preferred = []
        for item in node.get("preferredDuringSchedulingIgnoredDuringExecution") or ():
            weight = int(item.get("weight") or 0)
            if weight:
                preferred.append(PreferredTerm(weight, NodeSelectorTerm.compile(item.get("preference"))))
        self.preferred_node_terms = tuple(preferred)
        pod_affinity = affinity.get("podAffinity") or {}
        anti = affinity.get("podAntiAffinity") or {}
        ns = self.namespace
        required_key = "requiredDuringSchedulingIgnoredDuringExecution"
        preferred_key = "preferredDuringSchedulingIgnoredDuringExecution"
        self.affinity_terms = compile_affinity_terms(pod_affinity.get(required_key), ns)
        self.anti_affinity_terms = compile_affinity_terms(anti.get(required_key), ns)
        self.preferred_affinity_terms = compile_affinity_terms(
            pod_affinity.get(preferred_key), ns, weighted=True
        )
        self.preferred_anti_affinity_terms = compile_affinity_terms(
            anti.get(preferred_key), ns, weighted=True
        )

    # derived facts

    @property
    def has_affinity(self) -> bool:
        """Any pod affinity or anti-affinity, required or preferred (NodeInfo.PodsWithAffinity)."""
        return bool(
            self.affinity_terms
            or self.anti_affinity_terms
            or self.preferred_affinity_terms
            or self.preferred_anti_affinity_terms
        )

    @property
    def has_required_anti_affinity(self) -> bool:
        return bool(self.anti_affinity_terms)

    @property
    def start_time(self) -> float:
        """When the pod started (status.startTime), or was created; for preemption's tie-breaks."""
        stamp = (self.obj.get("status") or {}).get("startTime") or (self.obj.get("metadata") or {}).get(
            "creationTimestamp"
        )
        try:
            return parse_time(stamp) if stamp else 0.0
        except ValueError:
            return 0.0

    def assumed_on(self, node_name: str) -> PodInfo:
        """A copy placed on `node_name` (the optimistic "assumed" pod); the dict is shared."""
        clone = copy.copy(self)
        clone.node_name = node_name
        return clone

    def __repr__(self) -> str:
        return f"PodInfo({self.key}, node={self.node_name or '-'}, priority={self.priority})"


def _claim_names(pod_name: str, spec: Mapping[str, Any]) -> tuple[str, ...]:
    names = []
    for volume in spec.get("volumes") or ():
        claim = volume.get("persistentVolumeClaim")
        if claim and claim.get("claimName"):
            names.append(str(claim["claimName"]))
        elif volume.get("ephemeral"):
            # A generic ephemeral volume's claim is named after the pod and the volume.
            names.append(f"{pod_name}-{volume.get('name', '')}")
    return tuple(names)


def pod_key(pod: Obj) -> str:
    meta = pod.get("metadata") or {}
    return f"{meta.get('namespace') or ''}/{meta.get('name') or ''}"
