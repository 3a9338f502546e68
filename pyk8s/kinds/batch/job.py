"""Job: pods that run to completion."""

from __future__ import annotations

import copy
from typing import Any

from pyk8s.api.fields import (
    FieldErrors,
    FieldPath,
    forbidden,
    invalid,
    not_supported,
    required,
    too_many,
)
from pyk8s.api.meta import parse_time
from pyk8s.api.resource import (
    AGE,
    NAME,
    Column,
    Obj,
    RequestContext,
    ResourceInfo,
    ResourceStrategy,
    Subresource,
)
from pyk8s.api.selectors import SelectorError
from pyk8s.api.table import age, human_duration
from pyk8s.api.validation import validate_immutable, validate_label_selector, validate_nonnegative
from pyk8s.kinds.apps.workload import (
    as_selector,
    container_cells,
    section,
    selector_text,
    validate_pod_template,
)
from pyk8s.kinds.batch import types
from pyk8s.kinds.core.pod import default_pod_spec

RESOURCE = ResourceInfo(
    group="batch",
    version="v1",
    kind="Job",
    plural="jobs",
    singular="job",
    categories=("all",),
    subresources=(Subresource("status", ("get", "patch", "update")),),
)

# The labels that tie a Job's pods to it (and their pre-1.27 spellings, still written).
CONTROLLER_UID = "batch.kubernetes.io/controller-uid"
JOB_NAME = "batch.kubernetes.io/job-name"
LEGACY_CONTROLLER_UID = "controller-uid"
LEGACY_JOB_NAME = "job-name"

COMPLETION_MODES = ["NonIndexed", "Indexed"]
REPLACEMENT_POLICIES = ["Failed", "TerminatingOrFailed"]
FAILURE_ACTIONS = ["Count", "FailIndex", "FailJob", "Ignore"]
EXIT_CODE_OPERATORS = ["In", "NotIn"]
MAX_PARALLELISM_INDEXED = 100_000
MAX_FAILURE_RULES = 20
MAX_SUCCESS_RULES = 20
MAX_INT32 = 2**31 - 1


def default_job_spec(spec: Obj) -> None:
    """The JobSpec defaults shared by Jobs (not by CronJob templates, which keep theirs unset)."""
    if "completions" not in spec and "parallelism" not in spec:
        spec["completions"] = 1
        spec["parallelism"] = 1
    spec.setdefault("parallelism", 1)
    if "backoffLimit" not in spec:
        spec["backoffLimit"] = MAX_INT32 if spec.get("backoffLimitPerIndex") is not None else 6
    spec.setdefault("completionMode", "NonIndexed")
    spec.setdefault("suspend", False)
    default_failure_policy(spec)
    if "podReplacementPolicy" not in spec:
        spec["podReplacementPolicy"] = "Failed" if spec.get("podFailurePolicy") else "TerminatingOrFailed"
    spec.setdefault("manualSelector", False)


def default_failure_policy(spec: Obj) -> None:
    """Pod condition patterns match a True condition unless they say otherwise."""
    for rule in section(spec, "podFailurePolicy").get("rules") or []:
        for pattern in (rule or {}).get("onPodConditions") or []:
            if isinstance(pattern, dict):
                pattern.setdefault("status", "True")


def validate_job_spec(spec: Obj, path: FieldPath) -> FieldErrors:
    """What every JobSpec must satisfy, in a Job or a CronJob's template (validateJobSpec)."""
    errs: FieldErrors = []
    for name in (
        "parallelism",
        "completions",
        "activeDeadlineSeconds",
        "backoffLimit",
        "ttlSecondsAfterFinished",
    ):
        errs += validate_nonnegative(spec.get(name), path.child(name))
    mode = spec.get("completionMode")
    per_index = spec.get("backoffLimitPerIndex")
    if per_index is not None:
        errs += validate_nonnegative(per_index, path.child("backoffLimitPerIndex"))
        if mode != "Indexed":
            errs.append(forbidden(path.child("backoffLimitPerIndex"), "requires indexed completion mode"))
    max_failed = spec.get("maxFailedIndexes")
    if max_failed is not None:
        errs += validate_nonnegative(max_failed, path.child("maxFailedIndexes"))
        if per_index is None:
            errs.append(required(path.child("backoffLimitPerIndex"), "when maxFailedIndexes is specified"))
        completions = spec.get("completions")
        if mode == "Indexed" and isinstance(completions, int) and max_failed > completions:
            errs.append(
                invalid(
                    path.child("maxFailedIndexes"), max_failed, "must be less than or equal to completions"
                )
            )
    if mode is not None:
        if mode not in COMPLETION_MODES:
            errs.append(not_supported(path.child("completionMode"), mode, COMPLETION_MODES))
        if mode == "Indexed":
            if spec.get("completions") is None:
                errs.append(required(path.child("completions"), "when completion mode is Indexed"))
            parallelism = spec.get("parallelism")
            if isinstance(parallelism, int) and parallelism > MAX_PARALLELISM_INDEXED:
                errs.append(
                    invalid(
                        path.child("parallelism"),
                        parallelism,
                        f"must be less than or equal to {MAX_PARALLELISM_INDEXED} "
                        "when completion mode is Indexed",
                    )
                )
    failure_policy = spec.get("podFailurePolicy")
    if isinstance(failure_policy, dict):
        errs += _validate_failure_policy(failure_policy, spec, path.child("podFailurePolicy"))
    success_policy = spec.get("successPolicy")
    if isinstance(success_policy, dict):
        errs += _validate_success_policy(success_policy, spec, path.child("successPolicy"))
    replacement = spec.get("podReplacementPolicy")
    if replacement is not None:
        if failure_policy is not None:
            if replacement != "Failed":
                errs.append(not_supported(path.child("podReplacementPolicy"), replacement, ["Failed"]))
        elif replacement not in REPLACEMENT_POLICIES:
            errs.append(not_supported(path.child("podReplacementPolicy"), replacement, REPLACEMENT_POLICIES))
    tpath = path.child("template")
    errs += validate_pod_template(spec.get("template"), tpath)
    restart = section(spec, "template", "spec").get("restartPolicy", "")
    rpath = tpath.child("spec", "restartPolicy")
    if restart in ("Always", ""):
        errs.append(required(rpath, 'valid values: "OnFailure", "Never"'))
    elif restart not in ("OnFailure", "Never"):
        errs.append(not_supported(rpath, restart, ["OnFailure", "Never"]))
    elif failure_policy is not None and restart != "Never":
        errs.append(invalid(rpath, restart, 'only "Never" is supported when podFailurePolicy is specified'))
    return errs


def _validate_failure_policy(policy: Obj, spec: Obj, path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    rules = policy.get("rules") or []
    if len(rules) > MAX_FAILURE_RULES:
        errs.append(too_many(path.child("rules"), len(rules), MAX_FAILURE_RULES))
    containers = {
        c.get("name")
        for key in ("containers", "initContainers")
        for c in section(spec, "template", "spec").get(key) or []
        if isinstance(c, dict)
    }
    for i, rule in enumerate(rules):
        rpath = path.child("rules").index(i)
        rule = rule if isinstance(rule, dict) else {}
        action = rule.get("action", "")
        if action not in FAILURE_ACTIONS:
            errs.append(not_supported(rpath.child("action"), action, FAILURE_ACTIONS))
        elif action == "FailIndex" and spec.get("backoffLimitPerIndex") is None:
            errs.append(forbidden(rpath.child("action"), "requires the backoffLimitPerIndex to be set"))
        exit_codes, conditions = rule.get("onExitCodes"), rule.get("onPodConditions")
        if exit_codes is not None and conditions is not None:
            errs.append(
                invalid(rpath, rule, "specifying both OnExitCodes and OnPodConditions is not supported")
            )
        elif exit_codes is None and conditions is None:
            errs.append(invalid(rpath, rule, "specifying one of OnExitCodes and OnPodConditions is required"))
        if isinstance(exit_codes, dict):
            epath = rpath.child("onExitCodes")
            container = exit_codes.get("containerName")
            if container is not None and container not in containers:
                errs.append(
                    invalid(
                        epath.child("containerName"),
                        container,
                        "must be one of the container or initContainer names in the pod template",
                    )
                )
            operator = exit_codes.get("operator", "")
            if operator not in EXIT_CODE_OPERATORS:
                errs.append(not_supported(epath.child("operator"), operator, EXIT_CODE_OPERATORS))
            values = exit_codes.get("values") or []
            if not values:
                errs.append(invalid(epath.child("values"), values, "at least one value is required"))
            previous: int | None = None
            for j, value in enumerate(values):
                vpath = epath.child("values").index(j)
                if value == 0 and operator == "In":
                    errs.append(invalid(vpath, value, "must not be 0 for the In operator"))
                if previous is not None and value <= previous:
                    message = "must be ordered" if value < previous else "duplicated values are not allowed"
                    errs.append(invalid(vpath, value, message))
                previous = value
        for j, pattern in enumerate(conditions or []):
            ppath = rpath.child("onPodConditions").index(j)
            status = (pattern or {}).get("status", "")
            if status not in ("True", "False", "Unknown"):
                errs.append(not_supported(ppath.child("status"), status, ["False", "True", "Unknown"]))
            if not (pattern or {}).get("type"):
                errs.append(required(ppath.child("type")))
    return errs


def _validate_success_policy(policy: Obj, spec: Obj, path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    rpath = path.child("rules")
    if spec.get("completionMode") != "Indexed":
        errs.append(invalid(path, policy, "requires indexed completion mode"))
    rules = policy.get("rules") or []
    if not rules:
        errs.append(
            required(rpath, "at least one rules must be specified when the successPolicy is specified")
        )
    if len(rules) > MAX_SUCCESS_RULES:
        errs.append(too_many(rpath, len(rules), MAX_SUCCESS_RULES))
    for i, rule in enumerate(rules):
        rule = rule if isinstance(rule, dict) else {}
        ipath = rpath.index(i)
        count, indexes = rule.get("succeededCount"), rule.get("succeededIndexes")
        if count is None and indexes is None:
            errs.append(
                required(ipath, "at least one of succeededCount or succeededIndexes must be specified")
            )
        if isinstance(count, int):
            if count < 0:
                errs.append(
                    invalid(ipath.child("succeededCount"), count, "must be greater than or equal to 0")
                )
            completions = spec.get("completions")
            if isinstance(completions, int) and count > completions:
                errs.append(
                    invalid(
                        ipath.child("succeededCount"),
                        count,
                        f"must be less than or equal to {completions} (the number of specified completions)",
                    )
                )
    return errs


def validate_generated_selector(obj: Obj) -> FieldErrors:
    """A generated selector must select the labels generated for this Job, and only those."""
    spec = section(obj, "spec")
    if spec.get("manualSelector") is True or spec.get("selector") is None:
        return []
    meta = obj.get("metadata") or {}
    uid, name = str(meta.get("uid", "")), str(meta.get("name", ""))
    errs: FieldErrors = []
    if not uid:
        errs.append(required("metadata.uid"))
    tpath = FieldPath("spec", "template", "metadata")
    labels = section(spec, "template", "metadata").get("labels") or {}
    expected = {
        LEGACY_CONTROLLER_UID: uid,
        LEGACY_JOB_NAME: name,
        CONTROLLER_UID: uid,
        JOB_NAME: name,
    }
    for key, value in expected.items():
        lpath = tpath.child("labels").key(key)
        if key not in labels:
            errs.append(required(lpath, f"must be '{value}'"))
        elif labels[key] != value:
            errs.append(invalid(lpath, labels, f"must be '{value}'"))
    try:
        selector = as_selector(spec.get("selector"))
    except SelectorError:
        return errs
    if not selector.matches({CONTROLLER_UID: uid, JOB_NAME: name}):
        errs.append(invalid("spec.selector", spec.get("selector"), "`selector` not auto-generated"))
    return errs


def generate_selector(obj: Obj) -> None:
    """Label the pod template with the Job's name and uid and select the uid (unless the user
    manages the selector, or already wrote one of these labels)."""
    meta = obj.get("metadata") or {}
    spec = obj.setdefault("spec", {})
    template = spec.setdefault("template", {})
    labels = template.setdefault("metadata", {}).setdefault("labels", {})
    for key in (LEGACY_JOB_NAME, JOB_NAME):
        labels.setdefault(key, meta.get("name", ""))
    for key in (LEGACY_CONTROLLER_UID, CONTROLLER_UID):
        labels.setdefault(key, meta.get("uid", ""))
    selector = spec.get("selector")
    if not isinstance(selector, dict):
        selector = spec["selector"] = {}
    selector.setdefault("matchLabels", {}).setdefault(CONTROLLER_UID, meta.get("uid", ""))


def _copy_template_labels(obj: Obj) -> None:
    """A Job without labels of its own shows its pod template's."""
    meta = obj.setdefault("metadata", {})
    labels = section(obj, "spec", "template", "metadata").get("labels")
    if labels and not meta.get("labels"):
        meta["labels"] = dict(labels)


def _has_condition(status: Obj, kind: str) -> bool:
    for condition in status.get("conditions") or []:
        if condition.get("type") == kind:
            return condition.get("status") == "True"
    return False


def job_status_text(obj: Obj) -> str:
    """The Status column: Complete, Failed, Terminating, Suspended, FailureTarget or Running."""
    status = section(obj, "status")
    if _has_condition(status, "Complete"):
        return "Complete"
    if _has_condition(status, "Failed"):
        return "Failed"
    if (obj.get("metadata") or {}).get("deletionTimestamp"):
        return "Terminating"
    if _has_condition(status, "Suspended"):
        return "Suspended"
    if _has_condition(status, "FailureTarget"):
        return "FailureTarget"
    return "Running"


class JobStrategy(ResourceStrategy):
    status_metadata = ("labels", "annotations")  # its status strategy resets only the spec
    info = RESOURCE
    schema = types.Job
    tracks_generation = True
    cacheable_cells = False  # the Duration of a running Job grows
    field_selectors = {"status.successful": lambda o: str(section(o, "status").get("succeeded", 0))}
    columns = (
        NAME,
        Column("Status", description="Whether the job is running, complete, failed or suspended."),
        Column("Completions", description="Successful pods out of the completions wanted."),
        Column("Duration", description="How long the job ran (or has been running)."),
        AGE,
        Column("Containers", priority=1, description="The container names of the pod template."),
        Column("Images", priority=1, description="The container images of the pod template."),
        Column("Selector", priority=1, description="The label selector of the job's pods."),
    )

    def default(self, obj: Obj) -> None:
        spec = obj.setdefault("spec", {})
        default_job_spec(spec)
        default_pod_spec(spec.setdefault("template", {}).setdefault("spec", {}))
        _copy_template_labels(obj)

    def prepare_for_create(self, ctx: RequestContext, obj: Obj) -> None:
        super().prepare_for_create(ctx, obj)
        obj["status"] = {}
        if section(obj, "spec").get("manualSelector") is not True:
            generate_selector(obj)
        _copy_template_labels(obj)

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        errs = validate_generated_selector(obj)
        errs += self._validate_spec(section(obj, "spec"), FieldPath("spec"))
        return errs

    def _validate_spec(self, spec: Obj, path: FieldPath) -> FieldErrors:
        errs = validate_job_spec(spec, path)
        selector = spec.get("selector")
        if selector is None:
            errs.append(required(path.child("selector")))
        else:
            errs += validate_label_selector(selector, path.child("selector"))
        try:
            parsed = as_selector(selector)
        except SelectorError:
            return errs
        if parsed.empty:
            errs.append(required(path.child("selector")))
        labels = section(spec, "template", "metadata").get("labels") or {}
        if not parsed.matches(labels):
            errs.append(
                invalid(
                    path.child("template", "metadata", "labels"),
                    labels,
                    "`selector` does not match template `labels`",
                )
            )
        return errs

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        spec, old_spec, path = section(obj, "spec"), section(old, "spec"), FieldPath("spec")
        errs = self._validate_spec(spec, path)
        errs += self._validate_completions(spec, old_spec, path)
        errs += validate_immutable(spec.get("selector"), old_spec.get("selector"), path.child("selector"))
        errs += self._validate_template_update(obj, old, path)
        for name in (
            "completionMode",
            "podFailurePolicy",
            "backoffLimitPerIndex",
            "managedBy",
            "successPolicy",
        ):
            errs += validate_immutable(spec.get(name), old_spec.get(name), path.child(name))
        return errs

    def _validate_completions(self, spec: Obj, old_spec: Obj, path: FieldPath) -> FieldErrors:
        completions = spec.get("completions")
        if spec.get("completionMode") != "Indexed":
            return validate_immutable(completions, old_spec.get("completions"), path.child("completions"))
        if completions == old_spec.get("completions") or completions is None:
            return []
        if completions != spec.get("parallelism"):
            return [
                invalid(
                    path.child("completions"),
                    completions,
                    "can only be modified in tandem with spec.parallelism",
                )
            ]
        return []

    def _validate_template_update(self, obj: Obj, old: Obj, path: FieldPath) -> FieldErrors:
        """The pod template is fixed, except scheduling directives of a Job that is suspended
        and has never started."""
        template = section(obj, "spec").get("template")
        old_template = copy.deepcopy(section(old, "spec").get("template"))
        suspended = section(old, "spec").get("suspend") is True
        started = bool(section(old, "status").get("startTime"))
        if suspended and not started and isinstance(template, dict) and isinstance(old_template, dict):
            new_meta, new_pod = section(template, "metadata"), section(template, "spec")
            old_meta = old_template.setdefault("metadata", {})
            old_pod = old_template.setdefault("spec", {})
            for key in ("labels", "annotations"):
                _carry(old_meta, new_meta, key)
            for key in ("nodeSelector", "tolerations", "schedulingGates"):
                _carry(old_pod, new_pod, key)
            new_affinity, old_affinity = new_pod.get("affinity"), old_pod.get("affinity")
            if isinstance(new_affinity, dict):
                merged = dict(old_affinity) if isinstance(old_affinity, dict) else {}
                _carry(merged, new_affinity, "nodeAffinity")
                old_pod["affinity"] = merged
            elif isinstance(old_affinity, dict):
                rest = {k: v for k, v in old_affinity.items() if k != "nodeAffinity"}
                if rest:
                    old_pod["affinity"] = rest
                else:
                    old_pod.pop("affinity", None)
        return validate_immutable(template, old_template, path.child("template"))

    def validate_status_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        status, path = section(obj, "status"), FieldPath("status")
        errs: FieldErrors = []
        for name in ("active", "succeeded", "failed", "ready", "terminating"):
            errs += validate_nonnegative(status.get(name), path.child(name))
        return errs

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        spec, status = section(obj, "spec"), section(obj, "status")
        succeeded = int(status.get("succeeded") or 0)
        completions = spec.get("completions")
        if completions is not None:
            done = f"{succeeded}/{completions}"
        else:
            parallelism = int(spec.get("parallelism") or 0)
            done = f"{succeeded}/1 of {parallelism}" if parallelism > 1 else f"{succeeded}/1"
        names, images = container_cells(spec.get("template"))
        return [
            obj["metadata"].get("name", ""),
            job_status_text(obj),
            done,
            job_duration(status, now),
            age(obj, now),
            names,
            images,
            selector_text(spec.get("selector")),
        ]


def _carry(old: Obj, new: Obj, key: str) -> None:
    """Make `old[key]` what `new` has, so that the immutability check ignores the field."""
    if key in new:
        old[key] = copy.deepcopy(new[key])
    else:
        old.pop(key, None)


def job_duration(status: Obj, now: float) -> str:
    start = status.get("startTime")
    if not start:
        return ""
    try:
        began = parse_time(start)
        end = parse_time(status["completionTime"]) if status.get("completionTime") else now
    except ValueError:
        return ""
    return human_duration(end - began)
