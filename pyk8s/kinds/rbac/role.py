"""Role and ClusterRole: sets of permissions, in one namespace or cluster-wide."""

from __future__ import annotations

from typing import Any

from pyk8s.api.fields import FieldErrors, FieldPath, invalid, required
from pyk8s.api.resource import NAME, Column, Obj, RequestContext, ResourceInfo, ResourceStrategy
from pyk8s.api.validation import path_segment_name, validate_label_selector
from pyk8s.kinds.rbac import types

GROUP = "rbac.authorization.k8s.io"

ROLE = ResourceInfo(group=GROUP, version="v1", kind="Role", plural="roles", singular="role")
CLUSTER_ROLE = ResourceInfo(
    group=GROUP,
    version="v1",
    kind="ClusterRole",
    plural="clusterroles",
    singular="clusterrole",
    namespaced=False,
)

# Kubernetes prints roles with its default table: the name and the creation time.
CREATED_AT = Column("Created At", type="date", description="When the object was created.")


def rbac_name(name: str) -> list[str]:
    """RBAC names only need to be one URL path segment (they may contain `:`)."""
    return path_segment_name(name)


def created_at_row(obj: Obj) -> list[Any]:
    meta = obj.get("metadata", {})
    return [meta.get("name", ""), meta.get("creationTimestamp", "")]


def validate_policy_rule(rule: dict[str, Any], namespaced: bool, path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    if not rule.get("verbs"):
        errs.append(required(path.child("verbs"), "verbs must contain at least one value"))
    urls = rule.get("nonResourceURLs") or []
    if urls:
        if namespaced:
            errs.append(
                invalid(
                    path.child("nonResourceURLs"), urls, "namespaced rules cannot apply to non-resource URLs"
                )
            )
        if rule.get("apiGroups") or rule.get("resources") or rule.get("resourceNames"):
            errs.append(
                invalid(
                    path.child("nonResourceURLs"),
                    urls,
                    "rules cannot apply to both regular resources and non-resource URLs",
                )
            )
        return errs
    if not rule.get("apiGroups"):
        errs.append(required(path.child("apiGroups"), "resource rules must supply at least one api group"))
    if not rule.get("resources"):
        errs.append(required(path.child("resources"), "resource rules must supply at least one resource"))
    return errs


def validate_rules(obj: Obj, namespaced: bool) -> FieldErrors:
    errs: FieldErrors = []
    for i, rule in enumerate(obj.get("rules") or []):
        errs += validate_policy_rule(rule, namespaced, FieldPath("rules").index(i))
    return errs


class RoleStrategy(ResourceStrategy):
    info = ROLE
    schema = types.Role
    has_status = False
    columns = (NAME, CREATED_AT)

    @classmethod
    def validate_name(cls, name: str) -> list[str]:
        return rbac_name(name)

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        return validate_rules(obj, namespaced=True)

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        return created_at_row(obj)


class ClusterRoleStrategy(ResourceStrategy):
    info = CLUSTER_ROLE
    schema = types.ClusterRole
    has_status = False
    columns = (NAME, CREATED_AT)

    @classmethod
    def validate_name(cls, name: str) -> list[str]:
        return rbac_name(name)

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        errs = validate_rules(obj, namespaced=False)
        rule = obj.get("aggregationRule")
        if rule is not None:
            path = FieldPath("aggregationRule", "clusterRoleSelectors")
            selectors = rule.get("clusterRoleSelectors") or []
            if not selectors:
                errs.append(
                    required(path, "at least one clusterRoleSelector required if aggregationRule is non-nil")
                )
            for i, selector in enumerate(selectors):
                errs += validate_label_selector(selector, path.index(i))
        return errs

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        return created_at_row(obj)
