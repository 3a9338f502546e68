"""API schemas compiled to the type model of structured-merge-diff.

SMD sees every value as one of three things, and the schema says how it merges:

    LEAF   scalars, and anything atomic: lists without a list type, atomic maps and
           structs, RawExtension, int-or-string, quantities; replaced as a whole
    GMAP   a granular map: a struct (named fields), a map (additionalProperties), or a
           "deduced" value (untyped, preserve-unknown) whose keys merge one by one
    LSET   a list of scalars merged as a set (`x-kubernetes-list-type: set`)
    LMAP   a list of objects merged by key fields (`list-type: map` + `list-map-keys`)

This follows kube-openapi's conversion (`schemaconv`): `x-kubernetes-map-type` on a type or
on a field, the patch-strategy fallback for lists without a list type, untyped values
deduced from the value itself (maps granular, lists atomic). Plans are compiled once per
schema node and shared, as walks over objects run on every write.
"""

from __future__ import annotations

from typing import Any

from pyk8s.api.schema import Schema

LEAF, GMAP, LSET, LMAP = range(4)

_RAW_EXTENSION = "io.k8s.apimachinery.pkg.runtime.RawExtension"
EMPTY_STRUCT: dict[str, Any] = {}  # the zero value of a Go struct field; never mutated


class Plan:
    """How values of one schema node merge (see the module docstring)."""

    __slots__ = ("elem", "fields", "item", "key_defaults", "keys", "kind", "strict", "zero", "zeros")

    def __init__(self, kind: int) -> None:
        self.kind = kind
        self.fields: dict[str, Plan] = {}  # GMAP: named fields
        self.elem: Plan | None = None  # GMAP: keys that are not fields (None: not allowed)
        self.strict = False  # GMAP: unknown keys are an error in an applied configuration
        # GMAP: fields a Go object always has, as (name, zero value): value structs ({})
        # and non-omitempty lists, maps and pointers (null). Compared objects are typed Go
        # objects in Kubernetes, so a missing one is not "absent" there.
        self.zero: tuple[tuple[str, Any], ...] = ()
        self.zeros: dict[str, Any] = {}  # `zero` as a mapping
        self.item: Plan | None = None  # LSET/LMAP: the items
        self.keys: tuple[str, ...] = ()  # LMAP
        self.key_defaults: dict[str, Any] = {}  # LMAP: schema defaults of key fields

    def __repr__(self) -> str:
        return f"Plan({('LEAF', 'GMAP', 'LSET', 'LMAP')[self.kind]})"


LEAF_PLAN = Plan(LEAF)
DEDUCED = Plan(GMAP)
DEDUCED.elem = DEDUCED  # keys of untyped maps are untyped too; untyped lists are atomic

# Keyed by node identity; each entry keeps its node alive, so an id is never reused.
_PLANS: dict[tuple[int, str, bool], tuple[Schema, Plan]] = {}


def plan_for(node: Schema) -> Plan:
    """The plan of a kind's (or any node's) schema."""
    return _compile(node, False)


def _compile(node: Schema, preserve: bool) -> Plan:
    override = node.struct_type or node.map_type if node.ref is not None else ""
    target = node.target
    key = (id(target), override, preserve)
    cached = _PLANS.get(key)
    if cached is not None:
        return cached[1]
    plan = _build(target, override, preserve or target.preserve_unknown)
    _PLANS[key] = (target, plan)
    return plan


def _build(target: Schema, override: str, preserve: bool) -> Plan:
    if target.name == _RAW_EXTENSION or target.int_or_string or target.format == "quantity":
        return LEAF_PLAN
    if target.type == "object":
        relationship = override or target.struct_type or target.map_type
        if relationship == "atomic":
            return LEAF_PLAN
        if not target.properties and target.additional is None:
            return DEDUCED
        plan = Plan(GMAP)
        _PLANS[(id(target), override, preserve)] = (target, plan)  # before the fields: types recurse
        plan.fields = {name: _compile(sub, preserve) for name, sub in target.properties.items()}
        if target.additional is not None:
            plan.elem = _compile(target.additional, preserve)
        elif preserve:
            plan.elem = DEDUCED
        else:
            plan.elem, plan.strict = DEDUCED, True  # lenient on stored objects, strict on apply
        plan.zero = _zero_fields(target)
        plan.zeros = dict(plan.zero)
        return plan
    if target.type == "array":
        return _list(target, preserve)
    if target.type == "" and (target.preserve_unknown or not target.format):
        return DEDUCED
    return LEAF_PLAN


def _list(target: Schema, preserve: bool) -> Plan:
    list_type, keys = target.list_type, target.map_keys
    if not list_type and "merge" in target.patch_strategy.split(","):
        # kube-openapi: lists without a list type merge by their patch merge key.
        list_type = "map" if target.patch_merge_key else "set"
        keys = (target.patch_merge_key,) if target.patch_merge_key else ()
    if list_type not in ("set", "map") or target.items is None:
        return LEAF_PLAN
    if list_type == "set" or not keys:
        plan = Plan(LSET)
        plan.item = _compile(target.items, preserve)
        return plan
    plan = Plan(LMAP)
    plan.item = _compile(target.items, preserve)
    plan.keys = tuple(keys)
    item = target.items.target
    for name in keys:
        sub = item.properties.get(name)
        if sub is not None and sub.default is not None:
            plan.key_defaults[name] = sub.default
    return plan


# Struct fields that are Go value structs (not pointers) below the top level of a kind, by
# schema name: kube-openapi marks them `default: {}` in OpenAPI v3, which our schemas (built
# from the v2 document, which has no such mark) lack. A typed Go object always has them, so a
# new object's field set does not own them as members (`f:spec` has no `.`), as in Kubernetes.
_CORE, _APPS, _AUTOSCALING = "io.k8s.api.core.v1.", "io.k8s.api.apps.v1.", "io.k8s.api.autoscaling."
VALUE_STRUCTS: dict[str, frozenset[str]] = {
    name: frozenset(fields)
    for name, fields in {
        _APPS + "DaemonSetSpec": ("template", "updateStrategy"),
        _APPS + "DeploymentSpec": ("strategy", "template"),
        _APPS + "ReplicaSetSpec": ("template",),
        _APPS + "StatefulSetSpec": ("template", "updateStrategy"),
        _AUTOSCALING + "v1.HorizontalPodAutoscalerSpec": ("scaleTargetRef",),
        _AUTOSCALING + "v2.HorizontalPodAutoscalerSpec": ("scaleTargetRef",),
        _AUTOSCALING + "v2.ContainerResourceMetricSource": ("target",),
        _AUTOSCALING + "v2.ContainerResourceMetricStatus": ("current",),
        _AUTOSCALING + "v2.ExternalMetricSource": ("metric", "target"),
        _AUTOSCALING + "v2.ExternalMetricStatus": ("current", "metric"),
        _AUTOSCALING + "v2.ObjectMetricSource": ("describedObject", "metric", "target"),
        _AUTOSCALING + "v2.ObjectMetricStatus": ("current", "describedObject", "metric"),
        _AUTOSCALING + "v2.PodsMetricSource": ("metric", "target"),
        _AUTOSCALING + "v2.PodsMetricStatus": ("current", "metric"),
        _AUTOSCALING + "v2.ResourceMetricSource": ("target",),
        _AUTOSCALING + "v2.ResourceMetricStatus": ("current",),
        "io.k8s.api.batch.v1.CronJobSpec": ("jobTemplate",),
        "io.k8s.api.batch.v1.JobSpec": ("template",),
        "io.k8s.api.batch.v1.JobTemplateSpec": ("metadata", "spec"),
        _CORE + "Binding": ("target",),
        _CORE + "Container": ("resources",),
        _CORE + "ContainerStatus": ("lastState", "state"),
        _CORE + "EphemeralContainer": ("resources",),
        _CORE + "Event": ("involvedObject", "source"),
        _CORE + "NodeDaemonEndpoints": ("kubeletEndpoint",),
        _CORE + "NodeStatus": ("daemonEndpoints", "nodeInfo"),
        _CORE + "PersistentVolumeClaimSpec": ("resources",),
        _CORE + "PersistentVolumeClaimTemplate": ("metadata", "spec"),
        _CORE + "PodTemplate": ("template",),
        _CORE + "PodTemplateSpec": ("metadata", "spec"),
        _CORE + "PreferredSchedulingTerm": ("preference",),
        _CORE + "ServiceStatus": ("loadBalancer",),
        _CORE + "WeightedPodAffinityTerm": ("podAffinityTerm",),
        "io.k8s.api.admissionregistration.v1.MutatingWebhook": ("clientConfig",),
        "io.k8s.api.admissionregistration.v1.ValidatingWebhook": ("clientConfig",),
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionSpec": ("names",),
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionStatus": (
            "acceptedNames",
        ),
        "io.k8s.api.discovery.v1.Endpoint": ("conditions",),
        "io.k8s.api.events.v1.Event": ("deprecatedSource", "regarding"),
        "io.k8s.api.flowcontrol.v1.FlowSchemaSpec": ("priorityLevelConfiguration",),
        "io.k8s.api.flowcontrol.v1.LimitedPriorityLevelConfiguration": ("limitResponse",),
        "io.k8s.api.storage.v1.VolumeAttachmentSpec": ("source",),
    }.items()
}
# A kind's own metadata, spec and status are value structs (ObjectMeta always is).
_KIND_VALUE_STRUCTS = frozenset({"metadata", "spec", "status"})


def _zero_fields(target: Schema) -> tuple[tuple[str, Any], ...]:
    out: list[tuple[str, Any]] = []
    props = target.properties
    named = VALUE_STRUCTS.get(target.name, frozenset())
    if "apiVersion" in props and "kind" in props:
        named = named | _KIND_VALUE_STRUCTS
    for name, sub in props.items():
        kind = sub.target.type
        # OpenAPI v3's mark of a non-pointer struct, or the table above
        value_struct = kind == "object" and (sub.default == {} or name in named)
        if value_struct:
            out.append((name, EMPTY_STRUCT))
        elif name in target.required and kind in ("object", "array"):
            out.append((name, None))  # Go writes a nil slice, map or pointer as null
    return tuple(out)
