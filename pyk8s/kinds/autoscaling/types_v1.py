"""Types of autoscaling.v1: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    TIME,
    int64,
    integer,
    list_of,
    string,
    struct,
)
from pyk8s.kinds import meta

P = "io.k8s.api.autoscaling.v1."

CrossVersionObjectReference = struct(
    P + "CrossVersionObjectReference",
    "",
    required=("kind", "name"),
    struct_type="atomic",
    apiVersion=string(),
    kind=string(),
    name=string(),
)

HorizontalPodAutoscalerSpec = struct(
    P + "HorizontalPodAutoscalerSpec",
    "",
    required=("scaleTargetRef", "maxReplicas"),
    maxReplicas=integer(),
    minReplicas=integer(),
    scaleTargetRef=CrossVersionObjectReference,
    targetCPUUtilizationPercentage=integer(),
)

HorizontalPodAutoscalerStatus = struct(
    P + "HorizontalPodAutoscalerStatus",
    "",
    required=("currentReplicas", "desiredReplicas"),
    currentCPUUtilizationPercentage=integer(),
    currentReplicas=integer(),
    desiredReplicas=integer(),
    lastScaleTime=TIME,
    observedGeneration=int64(),
)

HorizontalPodAutoscaler = struct(
    P + "HorizontalPodAutoscaler",
    "",
    required=("spec",),
    gvk=("autoscaling", "v1", "HorizontalPodAutoscaler"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=HorizontalPodAutoscalerSpec,
    status=HorizontalPodAutoscalerStatus,
)

HorizontalPodAutoscalerList = struct(
    P + "HorizontalPodAutoscalerList",
    "",
    required=("items",),
    gvk=("autoscaling", "v1", "HorizontalPodAutoscalerList"),
    apiVersion=string(),
    items=list_of(HorizontalPodAutoscaler, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

ScaleSpec = struct(
    P + "ScaleSpec",
    "",
    replicas=integer(),
)

ScaleStatus = struct(
    P + "ScaleStatus",
    "",
    required=("replicas",),
    replicas=integer(),
    selector=string(),
)

Scale = struct(
    P + "Scale",
    "",
    gvk=("autoscaling", "v1", "Scale"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=ScaleSpec,
    status=ScaleStatus,
)
