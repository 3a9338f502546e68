"""Types of apps.v1: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    INT_OR_STRING,
    RAW_EXTENSION,
    TIME,
    boolean,
    int64,
    integer,
    list_of,
    ref,
    string,
    struct,
)
from pyk8s.kinds import meta
from pyk8s.kinds.core import types as core

P = "io.k8s.api.apps.v1."

ControllerRevision = struct(
    P + "ControllerRevision",
    "An immutable snapshot of a workload's template, kept so that controllers can roll back to it.",
    required=("revision",),
    gvk=("apps", "v1", "ControllerRevision"),
    apiVersion=string("Group and version of this object's schema, here apps/v1."),
    data=ref(RAW_EXTENSION, "The recorded state itself, usually a patch holding the pod template."),
    kind=string("The kind of this object, here ControllerRevision."),
    metadata=ref(meta.OBJECT_META, "Standard object metadata: name, namespace, labels, owners."),
    revision=int64("Sequence number of this snapshot; higher numbers are newer."),
)

ControllerRevisionList = struct(
    P + "ControllerRevisionList",
    "A page of ControllerRevision objects.",
    required=("items",),
    gvk=("apps", "v1", "ControllerRevisionList"),
    apiVersion=string("Group and version of this list's schema, here apps/v1."),
    items=list_of(ControllerRevision, "The ControllerRevisions in this page."),
    kind=string("The kind of this list, here ControllerRevisionList."),
    metadata=ref(meta.LIST_META, "List metadata: resource version and the token for the next page."),
)

RollingUpdateDaemonSet = struct(
    P + "RollingUpdateDaemonSet",
    "Limits that pace a rolling update of a DaemonSet's pods across nodes.",
    maxSurge=ref(
        INT_OR_STRING,
        "How many nodes may run an extra, new pod alongside the old one during the update, "
        "as a count or percentage. Defaults to 0.",
    ),
    maxUnavailable=ref(
        INT_OR_STRING,
        "How many nodes may lack an available daemon pod during the update, as a count or percentage. "
        "Defaults to 1.",
    ),
)

DaemonSetUpdateStrategy = struct(
    P + "DaemonSetUpdateStrategy",
    "How a DaemonSet replaces its pods when the pod template changes.",
    rollingUpdate=ref(RollingUpdateDaemonSet, "Pacing of the update; used only when type is RollingUpdate."),
    type=string(
        "RollingUpdate replaces pods itself; OnDelete waits until you delete them. Defaults to RollingUpdate."
    ),
)

DaemonSetSpec = struct(
    P + "DaemonSetSpec",
    "The desired state of a DaemonSet: which pod to run on every eligible node, and how to update it.",
    required=("selector", "template"),
    minReadySeconds=integer(
        "Seconds a new pod must stay ready before it counts as available. Defaults to 0."
    ),
    revisionHistoryLimit=integer("How many old ControllerRevisions to keep for rollback. Defaults to 10."),
    selector=ref(
        meta.LABEL_SELECTOR, "Picks the pods this DaemonSet manages; must match the template's labels."
    ),
    template=ref(
        core.PodTemplateSpec, "The pod to run on each node that the node selector and affinity allow."
    ),
    updateStrategy=ref(
        DaemonSetUpdateStrategy,
        "Rollout method used when the template changes; a rolling update unless set otherwise.",
    ),
)

DaemonSetCondition = struct(
    P + "DaemonSetCondition",
    "One aspect of a DaemonSet's state at a point in time.",
    required=("type", "status"),
    lastTransitionTime=ref(TIME, "When the status of this condition last changed."),
    message=string("Human-readable details about the last change."),
    reason=string("A short CamelCase word explaining the last change."),
    status=string("True, False or Unknown."),
    type=string("Which aspect this condition describes."),
)

DaemonSetStatus = struct(
    P + "DaemonSetStatus",
    "The observed state of a DaemonSet, as reported by its controller.",
    required=("currentNumberScheduled", "numberMisscheduled", "desiredNumberScheduled", "numberReady"),
    collisionCount=integer("How often a revision name clashed; folded into new names to keep them unique."),
    conditions=list_of(
        DaemonSetCondition,
        "The latest observations of the DaemonSet's state.",
        list_type="map",
        map_keys=("type",),
        patch_strategy="merge",
        merge_key="type",
    ),
    currentNumberScheduled=integer("Nodes meant to run the daemon pod that run at least one copy."),
    desiredNumberScheduled=integer("Nodes meant to run the daemon pod, whether or not they already do."),
    numberAvailable=integer("Nodes whose daemon pod has been ready for at least minReadySeconds."),
    numberMisscheduled=integer("Nodes running the daemon pod although they are not meant to."),
    numberReady=integer("Nodes meant to run the daemon pod whose copy reports ready."),
    numberUnavailable=integer("Nodes meant to run the daemon pod that have no available copy yet."),
    observedGeneration=int64("The spec generation the controller last acted on."),
    updatedNumberScheduled=integer("Nodes running a daemon pod built from the current template."),
)

DaemonSet = struct(
    P + "DaemonSet",
    "Runs a copy of a pod on every node, or on every node matching a selector.",
    gvk=("apps", "v1", "DaemonSet"),
    apiVersion=string("Group and version of this object's schema, here apps/v1."),
    kind=string("The kind of this object, here DaemonSet."),
    metadata=ref(meta.OBJECT_META, "Standard object metadata: name, namespace, labels, annotations."),
    spec=ref(DaemonSetSpec, "What you want: the pod to run on nodes and how to update it."),
    status=ref(DaemonSetStatus, "What the controller last observed; read-only."),
)

DaemonSetList = struct(
    P + "DaemonSetList",
    "A page of DaemonSet objects.",
    required=("items",),
    gvk=("apps", "v1", "DaemonSetList"),
    apiVersion=string("Group and version of this list's schema, here apps/v1."),
    items=list_of(DaemonSet, "The DaemonSets in this page."),
    kind=string("The kind of this list, here DaemonSetList."),
    metadata=ref(meta.LIST_META, "List metadata: resource version and the token for the next page."),
)

RollingUpdateDeployment = struct(
    P + "RollingUpdateDeployment",
    "Limits that pace a rolling update of a Deployment.",
    maxSurge=ref(
        INT_OR_STRING,
        "How many pods may exist above the desired count during the update, as a count or percentage. "
        "Defaults to 25%.",
    ),
    maxUnavailable=ref(
        INT_OR_STRING,
        "How many desired pods may be unavailable during the update, as a count or percentage. "
        "Defaults to 25%.",
    ),
)

DeploymentStrategy = struct(
    P + "DeploymentStrategy",
    "How a Deployment swaps old pods for new ones.",
    rollingUpdate=ref(RollingUpdateDeployment, "Pacing of the update; used only when type is RollingUpdate."),
    type=string(
        "Recreate stops all old pods first; RollingUpdate replaces them gradually. Defaults to RollingUpdate."
    ),
)

DeploymentSpec = struct(
    P + "DeploymentSpec",
    "The desired state of a Deployment: the pods to run, how many, and how to roll out changes.",
    required=("selector", "template"),
    minReadySeconds=integer(
        "Seconds a new pod must stay ready before it counts as available. Defaults to 0."
    ),
    paused=boolean("When true, template changes are not rolled out until the Deployment is resumed."),
    progressDeadlineSeconds=integer(
        "Seconds a rollout may go without progress before it is reported as failed. Defaults to 600."
    ),
    replicas=integer("How many pods to run. Defaults to 1."),
    revisionHistoryLimit=integer("How many old ReplicaSets to keep for rollback. Defaults to 10."),
    selector=ref(
        meta.LABEL_SELECTOR, "Picks the pods this Deployment manages; must match the template's labels."
    ),
    strategy=ref(
        DeploymentStrategy,
        "Rollout method used when the template changes; a rolling update unless set otherwise.",
        patch_strategy="retainKeys",
    ),
    template=ref(core.PodTemplateSpec, "The pod each replica is created from."),
)

DeploymentCondition = struct(
    P + "DeploymentCondition",
    "One aspect of a Deployment's state at a point in time.",
    required=("type", "status"),
    lastTransitionTime=ref(TIME, "When the status of this condition last changed."),
    lastUpdateTime=ref(TIME, "When this condition was last refreshed, even without a status change."),
    message=string("Human-readable details about the last change."),
    reason=string("A short CamelCase word explaining the last change."),
    status=string("True, False or Unknown."),
    type=string("Which aspect this condition describes: Available, Progressing or ReplicaFailure."),
)

DeploymentStatus = struct(
    P + "DeploymentStatus",
    "The observed state of a Deployment, as reported by its controller.",
    availableReplicas=integer("Pods that have been ready for at least minReadySeconds."),
    collisionCount=integer("How often a ReplicaSet name clashed; folded into new names to keep them unique."),
    conditions=list_of(
        DeploymentCondition,
        "The latest observations of the Deployment's state.",
        list_type="map",
        map_keys=("type",),
        patch_strategy="merge",
        merge_key="type",
    ),
    observedGeneration=int64("The spec generation the controller last acted on."),
    readyReplicas=integer("Pods that currently report ready."),
    replicas=integer("Pods selected by this Deployment that are not terminating."),
    terminatingReplicas=integer("Pods of this Deployment that are shutting down but not yet gone."),
    unavailableReplicas=integer("Pods still missing before the Deployment is fully available."),
    updatedReplicas=integer("Non-terminating pods built from the current template."),
)

Deployment = struct(
    P + "Deployment",
    "Keeps a set of identical pods running and rolls out changes to them in a controlled way.",
    gvk=("apps", "v1", "Deployment"),
    apiVersion=string("Group and version of this object's schema, here apps/v1."),
    kind=string("The kind of this object, here Deployment."),
    metadata=ref(meta.OBJECT_META, "Standard object metadata: name, namespace, labels, annotations."),
    spec=ref(DeploymentSpec, "What you want: the pod template, replica count and rollout strategy."),
    status=ref(DeploymentStatus, "What the controller last observed; read-only."),
)

DeploymentList = struct(
    P + "DeploymentList",
    "A page of Deployment objects.",
    required=("items",),
    gvk=("apps", "v1", "DeploymentList"),
    apiVersion=string("Group and version of this list's schema, here apps/v1."),
    items=list_of(Deployment, "The Deployments in this page."),
    kind=string("The kind of this list, here DeploymentList."),
    metadata=ref(meta.LIST_META, "List metadata: resource version and the token for the next page."),
)

ReplicaSetSpec = struct(
    P + "ReplicaSetSpec",
    "The desired state of a ReplicaSet: which pods to keep and how many.",
    required=("selector",),
    minReadySeconds=integer(
        "Seconds a new pod must stay ready before it counts as available. Defaults to 0."
    ),
    replicas=integer("How many pods to keep running. Defaults to 1."),
    selector=ref(
        meta.LABEL_SELECTOR, "Picks the pods this ReplicaSet counts; must match the template's labels."
    ),
    template=ref(core.PodTemplateSpec, "The pod created whenever too few matching pods exist."),
)

ReplicaSetCondition = struct(
    P + "ReplicaSetCondition",
    "One aspect of a ReplicaSet's state at a point in time.",
    required=("type", "status"),
    lastTransitionTime=ref(TIME, "When the status of this condition last changed."),
    message=string("Human-readable details about the last change."),
    reason=string("A short CamelCase word explaining the last change."),
    status=string("True, False or Unknown."),
    type=string("Which aspect this condition describes, such as ReplicaFailure."),
)

ReplicaSetStatus = struct(
    P + "ReplicaSetStatus",
    "The observed state of a ReplicaSet, as reported by its controller.",
    required=("replicas",),
    availableReplicas=integer("Pods that have been ready for at least minReadySeconds."),
    conditions=list_of(
        ReplicaSetCondition,
        "The latest observations of the ReplicaSet's state.",
        list_type="map",
        map_keys=("type",),
        patch_strategy="merge",
        merge_key="type",
    ),
    fullyLabeledReplicas=integer("Pods whose labels include all labels of the pod template."),
    observedGeneration=int64("The spec generation the controller last acted on."),
    readyReplicas=integer("Pods that currently report ready."),
    replicas=integer("Pods selected by this ReplicaSet that are not terminating."),
    terminatingReplicas=integer("Pods of this ReplicaSet that are shutting down but not yet gone."),
)

ReplicaSet = struct(
    P + "ReplicaSet",
    "Keeps a fixed number of identical pods running; usually managed by a Deployment.",
    gvk=("apps", "v1", "ReplicaSet"),
    apiVersion=string("Group and version of this object's schema, here apps/v1."),
    kind=string("The kind of this object, here ReplicaSet."),
    metadata=ref(meta.OBJECT_META, "Standard object metadata: name, namespace, labels, owners."),
    spec=ref(ReplicaSetSpec, "What you want: the pod template and how many copies."),
    status=ref(ReplicaSetStatus, "What the controller last observed; read-only."),
)

ReplicaSetList = struct(
    P + "ReplicaSetList",
    "A page of ReplicaSet objects.",
    required=("items",),
    gvk=("apps", "v1", "ReplicaSetList"),
    apiVersion=string("Group and version of this list's schema, here apps/v1."),
    items=list_of(ReplicaSet, "The ReplicaSets in this page."),
    kind=string("The kind of this list, here ReplicaSetList."),
    metadata=ref(meta.LIST_META, "List metadata: resource version and the token for the next page."),
)

RollingUpdateStatefulSetStrategy = struct(
    P + "RollingUpdateStatefulSetStrategy",
    "Limits that control a rolling update of a StatefulSet.",
    maxUnavailable=ref(
        INT_OR_STRING,
        "How many pods may be unavailable during the update, as a count or percentage. Defaults to 1.",
    ),
    partition=integer(
        "Only pods with an ordinal at or above this number are updated; lower ones keep the old template. "
        "Defaults to 0."
    ),
)

StatefulSetOrdinals = struct(
    P + "StatefulSetOrdinals",
    "How the replicas of a StatefulSet are numbered.",
    start=integer("The ordinal given to the first replica; the others follow in sequence. Defaults to 0."),
)

StatefulSetPersistentVolumeClaimRetentionPolicy = struct(
    P + "StatefulSetPersistentVolumeClaimRetentionPolicy",
    "What happens to the claims made from volumeClaimTemplates when pods go away.",
    whenDeleted=string(
        "Retain keeps the claims when the StatefulSet is deleted; Delete removes them. Defaults to Retain."
    ),
    whenScaled=string(
        "Retain keeps the claims of pods removed by scaling down; Delete removes them. Defaults to Retain."
    ),
)

StatefulSetUpdateStrategy = struct(
    P + "StatefulSetUpdateStrategy",
    "How a StatefulSet replaces its pods when the pod template changes.",
    rollingUpdate=ref(
        RollingUpdateStatefulSetStrategy, "Pacing of the update; used only when type is RollingUpdate."
    ),
    type=string(
        "RollingUpdate replaces pods itself; OnDelete waits until you delete them. Defaults to RollingUpdate."
    ),
)

StatefulSetSpec = struct(
    P + "StatefulSetSpec",
    "The desired state of a StatefulSet: numbered pods with stable names and their own storage.",
    required=("selector", "template"),
    minReadySeconds=integer(
        "Seconds a new pod must stay ready before it counts as available. Defaults to 0."
    ),
    ordinals=ref(StatefulSetOrdinals, "Set start to number replicas from a value other than 0."),
    persistentVolumeClaimRetentionPolicy=ref(
        StatefulSetPersistentVolumeClaimRetentionPolicy,
        "Whether claims made from volumeClaimTemplates are kept or removed on deletion and scale-down.",
    ),
    podManagementPolicy=string(
        "OrderedReady starts and stops pods one at a time in order; Parallel does not wait. "
        "Defaults to OrderedReady."
    ),
    replicas=integer("How many pods to run. Defaults to 1."),
    revisionHistoryLimit=integer("How many old ControllerRevisions to keep for rollback. Defaults to 10."),
    selector=ref(
        meta.LABEL_SELECTOR, "Picks the pods this StatefulSet manages; must match the template's labels."
    ),
    serviceName=string("The headless Service that gives each pod a stable DNS name."),
    template=ref(
        core.PodTemplateSpec, "The pod each replica is created from; each gets a unique ordinal name."
    ),
    updateStrategy=ref(
        StatefulSetUpdateStrategy,
        "Rollout method used when the template changes; a rolling update unless set otherwise.",
    ),
    volumeClaimTemplates=list_of(
        core.PersistentVolumeClaim,
        "Claims created once per pod and mounted by name from the template; each pod keeps its own.",
    ),
)

StatefulSetCondition = struct(
    P + "StatefulSetCondition",
    "One aspect of a StatefulSet's state at a point in time.",
    required=("type", "status"),
    lastTransitionTime=ref(TIME, "When the status of this condition last changed."),
    message=string("Human-readable details about the last change."),
    reason=string("A short CamelCase word explaining the last change."),
    status=string("True, False or Unknown."),
    type=string("Which aspect this condition describes."),
)

StatefulSetStatus = struct(
    P + "StatefulSetStatus",
    "The observed state of a StatefulSet, as reported by its controller.",
    required=("replicas",),
    availableReplicas=integer("Pods that have been ready for at least minReadySeconds."),
    collisionCount=integer("How often a revision name clashed; folded into new names to keep them unique."),
    conditions=list_of(
        StatefulSetCondition,
        "The latest observations of the StatefulSet's state.",
        list_type="map",
        map_keys=("type",),
        patch_strategy="merge",
        merge_key="type",
    ),
    currentReplicas=integer("Pods still built from the revision named in currentRevision."),
    currentRevision=string("The revision the older pods, those not yet updated, were built from."),
    observedGeneration=int64("The spec generation the controller last acted on."),
    readyReplicas=integer("Pods that currently report ready."),
    replicas=integer("Pods the StatefulSet controller has created."),
    updateRevision=string("The revision made from the current template, which updated pods use."),
    updatedReplicas=integer("Pods already built from the revision named in updateRevision."),
)

StatefulSet = struct(
    P + "StatefulSet",
    "Runs pods with stable identities and persistent storage, started and updated in order.",
    gvk=("apps", "v1", "StatefulSet"),
    apiVersion=string("Group and version of this object's schema, here apps/v1."),
    kind=string("The kind of this object, here StatefulSet."),
    metadata=ref(meta.OBJECT_META, "Standard object metadata: name, namespace, labels, annotations."),
    spec=ref(StatefulSetSpec, "What you want: the pod template, replica count, storage and update policy."),
    status=ref(StatefulSetStatus, "What the controller last observed; read-only."),
)

StatefulSetList = struct(
    P + "StatefulSetList",
    "A page of StatefulSet objects.",
    required=("items",),
    gvk=("apps", "v1", "StatefulSetList"),
    apiVersion=string("Group and version of this list's schema, here apps/v1."),
    items=list_of(StatefulSet, "The StatefulSets in this page."),
    kind=string("The kind of this list, here StatefulSetList."),
    metadata=ref(meta.LIST_META, "List metadata: resource version and the token for the next page."),
)
