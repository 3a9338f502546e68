"""The Node object a simulated node registers and the status it keeps fresh.

A simulated node looks like a kubelet's: the well-known labels, capacity and allocatable,
the four conditions (three pressures and Ready), an InternalIP and Hostname address, the
kubelet endpoint and a nodeInfo naming the `simulated` runtime. Conditions not written by a
node (added by other components) are kept as they are.
"""

from __future__ import annotations

import hashlib
import platform
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pyk8s
from pyk8s.api.meta import rfc3339

Obj = dict[str, Any]
SIMULATED_ANNOTATION = "pyk8s.io/simulated"
KUBELET_PORT = 10250
_ARCH = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}
# (type, reason, message) of each condition a healthy node reports, in the kubelet's order.
HEALTHY_CONDITIONS = (
    ("MemoryPressure", "False", "KubeletHasSufficientMemory", "the simulated node has memory to spare"),
    ("DiskPressure", "False", "KubeletHasNoDiskPressure", "the simulated node has disk to spare"),
    ("PIDPressure", "False", "KubeletHasSufficientPID", "the simulated node has process IDs to spare"),
    ("Ready", "True", "KubeletReady", "the simulated node is posting ready status"),
)
NODE_CONDITION_TYPES = frozenset(c[0] for c in HEALTHY_CONDITIONS)


def architecture() -> str:
    machine = platform.machine().lower()
    return _ARCH.get(machine, machine or "amd64")


@dataclass(frozen=True, slots=True)
class NodeIdentity:
    """What a node reports about itself that does not change while it runs."""

    name: str
    internal_ip: str
    kubelet_version: str
    boot_id: str

    @classmethod
    def new(cls, name: str, internal_ip: str, *, kubelet_version: str) -> NodeIdentity:
        """A fresh boot ID on each start, as a rebooted machine reports."""
        return cls(name, internal_ip, kubelet_version, str(uuid.uuid4()))


def node_labels(name: str, extra: Mapping[str, str]) -> dict[str, str]:
    """The labels a kubelet sets on its node, plus the configured ones."""
    arch = architecture()
    labels = {
        "beta.kubernetes.io/arch": arch,
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": arch,
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
    }
    labels.update(extra)
    return labels


def node_object(
    identity: NodeIdentity,
    *,
    capacity: Mapping[str, str],
    labels: Mapping[str, str],
    taints: tuple[Mapping[str, Any], ...],
    now: float,
) -> Obj:
    """The Node a simulated node registers (status included: nodes register with it)."""
    spec: Obj = {}
    if taints:
        spec["taints"] = [dict(t) for t in taints]
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": identity.name,
            "labels": node_labels(identity.name, labels),
            "annotations": {SIMULATED_ANNOTATION: "true", "node.alpha.kubernetes.io/ttl": "0"},
        },
        "spec": spec,
        "status": node_status(identity, capacity=capacity, now=now, previous=None),
    }


def node_status(
    identity: NodeIdentity, *, capacity: Mapping[str, str], now: float, previous: Obj | None
) -> Obj:
    """The full status a node writes (registration and re-registration)."""
    return {
        "capacity": dict(capacity),
        "allocatable": dict(capacity),
        "conditions": node_conditions(now, previous),
        "addresses": [
            {"type": "InternalIP", "address": identity.internal_ip},
            {"type": "Hostname", "address": identity.name},
        ],
        "daemonEndpoints": {"kubeletEndpoint": {"Port": KUBELET_PORT}},
        "nodeInfo": node_info(identity),
    }


def node_info(identity: NodeIdentity) -> Obj:
    digest = hashlib.sha256(identity.name.encode()).hexdigest()
    return {
        "machineID": digest[:32],
        "systemUUID": str(uuid.UUID(digest[:32])),
        "bootID": identity.boot_id,
        "kernelVersion": platform.release() or "unknown",
        "osImage": "pyk8s simulated node",
        "containerRuntimeVersion": f"simulated://{pyk8s.__version__}",
        "kubeletVersion": identity.kubelet_version,
        "operatingSystem": "linux",
        "architecture": architecture(),
    }


def node_conditions(now: float, previous: Obj | None) -> list[Obj]:
    """Healthy conditions with a fresh heartbeat; a condition keeps its transition time while
    its status is unchanged; conditions other components added are kept as they are."""
    old = [c for c in ((previous or {}).get("status") or {}).get("conditions") or [] if isinstance(c, dict)]
    by_type = {c.get("type"): c for c in old}
    stamp = rfc3339(now)
    conditions: list[Obj] = []
    for type_, status, reason, message in HEALTHY_CONDITIONS:
        before = by_type.get(type_)
        changed = before is None or before.get("status") != status
        conditions.append(
            {
                "type": type_,
                "status": status,
                "lastHeartbeatTime": stamp,
                "lastTransitionTime": stamp if changed else before.get("lastTransitionTime") or stamp,  # type: ignore[union-attr]
                "reason": reason,
                "message": message,
            }
        )
    conditions += [c for c in old if c.get("type") not in NODE_CONDITION_TYPES]
    return conditions


def is_ready(node: Obj) -> bool:
    """Whether the node's Ready condition is True."""
    for condition in (node.get("status") or {}).get("conditions") or []:
        if condition.get("type") == "Ready":
            return condition.get("status") == "True"
    return False


def internal_ip(node: Obj) -> str:
    for address in (node.get("status") or {}).get("addresses") or []:
        if address.get("type") == "InternalIP":
            return str(address.get("address") or "")
    return ""


def pod_cidr(node: Obj) -> str:
    spec = node.get("spec") or {}
    cidrs = spec.get("podCIDRs") or []
    return str(spec.get("podCIDR") or (cidrs[0] if cidrs else ""))
