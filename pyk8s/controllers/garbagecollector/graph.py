"""The ownership graph: which object owns which, kept from watch events, pure and I/O free.

Every object the collector watches is a `Node` keyed by uid, with the owner references it
declares and the set of nodes that declare it as an owner (its dependents). An owner that
was referenced but never observed is a *virtual* node: it may not exist, and only a live
read at the API server can tell (the collector does that, then feeds a virtual delete
event back here when it is gone).

The graph never deletes anything. It decides which nodes the collector must look at:

    event                                     -> attempt_to_delete           attempt_to_orphan
    ----------------------------------------     --------------------------  -----------------
    object references an owner not in graph      the (virtual) owner
    object deleted (real or virtual)             its dependents; owners that
                                                 wait for their dependents
    deletion starts with `foregroundDeletion`    the object and its dependents
    deletion starts with `orphan`                                            the object
    a blocking reference removed or unblocked    that owner
    owner seen in another namespace than a       the dependent (and an
    namespaced dependent                         OwnerRefInvalidNamespace report)

This mirrors kube-controller-manager's GraphBuilder; the decisions a worker takes for one
node are in `decisions.py`.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

ORPHAN_FINALIZER = "orphan"
FOREGROUND_FINALIZER = "foregroundDeletion"


@dataclass(frozen=True, slots=True)
class ObjectReference:
    """Who an object is: owner-reference coordinates plus its namespace ("" if cluster-scoped)."""

    api_version: str
    kind: str
    name: str
    uid: str
    namespace: str = ""

    def __str__(self) -> str:
        # The shape Kubernetes prints in GC events and logs.
        return (
            f"[{self.api_version}/{self.kind}, namespace: {self.namespace}, "
            f"name: {self.name}, uid: {self.uid}]"
        )

    def matches(self, ref: OwnerRef) -> bool:
        """Whether an owner reference names exactly these coordinates."""
        return (
            ref.uid == self.uid
            and ref.name == self.name
            and ref.kind == self.kind
            and ref.api_version == self.api_version
        )


@dataclass(frozen=True, slots=True)
class OwnerRef:
    """One entry of `metadata.ownerReferences`."""

    api_version: str
    kind: str
    name: str
    uid: str
    controller: bool = False
    block_owner_deletion: bool = False

    @classmethod
    def from_dict(cls, ref: Mapping[str, Any]) -> OwnerRef:
        return cls(
            api_version=str(ref.get("apiVersion") or ""),
            kind=str(ref.get("kind") or ""),
            name=str(ref.get("name") or ""),
            uid=str(ref.get("uid") or ""),
            controller=bool(ref.get("controller")),
            block_owner_deletion=bool(ref.get("blockOwnerDeletion")),
        )

    def identity(self, namespace: str) -> ObjectReference:
        """The owner's coordinates as seen from a dependent in `namespace`."""
        return ObjectReference(self.api_version, self.kind, self.name, self.uid, namespace)


@dataclass(frozen=True, slots=True)
class ObjectState:
    """What the graph needs of an object: identity, owners, and its deletion state."""

    identity: ObjectReference
    owners: tuple[OwnerRef, ...] = ()
    deleting: bool = False
    finalizers: tuple[str, ...] = ()

    @classmethod
    def from_object(cls, api_version: str, kind: str, obj: Mapping[str, Any]) -> ObjectState:
        meta = obj.get("metadata") or {}
        return cls(
            identity=ObjectReference(
                api_version,
                kind,
                str(meta.get("name") or ""),
                str(meta.get("uid") or ""),
                str(meta.get("namespace") or ""),
            ),
            owners=tuple(OwnerRef.from_dict(r) for r in meta.get("ownerReferences") or ()),
            deleting=bool(meta.get("deletionTimestamp")),
            finalizers=tuple(meta.get("finalizers") or ()),
        )

    def waits_for(self, finalizer: str) -> bool:
        """Being deleted, held by `finalizer`."""
        return self.deleting and finalizer in self.finalizers


class Node:
    """One object (or a virtual owner) in the graph. Hashed by identity of the Python object,
    so a replaced virtual node is a different queue item from its successor."""

    __slots__ = ("being_deleted", "deleting_dependents", "dependents", "identity", "observed", "owners")

    def __init__(
        self,
        identity: ObjectReference,
        *,
        owners: tuple[OwnerRef, ...] = (),
        observed: bool = True,
        being_deleted: bool = False,
        deleting_dependents: bool = False,
    ) -> None:
        self.identity = identity
        self.owners = owners
        self.observed = observed
        self.being_deleted = being_deleted
        self.deleting_dependents = deleting_dependents
        self.dependents: set[Node] = set()

    @property
    def uid(self) -> str:
        return self.identity.uid

    @property
    def virtual(self) -> bool:
        return not self.observed

    def clone(self) -> Node:
        copy = Node(
            self.identity,
            owners=self.owners,
            observed=self.observed,
            being_deleted=self.being_deleted,
            deleting_dependents=self.deleting_dependents,
        )
        copy.dependents = set(self.dependents)
        return copy

    def blocking_dependents(self) -> list[Node]:
        """Dependents whose reference to this node has blockOwnerDeletion set."""
        return [
            dep
            for dep in self.dependents
            if any(ref.uid == self.uid and ref.block_owner_deletion for ref in dep.owners)
        ]

    def __repr__(self) -> str:
        return f"Node({self.identity}{', virtual' if self.virtual else ''})"


class AbsentOwnerCache:
    """Owners verified absent (LRU), so dependents of one deleted owner need one lookup, not N."""

    def __init__(self, capacity: int = 500) -> None:
        self.capacity = capacity
        self._items: OrderedDict[ObjectReference, None] = OrderedDict()

    def add(self, ref: ObjectReference) -> None:
        self._items[ref] = None
        self._items.move_to_end(ref)
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)

    def __contains__(self, ref: object) -> bool:
        return ref in self._items

    def __len__(self) -> int:
        return len(self._items)


@dataclass
class GraphEvent:
    """An observed (or, when `virtual`, a verified-absent) change of one object."""

    type: str  # "add", "update", "delete"
    state: ObjectState
    old: ObjectState | None = None
    virtual: bool = False


@dataclass
class GraphSinks:
    """Where the graph sends its conclusions (queues and the event recorder, in the collector)."""

    attempt_to_delete: Callable[[Node], None]
    attempt_to_orphan: Callable[[Node], None]
    invalid_namespace: Callable[[Node, OwnerRef], None] = field(default=lambda node, ref: None)
    attempt_to_delete_later: Callable[[Node], None] | None = None


class Graph:
    """uid -> Node, updated one event at a time (callers serialise events)."""

    def __init__(self, sinks: GraphSinks, *, absent_owners: AbsentOwnerCache | None = None) -> None:
        self.sinks = sinks
        self.absent_owners = absent_owners if absent_owners is not None else AbsentOwnerCache()
        self.nodes: dict[str, Node] = {}

    def __len__(self) -> int:
        return len(self.nodes)

    def get(self, uid: str) -> Node | None:
        return self.nodes.get(uid)

    # the one entry point

    def process(self, event: GraphEvent) -> None:
        state = event.state
        existing = self.nodes.get(state.identity.uid)
        if existing is not None and not event.virtual and not existing.observed:
            existing = self._observe_virtual(existing, state.identity)
        if event.type in ("add", "update"):
            if existing is None:
                node = Node(
                    state.identity,
                    owners=state.owners,
                    being_deleted=state.deleting,
                    deleting_dependents=state.waits_for(FOREGROUND_FINALIZER),
                )
                self.nodes[node.uid] = node
                self._add_dependent_to_owners(node, node.owners)
                self._process_transitions(event.old, state, node)
            else:
                self._update(existing, event)
        elif existing is not None:
            self._delete(existing, event)

    # add/update

    def _update(self, node: Node, event: GraphEvent) -> None:
        state = event.state
        added, removed, changed = references_diff(node.owners, state.owners)
        if added or removed or changed:
            self._enqueue_unblocked_owners(removed, changed)
            node.owners = state.owners
            self._add_dependent_to_owners(node, added)
            self._remove_dependent_from_owners(node, removed)
        if state.deleting:
            node.being_deleted = True
        self._process_transitions(event.old, state, node)

    def _observe_virtual(self, node: Node, observed: ObjectReference) -> Node:
        """A virtual node's object showed up in a watch: adopt its real coordinates, and have
        dependents that named it differently looked at again."""
        if observed != node.identity:
            _, mismatched = partition_dependents(node.dependents, observed)
            for dep in mismatched:
                if observed.namespace and dep.identity.namespace != observed.namespace:
                    self._report_invalid_namespace(dep, observed.uid)
                self.sinks.attempt_to_delete(dep)
            node = node.clone()
            node.identity = observed
            self.nodes[node.uid] = node
        node.observed = True
        return node

    def _add_dependent_to_owners(self, node: Node, owners: Iterable[OwnerRef]) -> None:
        suspicious = False
        for ref in owners:
            owner = self.nodes.get(ref.uid)
            if owner is None:
                # Never seen: a virtual node, verified by a live read in the collector.
                owner = Node(ref.identity(node.identity.namespace), observed=False)
                self.nodes[owner.uid] = owner
                owner.dependents.add(node)
                self.sinks.attempt_to_delete(owner)
                continue
            owner.dependents.add(node)
            if suspicious:
                continue
            owner_namespaced = bool(owner.identity.namespace)
            if owner_namespaced and owner.identity.namespace != node.identity.namespace:
                if owner.observed:
                    # A namespaced owner can only own objects of its own namespace.
                    self._report_invalid_namespace(node, ref.uid)
                suspicious = True
            elif not owner.identity.matches(ref):
                suspicious = True
            elif (
                not owner_namespaced and owner.identity.namespace != node.identity.namespace and owner.virtual
            ):
                # A cluster-scoped virtual owner may be a namespaced kind referenced by a
                # cluster-scoped object: have the dependent verified.
                suspicious = True
        if suspicious:
            self.sinks.attempt_to_delete(node)

    def _remove_dependent_from_owners(self, node: Node, owners: Iterable[OwnerRef]) -> None:
        for ref in owners:
            owner = self.nodes.get(ref.uid)
            if owner is not None:
                owner.dependents.discard(node)

    def _enqueue_unblocked_owners(
        self, removed: list[OwnerRef], changed: list[tuple[OwnerRef, OwnerRef]]
    ) -> None:
        """An owner waiting for its blocking dependents may be free once a reference that
        blocked it is gone or no longer blocks."""
        unblocked = [r.uid for r in removed if r.block_owner_deletion]
        unblocked += [
            new.uid for old, new in changed if old.block_owner_deletion and not new.block_owner_deletion
        ]
        for uid in unblocked:
            owner = self.nodes.get(uid)
            if owner is not None:
                self.sinks.attempt_to_delete(owner)

    def _process_transitions(self, old: ObjectState | None, new: ObjectState, node: Node) -> None:
        if _starts_waiting(old, new, ORPHAN_FINALIZER):
            self.sinks.attempt_to_orphan(node)
            return
        if _starts_waiting(old, new, FOREGROUND_FINALIZER):
            node.deleting_dependents = True
            node.being_deleted = True
            for dep in list(node.dependents):
                self.sinks.attempt_to_delete(dep)
            self.sinks.attempt_to_delete(node)

    # delete

    def _delete(self, node: Node, event: GraphEvent) -> None:
        deleted = event.state.identity
        if event.virtual and not self._virtual_delete_applies(node, deleted):
            return
        self.nodes.pop(node.uid, None)
        self._remove_dependent_from_owners(node, node.owners)
        if node.dependents:
            self.absent_owners.add(deleted)
        for dep in list(node.dependents):
            self.sinks.attempt_to_delete(dep)
        for ref in node.owners:
            owner = self.nodes.get(ref.uid)
            if owner is not None and owner.deleting_dependents:
                # Let the owner check whether its last blocking dependent just went.
                self.sinks.attempt_to_delete(owner)

    def _virtual_delete_applies(self, node: Node, deleted: ObjectReference) -> bool:
        """A virtual delete (an owner verified absent under some coordinates) removes the node
        only if no dependent names it by other coordinates; those are verified in turn."""
        if node.virtual:
            matching, mismatched = partition_dependents(node.dependents, deleted)
            if not mismatched:
                return True
            if matching:
                self.absent_owners.add(deleted)
                for dep in matching:
                    self.sinks.attempt_to_delete(dep)
            if node.identity == deleted:
                alternate = alternate_owner_identity(mismatched, deleted)
                if alternate is not None:
                    replacement = node.clone()
                    replacement.identity = alternate
                    self.nodes[replacement.uid] = replacement
                    later = self.sinks.attempt_to_delete_later or self.sinks.attempt_to_delete
                    later(replacement)
            return False
        if node.identity != deleted:
            # An observed object outlives a virtual delete made for other coordinates.
            matching, _ = partition_dependents(node.dependents, deleted)
            if matching:
                self.absent_owners.add(deleted)
                for dep in matching:
                    self.sinks.attempt_to_delete(dep)
            return False
        return True

    def _report_invalid_namespace(self, node: Node, owner_uid: str) -> None:
        for ref in node.owners:
            if ref.uid == owner_uid:
                self.sinks.invalid_namespace(node, ref)
                return


def references_diff(
    old: Iterable[OwnerRef], new: Iterable[OwnerRef]
) -> tuple[list[OwnerRef], list[OwnerRef], list[tuple[OwnerRef, OwnerRef]]]:
    """(added, removed, changed) owner references, matched by uid."""
    before = {r.uid: r for r in old}
    added: list[OwnerRef] = []
    changed: list[tuple[OwnerRef, OwnerRef]] = []
    for ref in new:
        previous = before.pop(ref.uid, None)
        if previous is None:
            added.append(ref)
        elif previous != ref:
            changed.append((previous, ref))
    return added, list(before.values()), changed


def partition_dependents(dependents: Iterable[Node], owner: ObjectReference) -> tuple[list[Node], list[Node]]:
    """Dependents whose reference to `owner.uid` matches these coordinates, and those whose
    reference does not (or that live in another namespace than a namespaced owner). A
    dependent with two references to the uid can land in both."""
    matching: list[Node] = []
    mismatched: list[Node] = []
    for dep in dependents:
        match = mismatch = False
        if owner.namespace and owner.namespace != dep.identity.namespace:
            mismatch = True
        else:
            for ref in dep.owners:
                if ref.uid == owner.uid:
                    if owner.matches(ref):
                        match = True
                    else:
                        mismatch = True
        if match:
            matching.append(dep)
        if mismatch:
            mismatched.append(dep)
    return matching, mismatched


def _ref_key(ref: ObjectReference) -> tuple[str, str, str, str, str]:
    # kind and apiVersion first, so alternates of one kind stay together whatever their scope
    return (ref.kind, ref.api_version, ref.namespace, ref.name, ref.uid)


def alternate_owner_identity(deps: Iterable[Node], absent: ObjectReference) -> ObjectReference | None:
    """Another identity the dependents give the absent owner's uid, to verify next: the first
    after `absent` in a stable order, else the first overall (so every alternate gets its turn)."""
    cluster_scoped = not absent.namespace
    seen = {absent}
    first: ObjectReference | None = None
    following: ObjectReference | None = None
    for dep in deps:
        for ref in dep.owners:
            if ref.uid != absent.uid:
                continue
            if absent.matches(ref) and (cluster_scoped or absent.namespace == dep.identity.namespace):
                continue
            candidate = ref.identity(dep.identity.namespace)
            if (
                cluster_scoped
                and candidate.api_version == absent.api_version
                and candidate.kind == absent.kind
            ):
                # that kind is known to be cluster-scoped
                candidate = ref.identity("")
            if candidate in seen:
                continue
            seen.add(candidate)
            if first is None or _ref_key(candidate) < _ref_key(first):
                first = candidate
            if _ref_key(absent) < _ref_key(candidate) and (
                following is None or _ref_key(candidate) < _ref_key(following)
            ):
                following = candidate
    return following or first


def _starts_waiting(old: ObjectState | None, new: ObjectState, finalizer: str) -> bool:
    """Deletion held by `finalizer` begins with this event (or was first seen with it)."""
    if not new.waits_for(finalizer):
        return False
    return old is None or not old.waits_for(finalizer)
