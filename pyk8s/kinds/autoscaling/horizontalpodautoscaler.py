"""HorizontalPodAutoscaler: scales a workload to its observed load.

Stored as autoscaling/v2 and also served as autoscaling/v1 (see `conversion`): both versions
are views of the same objects.
"""

from __future__ import annotations

import copy
from typing import Any

from pyk8s.api.fields import FieldErrors, FieldPath, forbidden, invalid, not_supported, required
from pyk8s.api.quantity import Quantity, QuantityError
from pyk8s.api.resource import (
    AGE,
    NAME,
    Column,
    Obj,
    RequestContext,
    ResourceInfo,
    ResourceStrategy,
    Subresource,
    VersionView,
)
from pyk8s.api.table import age
from pyk8s.api.validation import dns1123_label, validate_nonnegative
from pyk8s.kinds.apps.workload import section
from pyk8s.kinds.autoscaling import types, types_v1
from pyk8s.kinds.autoscaling.conversion import V1, cpu_metric, drop_round_trip_annotations, to_v1, to_v2

RESOURCE = ResourceInfo(
    group="autoscaling",
    version="v2",
    kind="HorizontalPodAutoscaler",
    plural="horizontalpodautoscalers",
    singular="horizontalpodautoscaler",
    short_names=("hpa",),
    categories=("all",),
    subresources=(Subresource("status", ("get", "patch", "update")),),
)
RESOURCE_V1 = ResourceInfo(
    group="autoscaling",
    version="v1",
    kind="HorizontalPodAutoscaler",
    plural="horizontalpodautoscalers",
    singular="horizontalpodautoscaler",
    short_names=("hpa",),
    categories=("all",),
    subresources=(Subresource("status", ("get", "patch", "update")),),
)

DEFAULT_CPU_UTILIZATION = 80
SCALE_UP_DEFAULTS: Obj = {
    "stabilizationWindowSeconds": 0,
    "selectPolicy": "Max",
    "policies": [
        {"type": "Pods", "value": 4, "periodSeconds": 15},
        {"type": "Percent", "value": 100, "periodSeconds": 15},
    ],
}
# No default stabilization window for scaling down: the controller's flag decides it.
SCALE_DOWN_DEFAULTS: Obj = {
    "selectPolicy": "Max",
    "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}],
}
MAX_PERIOD_SECONDS = 1800
MAX_STABILIZATION_WINDOW_SECONDS = 3600
METRIC_TYPES = ["ContainerResource", "External", "Object", "Pods", "Resource"]
SOURCE_FIELDS = {
    "Object": "object",
    "Pods": "pods",
    "Resource": "resource",
    "External": "external",
    "ContainerResource": "containerResource",
}
SELECT_POLICIES = ["Disabled", "Max", "Min"]
POLICY_TYPES = ["Percent", "Pods"]
TARGET_TYPES = ("Utilization", "Value", "AverageValue")


def default_hpa(obj: Obj) -> None:
    """autoscaling/v2 defaults: one replica at least, a CPU target of 80%, and a complete
    behavior when one is given."""
    spec = obj.setdefault("spec", {})
    spec.setdefault("minReplicas", 1)
    if not spec.get("metrics"):
        spec["metrics"] = [cpu_metric(DEFAULT_CPU_UTILIZATION)]
    behavior = spec.get("behavior")
    if isinstance(behavior, dict):
        for key, defaults in (("scaleUp", SCALE_UP_DEFAULTS), ("scaleDown", SCALE_DOWN_DEFAULTS)):
            rules = behavior.get(key)
            filled = copy.deepcopy(defaults)
            if isinstance(rules, dict):
                filled.update({k: v for k, v in rules.items() if v is not None})
            order = ("stabilizationWindowSeconds", "selectPolicy", "policies", "tolerance")
            behavior[key] = {k: filled[k] for k in order if k in filled} | {
                k: v for k, v in filled.items() if k not in order
            }


# validation


def _path_segment(value: str) -> list[str]:
    """IsValidPathSegmentName: the name may be used as one segment of a URL path."""
    if value in (".", ".."):
        return [f"may not be '{value}'"]
    return [f"may not contain '{c}'" for c in ("/", "%") if c in value]


def _group_version_error(api_version: str, *, allow_empty_group: bool) -> str | None:
    """ValidateAPIVersion of a reference: a parsable group/version, with a group unless allowed."""
    if api_version.count("/") > 1:
        return f"unexpected GroupVersion string: {api_version}"
    group = api_version.split("/", 1)[0] if "/" in api_version else ""
    if not group and not allow_empty_group:
        return "apiVersion must specify API group"
    return None


def validate_reference(
    ref: Any, path: FieldPath, *, allow_empty_group: bool, allow_invalid_version: bool
) -> FieldErrors:
    """A CrossVersionObjectReference: kind and name, and an apiVersion naming a group."""
    ref = ref if isinstance(ref, dict) else {}
    errs: FieldErrors = []
    for key in ("kind", "name"):
        value = ref.get(key, "")
        if not value:
            errs.append(required(path.child(key)))
        for msg in _path_segment(value) if value else []:
            errs.append(invalid(path.child(key), value, msg))
    if not allow_invalid_version:
        api_version = ref.get("apiVersion", "")
        problem = _group_version_error(api_version, allow_empty_group=allow_empty_group)
        if problem is not None:
            errs.append(invalid(path.child("apiVersion"), api_version, problem))
    return errs


def _positive_quantity(value: Any) -> bool:
    try:
        return Quantity.parse(value).sign() == 1
    except (QuantityError, TypeError):
        return False


def _validate_target(target: Obj, path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    kind = target.get("type", "")
    if not kind:
        errs.append(required(path.child("type"), "must specify a metric target type"))
    if kind not in TARGET_TYPES:
        errs.append(invalid(path.child("type"), kind, "must be either Utilization, Value, or AverageValue"))
    for key in ("value", "averageValue"):
        if target.get(key) is not None and not _positive_quantity(target[key]):
            errs.append(invalid(path.child(key), target[key], "must be positive"))
    utilization = target.get("averageUtilization")
    if isinstance(utilization, int) and utilization < 1:
        errs.append(invalid(path.child("averageUtilization"), utilization, "must be greater than 0"))
    return errs


def _validate_identifier(identifier: Obj, path: FieldPath) -> FieldErrors:
    name = identifier.get("name", "")
    if not name:
        return [required(path.child("name"), "must specify a metric name")]
    return [invalid(path.child("name"), name, msg) for msg in _path_segment(name)]


def _validate_utilization_target(target: Obj, path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    if target.get("averageUtilization") is None and target.get("averageValue") is None:
        errs.append(
            required(
                path.child("averageUtilization"), "must set either a target raw value or a target utilization"
            )
        )
    if target.get("averageUtilization") is not None and target.get("averageValue") is not None:
        errs.append(
            forbidden(
                path.child("averageValue"), "may not set both a target raw value and a target utilization"
            )
        )
    return errs


def _validate_source(kind: str, source: Obj, path: FieldPath, *, object_refs: dict[str, bool]) -> FieldErrors:
    target = section(source, "target")
    tpath = path.child("target")
    errs: FieldErrors = []
    if kind == "object":
        errs += validate_reference(
            source.get("describedObject"), path.child("describedObject"), **object_refs
        )
        errs += _validate_identifier(section(source, "metric"), path.child("metric"))
        errs += _validate_target(target, tpath)
        if target.get("value") is None and target.get("averageValue") is None:
            errs.append(
                required(tpath.child("averageValue"), "must set either a target value or averageValue")
            )
    elif kind == "external":
        errs += _validate_identifier(section(source, "metric"), path.child("metric"))
        errs += _validate_target(target, tpath)
        if target.get("value") is None and target.get("averageValue") is None:
            errs.append(
                required(
                    tpath.child("averageValue"),
                    "must set either a target value for metric or a per-pod target",
                )
            )
        if target.get("value") is not None and target.get("averageValue") is not None:
            errs.append(
                forbidden(
                    tpath.child("value"), "may not set both a target value for metric and a per-pod target"
                )
            )
    elif kind == "pods":
        errs += _validate_identifier(section(source, "metric"), path.child("metric"))
        errs += _validate_target(target, tpath)
        if target.get("averageValue") is None:
            errs.append(required(tpath.child("averageValue"), "must specify a positive target averageValue"))
    elif kind == "resource":
        if not source.get("name"):
            errs.append(required(path.child("name"), "must specify a resource name"))
        errs += _validate_target(target, tpath)
        errs += _validate_utilization_target(target, tpath)
    elif kind == "containerResource":
        if not source.get("name"):
            errs.append(required(path.child("name"), "must specify a resource name"))
        container = source.get("container", "")
        if not container:
            errs.append(required(path.child("container"), "must specify a container"))
        else:
            errs += [invalid(path.child("container"), container, msg) for msg in dns1123_label(container)]
        errs += _validate_target(target, tpath)
        errs += _validate_utilization_target(target, tpath)
    return errs


def _validate_metric(metric: Any, path: FieldPath, *, object_refs: dict[str, bool]) -> FieldErrors:
    metric = metric if isinstance(metric, dict) else {}
    errs: FieldErrors = []
    kind = metric.get("type", "")
    if not kind:
        errs.append(required(path.child("type"), "must specify a metric source type"))
    if kind not in METRIC_TYPES:
        errs.append(not_supported(path.child("type"), kind, METRIC_TYPES))
    present = [
        key
        for key in ("object", "external", "pods", "resource", "containerResource")
        if metric.get(key) is not None
    ]
    if present:
        first = present[0]
        errs += _validate_source(first, metric[first], path.child(first), object_refs=object_refs)
    expected = SOURCE_FIELDS.get(kind)
    if expected is not None and metric.get(expected) is None:
        errs.append(required(path.child(expected), "must populate information for the given metric source"))
    if len(present) != 1:
        for key in present:
            if key != expected:
                errs.append(forbidden(path.child(key), "must populate the given metric source only"))
    return errs


def _validate_rules(rules: Any, path: FieldPath) -> FieldErrors:
    if not isinstance(rules, dict):
        return []
    errs: FieldErrors = []
    window = rules.get("stabilizationWindowSeconds")
    if isinstance(window, int):
        wpath = path.child("stabilizationWindowSeconds")
        if window < 0:
            errs.append(invalid(wpath, window, "must be greater than or equal to zero"))
        if window > MAX_STABILIZATION_WINDOW_SECONDS:
            errs.append(
                invalid(wpath, window, f"must be less than or equal to {MAX_STABILIZATION_WINDOW_SECONDS}")
            )
    select = rules.get("selectPolicy")
    if select is not None and select not in SELECT_POLICIES:
        errs.append(not_supported(path.child("selectPolicy"), select, SELECT_POLICIES))
    policies = rules.get("policies") or []
    ppath = path.child("policies")
    if not policies:
        errs.append(required(ppath, "must specify at least one Policy"))
    for i, policy in enumerate(policies):
        policy = policy if isinstance(policy, dict) else {}
        ipath = ppath.index(i)
        if policy.get("type") not in POLICY_TYPES:
            errs.append(not_supported(ipath.child("type"), policy.get("type", ""), POLICY_TYPES))
        value, period = policy.get("value", 0), policy.get("periodSeconds", 0)
        if value <= 0:
            errs.append(invalid(ipath.child("value"), value, "must be greater than zero"))
        if period <= 0:
            errs.append(invalid(ipath.child("periodSeconds"), period, "must be greater than zero"))
        if period > MAX_PERIOD_SECONDS:
            errs.append(
                invalid(
                    ipath.child("periodSeconds"),
                    period,
                    f"must be less than or equal to {MAX_PERIOD_SECONDS}",
                )
            )
    tolerance = rules.get("tolerance")
    if tolerance is not None:
        try:
            negative = Quantity.parse(tolerance).sign() < 0
        except QuantityError:
            negative = False
        if negative:
            errs.append(invalid(path.child("tolerance"), tolerance, "must be greater than or equal to zero"))
    return errs


def validate_hpa_spec(spec: Obj, path: FieldPath, old_spec: Obj | None = None) -> FieldErrors:
    errs: FieldErrors = []
    old_min = (old_spec or {}).get("minReplicas")
    lowest = 0 if old_min == 0 else 1
    minimum, maximum = spec.get("minReplicas"), spec.get("maxReplicas", 0)
    if isinstance(minimum, int) and minimum < lowest:
        errs.append(invalid(path.child("minReplicas"), minimum, f"must be greater than or equal to {lowest}"))
    if maximum < 1:
        errs.append(invalid(path.child("maxReplicas"), maximum, "must be greater than 0"))
    if isinstance(minimum, int) and maximum < minimum:
        errs.append(
            invalid(path.child("maxReplicas"), maximum, "must be greater than or equal to `minReplicas`")
        )
    ref, old_ref = section(spec, "scaleTargetRef"), section(old_spec, "scaleTargetRef")
    unchanged = old_spec is not None and all(ref.get(k) == old_ref.get(k) for k in ("apiVersion", "kind"))
    errs += validate_reference(
        ref,
        path.child("scaleTargetRef"),
        allow_empty_group=ref.get("kind") == "ReplicationController",
        allow_invalid_version=unchanged,
    )
    object_refs = {"allow_empty_group": True, "allow_invalid_version": _old_object_metrics_invalid(old_spec)}
    metrics = spec.get("metrics") or []
    mpath = path.child("metrics")
    for i, metric in enumerate(metrics):
        errs += _validate_metric(metric, mpath.index(i), object_refs=object_refs)
    if minimum == 0 and not any((m or {}).get("type") in ("Object", "External") for m in metrics):
        errs.append(
            forbidden(
                mpath,
                "must specify at least one Object or External metric to support scaling to zero replicas",
            )
        )
    behavior = spec.get("behavior")
    if isinstance(behavior, dict):
        bpath = path.child("behavior")
        errs += _validate_rules(behavior.get("scaleUp"), bpath.child("scaleUp"))
        errs += _validate_rules(behavior.get("scaleDown"), bpath.child("scaleDown"))
    return errs


def _old_object_metrics_invalid(old_spec: Obj | None) -> bool:
    """Object metrics that were stored with a bad apiVersion stay updatable."""
    for metric in (old_spec or {}).get("metrics") or []:
        if (metric or {}).get("type") == "Object" and isinstance((metric or {}).get("object"), dict):
            described = section(metric["object"], "describedObject")
            if _group_version_error(described.get("apiVersion", ""), allow_empty_group=True):
                return True
    return False


# kubectl get


def _quantity_text(value: Any) -> str:
    if value is None:
        return "<nil>"
    try:
        return str(Quantity.parse(value))
    except (QuantityError, TypeError):
        return str(value)


def _metric_text(spec: Obj, status: Obj | None) -> str:
    kind = spec.get("type")
    status = status or {}
    if kind == "External":
        source, current = section(spec, "external"), status.get("external")
        target = section(source, "target")
        if target.get("averageValue") is not None:
            now = "<unknown>"
            if isinstance(current, dict) and section(current, "current").get("averageValue") is not None:
                now = _quantity_text(current["current"]["averageValue"])
            return f"{now}/{_quantity_text(target['averageValue'])} (avg)"
        now = (
            _quantity_text(section(current, "current").get("value"))
            if isinstance(current, dict)
            else "<unknown>"
        )
        return f"{now}/{_quantity_text(target.get('value'))}"
    if kind == "Pods":
        source, current = section(spec, "pods"), status.get("pods")
        now = (
            _quantity_text(section(current, "current").get("averageValue"))
            if isinstance(current, dict)
            else "<unknown>"
        )
        return f"{now}/{_quantity_text(section(source, 'target').get('averageValue'))}"
    if kind == "Object":
        source, current = section(spec, "object"), status.get("object")
        target = section(source, "target")
        if target.get("averageValue") is not None:
            now = "<unknown>"
            if isinstance(current, dict) and section(current, "current").get("averageValue") is not None:
                now = _quantity_text(current["current"]["averageValue"])
            return f"{now}/{_quantity_text(target['averageValue'])} (avg)"
        now = (
            _quantity_text(section(current, "current").get("value"))
            if isinstance(current, dict)
            else "<unknown>"
        )
        return f"{now}/{_quantity_text(target.get('value'))}"
    if kind in ("Resource", "ContainerResource"):
        key = "resource" if kind == "Resource" else "containerResource"
        source, current = section(spec, key), status.get(key)
        target = section(source, "target")
        name = source.get("name", "")
        if target.get("averageValue") is not None:
            now = (
                _quantity_text(section(current, "current").get("averageValue"))
                if isinstance(current, dict)
                else "<unknown>"
            )
            return f"{name}: {now}/{_quantity_text(target['averageValue'])}"
        now = "<unknown>"
        if isinstance(current, dict) and section(current, "current").get("averageUtilization") is not None:
            now = f"{current['current']['averageUtilization']}%"
        wanted = "<auto>"
        if target.get("averageUtilization") is not None:
            wanted = f"{target['averageUtilization']}%"
        return f"{name}: {now}/{wanted}"
    return "<unknown type>"


def format_metrics(specs: list[Any], statuses: list[Any]) -> str:
    """The Targets column (formatHPAMetrics): the first two metrics, then `+ N more...`."""
    if not specs:
        return "<none>"
    texts = [
        _metric_text(spec if isinstance(spec, dict) else {}, statuses[i] if i < len(statuses) else None)
        for i, spec in enumerate(specs)
    ]
    if len(texts) > 2:
        return ", ".join(texts[:2]) + f" + {len(texts) - 2} more..."
    return ", ".join(texts)


class HorizontalPodAutoscalerStrategy(ResourceStrategy):
    status_metadata = ("labels", "annotations")  # its status strategy resets only the spec
    info = RESOURCE
    schema = types.HorizontalPodAutoscaler
    versions = (VersionView(RESOURCE_V1, types_v1.HorizontalPodAutoscaler, to_v2, to_v1),)
    columns = (
        NAME,
        Column("Reference", description="The workload being scaled."),
        Column("Targets", description="Current and target values of the metrics."),
        Column("MinPods", description="The fewest replicas the autoscaler scales down to."),
        Column("MaxPods", description="The most replicas the autoscaler scales up to."),
        Column("Replicas", description="The replicas the workload has now."),
        AGE,
    )

    def default(self, obj: Obj) -> None:
        default_hpa(obj)

    def prepare_for_create(self, ctx: RequestContext, obj: Obj) -> None:
        super().prepare_for_create(ctx, obj)
        obj["status"] = {"desiredReplicas": 0}
        drop_round_trip_annotations(obj.setdefault("metadata", {}))

    def prepare_for_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> None:
        super().prepare_for_update(ctx, obj, old)
        drop_round_trip_annotations(obj.setdefault("metadata", {}))

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        return validate_hpa_spec(section(obj, "spec"), FieldPath("spec"))

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        return validate_hpa_spec(section(obj, "spec"), FieldPath("spec"), section(old, "spec"))

    def validate_status_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        status, path = section(obj, "status"), FieldPath("status")
        errs = validate_nonnegative(status.get("currentReplicas"), path.child("currentReplicas"))
        errs += validate_nonnegative(status.get("desiredReplicas"), path.child("desiredReplicas"))
        return errs

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        if obj.get("apiVersion") == V1:
            obj = to_v2(obj)  # rows are computed from the stored form
        spec, status = section(obj, "spec"), section(obj, "status")
        ref = section(spec, "scaleTargetRef")
        minimum = spec.get("minReplicas")
        return [
            obj["metadata"].get("name", ""),
            f"{ref.get('kind', '')}/{ref.get('name', '')}",
            format_metrics(spec.get("metrics") or [], status.get("currentMetrics") or []),
            "<unset>" if minimum is None else str(minimum),
            int(spec.get("maxReplicas") or 0),
            int(status.get("currentReplicas") or 0),
            age(obj, now),
        ]
