"""Types of admissionregistration.v1: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    byte_string,
    int64,
    integer,
    list_of,
    string,
    struct,
)
from pyk8s.kinds import meta

P = "io.k8s.api.admissionregistration.v1."

ApplyConfiguration = struct(
    P + "ApplyConfiguration",
    "",
    expression=string(),
)

AuditAnnotation = struct(
    P + "AuditAnnotation",
    "",
    required=("key", "valueExpression"),
    key=string(),
    valueExpression=string(),
)

ExpressionWarning = struct(
    P + "ExpressionWarning",
    "",
    required=("fieldRef", "warning"),
    fieldRef=string(),
    warning=string(),
)

JSONPatch = struct(
    P + "JSONPatch",
    "",
    expression=string(),
)

MatchCondition = struct(
    P + "MatchCondition",
    "",
    required=("name", "expression"),
    expression=string(),
    name=string(),
)

NamedRuleWithOperations = struct(
    P + "NamedRuleWithOperations",
    "",
    struct_type="atomic",
    apiGroups=list_of(string(), ""),
    apiVersions=list_of(string(), ""),
    operations=list_of(string(), ""),
    resourceNames=list_of(string(), ""),
    resources=list_of(string(), ""),
    scope=string(),
)

MatchResources = struct(
    P + "MatchResources",
    "",
    struct_type="atomic",
    excludeResourceRules=list_of(NamedRuleWithOperations, ""),
    matchPolicy=string(),
    namespaceSelector=meta.LABEL_SELECTOR,
    objectSelector=meta.LABEL_SELECTOR,
    resourceRules=list_of(NamedRuleWithOperations, ""),
)

Mutation = struct(
    P + "Mutation",
    "",
    required=("patchType",),
    applyConfiguration=ApplyConfiguration,
    jsonPatch=JSONPatch,
    patchType=string(),
)

ParamKind = struct(
    P + "ParamKind",
    "",
    struct_type="atomic",
    apiVersion=string(),
    kind=string(),
)

Variable = struct(
    P + "Variable",
    "",
    required=("name", "expression"),
    struct_type="atomic",
    expression=string(),
    name=string(),
)

MutatingAdmissionPolicySpec = struct(
    P + "MutatingAdmissionPolicySpec",
    "",
    failurePolicy=string(),
    matchConditions=list_of(
        MatchCondition, "", list_type="map", map_keys=("name",), patch_strategy="merge", merge_key="name"
    ),
    matchConstraints=MatchResources,
    mutations=list_of(Mutation, ""),
    paramKind=ParamKind,
    reinvocationPolicy=string(),
    variables=list_of(Variable, ""),
)

MutatingAdmissionPolicy = struct(
    P + "MutatingAdmissionPolicy",
    "",
    gvk=("admissionregistration.k8s.io", "v1", "MutatingAdmissionPolicy"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=MutatingAdmissionPolicySpec,
)

ParamRef = struct(
    P + "ParamRef",
    "",
    struct_type="atomic",
    name=string(),
    namespace=string(),
    parameterNotFoundAction=string(),
    selector=meta.LABEL_SELECTOR,
)

MutatingAdmissionPolicyBindingSpec = struct(
    P + "MutatingAdmissionPolicyBindingSpec",
    "",
    matchResources=MatchResources,
    paramRef=ParamRef,
    policyName=string(),
)

MutatingAdmissionPolicyBinding = struct(
    P + "MutatingAdmissionPolicyBinding",
    "",
    gvk=("admissionregistration.k8s.io", "v1", "MutatingAdmissionPolicyBinding"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=MutatingAdmissionPolicyBindingSpec,
)

MutatingAdmissionPolicyBindingList = struct(
    P + "MutatingAdmissionPolicyBindingList",
    "",
    required=("items",),
    gvk=("admissionregistration.k8s.io", "v1", "MutatingAdmissionPolicyBindingList"),
    apiVersion=string(),
    items=list_of(MutatingAdmissionPolicyBinding, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

MutatingAdmissionPolicyList = struct(
    P + "MutatingAdmissionPolicyList",
    "",
    required=("items",),
    gvk=("admissionregistration.k8s.io", "v1", "MutatingAdmissionPolicyList"),
    apiVersion=string(),
    items=list_of(MutatingAdmissionPolicy, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

RuleWithOperations = struct(
    P + "RuleWithOperations",
    "",
    apiGroups=list_of(string(), ""),
    apiVersions=list_of(string(), ""),
    operations=list_of(string(), ""),
    resources=list_of(string(), ""),
    scope=string(),
)

ServiceReference = struct(
    P + "ServiceReference",
    "",
    required=("namespace", "name"),
    name=string(),
    namespace=string(),
    path=string(),
    port=integer(),
)

WebhookClientConfig = struct(
    P + "WebhookClientConfig",
    "",
    caBundle=byte_string(),
    service=ServiceReference,
    url=string(),
)

MutatingWebhook = struct(
    P + "MutatingWebhook",
    "",
    required=("name", "clientConfig", "sideEffects", "admissionReviewVersions"),
    admissionReviewVersions=list_of(string(), ""),
    clientConfig=WebhookClientConfig,
    failurePolicy=string(),
    matchConditions=list_of(
        MatchCondition, "", list_type="map", map_keys=("name",), patch_strategy="merge", merge_key="name"
    ),
    matchPolicy=string(),
    name=string(),
    namespaceSelector=meta.LABEL_SELECTOR,
    objectSelector=meta.LABEL_SELECTOR,
    reinvocationPolicy=string(),
    rules=list_of(RuleWithOperations, ""),
    sideEffects=string(),
    timeoutSeconds=integer(),
)

MutatingWebhookConfiguration = struct(
    P + "MutatingWebhookConfiguration",
    "",
    gvk=("admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    webhooks=list_of(
        MutatingWebhook, "", list_type="map", map_keys=("name",), patch_strategy="merge", merge_key="name"
    ),
)

MutatingWebhookConfigurationList = struct(
    P + "MutatingWebhookConfigurationList",
    "",
    required=("items",),
    gvk=("admissionregistration.k8s.io", "v1", "MutatingWebhookConfigurationList"),
    apiVersion=string(),
    items=list_of(MutatingWebhookConfiguration, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

TypeChecking = struct(
    P + "TypeChecking",
    "",
    expressionWarnings=list_of(ExpressionWarning, ""),
)

Validation = struct(
    P + "Validation",
    "",
    required=("expression",),
    expression=string(),
    message=string(),
    messageExpression=string(),
    reason=string(),
)

ValidatingAdmissionPolicySpec = struct(
    P + "ValidatingAdmissionPolicySpec",
    "",
    auditAnnotations=list_of(AuditAnnotation, ""),
    failurePolicy=string(),
    matchConditions=list_of(
        MatchCondition, "", list_type="map", map_keys=("name",), patch_strategy="merge", merge_key="name"
    ),
    matchConstraints=MatchResources,
    paramKind=ParamKind,
    validations=list_of(Validation, ""),
    variables=list_of(
        Variable, "", list_type="map", map_keys=("name",), patch_strategy="merge", merge_key="name"
    ),
)

ValidatingAdmissionPolicyStatus = struct(
    P + "ValidatingAdmissionPolicyStatus",
    "",
    conditions=list_of(meta.CONDITION, "", list_type="map", map_keys=("type",)),
    observedGeneration=int64(),
    typeChecking=TypeChecking,
)

ValidatingAdmissionPolicy = struct(
    P + "ValidatingAdmissionPolicy",
    "",
    gvk=("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicy"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=ValidatingAdmissionPolicySpec,
    status=ValidatingAdmissionPolicyStatus,
)

ValidatingAdmissionPolicyBindingSpec = struct(
    P + "ValidatingAdmissionPolicyBindingSpec",
    "",
    required=("policyName", "validationActions"),
    matchResources=MatchResources,
    paramRef=ParamRef,
    policyName=string(),
    validationActions=list_of(string(), "", list_type="set"),
)

ValidatingAdmissionPolicyBinding = struct(
    P + "ValidatingAdmissionPolicyBinding",
    "",
    required=("spec",),
    gvk=("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicyBinding"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=ValidatingAdmissionPolicyBindingSpec,
)

ValidatingAdmissionPolicyBindingList = struct(
    P + "ValidatingAdmissionPolicyBindingList",
    "",
    required=("items",),
    gvk=("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicyBindingList"),
    apiVersion=string(),
    items=list_of(ValidatingAdmissionPolicyBinding, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

ValidatingAdmissionPolicyList = struct(
    P + "ValidatingAdmissionPolicyList",
    "",
    required=("items",),
    gvk=("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicyList"),
    apiVersion=string(),
    items=list_of(ValidatingAdmissionPolicy, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

ValidatingWebhook = struct(
    P + "ValidatingWebhook",
    "",
    required=("name", "clientConfig", "sideEffects", "admissionReviewVersions"),
    admissionReviewVersions=list_of(string(), ""),
    clientConfig=WebhookClientConfig,
    failurePolicy=string(),
    matchConditions=list_of(
        MatchCondition, "", list_type="map", map_keys=("name",), patch_strategy="merge", merge_key="name"
    ),
    matchPolicy=string(),
    name=string(),
    namespaceSelector=meta.LABEL_SELECTOR,
    objectSelector=meta.LABEL_SELECTOR,
    rules=list_of(RuleWithOperations, ""),
    sideEffects=string(),
    timeoutSeconds=integer(),
)

ValidatingWebhookConfiguration = struct(
    P + "ValidatingWebhookConfiguration",
    "",
    gvk=("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    webhooks=list_of(
        ValidatingWebhook, "", list_type="map", map_keys=("name",), patch_strategy="merge", merge_key="name"
    ),
)

ValidatingWebhookConfigurationList = struct(
    P + "ValidatingWebhookConfigurationList",
    "",
    required=("items",),
    gvk=("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfigurationList"),
    apiVersion=string(),
    items=list_of(ValidatingWebhookConfiguration, ""),
    kind=string(),
    metadata=meta.LIST_META,
)
