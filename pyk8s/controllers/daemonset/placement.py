"""Which nodes a DaemonSet's pod belongs on, and how its pods are pinned there.

kube-controller-manager decides placement itself (the scheduler only binds the pod it
creates): a node is eligible when the pod template's `nodeName` (if any), `nodeSelector`
and required node affinity match it and the pod tolerates the node's NoSchedule and
NoExecute taints. The pod the decision is made for is the template plus the tolerations
every daemon pod gets:

    node.kubernetes.io/not-ready        Exists  NoExecute   (no tolerationSeconds: the pod
    node.kubernetes.io/unreachable      Exists  NoExecute    stays on a node that goes away)
    node.kubernetes.io/disk-pressure    Exists  NoSchedule
    node.kubernetes.io/memory-pressure  Exists  NoSchedule
    node.kubernetes.io/pid-pressure     Exists  NoSchedule
    node.kubernetes.io/unschedulable    Exists  NoSchedule
    node.kubernetes.io/network-unavailable Exists NoSchedule  (hostNetwork pods only)

A node with an untolerated NoSchedule taint gets no new pod, but a pod already there keeps
running unless a NoExecute taint is untolerated ("should continue running"). Each created
pod is pinned to its node with a required node affinity term `metadata.name In (<node>)`
(matchFields), replacing any required terms the template had (they were already checked).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from typing import Any

Obj = dict[str, Any]

NO_SCHEDULE = "NoSchedule"
NO_EXECUTE = "NoExecute"
NODE_NAME_FIELD = "metadata.name"

TAINT_NOT_READY = "node.kubernetes.io/not-ready"
TAINT_UNREACHABLE = "node.kubernetes.io/unreachable"
TAINT_DISK_PRESSURE = "node.kubernetes.io/disk-pressure"
TAINT_MEMORY_PRESSURE = "node.kubernetes.io/memory-pressure"
TAINT_PID_PRESSURE = "node.kubernetes.io/pid-pressure"
TAINT_UNSCHEDULABLE = "node.kubernetes.io/unschedulable"
TAINT_NETWORK_UNAVAILABLE = "node.kubernetes.io/network-unavailable"

_DEFAULT_TOLERATIONS = (
    (TAINT_NOT_READY, NO_EXECUTE),
    (TAINT_UNREACHABLE, NO_EXECUTE),
    (TAINT_DISK_PRESSURE, NO_SCHEDULE),
    (TAINT_MEMORY_PRESSURE, NO_SCHEDULE),
    (TAINT_PID_PRESSURE, NO_SCHEDULE),
    (TAINT_UNSCHEDULABLE, NO_SCHEDULE),
)


def _same_toleration(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Key, operator, value and effect agree (v1helper's MatchToleration)."""
    return all((a.get(f) or "") == (b.get(f) or "") for f in ("key", "operator", "value", "effect"))


def add_toleration(spec: Obj, toleration: Obj) -> None:
    """Add `toleration` to the pod spec unless an equal one is there; an equal one with other
    tolerationSeconds is replaced in place (AddOrUpdateTolerationInPodSpec)."""
    tolerations = list(spec.get("tolerations") or [])
    for i, existing in enumerate(tolerations):
        if _same_toleration(existing, toleration):
            if existing != toleration:
                tolerations[i] = dict(toleration)
                spec["tolerations"] = tolerations
            return
    tolerations.append(dict(toleration))
    spec["tolerations"] = tolerations


def add_daemon_tolerations(spec: Obj) -> None:
    """Give a pod spec the tolerations every daemon pod has (see the module docstring)."""
    wanted = list(_DEFAULT_TOLERATIONS)
    if spec.get("hostNetwork"):
        wanted.append((TAINT_NETWORK_UNAVAILABLE, NO_SCHEDULE))
    for key, effect in wanted:
        add_toleration(spec, {"key": key, "operator": "Exists", "effect": effect})


# matching


def _requirement_matches(req: Mapping[str, Any], labels: Mapping[str, str]) -> bool:
    key, op = req.get("key") or "", req.get("operator") or ""
    values = [str(v) for v in req.get("values") or ()]
    if op == "In":
        return key in labels and labels[key] in values
    if op == "NotIn":
        return key not in labels or labels[key] not in values
    if op == "Exists":
        return key in labels
    if op == "DoesNotExist":
        return key not in labels
    if op in ("Gt", "Lt") and key in labels and len(values) == 1:
        try:
            have, want = int(labels[key]), int(values[0])
        except ValueError:
            return False
        return have > want if op == "Gt" else have < want
    return False


def _term_matches(term: Mapping[str, Any], labels: Mapping[str, str], node_name: str) -> bool:
    expressions, fields = term.get("matchExpressions") or (), term.get("matchFields") or ()
    if not expressions and not fields:
        return False  # an empty term matches no node
    if not all(_requirement_matches(e, labels) for e in expressions):
        return False
    return all(
        f.get("key") == NODE_NAME_FIELD and _requirement_matches(f, {NODE_NAME_FIELD: node_name})
        for f in fields
    )


def _node_meta(node: Mapping[str, Any]) -> Mapping[str, Any]:
    return node.get("metadata") or {}


def required_affinity_matches(pod_spec: Mapping[str, Any], node: Mapping[str, Any]) -> bool:
    """The pod's nodeSelector and required node affinity both admit the node."""
    labels = _node_meta(node).get("labels") or {}
    for key, value in (pod_spec.get("nodeSelector") or {}).items():
        if labels.get(key) != value:
            return False
    required = ((pod_spec.get("affinity") or {}).get("nodeAffinity") or {}).get(
        "requiredDuringSchedulingIgnoredDuringExecution"
    )
    if required is None:
        return True
    name = _node_meta(node).get("name", "")
    return any(_term_matches(t, labels, name) for t in required.get("nodeSelectorTerms") or ())


def tolerates(toleration: Mapping[str, Any], taint: Mapping[str, Any]) -> bool:
    """Toleration.ToleratesTaint: effects and keys agree (empty means any), and the values
    agree unless the operator is Exists."""
    effect, key = toleration.get("effect") or "", toleration.get("key") or ""
    if effect and effect != (taint.get("effect") or ""):
        return False
    if key and key != (taint.get("key") or ""):
        return False
    operator = toleration.get("operator") or "Equal"
    if operator == "Exists":
        return True
    return operator == "Equal" and (toleration.get("value") or "") == (taint.get("value") or "")


def untolerated_taint(
    taints: Iterable[Mapping[str, Any]],
    tolerations: Iterable[Mapping[str, Any]],
    wanted: Callable[[Mapping[str, Any]], bool],
) -> Mapping[str, Any] | None:
    """The first taint `wanted` picks that no toleration tolerates."""
    tolerations = list(tolerations)
    for taint in taints:
        if wanted(taint) and not any(tolerates(t, taint) for t in tolerations):
            return taint
    return None


def daemon_pod_spec(ds: Mapping[str, Any]) -> Obj:
    """The pod spec placement is decided for: the template's, with the daemon tolerations."""
    spec = copy.deepcopy(((ds.get("spec") or {}).get("template") or {}).get("spec") or {})
    add_daemon_tolerations(spec)
    return spec


def should_run(ds: Mapping[str, Any], node: Mapping[str, Any], spec: Obj | None = None) -> tuple[bool, bool]:
    """(should run, should continue running) a daemon pod of `ds` on `node`
    (NodeShouldRunDaemonPod). `spec` is `daemon_pod_spec(ds)`, passed in when deciding for
    many nodes."""
    spec = spec if spec is not None else daemon_pod_spec(ds)
    name = _node_meta(node).get("name", "")
    if spec.get("nodeName") and spec["nodeName"] != name:
        return False, False
    if not required_affinity_matches(spec, node):
        return False, False
    taints = ((node.get("spec") or {}).get("taints")) or ()
    tolerations = spec.get("tolerations") or ()
    blocking = untolerated_taint(taints, tolerations, lambda t: t.get("effect") in (NO_SCHEDULE, NO_EXECUTE))
    if blocking is None:
        return True, True
    evicting = untolerated_taint(taints, tolerations, lambda t: t.get("effect") == NO_EXECUTE)
    return False, evicting is None


# pinning


def pin_to_node(affinity: Mapping[str, Any] | None, node_name: str) -> Obj:
    """`affinity` with its required node affinity replaced by `metadata.name In (node)`
    (ReplaceDaemonSetPodNodeNameNodeAffinity); preferred terms and pod affinity are kept."""
    pinned: Obj = copy.deepcopy(dict(affinity or {}))
    node_affinity = pinned.setdefault("nodeAffinity", {})
    required = node_affinity.setdefault("requiredDuringSchedulingIgnoredDuringExecution", {})
    required["nodeSelectorTerms"] = [
        {"matchFields": [{"key": NODE_NAME_FIELD, "operator": "In", "values": [node_name]}]}
    ]
    return pinned


def target_node(pod: Mapping[str, Any]) -> str:
    """The node a daemon pod is for: its nodeName once bound, else the node its required
    affinity pins it to ("" when neither says; GetTargetNodeName)."""
    spec = pod.get("spec") or {}
    if spec.get("nodeName"):
        return str(spec["nodeName"])
    required = ((spec.get("affinity") or {}).get("nodeAffinity") or {}).get(
        "requiredDuringSchedulingIgnoredDuringExecution"
    ) or {}
    for term in required.get("nodeSelectorTerms") or ():
        for field in term.get("matchFields") or ():
            values = field.get("values") or ()
            if field.get("key") == NODE_NAME_FIELD and field.get("operator") == "In" and len(values) == 1:
                return str(values[0])
    return ""
