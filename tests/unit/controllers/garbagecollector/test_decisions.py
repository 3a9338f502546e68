"""What the collector decides for one object, given its owners' live state."""

from __future__ import annotations

from typing import Any

import pytest

from pyk8s.controllers.garbagecollector.decisions import (
    BACKGROUND,
    FOREGROUND,
    ORPHAN,
    Classification,
    Delete,
    Keep,
    NamespacedOwnerOfClusterScopedObjectError,
    RemoveReferences,
    decide,
    is_dangling,
    owner_lookup_namespace,
    unblocked_owner_references,
    without_finalizer,
    without_owner_references,
)
from pyk8s.controllers.garbagecollector.graph import Node, ObjectReference, OwnerRef

REF_A = OwnerRef("apps/v1", "ReplicaSet", "a", "uid-a")
REF_B = OwnerRef("apps/v1", "ReplicaSet", "b", "uid-b")


def item(*, dependents: int = 0, deleting_dependents: bool = False) -> Node:
    node = Node(ObjectReference("v1", "Pod", "p", "uid-p", "ns"), owners=(REF_A,))
    for i in range(dependents):
        dep = Node(
            ObjectReference("v1", "Pod", f"d{i}", f"d{i}", "ns"), deleting_dependents=deleting_dependents
        )
        node.dependents.add(dep)
    return node


def owner(uid: str, **meta: Any) -> dict[str, Any]:
    return {"metadata": {"name": "x", "uid": uid, **meta}}


def test_an_owner_with_another_uid_is_dangling() -> None:
    assert is_dangling(REF_A, None)
    assert is_dangling(REF_A, owner("someone-else"))
    assert not is_dangling(REF_A, owner("uid-a"))


def test_classification_of_owners() -> None:
    classes = Classification()
    classes.add(REF_A, owner("uid-a"))
    classes.add(REF_B, None)
    waiting_ref = OwnerRef("v1", "ConfigMap", "c", "uid-c")
    classes.add(
        waiting_ref,
        owner("uid-c", deletionTimestamp="2026-01-01T00:00:00Z", finalizers=["foregroundDeletion"]),
    )
    assert classes.solid == [REF_A] and classes.dangling == [REF_B] and classes.waiting == [waiting_ref]


@pytest.mark.parametrize(
    ("solid", "dangling", "waiting", "finalizers", "dependents", "expected"),
    [
        pytest.param([REF_A], [], [], [], 0, Keep(), id="live-owner-keeps"),
        pytest.param(
            [REF_A], [REF_B], [], [], 0, RemoveReferences(("uid-b",)), id="live-owner-drops-dangling"
        ),
        pytest.param([], [REF_A], [], [], 0, Delete(BACKGROUND), id="all-dangling-background"),
        pytest.param([], [REF_A], [], ["orphan"], 0, Delete(ORPHAN), id="own-orphan-finalizer-honoured"),
        pytest.param(
            [], [REF_A], [], ["foregroundDeletion"], 0, Delete(FOREGROUND), id="own-foreground-honoured"
        ),
        pytest.param(
            [], [], [REF_A], [], 2, Delete(FOREGROUND), id="waiting-owner-with-dependents-foreground"
        ),
        pytest.param([], [], [REF_A], [], 0, Delete(BACKGROUND), id="waiting-owner-no-dependents"),
    ],
)
def test_decide(
    solid: list[OwnerRef],
    dangling: list[OwnerRef],
    waiting: list[OwnerRef],
    finalizers: list[str],
    dependents: int,
    expected: object,
) -> None:
    classes = Classification(solid=solid, dangling=dangling, waiting=waiting)
    latest = {"metadata": {"finalizers": finalizers}}
    assert decide(item(dependents=dependents), latest, classes) == expected


def test_decide_unblocks_first_when_a_dependent_also_waits() -> None:
    classes = Classification(waiting=[REF_A])
    decision = decide(item(dependents=1, deleting_dependents=True), {"metadata": {}}, classes)
    assert decision == Delete(FOREGROUND, unblock_first=True)


def test_owner_lookup_namespace_rules() -> None:
    assert owner_lookup_namespace("ns", owner_namespaced=True) == "ns"
    assert owner_lookup_namespace("ns", owner_namespaced=False) == ""
    assert owner_lookup_namespace("", owner_namespaced=False) == ""
    with pytest.raises(
        NamespacedOwnerOfClusterScopedObjectError, match="cluster-scoped objects cannot refer"
    ):
        owner_lookup_namespace("", owner_namespaced=True)


def test_patches_are_guarded_by_resource_version() -> None:
    obj = {
        "metadata": {
            "resourceVersion": "7",
            "finalizers": ["orphan", "x/y"],
            "ownerReferences": [
                {"uid": "uid-a", "blockOwnerDeletion": True},
                {"uid": "uid-b"},
            ],
        }
    }
    assert without_owner_references(obj, ["uid-a"]) == {
        "metadata": {"ownerReferences": [{"uid": "uid-b"}], "resourceVersion": "7"}
    }
    assert without_owner_references(obj, ["uid-a", "uid-b"]) == {
        "metadata": {"ownerReferences": None, "resourceVersion": "7"}
    }
    assert without_owner_references(obj, ["nope"]) is None
    assert unblocked_owner_references(obj) == {
        "metadata": {
            "ownerReferences": [{"uid": "uid-a", "blockOwnerDeletion": False}, {"uid": "uid-b"}],
            "resourceVersion": "7",
        }
    }
    assert without_finalizer(obj, "orphan") == {"metadata": {"finalizers": ["x/y"], "resourceVersion": "7"}}
    assert without_finalizer(obj, "foregroundDeletion") is None
