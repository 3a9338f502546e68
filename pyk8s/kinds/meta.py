"""meta.k8s.io/v1 types shared by every kind: ObjectMeta, ListMeta, LabelSelector, Status,
DeleteOptions, Condition and friends."""

from __future__ import annotations

from pyk8s.api.schema import (
    FIELDS_V1,
    MICRO_TIME,
    RAW_EXTENSION,
    TIME,
    Schema,
    boolean,
    int64,
    integer,
    list_of,
    map_of,
    ref,
    string,
    struct,
)

M = "io.k8s.apimachinery.pkg.apis.meta.v1."

OWNER_REFERENCE = struct(
    M + "OwnerReference",
    "Points at an object that owns this one; the garbage collector deletes dependents of deleted owners.",
    required=("apiVersion", "kind", "name", "uid"),
    struct_type="atomic",
    apiVersion=string("API version of the owner."),
    kind=string("Kind of the owner."),
    name=string("Name of the owner."),
    uid=string("UID of the owner."),
    controller=boolean("True when the owner is the managing controller; at most one owner may say so."),
    blockOwnerDeletion=boolean("With foreground deletion, the owner is not removed before this dependent."),
)

MANAGED_FIELDS_ENTRY = struct(
    M + "ManagedFieldsEntry",
    "Which fields a field manager owns, as recorded by server-side apply.",
    apiVersion=string("The version of the fields' schema."),
    fieldsType=string('The format of fieldsV1; always "FieldsV1".'),
    fieldsV1=ref(FIELDS_V1, "The fields the manager owns, as a FieldsV1 trie."),
    manager=string("The name of the manager (the fieldManager of its requests)."),
    operation=string('"Apply" or "Update".'),
    subresource=string("The subresource the manager wrote through, empty for the main resource."),
    time=ref(TIME, "When the manager last changed these fields."),
)

OBJECT_META = struct(
    M + "ObjectMeta",
    "Metadata every persisted object carries: identity, labels, ownership and lifecycle.",
    name=string("Unique within a namespace (or the cluster, for cluster-scoped kinds); cannot change."),
    generateName=string("Prefix the server completes with a random suffix when name is empty."),
    namespace=string("The namespace the object lives in; empty for cluster-scoped kinds."),
    selfLink=string("Deprecated and always empty."),
    uid=string("Unique in time and space, set by the server at creation."),
    resourceVersion=string("Opaque version of the object, for optimistic concurrency and watches."),
    generation=int64("Sequence number of the desired state (bumped when the spec changes)."),
    creationTimestamp=TIME,
    deletionTimestamp=TIME,
    deletionGracePeriodSeconds=int64("Seconds the object has to terminate once deletion was requested."),
    labels=map_of(string(), "Key/value pairs used to select and organise objects."),
    annotations=map_of(string(), "Key/value pairs for tools and people; not used for selection."),
    ownerReferences=list_of(
        OWNER_REFERENCE,
        "Objects this one depends on.",
        list_type="map",
        map_keys=("uid",),
        patch_strategy="merge",
        merge_key="uid",
    ),
    finalizers=list_of(
        string(),
        "Entries that must be removed before the object is deleted.",
        list_type="set",
        patch_strategy="merge",
    ),
    managedFields=list_of(MANAGED_FIELDS_ENTRY, "Field ownership, maintained by the server."),
)
# Properties pointing at the shared TIME node need their own descriptions.
OBJECT_META.properties["creationTimestamp"].description = "When the server created the object (UTC)."
OBJECT_META.properties["deletionTimestamp"].description = "When deletion was requested; set by the server."

LIST_META = struct(
    M + "ListMeta",
    "Metadata of a list: its resource version and the token for the next page.",
    selfLink=string("Deprecated and always empty."),
    resourceVersion=string("The version the list is consistent at; watch from here."),
    remainingItemCount=int64("How many items remain after this page, when known."),
    **{"continue": string("Token for the next page; empty on the last page.")},
)

LABEL_SELECTOR_REQUIREMENT = struct(
    M + "LabelSelectorRequirement",
    "One term of a label selector.",
    required=("key", "operator"),
    key=string("The label key."),
    operator=string("In, NotIn, Exists or DoesNotExist."),
    values=list_of(string(), "Values for In and NotIn; empty for Exists and DoesNotExist."),
)

LABEL_SELECTOR = struct(
    M + "LabelSelector",
    "Selects objects by labels; all terms must hold. An empty selector selects everything.",
    struct_type="atomic",
    matchLabels=map_of(string(), "Labels that must be present with these values."),
    matchExpressions=list_of(LABEL_SELECTOR_REQUIREMENT, "Further requirements."),
)

CONDITION = struct(
    M + "Condition",
    "One aspect of an object's state, as observed by its controller.",
    required=("type", "status", "lastTransitionTime", "reason", "message"),
    type=string("The aspect, in CamelCase."),
    status=string("True, False or Unknown."),
    observedGeneration=int64("The generation the condition was computed from."),
    lastTransitionTime=ref(TIME, "When the status last changed."),
    reason=string("A CamelCase reason for the last transition."),
    message=string("A human-readable explanation."),
)

PRECONDITIONS = struct(
    M + "Preconditions",
    "Conditions a delete requires of the object.",
    uid=string("The object must have this UID."),
    resourceVersion=string("The object must be at this resource version."),
)

DELETE_OPTIONS = struct(
    M + "DeleteOptions",
    "Options for a delete request.",
    gvk=("", "v1", "DeleteOptions"),
    apiVersion=string("Group and version of this object's schema."),
    kind=string("The type of this object, in CamelCase."),
    gracePeriodSeconds=int64("Seconds before the object is deleted; 0 deletes immediately."),
    preconditions=ref(PRECONDITIONS, "Checks the object must pass for the delete to go ahead."),
    orphanDependents=boolean("Deprecated: use propagationPolicy=Orphan."),
    propagationPolicy=string("Orphan, Background or Foreground: what happens to dependents."),
    dryRun=list_of(string(), 'With "All", nothing is persisted.'),
    ignoreStoreReadErrorWithClusterBreakingPotential=boolean("Delete objects that cannot be read."),
)

STATUS_CAUSE = struct(
    M + "StatusCause",
    "One cause of an error, often tied to a field.",
    reason=string("Machine-readable cause."),
    message=string("Human-readable cause."),
    field=string("The field at fault, as a path such as spec.containers[0].name."),
)

STATUS_DETAILS = struct(
    M + "StatusDetails",
    "Details of a Status: the object concerned and the causes.",
    name=string("Name of the object concerned, when there is one."),
    group=string("API group of the object concerned."),
    kind=string("Kind of the object concerned."),
    uid=string("UID of the object concerned, when known."),
    causes=list_of(STATUS_CAUSE, "The causes."),
    retryAfterSeconds=integer("Seconds the client should wait before retrying."),
)

STATUS = struct(
    M + "Status",
    "The result of an operation that returns no object, and the body of every error.",
    gvk=("", "v1", "Status"),
    apiVersion=string("Group and version of this object's schema."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(LIST_META, "Standard list metadata; usually empty."),
    status=string("Success or Failure."),
    message=string("Human-readable description."),
    reason=string("Machine-readable reason."),
    details=ref(STATUS_DETAILS, "More about the outcome; what it holds depends on reason."),
    code=integer("The HTTP status code."),
)

PATCH = Schema(
    type="object", name=M + "Patch", description="A patch body; its format depends on Content-Type."
)

WATCH_EVENT = struct(
    M + "WatchEvent",
    "One event of a watch stream.",
    required=("type", "object"),
    type=string("ADDED, MODIFIED, DELETED, BOOKMARK or ERROR."),
    object=ref(RAW_EXTENSION, "The object after the change, or a Status for ERROR events."),
)

__all__ = [
    "CONDITION",
    "DELETE_OPTIONS",
    "FIELD_SELECTOR_REQUIREMENT",
    "LABEL_SELECTOR",
    "LIST_META",
    "MICRO_TIME",
    "OBJECT_META",
    "OWNER_REFERENCE",
    "PATCH",
    "STATUS",
    "TIME",
    "WATCH_EVENT",
]

FIELD_SELECTOR_REQUIREMENT = struct(
    M + "FieldSelectorRequirement",
    "One term of a field selector.",
    required=("key", "operator"),
    key=string("The field path."),
    operator=string("In, NotIn, Exists or DoesNotExist."),
    values=list_of(string(), "Values for In and NotIn."),
)

GROUP_RESOURCE = struct(
    M + "GroupResource",
    "A resource of an API group.",
    required=("group", "resource"),
    group=string("The API group."),
    resource=string("The resource, plural and lower-case."),
)
