"""Types of discovery.v1: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    boolean,
    integer,
    list_of,
    map_of,
    ref,
    string,
    struct,
)
from pyk8s.kinds import meta
from pyk8s.kinds.core import types as core

P = "io.k8s.api.discovery.v1."

EndpointConditions = struct(
    P + "EndpointConditions",
    "The readiness state of an endpoint.",
    ready=boolean(
        "Whether the endpoint should get traffic; unset means ready. Normally false while terminating."
    ),
    serving=boolean("Whether the endpoint can serve, regardless of termination; unset means serving."),
    terminating=boolean("Whether the endpoint is shutting down; unset means not terminating."),
)

ForNode = struct(
    P + "ForNode",
    "Names a node that should use an endpoint.",
    required=("name",),
    name=string("Name of the node."),
)

ForZone = struct(
    P + "ForZone",
    "Names a zone that should use an endpoint.",
    required=("name",),
    name=string("Name of the zone."),
)

EndpointHints = struct(
    P + "EndpointHints",
    "Routing hints telling proxies which clients an endpoint should preferably serve.",
    forNodes=list_of(ForNode, "Nodes whose traffic should prefer this endpoint."),
    forZones=list_of(ForZone, "Zones whose traffic should prefer this endpoint."),
)

Endpoint = struct(
    P + "Endpoint",
    "One backend of a Service: its addresses, state and location.",
    required=("addresses",),
    addresses=list_of(
        string(),
        "Addresses of the endpoint, all of the slice's address type; consumers usually use the first.",
        list_type="set",
    ),
    conditions=ref(EndpointConditions, "Whether the endpoint is ready, serving and terminating."),
    deprecatedTopology=map_of(
        string(), "Deprecated topology labels kept from Endpoints; use nodeName and zone."
    ),
    hints=ref(EndpointHints, "Hints for topology-aware routing."),
    hostname=string("Host name of the endpoint, used for DNS records; must be a valid DNS label."),
    nodeName=string("Name of the node hosting the endpoint."),
    targetRef=ref(core.ObjectReference, "The object behind the endpoint, usually a Pod."),
    zone=string("Zone the endpoint runs in."),
)

EndpointPort = struct(
    P + "EndpointPort",
    "A port that every endpoint of a slice listens on.",
    struct_type="atomic",
    appProtocol=string(
        "Application protocol, such as http or a domain-prefixed name, for routing decisions."
    ),
    name=string("Name of the port, matching the Service port; may be empty when there is one port."),
    port=integer("The port number; unset means every port."),
    protocol=string("TCP, UDP or SCTP. Defaults to TCP."),
)

EndpointSlice = struct(
    P + "EndpointSlice",
    "A group of backends of a Service, sharing address type and ports.",
    required=("addressType",),
    gvk=("discovery.k8s.io", "v1", "EndpointSlice"),
    addressType=string("IPv4, IPv6 or FQDN: the kind of every address in the slice; cannot be changed."),
    apiVersion=string("Group and version of this object's schema."),
    endpoints=list_of(Endpoint, "The endpoints; at most 1000."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Name, namespace, labels and other standard object metadata."),
    ports=list_of(EndpointPort, "Ports of the endpoints; an empty list means the slice defines no ports."),
)

EndpointSliceList = struct(
    P + "EndpointSliceList",
    "A list of EndpointSlices.",
    required=("items",),
    gvk=("discovery.k8s.io", "v1", "EndpointSliceList"),
    apiVersion=string("Group and version of this object's schema."),
    items=list_of(EndpointSlice, "The EndpointSlices."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.LIST_META, "Resource version and paging token of the list."),
)
