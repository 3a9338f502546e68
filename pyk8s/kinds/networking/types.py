"""Types of networking.v1: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    INT_OR_STRING,
    integer,
    list_of,
    string,
    struct,
)
from pyk8s.kinds import meta
from pyk8s.kinds.core import types as core

P = "io.k8s.api.networking.v1."

ServiceBackendPort = struct(
    P + "ServiceBackendPort",
    "",
    struct_type="atomic",
    name=string(),
    number=integer(),
)

IngressServiceBackend = struct(
    P + "IngressServiceBackend",
    "",
    required=("name",),
    name=string(),
    port=ServiceBackendPort,
)

IngressBackend = struct(
    P + "IngressBackend",
    "",
    resource=core.TypedLocalObjectReference,
    service=IngressServiceBackend,
)

HTTPIngressPath = struct(
    P + "HTTPIngressPath",
    "",
    required=("pathType", "backend"),
    backend=IngressBackend,
    path=string(),
    pathType=string(),
)

HTTPIngressRuleValue = struct(
    P + "HTTPIngressRuleValue",
    "",
    required=("paths",),
    paths=list_of(HTTPIngressPath, ""),
)

ParentReference = struct(
    P + "ParentReference",
    "",
    required=("resource", "name"),
    group=string(),
    name=string(),
    namespace=string(),
    resource=string(),
)

IPAddressSpec = struct(
    P + "IPAddressSpec",
    "",
    required=("parentRef",),
    parentRef=ParentReference,
)

IPAddress = struct(
    P + "IPAddress",
    "",
    required=("spec",),
    gvk=("networking.k8s.io", "v1", "IPAddress"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=IPAddressSpec,
)

IPAddressList = struct(
    P + "IPAddressList",
    "",
    required=("items",),
    gvk=("networking.k8s.io", "v1", "IPAddressList"),
    apiVersion=string(),
    items=list_of(IPAddress, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

IPBlock = struct(
    P + "IPBlock",
    "",
    required=("cidr",),
    props={"except": list_of(string(), "")},
    cidr=string(),
)

IngressRule = struct(
    P + "IngressRule",
    "",
    host=string(),
    http=HTTPIngressRuleValue,
)

IngressTLS = struct(
    P + "IngressTLS",
    "",
    hosts=list_of(string(), ""),
    secretName=string(),
)

IngressSpec = struct(
    P + "IngressSpec",
    "",
    defaultBackend=IngressBackend,
    ingressClassName=string(),
    rules=list_of(IngressRule, ""),
    tls=list_of(IngressTLS, ""),
)

IngressPortStatus = struct(
    P + "IngressPortStatus",
    "",
    required=("port", "protocol"),
    error=string(),
    port=integer(),
    protocol=string(),
)

IngressLoadBalancerIngress = struct(
    P + "IngressLoadBalancerIngress",
    "",
    hostname=string(),
    ip=string(),
    ports=list_of(IngressPortStatus, ""),
)

IngressLoadBalancerStatus = struct(
    P + "IngressLoadBalancerStatus",
    "",
    ingress=list_of(IngressLoadBalancerIngress, ""),
)

IngressStatus = struct(
    P + "IngressStatus",
    "",
    loadBalancer=IngressLoadBalancerStatus,
)

Ingress = struct(
    P + "Ingress",
    "",
    gvk=("networking.k8s.io", "v1", "Ingress"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=IngressSpec,
    status=IngressStatus,
)

IngressClassParametersReference = struct(
    P + "IngressClassParametersReference",
    "",
    required=("kind", "name"),
    apiGroup=string(),
    kind=string(),
    name=string(),
    namespace=string(),
    scope=string(),
)

IngressClassSpec = struct(
    P + "IngressClassSpec",
    "",
    controller=string(),
    parameters=IngressClassParametersReference,
)

IngressClass = struct(
    P + "IngressClass",
    "",
    gvk=("networking.k8s.io", "v1", "IngressClass"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=IngressClassSpec,
)

IngressClassList = struct(
    P + "IngressClassList",
    "",
    required=("items",),
    gvk=("networking.k8s.io", "v1", "IngressClassList"),
    apiVersion=string(),
    items=list_of(IngressClass, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

IngressList = struct(
    P + "IngressList",
    "",
    required=("items",),
    gvk=("networking.k8s.io", "v1", "IngressList"),
    apiVersion=string(),
    items=list_of(Ingress, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

NetworkPolicyPeer = struct(
    P + "NetworkPolicyPeer",
    "",
    ipBlock=IPBlock,
    namespaceSelector=meta.LABEL_SELECTOR,
    podSelector=meta.LABEL_SELECTOR,
)

NetworkPolicyPort = struct(
    P + "NetworkPolicyPort",
    "",
    endPort=integer(),
    port=INT_OR_STRING,
    protocol=string(),
)

NetworkPolicyEgressRule = struct(
    P + "NetworkPolicyEgressRule",
    "",
    ports=list_of(NetworkPolicyPort, ""),
    to=list_of(NetworkPolicyPeer, ""),
)

NetworkPolicyIngressRule = struct(
    P + "NetworkPolicyIngressRule",
    "",
    props={"from": list_of(NetworkPolicyPeer, "")},
    ports=list_of(NetworkPolicyPort, ""),
)

NetworkPolicySpec = struct(
    P + "NetworkPolicySpec",
    "",
    egress=list_of(NetworkPolicyEgressRule, ""),
    ingress=list_of(NetworkPolicyIngressRule, ""),
    podSelector=meta.LABEL_SELECTOR,
    policyTypes=list_of(string(), ""),
)

NetworkPolicy = struct(
    P + "NetworkPolicy",
    "",
    gvk=("networking.k8s.io", "v1", "NetworkPolicy"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=NetworkPolicySpec,
)

NetworkPolicyList = struct(
    P + "NetworkPolicyList",
    "",
    required=("items",),
    gvk=("networking.k8s.io", "v1", "NetworkPolicyList"),
    apiVersion=string(),
    items=list_of(NetworkPolicy, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

ServiceCIDRSpec = struct(
    P + "ServiceCIDRSpec",
    "",
    cidrs=list_of(string(), ""),
)

ServiceCIDRStatus = struct(
    P + "ServiceCIDRStatus",
    "",
    conditions=list_of(
        meta.CONDITION, "", list_type="map", map_keys=("type",), patch_strategy="merge", merge_key="type"
    ),
)

ServiceCIDR = struct(
    P + "ServiceCIDR",
    "",
    gvk=("networking.k8s.io", "v1", "ServiceCIDR"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=ServiceCIDRSpec,
    status=ServiceCIDRStatus,
)

ServiceCIDRList = struct(
    P + "ServiceCIDRList",
    "",
    required=("items",),
    gvk=("networking.k8s.io", "v1", "ServiceCIDRList"),
    apiVersion=string(),
    items=list_of(ServiceCIDR, ""),
    kind=string(),
    metadata=meta.LIST_META,
)
