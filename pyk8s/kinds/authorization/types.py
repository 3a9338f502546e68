"""Types of authorization.v1: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    boolean,
    list_of,
    map_of,
    string,
    struct,
)
from pyk8s.kinds import meta

P = "io.k8s.api.authorization.v1."

FieldSelectorAttributes = struct(
    P + "FieldSelectorAttributes",
    "",
    rawSelector=string(),
    requirements=list_of(meta.FIELD_SELECTOR_REQUIREMENT, ""),
)

LabelSelectorAttributes = struct(
    P + "LabelSelectorAttributes",
    "",
    rawSelector=string(),
    requirements=list_of(meta.LABEL_SELECTOR_REQUIREMENT, ""),
)

NonResourceAttributes = struct(
    P + "NonResourceAttributes",
    "",
    path=string(),
    verb=string(),
)

ResourceAttributes = struct(
    P + "ResourceAttributes",
    "",
    fieldSelector=FieldSelectorAttributes,
    group=string(),
    labelSelector=LabelSelectorAttributes,
    name=string(),
    namespace=string(),
    resource=string(),
    subresource=string(),
    verb=string(),
    version=string(),
)

SubjectAccessReviewSpec = struct(
    P + "SubjectAccessReviewSpec",
    "",
    extra=map_of(list_of(string(), ""), ""),
    groups=list_of(string(), ""),
    nonResourceAttributes=NonResourceAttributes,
    resourceAttributes=ResourceAttributes,
    uid=string(),
    user=string(),
)

SubjectAccessReviewStatus = struct(
    P + "SubjectAccessReviewStatus",
    "",
    required=("allowed",),
    allowed=boolean(),
    denied=boolean(),
    evaluationError=string(),
    reason=string(),
)

LocalSubjectAccessReview = struct(
    P + "LocalSubjectAccessReview",
    "",
    required=("spec",),
    gvk=("authorization.k8s.io", "v1", "LocalSubjectAccessReview"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=SubjectAccessReviewSpec,
    status=SubjectAccessReviewStatus,
)

NonResourceRule = struct(
    P + "NonResourceRule",
    "",
    required=("verbs",),
    nonResourceURLs=list_of(string(), ""),
    verbs=list_of(string(), ""),
)

ResourceRule = struct(
    P + "ResourceRule",
    "",
    required=("verbs",),
    apiGroups=list_of(string(), ""),
    resourceNames=list_of(string(), ""),
    resources=list_of(string(), ""),
    verbs=list_of(string(), ""),
)

SelfSubjectAccessReviewSpec = struct(
    P + "SelfSubjectAccessReviewSpec",
    "",
    nonResourceAttributes=NonResourceAttributes,
    resourceAttributes=ResourceAttributes,
)

SelfSubjectAccessReview = struct(
    P + "SelfSubjectAccessReview",
    "",
    required=("spec",),
    gvk=("authorization.k8s.io", "v1", "SelfSubjectAccessReview"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=SelfSubjectAccessReviewSpec,
    status=SubjectAccessReviewStatus,
)

SelfSubjectRulesReviewSpec = struct(
    P + "SelfSubjectRulesReviewSpec",
    "",
    namespace=string(),
)

SubjectRulesReviewStatus = struct(
    P + "SubjectRulesReviewStatus",
    "",
    required=("resourceRules", "nonResourceRules", "incomplete"),
    evaluationError=string(),
    incomplete=boolean(),
    nonResourceRules=list_of(NonResourceRule, ""),
    resourceRules=list_of(ResourceRule, ""),
)

SelfSubjectRulesReview = struct(
    P + "SelfSubjectRulesReview",
    "",
    required=("spec",),
    gvk=("authorization.k8s.io", "v1", "SelfSubjectRulesReview"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=SelfSubjectRulesReviewSpec,
    status=SubjectRulesReviewStatus,
)

SubjectAccessReview = struct(
    P + "SubjectAccessReview",
    "",
    required=("spec",),
    gvk=("authorization.k8s.io", "v1", "SubjectAccessReview"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=SubjectAccessReviewSpec,
    status=SubjectAccessReviewStatus,
)
