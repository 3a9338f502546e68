"""Types of node.v1: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    QUANTITY,
    list_of,
    map_of,
    ref,
    string,
    struct,
)
from pyk8s.kinds import meta
from pyk8s.kinds.core import types as core

P = "io.k8s.api.node.v1."

Overhead = struct(
    P + "Overhead",
    "Resources a runtime uses for each pod on top of what its containers request.",
    podFixed=map_of(QUANTITY, "A fixed amount per resource name, such as cpu or memory, added to each pod."),
)

Scheduling = struct(
    P + "Scheduling",
    "Constraints that keep pods of a RuntimeClass on nodes that support it.",
    nodeSelector=map_of(
        string(), "Labels nodes must have; merged with each pod's own node selector.", map_type="atomic"
    ),
    tolerations=list_of(
        core.Toleration, "Tolerations added to each pod of the class, for its tainted nodes."
    ),
)

RuntimeClass = struct(
    P + "RuntimeClass",
    "A container runtime configuration that pods can select by name.",
    required=("handler",),
    gvk=("node.k8s.io", "v1", "RuntimeClass"),
    apiVersion=string("Group and version of this object's schema."),
    handler=string("The runtime configuration the CRI implementation uses, as a DNS label; cannot change."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Name, labels and other standard object metadata."),
    overhead=ref(Overhead, "Extra resources counted for each pod running with this class."),
    scheduling=ref(Scheduling, "Where pods of this class may run; unset means every node supports it."),
)

RuntimeClassList = struct(
    P + "RuntimeClassList",
    "A list of RuntimeClasses.",
    required=("items",),
    gvk=("node.k8s.io", "v1", "RuntimeClassList"),
    apiVersion=string("Group and version of this object's schema."),
    items=list_of(RuntimeClass, "The RuntimeClasses."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.LIST_META, "Resource version and paging token of the list."),
)
