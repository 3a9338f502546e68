"""DaemonSet: defaults, the template-generation annotation, validation and rows."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.meta import parse_time
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.apps.daemonset import RESOURCE, TEMPLATE_GENERATION, DaemonSetStrategy

CTX = RequestContext(namespace="kube-system")
S = DaemonSetStrategy()
CREATED = "2026-01-01T00:00:00Z"
NOW = parse_time(CREATED) + 2 * 86400

R, INV, NS, F = ErrorType.REQUIRED, ErrorType.INVALID, ErrorType.NOT_SUPPORTED, ErrorType.FORBIDDEN
Mutation = Callable[[dict[str, Any]], None]


def daemonset(**spec: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": "agent", "namespace": "kube-system", "uid": "u1", "creationTimestamp": CREATED},
        "spec": {
            "selector": {"matchLabels": {"name": "agent"}},
            "template": {
                "metadata": {"labels": {"name": "agent"}},
                "spec": {"containers": [{"name": "agent", "image": "agent:1"}]},
            },
        },
    }
    obj["spec"].update(spec)
    return obj


def created(obj: dict[str, Any]) -> dict[str, Any]:
    S.default(obj)
    S.prepare_for_create(CTX, obj)
    return obj


def updated(old: dict[str, Any], change: Mutation) -> dict[str, Any]:
    new = copy.deepcopy(old)
    change(new)
    S.default(new)
    S.prepare_for_update(CTX, new, old)
    return new


def problems(errs: list[Any]) -> list[tuple[ErrorType, str]]:
    return [(e.type, e.field) for e in errs]


def test_resource_info() -> None:
    assert (RESOURCE.plural, RESOURCE.short_names, RESOURCE.categories) == ("daemonsets", ("ds",), ("all",))
    assert [s.name for s in RESOURCE.subresources] == ["status"]


@pytest.mark.parametrize(
    ("spec", "strategy"),
    [
        pytest.param(
            {}, {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}}, id="all"
        ),
        pytest.param({"updateStrategy": {"type": "OnDelete"}}, {"type": "OnDelete"}, id="on-delete"),
        pytest.param(
            {"updateStrategy": {"rollingUpdate": {"maxSurge": "10%", "maxUnavailable": 0}}},
            {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "10%", "maxUnavailable": 0}},
            id="surge-instead",
        ),
    ],
)
def test_defaults(spec: dict[str, Any], strategy: dict[str, Any]) -> None:
    obj = daemonset(**spec)
    S.default(obj)
    assert obj["spec"]["updateStrategy"] == strategy
    assert obj["spec"]["revisionHistoryLimit"] == 10
    assert obj["spec"]["template"]["spec"]["schedulerName"] == "default-scheduler"


def test_create() -> None:
    obj = created(daemonset())
    assert obj["metadata"]["annotations"] == {TEMPLATE_GENERATION: "1"}
    assert obj["metadata"]["generation"] == 1
    assert obj["status"] == {
        "currentNumberScheduled": 0,
        "numberMisscheduled": 0,
        "desiredNumberScheduled": 0,
        "numberReady": 0,
    }


@pytest.mark.parametrize(
    ("change", "generation", "template_generation"),
    [
        pytest.param(lambda o: None, 1, "1", id="nothing"),
        pytest.param(lambda o: o["spec"].update(minReadySeconds=5), 2, "1", id="spec-not-template"),
        pytest.param(
            lambda o: o["spec"]["template"]["spec"]["containers"][0].update(image="agent:2"),
            2,
            "2",
            id="template",
        ),
        pytest.param(
            lambda o: o["metadata"]["annotations"].update({TEMPLATE_GENERATION: "9"}),
            1,
            "1",
            id="client-cannot-set-it",
        ),
        pytest.param(lambda o: o["metadata"].pop("annotations"), 1, "1", id="client-cannot-drop-it"),
    ],
)
def test_generations(change: Mutation, generation: int, template_generation: str) -> None:
    new = updated(created(daemonset()), change)
    assert new["metadata"]["generation"] == generation
    assert new["metadata"]["annotations"][TEMPLATE_GENERATION] == template_generation


def test_valid() -> None:
    assert S.validate(CTX, created(daemonset())) == []
    assert S.validate(CTX, created(daemonset(updateStrategy={"type": "OnDelete"}))) == []


def _no_selector(o: dict[str, Any]) -> None:
    del o["spec"]["selector"]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        pytest.param(
            _no_selector, [(INV, "spec.template.metadata.labels")], id="no-selector-selects-nothing"
        ),
        pytest.param(lambda o: o["spec"].update(selector={}), [(INV, "spec.selector")], id="empty-selector"),
        pytest.param(
            lambda o: o["spec"].update(updateStrategy={"type": "Random"}),
            [(NS, "spec.updateStrategy")],
            id="strategy-type",
        ),
        pytest.param(
            lambda o: o["spec"].update(
                updateStrategy={"rollingUpdate": {"maxSurge": 1, "maxUnavailable": 1}}
            ),
            [(INV, "spec.updateStrategy.rollingUpdate.maxSurge")],
            id="surge-and-unavailable",
        ),
        pytest.param(
            lambda o: o["spec"].update(
                updateStrategy={"rollingUpdate": {"maxSurge": 0, "maxUnavailable": "0%"}}
            ),
            [(R, "spec.updateStrategy.rollingUpdate.maxUnavailable")],
            id="neither",
        ),
        pytest.param(
            lambda o: o["spec"].update(updateStrategy={"rollingUpdate": {"maxUnavailable": "101%"}}),
            [(INV, "spec.updateStrategy.rollingUpdate.maxUnavailable")],
            id="over-100-percent",
        ),
        pytest.param(
            lambda o: o["spec"]["template"]["spec"].update(restartPolicy="Never"),
            [(NS, "spec.template.spec.restartPolicy")],
            id="restart-never",
        ),
        pytest.param(
            lambda o: o["spec"]["template"]["spec"].update(activeDeadlineSeconds=1),
            [(F, "spec.template.spec.activeDeadlineSeconds")],
            id="active-deadline",
        ),
        pytest.param(
            lambda o: o["spec"].update(minReadySeconds=-1, revisionHistoryLimit=-1),
            [(INV, "spec.minReadySeconds"), (INV, "spec.revisionHistoryLimit")],
            id="negative-numbers",
        ),
    ],
)
def test_invalid(mutate: Mutation, expected: list[tuple[ErrorType, str]]) -> None:
    obj = daemonset()
    mutate(obj)
    assert problems(S.validate(CTX, created(obj))) == expected


def test_selector_is_immutable() -> None:
    old = created(daemonset())

    def change(o: dict[str, Any]) -> None:
        o["spec"]["selector"]["matchLabels"] = {}
        o["spec"]["selector"]["matchExpressions"] = [{"key": "name", "operator": "Exists"}]

    new = updated(old, change)
    assert problems(S.validate_update(CTX, new, old)) == [(INV, "spec.selector")]


def test_status_update_may_not_decrement_collisions() -> None:
    old = created(daemonset())
    old["status"]["collisionCount"] = 2
    new = copy.deepcopy(old)
    new["status"]["collisionCount"] = 1
    errs = S.validate_status_update(CTX, new, old)
    assert problems(errs) == [(INV, "status.collisionCount")] and errs[0].detail == "cannot be decremented"


@pytest.mark.parametrize(
    ("node_selector", "status", "cells"),
    [
        pytest.param(None, {}, [0, 0, 0, 0, 0, "<none>"], id="new"),
        pytest.param(
            {"zone": "a", "disk": "ssd"},
            {
                "desiredNumberScheduled": 3,
                "currentNumberScheduled": 3,
                "numberReady": 2,
                "updatedNumberScheduled": 1,
                "numberAvailable": 2,
            },
            [3, 3, 2, 1, 2, "disk=ssd,zone=a"],
            id="running",
        ),
    ],
)
def test_table_row(node_selector: dict[str, str] | None, status: dict[str, Any], cells: list[Any]) -> None:
    obj = created(daemonset())
    if node_selector:
        obj["spec"]["template"]["spec"]["nodeSelector"] = node_selector
    obj["status"] = status
    assert S.table_row(obj, NOW) == ["agent", *cells, "2d", "agent", "agent:1", "name=agent"]
    assert [c["name"] for c in S.table_columns()] == [
        "Name",
        "Desired",
        "Current",
        "Ready",
        "Up-to-date",
        "Available",
        "Node Selector",
        "Age",
        "Containers",
        "Images",
        "Selector",
    ]
