"""RoleBinding and ClusterRoleBinding: grant a role's permissions to users, groups and
service accounts. The role a binding refers to cannot change."""

from __future__ import annotations

from typing import Any

from pyk8s.api.fields import FieldErrors, FieldPath, invalid, not_supported, required
from pyk8s.api.resource import AGE, NAME, Column, Obj, RequestContext, ResourceInfo, ResourceStrategy
from pyk8s.api.table import age
from pyk8s.api.validation import dns1123_subdomain
from pyk8s.kinds.rbac import types
from pyk8s.kinds.rbac.role import GROUP, rbac_name

ROLE_BINDING = ResourceInfo(
    group=GROUP, version="v1", kind="RoleBinding", plural="rolebindings", singular="rolebinding"
)
CLUSTER_ROLE_BINDING = ResourceInfo(
    group=GROUP,
    version="v1",
    kind="ClusterRoleBinding",
    plural="clusterrolebindings",
    singular="clusterrolebinding",
    namespaced=False,
)
SUBJECT_KINDS = ["ServiceAccount", "User", "Group"]


def default_binding(obj: Obj) -> None:
    ref = obj.get("roleRef")
    if isinstance(ref, dict) and not ref.get("apiGroup"):
        ref["apiGroup"] = GROUP
    for subject in obj.get("subjects") or []:
        if not subject.get("apiGroup") and subject.get("kind") in ("User", "Group"):
            subject["apiGroup"] = GROUP


def validate_subject(subject: dict[str, Any], namespaced: bool, path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    name = subject.get("name", "")
    if not name:
        errs.append(required(path.child("name")))
    kind, group = subject.get("kind", ""), subject.get("apiGroup", "")
    if kind == "ServiceAccount":
        if name:
            errs += [invalid(path.child("name"), name, m) for m in dns1123_subdomain(name)]
        if group:
            errs.append(not_supported(path.child("apiGroup"), group, [""]))
        if not namespaced and not subject.get("namespace"):
            errs.append(required(path.child("namespace")))
    elif kind in ("User", "Group"):
        if group != GROUP:
            errs.append(not_supported(path.child("apiGroup"), group, [GROUP]))
    else:
        errs.append(not_supported(path.child("kind"), kind, SUBJECT_KINDS))
    return errs


def validate_binding(obj: Obj, role_kinds: list[str], namespaced: bool) -> FieldErrors:
    errs: FieldErrors = []
    ref = obj.get("roleRef") if isinstance(obj.get("roleRef"), dict) else {}
    path = FieldPath("roleRef")
    if ref.get("apiGroup", "") != GROUP:
        errs.append(not_supported(path.child("apiGroup"), ref.get("apiGroup", ""), [GROUP]))
    if ref.get("kind", "") not in role_kinds:
        errs.append(not_supported(path.child("kind"), ref.get("kind", ""), role_kinds))
    name = ref.get("name", "")
    if not name:
        errs.append(required(path.child("name")))
    else:
        errs += [invalid(path.child("name"), name, m) for m in rbac_name(name)]
    for i, subject in enumerate(obj.get("subjects") or []):
        errs += validate_subject(subject, namespaced, FieldPath("subjects").index(i))
    return errs


def validate_role_ref_unchanged(obj: Obj, old: Obj) -> FieldErrors:
    ref, old_ref = obj.get("roleRef") or {}, old.get("roleRef") or {}
    keys = ("apiGroup", "kind", "name")
    if any(ref.get(k, "") != old_ref.get(k, "") for k in keys):
        return [invalid("roleRef", ref, "cannot change roleRef")]
    return []


def subjects_strings(subjects: list[Any]) -> tuple[str, str, str]:
    """Users, groups and `namespace/name` service accounts, each joined with ", "."""
    users, groups, accounts = [], [], []
    for subject in subjects:
        kind = subject.get("kind")
        if kind == "ServiceAccount":
            accounts.append(f"{subject.get('namespace', '')}/{subject.get('name', '')}")
        elif kind == "User":
            users.append(subject.get("name", ""))
        elif kind == "Group":
            groups.append(subject.get("name", ""))
    return ", ".join(users), ", ".join(groups), ", ".join(accounts)


def binding_row(obj: Obj, now: float) -> list[Any]:
    ref = obj.get("roleRef") or {}
    users, groups, accounts = subjects_strings(obj.get("subjects") or [])
    return [
        obj["metadata"].get("name", ""),
        f"{ref.get('kind', '')}/{ref.get('name', '')}",
        age(obj, now),
        users,
        groups,
        accounts,
    ]


def binding_columns(what: str) -> tuple[Column, ...]:
    return (
        NAME,
        Column("Role", description="The role the binding grants."),
        AGE,
        Column("Users", priority=1, description=f"Users in the {what}."),
        Column("Groups", priority=1, description=f"Groups in the {what}."),
        Column("ServiceAccounts", priority=1, description=f"Service accounts in the {what}."),
    )


class RoleBindingStrategy(ResourceStrategy):
    info = ROLE_BINDING
    schema = types.RoleBinding
    has_status = False
    columns = binding_columns("binding")

    @classmethod
    def validate_name(cls, name: str) -> list[str]:
        return rbac_name(name)

    def default(self, obj: Obj) -> None:
        default_binding(obj)

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        return validate_binding(obj, ["Role", "ClusterRole"], namespaced=True)

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        return self.validate(ctx, obj) + validate_role_ref_unchanged(obj, old)

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        return binding_row(obj, now)


class ClusterRoleBindingStrategy(ResourceStrategy):
    info = CLUSTER_ROLE_BINDING
    schema = types.ClusterRoleBinding
    has_status = False
    columns = binding_columns("cluster role binding")

    @classmethod
    def validate_name(cls, name: str) -> list[str]:
        return rbac_name(name)

    def default(self, obj: Obj) -> None:
        default_binding(obj)

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        return validate_binding(obj, ["ClusterRole"], namespaced=False)

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        return self.validate(ctx, obj) + validate_role_ref_unchanged(obj, old)

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        return binding_row(obj, now)
