"""Strategic merge patch on the real kind schemas, as kube-apiserver applies it."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyk8s.api.errors import BadRequestError, InvalidError, StatusError
from pyk8s.api.patch import (
    MalformedPatchError,
    PatchConflictError,
    PatchError,
    apply_strategic_merge_patch,
    create_strategic_merge_patch,
    to_status_error,
)
from pyk8s.api.patch.strategic import go_stable_sort
from pyk8s.api.schema import Schema, any_value, list_of, string, struct
from pyk8s.kinds.apps import types as apps
from pyk8s.kinds.core import types as core
from pyk8s.kinds.policy import types as policy

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def pod(**spec: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": "web",
            "labels": {"app": "web", "tier": "fe"},
            "finalizers": ["a.example/one", "b.example/two"],
        },
        "spec": {
            "containers": [
                {
                    "name": "web",
                    "image": "nginx:1.25",
                    "args": ["--port", "80"],
                    "ports": [{"containerPort": 80, "name": "http"}, {"containerPort": 443, "name": "https"}],
                    "env": [{"name": "MODE", "value": "prod"}],
                },
                {"name": "sidecar", "image": "busybox", "command": ["sleep", "3600"]},
            ],
            "volumes": [{"name": "data", "emptyDir": {}}],
        },
    }
    base["spec"].update(spec)
    return base


def containers(*items: dict[str, Any]) -> dict[str, Any]:
    return {"spec": {"containers": list(items)}}


def deployment(strategy: dict[str, Any]) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": strategy,
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "web", "image": "nginx:1.25"}]},
            },
        },
    }


def configmap(
    annotations: dict[str, str] | None = None, labels: dict[str, str] | None = None
) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": "cm2", "namespace": "default"}
    if annotations is not None:
        meta["annotations"] = annotations
    if labels is not None:
        meta["labels"] = labels
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": {"k": "v"}}


WEB = pod()["spec"]["containers"][0]
SIDECAR = pod()["spec"]["containers"][1]


def with_(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in changes.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


POD_CASES = [
    pytest.param(
        containers({"name": "web", "image": "nginx:1.27"}),
        {"containers": [with_(WEB, image="nginx:1.27"), SIDECAR]},
        id="merge-containers-by-name-image-change",
    ),
    pytest.param(
        containers({"name": "web", "env": [{"name": "DEBUG", "value": "1"}]}),
        {
            "containers": [
                with_(WEB, env=[{"name": "DEBUG", "value": "1"}, {"name": "MODE", "value": "prod"}]),
                SIDECAR,
            ]
        },
        id="add-env-var-goes-before-server-only",
    ),
    pytest.param(
        containers({"name": "web", "env": [{"name": "MODE", "value": "dev"}]}),
        {"containers": [with_(WEB, env=[{"name": "MODE", "value": "dev"}]), SIDECAR]},
        id="change-env-var-by-name",
    ),
    pytest.param(
        containers({"name": "sidecar", "$patch": "delete"}),
        {"containers": [WEB]},
        id="delete-container-with-patch-delete",
    ),
    pytest.param(
        containers({"name": "web", "ports": [{"containerPort": 443, "$patch": "delete"}]}),
        {"containers": [with_(WEB, ports=[{"containerPort": 80, "name": "http"}]), SIDECAR]},
        id="delete-port-by-containerPort",
    ),
    pytest.param(
        containers({"name": "web", "ports": [{"containerPort": 80, "protocol": "TCP"}]}),
        {
            "containers": [
                with_(WEB, ports=[{"containerPort": 80, "name": "http", "protocol": "TCP"}, WEB["ports"][1]]),
                SIDECAR,
            ]
        },
        id="merge-ports-by-containerPort",
    ),
    pytest.param(
        containers({"name": "web", "args": ["--port", "8080"]}, {"name": "sidecar", "command": ["sh"]}),
        {"containers": [with_(WEB, args=["--port", "8080"]), with_(SIDECAR, command=["sh"])]},
        id="args-and-command-replaced-atomically",
    ),
    pytest.param(
        containers({"name": "web", "args": None}),
        {"containers": [with_(WEB, args=None), SIDECAR]},
        id="null-removes-field-of-element",
    ),
    pytest.param(
        {"spec": {"$setElementOrder/containers": [{"name": "sidecar"}, {"name": "web"}]}},
        {"containers": [SIDECAR, WEB]},
        id="setElementOrder-reorders",
    ),
    pytest.param(
        {
            "spec": {
                "$setElementOrder/containers": [{"name": "sidecar"}, {"name": "extra"}, {"name": "web"}],
                "containers": [{"name": "extra", "image": "redis"}],
            }
        },
        {"containers": [SIDECAR, {"name": "extra", "image": "redis"}, WEB]},
        id="setElementOrder-places-new-element",
    ),
    pytest.param(
        containers({"name": "init", "image": "alpine"}),
        {"containers": [{"name": "init", "image": "alpine"}, WEB, SIDECAR]},
        id="new-element-without-order-goes-first",
    ),
    pytest.param(
        containers(SIDECAR, {"name": "extra", "image": "redis"}),
        {"containers": [WEB, SIDECAR, {"name": "extra", "image": "redis"}]},
        id="new-element-after-patched-live-one",
    ),
    pytest.param(
        containers({"$patch": "replace"}, {"name": "only", "image": "x"}),
        {"containers": [{"name": "only", "image": "x"}]},
        id="patch-replace-element-replaces-list",
    ),
    pytest.param(
        containers({"$patch": "replace"}),
        {"containers": []},
        id="patch-replace-alone-empties-list",
    ),
    pytest.param(
        {"spec": {"nodeSelector": {"disk": "ssd", "zone": None}}},
        {"nodeSelector": {"disk": "ssd"}},
        id="new-map-loses-its-nulls",
    ),
    pytest.param(
        {"spec": {"securityContext": {"runAsUser": 1000, "runAsGroup": None}}},
        {"securityContext": {"runAsUser": 1000}},
        id="new-struct-loses-its-nulls",
    ),
    pytest.param(
        {"spec": {"securityContext": {"$patch": "delete"}}},
        {},
        id="delete-directive-on-missing-map-drops-it",
    ),
    pytest.param(
        {
            "spec": {
                "volumes": [
                    {"name": "data", "$retainKeys": ["name", "hostPath"], "hostPath": {"path": "/srv"}}
                ]
            }
        },
        {"volumes": [{"name": "data", "hostPath": {"path": "/srv"}}]},
        id="volume-source-switch-with-retainKeys",
    ),
    pytest.param(
        {"spec": {"volumes": [{"name": "data", "hostPath": {"path": "/srv"}}]}},
        {"volumes": [{"name": "data", "emptyDir": {}, "hostPath": {"path": "/srv"}}]},
        id="volume-merge-without-retainKeys-keeps-both",
    ),
]


@pytest.mark.parametrize(("patch", "expected_changes"), POD_CASES)
def test_pod_spec(patch: dict[str, Any], expected_changes: dict[str, Any]) -> None:
    doc = pod()
    before = copy.deepcopy(doc)
    result = apply_strategic_merge_patch(doc, patch, core.Pod)
    assert result["spec"] == {**before["spec"], **expected_changes}
    assert result["metadata"] == before["metadata"]
    assert doc == before


META_CASES = [
    pytest.param(
        {"metadata": {"labels": {"tier": None, "env": "prod"}}},
        {"labels": {"app": "web", "env": "prod"}},
        id="null-deletes-label",
    ),
    pytest.param({"metadata": {"labels": None}}, {}, id="null-deletes-all-labels"),
    pytest.param(
        {"metadata": {"finalizers": ["b.example/two", "c.example/three"]}},
        {"finalizers": ["a.example/one", "b.example/two", "c.example/three"]},
        id="finalizers-union-keeps-live-order",
    ),
    pytest.param(
        {"metadata": {"finalizers": ["c.example/three"]}},
        {"finalizers": ["c.example/three", "a.example/one", "b.example/two"]},
        id="finalizers-new-value-goes-first",
    ),
    pytest.param(
        {"metadata": {"$deleteFromPrimitiveList/finalizers": ["a.example/one", "z.example/absent"]}},
        {"finalizers": ["b.example/two"]},
        id="deleteFromPrimitiveList-finalizers",
    ),
    pytest.param(
        {
            "metadata": {
                "$setElementOrder/finalizers": ["c.example/three", "b.example/two"],
                "$deleteFromPrimitiveList/finalizers": ["a.example/one"],
                "finalizers": ["c.example/three"],
            }
        },
        {"finalizers": ["c.example/three", "b.example/two"]},
        id="kubectl-three-way-finalizers",
    ),
    pytest.param(
        {"metadata": {"$setElementOrder/finalizers": ["b.example/two", "a.example/one"]}},
        {"finalizers": ["b.example/two", "a.example/one"]},
        id="setElementOrder-on-scalars",
    ),
    pytest.param(
        {"metadata": {"$patch": "replace", "name": "other"}},
        {"name": "other"},
        id="patch-replace-on-map",
    ),
    pytest.param({"metadata": {"$patch": "delete"}}, {}, id="patch-delete-on-map-empties-it"),
]


@pytest.mark.parametrize(("patch", "expected_changes"), META_CASES)
def test_pod_metadata(patch: dict[str, Any], expected_changes: dict[str, Any]) -> None:
    doc = pod()
    result = apply_strategic_merge_patch(doc, patch, core.Pod)
    replaced = patch["metadata"].get("$patch") in ("replace", "delete")
    expected = {} if replaced else dict(doc["metadata"])
    expected.update(expected_changes)
    for key in [k for k, v in expected_changes.items() if v is None]:
        del expected[key]
    if patch["metadata"].get("labels", ...) is None:
        del expected["labels"]
    assert result["metadata"] == expected
    assert result["spec"] == doc["spec"]


def test_owner_references_merge_by_uid() -> None:
    owner = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs", "uid": "u-1", "controller": True}
    doc = pod()
    doc["metadata"]["ownerReferences"] = [owner]
    patch = {
        "metadata": {
            "ownerReferences": [
                {"uid": "u-1", "blockOwnerDeletion": True},
                {"apiVersion": "v1", "kind": "ConfigMap", "name": "c", "uid": "u-2"},
            ]
        }
    }
    result = apply_strategic_merge_patch(doc, patch, core.Pod)
    assert result["metadata"]["ownerReferences"] == [
        {**owner, "blockOwnerDeletion": True},
        {"apiVersion": "v1", "kind": "ConfigMap", "name": "c", "uid": "u-2"},
    ]


DEPLOYMENT_CASES = [
    pytest.param(
        {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
        {"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate", "rollingUpdate": None}}},
        {"type": "Recreate"},
        id="retainKeys-rollingupdate-to-recreate",
    ),
    pytest.param(
        {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
        {"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}},
        {"type": "Recreate"},
        id="retainKeys-clears-unlisted-live-keys",
    ),
    pytest.param(
        {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
        {"spec": {"strategy": {"type": "Recreate", "rollingUpdate": None}}},
        {"type": "Recreate"},
        id="plain-null-also-removes",
    ),
    pytest.param(
        {"type": "Recreate"},
        {
            "spec": {
                "strategy": {
                    "$retainKeys": ["type", "rollingUpdate"],
                    "type": "RollingUpdate",
                    "rollingUpdate": {"maxSurge": 1},
                }
            }
        },
        {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}},
        id="retainKeys-recreate-to-rollingupdate",
    ),
    pytest.param(
        {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
        {"spec": {"strategy": {"rollingUpdate": {"maxSurge": 3}}}},
        {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 3, "maxUnavailable": "25%"}},
        id="no-directive-merges",
    ),
]


@pytest.mark.parametrize(("strategy", "patch", "expected"), DEPLOYMENT_CASES)
def test_deployment_strategy(
    strategy: dict[str, Any], patch: dict[str, Any], expected: dict[str, Any]
) -> None:
    result = apply_strategic_merge_patch(deployment(strategy), patch, apps.Deployment)
    assert result["spec"]["strategy"] == expected
    assert result["spec"]["template"] == deployment(strategy)["spec"]["template"]


def test_replace_strategy_field_takes_patch_whole() -> None:
    pdb = {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": {"name": "p"},
        "spec": {
            "minAvailable": 1,
            "selector": {
                "matchLabels": {"app": "web"},
                "matchExpressions": [{"key": "tier", "operator": "Exists"}],
            },
        },
    }
    patch = {"spec": {"selector": {"matchLabels": {"app": "db"}}}}
    result = apply_strategic_merge_patch(pdb, patch, policy.PodDisruptionBudget)
    assert result["spec"] == {"minAvailable": 1, "selector": {"matchLabels": {"app": "db"}}}


# The exact bodies kubectl sends (WIRE.md 7.2 and 7.5).


def test_kubectl_set_image() -> None:
    patch = {
        "spec": {
            "template": {
                "spec": {
                    "$setElementOrder/containers": [{"name": "web"}],
                    "containers": [{"image": "nginx:1.27", "name": "web"}],
                }
            }
        }
    }
    doc = deployment({"type": "RollingUpdate"})
    result = apply_strategic_merge_patch(doc, patch, apps.Deployment)
    assert result["spec"]["template"]["spec"]["containers"] == [{"name": "web", "image": "nginx:1.27"}]
    result["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.25"
    assert result == doc


def test_kubectl_rollout_restart() -> None:
    stamp = "2026-01-02T03:04:05Z"
    patch = {
        "spec": {"template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": stamp}}}}
    }
    result = apply_strategic_merge_patch(deployment({"type": "Recreate"}), patch, apps.Deployment)
    assert result["spec"]["template"]["metadata"] == {
        "labels": {"app": "web"},
        "annotations": {"kubectl.kubernetes.io/restartedAt": stamp},
    }


def test_kubectl_rollout_pause() -> None:
    result = apply_strategic_merge_patch(deployment({}), {"spec": {"paused": True}}, apps.Deployment)
    assert result["spec"]["paused"] is True


@pytest.mark.parametrize(
    ("live_labels", "patch_labels", "expected_labels"),
    [
        pytest.param(None, {"x": "yes"}, {"x": "yes"}, id="labels-added"),
        pytest.param({"x": "yes"}, None, None, id="labels-null-removes-them"),
    ],
)
def test_kubectl_client_side_apply(
    live_labels: dict[str, str] | None, patch_labels: dict[str, str] | None, expected_labels: Any
) -> None:
    applied = (
        '{"apiVersion":"v1","data":{"k":"v2"},"kind":"ConfigMap",'
        '"metadata":{"annotations":{},"name":"cm2"}}\n'
    )
    live = configmap({LAST_APPLIED: "{}\n"}, live_labels)
    patch = {
        "data": {"k": "v2"},
        "metadata": {"annotations": {LAST_APPLIED: applied}, "labels": patch_labels},
    }
    result = apply_strategic_merge_patch(live, patch, core.ConfigMap)
    assert result["data"] == {"k": "v2"}
    assert result["metadata"]["annotations"] == {LAST_APPLIED: applied}
    assert result["metadata"].get("labels") == expected_labels


# Fields the schema does not describe: JSON merge patch semantics.

FALLBACK_CASES = [
    pytest.param(
        {"spec": {"x-unknown": {"list": [3], "map": {"b": 2, "gone": None}}}},
        {"list": [3], "map": {"a": 1, "b": 2}},
        id="unknown-field-merges-maps-replaces-lists",
    ),
    pytest.param({"spec": {"x-unknown": None}}, None, id="unknown-field-null-deletes"),
    pytest.param(
        {"spec": {"x-unknown": {"map": {"$patch": "replace", "z": 1}}}},
        {"list": [1, 2], "map": {"z": 1}},
        id="unknown-field-still-honours-directives",
    ),
]


@pytest.mark.parametrize(("patch", "expected"), FALLBACK_CASES)
def test_unknown_fields_fall_back_to_merge_semantics(patch: dict[str, Any], expected: Any) -> None:
    doc = pod()
    doc["spec"]["x-unknown"] = {"list": [1, 2], "map": {"a": 1, "gone": 0}}
    result = apply_strategic_merge_patch(doc, patch, core.Pod)
    assert result["spec"].get("x-unknown") == expected
    assert result["spec"]["containers"] == doc["spec"]["containers"]


def test_preserve_unknown_subtree_falls_back() -> None:
    item = struct("test.Item", "", name=string())
    schema = struct(
        "test.Thing",
        "",
        items=list_of(item, "", patch_strategy="merge", merge_key="name"),
        blob=any_value(),
    )
    doc = {"items": [{"name": "a", "v": 1}], "blob": {"items": [{"name": "a", "v": 1}], "keep": True}}
    patch = {"items": [{"name": "b"}], "blob": {"items": [{"name": "b"}]}}
    result = apply_strategic_merge_patch(doc, patch, schema)
    assert result == {
        "items": [{"name": "b"}, {"name": "a", "v": 1}],
        "blob": {"items": [{"name": "b"}], "keep": True},
    }


def test_no_schema_is_merge_patch() -> None:
    doc = {"a": {"b": [1, 2], "c": 1}, "d": 1}
    assert apply_strategic_merge_patch(doc, {"a": {"b": [3], "c": None}}, None) == {"a": {"b": [3]}, "d": 1}


# Errors.

ERROR_CASES = [
    pytest.param(
        containers({"image": "no-name"}),
        PatchError,
        500,
        "map: map[image:no-name] does not contain declared merge key: name",
        id="missing-merge-key",
    ),
    pytest.param(
        containers({"name": "web", "$patch": "merge"}),
        PatchError,
        500,
        "merging lists cannot yet be specified in the patch",
        id="patch-merge-in-list",
    ),
    pytest.param(
        {"metadata": {"$patch": "merge"}},
        PatchError,
        500,
        "unknown patch type: merge in map: map[$patch:merge]",
        id="patch-merge-in-map",
    ),
    pytest.param(
        containers({"name": "web", "$patch": "bogus"}),
        PatchError,
        500,
        "unknown patch type: bogus in map: map[$patch:bogus name:web]",
        id="unknown-patch-type-in-list",
    ),
    pytest.param(
        {
            "spec": {
                "$setElementOrder/containers": [{"name": "web"}],
                "containers": [{"name": "sidecar", "image": "x"}],
            }
        },
        PatchError,
        500,
        "The order in patch list:\n[map[image:x name:sidecar]]\n"
        " doesn't match $setElementOrder list:\n[map[name:web]]\n",
        id="setElementOrder-mismatch",
    ),
    pytest.param(
        {"spec": {"$setElementOrder/containers": "web"}},
        PatchError,
        500,
        "expected a []interface {}, but received a string",
        id="setElementOrder-not-a-list",
    ),
    pytest.param(
        {"spec": {"$setElementOrderX/containers": []}},
        MalformedPatchError,
        400,
        "invalid patch format of setElementOrder list",
        id="setElementOrder-bad-key",
    ),
    pytest.param(
        {"metadata": {"$deleteFromPrimitiveList": ["a.example/one"]}},
        MalformedPatchError,
        400,
        "invalid patch format of primitive list",
        id="deleteFromPrimitiveList-bad-key",
    ),
    pytest.param(
        {"spec": {"volumes": [{"name": "data", "$retainKeys": ["name"], "hostPath": {"path": "/srv"}}]}},
        MalformedPatchError,
        400,
        "invalid patch format of retainKeys",
        id="retainKeys-missing-patched-key",
    ),
    pytest.param(
        {"metadata": {"$retainKeys": "name"}},
        MalformedPatchError,
        400,
        "invalid patch format of retainKeys",
        id="retainKeys-not-a-list",
    ),
    pytest.param(
        {"metadata": {"finalizers": [1]}},
        PatchError,
        500,
        "list element types are not identical: [[a.example/one b.example/two] [1]]",
        id="mixed-element-types",
    ),
]


@pytest.mark.parametrize(("patch", "error", "code", "message"), ERROR_CASES)
def test_errors(patch: dict[str, Any], error: type[PatchError], code: int, message: str) -> None:
    with pytest.raises(error) as caught:
        apply_strategic_merge_patch(pod(), patch, core.Pod)
    assert (caught.value.code, caught.value.message) == (code, message)


def test_list_of_lists_is_422() -> None:
    doc = pod()
    doc["metadata"]["finalizers"] = []
    with pytest.raises(PatchConflictError) as caught:
        apply_strategic_merge_patch(doc, {"metadata": {"finalizers": [["nested"]]}}, core.Pod)
    assert (caught.value.code, caught.value.message) == (422, "lists of lists are not supported")
    assert isinstance(to_status_error(caught.value), InvalidError)


def test_error_status_mapping() -> None:
    with pytest.raises(PatchError) as internal:
        apply_strategic_merge_patch(pod(), containers({"image": "x"}), core.Pod)
    status = to_status_error(internal.value)
    assert type(status) is StatusError
    assert (status.code, status.reason, status.message) == (500, "", internal.value.message)
    with pytest.raises(PatchError) as malformed:
        apply_strategic_merge_patch(pod(), {"metadata": {"$retainKeys": 1}}, core.Pod)
    assert isinstance(to_status_error(malformed.value), BadRequestError)


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        pytest.param(
            [], "json: cannot unmarshal array into Go value of type map[string]interface {}", id="array"
        ),
        pytest.param(
            "x", "json: cannot unmarshal string into Go value of type map[string]interface {}", id="string"
        ),
    ],
)
def test_patch_must_be_an_object(patch: Any, message: str) -> None:
    with pytest.raises(MalformedPatchError) as caught:
        apply_strategic_merge_patch(pod(), patch, core.Pod)
    assert caught.value.message == message


def test_null_patch_changes_nothing() -> None:
    assert apply_strategic_merge_patch(pod(), None, core.Pod) == pod()


def test_inputs_are_not_modified() -> None:
    doc, patch = (
        pod(),
        containers({"name": "web", "env": [{"name": "X", "value": "1"}]}, {"name": "n", "image": "i"}),
    )
    doc_before, patch_before = copy.deepcopy(doc), copy.deepcopy(patch)
    result = apply_strategic_merge_patch(doc, patch, core.Pod)
    result["spec"]["containers"][0]["image"] = "changed"
    assert (doc, patch) == (doc_before, patch_before)


# Two-way patches.

CREATE_CASES = [
    pytest.param(
        lambda d: d["metadata"]["labels"].update(tier=None, env="prod"),
        {"metadata": {"labels": {"tier": None, "env": "prod"}}},
        id="labels",
    ),
    pytest.param(
        lambda d: d["spec"]["containers"][0].update(image="nginx:1.27"),
        {
            "spec": {
                "$setElementOrder/containers": [{"name": "web"}, {"name": "sidecar"}],
                "containers": [{"name": "web", "image": "nginx:1.27"}],
            }
        },
        id="set-image",
    ),
    pytest.param(
        lambda d: d["spec"]["containers"].pop(1),
        {
            "spec": {
                "$setElementOrder/containers": [{"name": "web"}],
                "containers": [{"name": "sidecar", "$patch": "delete"}],
            }
        },
        id="remove-container",
    ),
    pytest.param(
        lambda d: d["metadata"].update(finalizers=["b.example/two", "c.example/three"]),
        {
            "metadata": {
                "finalizers": ["c.example/three"],
                "$deleteFromPrimitiveList/finalizers": ["a.example/one"],
                "$setElementOrder/finalizers": ["b.example/two", "c.example/three"],
            }
        },
        id="finalizers",
    ),
    pytest.param(
        lambda d: d["spec"]["containers"][1].update(command=["sh", "-c", "true"]),
        {
            "spec": {
                "$setElementOrder/containers": [{"name": "web"}, {"name": "sidecar"}],
                "containers": [{"name": "sidecar", "command": ["sh", "-c", "true"]}],
            }
        },
        id="atomic-list-sent-whole",
    ),
    pytest.param(
        lambda d: d["spec"]["volumes"][0].update(emptyDir=None, hostPath={"path": "/srv"}),
        {
            "spec": {
                "$setElementOrder/volumes": [{"name": "data"}],
                "volumes": [
                    {
                        "name": "data",
                        "emptyDir": None,
                        "hostPath": {"path": "/srv"},
                        "$retainKeys": ["hostPath", "name"],
                    }
                ],
            }
        },
        id="retainKeys-built-for-volume",
    ),
    pytest.param(lambda d: None, {}, id="unchanged"),
]


@pytest.mark.parametrize(("change", "expected"), CREATE_CASES)
def test_create_strategic_merge_patch(change: Any, expected: dict[str, Any]) -> None:
    original = pod()
    modified = copy.deepcopy(original)
    change(modified)
    _drop_nulls(modified)
    patch = create_strategic_merge_patch(original, modified, core.Pod)
    assert patch == expected
    assert apply_strategic_merge_patch(original, patch, core.Pod) == modified


def _drop_nulls(value: Any) -> None:
    if isinstance(value, dict):
        for key in [k for k, v in value.items() if v is None]:
            del value[key]
        for v in value.values():
            _drop_nulls(v)
    elif isinstance(value, list):
        for v in value:
            _drop_nulls(v)


ROUND_TRIPS = [
    pytest.param(pod(), pod(volumes=[]), id="volumes-emptied"),
    pytest.param(
        pod(),
        pod(containers=[{"name": "new", "image": "x"}, WEB, with_(SIDECAR, image="busybox:2")]),
        id="container-added-first-and-changed",
    ),
    pytest.param(pod(), pod(containers=[SIDECAR, WEB]), id="containers-reordered"),
    pytest.param(
        pod(),
        pod(containers=[with_(WEB, ports=[{"containerPort": 8080}], env=None), SIDECAR]),
        id="ports-replaced-env-removed",
    ),
    pytest.param(
        deployment({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}}),
        deployment({"type": "Recreate"}),
        id="deployment-strategy-switch",
    ),
]


@pytest.mark.parametrize(("original", "modified"), ROUND_TRIPS)
def test_create_round_trips(original: dict[str, Any], modified: dict[str, Any]) -> None:
    schema: Schema = apps.Deployment if original["kind"] == "Deployment" else core.Pod
    patch = create_strategic_merge_patch(original, modified, schema)
    assert apply_strategic_merge_patch(original, patch, schema) == modified


@pytest.mark.parametrize("size", [0, 1, 19, 20, 21, 45, 97])
def test_go_stable_sort_is_a_stable_sort(size: int) -> None:
    values = [((i * 7919) % 13, i) for i in range(size)]  # many equal keys, to expose instability
    assert go_stable_sort(list(values), lambda a, b: a[0] < b[0]) == sorted(values, key=lambda v: v[0])
