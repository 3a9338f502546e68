"""Matching claims to volumes, and the patches that bind them."""

from __future__ import annotations

from typing import Any

from pyk8s.controllers.volume.binding import (
    BIND_COMPLETED,
    BOUND_BY_CONTROLLER,
    claim_bound_patch,
    claim_bound_status,
    find_best_match,
    needs_external_deleter,
    volume_bound_patch,
    volume_claim_state,
)


def pv(
    name: str,
    size: str,
    *,
    cls: str = "",
    modes: tuple[str, ...] = ("ReadWriteOnce",),
    labels: dict | None = None,
    **spec: Any,
) -> dict:
    return {
        "metadata": {"name": name, "labels": labels or {}, "resourceVersion": "1"},
        "spec": {"capacity": {"storage": size}, "accessModes": list(modes), "storageClassName": cls, **spec},
        "status": {"phase": "Available"},
    }


def pvc(size: str, *, cls: str = "", modes: tuple[str, ...] = ("ReadWriteOnce",), **spec: Any) -> dict:
    return {
        "metadata": {"name": "claim", "namespace": "ns", "uid": "claim-uid", "resourceVersion": "5"},
        "spec": {
            "resources": {"requests": {"storage": size}},
            "accessModes": list(modes),
            "storageClassName": cls,
            **spec,
        },
    }


def name(volume: dict | None) -> str | None:
    return None if volume is None else volume["metadata"]["name"]


def test_smallest_fit_wins() -> None:
    volumes = [pv("big", "10Gi"), pv("small", "1Gi"), pv("exact", "2Gi"), pv("tiny", "500Mi")]
    assert name(find_best_match(pvc("2Gi"), volumes)) == "exact"
    assert name(find_best_match(pvc("20Gi"), volumes)) is None


def test_class_modes_volume_mode_and_selector_must_match() -> None:
    volumes = [
        pv("fast", "1Gi", cls="fast"),
        pv("rwx", "1Gi", modes=("ReadWriteMany",)),
        pv("block", "1Gi", volumeMode="Block"),
        pv("labelled", "5Gi", labels={"tier": "gold"}),
        pv("plain", "3Gi"),
    ]
    assert name(find_best_match(pvc("1Gi", cls="fast"), volumes)) == "fast"
    assert name(find_best_match(pvc("1Gi", modes=("ReadWriteMany",)), volumes)) == "rwx"
    assert name(find_best_match(pvc("1Gi", volumeMode="Block"), volumes)) == "block"
    assert (
        name(find_best_match(pvc("1Gi", selector={"matchLabels": {"tier": "gold"}}), volumes)) == "labelled"
    )
    assert name(find_best_match(pvc("1Gi"), volumes)) == "plain"


def test_prebound_volume_wins_and_others_claimed_are_skipped() -> None:
    mine = pv("mine", "50Gi", claimRef={"namespace": "ns", "name": "claim"})
    theirs = pv("theirs", "1Gi", claimRef={"namespace": "ns", "name": "other"})
    assert name(find_best_match(pvc("1Gi"), [theirs, pv("free", "1Gi"), mine])) == "mine"


def test_binding_patches_carry_kubernetes_annotations() -> None:
    claim, volume = pvc("1Gi"), pv("v", "1Gi")
    vpatch = volume_bound_patch(volume, claim)
    assert vpatch is not None
    assert vpatch["spec"]["claimRef"] | {} == {
        "kind": "PersistentVolumeClaim",
        "namespace": "ns",
        "name": "claim",
        "uid": "claim-uid",
        "apiVersion": "v1",
        "resourceVersion": "5",
    }
    assert vpatch["metadata"]["annotations"] == {BOUND_BY_CONTROLLER: "yes"}
    cpatch = claim_bound_patch(claim, volume)
    assert cpatch == {
        "metadata": {
            "resourceVersion": "5",
            "annotations": {BIND_COMPLETED: "yes", BOUND_BY_CONTROLLER: "yes"},
        },
        "spec": {"volumeName": "v"},
    }
    assert claim_bound_status(claim, volume) == {
        "phase": "Bound",
        "accessModes": ["ReadWriteOnce"],
        "capacity": {"storage": "1Gi"},
    }
    bound_claim = {
        **claim,
        "spec": {**claim["spec"], "volumeName": "v"},
        "metadata": {**claim["metadata"], "annotations": {BIND_COMPLETED: "yes", BOUND_BY_CONTROLLER: "yes"}},
    }
    assert claim_bound_patch(bound_claim, volume) is None


def test_volume_claim_state_and_deleters() -> None:
    volume = pv("v", "1Gi", claimRef={"namespace": "ns", "name": "claim", "uid": "claim-uid"})
    assert volume_claim_state(volume, None) == "missing"
    assert volume_claim_state(volume, pvc("1Gi")) == "unbound"
    recreated = pvc("1Gi")
    recreated["metadata"]["uid"] = "another"
    assert volume_claim_state(volume, recreated) == "missing"
    assert volume_claim_state(pv("free", "1Gi"), None) == "none"
    assert needs_external_deleter(pv("hp", "1Gi", hostPath={"path": "/tmp/x"})) == ""
    provisioned = pv("p", "1Gi")
    provisioned["metadata"]["annotations"] = {"pv.kubernetes.io/provisioned-by": "csi.example.com"}
    assert needs_external_deleter(provisioned) == "csi.example.com"
