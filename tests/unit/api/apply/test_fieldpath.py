"""Field sets and FieldsV1, checked against managedFields as Kubernetes writes them."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from pyk8s.api.apply.fieldpath import (
    EMPTY,
    FieldSet,
    FieldsV1Error,
    canonical_pe,
    key_pe,
    path_string,
    pe_sort_key,
    value_pe,
)

# Literal fieldsV1 documents as kube-apiserver returns them (`kubectl get -o json
# --show-managed-fields`): already canonical, so they must round-trip byte for byte.
KUBECTL_CREATE_DEPLOYMENT = {
    "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
    "f:spec": {
        "f:progressDeadlineSeconds": {},
        "f:replicas": {},
        "f:revisionHistoryLimit": {},
        "f:selector": {},
        "f:strategy": {
            "f:rollingUpdate": {".": {}, "f:maxSurge": {}, "f:maxUnavailable": {}},
            "f:type": {},
        },
        "f:template": {
            "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
            "f:spec": {
                "f:containers": {
                    'k:{"name":"nginx"}': {
                        ".": {},
                        "f:image": {},
                        "f:imagePullPolicy": {},
                        "f:name": {},
                        "f:resources": {},
                        "f:terminationMessagePath": {},
                        "f:terminationMessagePolicy": {},
                    }
                },
                "f:dnsPolicy": {},
                "f:restartPolicy": {},
                "f:schedulerName": {},
                "f:securityContext": {},
                "f:terminationGracePeriodSeconds": {},
            },
        },
    },
}
CONTROLLER_MANAGER_STATUS = {
    "f:metadata": {"f:annotations": {".": {}, "f:deployment.kubernetes.io/revision": {}}},
    "f:status": {
        "f:availableReplicas": {},
        "f:conditions": {
            ".": {},
            'k:{"type":"Available"}': {
                ".": {},
                "f:lastTransitionTime": {},
                "f:lastUpdateTime": {},
                "f:message": {},
                "f:reason": {},
                "f:status": {},
                "f:type": {},
            },
            'k:{"type":"Progressing"}': {
                ".": {},
                "f:lastTransitionTime": {},
                "f:lastUpdateTime": {},
                "f:message": {},
                "f:reason": {},
                "f:status": {},
                "f:type": {},
            },
        },
        "f:observedGeneration": {},
        "f:readyReplicas": {},
        "f:replicas": {},
        "f:updatedReplicas": {},
    },
}
SERVICE_AND_FINALIZERS = {
    "f:metadata": {"f:finalizers": {".": {}, 'v:"service.kubernetes.io/load-balancer-cleanup"': {}}},
    "f:spec": {
        "f:ports": {
            ".": {},
            'k:{"port":80,"protocol":"TCP"}': {".": {}, "f:port": {}, "f:protocol": {}, "f:targetPort": {}},
            'k:{"port":443,"protocol":"TCP"}': {".": {}, "f:port": {}, "f:protocol": {}, "f:targetPort": {}},
        },
        "f:selector": {},
        "f:type": {},
    },
}


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param(KUBECTL_CREATE_DEPLOYMENT, id="kubectl-create-deployment"),
        pytest.param(CONTROLLER_MANAGER_STATUS, id="controller-manager-status"),
        pytest.param(SERVICE_AND_FINALIZERS, id="service-ports-and-finalizers"),
    ],
)
def test_fields_v1_from_kubernetes_round_trips_byte_for_byte(fields: dict[str, Any]) -> None:
    decoded = FieldSet.from_fields_v1(fields)
    assert orjson.dumps(decoded.to_fields_v1()) == orjson.dumps(fields)


def test_docs_example_is_written_back_sorted() -> None:
    # The server-side apply page of the Kubernetes docs lists f:metadata before f:data;
    # the server writes children sorted.
    docs = {"f:metadata": {"f:labels": {"f:test-label": {}}}, "f:data": {"f:key": {}}}
    assert list(FieldSet.from_fields_v1(docs).to_fields_v1()) == ["f:data", "f:metadata"]


def test_decoded_set_has_the_paths_of_the_trie() -> None:
    fields = FieldSet.from_fields_v1(SERVICE_AND_FINALIZERS)
    assert fields.has(("f:spec", "f:ports"))  # "." makes the list itself a member
    assert fields.has(("f:spec", "f:ports", 'k:{"port":80,"protocol":"TCP"}', "f:targetPort"))
    assert not fields.has(("f:spec",))  # no "." under f:spec
    assert fields.has(("f:metadata", "f:finalizers", 'v:"service.kubernetes.io/load-balancer-cleanup"'))
    assert len(fields) == 13


def test_keys_and_values_are_canonicalised_on_decode() -> None:
    fields = FieldSet.from_fields_v1({"f:spec": {"f:ports": {'k:{"protocol":"TCP", "port":80.0}': {}}}})
    assert fields.paths() == [("f:spec", "f:ports", 'k:{"port":80,"protocol":"TCP"}')]


def test_unknown_element_types_are_dropped_as_smd_does() -> None:
    fields = FieldSet.from_fields_v1({"f:a": {}, "z:future": {}, "f:b": {"z:x": {}}})
    assert fields.paths() == [("f:a",), ("f:b",)]


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("f", "key must be 2 characters long"),
        ("fx", "missing colon: fx"),
        ("k:{", "parsing key as path element"),
        ("i:x", "invalid index"),
        ('k:["a"]', "expected an object"),
    ],
)
def test_malformed_keys_are_errors(key: str, message: str) -> None:
    with pytest.raises(FieldsV1Error, match=message):
        FieldSet.from_fields_v1({key: {}})


def test_non_object_children_are_errors() -> None:
    with pytest.raises(FieldsV1Error):
        FieldSet.from_fields_v1({"f:a": 1})


def test_elements_sort_as_smd_compares_them() -> None:
    pes = ["i:0", 'v:"b"', "v:2", 'k:{"port":443}', 'k:{"port":80}', "f:z", "f:a", "v:true", "v:10"]
    assert sorted(pes, key=pe_sort_key) == [
        "f:a",
        "f:z",
        'k:{"port":80}',
        'k:{"port":443}',
        "v:2",
        "v:10",
        'v:"b"',
        "v:true",
        "i:0",
    ]


def test_key_elements_use_go_json() -> None:
    assert key_pe({"protocol": "TCP", "containerPort": 80}) == 'k:{"containerPort":80,"protocol":"TCP"}'
    assert key_pe({"name": "a<b&c"}) == 'k:{"name":"a\\u003cb\\u0026c"}'
    assert value_pe(1.5) == "v:1.5"
    assert canonical_pe('v:"x"') == 'v:"x"'


@pytest.mark.parametrize(
    ("path", "text"),
    [
        (
            ("f:spec", "f:template", "f:spec", "f:containers", 'k:{"name":"nginx"}', "f:image"),
            '.spec.template.spec.containers[name="nginx"].image',
        ),
        (("f:metadata", "f:labels", "f:app"), ".metadata.labels.app"),
        (("f:metadata", "f:finalizers", 'v:"x"'), '.metadata.finalizers[="x"]'),
        (("f:spec", "f:ports", 'k:{"port":80,"protocol":"TCP"}'), '.spec.ports[port=80,protocol="TCP"]'),
        (("f:spec", "f:args", "i:2"), ".spec.args[2]"),
    ],
)
def test_paths_print_as_smd_prints_them(path: tuple[str, ...], text: str) -> None:
    assert path_string(path) == text


def test_fields_v1_writes_dot_first_then_sorted_children() -> None:
    fields = FieldSet.of(("f:b",), ("f:b", "f:y"), ("f:b", "f:x"), ("f:a",))
    assert list(fields.to_fields_v1()["f:b"]) == [".", "f:x", "f:y"]
    assert list(fields.to_fields_v1()) == ["f:a", "f:b"]


def test_empty_sets() -> None:
    assert FieldSet.from_fields_v1({}).empty()
    assert FieldSet.from_fields_v1(None).empty()
    assert EMPTY.to_fields_v1() == {}
    assert FieldSet.of(()).empty()  # the root itself is never tracked


def test_algebra_on_small_sets() -> None:
    a = FieldSet.of(("f:a",), ("f:b", "f:c"), ("f:b", "f:d"))
    b = FieldSet.of(("f:b", "f:c"), ("f:e",))
    assert (a | b).paths() == [("f:a",), ("f:e",), ("f:b", "f:c"), ("f:b", "f:d")]
    assert (a & b).paths() == [("f:b", "f:c")]
    assert (a - b).paths() == [("f:a",), ("f:b", "f:d")]
    # A parent removes nothing below it in a plain difference, everything in a recursive one.
    parent = FieldSet.of(("f:b",))
    assert (a - parent) == a
    assert a.recursive_difference(parent).paths() == [("f:a",)]
    assert FieldSet.of(("f:b",), ("f:b", "f:c")).leaves().paths() == [("f:b", "f:c")]
    assert a.with_prefix("f:b").paths() == [("f:c",), ("f:d",)]
    assert a.with_prefix("f:zz").empty()


def test_iteration_is_members_first_then_children() -> None:
    fields = FieldSet.of(("f:z",), ("f:a", "f:b"), ("f:m",))
    assert fields.paths() == [("f:m",), ("f:z",), ("f:a", "f:b")]
    assert repr(fields) == "FieldSet(.m, .z, .a.b)"
