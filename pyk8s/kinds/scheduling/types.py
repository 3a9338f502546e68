"""Types of scheduling.v1: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    boolean,
    integer,
    list_of,
    string,
    struct,
)
from pyk8s.kinds import meta

P = "io.k8s.api.scheduling.v1."

PriorityClass = struct(
    P + "PriorityClass",
    "",
    gvk=("scheduling.k8s.io", "v1", "PriorityClass"),
    apiVersion=string(),
    description=string(),
    globalDefault=boolean(),
    kind=string(),
    metadata=meta.OBJECT_META,
    preemptionPolicy=string(),
    value=integer(),
)

PriorityClassList = struct(
    P + "PriorityClassList",
    "",
    required=("items",),
    gvk=("scheduling.k8s.io", "v1", "PriorityClassList"),
    apiVersion=string(),
    items=list_of(PriorityClass, ""),
    kind=string(),
    metadata=meta.LIST_META,
)
