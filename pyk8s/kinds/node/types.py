"""Types of node.v1: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    QUANTITY,
    list_of,
    map_of,
    string,
    struct,
)
from pyk8s.kinds import meta
from pyk8s.kinds.core import types as core

P = "io.k8s.api.node.v1."

Overhead = struct(
    P + "Overhead",
    "",
    podFixed=map_of(QUANTITY, ""),
)

Scheduling = struct(
    P + "Scheduling",
    "",
    nodeSelector=map_of(string(), "", map_type="atomic"),
    tolerations=list_of(core.Toleration, ""),
)

RuntimeClass = struct(
    P + "RuntimeClass",
    "",
    required=("handler",),
    gvk=("node.k8s.io", "v1", "RuntimeClass"),
    apiVersion=string(),
    handler=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    overhead=Overhead,
    scheduling=Scheduling,
)

RuntimeClassList = struct(
    P + "RuntimeClassList",
    "",
    required=("items",),
    gvk=("node.k8s.io", "v1", "RuntimeClassList"),
    apiVersion=string(),
    items=list_of(RuntimeClass, ""),
    kind=string(),
    metadata=meta.LIST_META,
)
