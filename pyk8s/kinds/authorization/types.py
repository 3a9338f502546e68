"""Types of authorization.v1: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    boolean,
    list_of,
    map_of,
    ref,
    string,
    struct,
)
from pyk8s.kinds import meta

P = "io.k8s.api.authorization.v1."

FieldSelectorAttributes = struct(
    P + "FieldSelectorAttributes",
    "A field selector, raw or parsed, that narrows the objects an access check is about.",
    rawSelector=string("The selector as written in a query string; cannot be combined with requirements."),
    requirements=list_of(meta.FIELD_SELECTOR_REQUIREMENT, "The selector, already parsed into requirements."),
)

LabelSelectorAttributes = struct(
    P + "LabelSelectorAttributes",
    "A label selector, raw or parsed, that narrows the objects an access check is about.",
    rawSelector=string("The selector as written in a query string; cannot be combined with requirements."),
    requirements=list_of(meta.LABEL_SELECTOR_REQUIREMENT, "The selector, already parsed into requirements."),
)

NonResourceAttributes = struct(
    P + "NonResourceAttributes",
    "A request for a URL path that is not an API resource, as seen by authorizers.",
    path=string("The requested URL path, such as /healthz."),
    verb=string("Lowercase HTTP verb of the request, such as get."),
)

ResourceAttributes = struct(
    P + "ResourceAttributes",
    "A request for an API resource, as seen by authorizers.",
    fieldSelector=ref(FieldSelectorAttributes, "Field selector of a list or watch the check is about."),
    group=string("API group of the resource; * means any."),
    labelSelector=ref(LabelSelectorAttributes, "Label selector of a list or watch the check is about."),
    name=string("Name of the object; empty for list, watch and create, or for any name."),
    namespace=string("Namespace of the request; empty means all namespaces, or a cluster-scoped resource."),
    resource=string("Resource, such as pods; * means any."),
    subresource=string("Subresource, such as log or status; * means any."),
    verb=string("API verb, such as get, list, watch, create or delete; * means any."),
    version=string("API version of the resource; * means any."),
)

SubjectAccessReviewSpec = struct(
    P + "SubjectAccessReviewSpec",
    "The user and the request an access check is about; set exactly one kind of attributes.",
    extra=map_of(
        list_of(string(), "Values of one attribute."),
        "Further attributes of the user, from the authenticator.",
    ),
    groups=list_of(string(), "Groups the user is a member of."),
    nonResourceAttributes=ref(NonResourceAttributes, "The request, when it is for a non-resource path."),
    resourceAttributes=ref(ResourceAttributes, "The request, when it is for an API resource."),
    uid=string("UID of the user."),
    user=string("Name of the user to check."),
)

SubjectAccessReviewStatus = struct(
    P + "SubjectAccessReviewStatus",
    "The answer to an access check.",
    required=("allowed",),
    allowed=boolean("Whether the action is permitted."),
    denied=boolean(
        "Whether the action is explicitly forbidden; with allowed also false, no authorizer had an opinion."
    ),
    evaluationError=string("Error met while checking; an answer may still have been reached."),
    reason=string("Explanation of the decision."),
)

LocalSubjectAccessReview = struct(
    P + "LocalSubjectAccessReview",
    "Asks whether a user may perform an action within one namespace.",
    required=("spec",),
    gvk=("authorization.k8s.io", "v1", "LocalSubjectAccessReview"),
    apiVersion=string("API group and version the object is written in."),
    kind=string("Type of the object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Standard object metadata: name, labels, annotations and so on."),
    spec=ref(
        SubjectAccessReviewSpec, "The user and action to check; the namespace must be the object's own."
    ),
    status=ref(SubjectAccessReviewStatus, "The server's answer."),
)

NonResourceRule = struct(
    P + "NonResourceRule",
    "Verbs a user may use on some non-resource URL paths.",
    required=("verbs",),
    nonResourceURLs=list_of(string(), "URL paths covered; a trailing * matches any suffix."),
    verbs=list_of(string(), "HTTP verbs permitted, such as get; * means any."),
)

ResourceRule = struct(
    P + "ResourceRule",
    "Verbs a user may use on some API resources.",
    required=("verbs",),
    apiGroups=list_of(string(), "API groups of the resources; * means any."),
    resourceNames=list_of(string(), "Names of the objects covered; empty means every name."),
    resources=list_of(string(), "Resources covered, such as pods or */scale; * means any."),
    verbs=list_of(string(), "API verbs permitted, such as get or list; * means any."),
)

SelfSubjectAccessReviewSpec = struct(
    P + "SelfSubjectAccessReviewSpec",
    "The action the requester asks about; set exactly one kind of attributes.",
    nonResourceAttributes=ref(NonResourceAttributes, "The request, when it is for a non-resource path."),
    resourceAttributes=ref(ResourceAttributes, "The request, when it is for an API resource."),
)

SelfSubjectAccessReview = struct(
    P + "SelfSubjectAccessReview",
    "Asks whether the requester may perform an action.",
    required=("spec",),
    gvk=("authorization.k8s.io", "v1", "SelfSubjectAccessReview"),
    apiVersion=string("API group and version the object is written in."),
    kind=string("Type of the object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Standard object metadata: name, labels, annotations and so on."),
    spec=ref(SelfSubjectAccessReviewSpec, "The action to check."),
    status=ref(SubjectAccessReviewStatus, "The server's answer."),
)

SelfSubjectRulesReviewSpec = struct(
    P + "SelfSubjectRulesReviewSpec",
    "Where to list the requester's permissions.",
    namespace=string("Namespace whose permissions are listed."),
)

SubjectRulesReviewStatus = struct(
    P + "SubjectRulesReviewStatus",
    "The actions a user may perform in a namespace, possibly not all of them.",
    required=("resourceRules", "nonResourceRules", "incomplete"),
    evaluationError=string("Error met while listing the rules; the lists may still be usable."),
    incomplete=boolean(
        "True when the lists are partial, for instance because an authorizer cannot enumerate rules."
    ),
    nonResourceRules=list_of(NonResourceRule, "Permitted actions on non-resource URL paths."),
    resourceRules=list_of(ResourceRule, "Permitted actions on API resources."),
)

SelfSubjectRulesReview = struct(
    P + "SelfSubjectRulesReview",
    "Lists the actions the requester may perform in a namespace.",
    required=("spec",),
    gvk=("authorization.k8s.io", "v1", "SelfSubjectRulesReview"),
    apiVersion=string("API group and version the object is written in."),
    kind=string("Type of the object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Standard object metadata: name, labels, annotations and so on."),
    spec=ref(SelfSubjectRulesReviewSpec, "The namespace to list permissions in."),
    status=ref(SubjectRulesReviewStatus, "The permissions found by the server."),
)

SubjectAccessReview = struct(
    P + "SubjectAccessReview",
    "Asks whether a given user may perform an action.",
    required=("spec",),
    gvk=("authorization.k8s.io", "v1", "SubjectAccessReview"),
    apiVersion=string("API group and version the object is written in."),
    kind=string("Type of the object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Standard object metadata: name, labels, annotations and so on."),
    spec=ref(SubjectAccessReviewSpec, "The user and action to check."),
    status=ref(SubjectAccessReviewStatus, "The server's answer."),
)
