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
    "",
    required=("revision",),
    gvk=("apps", "v1", "ControllerRevision"),
    apiVersion=string(),
    data=RAW_EXTENSION,
    kind=string(),
    metadata=meta.OBJECT_META,
    revision=int64(),
)

ControllerRevisionList = struct(
    P + "ControllerRevisionList",
    "",
    required=("items",),
    gvk=("apps", "v1", "ControllerRevisionList"),
    apiVersion=string(),
    items=list_of(ControllerRevision, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

RollingUpdateDaemonSet = struct(
    P + "RollingUpdateDaemonSet",
    "",
    maxSurge=INT_OR_STRING,
    maxUnavailable=INT_OR_STRING,
)

DaemonSetUpdateStrategy = struct(
    P + "DaemonSetUpdateStrategy",
    "",
    rollingUpdate=RollingUpdateDaemonSet,
    type=string(),
)

DaemonSetSpec = struct(
    P + "DaemonSetSpec",
    "",
    required=("selector", "template"),
    minReadySeconds=integer(),
    revisionHistoryLimit=integer(),
    selector=meta.LABEL_SELECTOR,
    template=core.PodTemplateSpec,
    updateStrategy=DaemonSetUpdateStrategy,
)

DaemonSetCondition = struct(
    P + "DaemonSetCondition",
    "",
    required=("type", "status"),
    lastTransitionTime=TIME,
    message=string(),
    reason=string(),
    status=string(),
    type=string(),
)

DaemonSetStatus = struct(
    P + "DaemonSetStatus",
    "",
    required=("currentNumberScheduled", "numberMisscheduled", "desiredNumberScheduled", "numberReady"),
    collisionCount=integer(),
    conditions=list_of(
        DaemonSetCondition, "", list_type="map", map_keys=("type",), patch_strategy="merge", merge_key="type"
    ),
    currentNumberScheduled=integer(),
    desiredNumberScheduled=integer(),
    numberAvailable=integer(),
    numberMisscheduled=integer(),
    numberReady=integer(),
    numberUnavailable=integer(),
    observedGeneration=int64(),
    updatedNumberScheduled=integer(),
)

DaemonSet = struct(
    P + "DaemonSet",
    "",
    gvk=("apps", "v1", "DaemonSet"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=DaemonSetSpec,
    status=DaemonSetStatus,
)

DaemonSetList = struct(
    P + "DaemonSetList",
    "",
    required=("items",),
    gvk=("apps", "v1", "DaemonSetList"),
    apiVersion=string(),
    items=list_of(DaemonSet, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

RollingUpdateDeployment = struct(
    P + "RollingUpdateDeployment",
    "",
    maxSurge=INT_OR_STRING,
    maxUnavailable=INT_OR_STRING,
)

DeploymentStrategy = struct(
    P + "DeploymentStrategy",
    "",
    rollingUpdate=RollingUpdateDeployment,
    type=string(),
)

DeploymentSpec = struct(
    P + "DeploymentSpec",
    "",
    required=("selector", "template"),
    minReadySeconds=integer(),
    paused=boolean(),
    progressDeadlineSeconds=integer(),
    replicas=integer(),
    revisionHistoryLimit=integer(),
    selector=meta.LABEL_SELECTOR,
    strategy=ref(DeploymentStrategy, "", patch_strategy="retainKeys"),
    template=core.PodTemplateSpec,
)

DeploymentCondition = struct(
    P + "DeploymentCondition",
    "",
    required=("type", "status"),
    lastTransitionTime=TIME,
    lastUpdateTime=TIME,
    message=string(),
    reason=string(),
    status=string(),
    type=string(),
)

DeploymentStatus = struct(
    P + "DeploymentStatus",
    "",
    availableReplicas=integer(),
    collisionCount=integer(),
    conditions=list_of(
        DeploymentCondition, "", list_type="map", map_keys=("type",), patch_strategy="merge", merge_key="type"
    ),
    observedGeneration=int64(),
    readyReplicas=integer(),
    replicas=integer(),
    terminatingReplicas=integer(),
    unavailableReplicas=integer(),
    updatedReplicas=integer(),
)

Deployment = struct(
    P + "Deployment",
    "",
    gvk=("apps", "v1", "Deployment"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=DeploymentSpec,
    status=DeploymentStatus,
)

DeploymentList = struct(
    P + "DeploymentList",
    "",
    required=("items",),
    gvk=("apps", "v1", "DeploymentList"),
    apiVersion=string(),
    items=list_of(Deployment, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

ReplicaSetSpec = struct(
    P + "ReplicaSetSpec",
    "",
    required=("selector",),
    minReadySeconds=integer(),
    replicas=integer(),
    selector=meta.LABEL_SELECTOR,
    template=core.PodTemplateSpec,
)

ReplicaSetCondition = struct(
    P + "ReplicaSetCondition",
    "",
    required=("type", "status"),
    lastTransitionTime=TIME,
    message=string(),
    reason=string(),
    status=string(),
    type=string(),
)

ReplicaSetStatus = struct(
    P + "ReplicaSetStatus",
    "",
    required=("replicas",),
    availableReplicas=integer(),
    conditions=list_of(
        ReplicaSetCondition, "", list_type="map", map_keys=("type",), patch_strategy="merge", merge_key="type"
    ),
    fullyLabeledReplicas=integer(),
    observedGeneration=int64(),
    readyReplicas=integer(),
    replicas=integer(),
    terminatingReplicas=integer(),
)

ReplicaSet = struct(
    P + "ReplicaSet",
    "",
    gvk=("apps", "v1", "ReplicaSet"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=ReplicaSetSpec,
    status=ReplicaSetStatus,
)

ReplicaSetList = struct(
    P + "ReplicaSetList",
    "",
    required=("items",),
    gvk=("apps", "v1", "ReplicaSetList"),
    apiVersion=string(),
    items=list_of(ReplicaSet, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

RollingUpdateStatefulSetStrategy = struct(
    P + "RollingUpdateStatefulSetStrategy",
    "",
    maxUnavailable=INT_OR_STRING,
    partition=integer(),
)

StatefulSetOrdinals = struct(
    P + "StatefulSetOrdinals",
    "",
    start=integer(),
)

StatefulSetPersistentVolumeClaimRetentionPolicy = struct(
    P + "StatefulSetPersistentVolumeClaimRetentionPolicy",
    "",
    whenDeleted=string(),
    whenScaled=string(),
)

StatefulSetUpdateStrategy = struct(
    P + "StatefulSetUpdateStrategy",
    "",
    rollingUpdate=RollingUpdateStatefulSetStrategy,
    type=string(),
)

StatefulSetSpec = struct(
    P + "StatefulSetSpec",
    "",
    required=("selector", "template"),
    minReadySeconds=integer(),
    ordinals=StatefulSetOrdinals,
    persistentVolumeClaimRetentionPolicy=StatefulSetPersistentVolumeClaimRetentionPolicy,
    podManagementPolicy=string(),
    replicas=integer(),
    revisionHistoryLimit=integer(),
    selector=meta.LABEL_SELECTOR,
    serviceName=string(),
    template=core.PodTemplateSpec,
    updateStrategy=StatefulSetUpdateStrategy,
    volumeClaimTemplates=list_of(core.PersistentVolumeClaim, ""),
)

StatefulSetCondition = struct(
    P + "StatefulSetCondition",
    "",
    required=("type", "status"),
    lastTransitionTime=TIME,
    message=string(),
    reason=string(),
    status=string(),
    type=string(),
)

StatefulSetStatus = struct(
    P + "StatefulSetStatus",
    "",
    required=("replicas",),
    availableReplicas=integer(),
    collisionCount=integer(),
    conditions=list_of(
        StatefulSetCondition,
        "",
        list_type="map",
        map_keys=("type",),
        patch_strategy="merge",
        merge_key="type",
    ),
    currentReplicas=integer(),
    currentRevision=string(),
    observedGeneration=int64(),
    readyReplicas=integer(),
    replicas=integer(),
    updateRevision=string(),
    updatedReplicas=integer(),
)

StatefulSet = struct(
    P + "StatefulSet",
    "",
    gvk=("apps", "v1", "StatefulSet"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=StatefulSetSpec,
    status=StatefulSetStatus,
)

StatefulSetList = struct(
    P + "StatefulSetList",
    "",
    required=("items",),
    gvk=("apps", "v1", "StatefulSetList"),
    apiVersion=string(),
    items=list_of(StatefulSet, ""),
    kind=string(),
    metadata=meta.LIST_META,
)
