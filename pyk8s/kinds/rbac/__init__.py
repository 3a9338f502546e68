"""The rbac.authorization.k8s.io API group."""

from __future__ import annotations

from pyk8s.api.resource import ResourceStrategy


def strategies() -> list[ResourceStrategy]:
    """The group's served resources, in discovery order."""
    from pyk8s.kinds.rbac.binding import ClusterRoleBindingStrategy, RoleBindingStrategy
    from pyk8s.kinds.rbac.role import ClusterRoleStrategy, RoleStrategy

    return [ClusterRoleBindingStrategy(), ClusterRoleStrategy(), RoleBindingStrategy(), RoleStrategy()]
