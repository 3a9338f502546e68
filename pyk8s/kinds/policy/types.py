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
    "A request, posted to a pod's eviction subresource, to delete the pod if disruption budgets allow it.",
    gvk=("policy", "v1", "Eviction"),
    apiVersion=string("Group and version of this object's schema, here policy/v1."),
    deleteOptions=ref(meta.DELETE_OPTIONS, "Options for deleting the pod, such as a grace period."),
    kind=string("The kind of this object, here Eviction."),
    metadata=ref(meta.OBJECT_META, "Names the pod to evict, by name and namespace."),
)

PodDisruptionBudgetSpec = struct(
    P + "PodDisruptionBudgetSpec",
    "The desired limit on voluntary disruptions for a set of pods.",
    maxUnavailable=ref(
        INT_OR_STRING,
        "Most selected pods that may be down after an eviction, as a count or percentage. "
        "Cannot be set together with minAvailable.",
    ),
    minAvailable=ref(
        INT_OR_STRING,
        "Fewest selected pods that must stay up after an eviction, as a count or percentage.",
    ),
    selector=ref(
        meta.LABEL_SELECTOR,
        "Picks the pods the budget protects; an empty selector picks every pod in the namespace.",
        patch_strategy="replace",
    ),
    unhealthyPodEvictionPolicy=string(
        "IfHealthyBudget evicts unready pods only while the budget holds; AlwaysAllow always may. "
        "Defaults to IfHealthyBudget."
    ),
)

PodDisruptionBudgetStatus = struct(
    P + "PodDisruptionBudgetStatus",
    "The observed state of a PodDisruptionBudget, as reported by the disruption controller.",
    conditions=list_of(
        meta.CONDITION,
        "The latest observations, such as whether disruptions are currently allowed.",
        list_type="map",
        map_keys=("type",),
        patch_strategy="merge",
        merge_key="type",
    ),
    currentHealthy=integer("Selected pods that are healthy now."),
    desiredHealthy=integer("The fewest healthy pods the budget requires."),
    disruptedPods=map_of(
        TIME, "Pods already approved for eviction but not yet gone, by name, with the approval time."
    ),
    disruptionsAllowed=integer("How many more pods may be evicted right now."),
    expectedPods=integer("Pods the budget counts in total, taken from the owners' replica counts."),
    observedGeneration=int64("The spec generation the controller last acted on."),
)

PodDisruptionBudget = struct(
    P + "PodDisruptionBudget",
    "Limits how many pods of an application may be down at once because of voluntary disruptions.",
    gvk=("policy", "v1", "PodDisruptionBudget"),
    apiVersion=string("Group and version of this object's schema, here policy/v1."),
    kind=string("The kind of this object, here PodDisruptionBudget."),
    metadata=ref(meta.OBJECT_META, "Standard object metadata: name, namespace, labels, annotations."),
    spec=ref(PodDisruptionBudgetSpec, "What you want: which pods, and how many may be disrupted."),
    status=ref(PodDisruptionBudgetStatus, "What the controller last observed; read-only."),
)

PodDisruptionBudgetList = struct(
    P + "PodDisruptionBudgetList",
    "A page of PodDisruptionBudget objects.",
    required=("items",),
    gvk=("policy", "v1", "PodDisruptionBudgetList"),
    apiVersion=string("Group and version of this list's schema, here policy/v1."),
    items=list_of(PodDisruptionBudget, "The PodDisruptionBudgets in this page."),
    kind=string("The kind of this list, here PodDisruptionBudgetList."),
    metadata=ref(meta.LIST_META, "List metadata: resource version and the token for the next page."),
)
