"""What one StatefulSet sync does, decided from a snapshot (no I/O).

The shape is kube-controller-manager's `updateStatefulSet`:

1. Members are split into `replicas` (ordinals the set wants, missing ones filled with new
   pods at the right revision) and `condemned` (valid ordinals outside the range, highest
   first).
2. Each replica, in ordinal order: a finished pod is deleted (it is re-created next time);
   a missing pod is created; a pending pod gets its missing claims; a pod whose identity,
   storage or claim owners drifted is updated. With `OrderedReady` ("monotonic") the pass
   stops at the first pod it creates or deletes, and at the first pod that is terminating,
   not Running and Ready, or not yet available (minReadySeconds): web-1 is never created
   before web-0 is Ready. `Parallel` does everything at once.
3. Claims of condemned pods get the owners the retention policy asks for.
4. Condemned pods are deleted, highest ordinal first; monotonically, one at a time and only
   while every other pod is healthy (the first unhealthy pod may go).
5. RollingUpdate: out-of-date pods at or above the partition are deleted from the highest
   ordinal down, as long as at most maxUnavailable (MaxUnavailableStatefulSet, beta and on
   by default since 1.35) of the replicas are unavailable; the deleted pods come back at the
   update revision in the next passes. OnDelete leaves that to the user.

`plan()` returns the actions as ordered phases; the controller runs a phase's actions one by
one (monotonic, stopping at the first error) or concurrently (Parallel), then the next.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pyk8s.controllers.runtime.pods import is_pod_available, is_pod_ready
from pyk8s.controllers.statefulset.identity import (
    ClaimLookup,
    claims_match_policy,
    identity_matches,
    in_ordinal_range,
    new_versioned_pod,
    ordinal_of,
    pod_claim_is_stale,
    pod_revision,
    replicas_of,
    start_ordinal,
    storage_matches,
)

Obj = dict[str, Any]
Data = Mapping[str, Any]  # an object only read


class Verb(enum.Enum):
    CREATE = "create"  # create the pod (after its claims)
    DELETE = "delete"
    UPDATE = "update"  # restore identity and storage, fix claim owners
    CLAIMS = "claims"  # create missing claims, fix claim owners (a Pending pod)
    CLAIM_OWNERS = "claim-owners"  # fix claim owners only (a condemned pod)


@dataclass(frozen=True)
class Action:
    verb: Verb
    pod: Obj
    rolling: bool = False  # a deletion that moves the pod to the update revision


@dataclass
class Plan:
    """Phases of actions, the status to write, and whether phases run one action at a time."""

    monotonic: bool
    phases: list[list[Action]] = field(default_factory=list)
    status: dict[str, Any] = field(default_factory=dict)
    rolling_deletions: int = 0  # pods deleted to move them to the update revision

    def actions(self) -> list[Action]:
        return [a for phase in self.phases for a in phase]


# pod state


def _phase(pod: Data) -> str:
    return str((pod.get("status") or {}).get("phase") or "")


def is_created(pod: Data) -> bool:
    """Known to the API server (it gave the pod a phase); new pods of a plan have none."""
    return _phase(pod) != ""


def is_terminating(pod: Data) -> bool:
    return bool((pod.get("metadata") or {}).get("deletionTimestamp"))


def is_running_and_ready(pod: Data) -> bool:
    return _phase(pod) == "Running" and is_pod_ready(pod)


def is_unavailable(pod: Data, min_ready: int, now: float) -> bool:
    return not is_pod_available(pod, min_ready, now) or is_terminating(pod)


def _min_ready(sts: Data) -> int:
    return int((sts.get("spec") or {}).get("minReadySeconds") or 0)


def max_unavailable(sts: Data) -> int:
    """maxUnavailable against the desired replicas: 1 when unset, percentages round down,
    never below 1."""
    rolling = ((sts.get("spec") or {}).get("updateStrategy") or {}).get("rollingUpdate")
    if rolling is None:
        return 1
    value = rolling.get("maxUnavailable")
    if value is None:
        return 1
    if isinstance(value, str) and value.endswith("%"):
        number = int(value[:-1]) * replicas_of(sts) // 100
    else:
        number = int(value)
    return max(1, number)


# status


def count_status(
    pods: Sequence[Data], min_ready: int, current: str, update: str, now: float
) -> dict[str, int]:
    """replicas, readyReplicas, availableReplicas, currentReplicas, updatedReplicas."""
    counts = dict.fromkeys(
        ("replicas", "readyReplicas", "availableReplicas", "currentReplicas", "updatedReplicas"), 0
    )
    for pod in pods:
        created = is_created(pod)
        counts["replicas"] += created
        if is_running_and_ready(pod):
            counts["readyReplicas"] += 1
            counts["availableReplicas"] += is_pod_available(pod, min_ready, now)
        if created and not is_terminating(pod):
            revision = pod_revision(pod)
            counts["currentReplicas"] += revision == current
            counts["updatedReplicas"] += revision == update
    return counts


def complete_rolling_update(sts: Data, status: dict[str, Any]) -> None:
    """Once every replica is updated and ready, the update revision becomes current."""
    strategy = ((sts.get("spec") or {}).get("updateStrategy") or {}).get("type")
    replicas = replicas_of(sts)
    if (
        strategy == "RollingUpdate"
        and status.get("updatedReplicas") == replicas
        and status.get("readyReplicas") == replicas
        and status.get("replicas") == replicas
    ):
        status["currentReplicas"] = status["updatedReplicas"]
        status["currentRevision"] = status["updateRevision"]


STATUS_FIELDS = (
    "observedGeneration",
    "replicas",
    "readyReplicas",
    "currentReplicas",
    "updatedReplicas",
    "availableReplicas",
    "currentRevision",
    "updateRevision",
    "collisionCount",
)


def status_changed(sts: Data, status: Data) -> bool:
    """Whether `status` says something the set's status does not (inconsistentStatus)."""
    old = sts.get("status") or {}
    defaults: dict[str, Any] = {"currentRevision": "", "updateRevision": ""}
    if int(status.get("observedGeneration") or 0) > int(old.get("observedGeneration") or 0):
        return True
    return any(old.get(f, defaults.get(f, 0)) != status.get(f, defaults.get(f, 0)) for f in STATUS_FIELDS[1:])


# the plan


@dataclass
class _Members:
    replicas: list[Obj]  # index = ordinal - start
    condemned: list[Obj]  # highest ordinal first
    first_unavailable: Obj | None


def _split(
    sts: Data,
    pods: Sequence[Obj],
    current_set: Data,
    update_set: Data,
    current: str,
    update: str,
    now: float,
) -> _Members:
    start, count = start_ordinal(sts), replicas_of(sts)
    replicas: list[Obj | None] = [None] * count
    condemned: list[Obj] = []
    for pod in pods:
        if in_ordinal_range(pod, sts):
            replicas[ordinal_of(pod) - start] = pod
        elif ordinal_of(pod) >= 0:
            condemned.append(pod)
    filled = [
        pod if pod is not None else new_versioned_pod(current_set, update_set, current, update, start + i)
        for i, pod in enumerate(replicas)
    ]
    condemned.sort(key=ordinal_of, reverse=True)
    min_ready = _min_ready(sts)
    first = next((p for p in filled if is_unavailable(p, min_ready, now)), None)
    if first is None:
        first = next((p for p in reversed(condemned) if is_unavailable(p, min_ready, now)), None)
    return _Members(filled, condemned, first)


def _replica_actions(
    sts: Data, pod: Obj, monotonic: bool, claims: ClaimLookup, now: float
) -> tuple[list[Action], bool]:
    """What to do with one replica, and whether a monotonic pass must stop here."""
    if _phase(pod) in ("Failed", "Succeeded"):
        # Failed and Succeeded alike: the pod is re-created, whatever its exit code was.
        return ([] if is_terminating(pod) else [Action(Verb.DELETE, pod)]), True
    actions: list[Action] = []
    if not is_created(pod):
        if pod_claim_is_stale(sts, pod, claims):
            return [], True
        actions.append(Action(Verb.CREATE, pod))
        if monotonic:
            return actions, True
        return actions, False
    if _phase(pod) == "Pending":
        actions.append(Action(Verb.CLAIMS, pod))
    if monotonic and (
        is_terminating(pod)
        or not is_running_and_ready(pod)
        or not is_pod_available(pod, _min_ready(sts), now)
    ):
        return actions, True
    consistent = identity_matches(sts, pod) and storage_matches(sts, pod)
    if not (consistent and claims_match_policy(sts, pod, claims)):
        actions.append(Action(Verb.UPDATE, pod))
    return actions, False


def _condemned_actions(
    sts: Data, members: _Members, monotonic: bool, now: float
) -> tuple[list[Action], bool]:
    actions: list[Action] = []
    min_ready = _min_ready(sts)
    for pod in members.condemned:
        if is_terminating(pod):
            if monotonic:
                return actions, True  # wait for it to go before the next
            continue
        healthy = is_running_and_ready(pod) and is_pod_available(pod, min_ready, now)
        if monotonic and not healthy and pod is not members.first_unavailable:
            return actions, True
        actions.append(Action(Verb.DELETE, pod))
        if monotonic:
            return actions, True
    return actions, False


def _rolling_update_actions(sts: Data, members: _Members, update: str, now: float) -> list[Action]:
    rolling = ((sts.get("spec") or {}).get("updateStrategy") or {}).get("rollingUpdate")
    partition = int((rolling or {}).get("partition") or 0)
    limit = max_unavailable(sts)
    min_ready = _min_ready(sts)
    unavailable = sum(is_unavailable(p, min_ready, now) for p in members.replicas)
    if unavailable >= limit:
        return []
    actions: list[Action] = []
    for index in range(len(members.replicas) - 1, partition - 1, -1):
        if len(actions) >= limit - unavailable:
            break
        pod = members.replicas[index]
        if pod_revision(pod) != update and not is_terminating(pod):
            actions.append(Action(Verb.DELETE, pod, rolling=True))
    return actions


def plan(
    sts: Data,
    pods: Sequence[Obj],
    *,
    current_set: Data,
    update_set: Data,
    current_revision: str,
    update_revision: str,
    collision_count: int,
    claims: ClaimLookup,
    now: float,
) -> Plan:
    """The actions of one sync of `sts` over its member `pods` (see the module docstring).

    `current_set`/`update_set` are the set with the template of the current/update revision;
    `claims` looks up the namespace's PersistentVolumeClaims by name.
    """
    monotonic = (sts.get("spec") or {}).get("podManagementPolicy") != "Parallel"
    result = Plan(monotonic=monotonic)
    members = _split(sts, pods, current_set, update_set, current_revision, update_revision, now)
    deleting = bool((sts.get("metadata") or {}).get("deletionTimestamp"))
    if not deleting:
        _plan_actions(sts, members, result, claims, update_revision, now)
    existing = [p for p in members.replicas if is_created(p)] + members.condemned
    status: dict[str, Any] = {
        "observedGeneration": int((sts.get("metadata") or {}).get("generation") or 0),
        **count_status(existing, _min_ready(sts), current_revision, update_revision, now),
        "currentRevision": current_revision,
        "updateRevision": update_revision,
        "collisionCount": collision_count,
    }
    status["currentReplicas"] -= result.rolling_deletions
    complete_rolling_update(sts, status)
    result.status = status
    return result


def _plan_actions(
    sts: Data, members: _Members, result: Plan, claims: ClaimLookup, update: str, now: float
) -> None:
    monotonic = result.monotonic
    replica_phase: list[Action] = []
    for pod in members.replicas:
        actions, stop = _replica_actions(sts, pod, monotonic, claims, now)
        replica_phase += actions
        if stop and monotonic:
            result.phases.append(replica_phase)
            return
    result.phases.append(replica_phase)
    result.phases.append(
        [Action(Verb.CLAIM_OWNERS, p) for p in members.condemned if not claims_match_policy(sts, p, claims)]
    )
    condemned, stop = _condemned_actions(sts, members, monotonic, now)
    result.phases.append(condemned)
    if stop and monotonic:
        return
    if ((sts.get("spec") or {}).get("updateStrategy") or {}).get("type") == "OnDelete":
        return
    rolling = _rolling_update_actions(sts, members, update, now)
    result.phases.append(rolling)
    result.rolling_deletions = len(rolling)
