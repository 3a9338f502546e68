"""Reading and writing ControllerRevisions (kube-controller-manager's `history.Interface`).

Revisions are read from the shared ControllerRevision informer and written through the
client. Creating one handles name clashes the way Kubernetes does: a revision of the same
name with the same data is the one we wanted (an earlier attempt succeeded); one with other
data is a hash collision, answered by bumping the collision count (which changes the hash,
hence the name) and trying again.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Mapping
from typing import Any

from pyk8s.api.errors import AlreadyExistsError, ConflictError, NotFoundError
from pyk8s.api.selectors import LabelSelector
from pyk8s.client.informers import SharedInformer
from pyk8s.client.resources import CONTROLLERREVISIONS
from pyk8s.client.rest import Client, PatchType
from pyk8s.controllers.history.revisions import (
    CONTROLLER_REVISION_HASH_LABEL,
    data_bytes,
    hash_revision,
    revision_name,
)
from pyk8s.controllers.runtime.ownership import controller_ref, new_controller_ref

log = logging.getLogger("pyk8s.controllers.history")

Obj = dict[str, Any]

MAX_COLLISIONS = 100  # a runaway loop guard; a real clash needs one or two bumps


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return obj.get("metadata") or {}


class ControllerHistory:
    """The revisions of owners in one controller, read from `revisions` (an informer)."""

    def __init__(self, client: Client, revisions: SharedInformer) -> None:
        self.client = client
        self.revisions = revisions

    def list(self, owner: Mapping[str, Any], selector: LabelSelector) -> list[Obj]:
        """Revisions in the owner's namespace matching `selector` that the owner controls or
        nobody controls (ListControllerRevisions). Cached objects: copy before changing."""
        namespace = _meta(owner).get("namespace", "")
        uid = _meta(owner).get("uid", "")
        owned = []
        for revision in self.revisions.lister.list(namespace=namespace, selector=selector):
            ref = controller_ref(revision)
            if ref is None or ref.get("uid") == uid:
                owned.append(revision)
        return owned

    async def create(
        self, owner: Mapping[str, Any], revision: Obj, collision_count: int, *, hash_label: str = ""
    ) -> tuple[Obj, int]:
        """Create `revision` (named from its data and the collision count); returns the stored
        revision and the collision count that named it."""
        label = hash_label or CONTROLLER_REVISION_HASH_LABEL
        prefix = _meta(owner).get("name", "")
        namespace = _meta(owner).get("namespace", "")
        wanted = data_bytes(revision.get("data"))
        for _ in range(MAX_COLLISIONS):
            hash_ = hash_revision(wanted, collision_count)
            attempt = copy.deepcopy(revision)
            attempt["metadata"]["name"] = revision_name(prefix, hash_)
            attempt["metadata"].setdefault("labels", {})[label] = hash_
            try:
                return await self.client.create(
                    CONTROLLERREVISIONS, attempt, namespace=namespace
                ), collision_count
            except AlreadyExistsError:
                existing = await self.client.get(
                    CONTROLLERREVISIONS, attempt["metadata"]["name"], namespace=namespace
                )
                if data_bytes(existing.get("data")) == wanted:
                    return existing, collision_count
                log.info(
                    "revision name %s collides: bumping the collision count", attempt["metadata"]["name"]
                )
                collision_count += 1
        raise RuntimeError(f"no free ControllerRevision name for {namespace}/{prefix}")

    async def update_revision(self, revision: Obj, number: int) -> Obj:
        """Give `revision` the revision number `number` (a rollback to an old template),
        re-reading it when someone else wrote it first."""
        current = revision
        for attempt in range(5):
            if int(current.get("revision") or 0) == number:
                return current
            updated = copy.deepcopy(current)
            updated["revision"] = number
            try:
                return await self.client.update(CONTROLLERREVISIONS, updated)
            except ConflictError:
                if attempt == 4:
                    raise
                meta = _meta(current)
                current = await self.client.get(
                    CONTROLLERREVISIONS, meta["name"], namespace=meta["namespace"]
                )
        return current

    async def delete(self, revision: Mapping[str, Any]) -> None:
        meta = _meta(revision)
        try:
            await self.client.delete(CONTROLLERREVISIONS, meta["name"], namespace=meta.get("namespace"))
        except NotFoundError:
            pass

    async def adopt(
        self, owner: Mapping[str, Any], revision: Mapping[str, Any], *, api_version: str, kind: str
    ) -> Obj:
        """Make `owner` the controller of an orphaned revision (a patch guarded by its UID)."""
        meta = _meta(revision)
        ref = new_controller_ref(owner, api_version=api_version, kind=kind)
        patch = {"metadata": {"ownerReferences": [ref], "uid": meta.get("uid", "")}}
        return await self.client.patch(
            CONTROLLERREVISIONS,
            meta["name"],
            patch,
            namespace=meta.get("namespace"),
            patch_type=PatchType.STRATEGIC,
        )
