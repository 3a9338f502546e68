"""Node health as the node lifecycle controller judges it: pure functions, time passed in.

A node proves it is alive two ways: its agent renews the node's Lease in
`kube-node-lease` (cheap, every few seconds), and it posts `status.conditions` (the Ready
condition's lastHeartbeatTime). The controller does not trust the timestamps written by
the node (clocks differ): it records, on its own clock, when it last *saw* either one
change (the probe time). A node not seen alive for the grace period gets its conditions
set Unknown, and the taints follow from the conditions:

    Ready=False    -> node.kubernetes.io/not-ready    NoSchedule + NoExecute
    Ready=Unknown  -> node.kubernetes.io/unreachable  NoSchedule + NoExecute
    Ready=True     -> neither
    MemoryPressure/DiskPressure/PIDPressure/NetworkUnavailable=True -> their NoSchedule taint
    spec.unschedulable -> node.kubernetes.io/unschedulable NoSchedule
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pyk8s.api.meta import parse_time, rfc3339

Obj = dict[str, Any]

NOT_READY_TAINT = "node.kubernetes.io/not-ready"
UNREACHABLE_TAINT = "node.kubernetes.io/unreachable"
UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable"
NO_SCHEDULE = "NoSchedule"
NO_EXECUTE = "NoExecute"

# condition type -> status -> taint key (NoSchedule)
CONDITION_TAINTS: dict[str, dict[str, str]] = {
    "Ready": {"False": NOT_READY_TAINT, "Unknown": UNREACHABLE_TAINT},
    "MemoryPressure": {"True": "node.kubernetes.io/memory-pressure"},
    "DiskPressure": {"True": "node.kubernetes.io/disk-pressure"},
    "NetworkUnavailable": {"True": "node.kubernetes.io/network-unavailable"},
    "PIDPressure": {"True": "node.kubernetes.io/pid-pressure"},
}
# Conditions the controller marks Unknown for a silent node (NetworkUnavailable belongs to
# the network provider, not the node agent).
AGENT_CONDITIONS = ("Ready", "MemoryPressure", "DiskPressure", "PIDPressure")
MANAGED_NO_SCHEDULE = frozenset(
    {*(k for m in CONDITION_TAINTS.values() for k in m.values()), UNSCHEDULABLE_TAINT}
)


def condition(node: Mapping[str, Any], kind: str) -> Obj | None:
    for cond in (node.get("status") or {}).get("conditions") or []:
        if cond.get("type") == kind:
            return cond
    return None


@dataclass
class _Seen:
    heartbeat: str  # Ready's lastHeartbeatTime as last seen ("" when the node has no Ready)
    transition: str
    renew_time: str  # the Lease's renewTime as last seen
    probe: float  # when the controller last saw the node alive (its own clock)


class HealthTracker:
    """When each node was last seen alive, on the controller's clock."""

    def __init__(self) -> None:
        self._seen: dict[str, _Seen] = {}

    def forget(self, name: str) -> None:
        self._seen.pop(name, None)

    def observe(self, node: Mapping[str, Any], lease: Mapping[str, Any] | None, now: float) -> float:
        """Record what the node shows now; returns its probe time (the last sign of life).

        A node first seen, or whose Ready heartbeat or Lease renewTime moved since the last
        look, counts as alive now. A node that never posted Ready starts from its creation."""
        meta = node.get("metadata") or {}
        name = str(meta.get("name") or "")
        ready = condition(node, "Ready")
        heartbeat = str((ready or {}).get("lastHeartbeatTime") or "")
        transition = str((ready or {}).get("lastTransitionTime") or "")
        renew = str(((lease or {}).get("spec") or {}).get("renewTime") or "")
        seen = self._seen.get(name)
        if seen is None:
            created = meta.get("creationTimestamp")
            probe = now if ready is not None or not created else _time(created, now)
            seen = _Seen(heartbeat, transition, renew, probe)
        elif heartbeat != seen.heartbeat:
            seen = _Seen(heartbeat, transition, seen.renew_time, now)
        if renew and renew != seen.renew_time:
            seen.renew_time = renew
            seen.probe = now
        self._seen[name] = seen
        return seen.probe


def _time(text: Any, default: float) -> float:
    try:
        return parse_time(str(text))
    except ValueError:
        return default


def with_unknown_conditions(node: Mapping[str, Any], now: float) -> Obj | None:
    """The node with its agent's conditions set Unknown ("Kubelet stopped posting node
    status."), or None if they already are. Missing conditions are added as never updated."""
    updated = copy.deepcopy(dict(node))
    status = updated.setdefault("status", {})
    conditions = status.setdefault("conditions", [])
    stamp = rfc3339(now)
    created = (updated.get("metadata") or {}).get("creationTimestamp") or stamp
    changed = False
    for kind in AGENT_CONDITIONS:
        cond = next((c for c in conditions if c.get("type") == kind), None)
        if cond is None:
            conditions.append(
                {
                    "type": kind,
                    "status": "Unknown",
                    "lastHeartbeatTime": created,
                    "lastTransitionTime": stamp,
                    "reason": "NodeStatusNeverUpdated",
                    "message": "Kubelet never posted node status.",
                }
            )
            changed = True
        elif cond.get("status") != "Unknown":
            cond.update(
                status="Unknown",
                reason="NodeStatusUnknown",
                message="Kubelet stopped posting node status.",
                lastTransitionTime=stamp,
            )
            changed = True
    return updated if changed else None


def ready_status(node: Mapping[str, Any]) -> str:
    """The Ready condition's status; Unknown when the node never posted one."""
    ready = condition(node, "Ready")
    return str((ready or {}).get("status") or "Unknown")


def _is(taint: Mapping[str, Any], key: str, effect: str) -> bool:
    return taint.get("key") == key and taint.get("effect") == effect


def desired_taints(node: Mapping[str, Any], now: float) -> list[Obj] | None:
    """The node's taints with the controller-managed ones brought in line with its
    conditions; None if nothing changes. Taints the controller adds carry timeAdded."""
    taints: list[Obj] = list((node.get("spec") or {}).get("taints") or [])
    wanted_no_schedule: set[str] = set()
    for cond in (node.get("status") or {}).get("conditions") or []:
        key = CONDITION_TAINTS.get(str(cond.get("type")), {}).get(str(cond.get("status")))
        if key:
            wanted_no_schedule.add(key)
    if (node.get("spec") or {}).get("unschedulable"):
        wanted_no_schedule.add(UNSCHEDULABLE_TAINT)
    ready = ready_status(node)
    wanted_no_execute = {"False": {NOT_READY_TAINT}, "Unknown": {UNREACHABLE_TAINT}}.get(ready, set())

    stamp = rfc3339(now)
    result: list[Obj] = []
    for taint in taints:
        key, effect = taint.get("key"), taint.get("effect")
        if effect == NO_SCHEDULE and key in MANAGED_NO_SCHEDULE and key not in wanted_no_schedule:
            continue
        if (
            effect == NO_EXECUTE
            and key in (NOT_READY_TAINT, UNREACHABLE_TAINT)
            and key not in wanted_no_execute
        ):
            continue
        result.append(taint)
    for key in sorted(wanted_no_schedule):
        if not any(_is(t, key, NO_SCHEDULE) for t in result):
            result.append({"key": key, "effect": NO_SCHEDULE, "timeAdded": stamp})
    for key in sorted(wanted_no_execute):
        if not any(_is(t, key, NO_EXECUTE) for t in result):
            result.append({"key": key, "effect": NO_EXECUTE, "timeAdded": stamp})
    return None if result == taints else result


def pod_not_ready(pod: Mapping[str, Any], now: float) -> Obj | None:
    """The pod with its Ready condition set False (a pod on a node not known to be ready
    cannot be trusted to serve), or None when it already is or has no Ready condition."""
    conditions = (pod.get("status") or {}).get("conditions") or []
    if not any(c.get("type") == "Ready" and c.get("status") != "False" for c in conditions):
        return None
    updated = copy.deepcopy(dict(pod))
    for cond in updated["status"]["conditions"]:
        if cond.get("type") == "Ready" and cond.get("status") != "False":
            cond["status"] = "False"
            cond["lastTransitionTime"] = rfc3339(now)
    return updated
