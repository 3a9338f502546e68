"""A DaemonSet's ControllerRevisions (kube-controller-manager's `constructHistory`,
`snapshot`, `dedupCurHistories` and `cleanupHistory`).

The revision recording the current template is found by comparing data bytes; it is
created when missing (named `<daemonset>-<hash>`, labelled `controller-revision-hash`, which
is the label new pods get) and renumbered to be the newest when the template went back to an
older state. A name taken by a revision with other data is a hash collision: the DaemonSet's
`status.collisionCount` is bumped and the sync retried, which changes the hash.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Mapping
from typing import Any

from pyk8s.api.errors import AlreadyExistsError
from pyk8s.api.selectors import LabelSelector
from pyk8s.client.informers import SharedInformer
from pyk8s.client.resources import CONTROLLERREVISIONS, DAEMONSETS, PODS
from pyk8s.client.rest import Client
from pyk8s.controllers.history import (
    POD_REVISION_LABEL,
    data_bytes,
    new_revision,
    revisions_to_prune,
    template_patch,
)
from pyk8s.controllers.history.store import ControllerHistory
from pyk8s.controllers.runtime.ownership import ControllerRefManager, controlled_by

log = logging.getLogger("pyk8s.controllers.daemonset")

Obj = dict[str, Any]

API_VERSION, KIND = "apps/v1", "DaemonSet"


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return obj.get("metadata") or {}


def _labels(obj: Mapping[str, Any]) -> Mapping[str, str]:
    return _meta(obj).get("labels") or {}


class DaemonSetHistory:
    """Reads revisions and pods from informers, writes through the client."""

    def __init__(self, client: Client, revisions: SharedInformer, pods: SharedInformer) -> None:
        self.client = client
        self.revisions = revisions
        self.pods = pods
        self.store = ControllerHistory(client, revisions)

    async def construct(self, ds: Obj, selector: LabelSelector) -> tuple[Obj, list[Obj]]:
        """The revision recording the current template (created if missing, renumbered to be
        the newest) and the other revisions."""
        histories = await self._claim_revisions(ds, selector)
        wanted = data_bytes(template_patch(ds))
        current = [h for h in histories if data_bytes(h.get("data")) == wanted]
        old = [h for h in histories if data_bytes(h.get("data")) != wanted]
        number = max((int(h.get("revision") or 0) for h in old), default=0) + 1
        if not current:
            return await self._snapshot(ds, number), old
        keep = await self._dedup(ds, current)
        if int(keep.get("revision") or 0) < number:
            keep = await self.store.update_revision(keep, number)
        return keep, old

    async def _claim_revisions(self, ds: Obj, selector: LabelSelector) -> list[Obj]:
        async def recheck() -> Obj:
            return await self.client.get(DAEMONSETS, _meta(ds)["name"], namespace=_meta(ds)["namespace"])

        manager = ControllerRefManager(
            self.client,
            CONTROLLERREVISIONS,
            ds,
            selector,
            owner_api_version=API_VERSION,
            owner_kind=KIND,
            recheck_owner=recheck,
        )
        candidates = self.revisions.lister.list(namespace=_meta(ds).get("namespace", ""))
        claimed = await manager.claim(candidates)
        # Older controllers did not label revisions with their hash: the name stands in.
        labelled = []
        for revision in claimed:
            if POD_REVISION_LABEL not in _labels(revision):
                revision = copy.deepcopy(revision)
                revision["metadata"].setdefault("labels", {})[POD_REVISION_LABEL] = revision["metadata"][
                    "name"
                ]
                revision = await self.client.update(CONTROLLERREVISIONS, revision)
            labelled.append(revision)
        return labelled

    async def _snapshot(self, ds: Obj, number: int) -> Obj:
        collision_count = int((ds.get("status") or {}).get("collisionCount") or 0)
        revision = new_revision(
            ds,
            api_version=API_VERSION,
            kind=KIND,
            revision=number,
            collision_count=collision_count,
            hash_label=POD_REVISION_LABEL,
        )
        try:
            return await self.client.create(CONTROLLERREVISIONS, revision)
        except AlreadyExistsError:
            meta = revision["metadata"]
            existing = await self.client.get(CONTROLLERREVISIONS, meta["name"], namespace=meta["namespace"])
            if data_bytes(existing.get("data")) == data_bytes(revision["data"]):
                return existing
            # A hash collision: count it (the next name differs) and let the retry use it.
            fresh = await self.client.get(DAEMONSETS, _meta(ds)["name"], namespace=_meta(ds)["namespace"])
            status = fresh.setdefault("status", {})
            status["collisionCount"] = int(status.get("collisionCount") or 0) + 1
            await self.client.update_status(DAEMONSETS, fresh)
            log.info(
                "hash collision for daemon set %s: collisionCount now %d",
                meta["name"],
                status["collisionCount"],
            )
            raise

    async def _dedup(self, ds: Obj, current: list[Obj]) -> Obj:
        """Keep the newest of several revisions recording the current template; relabel the
        pods of the others and delete them."""
        if len(current) == 1:
            return current[0]
        keep = max(current, key=lambda h: int(h.get("revision") or 0))
        keep_hash = _labels(keep).get(POD_REVISION_LABEL, "")
        duplicate_hashes = {_labels(h).get(POD_REVISION_LABEL) for h in current if h is not keep}
        for pod in controlled_by(self.pods, ds):
            # Only pods of a duplicate move over (Kubernetes relabels every pod with another
            # hash, which would also pass genuinely old pods off as updated).
            if _labels(pod).get(POD_REVISION_LABEL) in duplicate_hashes:
                relabelled = copy.deepcopy(pod)
                relabelled["metadata"].setdefault("labels", {})[POD_REVISION_LABEL] = keep_hash
                await self.client.update(PODS, relabelled)
        for duplicate in current:
            if duplicate is not keep:
                await self.store.delete(duplicate)
        return keep

    async def cleanup(self, ds: Obj, old: list[Obj], by_node: Mapping[str, list[Obj]]) -> None:
        """Delete the oldest revisions beyond revisionHistoryLimit that no pod runs."""
        live_hashes = {_labels(p).get(POD_REVISION_LABEL) for pods in by_node.values() for p in pods}
        live = [_meta(h)["name"] for h in old if _labels(h).get(POD_REVISION_LABEL) in live_hashes]
        limit = (ds.get("spec") or {}).get("revisionHistoryLimit")
        for revision in revisions_to_prune(old, live=live, limit=limit, live_counts=True):
            await self.store.delete(revision)
