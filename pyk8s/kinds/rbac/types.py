"""Types of rbac.v1: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    list_of,
    ref,
    string,
    struct,
)
from pyk8s.kinds import meta

P = "io.k8s.api.rbac.v1."

AggregationRule = struct(
    P + "AggregationRule",
    "Builds a ClusterRole's rules from the rules of other ClusterRoles picked by label.",
    clusterRoleSelectors=list_of(
        meta.LABEL_SELECTOR, "ClusterRoles matching any of these selectors contribute their rules."
    ),
)

PolicyRule = struct(
    P + "PolicyRule",
    "A set of actions allowed on resources or on non-resource URLs.",
    required=("verbs",),
    apiGroups=list_of(string(), 'API groups of the resources; "" is the core group and "*" any group.'),
    nonResourceURLs=list_of(
        string(), "URL paths such as /healthz, allowed only in ClusterRoles; a trailing * matches a prefix."
    ),
    resourceNames=list_of(string(), "Names of the objects allowed; empty allows every object."),
    resources=list_of(string(), 'Resources allowed, such as pods or pods/log; "*" means all of them.'),
    verbs=list_of(string(), 'Actions allowed, such as get, list or create; "*" means every verb.'),
)

ClusterRole = struct(
    P + "ClusterRole",
    "A cluster-wide set of permissions, granted by RoleBindings or ClusterRoleBindings.",
    gvk=("rbac.authorization.k8s.io", "v1", "ClusterRole"),
    aggregationRule=ref(
        AggregationRule, "When set, the controller fills rules from other ClusterRoles and overwrites edits."
    ),
    apiVersion=string("Group and version of this object's schema."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Name, labels and other standard object metadata."),
    rules=list_of(PolicyRule, "The permissions this role grants."),
)

RoleRef = struct(
    P + "RoleRef",
    "Names the Role or ClusterRole a binding grants.",
    required=("kind", "name"),
    struct_type="atomic",
    apiGroup=string("API group of the role, rbac.authorization.k8s.io."),
    kind=string("Role or ClusterRole."),
    name=string("Name of the role."),
)

Subject = struct(
    P + "Subject",
    "A user, group or service account that a binding grants a role to.",
    required=("kind", "name"),
    struct_type="atomic",
    apiGroup=string('API group of the subject: "" for ServiceAccount, rbac.authorization.k8s.io otherwise.'),
    kind=string("User, Group or ServiceAccount."),
    name=string("Name of the subject."),
    namespace=string("Namespace of a ServiceAccount subject; must be empty for users and groups."),
)

ClusterRoleBinding = struct(
    P + "ClusterRoleBinding",
    "Grants a ClusterRole to subjects across the whole cluster.",
    required=("roleRef",),
    gvk=("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding"),
    apiVersion=string("Group and version of this object's schema."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Name, labels and other standard object metadata."),
    roleRef=ref(RoleRef, "The ClusterRole granted; cannot be changed once created."),
    subjects=list_of(Subject, "Who receives the role."),
)

ClusterRoleBindingList = struct(
    P + "ClusterRoleBindingList",
    "A list of ClusterRoleBindings.",
    required=("items",),
    gvk=("rbac.authorization.k8s.io", "v1", "ClusterRoleBindingList"),
    apiVersion=string("Group and version of this object's schema."),
    items=list_of(ClusterRoleBinding, "The ClusterRoleBindings."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.LIST_META, "Resource version and paging token of the list."),
)

ClusterRoleList = struct(
    P + "ClusterRoleList",
    "A list of ClusterRoles.",
    required=("items",),
    gvk=("rbac.authorization.k8s.io", "v1", "ClusterRoleList"),
    apiVersion=string("Group and version of this object's schema."),
    items=list_of(ClusterRole, "The ClusterRoles."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.LIST_META, "Resource version and paging token of the list."),
)

Role = struct(
    P + "Role",
    "A set of permissions within one namespace, granted by RoleBindings.",
    gvk=("rbac.authorization.k8s.io", "v1", "Role"),
    apiVersion=string("Group and version of this object's schema."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Name, namespace, labels and other standard object metadata."),
    rules=list_of(PolicyRule, "The permissions this role grants."),
)

RoleBinding = struct(
    P + "RoleBinding",
    "Grants a Role, or a ClusterRole limited to this namespace, to subjects.",
    required=("roleRef",),
    gvk=("rbac.authorization.k8s.io", "v1", "RoleBinding"),
    apiVersion=string("Group and version of this object's schema."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Name, namespace, labels and other standard object metadata."),
    roleRef=ref(RoleRef, "The Role or ClusterRole granted; cannot be changed once created."),
    subjects=list_of(Subject, "Who receives the role."),
)

RoleBindingList = struct(
    P + "RoleBindingList",
    "A list of RoleBindings.",
    required=("items",),
    gvk=("rbac.authorization.k8s.io", "v1", "RoleBindingList"),
    apiVersion=string("Group and version of this object's schema."),
    items=list_of(RoleBinding, "The RoleBindings."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.LIST_META, "Resource version and paging token of the list."),
)

RoleList = struct(
    P + "RoleList",
    "A list of Roles.",
    required=("items",),
    gvk=("rbac.authorization.k8s.io", "v1", "RoleList"),
    apiVersion=string("Group and version of this object's schema."),
    items=list_of(Role, "The Roles."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.LIST_META, "Resource version and paging token of the list."),
)
