"""Types of apiregistration.k8s.io/v1: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    TIME,
    boolean,
    byte_string,
    integer,
    list_of,
    ref,
    string,
    struct,
)
from pyk8s.kinds import meta

P = "io.k8s.kube-aggregator.pkg.apis.apiregistration.v1."

ServiceReference = struct(
    P + "ServiceReference",
    "The in-cluster Service through which an extension API server is reached.",
    name=string("Name of the Service."),
    namespace=string("Namespace the Service lives in."),
    port=integer("Port of the Service to call. Defaults to 443."),
)

APIServiceSpec = struct(
    P + "APIServiceSpec",
    "Where requests for an API group version go: to the local server or to a Service behind the aggregator.",
    required=("groupPriorityMinimum", "versionPriority"),
    caBundle=byte_string(
        "PEM CA certificates that verify the serving certificate of the backend.", list_type="atomic"
    ),
    group=string("API group served."),
    groupPriorityMinimum=integer("Minimum priority of the group in discovery ordering; higher comes first."),
    insecureSkipTLSVerify=boolean("Skips checking the backend's certificate; strongly discouraged."),
    service=ref(ServiceReference, "Backend Service; when unset, the local API server serves the version."),
    version=string("API version served, such as v1."),
    versionPriority=integer("Order of this version within its group; higher comes first."),
)

APIServiceCondition = struct(
    P + "APIServiceCondition",
    "One observation about the state of an APIService.",
    required=("type", "status"),
    lastTransitionTime=ref(TIME, "When the condition last changed status."),
    message=string("Human-readable details of the last change."),
    reason=string("CamelCase word for the cause of the last change."),
    status=string("True, False or Unknown."),
    type=string("What the condition is about, such as Available."),
)

APIServiceStatus = struct(
    P + "APIServiceStatus",
    "The state of an APIService as observed by the aggregator.",
    conditions=list_of(
        APIServiceCondition,
        "Latest observations of the service's state.",
        list_type="map",
        map_keys=("type",),
        patch_strategy="merge",
        merge_key="type",
    ),
)

APIService = struct(
    P + "APIService",
    "Registers which server handles an API group version, the local one or an extension server.",
    gvk=("apiregistration.k8s.io", "v1", "APIService"),
    apiVersion=string("API group and version the object is written in."),
    kind=string("Type of the object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Standard object metadata: name, labels, annotations and so on."),
    spec=ref(APIServiceSpec, "Which group version is served, and by whom."),
    status=ref(APIServiceStatus, "Observed state, such as whether the backend is available."),
)

APIServiceList = struct(
    P + "APIServiceList",
    "A list of APIServices.",
    required=("items",),
    gvk=("apiregistration.k8s.io", "v1", "APIServiceList"),
    apiVersion=string("API group and version the list is written in."),
    items=list_of(APIService, "The APIServices."),
    kind=string("Type of the list, in CamelCase."),
    metadata=ref(meta.LIST_META, "Standard list metadata, such as the resource version and continue token."),
)
