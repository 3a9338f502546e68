"""Types of rbac.v1: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    list_of,
    string,
    struct,
)
from pyk8s.kinds import meta

P = "io.k8s.api.rbac.v1."

AggregationRule = struct(
    P + "AggregationRule",
    "",
    clusterRoleSelectors=list_of(meta.LABEL_SELECTOR, ""),
)

PolicyRule = struct(
    P + "PolicyRule",
    "",
    required=("verbs",),
    apiGroups=list_of(string(), ""),
    nonResourceURLs=list_of(string(), ""),
    resourceNames=list_of(string(), ""),
    resources=list_of(string(), ""),
    verbs=list_of(string(), ""),
)

ClusterRole = struct(
    P + "ClusterRole",
    "",
    gvk=("rbac.authorization.k8s.io", "v1", "ClusterRole"),
    aggregationRule=AggregationRule,
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    rules=list_of(PolicyRule, ""),
)

RoleRef = struct(
    P + "RoleRef",
    "",
    required=("kind", "name"),
    struct_type="atomic",
    apiGroup=string(),
    kind=string(),
    name=string(),
)

Subject = struct(
    P + "Subject",
    "",
    required=("kind", "name"),
    struct_type="atomic",
    apiGroup=string(),
    kind=string(),
    name=string(),
    namespace=string(),
)

ClusterRoleBinding = struct(
    P + "ClusterRoleBinding",
    "",
    required=("roleRef",),
    gvk=("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    roleRef=RoleRef,
    subjects=list_of(Subject, ""),
)

ClusterRoleBindingList = struct(
    P + "ClusterRoleBindingList",
    "",
    required=("items",),
    gvk=("rbac.authorization.k8s.io", "v1", "ClusterRoleBindingList"),
    apiVersion=string(),
    items=list_of(ClusterRoleBinding, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

ClusterRoleList = struct(
    P + "ClusterRoleList",
    "",
    required=("items",),
    gvk=("rbac.authorization.k8s.io", "v1", "ClusterRoleList"),
    apiVersion=string(),
    items=list_of(ClusterRole, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

Role = struct(
    P + "Role",
    "",
    gvk=("rbac.authorization.k8s.io", "v1", "Role"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    rules=list_of(PolicyRule, ""),
)

RoleBinding = struct(
    P + "RoleBinding",
    "",
    required=("roleRef",),
    gvk=("rbac.authorization.k8s.io", "v1", "RoleBinding"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    roleRef=RoleRef,
    subjects=list_of(Subject, ""),
)

RoleBindingList = struct(
    P + "RoleBindingList",
    "",
    required=("items",),
    gvk=("rbac.authorization.k8s.io", "v1", "RoleBindingList"),
    apiVersion=string(),
    items=list_of(RoleBinding, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

RoleList = struct(
    P + "RoleList",
    "",
    required=("items",),
    gvk=("rbac.authorization.k8s.io", "v1", "RoleList"),
    apiVersion=string(),
    items=list_of(Role, ""),
    kind=string(),
    metadata=meta.LIST_META,
)
