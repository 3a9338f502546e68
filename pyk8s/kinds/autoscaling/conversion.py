"""HorizontalPodAutoscaler between autoscaling/v1 and the stored autoscaling/v2, losslessly.

autoscaling/v1 knows one metric (a CPU utilization target) and no behavior or conditions. As
kube-apiserver does, what v1 cannot say travels in annotations of the v1 object and is lifted
back out when a v1 object is written:

* `autoscaling.alpha.kubernetes.io/metrics`: the v2 metrics other than the CPU target;
* `autoscaling.alpha.kubernetes.io/current-metrics`: `status.currentMetrics`;

  both in autoscaling/v1's own MetricSpec and MetricStatus forms (`{"name": "memory",
  "targetAverageValue": "400Mi"}`, the v2beta1 shapes), as Kubernetes writes them, so a v1
  object read from either server can be written to the other (the v2 forms are read too);
* `autoscaling.alpha.kubernetes.io/behavior`: `spec.behavior` (in the apiserver's internal
  spelling, `{"ScaleUp": {"StabilizationWindowSeconds": ...}}`, which other clients read);
* `autoscaling.alpha.kubernetes.io/conditions`: `status.conditions`.

Where Kubernetes would reorder or drop something, the conversion keeps it, so that reading an
object in one version and writing it back in the other changes nothing:

* the CPU target comes back at its place in the metrics list (Kubernetes appends it): when it
  is not the last metric, the metrics annotation carries the whole list and the v1 target
  replaces the first CPU utilization metric in it;
* `current-metrics` is only written when `currentCPUUtilizationPercentage` cannot say it all.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import orjson

from pyk8s.api import errors
from pyk8s.api.schema import DecodeError, decode
from pyk8s.kinds.autoscaling import types

Obj = dict[str, Any]

METRICS = "autoscaling.alpha.kubernetes.io/metrics"
CURRENT_METRICS = "autoscaling.alpha.kubernetes.io/current-metrics"
BEHAVIOR = "autoscaling.alpha.kubernetes.io/behavior"
CONDITIONS = "autoscaling.alpha.kubernetes.io/conditions"
ROUND_TRIP = (METRICS, CURRENT_METRICS, BEHAVIOR, CONDITIONS)

V1 = "autoscaling/v1"
V2 = "autoscaling/v2"


def cpu_metric(utilization: int) -> Obj:
    """The v2 form of a v1 `targetCPUUtilizationPercentage`."""
    return {
        "type": "Resource",
        "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": utilization}},
    }


def _cpu_target(metric: Any) -> int | None:
    """The utilization of a metric that v1's target says exactly, else None."""
    if metric == cpu_metric(_utilization(metric)):
        return _utilization(metric)
    return None


def _utilization(metric: Any) -> Any:
    if not isinstance(metric, dict):
        return None
    target = ((metric.get("resource") or {}).get("target")) or {}
    return target.get("averageUtilization") if isinstance(target, dict) else None


def _cpu_status(utilization: int) -> Obj:
    return {"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": utilization}}}


def drop_round_trip_annotations(meta: Obj) -> None:
    annotations = meta.get("annotations")
    if not isinstance(annotations, dict):
        return
    for key in ROUND_TRIP:
        annotations.pop(key, None)
    if not annotations:
        meta.pop("annotations", None)


# v2 -> v1


def to_v1(obj: Obj) -> Obj:
    """A stored (autoscaling/v2) HorizontalPodAutoscaler as autoscaling/v1 serves it."""
    out: Obj = {}
    for key, value in obj.items():
        if key in ("spec", "status"):
            continue
        out[key] = copy.deepcopy(value)
    if "apiVersion" in obj:
        out["apiVersion"] = V1
    meta = out.get("metadata")
    if isinstance(meta, dict):
        drop_round_trip_annotations(meta)
    notes: dict[str, str] = {}
    if "spec" in obj:
        out["spec"] = _spec_to_v1(obj.get("spec") or {}, notes)
    if "status" in obj:
        out["status"] = _status_to_v1(obj.get("status") or {}, notes)
    if notes:
        annotations = out.setdefault("metadata", {}).setdefault("annotations", {})
        for key in ROUND_TRIP:
            if key in notes:
                annotations[key] = notes[key]
    return out


def _spec_to_v1(spec: Obj, notes: dict[str, str]) -> Obj:
    out: Obj = {}
    if "scaleTargetRef" in spec:
        out["scaleTargetRef"] = copy.deepcopy(spec["scaleTargetRef"])
    if "minReplicas" in spec:
        out["minReplicas"] = spec["minReplicas"]
    if "maxReplicas" in spec:
        out["maxReplicas"] = spec["maxReplicas"]
    metrics = spec.get("metrics") or []
    first_cpu = next((i for i, m in enumerate(metrics) if _cpu_target(m) is not None), None)
    others = metrics
    if first_cpu is not None:
        out["targetCPUUtilizationPercentage"] = _cpu_target(metrics[first_cpu])
        if first_cpu == len(metrics) - 1:
            others = metrics[:first_cpu]
        # otherwise the whole list travels, keeping the CPU target's place
    if others:
        notes[METRICS] = _json([_ordered(_metric_to_v1(m), "MetricSpec") for m in others])
    if spec.get("behavior") is not None:
        notes[BEHAVIOR] = _json(_behavior_to_internal(spec["behavior"]))
    return out


def _status_to_v1(status: Obj, notes: dict[str, str]) -> Obj:
    out: Obj = {}
    if "observedGeneration" in status:
        out["observedGeneration"] = status["observedGeneration"]
    if "lastScaleTime" in status:
        out["lastScaleTime"] = status["lastScaleTime"]
    out["currentReplicas"] = status.get("currentReplicas", 0)
    out["desiredReplicas"] = status.get("desiredReplicas", 0)
    current = status.get("currentMetrics") or []
    cpu: Any = None
    for metric in current:
        resource = (metric or {}).get("resource") or {}
        if (metric or {}).get("type") == "Resource" and resource.get("name") == "cpu":
            value = (resource.get("current") or {}).get("averageUtilization")
            if value is not None:
                cpu = value
    if cpu is not None:
        out["currentCPUUtilizationPercentage"] = cpu
    if current and current != [_cpu_status(cpu)]:
        notes[CURRENT_METRICS] = _json(
            [_ordered(_metric_to_v1(m, status=True), "MetricStatus") for m in current]
        )
    conditions = status.get("conditions") or []
    if conditions:
        notes[CONDITIONS] = _json([_ordered(c, "Condition") for c in conditions])
    return out


# v1 -> v2


def to_v2(obj: Obj) -> Obj:
    """An autoscaling/v1 HorizontalPodAutoscaler in the stored autoscaling/v2 form."""
    out: Obj = {}
    for key, value in obj.items():
        if key in ("spec", "status"):
            continue
        out[key] = copy.deepcopy(value)
    if "apiVersion" in obj:
        out["apiVersion"] = V2
    meta = out.get("metadata") if isinstance(out.get("metadata"), dict) else {}
    annotations = meta.get("annotations") if isinstance(meta.get("annotations"), dict) else {}
    if "spec" in obj:
        out["spec"] = _spec_to_v2(obj.get("spec") or {}, annotations)
    if "status" in obj:
        out["status"] = _status_to_v2(obj.get("status") or {}, annotations)
    drop_round_trip_annotations(meta)
    return out


def _spec_to_v2(spec: Obj, annotations: Obj) -> Obj:
    out: Obj = {}
    if "scaleTargetRef" in spec:
        out["scaleTargetRef"] = copy.deepcopy(spec["scaleTargetRef"])
    if "minReplicas" in spec:
        out["minReplicas"] = spec["minReplicas"]
    if "maxReplicas" in spec:
        out["maxReplicas"] = spec["maxReplicas"]
    metrics: list[Any] = []
    if METRICS in annotations:
        metrics = _decoded_list(annotations[METRICS], "metrics", METRICS, convert=_metric_from_v1)
    target = spec.get("targetCPUUtilizationPercentage")
    first_cpu = next((i for i, m in enumerate(metrics) if _cpu_target(m) is not None), None)
    if first_cpu is not None:
        if target is None:
            del metrics[first_cpu]
        else:
            metrics[first_cpu] = cpu_metric(target)
    elif target is not None:
        metrics.append(cpu_metric(target))
    if metrics:
        out["metrics"] = metrics
    if BEHAVIOR in annotations:
        behavior = _behavior_from_internal(_loads(annotations[BEHAVIOR], BEHAVIOR))
        if behavior is not None:
            out["behavior"] = behavior
    return out


def _status_to_v2(status: Obj, annotations: Obj) -> Obj:
    out: Obj = {}
    if "observedGeneration" in status:
        out["observedGeneration"] = status["observedGeneration"]
    if "lastScaleTime" in status:
        out["lastScaleTime"] = status["lastScaleTime"]
    if status.get("currentReplicas"):
        out["currentReplicas"] = status["currentReplicas"]
    out["desiredReplicas"] = status.get("desiredReplicas", 0)
    if CURRENT_METRICS in annotations:
        current = _decoded_list(
            annotations[CURRENT_METRICS],
            "currentMetrics",
            CURRENT_METRICS,
            status=True,
            convert=lambda m: _metric_from_v1(m, status=True),
        )
        if current:
            out["currentMetrics"] = current
    elif status.get("currentCPUUtilizationPercentage") is not None:
        out["currentMetrics"] = [_cpu_status(status["currentCPUUtilizationPercentage"])]
    if CONDITIONS in annotations:
        conditions = _decoded_list(annotations[CONDITIONS], "conditions", CONDITIONS, status=True)
        if conditions:
            out["conditions"] = conditions
    return out


def _loads(text: Any, annotation: str) -> Any:
    try:
        return orjson.loads(text if isinstance(text, str) else "")
    except orjson.JSONDecodeError as err:
        raise errors.BadRequestError(f"annotation {annotation} is not valid JSON: {err}") from None


def _decoded_list(
    text: Any,
    field: str,
    annotation: str,
    *,
    status: bool = False,
    convert: Callable[[Any], Any] | None = None,
) -> list[Any]:
    """A list kept in an annotation, checked and normalised against the v2 schema."""
    value = _loads(text, annotation)
    if value is None:
        return []
    if not isinstance(value, list):
        raise errors.BadRequestError(f"annotation {annotation} must hold a JSON list")
    if convert is not None:
        value = [convert(item) for item in value]
    holder = {"status": {field: value, "desiredReplicas": 0}} if status else {"spec": {field: value}}
    try:
        decode(holder, types.HorizontalPodAutoscaler)
    except DecodeError as err:
        raise errors.BadRequestError(f"annotation {annotation}: {err}") from None
    return list(holder["status" if status else "spec"].get(field) or [])


# metrics in autoscaling/v1's forms (Kubernetes' conversion functions in pkg/apis/autoscaling/v1).
# Quantities Kubernetes always writes (`targetValue` of an object metric, the `current*Value`s
# of a status) are written only when the v2 metric has them and read only when present, so
# nothing is added on the way through; a missing one reads as Go's zero would otherwise.

_SOURCES = ("object", "pods", "resource", "containerResource", "external")


def _metric_to_v1(metric: Any, *, status: bool = False) -> Any:
    """A v2 MetricSpec (or MetricStatus) as autoscaling/v1's MetricSpec (MetricStatus)."""
    if not isinstance(metric, dict):
        return metric
    out: Obj = {key: value for key, value in metric.items() if key not in _SOURCES}
    for key in _SOURCES:
        source = metric.get(key)
        if isinstance(source, dict):
            out[key] = _source_to_v1(key, source, status)
        elif key in metric:
            out[key] = source
    return out


def _source_to_v1(key: str, source: Obj, status: bool) -> Obj:
    values = source.get("current" if status else "target")
    values = values if isinstance(values, dict) else {}
    ident = source.get("metric") if isinstance(source.get("metric"), dict) else {}
    prefix = "current" if status else "target"
    out: Obj = {}
    if key in ("resource", "containerResource"):
        out["name"] = source.get("name", "")
        if values.get("averageUtilization") is not None:
            out[prefix + "AverageUtilization"] = values["averageUtilization"]
        if values.get("averageValue") is not None:
            out[prefix + "AverageValue"] = values["averageValue"]
        if key == "containerResource":
            out["container"] = source.get("container", "")
        return out
    out["metricName"] = ident.get("name", "")
    selector = ident.get("selector")
    if key == "pods":
        if values.get("averageValue") is not None:
            out[prefix + "AverageValue"] = values["averageValue"]
        if selector is not None:
            out["selector"] = selector
    elif key == "object":
        out["target"] = source.get("describedObject") or {}
        if values.get("value") is not None:
            out[prefix + "Value"] = values["value"]
        if selector is not None:
            out["selector"] = selector
        if values.get("averageValue") is not None:
            out["averageValue"] = values["averageValue"]
    else:  # external
        if selector is not None:
            out["metricSelector"] = selector
        if values.get("value") is not None:
            out[prefix + "Value"] = values["value"]
        if values.get("averageValue") is not None:
            out[prefix + "AverageValue"] = values["averageValue"]
    return out


def _is_v2_source(source: Obj) -> bool:
    """Whether a metric source in an annotation is written in v2's form (pyk8s wrote those)."""
    target = source.get("target")
    return (
        "metric" in source
        or "describedObject" in source
        or "current" in source
        or (isinstance(target, dict) and "type" in target)
    )


def _metric_from_v1(metric: Any, *, status: bool = False) -> Any:
    """An autoscaling/v1 MetricSpec (MetricStatus) in v2's form; v2 forms pass through."""
    if not isinstance(metric, dict):
        return metric
    out: Obj = {key: value for key, value in metric.items() if key not in _SOURCES}
    for key in _SOURCES:
        source = metric.get(key)
        if isinstance(source, dict) and not _is_v2_source(source):
            out[key] = _source_from_v1(key, source, status)
        elif key in metric:
            out[key] = source
    return out


def _source_from_v1(key: str, source: Obj, status: bool) -> Obj:
    prefix = "current" if status else "target"
    values: Obj = {}
    out: Obj = {}
    if key in ("resource", "containerResource"):
        out["name"] = source.get("name", "")
        utilization = source.get(prefix + "AverageUtilization")
        if utilization is not None:
            values["averageUtilization"] = utilization
        if source.get(prefix + "AverageValue") is not None:
            values["averageValue"] = source[prefix + "AverageValue"]
        if not status:
            values["type"] = "AverageValue" if utilization is None else "Utilization"
        if key == "containerResource":
            out["container"] = source.get("container", "")
    elif key == "pods":
        out["metric"] = _identifier(source.get("metricName"), source.get("selector"))
        if source.get(prefix + "AverageValue") is not None:
            values["averageValue"] = source[prefix + "AverageValue"]
        if not status:
            values["type"] = "AverageValue"
    elif key == "object":
        out["describedObject"] = source.get("target") or {}
        out["metric"] = _identifier(source.get("metricName"), source.get("selector"))
        average = source.get("averageValue")
        value = source.get(prefix + "Value")
        if value is not None:
            values["value"] = value
        if average is not None:
            values["averageValue"] = average
        if not status:
            values["type"] = "Value" if average is None else "AverageValue"
    else:  # external
        out["metric"] = _identifier(source.get("metricName"), source.get("metricSelector"))
        value = source.get(prefix + "Value")
        if value is not None:
            values["value"] = value
        if source.get(prefix + "AverageValue") is not None:
            values["averageValue"] = source[prefix + "AverageValue"]
        if not status:
            values["type"] = "AverageValue" if value is None else "Value"
    out["current" if status else "target"] = values
    return out


def _identifier(name: Any, selector: Any) -> Obj:
    out: Obj = {"name": name if name is not None else ""}
    if selector is not None:
        out["selector"] = selector
    return out


# behavior in the apiserver's internal spelling

_RULES = (
    ("StabilizationWindowSeconds", "stabilizationWindowSeconds"),
    ("SelectPolicy", "selectPolicy"),
    ("Policies", "policies"),
    ("Tolerance", "tolerance"),
)
_POLICY = (("Type", "type"), ("Value", "value"), ("PeriodSeconds", "periodSeconds"))


def _behavior_to_internal(behavior: Obj) -> Obj:
    return {
        "ScaleUp": _rules_to_internal(behavior.get("scaleUp")),
        "ScaleDown": _rules_to_internal(behavior.get("scaleDown")),
    }


def _rules_to_internal(rules: Any) -> Any:
    if not isinstance(rules, dict):
        return None
    out: Obj = {}
    for internal, external in _RULES:
        value = rules.get(external)
        if external == "policies" and isinstance(value, list):
            value = [{i: (p or {}).get(e, 0 if i != "Type" else "") for i, e in _POLICY} for p in value]
        out[internal] = value
    return out


def _fold(obj: Any) -> dict[str, Any]:
    """Keys matched without regard to case, as Go's JSON decoder matches struct fields."""
    return {str(k).lower(): v for k, v in obj.items()} if isinstance(obj, dict) else {}


def _behavior_from_internal(value: Any) -> Obj | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise errors.BadRequestError(f"annotation {BEHAVIOR} must hold a JSON object")
    folded = _fold(value)
    out: Obj = {}
    for internal, external in (("scaleup", "scaleUp"), ("scaledown", "scaleDown")):
        rules = folded.get(internal)
        if isinstance(rules, dict):
            out[external] = _rules_from_internal(rules)
    holder = {"spec": {"behavior": out}}
    try:
        decode(holder, types.HorizontalPodAutoscaler)
    except DecodeError as err:
        raise errors.BadRequestError(f"annotation {BEHAVIOR}: {err}") from None
    return holder["spec"]["behavior"]


def _rules_from_internal(rules: Obj) -> Obj:
    folded = _fold(rules)
    out: Obj = {}
    for internal, external in _RULES:
        value = folded.get(internal.lower())
        if value is None:
            continue
        if external == "policies" and isinstance(value, list):
            value = [
                {e: _fold(p).get(i.lower()) for i, e in _POLICY if _fold(p).get(i.lower()) is not None}
                for p in value
            ]
        out[external] = value
    return out


# JSON as Go's encoder writes these structs: fields in declaration order, no spaces, and
# `<`, `>`, `&` escaped.

_ORDER: dict[str, tuple[tuple[str, str | None], ...]] = {
    "MetricSpec": (
        ("type", None),
        ("object", "ObjectMetricSource"),
        ("pods", "PodsMetricSource"),
        ("resource", "ResourceMetricSource"),
        ("containerResource", "ContainerResourceMetricSource"),
        ("external", "ExternalMetricSource"),
    ),
    # autoscaling/v1's metric sources and statuses
    "ObjectMetricSource": (
        ("target", "CrossVersionObjectReference"),
        ("metricName", None),
        ("targetValue", None),
        ("selector", "LabelSelector"),
        ("averageValue", None),
    ),
    "PodsMetricSource": (("metricName", None), ("targetAverageValue", None), ("selector", "LabelSelector")),
    "ResourceMetricSource": (
        ("name", None),
        ("targetAverageUtilization", None),
        ("targetAverageValue", None),
    ),
    "ContainerResourceMetricSource": (
        ("name", None),
        ("targetAverageUtilization", None),
        ("targetAverageValue", None),
        ("container", None),
    ),
    "ExternalMetricSource": (
        ("metricName", None),
        ("metricSelector", "LabelSelector"),
        ("targetValue", None),
        ("targetAverageValue", None),
    ),
    "LabelSelector": (("matchLabels", None), ("matchExpressions", "LabelSelectorRequirement")),
    "LabelSelectorRequirement": (("key", None), ("operator", None), ("values", None)),
    "CrossVersionObjectReference": (("kind", None), ("name", None), ("apiVersion", None)),
    "MetricStatus": (
        ("type", None),
        ("object", "ObjectMetricStatus"),
        ("pods", "PodsMetricStatus"),
        ("resource", "ResourceMetricStatus"),
        ("containerResource", "ContainerResourceMetricStatus"),
        ("external", "ExternalMetricStatus"),
    ),
    "ObjectMetricStatus": (
        ("target", "CrossVersionObjectReference"),
        ("metricName", None),
        ("currentValue", None),
        ("selector", "LabelSelector"),
        ("averageValue", None),
    ),
    "PodsMetricStatus": (("metricName", None), ("currentAverageValue", None), ("selector", "LabelSelector")),
    "ResourceMetricStatus": (
        ("name", None),
        ("currentAverageUtilization", None),
        ("currentAverageValue", None),
    ),
    "ContainerResourceMetricStatus": (
        ("name", None),
        ("currentAverageUtilization", None),
        ("currentAverageValue", None),
        ("container", None),
    ),
    "ExternalMetricStatus": (
        ("metricName", None),
        ("metricSelector", "LabelSelector"),
        ("currentValue", None),
        ("currentAverageValue", None),
    ),
    "Condition": (
        ("type", None),
        ("status", None),
        ("lastTransitionTime", None),
        ("reason", None),
        ("message", None),
    ),
}


def _ordered(value: Any, kind: str | None) -> Any:
    if kind is None:
        if isinstance(value, dict):
            return {k: value[k] for k in sorted(value)}  # maps: Go sorts their keys
        return value
    if isinstance(value, list):
        return [_ordered(v, kind) for v in value]
    if not isinstance(value, dict):
        return value
    fields = _ORDER[kind]
    known = {name for name, _ in fields}
    out = {name: _ordered(value[name], sub) for name, sub in fields if name in value}
    for key in value:
        if key not in known:
            out[key] = value[key]
    return out


def _json(value: Any) -> str:
    text = orjson.dumps(value).decode()
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
