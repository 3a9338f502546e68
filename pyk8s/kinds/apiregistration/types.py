"""Types of apiregistration.k8s.io/v1: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    TIME,
    boolean,
    byte_string,
    integer,
    list_of,
    string,
    struct,
)
from pyk8s.kinds import meta

P = "io.k8s.kube-aggregator.pkg.apis.apiregistration.v1."

ServiceReference = struct(
    P + "ServiceReference",
    "",
    name=string(),
    namespace=string(),
    port=integer(),
)

APIServiceSpec = struct(
    P + "APIServiceSpec",
    "",
    required=("groupPriorityMinimum", "versionPriority"),
    caBundle=byte_string(),
    group=string(),
    groupPriorityMinimum=integer(),
    insecureSkipTLSVerify=boolean(),
    service=ServiceReference,
    version=string(),
    versionPriority=integer(),
)

APIServiceCondition = struct(
    P + "APIServiceCondition",
    "",
    required=("type", "status"),
    lastTransitionTime=TIME,
    message=string(),
    reason=string(),
    status=string(),
    type=string(),
)

APIServiceStatus = struct(
    P + "APIServiceStatus",
    "",
    conditions=list_of(
        APIServiceCondition, "", list_type="map", map_keys=("type",), patch_strategy="merge", merge_key="type"
    ),
)

APIService = struct(
    P + "APIService",
    "",
    gvk=("apiregistration.k8s.io", "v1", "APIService"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=APIServiceSpec,
    status=APIServiceStatus,
)

APIServiceList = struct(
    P + "APIServiceList",
    "",
    required=("items",),
    gvk=("apiregistration.k8s.io", "v1", "APIServiceList"),
    apiVersion=string(),
    items=list_of(APIService, ""),
    kind=string(),
    metadata=meta.LIST_META,
)
