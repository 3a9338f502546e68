"""Owner references: who controls an object, and claiming objects by selector.

A controller owns the objects it manages through an ownerReference with `controller: true`
(at most one per object) and `blockOwnerDeletion: true` (foreground deletion of the owner
waits for them). `ControllerRefManager.claim` is client-go's `ClaimPods`/`ClaimReplicaSets`:
given the objects the owner might manage, it

- keeps those it controls whose labels still match its selector;
- releases those it controls that no longer match (removes its reference);
- adopts orphans that match (adds its reference), unless the owner or the object is being
  deleted; before the first adoption it re-reads the owner from the API server (not the
  cache) to make sure it still exists with the same UID and is not being deleted;
- ignores objects another controller owns.

Adoption and release are strategic merge patches on `metadata.ownerReferences` (merged by
`uid`) that also carry the object's `metadata.uid`, so a patch can never land on a
re-created object of the same name.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from pyk8s.api.errors import NotFoundError, StatusError
from pyk8s.api.selectors import LabelSelector
from pyk8s.client.informers import SharedInformer
from pyk8s.client.resources import Resource
from pyk8s.client.rest import Client, PatchType

log = logging.getLogger("pyk8s.controllers.ownership")

Obj = dict[str, Any]


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    meta = obj.get("metadata")
    return meta if isinstance(meta, Mapping) else {}


def controller_ref(obj: Mapping[str, Any]) -> Obj | None:
    """The ownerReference with `controller: true`, or None (metav1.GetControllerOf)."""
    for ref in _meta(obj).get("ownerReferences") or ():
        if isinstance(ref, dict) and ref.get("controller"):
            return ref
    return None


def new_controller_ref(owner: Mapping[str, Any], *, api_version: str, kind: str) -> Obj:
    """The ownerReference an owner puts on what it creates (metav1.NewControllerRef)."""
    meta = _meta(owner)
    return {
        "apiVersion": api_version,
        "kind": kind,
        "name": meta.get("name", ""),
        "uid": meta.get("uid", ""),
        "controller": True,
        "blockOwnerDeletion": True,
    }


def is_controlled_by(obj: Mapping[str, Any], owner: Mapping[str, Any]) -> bool:
    ref = controller_ref(obj)
    return ref is not None and ref.get("uid") == _meta(owner).get("uid")


def is_being_deleted(obj: Mapping[str, Any]) -> bool:
    return bool(_meta(obj).get("deletionTimestamp"))


def api_group(api_version: str) -> str:
    """`apps` of `apps/v1`, "" of `v1`."""
    group, sep, _ = api_version.rpartition("/")
    return group if sep else ""


CONTROLLER_UID_INDEX = "controller-uid"
ORPHAN_PREFIX = "orphan/"


def controller_uid_index(obj: Obj) -> list[str]:
    """Index value: the controller owner's UID, or `orphan/<namespace>` for an object without one."""
    ref = controller_ref(obj)
    if ref is not None and ref.get("uid"):
        return [str(ref["uid"])]
    return [ORPHAN_PREFIX + str(_meta(obj).get("namespace") or "")]


def add_controller_uid_index(informer: SharedInformer) -> None:
    """Index `informer`'s objects by controller UID (once, however many controllers ask)."""
    if CONTROLLER_UID_INDEX not in informer.indexer.indexers:
        informer.add_indexers({CONTROLLER_UID_INDEX: controller_uid_index})


def controlled_by(informer: SharedInformer, owner: Mapping[str, Any], *, orphans: bool = False) -> list[Obj]:
    """Cached objects whose controller is `owner` (and, with `orphans`, those in its namespace
    that have no controller: candidates for adoption). Needs `add_controller_uid_index`."""
    indexer = informer.indexer
    objects = indexer.by_index(CONTROLLER_UID_INDEX, str(_meta(owner).get("uid") or ""))
    if orphans:
        objects += indexer.by_index(
            CONTROLLER_UID_INDEX, ORPHAN_PREFIX + str(_meta(owner).get("namespace") or "")
        )
    return objects


class _Action(enum.Enum):
    """What claiming does with one object."""

    KEEP = "keep"
    IGNORE = "ignore"
    ADOPT = "adopt"
    RELEASE = "release"


class AdoptionRefusedError(Exception):
    """The owner cannot adopt: it is gone, was re-created, or is being deleted."""


class ControllerRefManager:
    """Claims objects of `resource` for one `owner` (see the module docstring).

    `recheck_owner` fetches the owner afresh (an uncached read); it is called at most once,
    before the first adoption. It may raise; the claim then fails with that error.
    """

    def __init__(
        self,
        client: Client,
        resource: Resource,
        owner: Obj,
        selector: LabelSelector,
        *,
        owner_api_version: str,
        owner_kind: str,
        recheck_owner: Callable[[], Awaitable[Obj]],
    ) -> None:
        self.client = client
        self.resource = resource
        self.owner = owner
        self.selector = selector
        self.owner_api_version = owner_api_version
        self.owner_kind = owner_kind
        self._recheck_owner = recheck_owner
        self._can_adopt: bool | None = None
        self._owner_uid = _meta(owner).get("uid", "")

    async def claim(self, objects: list[Obj]) -> list[Obj]:
        """The objects the owner controls after adopting and releasing; raises the first
        adoption or release failure other than the object having disappeared."""
        claimed: list[Obj] = []
        first_error: Exception | None = None
        for obj in objects:
            # Decided without awaiting: only adoptions and releases cost a request (and a
            # coroutine), which matters when an owner has thousands of objects.
            action = self._decide(obj)
            if action is _Action.KEEP:
                claimed.append(obj)
                continue
            if action is _Action.IGNORE:
                continue
            try:
                if action is _Action.ADOPT:
                    if await self.adopt(obj):
                        claimed.append(obj)
                else:
                    await self.release(obj)
            except Exception as err:  # one bad object must not stop the others' claims
                first_error = first_error or err
        if first_error is not None:
            raise first_error
        return claimed

    def _decide(self, obj: Obj) -> _Action:
        ref = controller_ref(obj)
        labels = _meta(obj).get("labels")
        if ref is not None:
            if ref.get("uid") != self._owner_uid:
                return _Action.IGNORE  # someone else's
            if self.selector.matches(labels):
                return _Action.KEEP
            if is_being_deleted(self.owner):
                return _Action.IGNORE  # an owner being deleted releases nothing
            return _Action.RELEASE
        if is_being_deleted(self.owner) or not self.selector.matches(labels) or is_being_deleted(obj):
            return _Action.IGNORE
        return _Action.ADOPT

    async def _check_can_adopt(self) -> None:
        if self._can_adopt is None:
            fresh = await self._recheck_owner()
            if _meta(fresh).get("uid") != self._owner_uid:
                self._can_adopt = False
            else:
                self._can_adopt = not is_being_deleted(fresh)
        if not self._can_adopt:
            name = _meta(self.owner).get("name", "")
            raise AdoptionRefusedError(
                f"{self.owner_kind} {name} cannot adopt: it is gone or being deleted (uid {self._owner_uid})"
            )

    async def adopt(self, obj: Obj) -> bool:
        """Add the owner's controller reference; False if the object has disappeared."""
        await self._check_can_adopt()
        ref = new_controller_ref(self.owner, api_version=self.owner_api_version, kind=self.owner_kind)
        patch = {"metadata": {"ownerReferences": [ref], "uid": _meta(obj).get("uid", "")}}
        return await self._patch(obj, patch, "adopt")

    async def release(self, obj: Obj) -> bool:
        """Remove the owner's reference; False if the object has disappeared."""
        patch = {
            "metadata": {
                "ownerReferences": [{"$patch": "delete", "uid": self._owner_uid}],
                "uid": _meta(obj).get("uid", ""),
            }
        }
        return await self._patch(obj, patch, "release")

    async def _patch(self, obj: Obj, patch: Obj, action: str) -> bool:
        meta = _meta(obj)
        try:
            await self.client.patch(
                self.resource,
                meta.get("name", ""),
                patch,
                namespace=meta.get("namespace") or None,
                patch_type=PatchType.STRATEGIC,
            )
        except NotFoundError:
            return False
        except StatusError as err:
            # 422 on release: the object was deleted and re-created, or is being deleted.
            if action == "release" and err.code == 422:
                return False
            raise
        owner = _meta(self.owner)
        done = "adopted" if action == "adopt" else "released"
        log.info(
            "%s %s/%s %s %s %s",
            self.owner_kind,
            owner.get("namespace", ""),
            owner.get("name", ""),
            done,
            self.resource.kind,
            meta.get("name", ""),
        )
        return True
