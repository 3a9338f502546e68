"""Types of scheduling.v1: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    boolean,
    integer,
    list_of,
    ref,
    string,
    struct,
)
from pyk8s.kinds import meta

P = "io.k8s.api.scheduling.v1."

PriorityClass = struct(
    P + "PriorityClass",
    "Maps a priority class name, used in pod specs, to an integer priority.",
    gvk=("scheduling.k8s.io", "v1", "PriorityClass"),
    apiVersion=string("Group and version of this object's schema."),
    description=string("Free text telling users when to use this class."),
    globalDefault=boolean("Whether pods without a priority class get this one; only one class may set it."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Name, labels and other standard object metadata."),
    preemptionPolicy=string(
        "Whether pods of this class may evict lower-priority pods: PreemptLowerPriority (default) or Never."
    ),
    value=integer("The priority pods of this class get; higher is more important. At most one billion."),
)

PriorityClassList = struct(
    P + "PriorityClassList",
    "A list of PriorityClasses.",
    required=("items",),
    gvk=("scheduling.k8s.io", "v1", "PriorityClassList"),
    apiVersion=string("Group and version of this object's schema."),
    items=list_of(PriorityClass, "The PriorityClasses."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.LIST_META, "Resource version and paging token of the list."),
)
