"""What objects set, how they differ and what removal leaves, read through real schemas."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyk8s.api.apply._types import plan_for
from pyk8s.api.apply._values import MISSING
from pyk8s.api.apply.fieldpath import FieldSet
from pyk8s.api.apply.typed import (
    TypedError,
    compare,
    named_fields_as_members,
    remove_items,
    to_field_set,
    validate,
    value_at,
)
from pyk8s.api.schema import Schema, any_value, integer, list_of, map_of, string, struct
from pyk8s.kinds.schemas import schema_for

DEPLOYMENT = schema_for("apps", "v1", "Deployment")
SERVICE = schema_for("", "v1", "Service")
assert DEPLOYMENT is not None and SERVICE is not None


def deployment() -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "nginx", "labels": {"app": "nginx"}},
        "spec": {
            "replicas": 3,
            "selector": {"matchLabels": {"app": "nginx"}},
            "template": {
                "metadata": {"labels": {"app": "nginx"}},
                "spec": {
                    "containers": [
                        {
                            "name": "nginx",
                            "image": "nginx:1.14.2",
                            "args": ["-g", "daemon off;"],
                            "ports": [{"containerPort": 80, "protocol": "TCP"}],
                        }
                    ],
                    "nodeSelector": {"disk": "ssd"},
                },
            },
        },
    }


def test_field_set_of_an_applied_deployment_is_what_kubectl_shows() -> None:
    fields = to_field_set(deployment(), plan_for(DEPLOYMENT))
    assert fields.to_fields_v1() == {
        "f:apiVersion": {},
        "f:kind": {},
        "f:metadata": {"f:labels": {"f:app": {}}, "f:name": {}},
        "f:spec": {
            "f:replicas": {},
            "f:selector": {},  # LabelSelector is an atomic struct
            "f:template": {
                "f:metadata": {"f:labels": {"f:app": {}}},
                "f:spec": {
                    "f:containers": {
                        'k:{"name":"nginx"}': {
                            ".": {},
                            "f:args": {},  # an atomic list
                            "f:image": {},
                            "f:name": {},
                            "f:ports": {
                                'k:{"containerPort":80,"protocol":"TCP"}': {
                                    ".": {},
                                    "f:containerPort": {},
                                    "f:protocol": {},
                                }
                            },
                        }
                    },
                    "f:nodeSelector": {},  # an atomic map
                },
            },
        },
    }


def test_sets_lists_null_and_empty_values() -> None:
    obj = {
        "metadata": {"finalizers": ["b", "a"], "annotations": {}, "labels": None},
        "spec": {"template": {"spec": {"containers": []}}},
    }
    fields = to_field_set(obj, plan_for(DEPLOYMENT))
    assert set(fields) == {
        ("f:metadata", "f:finalizers", 'v:"a"'),
        ("f:metadata", "f:finalizers", 'v:"b"'),
        ("f:metadata", "f:annotations"),  # an empty map is a leaf
        ("f:metadata", "f:labels"),  # so is null
    }  # an empty associative list sets nothing


def test_duplicated_items_are_owned_whole() -> None:
    obj = {"metadata": {"finalizers": ["a", "a", "b"]}}
    assert set(to_field_set(obj, plan_for(DEPLOYMENT))) == {
        ("f:metadata", "f:finalizers", 'v:"a"'),
        ("f:metadata", "f:finalizers", 'v:"b"'),
    }


def test_compare_reports_leaves_and_containers_that_appear() -> None:
    old = deployment()
    new = copy.deepcopy(old)
    new["spec"]["replicas"] = 5
    new["spec"]["template"]["spec"]["containers"][0]["securityContext"] = {"runAsUser": 1000}
    del new["metadata"]["labels"]
    new["spec"]["template"]["spec"]["containers"].append({"name": "sidecar", "image": "busybox"})
    result = compare(old, new, plan_for(DEPLOYMENT))
    nginx = ("f:spec", "f:template", "f:spec", "f:containers", 'k:{"name":"nginx"}')
    sidecar = ("f:spec", "f:template", "f:spec", "f:containers", 'k:{"name":"sidecar"}')
    assert set(result.modified) == {("f:spec", "f:replicas")}
    assert set(result.added) == {
        (*nginx, "f:securityContext"),
        (*nginx, "f:securityContext", "f:runAsUser"),
        sidecar,
        (*sidecar, "f:name"),
        (*sidecar, "f:image"),
        (*sidecar, "f:resources"),  # a Go value struct: a typed new item always has it
    }
    assert set(result.removed) == {("f:metadata", "f:labels"), ("f:metadata", "f:labels", "f:app")}
    assert compare(old, copy.deepcopy(old), plan_for(DEPLOYMENT)).is_same()


def test_compare_keeps_empty_and_null_apart_and_numbers_equal() -> None:
    plan = plan_for(DEPLOYMENT)
    assert set(compare({"spec": {"replicas": 1}}, {"spec": {"replicas": 1.0}}, plan).modified) == set()
    result = compare({"metadata": {"labels": {}}}, {"metadata": {"labels": None}}, plan)
    assert set(result.modified) == {("f:metadata", "f:labels")}


def test_filtered_comparison_drops_ignored_subtrees() -> None:
    result = compare({"status": {"replicas": 1}}, {"status": {"replicas": 2}}, plan_for(DEPLOYMENT))
    assert result.filtered(FieldSet.of(("f:status",))).is_same()


def _with_defaults(schema: Schema) -> Schema:
    """The Pod schema with the defaults Kubernetes' OpenAPI carries (pyk8s kinds lack them)."""
    pod = copy.deepcopy(schema)
    for name in ("metadata", "spec", "status"):
        pod.properties[name].default = {}
    container = pod.properties["spec"].target.properties["containers"].items.target  # type: ignore[union-attr]
    container.properties["resources"].default = {}
    container.properties["ports"].items.target.properties["protocol"].default = "TCP"  # type: ignore[union-attr]
    return pod


def test_typed_go_objects_always_have_value_structs_and_required_lists() -> None:
    # Kubernetes compares typed Go objects: a created pod's old side already has `spec: {}`
    # with `containers: null`, so neither is "added" (no "." in f:spec or f:containers),
    # while the new container's empty `resources: {}` struct is.
    pod_schema = schema_for("", "v1", "Pod")
    assert pod_schema is not None
    pod = _with_defaults(pod_schema)
    new = {"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "busybox"}]}}
    result = compare({}, new, plan_for(pod))
    container = ("f:spec", "f:containers", 'k:{"name":"c"}')
    assert set(result.added) == {
        ("f:metadata", "f:name"),
        container,
        (*container, "f:name"),
        (*container, "f:image"),
        (*container, "f:resources"),
    }


def test_list_map_keys_take_schema_defaults() -> None:
    pod_schema = schema_for("", "v1", "Pod")
    assert pod_schema is not None
    plan = plan_for(_with_defaults(pod_schema))
    obj = {"spec": {"containers": [{"name": "c", "ports": [{"containerPort": 80}]}]}}
    port = ("f:spec", "f:containers", 'k:{"name":"c"}', "f:ports", 'k:{"containerPort":80,"protocol":"TCP"}')
    assert port in set(to_field_set(obj, plan))
    assert value_at(obj, port, plan) == {"containerPort": 80}


def test_remove_items_leaves_null_where_a_container_empties() -> None:
    obj = deployment()
    plan = plan_for(DEPLOYMENT)
    containers = ("f:spec", "f:template", "f:spec", "f:containers")
    out = remove_items(
        obj, FieldSet.of(("f:metadata", "f:labels", "f:app"), (*containers, 'k:{"name":"nginx"}')), plan
    )
    assert out["metadata"]["labels"] is None
    assert out["spec"]["template"]["spec"]["containers"] is None
    assert obj == deployment()  # the input is untouched
    assert out["spec"]["selector"] is obj["spec"]["selector"]  # untouched parts are shared


def test_named_fields_become_members_but_map_keys_and_items_do_not_change() -> None:
    fields = FieldSet.of(
        ("f:metadata", "f:labels", "f:app"),
        ("f:spec", "f:template", "f:spec", "f:containers", 'k:{"name":"x"}', "f:image"),
    )
    out = named_fields_as_members(fields, plan_for(DEPLOYMENT))
    assert set(out) - set(fields) == {
        ("f:metadata",),
        ("f:metadata", "f:labels"),
        ("f:spec",),
        ("f:spec", "f:template"),
        ("f:spec", "f:template", "f:spec"),
        ("f:spec", "f:template", "f:spec", "f:containers"),
    }


def test_value_at_follows_fields_keys_values_and_indexes() -> None:
    obj = deployment()
    nginx = ("f:spec", "f:template", "f:spec", "f:containers", 'k:{"name":"nginx"}')
    assert value_at(obj, (*nginx, "f:image")) == "nginx:1.14.2"
    assert value_at(obj, (*nginx, "f:args", "i:1")) == "daemon off;"
    assert value_at({"metadata": {"finalizers": ["x"]}}, ("f:metadata", "f:finalizers", 'v:"x"')) == "x"
    assert value_at(obj, (*nginx, "f:missing")) is MISSING
    assert value_at(obj, ("f:spec", "f:template", "f:spec", "f:containers", 'k:{"name":"other"}')) is MISSING


@pytest.mark.parametrize(
    ("obj", "message"),
    [
        pytest.param(
            {"spec": {"template": {"spec": {"containers": [{"name": "a"}, {"name": "a"}]}}}},
            '.spec.template.spec.containers: duplicate entries for key [name="a"]',
            id="duplicate-keys",
        ),
        pytest.param(
            {"spec": {"template": {"spec": {"containers": [{"image": "x"}]}}}},
            ".spec.template.spec.containers: element 0: associative list with keys has an element that "
            'omits all key fields ["name"] (and doesn\'t have default values for any key fields)',
            id="missing-keys",
        ),
        pytest.param({"spec": {"bogus": 1}}, ".spec.bogus: field not declared in schema", id="unknown-field"),
        pytest.param(
            {"metadata": {"finalizers": [{"a": 1}]}},
            ".metadata.finalizers: element 0: associative list without keys has an element that's a map type",
            id="map-in-set",
        ),
    ],
)
def test_applied_objects_are_validated_as_smd_does(obj: dict[str, Any], message: str) -> None:
    with pytest.raises(TypedError) as info:
        validate(obj, plan_for(DEPLOYMENT))
    assert str(info.value) == message


def test_several_validation_errors_are_listed() -> None:
    obj = {"metadata": {"finalizers": ["a", "a"]}, "spec": {"bogus": 1}}
    with pytest.raises(TypedError) as info:
        validate(obj, plan_for(DEPLOYMENT))
    assert str(info.value) == (
        "errors:\n"
        '  .metadata.finalizers: duplicate entries for key [="a"]\n'
        "  .spec.bogus: field not declared in schema"
    )


WIDGET = struct(
    "example.Widget",
    "A test type.",
    name=string(),
    untyped=any_value(),
    legacy=Schema(
        type="array",
        items=struct("example.Item", "An item.", key=string(), value=integer()),
        patch_strategy="merge",
        patch_merge_key="key",
    ),
    tags=Schema(type="array", items=string(), patch_strategy="merge"),
    counts=map_of(integer()),
    plain=list_of(string()),
)


def test_schema_features_map_to_smd_types() -> None:
    obj = {
        "untyped": {"a": {"b": 1}, "list": [1, 2]},
        "legacy": [{"key": "x", "value": 1}],
        "tags": ["t"],
        "counts": {"c": 1},
        "plain": ["p"],
    }
    assert to_field_set(obj, plan_for(WIDGET)).to_fields_v1() == {
        "f:counts": {"f:c": {}},
        "f:legacy": {'k:{"key":"x"}': {".": {}, "f:key": {}, "f:value": {}}},  # patch merge key
        "f:plain": {},
        "f:tags": {'v:"t"': {}},  # patch strategy merge without a key: a set
        "f:untyped": {"f:a": {".": {}, "f:b": {}}, "f:list": {}},  # deduced: maps granular, lists atomic
    }
