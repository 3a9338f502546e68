"""The ownership graph: which nodes the collector is told to look at, for which events."""

from __future__ import annotations

from typing import Any

from pyk8s.controllers.garbagecollector.graph import (
    FOREGROUND_FINALIZER,
    ORPHAN_FINALIZER,
    Graph,
    GraphEvent,
    GraphSinks,
    Node,
    ObjectReference,
    ObjectState,
    OwnerRef,
    alternate_owner_identity,
    partition_dependents,
    references_diff,
)


class Recorder:
    def __init__(self) -> None:
        self.delete: list[Node] = []
        self.orphan: list[Node] = []
        self.invalid: list[tuple[Node, OwnerRef]] = []

    def sinks(self) -> GraphSinks:
        return GraphSinks(
            attempt_to_delete=self.delete.append,
            attempt_to_orphan=self.orphan.append,
            invalid_namespace=lambda node, ref: self.invalid.append((node, ref)),
        )

    def deleted_uids(self) -> list[str]:
        return [n.uid for n in self.delete]


def obj(
    kind: str,
    name: str,
    uid: str,
    namespace: str = "ns",
    owners: list[dict[str, Any]] | None = None,
    **meta: Any,
) -> ObjectState:
    api_version = "apps/v1" if kind in ("ReplicaSet", "Deployment") else "v1"
    metadata = {"name": name, "uid": uid, "namespace": namespace, **meta}
    if owners:
        metadata["ownerReferences"] = owners
    return ObjectState.from_object(api_version, kind, {"metadata": metadata})


def ref(kind: str, name: str, uid: str, block: bool = False) -> dict[str, Any]:
    api_version = "apps/v1" if kind in ("ReplicaSet", "Deployment") else "v1"
    return {"apiVersion": api_version, "kind": kind, "name": name, "uid": uid, "blockOwnerDeletion": block}


def test_dependent_of_an_unseen_owner_makes_a_virtual_owner_to_verify() -> None:
    rec = Recorder()
    graph = Graph(rec.sinks())
    graph.process(GraphEvent("add", obj("Pod", "p", "pod-1", owners=[ref("ReplicaSet", "rs", "rs-1")])))
    owner = graph.get("rs-1")
    assert owner is not None and owner.virtual
    assert owner.identity == ObjectReference("apps/v1", "ReplicaSet", "rs", "rs-1", "ns")
    assert rec.deleted_uids() == ["rs-1"]
    assert {d.uid for d in owner.dependents} == {"pod-1"}


def test_observing_the_owner_makes_it_real_and_needs_no_check() -> None:
    rec = Recorder()
    graph = Graph(rec.sinks())
    graph.process(GraphEvent("add", obj("Pod", "p", "pod-1", owners=[ref("ReplicaSet", "rs", "rs-1")])))
    graph.process(GraphEvent("add", obj("ReplicaSet", "rs", "rs-1")))
    owner = graph.get("rs-1")
    assert owner is not None and owner.observed
    assert rec.deleted_uids() == ["rs-1"]  # only the earlier verification


def test_deleting_an_owner_sends_its_dependents_to_be_checked() -> None:
    rec = Recorder()
    graph = Graph(rec.sinks())
    graph.process(GraphEvent("add", obj("ReplicaSet", "rs", "rs-1")))
    for i in range(3):
        graph.process(
            GraphEvent("add", obj("Pod", f"p{i}", f"pod-{i}", owners=[ref("ReplicaSet", "rs", "rs-1")]))
        )
    rec.delete.clear()
    graph.process(GraphEvent("delete", obj("ReplicaSet", "rs", "rs-1")))
    assert sorted(rec.deleted_uids()) == ["pod-0", "pod-1", "pod-2"]
    assert graph.get("rs-1") is None
    assert ObjectReference("apps/v1", "ReplicaSet", "rs", "rs-1", "ns") in graph.absent_owners


def test_foreground_deletion_marks_owner_and_queues_it_and_dependents() -> None:
    rec = Recorder()
    graph = Graph(rec.sinks())
    graph.process(GraphEvent("add", obj("ReplicaSet", "rs", "rs-1")))
    graph.process(
        GraphEvent("add", obj("Pod", "p", "pod-1", owners=[ref("ReplicaSet", "rs", "rs-1", block=True)]))
    )
    old = obj("ReplicaSet", "rs", "rs-1")
    new = obj(
        "ReplicaSet",
        "rs",
        "rs-1",
        deletionTimestamp="2026-01-01T00:00:00Z",
        finalizers=[FOREGROUND_FINALIZER],
    )
    graph.process(GraphEvent("update", new, old=old))
    owner = graph.get("rs-1")
    assert owner is not None and owner.deleting_dependents and owner.being_deleted
    assert set(rec.deleted_uids()) == {"pod-1", "rs-1"}
    assert [d.uid for d in owner.blocking_dependents()] == ["pod-1"]
    # the dependent going away lets the owner check again
    rec.delete.clear()
    graph.process(
        GraphEvent("delete", obj("Pod", "p", "pod-1", owners=[ref("ReplicaSet", "rs", "rs-1", block=True)]))
    )
    assert rec.deleted_uids() == ["rs-1"]
    assert owner.blocking_dependents() == []


def test_orphan_deletion_queues_the_owner_for_orphaning_once() -> None:
    rec = Recorder()
    graph = Graph(rec.sinks())
    graph.process(GraphEvent("add", obj("ReplicaSet", "rs", "rs-1")))
    marked = obj(
        "ReplicaSet", "rs", "rs-1", deletionTimestamp="2026-01-01T00:00:00Z", finalizers=[ORPHAN_FINALIZER]
    )
    graph.process(GraphEvent("update", marked, old=obj("ReplicaSet", "rs", "rs-1")))
    graph.process(GraphEvent("update", marked, old=marked))  # a resync: no new transition
    assert [n.uid for n in rec.orphan] == ["rs-1"]


def test_removing_a_blocking_reference_wakes_the_waiting_owner() -> None:
    rec = Recorder()
    graph = Graph(rec.sinks())
    graph.process(GraphEvent("add", obj("ReplicaSet", "rs", "rs-1")))
    before = obj("Pod", "p", "pod-1", owners=[ref("ReplicaSet", "rs", "rs-1", block=True)])
    graph.process(GraphEvent("add", before))
    rec.delete.clear()
    after = obj("Pod", "p", "pod-1", owners=[ref("ReplicaSet", "rs", "rs-1", block=False)])
    graph.process(GraphEvent("update", after, old=before))
    assert rec.deleted_uids() == ["rs-1"]
    orphaned = obj("Pod", "p", "pod-1")
    graph.process(GraphEvent("update", orphaned, old=after))
    owner = graph.get("rs-1")
    assert owner is not None and owner.dependents == set()


def test_namespaced_owner_in_another_namespace_is_reported_and_dependent_checked() -> None:
    rec = Recorder()
    graph = Graph(rec.sinks())
    graph.process(GraphEvent("add", obj("ConfigMap", "owner", "cm-1", namespace="a")))
    graph.process(
        GraphEvent(
            "add", obj("ConfigMap", "dep", "cm-2", namespace="b", owners=[ref("ConfigMap", "owner", "cm-1")])
        )
    )
    assert [(n.uid, r.uid) for n, r in rec.invalid] == [("cm-2", "cm-1")]
    assert rec.deleted_uids() == ["cm-2"]


def test_virtual_owner_observed_elsewhere_reports_mismatched_dependents() -> None:
    rec = Recorder()
    graph = Graph(rec.sinks())
    graph.process(
        GraphEvent(
            "add", obj("ConfigMap", "dep", "cm-2", namespace="b", owners=[ref("ConfigMap", "owner", "cm-1")])
        )
    )
    rec.delete.clear()
    graph.process(GraphEvent("add", obj("ConfigMap", "owner", "cm-1", namespace="a")))
    assert [n.uid for n, _ in rec.invalid] == ["cm-2"]
    assert rec.deleted_uids() == ["cm-2"]
    node = graph.get("cm-1")
    assert node is not None and node.observed and node.identity.namespace == "a"


def test_virtual_delete_removes_a_virtual_node_and_queues_its_dependents() -> None:
    rec = Recorder()
    graph = Graph(rec.sinks())
    graph.process(GraphEvent("add", obj("Pod", "p", "pod-1", owners=[ref("ReplicaSet", "rs", "rs-1")])))
    virtual = graph.get("rs-1")
    assert virtual is not None
    rec.delete.clear()
    graph.process(GraphEvent("delete", ObjectState(virtual.identity), virtual=True))
    assert graph.get("rs-1") is None
    assert rec.deleted_uids() == ["pod-1"]


def test_virtual_delete_does_not_remove_an_observed_node_with_other_coordinates() -> None:
    rec = Recorder()
    graph = Graph(rec.sinks())
    graph.process(GraphEvent("add", obj("ReplicaSet", "rs", "rs-1")))
    wrong = ObjectReference("apps/v1", "ReplicaSet", "other-name", "rs-1", "ns")
    graph.process(GraphEvent("delete", ObjectState(wrong), virtual=True))
    assert graph.get("rs-1") is not None


def test_references_diff_by_uid() -> None:
    a, b, c = (OwnerRef("v1", "X", n, n) for n in "abc")
    b2 = OwnerRef("v1", "X", "b", "b", block_owner_deletion=True)
    added, removed, changed = references_diff([a, b], [b2, c])
    assert added == [c] and removed == [a] and changed == [(b, b2)]


def test_partition_and_alternate_identities() -> None:
    owner = ObjectReference("v1", "ConfigMap", "cm", "u1", "ns")
    good = Node(
        ObjectReference("v1", "Pod", "p1", "p1", "ns"), owners=(OwnerRef("v1", "ConfigMap", "cm", "u1"),)
    )
    renamed = Node(
        ObjectReference("v1", "Pod", "p2", "p2", "ns"), owners=(OwnerRef("v1", "ConfigMap", "other", "u1"),)
    )
    elsewhere = Node(
        ObjectReference("v1", "Pod", "p3", "p3", "x"), owners=(OwnerRef("v1", "ConfigMap", "cm", "u1"),)
    )
    matching, mismatched = partition_dependents([good, renamed, elsewhere], owner)
    assert matching == [good] and set(mismatched) == {renamed, elsewhere}
    alternate = alternate_owner_identity(mismatched, owner)
    assert alternate in (
        ObjectReference("v1", "ConfigMap", "other", "u1", "ns"),
        ObjectReference("v1", "ConfigMap", "cm", "u1", "x"),
    )
