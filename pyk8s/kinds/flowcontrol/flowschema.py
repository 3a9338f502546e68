"""FlowSchema: which requests go to which priority level (API Priority and Fairness)."""

from __future__ import annotations

from typing import Any

from pyk8s.api.fields import FieldErrors, FieldPath, duplicate, forbidden, invalid, not_supported, required
from pyk8s.api.resource import (
    AGE,
    NAME,
    Column,
    Obj,
    RequestContext,
    ResourceInfo,
    ResourceStrategy,
    Subresource,
)
from pyk8s.api.table import age
from pyk8s.api.validation import dns1123_label, dns1123_subdomain
from pyk8s.kinds.flowcontrol import types

GROUP = "flowcontrol.apiserver.k8s.io"

RESOURCE = ResourceInfo(
    group=GROUP,
    version="v1",
    kind="FlowSchema",
    plural="flowschemas",
    singular="flowschema",
    namespaced=False,
    subresources=(Subresource("status", ("get", "patch", "update")),),
)

DEFAULT_MATCHING_PRECEDENCE = 1000
MAX_MATCHING_PRECEDENCE = 10000
DISTINGUISHER_METHODS = ["ByNamespace", "ByUser"]
SUBJECT_KINDS = ["Group", "ServiceAccount", "User"]
VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "proxy", "update", "watch"]
NAMESPACE_INTRO = "each member of this list must be '*' or a DNS-1123 label; "
KIND_FIELDS = {"ServiceAccount": "serviceAccount", "User": "user", "Group": "group"}


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _validate_subject(subject: dict[str, Any], path: FieldPath) -> FieldErrors:
    kind = subject.get("kind", "")
    if kind not in KIND_FIELDS:
        return [not_supported(path.child("kind"), kind, SUBJECT_KINDS)]
    errs: FieldErrors = []
    own = KIND_FIELDS[kind]
    detail = subject.get(own)
    if detail is None:
        errs.append(required(path.child(own), f"{own} is required when subject kind is '{kind}'"))
    elif kind == "ServiceAccount":
        name, namespace = detail.get("name", ""), detail.get("namespace", "")
        if not name:
            errs.append(required(path.child(own, "name")))
        elif name != "*":
            errs += [invalid(path.child(own, "name"), name, m) for m in dns1123_subdomain(name)]
        if namespace:
            errs += [invalid(path.child(own, "namespace"), namespace, m) for m in dns1123_label(namespace)]
        else:
            errs.append(required(path.child(own, "namespace"), "must specify namespace for service account"))
    elif not detail.get("name"):
        errs.append(required(path.child(own, "name")))
    for other_kind, other in KIND_FIELDS.items():
        if other != own and subject.get(other) is not None:
            errs.append(
                forbidden(path.child(other), f"{other} is forbidden when subject kind is not '{other_kind}'")
            )
    return errs


def _validate_verbs(verbs: list[str], path: FieldPath) -> FieldErrors:
    if not verbs:
        return [required(path, "verbs must contain at least one value")]
    if "*" in verbs:
        return (
            [invalid(path, verbs, "if '*' is present, must not specify other verbs")]
            if len(verbs) > 1
            else []
        )
    if not set(verbs) <= set(VERBS):
        return [not_supported(path, verbs, VERBS)]
    return []


def validate_non_resource_url(url: str, path: FieldPath) -> FieldErrors:
    if not url:
        return [invalid(path, url, "must not be empty")]
    if url == "/":
        return []
    if not url.startswith("/"):
        return [invalid(path, url, "must start with slash")]
    if " " in url:
        return [invalid(path, url, "must not contain white-space")]
    if "//" in url:
        return [invalid(path, url, "must not contain double slash")]
    wildcards = url.count("*")
    if wildcards > 1 or (wildcards == 1 and not url.endswith("/*")):
        return [invalid(path, url, "wildcard can only do suffix matching")]
    return []


def _validate_resource_rule(rule: dict[str, Any], path: FieldPath) -> FieldErrors:
    errs = _validate_verbs(rule.get("verbs") or [], path.child("verbs"))
    groups = rule.get("apiGroups") or []
    if not groups:
        errs.append(required(path.child("apiGroups"), "resource rules must supply at least one api group"))
    elif len(groups) > 1 and "*" in groups:
        errs.append(
            invalid(path.child("apiGroups"), groups, "if '*' is present, must not specify other api groups")
        )
    resources = rule.get("resources") or []
    if not resources:
        errs.append(required(path.child("resources"), "resource rules must supply at least one resource"))
    elif len(resources) > 1 and "*" in resources:
        errs.append(
            invalid(path.child("resources"), resources, "if '*' is present, must not specify other resources")
        )
    namespaces = rule.get("namespaces") or []
    if not namespaces and not rule.get("clusterScope"):
        errs.append(
            required(
                path.child("namespaces"),
                "resource rules that are not cluster scoped must supply at least one namespace",
            )
        )
    elif "*" in namespaces:
        if len(namespaces) > 1:
            errs.append(
                invalid(
                    path.child("namespaces"),
                    namespaces,
                    "if '*' is present, must not specify other namespaces",
                )
            )
    else:
        for i, namespace in enumerate(namespaces):
            errs += [
                invalid(path.child("namespaces").index(i), namespace, NAMESPACE_INTRO + m)
                for m in dns1123_label(namespace)
            ]
    return errs


def _validate_non_resource_rule(rule: dict[str, Any], path: FieldPath) -> FieldErrors:
    errs = _validate_verbs(rule.get("verbs") or [], path.child("verbs"))
    urls = rule.get("nonResourceURLs") or []
    if not urls:
        errs.append(
            required(path.child("nonResourceURLs"), "nonResourceURLs must contain at least one value")
        )
    elif "*" in urls:
        if len(urls) > 1:
            errs.append(
                invalid(
                    path.child("nonResourceURLs"),
                    urls,
                    "if '*' is present, must not specify other non-resource URLs",
                )
            )
    else:
        for i, url in enumerate(urls):
            errs += validate_non_resource_url(url, path.child("nonResourceURLs").index(i))
    return errs


def validate_rules(rule: dict[str, Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    subjects = rule.get("subjects") or []
    if not subjects:
        errs.append(required(path.child("subjects"), "subjects must contain at least one value"))
    for i, subject in enumerate(subjects):
        errs += _validate_subject(_dict(subject), path.child("subjects").index(i))
    resource_rules, non_resource_rules = rule.get("resourceRules") or [], rule.get("nonResourceRules") or []
    if not resource_rules and not non_resource_rules:
        errs.append(required(path, "at least one of resourceRules and nonResourceRules has to be non-empty"))
    for i, item in enumerate(resource_rules):
        errs += _validate_resource_rule(_dict(item), path.child("resourceRules").index(i))
    for i, item in enumerate(non_resource_rules):
        errs += _validate_non_resource_rule(_dict(item), path.child("nonResourceRules").index(i))
    return errs


def validate_flow_schema_spec(name: str, spec: dict[str, Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    precedence = spec.get("matchingPrecedence", 0)
    ppath = path.child("matchingPrecedence")
    if precedence <= 0:
        errs.append(invalid(ppath, precedence, "must be a positive value"))
    if precedence > MAX_MATCHING_PRECEDENCE:
        errs.append(invalid(ppath, precedence, f"must not be greater than {MAX_MATCHING_PRECEDENCE}"))
    if precedence == 1 and name != "exempt":
        errs.append(
            invalid(ppath, precedence, "only the schema named 'exempt' may have matchingPrecedence 1")
        )
    method = spec.get("distinguisherMethod")
    if method is not None and _dict(method).get("type") not in DISTINGUISHER_METHODS:
        errs.append(not_supported(path.child("distinguisherMethod", "type"), method, DISTINGUISHER_METHODS))
    level = _dict(spec.get("priorityLevelConfiguration")).get("name", "")
    lpath = path.child("priorityLevelConfiguration", "name")
    if level:
        errs += [invalid(lpath, level, m) for m in dns1123_subdomain(level)]
    else:
        errs.append(required(lpath, "must reference a priority level"))
    for i, rule in enumerate(spec.get("rules") or []):
        errs += validate_rules(_dict(rule), path.child("rules").index(i))
    return errs


def validate_conditions(status: dict[str, Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    seen: set[str] = set()
    for i, condition in enumerate(status.get("conditions") or []):
        kind = _dict(condition).get("type", "")
        cpath = path.child("conditions").index(i).child("type")
        if kind in seen:
            errs.append(duplicate(cpath, kind))
        seen.add(kind)
        if not kind:
            errs.append(required(cpath, "must not be empty"))
    return errs


class FlowSchemaStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.FlowSchema
    tracks_generation = True
    sorts_table_rows = True
    columns = (
        NAME,
        Column("PriorityLevel", description="The priority level matching requests go to."),
        Column("MatchingPrecedence", description="Lower values are matched first."),
        Column("DistinguisherMethod", description="How matching requests are split into flows."),
        AGE,
        Column("MissingPL", description="Whether the priority level referred to is missing."),
    )

    def default(self, obj: Obj) -> None:
        spec = obj.setdefault("spec", {})
        if not spec.get("matchingPrecedence"):
            spec["matchingPrecedence"] = DEFAULT_MATCHING_PRECEDENCE

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        name = obj.get("metadata", {}).get("name", "")
        errs = validate_flow_schema_spec(name, _dict(obj.get("spec")), FieldPath("spec"))
        return errs + validate_conditions(_dict(obj.get("status")), FieldPath("status"))

    def validate_status_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        return validate_conditions(_dict(obj.get("status")), FieldPath("status"))

    def table_sort_key(self, obj: Obj) -> Any:
        # the order in which the API server matches requests against them
        return (int((obj.get("spec") or {}).get("matchingPrecedence") or 0), obj["metadata"].get("name", ""))

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        spec = _dict(obj.get("spec"))
        method = spec.get("distinguisherMethod")
        dangling = "?"
        for condition in _dict(obj.get("status")).get("conditions") or []:
            if condition.get("type") == "Dangling":
                dangling = condition.get("status", "")
                break
        return [
            obj["metadata"].get("name", ""),
            _dict(spec.get("priorityLevelConfiguration")).get("name", ""),
            spec.get("matchingPrecedence", 0),
            _dict(method).get("type", "") if method is not None else "<none>",
            age(obj, now),
            dangling,
        ]
