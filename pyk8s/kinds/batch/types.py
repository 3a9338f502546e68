"""Types of batch.v1: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    TIME,
    boolean,
    int64,
    integer,
    list_of,
    string,
    struct,
)
from pyk8s.kinds import meta
from pyk8s.kinds.core import types as core

P = "io.k8s.api.batch.v1."

PodFailurePolicyOnExitCodesRequirement = struct(
    P + "PodFailurePolicyOnExitCodesRequirement",
    "",
    required=("operator", "values"),
    containerName=string(),
    operator=string(),
    values=list_of(integer(), "", list_type="set"),
)

PodFailurePolicyOnPodConditionsPattern = struct(
    P + "PodFailurePolicyOnPodConditionsPattern",
    "",
    required=("type",),
    status=string(),
    type=string(),
)

PodFailurePolicyRule = struct(
    P + "PodFailurePolicyRule",
    "",
    required=("action",),
    action=string(),
    onExitCodes=PodFailurePolicyOnExitCodesRequirement,
    onPodConditions=list_of(PodFailurePolicyOnPodConditionsPattern, ""),
)

PodFailurePolicy = struct(
    P + "PodFailurePolicy",
    "",
    required=("rules",),
    rules=list_of(PodFailurePolicyRule, ""),
)

SuccessPolicyRule = struct(
    P + "SuccessPolicyRule",
    "",
    succeededCount=integer(),
    succeededIndexes=string(),
)

SuccessPolicy = struct(
    P + "SuccessPolicy",
    "",
    required=("rules",),
    rules=list_of(SuccessPolicyRule, ""),
)

JobSpec = struct(
    P + "JobSpec",
    "",
    required=("template",),
    activeDeadlineSeconds=int64(),
    backoffLimit=integer(),
    backoffLimitPerIndex=integer(),
    completionMode=string(),
    completions=integer(),
    managedBy=string(),
    manualSelector=boolean(),
    maxFailedIndexes=integer(),
    parallelism=integer(),
    podFailurePolicy=PodFailurePolicy,
    podReplacementPolicy=string(),
    selector=meta.LABEL_SELECTOR,
    successPolicy=SuccessPolicy,
    suspend=boolean(),
    template=core.PodTemplateSpec,
    ttlSecondsAfterFinished=integer(),
)

JobTemplateSpec = struct(
    P + "JobTemplateSpec",
    "",
    metadata=meta.OBJECT_META,
    spec=JobSpec,
)

CronJobSpec = struct(
    P + "CronJobSpec",
    "",
    required=("schedule", "jobTemplate"),
    concurrencyPolicy=string(),
    failedJobsHistoryLimit=integer(),
    jobTemplate=JobTemplateSpec,
    schedule=string(),
    startingDeadlineSeconds=int64(),
    successfulJobsHistoryLimit=integer(),
    suspend=boolean(),
    timeZone=string(),
)

CronJobStatus = struct(
    P + "CronJobStatus",
    "",
    active=list_of(core.ObjectReference, ""),
    lastScheduleTime=TIME,
    lastSuccessfulTime=TIME,
)

CronJob = struct(
    P + "CronJob",
    "",
    required=("spec",),
    gvk=("batch", "v1", "CronJob"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=CronJobSpec,
    status=CronJobStatus,
)

CronJobList = struct(
    P + "CronJobList",
    "",
    required=("items",),
    gvk=("batch", "v1", "CronJobList"),
    apiVersion=string(),
    items=list_of(CronJob, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

JobCondition = struct(
    P + "JobCondition",
    "",
    required=("type", "status"),
    lastProbeTime=TIME,
    lastTransitionTime=TIME,
    message=string(),
    reason=string(),
    status=string(),
    type=string(),
)

UncountedTerminatedPods = struct(
    P + "UncountedTerminatedPods",
    "",
    failed=list_of(string(), "", list_type="set"),
    succeeded=list_of(string(), "", list_type="set"),
)

JobStatus = struct(
    P + "JobStatus",
    "",
    active=integer(),
    completedIndexes=string(),
    completionTime=TIME,
    conditions=list_of(JobCondition, "", patch_strategy="merge", merge_key="type"),
    failed=integer(),
    failedIndexes=string(),
    ready=integer(),
    startTime=TIME,
    succeeded=integer(),
    terminating=integer(),
    uncountedTerminatedPods=UncountedTerminatedPods,
)

Job = struct(
    P + "Job",
    "",
    gvk=("batch", "v1", "Job"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=JobSpec,
    status=JobStatus,
)

JobList = struct(
    P + "JobList",
    "",
    required=("items",),
    gvk=("batch", "v1", "JobList"),
    apiVersion=string(),
    items=list_of(Job, ""),
    kind=string(),
    metadata=meta.LIST_META,
)
