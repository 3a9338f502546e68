"""Types of networking.v1: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    INT_OR_STRING,
    integer,
    list_of,
    ref,
    string,
    struct,
)
from pyk8s.kinds import meta
from pyk8s.kinds.core import types as core

P = "io.k8s.api.networking.v1."

ServiceBackendPort = struct(
    P + "ServiceBackendPort",
    "The port of a backend Service, given either by name or by number.",
    struct_type="atomic",
    name=string("Name of the Service port; set this or number, not both."),
    number=integer("Numeric Service port; set this or name, not both."),
)

IngressServiceBackend = struct(
    P + "IngressServiceBackend",
    "A Service in the Ingress's namespace that receives the matched traffic.",
    required=("name",),
    name=string("Name of the Service."),
    port=ref(ServiceBackendPort, "The Service port traffic is sent to."),
)

IngressBackend = struct(
    P + "IngressBackend",
    "Where matched requests go: a Service or another resource, never both.",
    resource=ref(
        core.TypedLocalObjectReference,
        "A non-Service object in the same namespace that serves the traffic; excludes service.",
    ),
    service=ref(IngressServiceBackend, "A Service that serves the traffic; excludes resource."),
)

HTTPIngressPath = struct(
    P + "HTTPIngressPath",
    "One path of an HTTP rule and the backend that requests on it are sent to.",
    required=("pathType", "backend"),
    backend=ref(IngressBackend, "Where requests matching this path are sent."),
    path=string("The URL path to match; must start with a slash unless pathType is ImplementationSpecific."),
    pathType=string("How path is compared: Exact, Prefix (by path segment) or ImplementationSpecific."),
)

HTTPIngressRuleValue = struct(
    P + "HTTPIngressRuleValue",
    "The HTTP paths of a rule, each sent to its own backend.",
    required=("paths",),
    paths=list_of(HTTPIngressPath, "Paths to match and the backends they lead to."),
)

ParentReference = struct(
    P + "ParentReference",
    "Identifies the object an IP address was allocated for.",
    required=("resource", "name"),
    group=string("API group of the parent; empty for the core group."),
    name=string("Name of the parent."),
    namespace=string("Namespace of the parent; empty for cluster-scoped parents."),
    resource=string("Resource of the parent, plural and lower-case, such as services."),
)

IPAddressSpec = struct(
    P + "IPAddressSpec",
    "What an IPAddress is allocated to.",
    required=("parentRef",),
    parentRef=ref(ParentReference, "The object holding the address; cannot be changed."),
)

IPAddress = struct(
    P + "IPAddress",
    "Records that one IP address is in use; its name is the address in canonical form.",
    required=("spec",),
    gvk=("networking.k8s.io", "v1", "IPAddress"),
    apiVersion=string("Group and version of this object's schema."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Name, labels and other standard object metadata."),
    spec=ref(IPAddressSpec, "The owner of the address."),
)

IPAddressList = struct(
    P + "IPAddressList",
    "A list of IPAddresses.",
    required=("items",),
    gvk=("networking.k8s.io", "v1", "IPAddressList"),
    apiVersion=string("Group and version of this object's schema."),
    items=list_of(IPAddress, "The IPAddresses."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.LIST_META, "Resource version and paging token of the list."),
)

IPBlock = struct(
    P + "IPBlock",
    "A range of IP addresses, optionally with some sub-ranges left out.",
    required=("cidr",),
    props={"except": list_of(string(), "CIDRs inside cidr that are not part of the block.")},
    cidr=string("The address range in CIDR form, such as 10.0.0.0/16 or 2001:db8::/64."),
)

IngressRule = struct(
    P + "IngressRule",
    "Routes requests for one host (or every host) to backends by path.",
    host=string("The host name to match; a leading *. matches one label. Empty matches every host."),
    http=ref(HTTPIngressRuleValue, "The HTTP paths of this host and their backends."),
)

IngressTLS = struct(
    P + "IngressTLS",
    "TLS settings for a group of hosts.",
    hosts=list_of(string(), "Hosts the certificate covers; empty means the controller's default hosts."),
    secretName=string("Secret holding the certificate and key used to terminate TLS for these hosts."),
)

IngressSpec = struct(
    P + "IngressSpec",
    "The desired routing of an Ingress.",
    defaultBackend=ref(IngressBackend, "Backend for requests that match no rule."),
    ingressClassName=string("Name of the IngressClass whose controller implements this Ingress."),
    rules=list_of(IngressRule, "Host and path rules; unmatched traffic goes to the default backend."),
    tls=list_of(IngressTLS, "TLS termination settings, served on port 443."),
)

IngressPortStatus = struct(
    P + "IngressPortStatus",
    "The state of one port of a load balancer.",
    required=("port", "protocol"),
    error=string("A problem with this port, as a CamelCase reason or domain-prefixed code; empty if none."),
    port=integer("The port number."),
    protocol=string("TCP, UDP or SCTP."),
)

IngressLoadBalancerIngress = struct(
    P + "IngressLoadBalancerIngress",
    "One entry point of a load balancer.",
    hostname=string("DNS name of the entry point, for load balancers reached by name."),
    ip=string("IP address of the entry point, for load balancers reached by address."),
    ports=list_of(IngressPortStatus, "The ports of this entry point and their state."),
)

IngressLoadBalancerStatus = struct(
    P + "IngressLoadBalancerStatus",
    "The load balancer serving an Ingress.",
    ingress=list_of(IngressLoadBalancerIngress, "The addresses clients can reach the load balancer at."),
)

IngressStatus = struct(
    P + "IngressStatus",
    "The observed state of an Ingress.",
    loadBalancer=ref(IngressLoadBalancerStatus, "The load balancer the controller set up."),
)

Ingress = struct(
    P + "Ingress",
    "Routes external HTTP and HTTPS traffic to Services by host name and path.",
    gvk=("networking.k8s.io", "v1", "Ingress"),
    apiVersion=string("Group and version of this object's schema."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Name, namespace, labels and other standard object metadata."),
    spec=ref(IngressSpec, "The routing rules wanted."),
    status=ref(IngressStatus, "The state reported by the Ingress controller."),
)

IngressClassParametersReference = struct(
    P + "IngressClassParametersReference",
    "Points at an object holding controller-specific settings for an IngressClass.",
    required=("kind", "name"),
    apiGroup=string("API group of the object; empty for the core group."),
    kind=string("Kind of the object."),
    name=string("Name of the object."),
    namespace=string("Namespace of the object; set it only when scope is Namespace."),
    scope=string("Cluster or Namespace: whether the object is cluster-scoped. Defaults to Cluster."),
)

IngressClassSpec = struct(
    P + "IngressClassSpec",
    "The controller and settings of an IngressClass.",
    controller=string("The controller that implements this class, as a domain-prefixed path; cannot change."),
    parameters=ref(
        IngressClassParametersReference, "Optional object with extra settings for the controller."
    ),
)

IngressClass = struct(
    P + "IngressClass",
    "A kind of Ingress, implemented by one controller; Ingresses choose it by name.",
    gvk=("networking.k8s.io", "v1", "IngressClass"),
    apiVersion=string("Group and version of this object's schema."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Name, labels and other standard object metadata."),
    spec=ref(IngressClassSpec, "The controller and its settings."),
)

IngressClassList = struct(
    P + "IngressClassList",
    "A list of IngressClasses.",
    required=("items",),
    gvk=("networking.k8s.io", "v1", "IngressClassList"),
    apiVersion=string("Group and version of this object's schema."),
    items=list_of(IngressClass, "The IngressClasses."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.LIST_META, "Resource version and paging token of the list."),
)

IngressList = struct(
    P + "IngressList",
    "A list of Ingresses.",
    required=("items",),
    gvk=("networking.k8s.io", "v1", "IngressList"),
    apiVersion=string("Group and version of this object's schema."),
    items=list_of(Ingress, "The Ingresses."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.LIST_META, "Resource version and paging token of the list."),
)

NetworkPolicyPeer = struct(
    P + "NetworkPolicyPeer",
    "A set of peers traffic may come from or go to: an IP block, or pods chosen by selectors.",
    ipBlock=ref(IPBlock, "An address range; cannot be combined with the selectors."),
    namespaceSelector=ref(
        meta.LABEL_SELECTOR,
        "Namespaces whose pods are peers; with podSelector, only the matching pods in them.",
    ),
    podSelector=ref(
        meta.LABEL_SELECTOR,
        "Pods that are peers, in the policy's namespace unless namespaceSelector is also set.",
    ),
)

NetworkPolicyPort = struct(
    P + "NetworkPolicyPort",
    "A port, or range of ports, that traffic is allowed on.",
    endPort=integer("Last port of a range starting at port; port must then be a number no greater than it."),
    port=ref(INT_OR_STRING, "Port number or named container port; empty means every port."),
    protocol=string("TCP, UDP or SCTP. Defaults to TCP."),
)

NetworkPolicyEgressRule = struct(
    P + "NetworkPolicyEgressRule",
    "Outgoing traffic allowed from the selected pods when it matches both the ports and the destinations.",
    ports=list_of(NetworkPolicyPort, "Destination ports allowed; empty means every port."),
    to=list_of(NetworkPolicyPeer, "Destinations allowed; empty means every destination."),
)

NetworkPolicyIngressRule = struct(
    P + "NetworkPolicyIngressRule",
    "Incoming traffic allowed to the selected pods when it matches both the ports and the sources.",
    props={"from": list_of(NetworkPolicyPeer, "Sources allowed; empty means every source.")},
    ports=list_of(NetworkPolicyPort, "Ports on the selected pods that are open; empty means every port."),
)

NetworkPolicySpec = struct(
    P + "NetworkPolicySpec",
    "Which pods a NetworkPolicy applies to and what traffic it lets through.",
    egress=list_of(
        NetworkPolicyEgressRule, "Outgoing traffic allowed; pods isolated for egress allow nothing else."
    ),
    ingress=list_of(
        NetworkPolicyIngressRule, "Incoming traffic allowed; pods isolated for ingress allow nothing else."
    ),
    podSelector=ref(
        meta.LABEL_SELECTOR, "Pods in the namespace the policy applies to; empty selects all of them."
    ),
    policyTypes=list_of(
        string(),
        "Directions isolated: Ingress, Egress or both. Defaults to Ingress, plus Egress with egress rules.",
    ),
)

NetworkPolicy = struct(
    P + "NetworkPolicy",
    "Firewall rules for a set of pods: which connections they may accept and open.",
    gvk=("networking.k8s.io", "v1", "NetworkPolicy"),
    apiVersion=string("Group and version of this object's schema."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Name, namespace, labels and other standard object metadata."),
    spec=ref(NetworkPolicySpec, "The pods selected and the traffic allowed."),
)

NetworkPolicyList = struct(
    P + "NetworkPolicyList",
    "A list of NetworkPolicies.",
    required=("items",),
    gvk=("networking.k8s.io", "v1", "NetworkPolicyList"),
    apiVersion=string("Group and version of this object's schema."),
    items=list_of(NetworkPolicy, "The NetworkPolicies."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.LIST_META, "Resource version and paging token of the list."),
)

ServiceCIDRSpec = struct(
    P + "ServiceCIDRSpec",
    "The address ranges of a ServiceCIDR.",
    cidrs=list_of(string(), "At most one IPv4 and one IPv6 range, in CIDR form; cannot be changed."),
)

ServiceCIDRStatus = struct(
    P + "ServiceCIDRStatus",
    "The observed state of a ServiceCIDR.",
    conditions=list_of(
        meta.CONDITION,
        "The current conditions of the ServiceCIDR, such as Ready.",
        list_type="map",
        map_keys=("type",),
        patch_strategy="merge",
        merge_key="type",
    ),
)

ServiceCIDR = struct(
    P + "ServiceCIDR",
    "A range of addresses that Service cluster IPs are allocated from.",
    gvk=("networking.k8s.io", "v1", "ServiceCIDR"),
    apiVersion=string("Group and version of this object's schema."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Name, labels and other standard object metadata."),
    spec=ref(ServiceCIDRSpec, "The address ranges."),
    status=ref(ServiceCIDRStatus, "The observed state of the ranges."),
)

ServiceCIDRList = struct(
    P + "ServiceCIDRList",
    "A list of ServiceCIDRs.",
    required=("items",),
    gvk=("networking.k8s.io", "v1", "ServiceCIDRList"),
    apiVersion=string("Group and version of this object's schema."),
    items=list_of(ServiceCIDR, "The ServiceCIDRs."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.LIST_META, "Resource version and paging token of the list."),
)
