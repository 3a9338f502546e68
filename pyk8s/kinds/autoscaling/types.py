"""Types of autoscaling.v2: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    QUANTITY,
    TIME,
    int64,
    integer,
    list_of,
    string,
    struct,
)
from pyk8s.kinds import meta

P = "io.k8s.api.autoscaling.v2."

MetricTarget = struct(
    P + "MetricTarget",
    "",
    required=("type",),
    averageUtilization=integer(),
    averageValue=QUANTITY,
    type=string(),
    value=QUANTITY,
)

ContainerResourceMetricSource = struct(
    P + "ContainerResourceMetricSource",
    "",
    required=("name", "target", "container"),
    container=string(),
    name=string(),
    target=MetricTarget,
)

MetricValueStatus = struct(
    P + "MetricValueStatus",
    "",
    averageUtilization=integer(),
    averageValue=QUANTITY,
    value=QUANTITY,
)

ContainerResourceMetricStatus = struct(
    P + "ContainerResourceMetricStatus",
    "",
    required=("name", "current", "container"),
    container=string(),
    current=MetricValueStatus,
    name=string(),
)

CrossVersionObjectReference = struct(
    P + "CrossVersionObjectReference",
    "",
    required=("kind", "name"),
    apiVersion=string(),
    kind=string(),
    name=string(),
)

MetricIdentifier = struct(
    P + "MetricIdentifier",
    "",
    required=("name",),
    name=string(),
    selector=meta.LABEL_SELECTOR,
)

ExternalMetricSource = struct(
    P + "ExternalMetricSource",
    "",
    required=("metric", "target"),
    metric=MetricIdentifier,
    target=MetricTarget,
)

ExternalMetricStatus = struct(
    P + "ExternalMetricStatus",
    "",
    required=("metric", "current"),
    current=MetricValueStatus,
    metric=MetricIdentifier,
)

HPAScalingPolicy = struct(
    P + "HPAScalingPolicy",
    "",
    required=("type", "value", "periodSeconds"),
    periodSeconds=integer(),
    type=string(),
    value=integer(),
)

HPAScalingRules = struct(
    P + "HPAScalingRules",
    "",
    policies=list_of(HPAScalingPolicy, ""),
    selectPolicy=string(),
    stabilizationWindowSeconds=integer(),
    tolerance=QUANTITY,
)

HorizontalPodAutoscalerBehavior = struct(
    P + "HorizontalPodAutoscalerBehavior",
    "",
    scaleDown=HPAScalingRules,
    scaleUp=HPAScalingRules,
)

ObjectMetricSource = struct(
    P + "ObjectMetricSource",
    "",
    required=("describedObject", "target", "metric"),
    describedObject=CrossVersionObjectReference,
    metric=MetricIdentifier,
    target=MetricTarget,
)

PodsMetricSource = struct(
    P + "PodsMetricSource",
    "",
    required=("metric", "target"),
    metric=MetricIdentifier,
    target=MetricTarget,
)

ResourceMetricSource = struct(
    P + "ResourceMetricSource",
    "",
    required=("name", "target"),
    name=string(),
    target=MetricTarget,
)

MetricSpec = struct(
    P + "MetricSpec",
    "",
    required=("type",),
    containerResource=ContainerResourceMetricSource,
    external=ExternalMetricSource,
    object=ObjectMetricSource,
    pods=PodsMetricSource,
    resource=ResourceMetricSource,
    type=string(),
)

HorizontalPodAutoscalerSpec = struct(
    P + "HorizontalPodAutoscalerSpec",
    "",
    required=("scaleTargetRef", "maxReplicas"),
    behavior=HorizontalPodAutoscalerBehavior,
    maxReplicas=integer(),
    metrics=list_of(MetricSpec, ""),
    minReplicas=integer(),
    scaleTargetRef=CrossVersionObjectReference,
)

HorizontalPodAutoscalerCondition = struct(
    P + "HorizontalPodAutoscalerCondition",
    "",
    required=("type", "status"),
    lastTransitionTime=TIME,
    message=string(),
    reason=string(),
    status=string(),
    type=string(),
)

ObjectMetricStatus = struct(
    P + "ObjectMetricStatus",
    "",
    required=("metric", "current", "describedObject"),
    current=MetricValueStatus,
    describedObject=CrossVersionObjectReference,
    metric=MetricIdentifier,
)

PodsMetricStatus = struct(
    P + "PodsMetricStatus",
    "",
    required=("metric", "current"),
    current=MetricValueStatus,
    metric=MetricIdentifier,
)

ResourceMetricStatus = struct(
    P + "ResourceMetricStatus",
    "",
    required=("name", "current"),
    current=MetricValueStatus,
    name=string(),
)

MetricStatus = struct(
    P + "MetricStatus",
    "",
    required=("type",),
    containerResource=ContainerResourceMetricStatus,
    external=ExternalMetricStatus,
    object=ObjectMetricStatus,
    pods=PodsMetricStatus,
    resource=ResourceMetricStatus,
    type=string(),
)

HorizontalPodAutoscalerStatus = struct(
    P + "HorizontalPodAutoscalerStatus",
    "",
    required=("desiredReplicas",),
    conditions=list_of(
        HorizontalPodAutoscalerCondition,
        "",
        list_type="map",
        map_keys=("type",),
        patch_strategy="merge",
        merge_key="type",
    ),
    currentMetrics=list_of(MetricStatus, ""),
    currentReplicas=integer(),
    desiredReplicas=integer(),
    lastScaleTime=TIME,
    observedGeneration=int64(),
)

HorizontalPodAutoscaler = struct(
    P + "HorizontalPodAutoscaler",
    "",
    required=("spec",),
    gvk=("autoscaling", "v2", "HorizontalPodAutoscaler"),
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
    gvk=("autoscaling", "v2", "HorizontalPodAutoscalerList"),
    apiVersion=string(),
    items=list_of(HorizontalPodAutoscaler, ""),
    kind=string(),
    metadata=meta.LIST_META,
)
