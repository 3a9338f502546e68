"""The writes a Deployment reconcile makes, shared by every rollout strategy.

`DeploymentSync` holds the client, the ReplicaSet informer, the clock and the event recorder; its methods
are the steps of kube-controller-manager's `sync.go`: claim the ReplicaSets, find or create
the new one (keeping revisions in order), scale ReplicaSets with a `ScalingReplicaSet`
event, resize proportionally, delete history beyond `revisionHistoryLimit`, and write the
status. Decisions come from the pure modules (`replicasets`, `scaling`, `status`,
`revisions`); this module only carries them out.

The Deployment `d` a reconcile works on is a private copy of the cached object; every
status write refreshes its resourceVersion, so one reconcile can write status more than
once without conflicting with itself. Every write's answer goes into the informers'
`MutationCache`s, so the next reconcile starts from it even before the watch brings it back
(rather than from the version it replaced, which would only earn a conflict).
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Sequence
from typing import Any

from pyk8s._aio.clock import Clock
from pyk8s.api.errors import AlreadyExistsError, NotFoundError, StatusError
from pyk8s.api.selectors import LabelSelector
from pyk8s.client.events import NORMAL, WARNING, EventRecorder
from pyk8s.client.informers import SharedInformer
from pyk8s.client.informers.mutation import MutationCache
from pyk8s.client.resources import DEPLOYMENTS, REPLICASETS
from pyk8s.client.rest import Client
from pyk8s.controllers.deployment import replicasets as rsutil
from pyk8s.controllers.deployment import revisions, scaling
from pyk8s.controllers.deployment import status as st
from pyk8s.controllers.deployment.fenceposts import is_rolling_update, max_surge, spec_replicas
from pyk8s.controllers.runtime import ControllerRefManager, controller_ref
from pyk8s.controllers.runtime.ownership import controlled_by

log = logging.getLogger("pyk8s.controllers.deployment")

Obj = dict[str, Any]

SCALING_REPLICA_SET = "ScalingReplicaSet"
NAMESPACE_TERMINATING_CAUSE = "NamespaceTerminating"


def deployment_key(d: Obj) -> str:
    meta = d.get("metadata") or {}
    return f"{meta.get('namespace', '')}/{meta.get('name', '')}"


def _is_namespace_terminating(err: StatusError) -> bool:
    causes = (err.details or {}).get("causes") or []
    return any(c.get("type") == NAMESPACE_TERMINATING_CAUSE for c in causes if isinstance(c, dict))


class DeploymentSync:
    """The I/O steps of a Deployment reconcile (see the module docstring)."""

    def __init__(
        self,
        client: Client,
        *,
        replica_sets: SharedInformer,
        recorder: EventRecorder,
        clock: Clock,
        deployments: SharedInformer,
    ) -> None:
        self.client = client
        self.replica_sets = replica_sets
        self.recorder = recorder
        self.clock = clock
        # our own writes, newer than the informers' caches until the watch brings them back
        self.replica_set_writes = MutationCache.for_informer(replica_sets)
        self.deployment_writes = MutationCache.for_informer(deployments)

    # events

    def event(self, d: Obj, kind: str, reason: str, message: str) -> None:
        self.recorder.event({**d, "apiVersion": "apps/v1", "kind": "Deployment"}, kind, reason, message)

    # claiming ReplicaSets

    async def replica_sets_for(self, d: Obj) -> list[Obj]:
        """The ReplicaSets `d` controls, adopting matching orphans and releasing those that
        no longer match its selector (getReplicaSetsForDeployment)."""
        meta = d["metadata"]
        selector = LabelSelector.from_object((d.get("spec") or {}).get("selector"))
        latest = self.replica_set_writes.latest
        candidates = [latest(rs) for rs in controlled_by(self.replica_sets, d, orphans=True)]

        async def recheck() -> Obj:
            return await self.client.get(DEPLOYMENTS, meta["name"], namespace=meta.get("namespace"))

        manager = ControllerRefManager(
            self.client,
            REPLICASETS,
            d,
            selector,
            owner_api_version="apps/v1",
            owner_kind="Deployment",
            recheck_owner=recheck,
        )
        return await manager.claim(candidates)

    # the new ReplicaSet and revisions

    async def all_replica_sets(
        self, d: Obj, rs_list: Sequence[Obj], *, create: bool
    ) -> tuple[Obj | None, list[Obj]]:
        """(new ReplicaSet or None, every old one), revisions synced; with `create`, the new
        ReplicaSet is created when missing (getAllReplicaSetsAndSyncRevision)."""
        _, old = rsutil.find_old(d, rs_list)
        new = await self.new_replica_set(d, rs_list, old, create=create)
        return new, old

    async def new_replica_set(
        self, d: Obj, rs_list: Sequence[Obj], old: list[Obj], *, create: bool
    ) -> Obj | None:
        existing = rsutil.find_new(d, rs_list)
        new_revision = revisions.max_revision(old) + 1
        if existing is not None:
            return await self._sync_existing_new(d, existing, new_revision)
        if not create:
            return None
        return await self._create_new(d, old, new_revision)

    async def _sync_existing_new(self, d: Obj, existing: Obj, new_revision: int) -> Obj:
        rs = copy.deepcopy(existing)
        changed = revisions.set_new_replica_set_annotations(d, rs, new_revision, exists=True)
        min_ready = (d.get("spec") or {}).get("minReadySeconds", 0)
        if changed or (rs["spec"].get("minReadySeconds", 0) != min_ready):
            if min_ready:
                rs["spec"]["minReadySeconds"] = min_ready
            else:
                rs["spec"].pop("minReadySeconds", None)
            return await self.update_replica_set(existing, rs)
        needs_update = revisions.set_deployment_revision(
            d, rs["metadata"]["annotations"].get(revisions.REVISION, "")
        )
        status = d.setdefault("status", {})
        if st.has_progress_deadline(d) and st.get_condition(status, st.PROGRESSING) is None:
            msg = f'Found new replica set "{rsutil.name(rs)}"'
            st.set_condition(
                status, st.new_condition(st.PROGRESSING, "True", st.FOUND_NEW_RS, msg, self.clock)
            )
            needs_update = True
        if needs_update:
            await self.update_status(d)
        return rs

    async def _create_new(self, d: Obj, old: list[Obj], new_revision: int) -> Obj:
        rs = rsutil.new_replica_set(d, 0)
        replicas = scaling.new_rs_new_replicas(d, [*old, rs], rs)
        rs["spec"]["replicas"] = replicas
        revisions.set_new_replica_set_annotations(d, rs, new_revision, exists=False)
        already_exists = False
        try:
            created = await self.client.create(REPLICASETS, rs)
        except AlreadyExistsError:
            already_exists = True
            created = await self._existing_or_collision(d, rs)
        except StatusError as err:
            await self._report_create_failure(d, rs, err)
            raise
        if not already_exists and replicas > 0:
            self.event(
                d,
                NORMAL,
                SCALING_REPLICA_SET,
                f"Scaled up replica set {rsutil.name(created)} from 0 to {replicas}",
            )
        needs_update = revisions.set_deployment_revision(d, str(new_revision))
        if not already_exists and st.has_progress_deadline(d):
            msg = f'Created new replica set "{rsutil.name(created)}"'
            cond = st.new_condition(st.PROGRESSING, "True", st.NEW_RS_CREATED, msg, self.clock)
            st.set_condition(d.setdefault("status", {}), cond)
            needs_update = True
        if needs_update:
            await self.update_status(d)
        return created

    async def _existing_or_collision(self, d: Obj, rs: Obj) -> Obj:
        """The ReplicaSet named like ours already exists: ours (a stale cache), or a hash
        collision, which bumps `status.collisionCount` so the next try picks another name."""
        found = await self.client.get(REPLICASETS, rsutil.name(rs), namespace=rs["metadata"]["namespace"])
        ref = controller_ref(found)
        template = (d.get("spec") or {}).get("template")
        ours = ref is not None and ref.get("uid") == d["metadata"].get("uid")
        if ours and rsutil.equal_ignore_hash(template, (found.get("spec") or {}).get("template")):
            return found
        status = d.setdefault("status", {})
        before = status.get("collisionCount") or 0
        status["collisionCount"] = before + 1
        await self.update_status(d)
        log.info(
            "hash collision for deployment %s: collisionCount %d -> %d", deployment_key(d), before, before + 1
        )
        raise AlreadyExistsError(f'replicasets.apps "{rsutil.name(rs)}" already exists')

    async def _report_create_failure(self, d: Obj, rs: Obj, err: StatusError) -> None:
        if err.code == 403 and _is_namespace_terminating(err):
            return  # every create will fail until the namespace is gone; nothing to report
        msg = f'Failed to create new replica set "{rsutil.name(rs)}": {err.message}'
        if st.has_progress_deadline(d):
            cond = st.new_condition(st.PROGRESSING, "False", st.FAILED_RS_CREATE, msg, self.clock)
            st.set_condition(d.setdefault("status", {}), cond)
            try:
                await self.update_status(d)
            except StatusError:
                log.debug("could not record the failed ReplicaSet creation of %s", deployment_key(d))
        self.event(d, WARNING, st.FAILED_RS_CREATE, msg)

    # scaling

    async def scale_replica_set(
        self, rs: Obj, new_scale: int, d: Obj, operation: str = ""
    ) -> tuple[bool, Obj]:
        """Resize `rs` (and refresh its replica annotations); records ScalingReplicaSet.
        Returns (whether the size changed, the ReplicaSet as written)."""
        old_scale = rsutil.rs_replicas(rs)
        replicas = spec_replicas(d)
        maximum = replicas + max_surge(d)
        size_changed = old_scale != new_scale
        if not size_changed and not revisions.replicas_annotations_need_update(rs, replicas, maximum):
            return False, rs
        operation = operation or ("up" if old_scale < new_scale else "down")
        updated = copy.deepcopy(rs)
        updated["spec"]["replicas"] = new_scale
        revisions.set_replicas_annotations(updated, replicas, maximum)
        written = await self.update_replica_set(rs, updated)
        if size_changed:
            msg = f"Scaled {operation} replica set {rsutil.name(rs)} from {old_scale} to {new_scale}"
            self.event(d, NORMAL, SCALING_REPLICA_SET, msg)
        return size_changed, written

    async def apply_plan(self, plan: scaling.Plan, d: Obj) -> tuple[int, dict[int, Obj]]:
        """Carry out `(replica set, size)` pairs; (pods removed, written ReplicaSets by the
        id of the object they replace)."""
        removed = 0
        written: dict[int, Obj] = {}
        for rs, size in plan:
            if size > rsutil.rs_replicas(rs):
                raise ValueError(f"invalid request to scale down {rsutil.name(rs)} to {size}")
            _, after = await self.scale_replica_set(rs, size, d)
            removed += rsutil.rs_replicas(rs) - size
            written[id(rs)] = after
        return removed, written

    async def scale(self, d: Obj, new_rs: Obj | None, old: list[Obj]) -> None:
        """A resize outside a rollout step (scaling event, paused Deployment): the one active
        ReplicaSet takes the new size; a saturated new ReplicaSet takes over from old ones;
        otherwise a rolling Deployment spreads the change proportionally."""
        replicas = spec_replicas(d)
        target = rsutil.find_active_or_latest(new_rs, old)
        if target is not None:
            if rsutil.rs_replicas(target) != replicas:
                await self.scale_replica_set(target, replicas, d)
            return
        if rsutil.is_saturated(d, new_rs):
            for rs in rsutil.active(old):
                await self.scale_replica_set(rs, 0, d)
            return
        if is_rolling_update(d):
            plan, direction = scaling.proportional_sizes(d, new_rs, old)
            for rs, size in plan:
                await self.scale_replica_set(rs, size, d, direction)

    # cleanup

    async def cleanup(self, old: list[Obj], d: Obj) -> None:
        """Delete old ReplicaSets beyond `revisionHistoryLimit` (cleanupDeployment)."""
        for rs in rsutil.history_to_delete(d, old):
            log.debug("deleting old replica set %s of deployment %s", rsutil.name(rs), deployment_key(d))
            try:
                await self.client.delete(
                    REPLICASETS, rsutil.name(rs), namespace=rs["metadata"].get("namespace")
                )
            except NotFoundError:
                pass

    async def update_replica_set(self, current: Obj, updated: Obj) -> Obj:
        """Write `updated` (a changed copy of `current`); remembers the answer."""
        written = await self.client.update(REPLICASETS, updated)
        self.replica_set_writes.record(current, written)
        return written

    # status

    async def update_status(self, d: Obj) -> Obj:
        """Write `d`'s status (and annotations, which a Deployment's /status accepts);
        `d` takes the new resourceVersion."""
        written = await self.client.update_status(DEPLOYMENTS, d)
        self.deployment_writes.record(d, written)
        d["metadata"]["resourceVersion"] = written["metadata"].get("resourceVersion", "")
        return written

    async def update(self, d: Obj) -> Obj:
        """Write `d` (spec and metadata); remembers the answer."""
        written = await self.client.update(DEPLOYMENTS, d)
        self.deployment_writes.record(d, written)
        return written

    async def sync_status(self, all_rss: Sequence[Obj | None], new_rs: Obj | None, d: Obj) -> None:
        """Write the counts and Available condition if they changed (syncDeploymentStatus)."""
        status = st.calculate_status(all_rss, new_rs, d, self.clock)
        if st.statuses_equal(d.get("status") or {}, status):
            return
        d["status"] = status
        await self.update_status(d)

    async def sync_rollout_status(
        self, all_rss: Sequence[Obj | None], new_rs: Obj | None, d: Obj
    ) -> float | None:
        """Write the status after a rollout step (syncRolloutStatus). When nothing changed,
        returns the seconds after which the progress deadline must be checked, if any."""
        status = st.rollout_status(all_rss, new_rs, d, self.clock)
        if st.statuses_equal(d.get("status") or {}, status):
            return st.progress_check_after(d, status, self.clock)
        d["status"] = status
        await self.update_status(d)
        return None

    async def check_paused_conditions(self, d: Obj) -> None:
        """Mark the Progressing condition paused or resumed, so time spent paused never
        counts against the deadline."""
        cond = st.paused_condition(d, self.clock)
        if cond is not None:
            st.set_condition(d.setdefault("status", {}), cond)
            await self.update_status(d)
