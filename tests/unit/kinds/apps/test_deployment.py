"""Deployment: discovery info, defaults, validation, generation and table rows."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.meta import parse_time
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.apps.deployment import RESOURCE, DeploymentStrategy

CTX = RequestContext(namespace="default")
S = DeploymentStrategy()
CREATED = "2026-01-01T00:00:00Z"
NOW = parse_time(CREATED) + 300

R, INV, NS, F = ErrorType.REQUIRED, ErrorType.INVALID, ErrorType.NOT_SUPPORTED, ErrorType.FORBIDDEN


def deployment(**spec: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", "uid": "u1", "creationTimestamp": CREATED},
        "spec": {
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}]},
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
    assert (RESOURCE.group, RESOURCE.version, RESOURCE.plural) == ("apps", "v1", "deployments")
    assert RESOURCE.short_names == ("deploy",) and RESOURCE.categories == ("all",)
    scale = RESOURCE.subresource("scale")
    assert scale is not None and (scale.group, scale.version, scale.kind) == ("autoscaling", "v1", "Scale")
    assert RESOURCE.subresource("status") is not None


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        pytest.param(
            {},
            {
                "replicas": 1,
                "strategy": {
                    "type": "RollingUpdate",
                    "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"},
                },
                "revisionHistoryLimit": 10,
                "progressDeadlineSeconds": 600,
            },
            id="everything",
        ),
        pytest.param(
            {"replicas": 0, "strategy": {"type": "Recreate"}, "revisionHistoryLimit": 2},
            {"replicas": 0, "strategy": {"type": "Recreate"}, "revisionHistoryLimit": 2},
            id="recreate-keeps-no-rolling-update",
        ),
        pytest.param(
            {"strategy": {"rollingUpdate": {"maxSurge": 2}}},
            {
                "strategy": {
                    "type": "RollingUpdate",
                    "rollingUpdate": {"maxSurge": 2, "maxUnavailable": "25%"},
                }
            },
            id="partial-rolling-update",
        ),
    ],
)
def test_defaults(spec: dict[str, Any], expected: dict[str, Any]) -> None:
    obj = deployment(**spec)
    S.default(obj)
    for key, value in expected.items():
        assert obj["spec"][key] == value
    pod = obj["spec"]["template"]["spec"]
    assert pod["restartPolicy"] == "Always" and pod["dnsPolicy"] == "ClusterFirst"
    assert pod["containers"][0]["imagePullPolicy"] == "IfNotPresent"


def test_create_clears_status_and_starts_generation() -> None:
    obj = deployment()
    obj["status"] = {"replicas": 5}
    created(obj)
    assert obj["status"] == {} and obj["metadata"]["generation"] == 1


@pytest.mark.parametrize(
    "spec",
    [
        pytest.param({}, id="minimal"),
        pytest.param({"replicas": 0}, id="zero-replicas"),
        pytest.param({"strategy": {"type": "Recreate"}}, id="recreate"),
        pytest.param({"strategy": {"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}}}, id="no-surge"),
        pytest.param({"minReadySeconds": 10, "progressDeadlineSeconds": 11}, id="deadline-after-ready"),
        pytest.param(
            {"selector": {"matchExpressions": [{"key": "app", "operator": "In", "values": ["web", "api"]}]}},
            id="expression-selector",
        ),
    ],
)
def test_valid(spec: dict[str, Any]) -> None:
    assert S.validate(CTX, created(deployment(**spec))) == []


def _no_selector(o: dict[str, Any]) -> None:
    del o["spec"]["selector"]


def _no_containers(o: dict[str, Any]) -> None:
    o["spec"]["template"]["spec"]["containers"] = []


Mutation = Callable[[dict[str, Any]], None]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        pytest.param(
            _no_selector,
            [(R, "spec.selector"), (INV, "spec.template.metadata.labels")],
            id="selector-required",
        ),
        pytest.param(lambda o: o["spec"].update(selector={}), [(INV, "spec.selector")], id="empty-selector"),
        pytest.param(
            lambda o: o["spec"].update(selector={"matchLabels": {"app": "other"}}),
            [(INV, "spec.template.metadata.labels")],
            id="selector-not-matching-template",
        ),
        pytest.param(
            lambda o: o["spec"].update(selector={"matchExpressions": [{"key": "app", "operator": "Is"}]}),
            [(INV, "spec.selector.matchExpressions[0].operator"), (INV, "spec.selector")],
            id="bad-selector-operator",
        ),
        pytest.param(
            lambda o: o["spec"].update(selector={"matchExpressions": [{"key": "app", "operator": "In"}]}),
            [(R, "spec.selector.matchExpressions[0].values"), (INV, "spec.selector")],
            id="in-without-values",
        ),
        pytest.param(
            lambda o: o["spec"].update(replicas=-1), [(INV, "spec.replicas")], id="negative-replicas"
        ),
        pytest.param(
            lambda o: o["spec"].update(minReadySeconds=-1, progressDeadlineSeconds=600),
            [(INV, "spec.minReadySeconds")],
            id="negative-min-ready",
        ),
        pytest.param(
            lambda o: o["spec"].update(revisionHistoryLimit=-1),
            [(INV, "spec.revisionHistoryLimit")],
            id="negative-history",
        ),
        pytest.param(
            lambda o: o["spec"].update(minReadySeconds=600),
            [(INV, "spec.progressDeadlineSeconds")],
            id="deadline-not-after-min-ready",
        ),
        pytest.param(
            lambda o: o["spec"].update(strategy={"type": "Sideways"}),
            [(NS, "spec.strategy")],
            id="strategy-type",
        ),
        pytest.param(
            lambda o: o["spec"].update(strategy={"type": "Recreate", "rollingUpdate": {"maxSurge": 1}}),
            [(F, "spec.strategy.rollingUpdate")],
            id="recreate-with-rolling-update",
        ),
        pytest.param(
            lambda o: o["spec"].update(strategy={"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 0}}),
            [(INV, "spec.strategy.rollingUpdate.maxUnavailable")],
            id="surge-and-unavailable-zero",
        ),
        pytest.param(
            lambda o: o["spec"].update(strategy={"rollingUpdate": {"maxUnavailable": "120%"}}),
            [(INV, "spec.strategy.rollingUpdate.maxUnavailable")],
            id="unavailable-over-100-percent",
        ),
        pytest.param(
            lambda o: o["spec"].update(strategy={"rollingUpdate": {"maxSurge": "lots"}}),
            [(INV, "spec.strategy.rollingUpdate.maxSurge")],
            id="surge-not-a-percent",
        ),
        pytest.param(
            lambda o: o["spec"].update(strategy={"rollingUpdate": {"maxSurge": -1}}),
            [(INV, "spec.strategy.rollingUpdate.maxSurge")],
            id="negative-surge",
        ),
        pytest.param(
            lambda o: o["spec"]["template"]["spec"].update(restartPolicy="Never"),
            [(NS, "spec.template.spec.restartPolicy")],
            id="restart-policy-never",
        ),
        pytest.param(
            lambda o: o["spec"]["template"]["spec"].update(activeDeadlineSeconds=5),
            [(F, "spec.template.spec.activeDeadlineSeconds")],
            id="active-deadline",
        ),
        pytest.param(_no_containers, [(R, "spec.template.spec.containers")], id="no-containers"),
        pytest.param(
            lambda o: o["spec"]["template"]["metadata"]["labels"].update({"bad key!": "x"}),
            [(INV, "spec.template.labels")],
            id="bad-template-label",
        ),
    ],
)
def test_invalid(mutate: Mutation, expected: list[tuple[ErrorType, str]]) -> None:
    obj = deployment()
    mutate(obj)
    assert problems(S.validate(CTX, created(obj))) == expected


def test_error_wording() -> None:
    obj = deployment(selector={"matchLabels": {"app": "other"}})
    (err,) = S.validate(CTX, created(obj))
    assert str(err) == (
        'spec.template.metadata.labels: Invalid value: {"app":"web"}: '
        "`selector` does not match template `labels`"
    )
    obj = deployment(strategy={"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 0}})
    (err,) = S.validate(CTX, created(obj))
    assert err.detail == "may not be 0 when `maxSurge` is 0"


def test_selector_is_immutable() -> None:
    old = created(deployment())
    new = copy.deepcopy(old)
    new["spec"]["selector"] = {"matchLabels": {"app": "web", "tier": "fe"}}
    new["spec"]["template"]["metadata"]["labels"]["tier"] = "fe"
    S.default(new)
    S.prepare_for_update(CTX, new, old)
    errs = S.validate_update(CTX, new, old)
    assert problems(errs) == [(INV, "spec.selector")] and errs[0].detail == "field is immutable"


@pytest.mark.parametrize(
    ("change", "generation"),
    [
        pytest.param(lambda o: None, 1, id="nothing"),
        pytest.param(lambda o: o["metadata"].update(labels={"a": "b"}), 1, id="labels"),
        pytest.param(lambda o: o["metadata"].update(annotations={"a": "b"}), 2, id="annotations"),
        pytest.param(lambda o: o["spec"].update(replicas=3), 2, id="spec"),
        pytest.param(lambda o: o.update(status={"replicas": 3}), 1, id="status-is-ignored"),
    ],
)
def test_generation(change: Mutation, generation: int) -> None:
    old = created(deployment())
    new = copy.deepcopy(old)
    change(new)
    S.default(new)
    S.prepare_for_update(CTX, new, old)
    assert new["metadata"]["generation"] == generation
    assert new["status"] == {}


def test_status_update_rules() -> None:
    old = created(deployment())
    new = copy.deepcopy(old)
    new["status"] = {"replicas": 2, "readyReplicas": 3, "availableReplicas": 3}
    assert problems(S.validate_status_update(CTX, new, old)) == [
        (INV, "status.readyReplicas"),
        (INV, "status.availableReplicas"),
    ]


@pytest.mark.parametrize(
    ("spec", "status", "cells"),
    [
        pytest.param(
            {},
            {},
            ["web", "0/1", 0, 0, "5m", "nginx", "nginx:1.25", "app=web"],
            id="new",
        ),
        pytest.param(
            {
                "replicas": 3,
                "selector": {
                    "matchLabels": {"app": "web"},
                    "matchExpressions": [{"key": "env", "operator": "NotIn", "values": ["dev", "ci"]}],
                },
            },
            {"readyReplicas": 2, "updatedReplicas": 3, "availableReplicas": 2},
            ["web", "2/3", 3, 2, "5m", "nginx", "nginx:1.25", "app=web,env notin (ci,dev)"],
            id="rolling",
        ),
    ],
)
def test_table_row(spec: dict[str, Any], status: dict[str, Any], cells: list[Any]) -> None:
    obj = created(deployment(**spec))
    obj["status"] = status
    assert S.table_row(obj, NOW) == cells
    assert [c["name"] for c in S.table_columns()] == [
        "Name",
        "Ready",
        "Up-to-date",
        "Available",
        "Age",
        "Containers",
        "Images",
        "Selector",
    ]
    assert [c["priority"] for c in S.table_columns()] == [0, 0, 0, 0, 0, 1, 1, 1]
