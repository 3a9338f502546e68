"""How many replicas each ReplicaSet of a Deployment should have next: pure decisions.

A rolling update alternates two moves, each bounded by the Deployment's budget
(`fenceposts`):

- scale the new ReplicaSet up while all ReplicaSets together ask for fewer than
  `replicas + maxSurge` pods;
- scale old ReplicaSets down while more than `replicas - maxUnavailable` pods are available,
  first taking away their unavailable pods (they cost nothing), then, oldest ReplicaSet
  first, available ones.

Resizing a Deployment in the middle of a rollout (or while paused) spreads the difference
over the active ReplicaSets in proportion to their size (`proportional_sizes`), so the
rollout's shape is kept. A plan is a list of `(replica set, new size)`; the controller applies
it and records the events.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pyk8s.controllers.deployment import replicasets as rsutil
from pyk8s.controllers.deployment import revisions
from pyk8s.controllers.deployment.fenceposts import (
    RECREATE,
    ROLLING_UPDATE,
    max_surge,
    max_unavailable,
    spec_replicas,
    strategy_type,
)

Obj = dict[str, Any]
Plan = list[tuple[Obj, int]]


def new_rs_new_replicas(deployment: Obj, all_rss: Sequence[Obj | None], new_rs: Obj) -> int:
    """The size the new ReplicaSet may grow to now (NewRSNewReplicas)."""
    kind = strategy_type(deployment)
    replicas = spec_replicas(deployment)
    if kind == RECREATE:
        return replicas
    if kind != ROLLING_UPDATE:
        raise ValueError(f"deployment type {kind} isn't supported")
    current = rsutil.rs_replicas(new_rs)
    max_total = replicas + max_surge(deployment)
    pods = rsutil.total_replicas(all_rss)
    if pods >= max_total:
        return current
    return current + min(max_total - pods, replicas - current)


# rolling update: scaling old ReplicaSets down


def old_scale_down_budget(deployment: Obj, all_rss: Sequence[Obj], new_rs: Obj) -> int:
    """How many old pods may go now without the Deployment falling below its minimum
    availability, counting the new ReplicaSet's not-yet-available pods as missing."""
    min_available = spec_replicas(deployment) - max_unavailable(deployment)
    new_unavailable = rsutil.rs_replicas(new_rs) - rsutil.status_count(new_rs, "availableReplicas")
    return rsutil.total_replicas(all_rss) - min_available - new_unavailable


def cleanup_unhealthy_plan(old_rss: Sequence[Obj], budget: int) -> Plan:
    """Scale old ReplicaSets down by their unavailable pods, oldest first, up to `budget`
    pods: removing pods that serve nothing never lowers availability."""
    plan: Plan = []
    removed = 0
    for rs in rsutil.sorted_by_creation(old_rss):
        if removed >= budget:
            break
        replicas = rsutil.rs_replicas(rs)
        unhealthy = replicas - rsutil.status_count(rs, "availableReplicas")
        if replicas == 0 or unhealthy <= 0:
            continue
        count = min(budget - removed, unhealthy)
        plan.append((rs, replicas - count))
        removed += count
    return plan


def scale_down_old_plan(deployment: Obj, all_rss: Sequence[Obj], old_rss: Sequence[Obj]) -> Plan:
    """Scale old ReplicaSets down, oldest first, by the available pods above the
    Deployment's minimum availability (scaleDownOldReplicaSetsForRollingUpdate)."""
    min_available = spec_replicas(deployment) - max_unavailable(deployment)
    available = sum(available_within_spec(rs) for rs in all_rss)
    if available <= min_available:
        return []
    budget = available - min_available
    plan: Plan = []
    removed = 0
    for rs in rsutil.sorted_by_creation(old_rss):
        if removed >= budget:
            break
        replicas = rsutil.rs_replicas(rs)
        if replicas == 0:
            continue
        count = min(replicas, budget - removed)
        plan.append((rs, replicas - count))
        removed += count
    return plan


def available_within_spec(rs: Obj) -> int:
    """A ReplicaSet's available pods, counting at most `spec.replicas` of them.

    Pods above the spec are about to be deleted, and a ReplicaSet's status written just
    before their deletion still counts them: Kubernetes counts them too and can briefly go
    below minimum availability; we do not.
    """
    return min(rsutil.status_count(rs, "availableReplicas"), rsutil.rs_replicas(rs))


def with_sizes(replica_sets: Sequence[Obj], plan: Plan) -> list[Obj]:
    """`replica_sets` with the plan's sizes applied to shallow copies (for the next step)."""
    sizes = {id(rs): size for rs, size in plan}
    result = []
    for rs in replica_sets:
        if id(rs) in sizes:
            rs = {**rs, "spec": {**(rs.get("spec") or {}), "replicas": sizes[id(rs)]}}
        result.append(rs)
    return result


# proportional scaling


def replica_set_fraction(rs: Obj, deployment: Obj) -> int:
    """How many replicas `rs` gains (or loses, negative) when the Deployment is resized,
    in proportion to its share of the size recorded in its `max-replicas` annotation."""
    replicas = spec_replicas(deployment)
    if replicas == 0:
        return -rsutil.rs_replicas(rs)
    maximum = replicas + max_surge(deployment)
    before = revisions.int_annotation(rs, revisions.MAX_REPLICAS)
    if not before:
        # Someone edited the annotation away: the Deployment's last known size will do.
        before = int((deployment.get("status") or {}).get("replicas") or 0)
        if before == 0:
            return 0
    size = rsutil.rs_replicas(rs) * maximum / before
    return int(size + 0.5) - rsutil.rs_replicas(rs)


def proportion(rs: Obj, deployment: Obj, to_add: int, added: int) -> int:
    """`rs`'s share of `to_add` replicas, of which `added` are already handed out."""
    if rsutil.rs_replicas(rs) == 0 or to_add == 0 or to_add == added:
        return 0
    fraction = replica_set_fraction(rs, deployment)
    allowed = to_add - added
    # Never hand out more than is left, in either direction.
    return min(fraction, allowed) if to_add > 0 else max(fraction, allowed)


def proportional_sizes(deployment: Obj, new_rs: Obj | None, old_rss: Sequence[Obj]) -> tuple[Plan, str]:
    """New sizes of every active ReplicaSet after a resize during a rolling update, and
    the direction ("up", "down" or "" when nothing is to be added)."""
    running = rsutil.active([*old_rss, new_rs])
    allowed = 0
    if spec_replicas(deployment) > 0:
        allowed = spec_replicas(deployment) + max_surge(deployment)
    to_add = allowed - rsutil.total_replicas(running)
    direction = ""
    if to_add > 0:
        running, direction = rsutil.sorted_by_size_newer(running), "up"
    elif to_add < 0:
        running, direction = rsutil.sorted_by_size_older(running), "down"
    sizes = []
    added = 0
    for rs in running:
        share = proportion(rs, deployment, to_add, added) if to_add else 0
        sizes.append(rsutil.rs_replicas(rs) + share)
        added += share
    if running and to_add:
        # The rounding leftovers go to the largest ReplicaSet.
        sizes[0] = max(0, sizes[0] + to_add - added)
    return list(zip(running, sizes, strict=True)), direction
