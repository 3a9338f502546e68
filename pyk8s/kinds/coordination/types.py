"""Types of coordination.v1: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    MICRO_TIME,
    integer,
    list_of,
    string,
    struct,
)
from pyk8s.kinds import meta

P = "io.k8s.api.coordination.v1."

LeaseSpec = struct(
    P + "LeaseSpec",
    "",
    acquireTime=MICRO_TIME,
    holderIdentity=string(),
    leaseDurationSeconds=integer(),
    leaseTransitions=integer(),
    preferredHolder=string(),
    renewTime=MICRO_TIME,
    strategy=string(),
)

Lease = struct(
    P + "Lease",
    "",
    gvk=("coordination.k8s.io", "v1", "Lease"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=LeaseSpec,
)

LeaseList = struct(
    P + "LeaseList",
    "",
    required=("items",),
    gvk=("coordination.k8s.io", "v1", "LeaseList"),
    apiVersion=string(),
    items=list_of(Lease, ""),
    kind=string(),
    metadata=meta.LIST_META,
)
