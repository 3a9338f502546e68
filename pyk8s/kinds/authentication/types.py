"""Types of authentication.v1: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    TIME,
    boolean,
    int64,
    list_of,
    map_of,
    string,
    struct,
)
from pyk8s.kinds import meta

P = "io.k8s.api.authentication.v1."

BoundObjectReference = struct(
    P + "BoundObjectReference",
    "",
    apiVersion=string(),
    kind=string(),
    name=string(),
    uid=string(),
)

UserInfo = struct(
    P + "UserInfo",
    "",
    extra=map_of(list_of(string(), ""), ""),
    groups=list_of(string(), ""),
    uid=string(),
    username=string(),
)

SelfSubjectReviewStatus = struct(
    P + "SelfSubjectReviewStatus",
    "",
    userInfo=UserInfo,
)

SelfSubjectReview = struct(
    P + "SelfSubjectReview",
    "",
    gvk=("authentication.k8s.io", "v1", "SelfSubjectReview"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    status=SelfSubjectReviewStatus,
)

TokenRequestSpec = struct(
    P + "TokenRequestSpec",
    "",
    audiences=list_of(string(), ""),
    boundObjectRef=BoundObjectReference,
    expirationSeconds=int64(),
)

TokenRequestStatus = struct(
    P + "TokenRequestStatus",
    "",
    expirationTimestamp=TIME,
    token=string(),
)

TokenRequest = struct(
    P + "TokenRequest",
    "",
    gvk=("authentication.k8s.io", "v1", "TokenRequest"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=TokenRequestSpec,
    status=TokenRequestStatus,
)

TokenReviewSpec = struct(
    P + "TokenReviewSpec",
    "",
    required=("token",),
    audiences=list_of(string(), ""),
    token=string(),
)

TokenReviewStatus = struct(
    P + "TokenReviewStatus",
    "",
    audiences=list_of(string(), ""),
    authenticated=boolean(),
    error=string(),
    user=UserInfo,
)

TokenReview = struct(
    P + "TokenReview",
    "",
    required=("spec",),
    gvk=("authentication.k8s.io", "v1", "TokenReview"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=TokenReviewSpec,
    status=TokenReviewStatus,
)
