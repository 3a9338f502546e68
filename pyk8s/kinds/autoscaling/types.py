"""Types of autoscaling.v2: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    QUANTITY,
    TIME,
    int64,
    integer,
    list_of,
    ref,
    string,
    struct,
)
from pyk8s.kinds import meta

P = "io.k8s.api.autoscaling.v2."

MetricTarget = struct(
    P + "MetricTarget",
    "The value a metric should be held at, given in one of three forms.",
    required=("type",),
    averageUtilization=integer(
        "Target usage as a percentage of the pods' resource requests, averaged over pods; resources only."
    ),
    averageValue=ref(QUANTITY, "Target value per pod: the metric's total divided by the number of pods."),
    type=string("Which of the target fields applies: Utilization, Value or AverageValue."),
    value=ref(QUANTITY, "The total to aim for, whatever the number of pods."),
)

ContainerResourceMetricSource = struct(
    P + "ContainerResourceMetricSource",
    "Scales on the usage of a resource (cpu, memory) by one named container of each pod.",
    required=("name", "target", "container"),
    container=string("The container, in each pod of the scale target, whose usage is measured."),
    name=string("The resource to measure, such as cpu or memory."),
    target=ref(MetricTarget, "The usage to aim for."),
)

MetricValueStatus = struct(
    P + "MetricValueStatus",
    "The current value of a metric, in the form its target uses.",
    averageUtilization=integer(
        "Current usage as a percentage of the pods' resource requests, averaged over pods."
    ),
    averageValue=ref(QUANTITY, "Current value per pod: the metric's total divided by the number of pods."),
    value=ref(QUANTITY, "The metric's current total, whatever the number of pods."),
)

ContainerResourceMetricStatus = struct(
    P + "ContainerResourceMetricStatus",
    "The current usage of a resource by one named container of each pod.",
    required=("name", "current", "container"),
    container=string("The container whose usage was measured."),
    current=ref(MetricValueStatus, "The usage last measured."),
    name=string("The resource measured, such as cpu or memory."),
)

CrossVersionObjectReference = struct(
    P + "CrossVersionObjectReference",
    "Names an object in the same namespace by kind, name and API version.",
    required=("kind", "name"),
    apiVersion=string("Group and version of the object, such as apps/v1."),
    kind=string("Kind of the object, such as Deployment."),
    name=string("Name of the object."),
)

MetricIdentifier = struct(
    P + "MetricIdentifier",
    "Picks a metric by name, optionally narrowed by labels.",
    required=("name",),
    name=string("The metric's name."),
    selector=ref(
        meta.LABEL_SELECTOR,
        "Narrows the metric to series with these labels; when unset, the name alone is used.",
    ),
)

ExternalMetricSource = struct(
    P + "ExternalMetricSource",
    "Scales on a metric that comes from outside the cluster, such as a queue length.",
    required=("metric", "target"),
    metric=ref(MetricIdentifier, "Which external metric to read."),
    target=ref(MetricTarget, "The value to aim for."),
)

ExternalMetricStatus = struct(
    P + "ExternalMetricStatus",
    "Latest reading of a metric from outside the cluster.",
    required=("metric", "current"),
    current=ref(MetricValueStatus, "The value last read."),
    metric=ref(MetricIdentifier, "Which external metric was read."),
)

HPAScalingPolicy = struct(
    P + "HPAScalingPolicy",
    "A cap on how much the replica count may change within a time window.",
    required=("type", "value", "periodSeconds"),
    periodSeconds=integer("Length of the window, in seconds, between 1 and 1800."),
    type=string("Pods caps the change as a number of pods; Percent as a share of current replicas."),
    value=integer("How many pods, or what percentage, may be added or removed in one window."),
)

HPAScalingRules = struct(
    P + "HPAScalingRules",
    "How fast the autoscaler may scale in one direction.",
    policies=list_of(
        HPAScalingPolicy, "Limits on change per time window; when none are given, built-in defaults apply."
    ),
    selectPolicy=string(
        "Max or Min picks among policies that apply; Disabled turns this direction off. Defaults to Max."
    ),
    stabilizationWindowSeconds=integer(
        "Seconds of past recommendations considered, to avoid flapping; 0 to 3600. "
        "Defaults to 0 up and 300 down."
    ),
    tolerance=ref(
        QUANTITY,
        "How far, as a fraction, the metric may stray from its target before scaling. Defaults to 0.1.",
    ),
)

HorizontalPodAutoscalerBehavior = struct(
    P + "HorizontalPodAutoscalerBehavior",
    "Separate speed limits for scaling up and scaling down.",
    scaleDown=ref(
        HPAScalingRules, "Rules for removing replicas; by default a 5-minute stabilization window applies."
    ),
    scaleUp=ref(HPAScalingRules, "Rules for adding replicas; by default there is no stabilization window."),
)

ObjectMetricSource = struct(
    P + "ObjectMetricSource",
    "Scales on a metric that describes one Kubernetes object, such as requests per second of an Ingress.",
    required=("describedObject", "target", "metric"),
    describedObject=ref(CrossVersionObjectReference, "The object the metric is about."),
    metric=ref(MetricIdentifier, "Which metric to read."),
    target=ref(MetricTarget, "The value to aim for."),
)

PodsMetricSource = struct(
    P + "PodsMetricSource",
    "Scales on a custom metric reported for each pod of the target, averaged over pods.",
    required=("metric", "target"),
    metric=ref(MetricIdentifier, "Which per-pod metric to read."),
    target=ref(MetricTarget, "The value to aim for; only AverageValue is supported."),
)

ResourceMetricSource = struct(
    P + "ResourceMetricSource",
    "Scales on the usage of a resource (cpu, memory) summed over all containers of each pod.",
    required=("name", "target"),
    name=string("The resource to measure, such as cpu or memory."),
    target=ref(MetricTarget, "The usage to aim for."),
)

MetricSpec = struct(
    P + "MetricSpec",
    "One metric the autoscaler watches; exactly the field named by type is set.",
    required=("type",),
    containerResource=ref(ContainerResourceMetricSource, "A resource used by one container of each pod."),
    external=ref(ExternalMetricSource, "A metric from outside the cluster."),
    object=ref(ObjectMetricSource, "A metric about a single Kubernetes object."),
    pods=ref(PodsMetricSource, "A custom metric reported for each pod."),
    resource=ref(ResourceMetricSource, "A resource used by whole pods."),
    type=string("The kind of metric: ContainerResource, External, Object, Pods or Resource."),
)

HorizontalPodAutoscalerSpec = struct(
    P + "HorizontalPodAutoscalerSpec",
    "The desired behaviour of an autoscaler: what to scale, within which bounds, and on which metrics.",
    required=("scaleTargetRef", "maxReplicas"),
    behavior=ref(HorizontalPodAutoscalerBehavior, "Limits on how fast to scale up and down."),
    maxReplicas=integer("The most replicas the autoscaler may set; must not be below minReplicas."),
    metrics=list_of(
        MetricSpec,
        "Metrics to follow; the largest replica count any of them suggests is used. Defaults to 80% CPU.",
    ),
    minReplicas=integer("The fewest replicas the autoscaler may set. Defaults to 1."),
    scaleTargetRef=ref(CrossVersionObjectReference, "The object to scale, such as a Deployment."),
)

HorizontalPodAutoscalerCondition = struct(
    P + "HorizontalPodAutoscalerCondition",
    "One aspect of an autoscaler's state at a point in time.",
    required=("type", "status"),
    lastTransitionTime=ref(TIME, "When the status of this condition last changed."),
    message=string("Human-readable details about the last change."),
    reason=string("A short CamelCase word explaining the last change."),
    status=string("True, False or Unknown."),
    type=string("Which aspect this condition describes: AbleToScale, ScalingActive or ScalingLimited."),
)

ObjectMetricStatus = struct(
    P + "ObjectMetricStatus",
    "Latest reading of a metric tied to a single Kubernetes object.",
    required=("metric", "current", "describedObject"),
    current=ref(MetricValueStatus, "The value last read."),
    describedObject=ref(CrossVersionObjectReference, "The object the metric is about."),
    metric=ref(MetricIdentifier, "Which metric was read."),
)

PodsMetricStatus = struct(
    P + "PodsMetricStatus",
    "The current average of a custom per-pod metric.",
    required=("metric", "current"),
    current=ref(MetricValueStatus, "The value last read."),
    metric=ref(MetricIdentifier, "Which per-pod metric was read."),
)

ResourceMetricStatus = struct(
    P + "ResourceMetricStatus",
    "The current usage of a resource summed over all containers of each pod.",
    required=("name", "current"),
    current=ref(MetricValueStatus, "The usage last measured."),
    name=string("The resource measured, such as cpu or memory."),
)

MetricStatus = struct(
    P + "MetricStatus",
    "The latest reading of one metric; exactly the field named by type is set.",
    required=("type",),
    containerResource=ref(
        ContainerResourceMetricStatus, "Reading of a resource used by one container of each pod."
    ),
    external=ref(ExternalMetricStatus, "Reading of a metric from outside the cluster."),
    object=ref(ObjectMetricStatus, "Reading of a metric about a single Kubernetes object."),
    pods=ref(PodsMetricStatus, "Reading of a custom metric reported for each pod."),
    resource=ref(ResourceMetricStatus, "Reading of a resource used by whole pods."),
    type=string("The kind of metric: ContainerResource, External, Object, Pods or Resource."),
)

HorizontalPodAutoscalerStatus = struct(
    P + "HorizontalPodAutoscalerStatus",
    "The observed state of an autoscaler, as reported by its controller.",
    required=("desiredReplicas",),
    conditions=list_of(
        HorizontalPodAutoscalerCondition,
        "The latest observations of whether and how the autoscaler can scale.",
        list_type="map",
        map_keys=("type",),
        patch_strategy="merge",
        merge_key="type",
    ),
    currentMetrics=list_of(MetricStatus, "The last reading of each metric in the spec."),
    currentReplicas=integer("Replicas of the scale target when last checked."),
    desiredReplicas=integer("Replicas the autoscaler last decided the target should have."),
    lastScaleTime=ref(TIME, "When the autoscaler last changed the replica count."),
    observedGeneration=int64("The spec generation the controller last acted on."),
)

HorizontalPodAutoscaler = struct(
    P + "HorizontalPodAutoscaler",
    "Adjusts the replica count of a workload automatically, based on the metrics it watches.",
    required=("spec",),
    gvk=("autoscaling", "v2", "HorizontalPodAutoscaler"),
    apiVersion=string("Group and version of this object's schema, here autoscaling/v2."),
    kind=string("The kind of this object, here HorizontalPodAutoscaler."),
    metadata=ref(meta.OBJECT_META, "Standard object metadata: name, namespace, labels, annotations."),
    spec=ref(
        HorizontalPodAutoscalerSpec, "What you want: the target, replica bounds, metrics and behaviour."
    ),
    status=ref(HorizontalPodAutoscalerStatus, "What the controller last observed; read-only."),
)

HorizontalPodAutoscalerList = struct(
    P + "HorizontalPodAutoscalerList",
    "A page of HorizontalPodAutoscaler objects.",
    required=("items",),
    gvk=("autoscaling", "v2", "HorizontalPodAutoscalerList"),
    apiVersion=string("Group and version of this list's schema, here autoscaling/v2."),
    items=list_of(HorizontalPodAutoscaler, "The HorizontalPodAutoscalers in this page."),
    kind=string("The kind of this list, here HorizontalPodAutoscalerList."),
    metadata=ref(meta.LIST_META, "List metadata: resource version and the token for the next page."),
)
