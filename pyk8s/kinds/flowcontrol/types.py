"""Types of flowcontrol.v1: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    TIME,
    boolean,
    integer,
    list_of,
    string,
    struct,
)
from pyk8s.kinds import meta

P = "io.k8s.api.flowcontrol.v1."

ExemptPriorityLevelConfiguration = struct(
    P + "ExemptPriorityLevelConfiguration",
    "",
    lendablePercent=integer(),
    nominalConcurrencyShares=integer(),
)

FlowDistinguisherMethod = struct(
    P + "FlowDistinguisherMethod",
    "",
    required=("type",),
    type=string(),
)

NonResourcePolicyRule = struct(
    P + "NonResourcePolicyRule",
    "",
    required=("verbs", "nonResourceURLs"),
    nonResourceURLs=list_of(string(), "", list_type="set"),
    verbs=list_of(string(), "", list_type="set"),
)

ResourcePolicyRule = struct(
    P + "ResourcePolicyRule",
    "",
    required=("verbs", "apiGroups", "resources"),
    apiGroups=list_of(string(), "", list_type="set"),
    clusterScope=boolean(),
    namespaces=list_of(string(), "", list_type="set"),
    resources=list_of(string(), "", list_type="set"),
    verbs=list_of(string(), "", list_type="set"),
)

GroupSubject = struct(
    P + "GroupSubject",
    "",
    required=("name",),
    name=string(),
)

ServiceAccountSubject = struct(
    P + "ServiceAccountSubject",
    "",
    required=("namespace", "name"),
    name=string(),
    namespace=string(),
)

UserSubject = struct(
    P + "UserSubject",
    "",
    required=("name",),
    name=string(),
)

Subject = struct(
    P + "Subject",
    "",
    required=("kind",),
    group=GroupSubject,
    kind=string(),
    serviceAccount=ServiceAccountSubject,
    user=UserSubject,
)

PolicyRulesWithSubjects = struct(
    P + "PolicyRulesWithSubjects",
    "",
    required=("subjects",),
    nonResourceRules=list_of(NonResourcePolicyRule, ""),
    resourceRules=list_of(ResourcePolicyRule, ""),
    subjects=list_of(Subject, ""),
)

PriorityLevelConfigurationReference = struct(
    P + "PriorityLevelConfigurationReference",
    "",
    required=("name",),
    name=string(),
)

FlowSchemaSpec = struct(
    P + "FlowSchemaSpec",
    "",
    required=("priorityLevelConfiguration",),
    distinguisherMethod=FlowDistinguisherMethod,
    matchingPrecedence=integer(),
    priorityLevelConfiguration=PriorityLevelConfigurationReference,
    rules=list_of(PolicyRulesWithSubjects, ""),
)

FlowSchemaCondition = struct(
    P + "FlowSchemaCondition",
    "",
    lastTransitionTime=TIME,
    message=string(),
    reason=string(),
    status=string(),
    type=string(),
)

FlowSchemaStatus = struct(
    P + "FlowSchemaStatus",
    "",
    conditions=list_of(
        FlowSchemaCondition, "", list_type="map", map_keys=("type",), patch_strategy="merge", merge_key="type"
    ),
)

FlowSchema = struct(
    P + "FlowSchema",
    "",
    gvk=("flowcontrol.apiserver.k8s.io", "v1", "FlowSchema"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=FlowSchemaSpec,
    status=FlowSchemaStatus,
)

FlowSchemaList = struct(
    P + "FlowSchemaList",
    "",
    required=("items",),
    gvk=("flowcontrol.apiserver.k8s.io", "v1", "FlowSchemaList"),
    apiVersion=string(),
    items=list_of(FlowSchema, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

QueuingConfiguration = struct(
    P + "QueuingConfiguration",
    "",
    handSize=integer(),
    queueLengthLimit=integer(),
    queues=integer(),
)

LimitResponse = struct(
    P + "LimitResponse",
    "",
    required=("type",),
    queuing=QueuingConfiguration,
    type=string(),
)

LimitedPriorityLevelConfiguration = struct(
    P + "LimitedPriorityLevelConfiguration",
    "",
    borrowingLimitPercent=integer(),
    lendablePercent=integer(),
    limitResponse=LimitResponse,
    nominalConcurrencyShares=integer(),
)

PriorityLevelConfigurationSpec = struct(
    P + "PriorityLevelConfigurationSpec",
    "",
    required=("type",),
    exempt=ExemptPriorityLevelConfiguration,
    limited=LimitedPriorityLevelConfiguration,
    type=string(),
)

PriorityLevelConfigurationCondition = struct(
    P + "PriorityLevelConfigurationCondition",
    "",
    lastTransitionTime=TIME,
    message=string(),
    reason=string(),
    status=string(),
    type=string(),
)

PriorityLevelConfigurationStatus = struct(
    P + "PriorityLevelConfigurationStatus",
    "",
    conditions=list_of(
        PriorityLevelConfigurationCondition,
        "",
        list_type="map",
        map_keys=("type",),
        patch_strategy="merge",
        merge_key="type",
    ),
)

PriorityLevelConfiguration = struct(
    P + "PriorityLevelConfiguration",
    "",
    gvk=("flowcontrol.apiserver.k8s.io", "v1", "PriorityLevelConfiguration"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=PriorityLevelConfigurationSpec,
    status=PriorityLevelConfigurationStatus,
)

PriorityLevelConfigurationList = struct(
    P + "PriorityLevelConfigurationList",
    "",
    required=("items",),
    gvk=("flowcontrol.apiserver.k8s.io", "v1", "PriorityLevelConfigurationList"),
    apiVersion=string(),
    items=list_of(PriorityLevelConfiguration, ""),
    kind=string(),
    metadata=meta.LIST_META,
)
