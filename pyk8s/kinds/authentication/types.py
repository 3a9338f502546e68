"""Types of authentication.v1: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    TIME,
    boolean,
    int64,
    list_of,
    map_of,
    ref,
    string,
    struct,
)
from pyk8s.kinds import meta

P = "io.k8s.api.authentication.v1."

BoundObjectReference = struct(
    P + "BoundObjectReference",
    "An object a token is tied to: deleting the object makes the token invalid.",
    apiVersion=string("API group and version of the object."),
    kind=string("Kind of the object: Pod, Secret or Node."),
    name=string("Name of the object."),
    uid=string("UID of the object."),
)

UserInfo = struct(
    P + "UserInfo",
    "The identity of an authenticated user.",
    extra=map_of(
        list_of(string(), "Values of one attribute."),
        "Further attributes the authenticator attached to the user.",
    ),
    groups=list_of(string(), "Groups the user is a member of."),
    uid=string("Identifier that stays the same for the user over time, unlike the username."),
    username=string("Login name of the user, as the authenticator reports it."),
)

SelfSubjectReviewStatus = struct(
    P + "SelfSubjectReviewStatus",
    "The identity the API server gave the requester.",
    userInfo=ref(UserInfo, "Attributes of the user who made the request."),
)

SelfSubjectReview = struct(
    P + "SelfSubjectReview",
    "Asks the API server who it authenticates the request as.",
    gvk=("authentication.k8s.io", "v1", "SelfSubjectReview"),
    apiVersion=string("API group and version the object is written in."),
    kind=string("Type of the object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Standard object metadata: name, labels, annotations and so on."),
    status=ref(SelfSubjectReviewStatus, "The requester's identity, as determined by the server."),
)

TokenRequestSpec = struct(
    P + "TokenRequestSpec",
    "What a requested service account token should be valid for, and how long.",
    audiences=list_of(
        string(), "Intended recipients of the token; the API server's own audiences when empty."
    ),
    boundObjectRef=ref(BoundObjectReference, "Object whose deletion invalidates the token."),
    expirationSeconds=int64("Requested lifetime of the token in seconds; the server may adjust it."),
)

TokenRequestStatus = struct(
    P + "TokenRequestStatus",
    "The token issued for a TokenRequest.",
    expirationTimestamp=ref(TIME, "When the token stops being accepted."),
    token=string("The issued bearer token."),
)

TokenRequest = struct(
    P + "TokenRequest",
    "Asks for a token that authenticates as a service account.",
    gvk=("authentication.k8s.io", "v1", "TokenRequest"),
    apiVersion=string("API group and version the object is written in."),
    kind=string("Type of the object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Standard object metadata: name, labels, annotations and so on."),
    spec=ref(TokenRequestSpec, "The token wanted."),
    status=ref(TokenRequestStatus, "The issued token, set by the server."),
)

TokenReviewSpec = struct(
    P + "TokenReviewSpec",
    "The token to authenticate and the audiences it must suit.",
    required=("token",),
    audiences=list_of(string(), "Audiences the token must be valid for; the API server's own when empty."),
    token=string("The bearer token to check."),
)

TokenReviewStatus = struct(
    P + "TokenReviewStatus",
    "The outcome of authenticating a token.",
    audiences=list_of(string(), "Requested audiences for which the token holds."),
    authenticated=boolean("Whether the token belongs to a known user."),
    error=string("Reason the review failed, if it did."),
    user=ref(UserInfo, "The user the token stands for."),
)

TokenReview = struct(
    P + "TokenReview",
    "Asks whether a token is valid and whom it belongs to.",
    required=("spec",),
    gvk=("authentication.k8s.io", "v1", "TokenReview"),
    apiVersion=string("API group and version the object is written in."),
    kind=string("Type of the object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Standard object metadata: name, labels, annotations and so on."),
    spec=ref(TokenReviewSpec, "The token to check."),
    status=ref(TokenReviewStatus, "The server's verdict on the token."),
)
