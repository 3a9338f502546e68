"""Local-path provisioning decisions: which claims, which node, where, and the objects made."""

from __future__ import annotations

from typing import Any

import pytest

from pyk8s.controllers.localpath import provisioning as lp

Obj = dict[str, Any]


def claim(**spec: Any) -> Obj:
    annotations = spec.pop("annotations", {})
    return {
        "metadata": {"name": "data", "namespace": "apps", "uid": "1234", "annotations": annotations},
        "spec": {
            "accessModes": ["ReadWriteOnce"],
            "resources": {"requests": {"storage": "2Gi"}},
            "storageClassName": "local-path",
            **spec,
        },
        "status": {"phase": "Pending"},
    }


def node(name: str, *, ready: bool = True, root: str | None = None, unschedulable: bool = False) -> Obj:
    meta: Obj = {"name": name, "annotations": {lp.ROOT_ANNOTATION: root} if root else {}}
    return {
        "metadata": meta,
        "spec": {"unschedulable": unschedulable},
        "status": {"conditions": [{"type": "Ready", "status": "True" if ready else "False"}]},
    }


WFFC = lp.storage_class(default=True)
IMMEDIATE = {**lp.storage_class(default=False), "volumeBindingMode": "Immediate"}


def test_the_class_is_the_default_local_path_class_waiting_for_consumers() -> None:
    assert WFFC["provisioner"] == "pyk8s.io/local-path"
    assert WFFC["volumeBindingMode"] == "WaitForFirstConsumer" and WFFC["reclaimPolicy"] == "Delete"
    assert lp.is_default_class(WFFC) and not lp.is_default_class(lp.storage_class(default=False))
    assert lp.is_default_class({"metadata": {"annotations": {lp.BETA_DEFAULT_CLASS_ANNOTATION: "true"}}})
    assert lp.is_ours(WFFC) and not lp.is_ours({"provisioner": "other"}) and not lp.is_ours(None)


@pytest.mark.parametrize(
    ("claim_obj", "cls", "nodes", "expected"),
    [
        pytest.param(claim(annotations={lp.SELECTED_NODE: "b"}), WFFC, [], "b", id="selected-by-scheduler"),
        pytest.param(claim(), WFFC, [node("a")], "", id="wffc-waits-for-the-scheduler"),
        pytest.param(claim(), IMMEDIATE, [node("b"), node("a")], "a", id="immediate-first-by-name"),
        pytest.param(
            claim(), IMMEDIATE, [node("a"), node("b", root="/d")], "b", id="immediate-prefers-real-nodes"
        ),
        pytest.param(
            claim(), IMMEDIATE, [node("a", ready=False), node("b", unschedulable=True)], "", id="none-usable"
        ),
    ],
)
def test_the_node_of_a_volume(claim_obj: Obj, cls: Obj, nodes: list[Obj], expected: str) -> None:
    assert lp.choose_node(claim_obj, cls, nodes) == expected


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        pytest.param({}, "", id="rwo"),
        pytest.param({"accessModes": ["ReadWriteOncePod", "ReadOnlyMany"]}, "", id="rwop-rox"),
        pytest.param({"accessModes": ["ReadWriteMany"]}, "ReadWriteMany not supported", id="rwx"),
        pytest.param({"volumeMode": "Block"}, "Filesystem volumes only", id="block"),
        pytest.param({"selector": {"matchLabels": {"a": "b"}}}, "selector", id="selector"),
    ],
)
def test_what_a_local_path_cannot_provide(spec: Obj, problem: str) -> None:
    found = lp.unsupported(claim(**spec))
    assert (problem in found) if problem else found == ""


def test_only_pending_claims_without_a_volume_need_one() -> None:
    assert lp.needs_volume(claim())
    assert not lp.needs_volume(claim(volumeName="pv-1"))
    bound = claim()
    bound["status"]["phase"] = "Bound"
    assert not lp.needs_volume(bound)
    deleting = claim()
    deleting["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z"
    assert not lp.needs_volume(deleting)


def test_the_volume_is_pre_bound_on_its_node_under_the_node_root() -> None:
    root = lp.node_root(node("a", root="/data/node/local-path/"))
    assert root == "/data/node/local-path"
    assert lp.node_root(node("sim")) == lp.DEFAULT_ROOT
    path = lp.volume_path(claim(), root)
    assert path == "/data/node/local-path/pvc-1234_apps_data"
    pv = lp.persistent_volume(claim(), {**WFFC, "reclaimPolicy": "Retain"}, "a", path)
    assert pv["metadata"]["name"] == "pvc-1234"
    assert pv["metadata"]["annotations"] == {lp.PROVISIONED_BY: lp.PROVISIONER, lp.SELECTED_NODE: "a"}
    spec = pv["spec"]
    assert spec["capacity"] == {"storage": "2Gi"} and spec["accessModes"] == ["ReadWriteOnce"]
    assert spec["persistentVolumeReclaimPolicy"] == "Retain" and spec["storageClassName"] == "local-path"
    assert spec["hostPath"] == {"path": path, "type": "DirectoryOrCreate"}
    assert spec["claimRef"]["uid"] == "1234" and spec["claimRef"]["namespace"] == "apps"
    term = spec["nodeAffinity"]["required"]["nodeSelectorTerms"][0]["matchExpressions"][0]
    assert term == {"key": "kubernetes.io/hostname", "operator": "In", "values": ["a"]}
    assert lp.volume_node(pv) == "a"
    del pv["metadata"]["annotations"][lp.SELECTED_NODE]
    assert lp.volume_node(pv) == "a"  # from the node affinity


def test_only_released_delete_policy_volumes_of_ours_are_deleted() -> None:
    pv = lp.persistent_volume(claim(), WFFC, "a", "/r/pvc-1234_apps_data")
    assert not lp.should_delete(pv)
    pv["status"] = {"phase": "Released"}
    assert lp.should_delete(pv)
    assert not lp.should_delete({**pv, "spec": {**pv["spec"], "persistentVolumeReclaimPolicy": "Retain"}})
    assert not lp.should_delete({**pv, "metadata": {"name": "x", "annotations": {}}})


@pytest.mark.parametrize(
    ("action", "script"),
    [
        pytest.param("create", 'mkdir -m 0777 -p "${PYK8S_ROOT}/data/pvc-1234_apps_data"', id="create"),
        pytest.param("delete", 'rm -rf -- "${PYK8S_ROOT}/data/pvc-1234_apps_data"', id="delete"),
    ],
)
def test_helper_pods_work_in_the_parent_directory_on_the_node(action: str, script: str) -> None:
    pod = lp.helper_pod(action, "pvc-1234", "a", "/r/pvc-1234_apps_data", "apps/data")
    assert pod["metadata"]["name"] == f"helper-pod-{action}-pvc-1234"
    assert pod["metadata"]["namespace"] == "kube-system"
    assert pod["metadata"]["labels"] == {lp.HELPER_LABEL: action}
    assert pod["metadata"]["annotations"][lp.HELPER_FOR_ANNOTATION] == "apps/data"
    spec = pod["spec"]
    assert spec["nodeName"] == "a" and spec["restartPolicy"] == "Never"
    assert spec["tolerations"] == [{"operator": "Exists"}]
    assert spec["volumes"][0]["hostPath"]["path"] == "/r"
    assert spec["containers"][0]["command"][2].startswith(script)


def test_helper_phases_and_failures() -> None:
    assert lp.helper_phase(None) == "missing"
    assert lp.helper_phase({"status": {"phase": "Running"}}) == "running"
    assert lp.helper_phase({"status": {"phase": "Succeeded"}}) == "succeeded"
    failed = {
        "status": {
            "phase": "Failed",
            "containerStatuses": [{"state": {"terminated": {"exitCode": 1, "reason": "Error"}}}],
        }
    }
    assert lp.helper_phase(failed) == "failed"
    assert lp.helper_failure(failed) == "exit code 1: Error"
