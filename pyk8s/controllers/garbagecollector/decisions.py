"""What the collector does with one node once it has read the object and its owners live.

    references of the live object
      │ every owner looked up (absent-owner cache, else a live GET by uid)
      ▼
    solid       the owner exists and is not waiting for its dependents
    dangling    the owner is gone (404, or another object now has the name)
    waiting     the owner exists, being deleted with `foregroundDeletion`

    solid ≥ 1                        keep; drop dangling and waiting references (patch)
    waiting ≥ 1 and has dependents   delete Foreground (first unblock its own references
                                     if a dependent also waits: a cycle would never end)
    otherwise                        delete, with the policy its finalizers already ask for
                                     (orphan > foregroundDeletion > Background)

Pure functions over dicts; `collector.py` does the reads and writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pyk8s.controllers.garbagecollector.graph import (
    FOREGROUND_FINALIZER,
    ORPHAN_FINALIZER,
    Node,
    OwnerRef,
)

Obj = dict[str, Any]

BACKGROUND = "Background"
FOREGROUND = "Foreground"
ORPHAN = "Orphan"


class NamespacedOwnerOfClusterScopedObjectError(Exception):
    """A cluster-scoped object names an owner of a namespaced kind: the reference can never be
    resolved (an owner reference has no namespace), so retrying is pointless."""

    def __init__(self) -> None:
        super().__init__("cluster-scoped objects cannot refer to namespaced owners")


def owner_lookup_namespace(dependent_namespace: str, owner_namespaced: bool) -> str:
    """Where to look an owner up: a namespaced owner lives in its dependent's namespace; a
    cluster-scoped owner has none. Raises for a namespaced owner of a cluster-scoped object."""
    if not owner_namespaced:
        return ""
    if not dependent_namespace:
        raise NamespacedOwnerOfClusterScopedObjectError()
    return dependent_namespace


@dataclass
class Classification:
    """A dependent's owner references, sorted by what the owner's live state says."""

    solid: list[OwnerRef] = field(default_factory=list)
    dangling: list[OwnerRef] = field(default_factory=list)
    waiting: list[OwnerRef] = field(default_factory=list)

    def add(self, ref: OwnerRef, owner: Mapping[str, Any] | None) -> None:
        """File `ref` given the owner as read (None: absent or another uid)."""
        if owner is None:
            self.dangling.append(ref)
        elif _waits_for_dependents(owner):
            self.waiting.append(ref)
        else:
            self.solid.append(ref)


def is_dangling(ref: OwnerRef, owner: Mapping[str, Any] | None) -> bool:
    """An owner read by name is the referenced one only if its uid matches."""
    return owner is None or (owner.get("metadata") or {}).get("uid") != ref.uid


@dataclass(frozen=True)
class Keep:
    """Nothing to do: the object has a live owner and no stale references, or no owners."""


@dataclass(frozen=True)
class RemoveReferences:
    """Patch away references to these owner uids (the object keeps a live owner)."""

    uids: tuple[str, ...]


@dataclass(frozen=True)
class Delete:
    """Delete the object with this propagation policy (after unblocking its own references
    to owners when `unblock_first`)."""

    policy: str
    unblock_first: bool = False


Decision = Keep | RemoveReferences | Delete


def decide(item: Node, latest: Mapping[str, Any], classes: Classification) -> Decision:
    """The collector's verdict on one live object (see the module docstring)."""
    if classes.solid:
        stale = [r.uid for r in classes.dangling + classes.waiting]
        return RemoveReferences(tuple(stale)) if stale else Keep()
    if classes.waiting and item.dependents:
        cycle = any(dep.deleting_dependents for dep in item.dependents)
        return Delete(FOREGROUND, unblock_first=cycle)
    finalizers = (latest.get("metadata") or {}).get("finalizers") or []
    if ORPHAN_FINALIZER in finalizers:
        return Delete(ORPHAN)
    if FOREGROUND_FINALIZER in finalizers:
        return Delete(FOREGROUND)
    return Delete(BACKGROUND)


def _waits_for_dependents(owner: Mapping[str, Any]) -> bool:
    meta = owner.get("metadata") or {}
    return bool(meta.get("deletionTimestamp")) and FOREGROUND_FINALIZER in (meta.get("finalizers") or [])


# patches (JSON merge patches guarded by resourceVersion: a concurrent change is a 409 and the
# worker re-reads, so no owner reference is lost and none written from stale state)


def without_owner_references(obj: Mapping[str, Any], uids: Iterable[str]) -> Obj | None:
    """A merge patch dropping references to `uids`; None if there are none to drop."""
    meta = obj.get("metadata") or {}
    drop = set(uids)
    refs = list(meta.get("ownerReferences") or [])
    kept = [r for r in refs if r.get("uid") not in drop]
    if len(kept) == len(refs):
        return None
    return {"metadata": {"ownerReferences": kept or None, "resourceVersion": meta.get("resourceVersion")}}


def unblocked_owner_references(obj: Mapping[str, Any]) -> Obj | None:
    """A merge patch setting blockOwnerDeletion false on every reference; None if none blocks."""
    meta = obj.get("metadata") or {}
    refs = list(meta.get("ownerReferences") or [])
    if not any(r.get("blockOwnerDeletion") for r in refs):
        return None
    updated = [{**r, "blockOwnerDeletion": False} if r.get("blockOwnerDeletion") else r for r in refs]
    return {"metadata": {"ownerReferences": updated, "resourceVersion": meta.get("resourceVersion")}}


def without_finalizer(obj: Mapping[str, Any], finalizer: str) -> Obj | None:
    """A merge patch removing one finalizer; None if the object does not have it."""
    meta = obj.get("metadata") or {}
    finalizers = list(meta.get("finalizers") or [])
    if finalizer not in finalizers:
        return None
    kept = [f for f in finalizers if f != finalizer]
    return {"metadata": {"finalizers": kept or None, "resourceVersion": meta.get("resourceVersion")}}
