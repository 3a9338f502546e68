"""Types of flowcontrol.v1: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    TIME,
    boolean,
    integer,
    list_of,
    ref,
    string,
    struct,
)
from pyk8s.kinds import meta

P = "io.k8s.api.flowcontrol.v1."

ExemptPriorityLevelConfiguration = struct(
    P + "ExemptPriorityLevelConfiguration",
    "Settings of an exempt priority level, whose requests are never queued or limited.",
    lendablePercent=integer(
        "Percentage, 0 to 100, of this level's nominal concurrency other levels may borrow."
    ),
    nominalConcurrencyShares=integer(
        "Weight of the level when server concurrency is shared out. Defaults to 0."
    ),
)

FlowDistinguisherMethod = struct(
    P + "FlowDistinguisherMethod",
    "How requests matched by a flow schema are divided into flows.",
    required=("type",),
    type=string("ByUser or ByNamespace: the request attribute that tells flows apart."),
)

NonResourcePolicyRule = struct(
    P + "NonResourcePolicyRule",
    "A rule matching requests for URL paths that are not API resources.",
    required=("verbs", "nonResourceURLs"),
    nonResourceURLs=list_of(
        string(), "Paths to match; a trailing /* matches a prefix and * alone any path.", list_type="set"
    ),
    verbs=list_of(string(), "Verbs to match; * means any.", list_type="set"),
)

ResourcePolicyRule = struct(
    P + "ResourcePolicyRule",
    "A rule matching requests for API resources.",
    required=("verbs", "apiGroups", "resources"),
    apiGroups=list_of(string(), "API groups to match; * means any.", list_type="set"),
    clusterScope=boolean("Also matches requests that carry no namespace."),
    namespaces=list_of(
        string(), "Namespaces to match; * means any, though not requests without one.", list_type="set"
    ),
    resources=list_of(
        string(), "Resources to match, such as pods or pods/log; * means any.", list_type="set"
    ),
    verbs=list_of(string(), "Verbs to match; * means any.", list_type="set"),
)

GroupSubject = struct(
    P + "GroupSubject",
    "A subject given by user group.",
    required=("name",),
    name=string("Name of the group, such as system:authenticated; * means any group."),
)

ServiceAccountSubject = struct(
    P + "ServiceAccountSubject",
    "A subject given by service account.",
    required=("namespace", "name"),
    name=string("Name of the service account; * means any in the namespace."),
    namespace=string("Namespace of the service account."),
)

UserSubject = struct(
    P + "UserSubject",
    "A subject given by username.",
    required=("name",),
    name=string("Username to match; * means any user."),
)

Subject = struct(
    P + "Subject",
    "A requester to match: a user, a group or a service account.",
    required=("kind",),
    group=ref(GroupSubject, "The group, when kind is Group."),
    kind=string("User, Group or ServiceAccount; only the matching field is set."),
    serviceAccount=ref(ServiceAccountSubject, "The service account, when kind is ServiceAccount."),
    user=ref(UserSubject, "The user, when kind is User."),
)

PolicyRulesWithSubjects = struct(
    P + "PolicyRulesWithSubjects",
    "Rules that match a request when its requester and its target both match.",
    required=("subjects",),
    nonResourceRules=list_of(NonResourcePolicyRule, "Rules for requests on non-resource URL paths."),
    resourceRules=list_of(ResourcePolicyRule, "Rules for requests on API resources."),
    subjects=list_of(Subject, "Requesters the rules apply to; at least one is needed."),
)

PriorityLevelConfigurationReference = struct(
    P + "PriorityLevelConfigurationReference",
    "Names the priority level that matching requests go to.",
    required=("name",),
    name=string("Name of the PriorityLevelConfiguration."),
)

FlowSchemaSpec = struct(
    P + "FlowSchemaSpec",
    "Which requests a flow schema matches, and how it handles them.",
    required=("priorityLevelConfiguration",),
    distinguisherMethod=ref(
        FlowDistinguisherMethod, "How matched requests are divided into flows; one flow if unset."
    ),
    matchingPrecedence=integer(
        "Order in which schemas are tried, lowest first, from 1 to 10000. Defaults to 1000."
    ),
    priorityLevelConfiguration=ref(
        PriorityLevelConfigurationReference, "Priority level matched requests are given."
    ),
    rules=list_of(PolicyRulesWithSubjects, "Rules of which a request must match at least one."),
)

FlowSchemaCondition = struct(
    P + "FlowSchemaCondition",
    "One observation about the state of a flow schema.",
    lastTransitionTime=ref(TIME, "When the condition last changed status."),
    message=string("Human-readable details of the last change."),
    reason=string("CamelCase word for the cause of the last change."),
    status=string("True, False or Unknown."),
    type=string("What the condition is about, such as Dangling."),
)

FlowSchemaStatus = struct(
    P + "FlowSchemaStatus",
    "The state of a flow schema as observed by the API server.",
    conditions=list_of(
        FlowSchemaCondition,
        "Latest observations of the schema's state.",
        list_type="map",
        map_keys=("type",),
        patch_strategy="merge",
        merge_key="type",
    ),
)

FlowSchema = struct(
    P + "FlowSchema",
    "Sorts API requests into flows and assigns them a priority level.",
    gvk=("flowcontrol.apiserver.k8s.io", "v1", "FlowSchema"),
    apiVersion=string("API group and version the object is written in."),
    kind=string("Type of the object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Standard object metadata: name, labels, annotations and so on."),
    spec=ref(FlowSchemaSpec, "Which requests the schema matches and where they go."),
    status=ref(FlowSchemaStatus, "Observed state of the schema."),
)

FlowSchemaList = struct(
    P + "FlowSchemaList",
    "A list of FlowSchemas.",
    required=("items",),
    gvk=("flowcontrol.apiserver.k8s.io", "v1", "FlowSchemaList"),
    apiVersion=string("API group and version the list is written in."),
    items=list_of(FlowSchema, "The flow schemas."),
    kind=string("Type of the list, in CamelCase."),
    metadata=ref(meta.LIST_META, "Standard list metadata, such as the resource version and continue token."),
)

QueuingConfiguration = struct(
    P + "QueuingConfiguration",
    "How a limited priority level queues requests it cannot run at once.",
    handSize=integer("Queues each flow is shuffle-sharded over; fewer isolates flows better. Defaults to 8."),
    queueLengthLimit=integer("Requests one queue may hold before further ones are rejected. Defaults to 50."),
    queues=integer("Number of queues of the level. Defaults to 64."),
)

LimitResponse = struct(
    P + "LimitResponse",
    "What happens to requests that cannot run at once.",
    required=("type",),
    queuing=ref(QueuingConfiguration, "Queue settings, used when type is Queue."),
    type=string("Queue to make requests wait, or Reject to turn them away at once with HTTP 429."),
)

LimitedPriorityLevelConfiguration = struct(
    P + "LimitedPriorityLevelConfiguration",
    "The concurrency limits of a limited priority level.",
    borrowingLimitPercent=integer(
        "Cap on borrowing, as a percentage of the level's nominal concurrency; no cap if unset."
    ),
    lendablePercent=integer(
        "Percentage, 0 to 100, of this level's nominal concurrency other levels may borrow."
    ),
    limitResponse=ref(LimitResponse, "Handling of requests once the level is at its limit."),
    nominalConcurrencyShares=integer(
        "Weight of the level when server concurrency is shared out. Defaults to 30."
    ),
)

PriorityLevelConfigurationSpec = struct(
    P + "PriorityLevelConfigurationSpec",
    "How a priority level treats its requests.",
    required=("type",),
    exempt=ref(ExemptPriorityLevelConfiguration, "Settings used when type is Exempt."),
    limited=ref(LimitedPriorityLevelConfiguration, "Settings used when type is Limited."),
    type=string("Exempt or Limited: whether the level's requests are subject to concurrency limits."),
)

PriorityLevelConfigurationCondition = struct(
    P + "PriorityLevelConfigurationCondition",
    "One observation about the state of a priority level.",
    lastTransitionTime=ref(TIME, "When the condition last changed status."),
    message=string("Human-readable details of the last change."),
    reason=string("CamelCase word for the cause of the last change."),
    status=string("True, False or Unknown."),
    type=string("What the condition is about."),
)

PriorityLevelConfigurationStatus = struct(
    P + "PriorityLevelConfigurationStatus",
    "The state of a priority level as observed by the API server.",
    conditions=list_of(
        PriorityLevelConfigurationCondition,
        "Latest observations of the level's state.",
        list_type="map",
        map_keys=("type",),
        patch_strategy="merge",
        merge_key="type",
    ),
)

PriorityLevelConfiguration = struct(
    P + "PriorityLevelConfiguration",
    "A class of requests with its own share of the API server's concurrency.",
    gvk=("flowcontrol.apiserver.k8s.io", "v1", "PriorityLevelConfiguration"),
    apiVersion=string("API group and version the object is written in."),
    kind=string("Type of the object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Standard object metadata: name, labels, annotations and so on."),
    spec=ref(PriorityLevelConfigurationSpec, "Limits and queuing of the level."),
    status=ref(PriorityLevelConfigurationStatus, "Observed state of the level."),
)

PriorityLevelConfigurationList = struct(
    P + "PriorityLevelConfigurationList",
    "A list of PriorityLevelConfigurations.",
    required=("items",),
    gvk=("flowcontrol.apiserver.k8s.io", "v1", "PriorityLevelConfigurationList"),
    apiVersion=string("API group and version the list is written in."),
    items=list_of(PriorityLevelConfiguration, "The priority levels."),
    kind=string("Type of the list, in CamelCase."),
    metadata=ref(meta.LIST_META, "Standard list metadata, such as the resource version and continue token."),
)
