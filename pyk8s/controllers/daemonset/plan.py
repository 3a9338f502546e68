"""What a DaemonSet sync does, decided from a snapshot (no I/O).

`manage()` makes every eligible node run one daemon pod and no other node run any
(`DaemonSetsController.manage`); `rolling_update()` then replaces out-of-date pods within
maxUnavailable, or, with maxSurge, starts the new pod beside the old one and deletes the
old one once the new one is available (`rollingUpdate`); `status()` counts the pods for
`.status`. Pods are grouped by the node they are for (`pods_by_node`); a pod is "updated"
when it carries the current revision's hash or the current template generation.
"""

from __future__ import annotations

import copy
import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pyk8s.api.meta import parse_time
from pyk8s.controllers.daemonset.placement import (
    add_daemon_tolerations,
    daemon_pod_spec,
    pin_to_node,
    should_run,
    target_node,
)
from pyk8s.controllers.history import POD_REVISION_LABEL
from pyk8s.controllers.runtime.pods import is_pod_available, is_pod_ready, is_pod_terminal

Obj = dict[str, Any]

# The server records how often the template changed in this annotation; pods carry the
# value they were made from in the label.
TEMPLATE_GENERATION_ANNOTATION = "deprecated.daemonset.template.generation"
TEMPLATE_GENERATION_LABEL = "pod-template-generation"


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return obj.get("metadata") or {}


def _name(obj: Mapping[str, Any]) -> str:
    return str(_meta(obj).get("name", ""))


def _spec(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return obj.get("spec") or {}


def _deleting(pod: Mapping[str, Any]) -> bool:
    return bool(_meta(pod).get("deletionTimestamp"))


def template_generation(ds: Mapping[str, Any]) -> int | None:
    value = (_meta(ds).get("annotations") or {}).get(TEMPLATE_GENERATION_ANNOTATION)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def is_pod_updated(pod: Mapping[str, Any], hash_: str, generation: int | None) -> bool:
    """Made from the current revision (hash label) or template generation (label)."""
    labels = _meta(pod).get("labels") or {}
    if hash_ and labels.get(POD_REVISION_LABEL) == hash_:
        return True
    return generation is not None and labels.get(TEMPLATE_GENERATION_LABEL) == str(generation)


def scaled_value(value: Any, total: int, *, round_up: bool) -> int:
    """An int-or-percent field resolved against `total` (intstr.GetScaledValueFromIntOrPercent)."""
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    text = str(value)
    if not text.endswith("%"):
        return int(text)
    fraction = int(text[:-1]) * total / 100
    return math.ceil(fraction) if round_up else math.floor(fraction)


def rolling_update_counts(ds: Mapping[str, Any], desired: int) -> tuple[int, int]:
    """(maxSurge, maxUnavailable) for `desired` scheduled pods; at least one may be
    unavailable when both come out zero (the API forbids it, but a percentage of few nodes
    can round to nothing)."""
    strategy = _spec(ds).get("updateStrategy") or {}
    rolling = strategy.get("rollingUpdate") or {}
    if strategy.get("type", "RollingUpdate") != "RollingUpdate":
        return 0, 0
    surge = scaled_value(rolling.get("maxSurge"), desired, round_up=True)
    unavailable = scaled_value(rolling.get("maxUnavailable", 1), desired, round_up=True)
    if desired > 0 and surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, unavailable


def allows_surge(ds: Mapping[str, Any]) -> bool:
    return rolling_update_counts(ds, 1)[0] > 0


def new_pod_template(ds: Mapping[str, Any], hash_: str, node_name: str) -> Obj:
    """The template a daemon pod for `node_name` is created from (CreatePodTemplate plus the
    node pin): the daemon tolerations, the generation and revision labels, and a required
    node affinity naming the node, which the scheduler honours when it binds the pod."""
    template = copy.deepcopy(dict(_spec(ds).get("template") or {}))
    spec = template.setdefault("spec", {})
    add_daemon_tolerations(spec)
    spec["affinity"] = pin_to_node(spec.get("affinity"), node_name)
    labels = template.setdefault("metadata", {}).setdefault("labels", {})
    generation = template_generation(ds)
    if generation is not None:
        labels[TEMPLATE_GENERATION_LABEL] = str(generation)
    if hash_:
        labels[POD_REVISION_LABEL] = hash_
    return template


# grouping


def pods_by_node(pods: Iterable[Obj]) -> dict[str, list[Obj]]:
    """Daemon pods keyed by the node they are for; finished pods being deleted are left out
    (they are gone as far as placement goes), as are pods pinned to no node."""
    grouped: dict[str, list[Obj]] = {}
    for pod in pods:
        if is_pod_terminal(pod) and _deleting(pod):
            continue
        node = target_node(pod)
        if node:
            grouped.setdefault(node, []).append(pod)
    return grouped


def _creation_time(pod: Mapping[str, Any]) -> float:
    text = _meta(pod).get("creationTimestamp")
    try:
        return parse_time(text) if text else 0.0
    except ValueError:
        return 0.0


def _compare_oldest_first(a: Mapping[str, Any], b: Mapping[str, Any]) -> int:
    """Scheduled pods first, then older, then by name (podByCreationTimestampAndPhase)."""
    bound_a, bound_b = bool(_spec(a).get("nodeName")), bool(_spec(b).get("nodeName"))
    if bound_a != bound_b:
        return -1 if bound_a else 1
    ta, tb = _creation_time(a), _creation_time(b)
    if ta != tb:
        return -1 if ta < tb else 1
    na, nb = _name(a), _name(b)
    return -1 if na < nb else (1 if na > nb else 0)


def oldest_first(pods: Iterable[Obj]) -> list[Obj]:
    return sorted(pods, key=functools.cmp_to_key(_compare_oldest_first))


# manage


@dataclass
class ManagePlan:
    """Nodes that need a pod, pods to delete, and failed pods found (for Warning events)."""

    nodes_needing_pods: list[str] = field(default_factory=list)
    pods_to_delete: list[str] = field(default_factory=list)
    failed_pods: list[tuple[Obj, str]] = field(default_factory=list)  # (pod, node)
    backoff_nodes: list[str] = field(default_factory=list)  # failed pods left for later


def _surge_keep(ds: Mapping[str, Any], running: list[Obj], hash_: str, now: float, plan: ManagePlan) -> None:
    """With surge, keep the oldest new and the oldest old pod only while the new one is not
    yet available and the old one still ready; every other pod goes."""
    oldest_new: Obj | None = None
    oldest_old: Obj | None = None
    for pod in oldest_first(running):
        is_new = (_meta(pod).get("labels") or {}).get(POD_REVISION_LABEL) == hash_
        if is_new and oldest_new is None:
            oldest_new = pod
        elif not is_new and oldest_old is None:
            oldest_old = pod
        else:
            plan.pods_to_delete.append(_name(pod))
    if oldest_new is None or oldest_old is None:
        return
    min_ready = int(_spec(ds).get("minReadySeconds") or 0)
    if not is_pod_ready(oldest_old) or is_pod_available(oldest_new, min_ready, now):
        plan.pods_to_delete.append(_name(oldest_old))


def _plan_node(
    ds: Mapping[str, Any],
    node: Mapping[str, Any],
    pods: list[Obj] | None,
    hash_: str,
    now: float,
    spec: Obj,
    in_backoff: frozenset[str],
    plan: ManagePlan,
) -> None:
    name = _name(node)
    run, keep_running = should_run(ds, node, spec)
    if run and pods is None:
        plan.nodes_needing_pods.append(name)
        return
    if not keep_running:
        plan.pods_to_delete.extend(_name(p) for p in pods or () if not _deleting(p))
        return
    running: list[Obj] = []
    for pod in pods or ():
        if _deleting(pod):
            continue
        phase = (pod.get("status") or {}).get("phase")
        if phase == "Failed":
            if name in in_backoff:
                plan.backoff_nodes.append(name)
                continue
            plan.failed_pods.append((pod, name))
            plan.pods_to_delete.append(_name(pod))
        elif phase == "Succeeded":
            plan.pods_to_delete.append(_name(pod))
        else:
            running.append(pod)
    if not allows_surge(ds):
        # Without surge a node runs one pod: the oldest stays.
        plan.pods_to_delete.extend(_name(p) for p in oldest_first(running)[1:])
        return
    if len(running) <= 1:
        if not running and run:
            plan.nodes_needing_pods.append(name)
        return
    _surge_keep(ds, running, hash_, now, plan)


def manage(
    ds: Mapping[str, Any],
    nodes: Sequence[Mapping[str, Any]],
    by_node: Mapping[str, list[Obj]],
    hash_: str,
    *,
    now: float,
    in_backoff: Iterable[str] = (),
) -> ManagePlan:
    """The creations and deletions that give each eligible node exactly one daemon pod.

    `in_backoff` names nodes whose failed pods must not be deleted yet (the controller
    backs off on nodes that keep failing its pods). Pods for nodes that no longer exist and
    were never bound are deleted too: nothing else would ever remove them.
    """
    plan = ManagePlan()
    spec = daemon_pod_spec(ds)
    backoff = frozenset(in_backoff)
    for node in nodes:
        _plan_node(ds, node, by_node.get(_name(node)), hash_, now, spec, backoff, plan)
    existing = {_name(n) for n in nodes}
    for node_name, pods in by_node.items():
        if node_name not in existing:
            plan.pods_to_delete.extend(_name(p) for p in pods if not _spec(p).get("nodeName"))
    return plan


# rolling update


def _updated_and_old(
    pods: Iterable[Obj], hash_: str, generation: int | None
) -> tuple[Obj | None, Obj | None, bool]:
    """The one updated and the one old live pod on a node; ok is False when there are more
    of either (manage() prunes the excess first)."""
    new: Obj | None = None
    old: Obj | None = None
    for pod in pods:
        if _deleting(pod):
            continue
        if is_pod_updated(pod, hash_, generation):
            if new is not None:
                return None, None, False
            new = pod
        else:
            if old is not None:
                return None, None, False
            old = pod
    return new, old, True


@dataclass
class RollingPlan:
    pods_to_delete: list[str] = field(default_factory=list)
    nodes_needing_pods: list[str] = field(default_factory=list)


def desired_nodes(ds: Mapping[str, Any], nodes: Sequence[Mapping[str, Any]]) -> list[str]:
    spec = daemon_pod_spec(ds)
    return [_name(n) for n in nodes if should_run(ds, n, spec)[0]]


def rolling_update(
    ds: Mapping[str, Any],
    nodes: Sequence[Mapping[str, Any]],
    by_node: Mapping[str, list[Obj]],
    hash_: str,
    *,
    now: float,
) -> RollingPlan:
    """The pods to replace now, within maxUnavailable (or maxSurge)."""
    desired = desired_nodes(ds, nodes)
    grouped: dict[str, list[Obj]] = {name: list(by_node.get(name, ())) for name in desired}
    grouped.update({name: list(pods) for name, pods in by_node.items()})
    surge, unavailable = rolling_update_counts(ds, len(desired))
    if surge == 0:
        return _replace_within_unavailability(ds, grouped, hash_, now, unavailable)
    node_objects = {_name(n): n for n in nodes}
    return _replace_by_surging(ds, grouped, node_objects, hash_, now, surge, len(desired))


def _replace_within_unavailability(
    ds: Mapping[str, Any], grouped: Mapping[str, list[Obj]], hash_: str, now: float, max_unavailable: int
) -> RollingPlan:
    min_ready = int(_spec(ds).get("minReadySeconds") or 0)
    generation = template_generation(ds)
    unavailable = 0
    replacements: list[str] = []  # old pods that are not available anyway
    candidates: list[str] = []  # available old pods
    for pods in grouped.values():
        new, old, ok = _updated_and_old(pods, hash_, generation)
        if not ok or (new is None) == (old is None):
            unavailable += 1  # manage() is creating or pruning here
        elif new is not None:
            if not is_pod_available(new, min_ready, now):
                unavailable += 1
        elif old is not None:
            if not is_pod_available(old, min_ready, now):
                replacements.append(_name(old))
                unavailable += 1
            elif unavailable < max_unavailable:
                candidates.append(_name(old))
    room = max(0, min(max_unavailable - unavailable, len(candidates)))
    return RollingPlan(pods_to_delete=replacements + candidates[:room])


def _replace_by_surging(
    ds: Mapping[str, Any],
    grouped: Mapping[str, list[Obj]],
    nodes: Mapping[str, Mapping[str, Any]],
    hash_: str,
    now: float,
    max_surge: int,
    desired: int,
) -> RollingPlan:
    min_ready = int(_spec(ds).get("minReadySeconds") or 0)
    generation = template_generation(ds)
    spec = daemon_pod_spec(ds)
    plan = RollingPlan()
    not_wanted: list[Obj] = []  # available old pods on nodes that no longer qualify
    candidates: list[str] = []
    surging = available = 0
    for node_name, pods in grouped.items():
        new, old, ok = _updated_and_old(pods, hash_, generation)
        if not ok:
            surging += 1
            continue
        counted = old if old is not None else new
        if counted is not None and is_pod_available(counted, min_ready, now):
            available += 1
        if old is None:
            continue
        node = nodes.get(node_name)
        wanted = node is not None and should_run(ds, node, spec)[0]
        if new is None:
            if not is_pod_available(old, min_ready, now):
                if wanted:
                    plan.nodes_needing_pods.append(node_name)
                else:
                    plan.pods_to_delete.append(_name(old))
            elif not wanted:
                not_wanted.append(old)
            elif surging < max_surge:
                candidates.append(node_name)
        elif not is_pod_available(new, min_ready, now):
            surging += 1
        else:
            plan.pods_to_delete.append(_name(old))
    # Old pods on nodes that no longer qualify go only as pods elsewhere become available,
    # so the set never drops below its desired count.
    spare = min(available - desired, len(not_wanted))
    plan.pods_to_delete.extend(_name(p) for p in not_wanted[: max(0, spare)] if not _deleting(p))
    room = max(0, min(max_surge - surging, len(candidates)))
    plan.nodes_needing_pods.extend(candidates[:room])
    return plan


# status


def status(
    ds: Mapping[str, Any],
    nodes: Sequence[Mapping[str, Any]],
    by_node: Mapping[str, list[Obj]],
    hash_: str,
    *,
    now: float,
) -> dict[str, int]:
    """The DaemonSet's counts (updateDaemonSetStatus); each node counts its oldest pod."""
    spec = daemon_pod_spec(ds)
    min_ready = int(_spec(ds).get("minReadySeconds") or 0)
    generation = template_generation(ds)
    desired = current = misscheduled = ready = updated = available = 0
    for node in nodes:
        run, _ = should_run(ds, node, spec)
        pods = by_node.get(_name(node)) or []
        if not run:
            misscheduled += 1 if pods else 0
            continue
        desired += 1
        if not pods:
            continue
        current += 1
        pod = oldest_first(pods)[0]
        if is_pod_ready(pod):
            ready += 1
            if is_pod_available(pod, min_ready, now):
                available += 1
        if is_pod_updated(pod, hash_, generation):
            updated += 1
    return {
        "desiredNumberScheduled": desired,
        "currentNumberScheduled": current,
        "numberMisscheduled": misscheduled,
        "numberReady": ready,
        "updatedNumberScheduled": updated,
        "numberAvailable": available,
        "numberUnavailable": desired - available,
    }
