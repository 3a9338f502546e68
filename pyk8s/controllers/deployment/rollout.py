"""The rollout strategies and the other paths of one Deployment reconcile.

    RollingUpdate  scale the new ReplicaSet up within maxSurge; else scale old ones down
                   within maxUnavailable; once complete, trim the history
    Recreate       scale every old ReplicaSet to 0; wait until no old pod runs; then create
                   (or scale) the new ReplicaSet to the full size at once
    sync           a resize or a paused Deployment: scale (proportionally), no rollout
    rollback       the `deprecated.deployment.rollback.to` annotation: copy an old
                   ReplicaSet's template back into the Deployment (kubectl 1.37 does this
                   itself with a patch; the annotation is honoured for older clients)

Each path ends by writing the status; a rolling or recreate step may return the seconds
after which the progress deadline must be checked.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from pyk8s.client.events import NORMAL, WARNING
from pyk8s.controllers.deployment import replicasets as rsutil
from pyk8s.controllers.deployment import revisions, scaling
from pyk8s.controllers.deployment import status as st
from pyk8s.controllers.deployment.fenceposts import spec_replicas
from pyk8s.controllers.deployment.sync import DeploymentSync

log = logging.getLogger("pyk8s.controllers.deployment")

Obj = dict[str, Any]

ROLLBACK_REVISION_NOT_FOUND = "DeploymentRollbackRevisionNotFound"
ROLLBACK_TEMPLATE_UNCHANGED = "DeploymentRollbackTemplateUnchanged"
ROLLBACK_DONE = "DeploymentRollback"


async def sync(ops: DeploymentSync, d: Obj, new_rs: Obj | None, old: list[Obj]) -> None:
    """Resize without rolling out (a scaling event, or a paused Deployment)."""
    await ops.scale(d, new_rs, old)
    if (d.get("spec") or {}).get("paused") and revisions.rollback_to(d) is None:
        await ops.cleanup(old, d)
    await ops.sync_status([*old, new_rs], new_rs, d)


def is_scaling_event(d: Obj, new_rs: Obj | None, old: list[Obj]) -> bool:
    """Whether an active ReplicaSet was sized for another `spec.replicas` than now."""
    replicas = spec_replicas(d)
    for rs in rsutil.active([*old, new_rs]):
        desired = revisions.int_annotation(rs, revisions.DESIRED_REPLICAS)
        if desired is not None and desired != replicas:
            return True
    return False


# rolling update


async def rolling(
    ops: DeploymentSync, d: Obj, rs_list: Sequence[Obj], new_rs: Obj | None, old: list[Obj]
) -> float | None:
    if new_rs is None:
        new_rs, old = await ops.all_replica_sets(d, rs_list, create=True)
        assert new_rs is not None
    all_rss = [*old, new_rs]
    if await _reconcile_new(ops, all_rss, new_rs, d) or await _reconcile_old(ops, all_rss, old, new_rs, d):
        return await ops.sync_rollout_status(all_rss, new_rs, d)
    if st.deployment_complete(d, d.get("status") or {}):
        await ops.cleanup(old, d)
    return await ops.sync_rollout_status(all_rss, new_rs, d)


async def _reconcile_new(ops: DeploymentSync, all_rss: list[Obj], new_rs: Obj, d: Obj) -> bool:
    replicas, current = spec_replicas(d), rsutil.rs_replicas(new_rs)
    if current == replicas:
        return False
    if current > replicas:
        return (await ops.scale_replica_set(new_rs, replicas, d))[0]
    target = scaling.new_rs_new_replicas(d, all_rss, new_rs)
    return (await ops.scale_replica_set(new_rs, target, d))[0]


async def _reconcile_old(
    ops: DeploymentSync, all_rss: list[Obj], old: list[Obj], new_rs: Obj, d: Obj
) -> bool:
    old_active = rsutil.active(old)
    if rsutil.total_replicas(old_active) == 0:
        return False
    budget = scaling.old_scale_down_budget(d, all_rss, new_rs)
    if budget <= 0:
        return False
    # Unavailable old pods go first: removing them costs no availability.
    cleaned, written = await ops.apply_plan(scaling.cleanup_unhealthy_plan(old_active, budget), d)
    old_active = [written.get(id(rs), rs) for rs in old_active]
    plan = scaling.scale_down_old_plan(d, [*old_active, new_rs], old_active)
    scaled, _ = await ops.apply_plan(plan, d)
    return cleaned + scaled > 0


# recreate


async def recreate(
    ops: DeploymentSync,
    d: Obj,
    rs_list: Sequence[Obj],
    new_rs: Obj | None,
    old: list[Obj],
    pods_by_rs: Mapping[str, list[Obj]],
) -> float | None:
    all_rss: list[Obj | None] = [*old, new_rs]
    scaled_down = False
    for rs in rsutil.active(old):
        scaled_down = (await ops.scale_replica_set(rs, 0, d))[0] or scaled_down
    if scaled_down or old_pods_running(new_rs, old, pods_by_rs):
        return await ops.sync_rollout_status(all_rss, new_rs, d)
    if new_rs is None:
        new_rs, old = await ops.all_replica_sets(d, rs_list, create=True)
        all_rss = [*old, new_rs]
    assert new_rs is not None
    await ops.scale_replica_set(new_rs, spec_replicas(d), d)
    if st.deployment_complete(d, d.get("status") or {}):
        await ops.cleanup(old, d)
    return await ops.sync_rollout_status(all_rss, new_rs, d)


def old_pods_running(new_rs: Obj | None, old: list[Obj], pods_by_rs: Mapping[str, list[Obj]]) -> bool:
    """Whether any pod of an old ReplicaSet may still run: Recreate waits for none."""
    if rsutil.actual_replicas(old) > 0:
        return True
    new_uid = rsutil.uid(new_rs) if new_rs is not None else None
    for rs_uid, pods in pods_by_rs.items():
        if rs_uid == new_uid:
            continue
        for pod in pods:
            if (pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed"):
                return True
    return False


# rollback through the annotation


async def rollback(ops: DeploymentSync, d: Obj, new_rs: Obj | None, old: list[Obj]) -> None:
    to = revisions.rollback_to(d) or 0
    all_rss = [rs for rs in (*old, new_rs) if rs is not None]
    if to == 0:
        to = revisions.last_revision(all_rss)
        if to == 0:
            ops.event(d, WARNING, ROLLBACK_REVISION_NOT_FOUND, "Unable to find last revision.")
            await _clear_rollback(ops, d)
            return
    for rs in all_rss:
        try:
            found = revisions.revision(rs)
        except ValueError:
            continue
        if found == to:
            if await _rollback_to_template(ops, d, rs):
                ops.event(
                    d, NORMAL, ROLLBACK_DONE, f'Rolled back deployment "{rsutil.name(d)}" to revision {to}'
                )
            return
    ops.event(d, WARNING, ROLLBACK_REVISION_NOT_FOUND, "Unable to find the revision to rollback to.")
    await _clear_rollback(ops, d)


async def _rollback_to_template(ops: DeploymentSync, d: Obj, rs: Obj) -> bool:
    template = (rs.get("spec") or {}).get("template")
    changed = not rsutil.equal_ignore_hash(d["spec"].get("template"), template)
    if changed:
        d["spec"]["template"] = rsutil.template_without_hash(template)
        d["metadata"]["annotations"] = revisions.rollback_annotations(d, rs)
    else:
        msg = f'The rollback revision contains the same template as current deployment "{rsutil.name(d)}"'
        ops.event(d, WARNING, ROLLBACK_TEMPLATE_UNCHANGED, msg)
    await _clear_rollback(ops, d)
    return changed


async def _clear_rollback(ops: DeploymentSync, d: Obj) -> None:
    updated = copy.deepcopy(d)
    revisions.annotations(updated).pop(revisions.ROLLBACK_TO, None)
    await ops.update(updated)
