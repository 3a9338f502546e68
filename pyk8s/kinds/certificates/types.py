"""Types of certificates.v1: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    TIME,
    byte_string,
    integer,
    list_of,
    map_of,
    ref,
    string,
    struct,
)
from pyk8s.kinds import meta

P = "io.k8s.api.certificates.v1."

CertificateSigningRequestSpec = struct(
    P + "CertificateSigningRequestSpec",
    "The certificate request and the identity of whoever made it.",
    required=("request", "signerName"),
    expirationSeconds=integer(
        "Validity wanted for the certificate, at least 600 seconds; the signer may ignore it."
    ),
    extra=map_of(list_of(string(), ""), "Extra attributes of the requesting user; set by the server."),
    groups=list_of(string(), "Groups of the requesting user; set by the server."),
    request=byte_string("The PEM-encoded PKCS#10 certificate request; cannot change."),
    signerName=string(
        "The signer asked to sign, such as kubernetes.io/kube-apiserver-client; cannot change."
    ),
    uid=string("UID of the requesting user; set by the server."),
    usages=list_of(
        string(), "Key usages wanted in the certificate, such as digital signature or client auth."
    ),
    username=string("Name of the requesting user; set by the server."),
)

CertificateSigningRequestCondition = struct(
    P + "CertificateSigningRequestCondition",
    "A state a certificate request has reached, such as approval or denial.",
    required=("type", "status"),
    lastTransitionTime=ref(TIME, "When the status of this condition last changed."),
    lastUpdateTime=ref(TIME, "When this condition was last written."),
    message=string("A human-readable explanation."),
    reason=string("A short CamelCase reason."),
    status=string("True, False or Unknown; Approved, Denied and Failed are always True."),
    type=string("Approved, Denied or Failed, or a custom type."),
)

CertificateSigningRequestStatus = struct(
    P + "CertificateSigningRequestStatus",
    "The outcome of a certificate request.",
    certificate=byte_string("The issued certificate, PEM-encoded, filled in by the signer once approved."),
    conditions=list_of(
        CertificateSigningRequestCondition,
        "Approval, denial and failure conditions of the request.",
        list_type="map",
        map_keys=("type",),
    ),
)

CertificateSigningRequest = struct(
    P + "CertificateSigningRequest",
    "Asks a signer to issue an X.509 certificate; it must be approved before it is signed.",
    required=("spec",),
    gvk=("certificates.k8s.io", "v1", "CertificateSigningRequest"),
    apiVersion=string("Group and version of this object's schema."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Name, labels and other standard object metadata."),
    spec=ref(CertificateSigningRequestSpec, "The request and requester; cannot change once created."),
    status=ref(
        CertificateSigningRequestStatus, "Whether the request was approved and the certificate issued."
    ),
)

CertificateSigningRequestList = struct(
    P + "CertificateSigningRequestList",
    "A list of CertificateSigningRequests.",
    required=("items",),
    gvk=("certificates.k8s.io", "v1", "CertificateSigningRequestList"),
    apiVersion=string("Group and version of this object's schema."),
    items=list_of(CertificateSigningRequest, "The CertificateSigningRequests."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.LIST_META, "Resource version and paging token of the list."),
)
