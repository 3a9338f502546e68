"""Types of coordination.v1: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    MICRO_TIME,
    integer,
    list_of,
    ref,
    string,
    struct,
)
from pyk8s.kinds import meta

P = "io.k8s.api.coordination.v1."

LeaseSpec = struct(
    P + "LeaseSpec",
    "Who holds a Lease, since when and for how long.",
    acquireTime=ref(MICRO_TIME, "When the current holder took the lease."),
    holderIdentity=string("Identity of the current holder; empty when nobody holds the lease."),
    leaseDurationSeconds=integer(
        "Seconds the lease stays valid after renewTime before others may take it over."
    ),
    leaseTransitions=integer("How many times the lease has changed hands."),
    preferredHolder=string(
        "A better-suited holder the current one should hand over to; needs strategy to be set."
    ),
    renewTime=ref(MICRO_TIME, "When the holder last renewed the lease."),
    strategy=string("How a leader is picked in coordinated leader election; unset means no coordination."),
)

Lease = struct(
    P + "Lease",
    "A lock with an expiry, used for leader election and node heartbeats.",
    gvk=("coordination.k8s.io", "v1", "Lease"),
    apiVersion=string("Group and version of this object's schema."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Name, namespace, labels and other standard object metadata."),
    spec=ref(LeaseSpec, "The holder and timing of the lease."),
)

LeaseList = struct(
    P + "LeaseList",
    "A list of Leases.",
    required=("items",),
    gvk=("coordination.k8s.io", "v1", "LeaseList"),
    apiVersion=string("Group and version of this object's schema."),
    items=list_of(Lease, "The Leases."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.LIST_META, "Resource version and paging token of the list."),
)
