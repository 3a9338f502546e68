"""Types of certificates.v1: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    TIME,
    byte_string,
    integer,
    list_of,
    map_of,
    string,
    struct,
)
from pyk8s.kinds import meta

P = "io.k8s.api.certificates.v1."

CertificateSigningRequestSpec = struct(
    P + "CertificateSigningRequestSpec",
    "",
    required=("request", "signerName"),
    expirationSeconds=integer(),
    extra=map_of(list_of(string(), ""), ""),
    groups=list_of(string(), ""),
    request=byte_string(),
    signerName=string(),
    uid=string(),
    usages=list_of(string(), ""),
    username=string(),
)

CertificateSigningRequestCondition = struct(
    P + "CertificateSigningRequestCondition",
    "",
    required=("type", "status"),
    lastTransitionTime=TIME,
    lastUpdateTime=TIME,
    message=string(),
    reason=string(),
    status=string(),
    type=string(),
)

CertificateSigningRequestStatus = struct(
    P + "CertificateSigningRequestStatus",
    "",
    certificate=byte_string(),
    conditions=list_of(CertificateSigningRequestCondition, "", list_type="map", map_keys=("type",)),
)

CertificateSigningRequest = struct(
    P + "CertificateSigningRequest",
    "",
    required=("spec",),
    gvk=("certificates.k8s.io", "v1", "CertificateSigningRequest"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=CertificateSigningRequestSpec,
    status=CertificateSigningRequestStatus,
)

CertificateSigningRequestList = struct(
    P + "CertificateSigningRequestList",
    "",
    required=("items",),
    gvk=("certificates.k8s.io", "v1", "CertificateSigningRequestList"),
    apiVersion=string(),
    items=list_of(CertificateSigningRequest, ""),
    kind=string(),
    metadata=meta.LIST_META,
)
