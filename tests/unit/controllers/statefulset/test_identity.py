"""StatefulSet pod identity, storage and PVC retention owner references."""

from __future__ import annotations

from typing import Any

import pytest

from pyk8s.controllers.statefulset import identity as ident


def sts(
    *,
    replicas: int = 3,
    start: int | None = None,
    claims: bool = True,
    when_scaled: str = "Retain",
    when_deleted: str = "Retain",
    partition: int | None = 0,
    current_replicas: int = 0,
) -> dict:
    spec: dict[str, Any] = {
        "replicas": replicas,
        "serviceName": "nginx",
        "selector": {"matchLabels": {"app": "web"}},
        "template": {
            "metadata": {"labels": {"app": "web"}, "annotations": {"a": "1"}},
            "spec": {
                "containers": [{"name": "c", "image": "nginx"}],
                "volumes": [{"name": "www", "emptyDir": {}}],
            },
        },
        "updateStrategy": {"type": "RollingUpdate"},
        "persistentVolumeClaimRetentionPolicy": {"whenScaled": when_scaled, "whenDeleted": when_deleted},
    }
    if partition is not None:
        spec["updateStrategy"]["rollingUpdate"] = {"partition": partition}
    if start is not None:
        spec["ordinals"] = {"start": start}
    if claims:
        spec["volumeClaimTemplates"] = [
            {
                "apiVersion": "v1",
                "kind": "PersistentVolumeClaim",
                "metadata": {"name": "www", "labels": {"tier": "data"}},
                "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}},
                "status": {"phase": "Pending"},
            }
        ]
    return {
        "metadata": {"name": "web", "namespace": "ns", "uid": "set-uid"},
        "spec": spec,
        "status": {"currentReplicas": current_replicas},
    }


@pytest.mark.parametrize(
    ("name", "expected"),
    [("web-0", ("web", 0)), ("my-web-12", ("my-web", 12)), ("web", ("", -1)), ("web-x", ("", -1))],
)
def test_parent_and_ordinal(name: str, expected: tuple[str, int]) -> None:
    assert ident.parent_and_ordinal(name) == expected


def test_new_pod_has_stable_identity_and_storage() -> None:
    pod = ident.new_pod(sts(), 1, "web-abc")
    meta, spec = pod["metadata"], pod["spec"]
    assert meta["name"] == "web-1"
    assert meta["namespace"] == "ns"
    assert meta["labels"] == {
        "app": "web",
        "statefulset.kubernetes.io/pod-name": "web-1",
        "apps.kubernetes.io/pod-index": "1",
        "controller-revision-hash": "web-abc",
    }
    assert meta["annotations"] == {"a": "1"}
    assert meta["ownerReferences"][0]["kind"] == "StatefulSet"
    assert meta["ownerReferences"][0]["uid"] == "set-uid"
    assert spec["hostname"] == "web-1"
    assert spec["subdomain"] == "nginx"
    # the claim's volume replaces the template's volume of the same name
    assert spec["volumes"] == [{"name": "www", "persistentVolumeClaim": {"claimName": "www-web-1"}}]
    assert ident.identity_matches(sts(), pod)
    assert ident.storage_matches(sts(), pod)


def test_claims_carry_template_and_selector_labels() -> None:
    claims = ident.pod_claims(sts(), 2)
    claim = claims["www"]
    assert claim["metadata"] == {
        "name": "www-web-2",
        "namespace": "ns",
        "labels": {"tier": "data", "app": "web"},
    }
    assert "status" not in claim
    assert claim["spec"]["resources"] == {"requests": {"storage": "1Gi"}}


def test_identity_mismatch_is_detected() -> None:
    pod = ident.new_pod(sts(), 0, "r")
    pod["metadata"]["labels"]["statefulset.kubernetes.io/pod-name"] = "other"
    assert not ident.identity_matches(sts(), pod)
    ident.update_identity(sts(), pod)
    assert ident.identity_matches(sts(), pod)


def test_storage_mismatch_is_repaired() -> None:
    pod = ident.new_pod(sts(), 0, "r")
    pod["spec"]["volumes"] = [{"name": "www", "emptyDir": {}}, {"name": "cfg", "configMap": {"name": "x"}}]
    assert not ident.storage_matches(sts(), pod)
    ident.update_storage(sts(), pod)
    assert pod["spec"]["volumes"] == [
        {"name": "www", "persistentVolumeClaim": {"claimName": "www-web-0"}},
        {"name": "cfg", "configMap": {"name": "x"}},
    ]


def test_ordinals_start() -> None:
    s = sts(replicas=2, start=5)
    assert ident.in_ordinal_range({"metadata": {"name": "web-5"}}, s)
    assert ident.in_ordinal_range({"metadata": {"name": "web-6"}}, s)
    assert not ident.in_ordinal_range({"metadata": {"name": "web-4"}}, s)
    assert not ident.in_ordinal_range({"metadata": {"name": "web-7"}}, s)


def test_versioned_pod_respects_the_partition() -> None:
    current, update = sts(partition=2), sts(partition=2)
    update["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:2"
    low = ident.new_versioned_pod(current, update, "cur", "upd", 1)
    high = ident.new_versioned_pod(current, update, "cur", "upd", 2)
    assert low["metadata"]["labels"]["controller-revision-hash"] == "cur"
    assert low["spec"]["containers"][0]["image"] == "nginx"
    assert high["metadata"]["labels"]["controller-revision-hash"] == "upd"
    assert high["spec"]["containers"][0]["image"] == "nginx:2"


def test_versioned_pod_without_rolling_block_keeps_current_replicas() -> None:
    current = sts(partition=None, current_replicas=2)
    assert (
        ident.new_versioned_pod(current, current, "cur", "upd", 1)["metadata"]["labels"][
            "controller-revision-hash"
        ]
        == "cur"
    )
    assert (
        ident.new_versioned_pod(current, current, "cur", "upd", 2)["metadata"]["labels"][
            "controller-revision-hash"
        ]
        == "upd"
    )


def existing_pod(s: dict, ordinal: int, uid: str) -> dict:
    pod = ident.new_pod(s, ordinal, "r")
    pod["metadata"]["uid"] = uid
    return pod


def claim(refs: list[dict] | None = None) -> dict:
    meta: dict[str, Any] = {"name": "www-web-1", "namespace": "ns"}
    if refs:
        meta["ownerReferences"] = refs
    return {"metadata": meta}


def set_ref(uid: str = "set-uid") -> dict:
    return {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "name": "web",
        "uid": uid,
        "controller": True,
        "blockOwnerDeletion": True,
    }


def pod_ref(uid: str = "pod-uid") -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "name": "web-1",
        "uid": uid,
        "controller": True,
        "blockOwnerDeletion": True,
    }


@pytest.mark.parametrize(
    ("scaled", "deleted", "replicas", "owners"),
    [
        pytest.param("Retain", "Retain", 3, [], id="retain-retain"),
        pytest.param("Retain", "Delete", 3, ["StatefulSet"], id="retain-delete"),
        pytest.param("Retain", "Delete", 1, ["StatefulSet"], id="retain-delete-scaled-down"),
        pytest.param("Delete", "Retain", 3, [], id="delete-retain"),
        pytest.param("Delete", "Retain", 1, ["Pod"], id="delete-retain-scaled-down"),
        pytest.param("Delete", "Delete", 3, ["StatefulSet"], id="delete-delete"),
        pytest.param("Delete", "Delete", 1, ["Pod"], id="delete-delete-scaled-down"),
    ],
)
def test_retention_policy_owner_references(
    scaled: str, deleted: str, replicas: int, owners: list[str]
) -> None:
    s = sts(replicas=replicas, when_scaled=scaled, when_deleted=deleted)
    pod = existing_pod(s, 1, "pod-uid")
    updated = ident.claim_with_owners(claim(), s, pod)
    assert [r["kind"] for r in updated["metadata"].get("ownerReferences", [])] == owners
    assert ident.claim_owners_up_to_date(updated, s, pod)
    if owners:
        assert not ident.claim_owners_up_to_date(claim(), s, pod)


def test_claims_of_an_earlier_incarnation_are_left_alone() -> None:
    s = sts(when_scaled="Delete", when_deleted="Delete")
    pod = existing_pod(s, 1, "pod-uid")
    stale = claim([pod_ref("old-pod-uid")])
    assert ident.claim_owners_up_to_date(stale, s, pod)
    fresh_pod = ident.new_pod(s, 1, "r")  # not created yet: no UID
    assert ident.pod_claim_is_stale(s, fresh_pod, lambda name: stale if name == "www-web-1" else None)
    assert not ident.pod_claim_is_stale(s, fresh_pod, lambda name: claim())


def test_foreign_controller_keeps_the_claim() -> None:
    s = sts(when_scaled="Retain", when_deleted="Delete")
    pod = existing_pod(s, 1, "pod-uid")
    foreign = {"apiVersion": "x/v1", "kind": "Thing", "name": "t", "uid": "t", "controller": True}
    assert ident.claim_owners_up_to_date(claim([foreign]), s, pod)
    both = claim([foreign, set_ref()])
    assert not ident.claim_owners_up_to_date(both, s, pod)
    assert ident.claim_with_owners(both, s, pod)["metadata"]["ownerReferences"] == [foreign]


def test_non_controller_reference_is_upgraded() -> None:
    s = sts(when_scaled="Retain", when_deleted="Delete")
    pod = existing_pod(s, 1, "pod-uid")
    loose = claim([{**set_ref(), "controller": False}])
    assert not ident.claim_owners_up_to_date(loose, s, pod)
    assert ident.claim_with_owners(loose, s, pod)["metadata"]["ownerReferences"] == [set_ref()]
