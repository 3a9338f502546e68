"""Handlers map events to keys: the object, its controller owner, or a function's keys."""

from __future__ import annotations

from typing import Any

from pyk8s.client.informers import DeletedFinalStateUnknown, Indexer
from pyk8s.controllers.runtime import (
    EnqueueMapped,
    EnqueueObject,
    EnqueueOwner,
    controller_ref,
    new_controller_ref,
)
from pyk8s.controllers.runtime.ownership import (
    CONTROLLER_UID_INDEX,
    api_group,
    controller_uid_index,
    is_controlled_by,
)


class Keys:
    def __init__(self) -> None:
        self.added: list[str] = []

    def add(self, item: str) -> None:
        self.added.append(item)


RS = {
    "apiVersion": "apps/v1",
    "kind": "ReplicaSet",
    "metadata": {"name": "web", "namespace": "ns", "uid": "u-rs"},
}


def pod(
    name: str, *, owner: dict[str, Any] | None = RS, rv: str = "1", kind: str = "ReplicaSet"
) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "namespace": "ns", "uid": f"u-{name}", "resourceVersion": rv}
    if owner is not None:
        ref = new_controller_ref(owner, api_version=owner["apiVersion"], kind=kind)
        meta["ownerReferences"] = [{"apiVersion": "v1", "kind": "Other", "name": "x", "uid": "u-x"}, ref]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta}


def test_controller_ref_is_the_reference_with_controller_true() -> None:
    p = pod("a")
    assert controller_ref(p)["uid"] == "u-rs"
    assert controller_ref(pod("b", owner=None)) is None
    assert is_controlled_by(p, RS)
    ref = new_controller_ref(RS, api_version="apps/v1", kind="ReplicaSet")
    assert ref == {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "name": "web",
        "uid": "u-rs",
        "controller": True,
        "blockOwnerDeletion": True,
    }
    assert api_group("apps/v1") == "apps" and api_group("v1") == ""


def test_enqueue_object_uses_the_key_and_unwraps_tombstones() -> None:
    keys = Keys()
    h = EnqueueObject(keys, skip_resync=True)
    h.on_add(pod("a"), True)
    h.on_update(pod("a", rv="1"), pod("a", rv="1"))  # resync: skipped
    h.on_update(pod("a", rv="1"), pod("a", rv="2"))
    h.on_delete(DeletedFinalStateUnknown("ns/gone", pod("gone")))
    assert keys.added == ["ns/a", "ns/a", "ns/gone"]


def test_enqueue_owner_maps_pods_to_their_controller_of_that_kind() -> None:
    keys = Keys()
    h = EnqueueOwner(keys, kind="ReplicaSet", group="apps")
    h.on_add(pod("a"), False)
    h.on_add(pod("orphan", owner=None), False)
    h.on_add(pod("job-pod", kind="Job"), False)
    h.on_delete(DeletedFinalStateUnknown("ns/a", pod("a")))
    assert keys.added == ["ns/web", "ns/web"]


def test_enqueue_owner_wakes_both_owners_when_the_controller_changes() -> None:
    keys = Keys()
    h = EnqueueOwner(keys, kind="ReplicaSet", group="apps")
    other = {**RS, "metadata": {"name": "api", "namespace": "ns", "uid": "u-api"}}
    h.on_update(pod("a"), pod("a", owner=other, rv="2"))
    assert keys.added == ["ns/web", "ns/api"]


def test_enqueue_mapped_deduplicates_keys_of_old_and_new() -> None:
    keys = Keys()
    h = EnqueueMapped(keys, lambda obj: [f"ns/{obj['metadata']['name']}", "ns/all"])
    h.on_update(pod("a"), pod("b"))
    assert keys.added == ["ns/a", "ns/all", "ns/b"]


def test_controller_uid_index_groups_owned_objects_and_orphans_by_namespace() -> None:
    indexer = Indexer({CONTROLLER_UID_INDEX: controller_uid_index})
    for p in (pod("a"), pod("b"), pod("c", owner=None)):
        indexer.add(p)
    assert [o["metadata"]["name"] for o in indexer.by_index(CONTROLLER_UID_INDEX, "u-rs")] == ["a", "b"]
    assert [o["metadata"]["name"] for o in indexer.by_index(CONTROLLER_UID_INDEX, "orphan/ns")] == ["c"]
