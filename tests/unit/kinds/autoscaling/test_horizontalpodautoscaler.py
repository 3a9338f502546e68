"""HorizontalPodAutoscaler: v2 defaults and validation, Targets cells, and the lossless
autoscaling/v1 view."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import orjson
import pytest

from pyk8s.api.errors import BadRequestError
from pyk8s.api.fields import ErrorType
from pyk8s.api.meta import parse_time
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.autoscaling.conversion import BEHAVIOR, CONDITIONS, CURRENT_METRICS, METRICS, to_v1, to_v2
from pyk8s.kinds.autoscaling.horizontalpodautoscaler import (
    RESOURCE,
    RESOURCE_V1,
    HorizontalPodAutoscalerStrategy,
)

CTX = RequestContext(namespace="default")
S = HorizontalPodAutoscalerStrategy()
CREATED = "2026-01-01T00:00:00Z"
NOW = parse_time(CREATED) + 30

R, INV, NS, F = ErrorType.REQUIRED, ErrorType.INVALID, ErrorType.NOT_SUPPORTED, ErrorType.FORBIDDEN
Mutation = Callable[[dict[str, Any]], None]

CPU50 = {
    "type": "Resource",
    "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}},
}
MEMORY = {
    "type": "Resource",
    "resource": {"name": "memory", "target": {"type": "AverageValue", "averageValue": "500Mi"}},
}
PODS = {
    "type": "Pods",
    "pods": {
        "metric": {"name": "packets-per-second"},
        "target": {"type": "AverageValue", "averageValue": "1k"},
    },
}
OBJECT = {
    "type": "Object",
    "object": {
        "metric": {"name": "requests-per-second"},
        "describedObject": {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "name": "main-route"},
        "target": {"type": "Value", "value": "10k"},
    },
}
EXTERNAL = {
    "type": "External",
    "external": {
        "metric": {"name": "queue_messages_ready", "selector": {"matchLabels": {"queue": "worker_tasks"}}},
        "target": {"type": "AverageValue", "averageValue": "30"},
    },
}


def hpa(**spec: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "web", "namespace": "default", "uid": "u1", "creationTimestamp": CREATED},
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
            "maxReplicas": 10,
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
    for info, version in ((RESOURCE, "v2"), (RESOURCE_V1, "v1")):
        assert (info.group, info.version, info.plural) == ("autoscaling", version, "horizontalpodautoscalers")
        assert info.short_names == ("hpa",) and info.categories == ("all",)
        assert [s.name for s in info.subresources] == ["status"]
    (view,) = S.versions
    assert view.info is RESOURCE_V1


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        pytest.param(
            {},
            {
                "minReplicas": 1,
                "metrics": [
                    {
                        "type": "Resource",
                        "resource": {
                            "name": "cpu",
                            "target": {"type": "Utilization", "averageUtilization": 80},
                        },
                    }
                ],
            },
            id="cpu-80",
        ),
        pytest.param(
            {"minReplicas": 2, "metrics": [MEMORY]}, {"minReplicas": 2, "metrics": [MEMORY]}, id="kept"
        ),
        pytest.param(
            {"behavior": {"scaleDown": {"stabilizationWindowSeconds": 60}}},
            {
                "behavior": {
                    "scaleDown": {
                        "stabilizationWindowSeconds": 60,
                        "selectPolicy": "Max",
                        "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}],
                    },
                    "scaleUp": {
                        "stabilizationWindowSeconds": 0,
                        "selectPolicy": "Max",
                        "policies": [
                            {"type": "Pods", "value": 4, "periodSeconds": 15},
                            {"type": "Percent", "value": 100, "periodSeconds": 15},
                        ],
                    },
                }
            },
            id="behavior-filled",
        ),
        pytest.param({}, {"behavior": None}, id="no-behavior-stays-unset"),
    ],
)
def test_defaults(spec: dict[str, Any], expected: dict[str, Any]) -> None:
    obj = hpa(**spec)
    S.default(obj)
    for key, value in expected.items():
        assert obj["spec"].get(key) == value


def test_create() -> None:
    obj = hpa()
    obj["metadata"]["annotations"] = {METRICS: "[]", "keep": "me"}
    created(obj)
    assert obj["status"] == {"desiredReplicas": 0}
    assert obj["metadata"]["annotations"] == {"keep": "me"}  # v2 carries no round-trip annotations
    assert "generation" not in obj["metadata"]


@pytest.mark.parametrize(
    "spec",
    [
        pytest.param({}, id="defaults"),
        pytest.param({"metrics": [CPU50, MEMORY, PODS, OBJECT, EXTERNAL]}, id="every-metric-kind"),
        pytest.param(
            {
                "metrics": [
                    {
                        "type": "ContainerResource",
                        "containerResource": {
                            "name": "cpu",
                            "container": "app",
                            "target": {"type": "Utilization", "averageUtilization": 60},
                        },
                    }
                ]
            },
            id="container-resource",
        ),
        pytest.param(
            {
                "behavior": {
                    "scaleUp": {"selectPolicy": "Disabled"},
                    "scaleDown": {"stabilizationWindowSeconds": 3600},
                }
            },
            id="behavior",
        ),
        pytest.param(
            {"scaleTargetRef": {"apiVersion": "v1", "kind": "ReplicationController", "name": "rc"}},
            id="replication-controller-in-core",
        ),
        pytest.param({"minReplicas": 10, "maxReplicas": 10}, id="min-equals-max"),
    ],
)
def test_valid(spec: dict[str, Any]) -> None:
    assert S.validate(CTX, created(hpa(**spec))) == []


def _metric(**fields: Any) -> Mutation:
    return lambda o: o["spec"].update(metrics=[fields])


@pytest.mark.parametrize(
    ("mutate", "expected", "detail"),
    [
        pytest.param(
            lambda o: o["spec"].update(minReplicas=0),
            [(INV, "spec.minReplicas"), (F, "spec.metrics")],
            "must be greater than or equal to 1",
            id="min-zero",
        ),
        pytest.param(
            lambda o: o["spec"].update(maxReplicas=0, minReplicas=1),
            [(INV, "spec.maxReplicas"), (INV, "spec.maxReplicas")],
            "must be greater than 0",
            id="max-zero",
        ),
        pytest.param(
            lambda o: o["spec"].update(minReplicas=5, maxReplicas=3),
            [(INV, "spec.maxReplicas")],
            "must be greater than or equal to `minReplicas`",
            id="min-above-max",
        ),
        pytest.param(
            lambda o: o["spec"].update(scaleTargetRef={"apiVersion": "apps/v1", "kind": "", "name": "web"}),
            [(R, "spec.scaleTargetRef.kind")],
            "",
            id="target-kind",
        ),
        pytest.param(
            lambda o: o["spec"].update(
                scaleTargetRef={"apiVersion": "apps/v1", "kind": "Deployment", "name": "a/b"}
            ),
            [(INV, "spec.scaleTargetRef.name")],
            "may not contain '/'",
            id="target-name",
        ),
        pytest.param(
            lambda o: o["spec"].update(scaleTargetRef={"kind": "Deployment", "name": "web"}),
            [(INV, "spec.scaleTargetRef.apiVersion")],
            "apiVersion must specify API group",
            id="target-group",
        ),
        pytest.param(
            lambda o: o["spec"].update(
                scaleTargetRef={"apiVersion": "a/b/c", "kind": "Deployment", "name": "web"}
            ),
            [(INV, "spec.scaleTargetRef.apiVersion")],
            "unexpected GroupVersion string: a/b/c",
            id="target-version",
        ),
        pytest.param(
            _metric(type="Magic"),
            [(NS, "spec.metrics[0].type")],
            'supported values: "ContainerResource", "External", "Object", "Pods", "Resource"',
            id="metric-type",
        ),
        pytest.param(
            _metric(type="Resource"),
            [(R, "spec.metrics[0].resource")],
            "must populate information for the given metric source",
            id="metric-source-missing",
        ),
        pytest.param(
            _metric(type="Resource", resource=CPU50["resource"], pods=PODS["pods"]),
            [(F, "spec.metrics[0].pods")],
            "must populate the given metric source only",
            id="two-sources",
        ),
        pytest.param(
            _metric(type="Resource", resource={"name": "cpu", "target": {"type": "Utilization"}}),
            [(R, "spec.metrics[0].resource.target.averageUtilization")],
            "must set either a target raw value or a target utilization",
            id="resource-without-target",
        ),
        pytest.param(
            _metric(
                type="Resource",
                resource={"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 0}},
            ),
            [(INV, "spec.metrics[0].resource.target.averageUtilization")],
            "must be greater than 0",
            id="utilization-zero",
        ),
        pytest.param(
            _metric(
                type="Resource",
                resource={"name": "cpu", "target": {"type": "Percent", "averageUtilization": 5}},
            ),
            [(INV, "spec.metrics[0].resource.target.type")],
            "must be either Utilization, Value, or AverageValue",
            id="target-type",
        ),
        pytest.param(
            _metric(
                type="Pods",
                pods={"metric": {"name": "x"}, "target": {"type": "AverageValue", "averageValue": "-1"}},
            ),
            [(INV, "spec.metrics[0].pods.target.averageValue")],
            "must be positive",
            id="negative-average",
        ),
        pytest.param(
            _metric(
                type="Pods", pods={"metric": {}, "target": {"type": "AverageValue", "averageValue": "1"}}
            ),
            [(R, "spec.metrics[0].pods.metric.name")],
            "must specify a metric name",
            id="metric-name",
        ),
        pytest.param(
            _metric(
                type="External",
                external={
                    "metric": {"name": "q"},
                    "target": {"type": "Value", "value": "1", "averageValue": "1"},
                },
            ),
            [(F, "spec.metrics[0].external.target.value")],
            "may not set both a target value for metric and a per-pod target",
            id="external-both",
        ),
        pytest.param(
            _metric(
                type="Object",
                object={
                    "metric": {"name": "rps"},
                    "describedObject": {"kind": "Service", "name": "s"},
                    "target": {"type": "Value"},
                },
            ),
            [(R, "spec.metrics[0].object.target.averageValue")],
            "must set either a target value or averageValue",
            id="object-without-value",
        ),
        pytest.param(
            _metric(
                type="ContainerResource",
                containerResource={"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 5}},
            ),
            [(R, "spec.metrics[0].containerResource.container")],
            "must specify a container",
            id="container-required",
        ),
        pytest.param(
            lambda o: o["spec"].update(behavior={"scaleUp": {"stabilizationWindowSeconds": 3601}}),
            [(INV, "spec.behavior.scaleUp.stabilizationWindowSeconds")],
            "must be less than or equal to 3600",
            id="window-too-long",
        ),
        pytest.param(
            lambda o: o["spec"].update(behavior={"scaleDown": {"selectPolicy": "Average"}}),
            [(NS, "spec.behavior.scaleDown.selectPolicy")],
            'supported values: "Disabled", "Max", "Min"',
            id="select-policy",
        ),
        pytest.param(
            lambda o: o["spec"].update(
                behavior={"scaleDown": {"policies": [{"type": "Pods", "value": 0, "periodSeconds": 1801}]}}
            ),
            [
                (INV, "spec.behavior.scaleDown.policies[0].value"),
                (INV, "spec.behavior.scaleDown.policies[0].periodSeconds"),
            ],
            "must be greater than zero",
            id="policy-numbers",
        ),
        pytest.param(
            lambda o: o["spec"].update(
                behavior={"scaleDown": {"policies": [{"type": "Nodes", "value": 1, "periodSeconds": 10}]}}
            ),
            [(NS, "spec.behavior.scaleDown.policies[0].type")],
            'supported values: "Percent", "Pods"',
            id="policy-type",
        ),
    ],
)
def test_invalid(mutate: Mutation, expected: list[tuple[ErrorType, str]], detail: str) -> None:
    obj = hpa()
    mutate(obj)
    errs = S.validate(CTX, created(obj))
    assert problems(errs) == expected
    assert errs[0].detail == detail


def test_update_rules() -> None:
    old = created(hpa(scaleTargetRef={"apiVersion": "v1", "kind": "Deployment", "name": "web"}))
    new = copy.deepcopy(old)
    new["spec"]["maxReplicas"] = 20
    S.prepare_for_update(CTX, new, old)
    assert S.validate_update(CTX, new, old) == []  # an unchanged reference is not checked again
    new["spec"]["scaleTargetRef"]["kind"] = "StatefulSet"
    assert problems(S.validate_update(CTX, new, old)) == [(INV, "spec.scaleTargetRef.apiVersion")]
    zero = created(hpa(minReplicas=1, metrics=[OBJECT]))
    zero["spec"]["minReplicas"] = 0
    assert problems(S.validate_update(CTX, copy.deepcopy(zero), zero)) == []  # was already zero


@pytest.mark.parametrize(
    ("metrics", "current", "targets"),
    [
        pytest.param([], [], "<none>", id="none"),
        pytest.param([CPU50], [], "cpu: <unknown>/50%", id="cpu-unknown"),
        pytest.param(
            [CPU50],
            [{"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": 12}}}],
            "cpu: 12%/50%",
            id="cpu",
        ),
        pytest.param(
            [MEMORY],
            [{"type": "Resource", "resource": {"name": "memory", "current": {"averageValue": "100Mi"}}}],
            "memory: 100Mi/500Mi",
            id="memory",
        ),
        pytest.param([PODS], [], "<unknown>/1k", id="pods"),
        pytest.param([OBJECT], [], "<unknown>/10k", id="object-value"),
        pytest.param([EXTERNAL], [], "<unknown>/30 (avg)", id="external-average"),
        pytest.param(
            [CPU50, MEMORY, PODS], [], "cpu: <unknown>/50%, memory: <unknown>/500Mi + 1 more...", id="more"
        ),
    ],
)
def test_targets_cell(metrics: list[Any], current: list[Any], targets: str) -> None:
    obj = created(hpa(metrics=metrics or [CPU50]))
    obj["spec"]["metrics"] = metrics
    obj["status"] = {"currentReplicas": 2, "desiredReplicas": 2, "currentMetrics": current}
    assert S.table_row(obj, NOW) == ["web", "Deployment/web", targets, "1", 10, 2, "30s"]


def test_table_row_of_a_v1_object_is_the_same() -> None:
    obj = created(hpa(metrics=[MEMORY, CPU50]))
    assert S.table_row(to_v1(obj), NOW) == S.table_row(obj, NOW)
    del obj["spec"]["minReplicas"]
    assert S.table_row(obj, NOW)[3] == "<unset>"
    assert [c["name"] for c in S.table_columns()] == [
        "Name",
        "Reference",
        "Targets",
        "MinPods",
        "MaxPods",
        "Replicas",
        "Age",
    ]


# autoscaling/v1 <-> autoscaling/v2

CONDITION = {
    "type": "AbleToScale",
    "status": "True",
    "lastTransitionTime": "2026-01-01T00:01:00Z",
    "reason": "ReadyForNewScale",
    "message": "recommended size matches current size",
}


def stored(**spec: Any) -> dict[str, Any]:
    obj = created(hpa(**spec))
    obj["metadata"]["resourceVersion"] = "42"
    return obj


@pytest.mark.parametrize(
    "obj",
    [
        pytest.param(stored(), id="defaulted"),
        pytest.param(stored(metrics=[CPU50]), id="cpu-only"),
        pytest.param(stored(metrics=[MEMORY, CPU50]), id="cpu-last"),
        pytest.param(stored(metrics=[CPU50, MEMORY]), id="cpu-first"),
        pytest.param(
            stored(metrics=[CPU50, MEMORY, dict(CPU50, resource={**CPU50["resource"]})]), id="two-cpu"
        ),
        pytest.param(stored(metrics=[PODS, OBJECT, EXTERNAL]), id="no-cpu"),
        pytest.param(
            stored(
                metrics=[
                    {
                        "type": "Resource",
                        "resource": {
                            "name": "cpu",
                            "target": {"type": "AverageValue", "averageValue": "500m"},
                        },
                    }
                ]
            ),
            id="cpu-average-value",
        ),
        pytest.param(stored(behavior={"scaleUp": {"selectPolicy": "Disabled"}}), id="behavior"),
        pytest.param(hpa(metrics=[MEMORY]), id="not-yet-created"),
    ],
)
def test_v2_to_v1_to_v2_is_identical(obj: dict[str, Any]) -> None:
    status_variants = [
        None,
        {"desiredReplicas": 0},
        {
            "observedGeneration": 3,
            "lastScaleTime": "2026-01-01T00:05:00Z",
            "currentReplicas": 3,
            "desiredReplicas": 4,
            "currentMetrics": [
                {"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": 61}}}
            ],
            "conditions": [CONDITION],
        },
        {
            "currentReplicas": 1,
            "desiredReplicas": 1,
            "currentMetrics": [
                {
                    "type": "Resource",
                    "resource": {"name": "cpu", "current": {"averageUtilization": 5, "averageValue": "5m"}},
                },
                {"type": "Pods", "pods": {"metric": {"name": "x"}, "current": {"averageValue": "2"}}},
            ],
        },
    ]
    for status in status_variants:
        v2 = copy.deepcopy(obj)
        if status is None:
            v2.pop("status", None)
        else:
            v2["status"] = status
        v1 = to_v1(v2)
        assert v1["apiVersion"] == "autoscaling/v1"
        assert to_v2(v1) == v2


def test_v1_shape() -> None:
    obj = stored(metrics=[MEMORY, CPU50], behavior={"scaleDown": {"stabilizationWindowSeconds": 60}})
    obj["status"] = {
        "currentReplicas": 2,
        "desiredReplicas": 3,
        "currentMetrics": [
            {"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": 70}}}
        ],
        "conditions": [CONDITION],
    }
    v1 = to_v1(obj)
    assert v1["spec"] == {
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
        "minReplicas": 1,
        "maxReplicas": 10,
        "targetCPUUtilizationPercentage": 50,
    }
    assert v1["status"] == {"currentReplicas": 2, "desiredReplicas": 3, "currentCPUUtilizationPercentage": 70}
    notes = v1["metadata"]["annotations"]
    assert set(notes) == {METRICS, BEHAVIOR, CONDITIONS}
    # Kubernetes writes the other metrics in autoscaling/v1's MetricSpec form
    assert notes[METRICS] == '[{"type":"Resource","resource":{"name":"memory","targetAverageValue":"500Mi"}}]'
    assert orjson.loads(notes[BEHAVIOR])["ScaleDown"] == {
        "StabilizationWindowSeconds": 60,
        "SelectPolicy": "Max",
        "Policies": [{"Type": "Percent", "Value": 100, "PeriodSeconds": 15}],
        "Tolerance": None,
    }
    assert orjson.loads(notes[CONDITIONS]) == [CONDITION]


V1_OBJECTS = [
    pytest.param(
        {"targetCPUUtilizationPercentage": 50}, {"currentReplicas": 0, "desiredReplicas": 0}, {}, id="cpu"
    ),
    pytest.param(
        {"targetCPUUtilizationPercentage": 50},
        {
            "observedGeneration": 2,
            "lastScaleTime": "2026-01-01T00:05:00Z",
            "currentReplicas": 3,
            "desiredReplicas": 3,
            "currentCPUUtilizationPercentage": 40,
        },
        {"team": "a"},
        id="with-status",
    ),
    pytest.param(
        {"targetCPUUtilizationPercentage": 70},
        {"currentReplicas": 1, "desiredReplicas": 1},
        {
            METRICS: '[{"type":"Pods","pods":{"metricName":"qps","targetAverageValue":"10"}}]',
            CONDITIONS: orjson.dumps([CONDITION]).decode(),
        },
        id="with-annotations",
    ),
    pytest.param({}, {"currentReplicas": 0, "desiredReplicas": 0}, {}, id="no-cpu-target"),
]


@pytest.mark.parametrize(("spec", "status", "annotations"), V1_OBJECTS)
def test_v1_to_v2_to_v1_is_identical(
    spec: dict[str, Any], status: dict[str, Any], annotations: dict[str, str]
) -> None:
    v1: dict[str, Any] = {
        "apiVersion": "autoscaling/v1",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "web", "namespace": "default", "resourceVersion": "7"},
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
            "minReplicas": 1,
            "maxReplicas": 4,
            **spec,
        },
        "status": status,
    }
    if annotations:
        v1["metadata"]["annotations"] = annotations
    v2 = to_v2(v1)
    assert v2["apiVersion"] == "autoscaling/v2"
    assert all(key not in (v2["metadata"].get("annotations") or {}) for key in (METRICS, CONDITIONS))
    assert to_v1(v2) == v1


def test_v1_write_keeps_v2_only_fields_and_applies_the_new_cpu_target() -> None:
    original = stored(metrics=[CPU50, MEMORY], behavior={"scaleUp": {"stabilizationWindowSeconds": 10}})
    v1 = to_v1(original)
    v1["spec"]["targetCPUUtilizationPercentage"] = 65
    back = to_v2(v1)
    assert back["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"] == 65
    assert back["spec"]["metrics"][1] == MEMORY
    assert back["spec"]["behavior"] == original["spec"]["behavior"]
    del v1["spec"]["targetCPUUtilizationPercentage"]
    assert to_v2(v1)["spec"]["metrics"] == [MEMORY]


# What Kubernetes writes into the annotations of a v1 object, for every metric source.
K8S_METRICS = (
    '[{"type":"Object","object":{"target":{"kind":"Ingress","name":"main-route","apiVersion":"networking.k8s.io/v1"},'
    '"metricName":"requests-per-second","targetValue":"10k"}},'
    '{"type":"Object","object":{"target":{"kind":"Service","name":"api"},"metricName":"rps",'
    '"targetValue":"0","selector":{"matchLabels":{"a":"b"}},"averageValue":"50"}},'
    '{"type":"Pods","pods":{"metricName":"packets-per-second","targetAverageValue":"1k"}},'
    '{"type":"Resource","resource":{"name":"memory","targetAverageValue":"500Mi"}},'
    '{"type":"ContainerResource","containerResource":{"name":"cpu","targetAverageUtilization":60,'
    '"container":"app"}},'
    '{"type":"External","external":{"metricName":"queue_messages_ready",'
    '"metricSelector":{"matchLabels":{"queue":"worker_tasks"}},"targetAverageValue":"30"}}]'
)
K8S_CURRENT = (
    '[{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":61,"currentAverageValue":"610m"}},'
    '{"type":"External","external":{"metricName":"q","currentValue":"7"}}]'
)


def test_kubernetes_v1_metric_annotations_round_trip() -> None:
    v1 = {
        "apiVersion": "autoscaling/v1",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "web", "annotations": {METRICS: K8S_METRICS, CURRENT_METRICS: K8S_CURRENT}},
        "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web"}, "maxReplicas": 3},
        "status": {"currentReplicas": 1, "desiredReplicas": 1, "currentCPUUtilizationPercentage": 61},
    }
    v2 = to_v2(v1)
    assert v2["spec"]["metrics"] == [
        OBJECT,
        {
            "type": "Object",
            "object": {
                "describedObject": {"kind": "Service", "name": "api"},
                "metric": {"name": "rps", "selector": {"matchLabels": {"a": "b"}}},
                # Kubernetes keeps the zero targetValue that v1 requires
                "target": {"type": "AverageValue", "value": "0", "averageValue": "50"},
            },
        },
        PODS,
        MEMORY,
        {
            "type": "ContainerResource",
            "containerResource": {
                "name": "cpu",
                "container": "app",
                "target": {"type": "Utilization", "averageUtilization": 60},
            },
        },
        EXTERNAL,
    ]
    assert v2["status"]["currentMetrics"] == [
        {
            "type": "Resource",
            "resource": {"name": "cpu", "current": {"averageUtilization": 61, "averageValue": "610m"}},
        },
        {"type": "External", "external": {"metric": {"name": "q"}, "current": {"value": "7"}}},
    ]
    assert to_v1(v2) == v1  # written back byte for byte


def test_v2_shaped_metric_annotations_are_still_read() -> None:
    v1 = {
        "apiVersion": "autoscaling/v1",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "web", "annotations": {METRICS: orjson.dumps([PODS, OBJECT]).decode()}},
        "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web"}, "maxReplicas": 3},
    }
    assert to_v2(v1)["spec"]["metrics"] == [PODS, OBJECT]


def test_kubernetes_style_annotations_are_read() -> None:
    v1 = {
        "apiVersion": "autoscaling/v1",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {
            "name": "web",
            "annotations": {
                BEHAVIOR: '{"scaleUp":{"selectPolicy":"Min",'
                '"policies":[{"type":"Pods","value":2,"periodSeconds":60}]}}',
                CURRENT_METRICS: "[]",
            },
        },
        "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web"}, "maxReplicas": 3},
        "status": {"currentReplicas": 0, "desiredReplicas": 0},
    }
    v2 = to_v2(v1)
    assert v2["spec"]["behavior"] == {
        "scaleUp": {"selectPolicy": "Min", "policies": [{"type": "Pods", "value": 2, "periodSeconds": 60}]}
    }
    assert "annotations" not in v2["metadata"] and "currentMetrics" not in v2["status"]


@pytest.mark.parametrize(
    "annotations",
    [
        pytest.param({METRICS: "not json"}, id="bad-json"),
        pytest.param({METRICS: '{"type":"Pods"}'}, id="not-a-list"),
        pytest.param({METRICS: '[{"type":5}]'}, id="wrong-type"),
    ],
)
def test_bad_annotations_are_bad_requests(annotations: dict[str, str]) -> None:
    v1 = {"metadata": {"name": "web", "annotations": annotations}, "spec": {"maxReplicas": 1}}
    with pytest.raises(BadRequestError):
        to_v2(v1)
