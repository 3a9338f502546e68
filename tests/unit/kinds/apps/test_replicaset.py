"""ReplicaSet: discovery info, defaults, validation, generation, field selectors and rows."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.meta import parse_time
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.apps.replicaset import RESOURCE, ReplicaSetStrategy

CTX = RequestContext(namespace="default")
S = ReplicaSetStrategy()
CREATED = "2026-01-01T00:00:00Z"
NOW = parse_time(CREATED) + 3 * 3600

R, INV, NS, F = ErrorType.REQUIRED, ErrorType.INVALID, ErrorType.NOT_SUPPORTED, ErrorType.FORBIDDEN
Mutation = Callable[[dict[str, Any]], None]


def replicaset(**spec: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {"name": "web-5d9f", "namespace": "default", "uid": "u1", "creationTimestamp": CREATED},
        "spec": {
            "selector": {"matchLabels": {"app": "web", "pod-template-hash": "5d9f"}},
            "template": {
                "metadata": {"labels": {"app": "web", "pod-template-hash": "5d9f"}},
                "spec": {
                    "containers": [{"name": "a", "image": "busybox"}, {"name": "b", "image": "redis:7"}]
                },
            },
        },
    }
    obj["spec"].update(spec)
    return obj


def created(obj: dict[str, Any]) -> dict[str, Any]:
    S.default(obj)
    S.prepare_for_create(CTX, obj)
    return obj


def problems(errs: list[Any]) -> list[tuple[ErrorType, str]]:
    return [(e.type, e.field) for e in errs]


def test_resource_info() -> None:
    assert (RESOURCE.plural, RESOURCE.singular, RESOURCE.short_names) == (
        "replicasets",
        "replicaset",
        ("rs",),
    )
    assert RESOURCE.categories == ("all",)
    assert [s.name for s in RESOURCE.subresources] == ["scale", "status"]
    assert RESOURCE.subresource("scale").kind == "Scale"  # type: ignore[union-attr]


def test_defaults_and_create() -> None:
    obj = created(replicaset())
    assert obj["spec"]["replicas"] == 1
    assert obj["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] == "Always"
    assert obj["status"] == {"replicas": 0} and obj["metadata"]["generation"] == 1


def test_a_missing_template_is_defaulted_and_then_invalid() -> None:
    obj = replicaset()
    del obj["spec"]["template"]
    created(obj)
    assert obj["spec"]["template"]["spec"]["restartPolicy"] == "Always"
    assert problems(S.validate(CTX, obj)) == [
        (INV, "spec.template.metadata.labels"),
        (R, "spec.template.spec.containers"),
    ]


@pytest.mark.parametrize(
    "spec",
    [
        pytest.param({}, id="minimal"),
        pytest.param({"replicas": 0, "minReadySeconds": 5}, id="scaled-to-zero"),
    ],
)
def test_valid(spec: dict[str, Any]) -> None:
    assert S.validate(CTX, created(replicaset(**spec))) == []


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        pytest.param(
            lambda o: o["spec"].update(replicas=-2), [(INV, "spec.replicas")], id="negative-replicas"
        ),
        pytest.param(
            lambda o: o["spec"].update(minReadySeconds=-2),
            [(INV, "spec.minReadySeconds")],
            id="negative-min-ready",
        ),
        pytest.param(lambda o: o["spec"].update(selector={}), [(INV, "spec.selector")], id="empty-selector"),
        pytest.param(
            lambda o: o["spec"].update(selector={"matchLabels": {"app": "api"}}),
            [(INV, "spec.template.metadata.labels")],
            id="not-matching",
        ),
        pytest.param(
            lambda o: o["spec"]["template"]["spec"].update(restartPolicy="OnFailure"),
            [(NS, "spec.template.spec.restartPolicy")],
            id="restart-on-failure",
        ),
    ],
)
def test_invalid(mutate: Mutation, expected: list[tuple[ErrorType, str]]) -> None:
    obj = replicaset()
    mutate(obj)
    assert problems(S.validate(CTX, created(obj))) == expected


def test_empty_selector_wording_is_kubernetes_own() -> None:
    (err,) = S.validate(CTX, created(replicaset(selector={})))
    assert err.detail == "empty selector is invalid for deployment"  # sic, as kube-apiserver says


def test_update_keeps_selector_and_counts_generation() -> None:
    old = created(replicaset())
    new = copy.deepcopy(old)
    new["spec"]["replicas"] = 4
    S.default(new)
    S.prepare_for_update(CTX, new, old)
    assert new["metadata"]["generation"] == 2 and S.validate_update(CTX, new, old) == []
    new["spec"]["selector"] = {"matchLabels": {"app": "web"}}
    assert problems(S.validate_update(CTX, new, old)) == [(INV, "spec.selector")]


def test_status_field_selector() -> None:
    obj = created(replicaset())
    obj["status"] = {"replicas": 3}
    assert S.selectable_fields(obj)["status.replicas"] == "3"


def test_status_update_rules() -> None:
    old = created(replicaset())
    new = copy.deepcopy(old)
    new["status"] = {"replicas": 1, "fullyLabeledReplicas": 2, "readyReplicas": -1}
    assert problems(S.validate_status_update(CTX, new, old)) == [
        (INV, "status.readyReplicas"),
        (INV, "status.fullyLabeledReplicas"),
        (INV, "status.availableReplicas"),
    ]


@pytest.mark.parametrize(
    ("status", "cells"),
    [
        pytest.param({"replicas": 0}, ["web-5d9f", 1, 0, 0, "3h"], id="new"),
        pytest.param({"replicas": 1, "readyReplicas": 1}, ["web-5d9f", 1, 1, 1, "3h"], id="ready"),
    ],
)
def test_table_row(status: dict[str, Any], cells: list[Any]) -> None:
    obj = created(replicaset())
    obj["status"] = status
    assert S.table_row(obj, NOW) == [*cells, "a,b", "busybox,redis:7", "app=web,pod-template-hash=5d9f"]
    assert [(c["name"], c["type"]) for c in S.table_columns()][:4] == [
        ("Name", "string"),
        ("Desired", "integer"),
        ("Current", "integer"),
        ("Ready", "integer"),
    ]
