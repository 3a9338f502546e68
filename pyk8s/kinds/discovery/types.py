"""Types of discovery.v1: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    boolean,
    integer,
    list_of,
    map_of,
    string,
    struct,
)
from pyk8s.kinds import meta
from pyk8s.kinds.core import types as core

P = "io.k8s.api.discovery.v1."

EndpointConditions = struct(
    P + "EndpointConditions",
    "",
    ready=boolean(),
    serving=boolean(),
    terminating=boolean(),
)

ForNode = struct(
    P + "ForNode",
    "",
    required=("name",),
    name=string(),
)

ForZone = struct(
    P + "ForZone",
    "",
    required=("name",),
    name=string(),
)

EndpointHints = struct(
    P + "EndpointHints",
    "",
    forNodes=list_of(ForNode, ""),
    forZones=list_of(ForZone, ""),
)

Endpoint = struct(
    P + "Endpoint",
    "",
    required=("addresses",),
    addresses=list_of(string(), "", list_type="set"),
    conditions=EndpointConditions,
    deprecatedTopology=map_of(string(), ""),
    hints=EndpointHints,
    hostname=string(),
    nodeName=string(),
    targetRef=core.ObjectReference,
    zone=string(),
)

EndpointPort = struct(
    P + "EndpointPort",
    "",
    struct_type="atomic",
    appProtocol=string(),
    name=string(),
    port=integer(),
    protocol=string(),
)

EndpointSlice = struct(
    P + "EndpointSlice",
    "",
    required=("addressType",),
    gvk=("discovery.k8s.io", "v1", "EndpointSlice"),
    addressType=string(),
    apiVersion=string(),
    endpoints=list_of(Endpoint, ""),
    kind=string(),
    metadata=meta.OBJECT_META,
    ports=list_of(EndpointPort, ""),
)

EndpointSliceList = struct(
    P + "EndpointSliceList",
    "",
    required=("items",),
    gvk=("discovery.k8s.io", "v1", "EndpointSliceList"),
    apiVersion=string(),
    items=list_of(EndpointSlice, ""),
    kind=string(),
    metadata=meta.LIST_META,
)
