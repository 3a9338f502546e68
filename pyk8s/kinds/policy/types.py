"""Types of policy.v1: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    INT_OR_STRING,
    TIME,
    int64,
    integer,
    list_of,
    map_of,
    ref,
    string,
    struct,
)
from pyk8s.kinds import meta

P = "io.k8s.api.policy.v1."

Eviction = struct(
    P + "Eviction",
    "",
    gvk=("policy", "v1", "Eviction"),
    apiVersion=string(),
    deleteOptions=meta.DELETE_OPTIONS,
    kind=string(),
    metadata=meta.OBJECT_META,
)

PodDisruptionBudgetSpec = struct(
    P + "PodDisruptionBudgetSpec",
    "",
    maxUnavailable=INT_OR_STRING,
    minAvailable=INT_OR_STRING,
    selector=ref(meta.LABEL_SELECTOR, "", patch_strategy="replace"),
    unhealthyPodEvictionPolicy=string(),
)

PodDisruptionBudgetStatus = struct(
    P + "PodDisruptionBudgetStatus",
    "",
    conditions=list_of(
        meta.CONDITION, "", list_type="map", map_keys=("type",), patch_strategy="merge", merge_key="type"
    ),
    currentHealthy=integer(),
    desiredHealthy=integer(),
    disruptedPods=map_of(TIME, ""),
    disruptionsAllowed=integer(),
    expectedPods=integer(),
    observedGeneration=int64(),
)

PodDisruptionBudget = struct(
    P + "PodDisruptionBudget",
    "",
    gvk=("policy", "v1", "PodDisruptionBudget"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=PodDisruptionBudgetSpec,
    status=PodDisruptionBudgetStatus,
)

PodDisruptionBudgetList = struct(
    P + "PodDisruptionBudgetList",
    "",
    required=("items",),
    gvk=("policy", "v1", "PodDisruptionBudgetList"),
    apiVersion=string(),
    items=list_of(PodDisruptionBudget, ""),
    kind=string(),
    metadata=meta.LIST_META,
)
