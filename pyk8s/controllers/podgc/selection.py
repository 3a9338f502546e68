"""Which pods the pod garbage collector removes, as pure selections over pod dicts.

- terminated pods (Succeeded/Failed) beyond the threshold, oldest first;
- orphaned pods: bound to a node that no longer exists (the collector confirms the node
  is gone with a live read after a quarantine, so a node being re-registered is spared);
- unscheduled pods being deleted: no node agent will ever finish them.

Before an orphaned pod is deleted it is marked Failed with a DisruptionTarget condition,
as Kubernetes does, so its owner (a Job, say) knows why it went.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

from pyk8s.api.meta import rfc3339

Obj = dict[str, Any]

DEFAULT_TERMINATED_POD_THRESHOLD = 12500
DISRUPTION_TARGET = "DisruptionTarget"
DELETION_BY_POD_GC = "DeletionByPodGC"
NODE_GONE_MESSAGE = "PodGC: node no longer exists"


def is_terminated(pod: Mapping[str, Any]) -> bool:
    return (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")


def _created(pod: Mapping[str, Any]) -> tuple[str, str, str]:
    meta = pod.get("metadata") or {}
    return (
        str(meta.get("creationTimestamp") or ""),
        str(meta.get("namespace") or ""),
        str(meta.get("name") or ""),
    )


def terminated_to_delete(pods: Iterable[Mapping[str, Any]], threshold: int) -> list[Mapping[str, Any]]:
    """The oldest terminated pods beyond `threshold` (0 disables this collection)."""
    if threshold <= 0:
        return []
    terminated = [
        p for p in pods if is_terminated(p) and not (p.get("metadata") or {}).get("deletionTimestamp")
    ]
    excess = len(terminated) - threshold
    if excess <= 0:
        return []
    return sorted(terminated, key=_created)[:excess]


def node_name(pod: Mapping[str, Any]) -> str:
    return str((pod.get("spec") or {}).get("nodeName") or "")


def orphaned(pods: Iterable[Mapping[str, Any]], nodes: set[str]) -> list[Mapping[str, Any]]:
    """Pods bound to a node not in `nodes` (candidates: the node's absence must be confirmed)."""
    return [p for p in pods if node_name(p) and node_name(p) not in nodes]


def unscheduled_terminating(pods: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [p for p in pods if not node_name(p) and (p.get("metadata") or {}).get("deletionTimestamp")]


def failed_with_disruption(
    pod: Mapping[str, Any], now: float, *, message: str = NODE_GONE_MESSAGE
) -> Obj | None:
    """The pod's status marked Failed with a DisruptionTarget condition (None if it already
    has that condition and a terminal phase)."""
    updated = copy.deepcopy(dict(pod))
    status = updated.setdefault("status", {})
    conditions: list[Obj] = status.setdefault("conditions", [])
    target = next((c for c in conditions if c.get("type") == DISRUPTION_TARGET), None)
    if target is not None and target.get("status") == "True" and is_terminated(updated):
        return None
    wanted = {
        "type": DISRUPTION_TARGET,
        "status": "True",
        "reason": DELETION_BY_POD_GC,
        "message": message,
        "lastTransitionTime": rfc3339(now),
    }
    if target is None:
        conditions.append(wanted)
    else:
        target.update(wanted)
    if not is_terminated(updated):
        status["phase"] = "Failed"
    return updated
