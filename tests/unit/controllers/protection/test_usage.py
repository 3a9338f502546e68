"""When a claim or a volume counts as in use."""

from __future__ import annotations

from pyk8s.controllers.protection.usage import (
    PVC_PROTECTION,
    claim_in_use,
    claim_names,
    finalizer_patch,
    volume_in_use,
)


def pod(name: str = "p", *, node: str = "n1", phase: str = "Running") -> dict:
    return {
        "metadata": {"name": name},
        "spec": {
            "nodeName": node,
            "volumes": [
                {"name": "data", "persistentVolumeClaim": {"claimName": "claim"}},
                {"name": "scratch", "ephemeral": {"volumeClaimTemplate": {}}},
                {"name": "cfg", "configMap": {"name": "x"}},
            ],
        },
        "status": {"phase": phase},
    }


def test_claim_names_include_ephemeral_volumes() -> None:
    assert claim_names(pod("web")) == ["claim", "web-scratch"]


def test_only_scheduled_unfinished_pods_use_a_claim() -> None:
    assert claim_in_use("claim", [pod()])
    assert not claim_in_use("claim", [pod(node="")])
    assert not claim_in_use("claim", [pod(phase="Succeeded"), pod(phase="Failed")])
    assert not claim_in_use("other", [pod()])


def test_a_volume_is_in_use_while_bound() -> None:
    assert volume_in_use({"status": {"phase": "Bound"}})
    assert not volume_in_use({"status": {"phase": "Released"}})


def test_finalizer_patches() -> None:
    claim = {"metadata": {"resourceVersion": "3", "finalizers": [PVC_PROTECTION]}}
    assert finalizer_patch(claim, PVC_PROTECTION, present=True) is None
    assert finalizer_patch(claim, PVC_PROTECTION, present=False) == {
        "metadata": {"finalizers": None, "resourceVersion": "3"}
    }
    bare = {"metadata": {"resourceVersion": "4"}}
    assert finalizer_patch(bare, PVC_PROTECTION, present=True) == {
        "metadata": {"finalizers": [PVC_PROTECTION], "resourceVersion": "4"}
    }
