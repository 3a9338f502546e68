"""Pod predicates and the deletion ranking that workload controllers share.

`is_pod_ready`, `is_pod_available` and `is_pod_active` read a pod's status the way
Kubernetes' controllers do. `rank_pods_for_deletion` orders pods so that the ones a
controller should delete first come first (kube-controller-manager's
`ActivePodsWithRanks`); each rule decides only when the earlier ones tie:

1. not scheduled before scheduled;
2. Pending before Unknown before Running;
3. not ready before ready;
4. lower `controller.kubernetes.io/pod-deletion-cost` before higher;
5. higher rank before lower (the caller's rank: for ReplicaSets, how many related pods
   share the pod's node, so doubled-up pods go first);
6. ready for less time before ready for longer (both ready);
7. more container restarts before fewer;
8. created later before created earlier.

Times in 6 and 8 are compared on a log2 scale of their age (LogarithmicScaleDown, on by
default since Kubernetes 1.22), so pods of similar age tie and fall back to UID order,
which spreads deletions pseudo-randomly instead of always taking the newest pod.
"""

from __future__ import annotations

import functools
import heapq
import math
from collections.abc import Mapping, Sequence
from typing import Any

from pyk8s.api.meta import parse_time

Obj = dict[str, Any]

POD_DELETION_COST = "controller.kubernetes.io/pod-deletion-cost"
_PHASE_ORDER = {"Pending": 0, "Unknown": 1, "Running": 2}
_INT32 = (-(2**31), 2**31 - 1)


def _status(pod: Mapping[str, Any]) -> Mapping[str, Any]:
    status = pod.get("status")
    return status if isinstance(status, Mapping) else {}


def _meta(pod: Mapping[str, Any]) -> Mapping[str, Any]:
    meta = pod.get("metadata")
    return meta if isinstance(meta, Mapping) else {}


def _time(text: Any) -> float | None:
    if not text:
        return None
    try:
        return parse_time(str(text))
    except ValueError:
        return None


def pod_condition(pod: Mapping[str, Any], type_: str) -> Mapping[str, Any] | None:
    for cond in _status(pod).get("conditions") or ():
        if isinstance(cond, Mapping) and cond.get("type") == type_:
            return cond
    return None


def is_pod_ready(pod: Mapping[str, Any]) -> bool:
    """The Ready condition is True."""
    cond = pod_condition(pod, "Ready")
    return cond is not None and cond.get("status") == "True"


def pod_ready_time(pod: Mapping[str, Any]) -> float | None:
    """When the pod last became ready (the Ready condition's lastTransitionTime), if ready."""
    cond = pod_condition(pod, "Ready")
    if cond is None or cond.get("status") != "True":
        return None
    return _time(cond.get("lastTransitionTime"))


def is_pod_available(pod: Mapping[str, Any], min_ready_seconds: float, now: float) -> bool:
    """Ready for at least `min_ready_seconds` (immediately when that is 0)."""
    if not is_pod_ready(pod):
        return False
    if not min_ready_seconds:
        return True
    since = pod_ready_time(pod)
    return since is not None and since + min_ready_seconds < now


def is_pod_terminal(pod: Mapping[str, Any]) -> bool:
    return _status(pod).get("phase") in ("Succeeded", "Failed")


def is_pod_active(pod: Mapping[str, Any]) -> bool:
    """Neither finished nor being deleted: it counts towards a controller's replicas."""
    return not is_pod_terminal(pod) and not _meta(pod).get("deletionTimestamp")


def is_pod_terminating(pod: Mapping[str, Any]) -> bool:
    """Being deleted but not finished: it still runs, and no longer counts as a replica."""
    return not is_pod_terminal(pod) and bool(_meta(pod).get("deletionTimestamp"))


def deletion_cost(pod: Mapping[str, Any]) -> int:
    """The pod-deletion-cost annotation (an int32; anything else counts as 0)."""
    value = (_meta(pod).get("annotations") or {}).get(POD_DELETION_COST)
    if value is None:
        return 0
    try:
        cost = int(str(value).strip())
    except ValueError:
        return 0
    return cost if _INT32[0] <= cost <= _INT32[1] else 0


def max_container_restarts(pod: Mapping[str, Any]) -> int:
    statuses = _status(pod).get("containerStatuses") or ()
    return max((int(s.get("restartCount") or 0) for s in statuses if isinstance(s, Mapping)), default=0)


def node_name(pod: Mapping[str, Any]) -> str:
    spec = pod.get("spec")
    return str((spec or {}).get("nodeName") or "") if isinstance(spec, Mapping) else ""


def ranks_by_colocation(pods: Sequence[Mapping[str, Any]], related: Sequence[Mapping[str, Any]]) -> list[int]:
    """Each pod's rank: how many active pods of `related` run on its node."""
    on_node: dict[str, int] = {}
    for pod in related:
        if is_pod_active(pod):
            name = node_name(pod)
            on_node[name] = on_node.get(name, 0) + 1
    return [on_node.get(node_name(pod), 0) for pod in pods]


def _log_rank(when: float, now: float) -> int:
    age = now - when
    # Kubernetes takes log2 of the age in nanoseconds; the same buckets, shifted by log2(1e9).
    return int(math.log2(age * 1e9)) if age > 0 else -1


def _compare_times(t1: float | None, t2: float | None, now: float | None, uid1: str, uid2: str) -> int:
    """Negative when the pod with time `t1` goes first: the more recent (or missing) time."""
    if t1 is None or t2 is None or now is None:
        if (t1 is None) != (t2 is None):
            return -1 if t1 is None else 1
        if t1 is None or t2 is None:
            return 0
        return -1 if t1 > t2 else (1 if t1 < t2 else 0)
    diff = _log_rank(t1, now) - _log_rank(t2, now)
    if diff == 0:
        return -1 if uid1 < uid2 else (1 if uid1 > uid2 else 0)
    return -1 if diff < 0 else 1


def compare_for_deletion(
    a: tuple[Mapping[str, Any], int], b: tuple[Mapping[str, Any], int], now: float | None
) -> int:
    """-1 if pod `a` (with its rank) should be deleted before `b`, 1 if after, 0 if equal."""
    (pa, ra), (pb, rb) = a, b
    na, nb = node_name(pa), node_name(pb)
    if na != nb and (not na or not nb):
        return -1 if not na else 1
    phase_a = _PHASE_ORDER.get(_status(pa).get("phase", ""), 0)
    phase_b = _PHASE_ORDER.get(_status(pb).get("phase", ""), 0)
    if phase_a != phase_b:
        return -1 if phase_a < phase_b else 1
    ready_a, ready_b = is_pod_ready(pa), is_pod_ready(pb)
    if ready_a != ready_b:
        return -1 if not ready_a else 1
    cost_a, cost_b = deletion_cost(pa), deletion_cost(pb)
    if cost_a != cost_b:
        return -1 if cost_a < cost_b else 1
    if ra != rb:
        return -1 if ra > rb else 1
    uid_a, uid_b = str(_meta(pa).get("uid") or ""), str(_meta(pb).get("uid") or "")
    if ready_a and ready_b:
        ta, tb = pod_ready_time(pa), pod_ready_time(pb)
        if ta != tb:
            order = _compare_times(ta, tb, now, uid_a, uid_b)
            if order:
                return order
    restarts_a, restarts_b = max_container_restarts(pa), max_container_restarts(pb)
    if restarts_a != restarts_b:
        return -1 if restarts_a > restarts_b else 1
    ca, cb = _time(_meta(pa).get("creationTimestamp")), _time(_meta(pb).get("creationTimestamp"))
    if ca != cb:
        return _compare_times(ca, cb, now, uid_a, uid_b)
    return 0


def rank_pods_for_deletion(
    pods: Sequence[Obj],
    ranks: Sequence[int] | None = None,
    *,
    now: float | None = None,
    limit: int | None = None,
    facts: Sequence[DeletionFacts] | None = None,
) -> list[Obj]:
    """`pods` ordered most-deletable first (see the module docstring). `ranks` defaults to
    all zero; `now` enables the logarithmic comparison of times (None: exact times).
    `limit` returns only that many (a partial sort: scaling 10,000 pods down by 10 needs
    only the first 10). `facts` (one per pod, ranks included) replaces `pods` and `ranks`
    for callers that keep them (`DeletionFacts.ranked`)."""
    # What each comparison reads is read once per pod, not once per comparison.
    if facts is None:
        facts = [
            DeletionFacts(pod, rank)
            for pod, rank in zip(pods, ranks if ranks is not None else [0] * len(pods), strict=True)
        ]
    key = functools.cmp_to_key(lambda a, b: _compare_facts(a, b, now))
    if limit is not None and limit < len(facts):
        chosen = heapq.nsmallest(limit, facts, key=key)
    else:
        chosen = sorted(facts, key=key)
    return [f.pod for f in chosen]


class DeletionFacts:
    """The fields `compare_for_deletion` looks at, read once."""

    __slots__ = (
        "assigned",
        "cost",
        "created",
        "phase",
        "pod",
        "rank",
        "ready",
        "ready_time",
        "restarts",
        "uid",
    )

    def __init__(self, pod: Obj, rank: int) -> None:
        self.pod = pod
        self.rank = rank
        self.assigned = bool(node_name(pod))
        self.phase = _PHASE_ORDER.get(_status(pod).get("phase", ""), 0)
        self.ready = is_pod_ready(pod)
        self.cost = deletion_cost(pod)
        self.uid = str(_meta(pod).get("uid") or "")
        self.ready_time = pod_ready_time(pod) if self.ready else None
        self.restarts = max_container_restarts(pod)
        self.created = _time(_meta(pod).get("creationTimestamp"))

    def ranked(self, rank: int) -> DeletionFacts:
        """A copy with another rank (the pod's fields are not read again)."""
        copy = object.__new__(DeletionFacts)
        for name in DeletionFacts.__slots__:
            setattr(copy, name, getattr(self, name))
        copy.rank = rank
        return copy


def _compare_facts(a: DeletionFacts, b: DeletionFacts, now: float | None) -> int:
    """`compare_for_deletion` over pre-read facts (the same order, decision by decision)."""
    if a.assigned != b.assigned:
        return -1 if not a.assigned else 1
    if a.phase != b.phase:
        return -1 if a.phase < b.phase else 1
    if a.ready != b.ready:
        return -1 if not a.ready else 1
    if a.cost != b.cost:
        return -1 if a.cost < b.cost else 1
    if a.rank != b.rank:
        return -1 if a.rank > b.rank else 1
    if a.ready and b.ready and a.ready_time != b.ready_time:
        order = _compare_times(a.ready_time, b.ready_time, now, a.uid, b.uid)
        if order:
            return order
    if a.restarts != b.restarts:
        return -1 if a.restarts > b.restarts else 1
    if a.created != b.created:
        return _compare_times(a.created, b.created, now, a.uid, b.uid)
    return 0
