"""Types of admissionregistration.v1: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    byte_string,
    int64,
    integer,
    list_of,
    ref,
    string,
    struct,
)
from pyk8s.kinds import meta

P = "io.k8s.api.admissionregistration.v1."

ApplyConfiguration = struct(
    P + "ApplyConfiguration",
    "A mutation written as a CEL expression whose result is merged into the object like an apply.",
    expression=string("CEL expression building an Object value that is merged into the request object."),
)

AuditAnnotation = struct(
    P + "AuditAnnotation",
    "An annotation added to the audit event of a request, with a value computed by CEL.",
    required=("key", "valueExpression"),
    key=string("Key of the annotation, recorded as <policy name>/<key>; unique within the policy."),
    valueExpression=string("CEL expression giving the value as a string; null leaves the annotation out."),
)

ExpressionWarning = struct(
    P + "ExpressionWarning",
    "A type-checking warning about one expression of a policy.",
    required=("fieldRef", "warning"),
    fieldRef=string("Path of the field holding the expression, such as spec.validations[0].expression."),
    warning=string("What the type checker found."),
)

JSONPatch = struct(
    P + "JSONPatch",
    "A mutation written as a CEL expression that yields JSON Patch operations.",
    expression=string("CEL expression returning the list of JSON Patch operations applied to the object."),
)

MatchCondition = struct(
    P + "MatchCondition",
    "A CEL condition a request has to meet before a webhook or policy is consulted.",
    required=("name", "expression"),
    expression=string("CEL expression returning a boolean; the request is only handled when all are true."),
    name=string("Identifier of the condition, unique within its list."),
)

NamedRuleWithOperations = struct(
    P + "NamedRuleWithOperations",
    "A rule matching operations on resources, optionally restricted to objects with given names.",
    struct_type="atomic",
    apiGroups=list_of(string(), "API groups to match; * means any, the empty string the core group."),
    apiVersions=list_of(string(), "API versions to match; * means any."),
    operations=list_of(string(), "Operations to match: CREATE, UPDATE, DELETE, CONNECT, or * for any."),
    resourceNames=list_of(string(), "Names of the objects to match; empty matches every name."),
    resources=list_of(string(), "Resources to match, such as pods or pods/status; * means any."),
    scope=string("Cluster, Namespaced, or * for either. Defaults to *."),
)

MatchResources = struct(
    P + "MatchResources",
    "Which requests a policy or binding covers, by namespace, object labels and resource.",
    struct_type="atomic",
    excludeResourceRules=list_of(
        NamedRuleWithOperations, "Operations and resources left out even if they match; exclusion wins."
    ),
    matchPolicy=string(
        "Exact matches only the listed versions; Equivalent also matches other versions of the same resource."
    ),
    namespaceSelector=ref(
        meta.LABEL_SELECTOR, "Matches by the labels of the object's namespace; empty matches all."
    ),
    objectSelector=ref(
        meta.LABEL_SELECTOR, "Matches by the labels of the old or new object; empty matches all."
    ),
    resourceRules=list_of(NamedRuleWithOperations, "Operations and resources that are covered."),
)

Mutation = struct(
    P + "Mutation",
    "One change a mutating admission policy makes to an object.",
    required=("patchType",),
    applyConfiguration=ref(
        ApplyConfiguration, "The change as an apply configuration, when patchType says so."
    ),
    jsonPatch=ref(JSONPatch, "The change as a JSON patch, when patchType says so."),
    patchType=string("ApplyConfiguration or JSONPatch: which of the two fields carries the change."),
)

ParamKind = struct(
    P + "ParamKind",
    "The kind of object that provides parameters to a policy.",
    struct_type="atomic",
    apiVersion=string("Group and version of the parameter kind, such as apps/v1."),
    kind=string("Kind of the parameter objects, such as ConfigMap."),
)

Variable = struct(
    P + "Variable",
    "A named CEL expression that the other expressions of a policy can use.",
    required=("name", "expression"),
    struct_type="atomic",
    expression=string("CEL expression computing the value; evaluated lazily, at most once per request."),
    name=string("Name of the variable, used as variables.<name>; must be a valid CEL identifier."),
)

MutatingAdmissionPolicySpec = struct(
    P + "MutatingAdmissionPolicySpec",
    "The desired behaviour of a mutating admission policy.",
    failurePolicy=string(
        "Fail rejects and Ignore admits the request when the policy errors. Defaults to Fail."
    ),
    matchConditions=list_of(
        MatchCondition,
        "Further CEL conditions a request must meet before it is mutated.",
        list_type="map",
        map_keys=("name",),
        patch_strategy="merge",
        merge_key="name",
    ),
    matchConstraints=ref(MatchResources, "Requests the policy may apply to; bindings can only narrow them."),
    mutations=list_of(Mutation, "Changes applied to the object, in order."),
    paramKind=ref(ParamKind, "Kind of the parameter objects bindings point at; none when unset."),
    reinvocationPolicy=string(
        "Never, or IfNeeded to run again when later admission steps change the object."
    ),
    variables=list_of(Variable, "Named expressions that match conditions and mutations can use."),
)

MutatingAdmissionPolicy = struct(
    P + "MutatingAdmissionPolicy",
    "A policy that changes matching objects with CEL expressions, without a webhook.",
    gvk=("admissionregistration.k8s.io", "v1", "MutatingAdmissionPolicy"),
    apiVersion=string("API group and version the object is written in."),
    kind=string("Type of the object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Standard object metadata: name, labels, annotations and so on."),
    spec=ref(MutatingAdmissionPolicySpec, "Desired behaviour of the policy."),
)

ParamRef = struct(
    P + "ParamRef",
    "Points at the parameter object, or objects, a binding hands to its policy.",
    struct_type="atomic",
    name=string("Name of one parameter object; cannot be combined with selector."),
    namespace=string(
        "Namespace of the parameters; when empty, namespaced parameters come from the request's."
    ),
    parameterNotFoundAction=string("Allow or Deny: what happens when no matching parameter object exists."),
    selector=ref(
        meta.LABEL_SELECTOR, "Selects parameter objects by label; the policy is evaluated once per match."
    ),
)

MutatingAdmissionPolicyBindingSpec = struct(
    P + "MutatingAdmissionPolicyBindingSpec",
    "Which mutating policy a binding enables, with which parameters and for which requests.",
    matchResources=ref(
        MatchResources, "Narrows the requests the policy applies to; all of the policy's when unset."
    ),
    paramRef=ref(ParamRef, "Parameters passed to the policy."),
    policyName=string("Name of the MutatingAdmissionPolicy to enable; nothing happens if it does not exist."),
)

MutatingAdmissionPolicyBinding = struct(
    P + "MutatingAdmissionPolicyBinding",
    "Enables a mutating admission policy for some requests, with given parameters.",
    gvk=("admissionregistration.k8s.io", "v1", "MutatingAdmissionPolicyBinding"),
    apiVersion=string("API group and version the object is written in."),
    kind=string("Type of the object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Standard object metadata: name, labels, annotations and so on."),
    spec=ref(MutatingAdmissionPolicyBindingSpec, "Desired behaviour of the binding."),
)

MutatingAdmissionPolicyBindingList = struct(
    P + "MutatingAdmissionPolicyBindingList",
    "A list of MutatingAdmissionPolicyBindings.",
    required=("items",),
    gvk=("admissionregistration.k8s.io", "v1", "MutatingAdmissionPolicyBindingList"),
    apiVersion=string("API group and version the list is written in."),
    items=list_of(MutatingAdmissionPolicyBinding, "The bindings."),
    kind=string("Type of the list, in CamelCase."),
    metadata=ref(meta.LIST_META, "Standard list metadata, such as the resource version and continue token."),
)

MutatingAdmissionPolicyList = struct(
    P + "MutatingAdmissionPolicyList",
    "A list of MutatingAdmissionPolicies.",
    required=("items",),
    gvk=("admissionregistration.k8s.io", "v1", "MutatingAdmissionPolicyList"),
    apiVersion=string("API group and version the list is written in."),
    items=list_of(MutatingAdmissionPolicy, "The policies."),
    kind=string("Type of the list, in CamelCase."),
    metadata=ref(meta.LIST_META, "Standard list metadata, such as the resource version and continue token."),
)

RuleWithOperations = struct(
    P + "RuleWithOperations",
    "A rule matching operations on API resources.",
    apiGroups=list_of(string(), "API groups to match; * means any, the empty string the core group."),
    apiVersions=list_of(string(), "API versions to match; * means any."),
    operations=list_of(string(), "Operations to match: CREATE, UPDATE, DELETE, CONNECT, or * for any."),
    resources=list_of(string(), "Resources to match, such as pods or pods/status; * means any."),
    scope=string("Cluster, Namespaced, or * for either. Defaults to *."),
)

ServiceReference = struct(
    P + "ServiceReference",
    "An in-cluster Service that admission webhook calls are sent to.",
    required=("namespace", "name"),
    name=string("Name of the Service."),
    namespace=string("Namespace the Service lives in."),
    path=string("Optional URL path added to every request sent to the Service."),
    port=integer("Port of the Service to call. Defaults to 443."),
)

WebhookClientConfig = struct(
    P + "WebhookClientConfig",
    "How the API server connects to an admission webhook: by URL or through an in-cluster Service.",
    caBundle=byte_string(
        "PEM CA certificates that verify the webhook's serving certificate; system roots if empty."
    ),
    service=ref(ServiceReference, "In-cluster Service hosting the webhook; set either this or url."),
    url=string("The webhook's https URL, without user info, query or fragment."),
)

MutatingWebhook = struct(
    P + "MutatingWebhook",
    "An admission webhook that may modify objects, with the requests it is called for.",
    required=("name", "clientConfig", "sideEffects", "admissionReviewVersions"),
    admissionReviewVersions=list_of(
        string(), "Versions of AdmissionReview the webhook accepts, most preferred first."
    ),
    clientConfig=ref(WebhookClientConfig, "How to reach the webhook."),
    failurePolicy=string("Fail rejects and Ignore admits the request when the call fails. Defaults to Fail."),
    matchConditions=list_of(
        MatchCondition,
        "CEL conditions that must all hold for the webhook to be called.",
        list_type="map",
        map_keys=("name",),
        patch_strategy="merge",
        merge_key="name",
    ),
    matchPolicy=string(
        "Exact matches only the listed versions; Equivalent also matches other versions of the same resource."
    ),
    name=string("Fully qualified webhook name, such as imagepolicy.example.com."),
    namespaceSelector=ref(
        meta.LABEL_SELECTOR, "Matches by the labels of the object's namespace; empty matches all."
    ),
    objectSelector=ref(
        meta.LABEL_SELECTOR, "Matches by the labels of the old or new object; empty matches all."
    ),
    reinvocationPolicy=string(
        "Never, or IfNeeded to call again when later admission steps change the object."
    ),
    rules=list_of(RuleWithOperations, "Operations and resources the webhook is called for."),
    sideEffects=string("None or NoneOnDryRun: whether the call has effects outside the admitted object."),
    timeoutSeconds=integer("Seconds to wait for an answer, from 1 to 30. Defaults to 10."),
)

MutatingWebhookConfiguration = struct(
    P + "MutatingWebhookConfiguration",
    "A set of admission webhooks that may modify objects.",
    gvk=("admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration"),
    apiVersion=string("API group and version the object is written in."),
    kind=string("Type of the object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Standard object metadata: name, labels, annotations and so on."),
    webhooks=list_of(
        MutatingWebhook,
        "The webhooks, each with the requests it is called for.",
        list_type="map",
        map_keys=("name",),
        patch_strategy="merge",
        merge_key="name",
    ),
)

MutatingWebhookConfigurationList = struct(
    P + "MutatingWebhookConfigurationList",
    "A list of MutatingWebhookConfigurations.",
    required=("items",),
    gvk=("admissionregistration.k8s.io", "v1", "MutatingWebhookConfigurationList"),
    apiVersion=string("API group and version the list is written in."),
    items=list_of(MutatingWebhookConfiguration, "The webhook configurations."),
    kind=string("Type of the list, in CamelCase."),
    metadata=ref(meta.LIST_META, "Standard list metadata, such as the resource version and continue token."),
)

TypeChecking = struct(
    P + "TypeChecking",
    "The outcome of checking a policy's expressions against the types of the matched resources.",
    expressionWarnings=list_of(ExpressionWarning, "Problems found, one per expression."),
)

Validation = struct(
    P + "Validation",
    "One CEL check of a validating admission policy.",
    required=("expression",),
    expression=string("CEL expression that must be true for the request to be admitted."),
    message=string("Fixed message returned when the check fails."),
    messageExpression=string(
        "CEL expression building the failure message; preferred over message when it works."
    ),
    reason=string("Machine-readable reason of the failure response, such as Forbidden. Defaults to Invalid."),
)

ValidatingAdmissionPolicySpec = struct(
    P + "ValidatingAdmissionPolicySpec",
    "The desired behaviour of a validating admission policy.",
    auditAnnotations=list_of(
        AuditAnnotation, "Annotations written to the audit events of matching requests."
    ),
    failurePolicy=string(
        "Fail rejects and Ignore admits the request when the policy errors. Defaults to Fail."
    ),
    matchConditions=list_of(
        MatchCondition,
        "Further CEL conditions a request must meet before it is validated.",
        list_type="map",
        map_keys=("name",),
        patch_strategy="merge",
        merge_key="name",
    ),
    matchConstraints=ref(MatchResources, "Requests the policy may apply to; bindings can only narrow them."),
    paramKind=ref(ParamKind, "Kind of the parameter objects bindings point at; none when unset."),
    validations=list_of(Validation, "CEL checks a request must pass."),
    variables=list_of(
        Variable,
        "Named expressions that match conditions, validations and audit annotations can use.",
        list_type="map",
        map_keys=("name",),
        patch_strategy="merge",
        merge_key="name",
    ),
)

ValidatingAdmissionPolicyStatus = struct(
    P + "ValidatingAdmissionPolicyStatus",
    "The state of a validating admission policy as observed by the API server.",
    conditions=list_of(
        meta.CONDITION, "Latest observations of the policy's state.", list_type="map", map_keys=("type",)
    ),
    observedGeneration=int64("Generation of the policy the status was computed from."),
    typeChecking=ref(TypeChecking, "Results of type-checking the policy's expressions."),
)

ValidatingAdmissionPolicy = struct(
    P + "ValidatingAdmissionPolicy",
    "A policy that admits or rejects requests with CEL expressions, without a webhook.",
    gvk=("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicy"),
    apiVersion=string("API group and version the object is written in."),
    kind=string("Type of the object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Standard object metadata: name, labels, annotations and so on."),
    spec=ref(ValidatingAdmissionPolicySpec, "Desired behaviour of the policy."),
    status=ref(
        ValidatingAdmissionPolicyStatus, "Observed state of the policy, such as type-checking results."
    ),
)

ValidatingAdmissionPolicyBindingSpec = struct(
    P + "ValidatingAdmissionPolicyBindingSpec",
    "Which validating policy a binding enables, with which parameters, for which requests and how.",
    required=("policyName", "validationActions"),
    matchResources=ref(
        MatchResources, "Narrows the requests the policy applies to; all of the policy's when unset."
    ),
    paramRef=ref(ParamRef, "Parameters passed to the policy."),
    policyName=string(
        "Name of the ValidatingAdmissionPolicy to enable; nothing happens if it does not exist."
    ),
    validationActions=list_of(
        string(),
        "What a failed check does: Deny, Warn and/or Audit; Deny and Warn exclude each other.",
        list_type="set",
    ),
)

ValidatingAdmissionPolicyBinding = struct(
    P + "ValidatingAdmissionPolicyBinding",
    "Enables a validating admission policy for some requests, with given parameters.",
    required=("spec",),
    gvk=("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicyBinding"),
    apiVersion=string("API group and version the object is written in."),
    kind=string("Type of the object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Standard object metadata: name, labels, annotations and so on."),
    spec=ref(ValidatingAdmissionPolicyBindingSpec, "Desired behaviour of the binding."),
)

ValidatingAdmissionPolicyBindingList = struct(
    P + "ValidatingAdmissionPolicyBindingList",
    "A list of ValidatingAdmissionPolicyBindings.",
    required=("items",),
    gvk=("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicyBindingList"),
    apiVersion=string("API group and version the list is written in."),
    items=list_of(ValidatingAdmissionPolicyBinding, "The bindings."),
    kind=string("Type of the list, in CamelCase."),
    metadata=ref(meta.LIST_META, "Standard list metadata, such as the resource version and continue token."),
)

ValidatingAdmissionPolicyList = struct(
    P + "ValidatingAdmissionPolicyList",
    "A list of ValidatingAdmissionPolicies.",
    required=("items",),
    gvk=("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicyList"),
    apiVersion=string("API group and version the list is written in."),
    items=list_of(ValidatingAdmissionPolicy, "The policies."),
    kind=string("Type of the list, in CamelCase."),
    metadata=ref(meta.LIST_META, "Standard list metadata, such as the resource version and continue token."),
)

ValidatingWebhook = struct(
    P + "ValidatingWebhook",
    "An admission webhook that admits or rejects requests, with the requests it is called for.",
    required=("name", "clientConfig", "sideEffects", "admissionReviewVersions"),
    admissionReviewVersions=list_of(
        string(), "Versions of AdmissionReview the webhook accepts, most preferred first."
    ),
    clientConfig=ref(WebhookClientConfig, "How to reach the webhook."),
    failurePolicy=string("Fail rejects and Ignore admits the request when the call fails. Defaults to Fail."),
    matchConditions=list_of(
        MatchCondition,
        "CEL conditions that must all hold for the webhook to be called.",
        list_type="map",
        map_keys=("name",),
        patch_strategy="merge",
        merge_key="name",
    ),
    matchPolicy=string(
        "Exact matches only the listed versions; Equivalent also matches other versions of the same resource."
    ),
    name=string("Fully qualified webhook name, such as imagepolicy.example.com."),
    namespaceSelector=ref(
        meta.LABEL_SELECTOR, "Matches by the labels of the object's namespace; empty matches all."
    ),
    objectSelector=ref(
        meta.LABEL_SELECTOR, "Matches by the labels of the old or new object; empty matches all."
    ),
    rules=list_of(RuleWithOperations, "Operations and resources the webhook is called for."),
    sideEffects=string("None or NoneOnDryRun: whether the call has effects outside the admitted object."),
    timeoutSeconds=integer("Seconds to wait for an answer, from 1 to 30. Defaults to 10."),
)

ValidatingWebhookConfiguration = struct(
    P + "ValidatingWebhookConfiguration",
    "A set of admission webhooks that admit or reject requests.",
    gvk=("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration"),
    apiVersion=string("API group and version the object is written in."),
    kind=string("Type of the object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Standard object metadata: name, labels, annotations and so on."),
    webhooks=list_of(
        ValidatingWebhook,
        "The webhooks, each with the requests it is called for.",
        list_type="map",
        map_keys=("name",),
        patch_strategy="merge",
        merge_key="name",
    ),
)

ValidatingWebhookConfigurationList = struct(
    P + "ValidatingWebhookConfigurationList",
    "A list of ValidatingWebhookConfigurations.",
    required=("items",),
    gvk=("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfigurationList"),
    apiVersion=string("API group and version the list is written in."),
    items=list_of(ValidatingWebhookConfiguration, "The webhook configurations."),
    kind=string("Type of the list, in CamelCase."),
    metadata=ref(meta.LIST_META, "Standard list metadata, such as the resource version and continue token."),
)
