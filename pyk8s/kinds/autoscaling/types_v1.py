"""Types of autoscaling.v1: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    TIME,
    int64,
    integer,
    list_of,
    ref,
    string,
    struct,
)
from pyk8s.kinds import meta

P = "io.k8s.api.autoscaling.v1."

CrossVersionObjectReference = struct(
    P + "CrossVersionObjectReference",
    "Names an object in the same namespace by kind, name and API version.",
    required=("kind", "name"),
    struct_type="atomic",
    apiVersion=string("Group and version of the object, such as apps/v1."),
    kind=string("Kind of the object, such as Deployment."),
    name=string("Name of the object."),
)

HorizontalPodAutoscalerSpec = struct(
    P + "HorizontalPodAutoscalerSpec",
    "The desired behaviour of a CPU-based autoscaler: what to scale and within which bounds.",
    required=("scaleTargetRef", "maxReplicas"),
    maxReplicas=integer("The most replicas the autoscaler may set; must not be below minReplicas."),
    minReplicas=integer("The fewest replicas the autoscaler may set. Defaults to 1."),
    scaleTargetRef=ref(CrossVersionObjectReference, "The object to scale, such as a Deployment."),
    targetCPUUtilizationPercentage=integer(
        "Average CPU usage to aim for, as a percentage of the pods' CPU requests. Defaults to 80."
    ),
)

HorizontalPodAutoscalerStatus = struct(
    P + "HorizontalPodAutoscalerStatus",
    "The observed state of a CPU-based autoscaler, as reported by its controller.",
    required=("currentReplicas", "desiredReplicas"),
    currentCPUUtilizationPercentage=integer(
        "Average CPU usage last measured, as a percentage of the pods' CPU requests."
    ),
    currentReplicas=integer("Replicas of the scale target when last checked."),
    desiredReplicas=integer("Replicas the autoscaler last decided the target should have."),
    lastScaleTime=ref(TIME, "When the autoscaler last changed the replica count."),
    observedGeneration=int64("The spec generation the controller last acted on."),
)

HorizontalPodAutoscaler = struct(
    P + "HorizontalPodAutoscaler",
    "Adjusts the replica count of a workload automatically to hold its average CPU usage at a target.",
    required=("spec",),
    gvk=("autoscaling", "v1", "HorizontalPodAutoscaler"),
    apiVersion=string("Group and version of this object's schema, here autoscaling/v1."),
    kind=string("The kind of this object, here HorizontalPodAutoscaler."),
    metadata=ref(meta.OBJECT_META, "Standard object metadata: name, namespace, labels, annotations."),
    spec=ref(HorizontalPodAutoscalerSpec, "What you want: the target, replica bounds and CPU goal."),
    status=ref(HorizontalPodAutoscalerStatus, "What the controller last observed; read-only."),
)

HorizontalPodAutoscalerList = struct(
    P + "HorizontalPodAutoscalerList",
    "A page of HorizontalPodAutoscaler objects.",
    required=("items",),
    gvk=("autoscaling", "v1", "HorizontalPodAutoscalerList"),
    apiVersion=string("Group and version of this list's schema, here autoscaling/v1."),
    items=list_of(HorizontalPodAutoscaler, "The HorizontalPodAutoscalers in this page."),
    kind=string("The kind of this list, here HorizontalPodAutoscalerList."),
    metadata=ref(meta.LIST_META, "List metadata: resource version and the token for the next page."),
)

ScaleSpec = struct(
    P + "ScaleSpec",
    "The desired size of a scalable resource.",
    replicas=integer("How many replicas the resource should have."),
)

ScaleStatus = struct(
    P + "ScaleStatus",
    "The observed size of a scalable resource.",
    required=("replicas",),
    replicas=integer("How many replicas the resource has now."),
    selector=string("The label selector of the resource's pods, in string form, such as app=web."),
)

Scale = struct(
    P + "Scale",
    "The scale subresource: a uniform view of a workload's replica count, read and written by autoscalers.",
    gvk=("autoscaling", "v1", "Scale"),
    apiVersion=string("Group and version of this object's schema, here autoscaling/v1."),
    kind=string("The kind of this object, here Scale."),
    metadata=ref(meta.OBJECT_META, "Metadata of the object being scaled: name, namespace, resource version."),
    spec=ref(ScaleSpec, "The replica count you want."),
    status=ref(ScaleStatus, "The replica count observed and the selector of the pods; read-only."),
)
