"""CronJob: Jobs created on a repeating schedule."""

from __future__ import annotations

import re
from typing import Any

from pyk8s.api.cron import schedule_error, time_zone_error
from pyk8s.api.fields import FieldErrors, FieldPath, invalid, not_supported, required
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
from pyk8s.api.table import age, since
from pyk8s.api.validation import validate_nonnegative
from pyk8s.kinds.apps.workload import container_cells, section, selector_text
from pyk8s.kinds.batch import types
from pyk8s.kinds.batch.job import default_failure_policy, validate_job_spec
from pyk8s.kinds.core.pod import default_pod_spec

RESOURCE = ResourceInfo(
    group="batch",
    version="v1",
    kind="CronJob",
    plural="cronjobs",
    singular="cronjob",
    short_names=("cj",),
    categories=("all",),
    subresources=(Subresource("status", ("get", "patch", "update")),),
)

CONCURRENCY_POLICIES = ["Allow", "Forbid", "Replace"]
# The controller names each Job `<cronjob>-<minutes since epoch>` (11 more characters), and a
# Job's name must fit a 63-character label.
MAX_NAME_LENGTH = 52
# IANA zone name components: letters, digits (legacy names), '.', '-', '_', '+', 1 to 14 long.
_ZONE_PART = re.compile(r"[A-Za-z.\-_0-9+]{1,14}")


def validate_time_zone(zone: Any, path: FieldPath) -> FieldErrors:
    if zone is None:
        return []
    if zone == "":
        return [invalid(path, zone, "timeZone must be nil or non-empty string")]
    for part in zone.split("/"):
        if part in (".", "..") or part.startswith("-") or not _ZONE_PART.fullmatch(part):
            return [invalid(path, zone, f"unknown time zone {zone}")]
    errs: FieldErrors = []
    if zone.lower() == "local":
        errs.append(
            invalid(
                path,
                zone,
                "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones",
            )
        )
    problem = time_zone_error(zone)
    if problem is not None:
        errs.append(invalid(path, zone, problem))
    return errs


def validate_schedule(schedule: str, zone: Any, path: FieldPath, *, allow_tz: bool) -> FieldErrors:
    errs: FieldErrors = []
    problem = schedule_error(schedule)
    if problem is not None:
        errs.append(invalid(path, schedule, problem))
    if "TZ" in schedule:
        if not allow_tz:
            errs.append(
                invalid(path, schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead")
            )
        elif zone is not None:
            errs.append(
                invalid(path, schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule")
            )
    return errs


class CronJobStrategy(ResourceStrategy):
    status_metadata = ("labels", "annotations")  # its status strategy resets only the spec
    info = RESOURCE
    schema = types.CronJob
    tracks_generation = True
    cacheable_cells = False  # Last Schedule is a time since
    columns = (
        NAME,
        Column("Schedule", description="When jobs are created, in cron syntax."),
        Column("Timezone", description="The time zone the schedule is read in."),
        Column("Suspend", type="boolean", description="Whether new jobs are held back."),
        Column("Active", type="integer", description="Jobs currently running."),
        Column("Last Schedule", description="Time since a job was last scheduled."),
        AGE,
        Column("Containers", priority=1, description="The container names of the pod template."),
        Column("Images", priority=1, description="The container images of the pod template."),
        Column("Selector", priority=1, description="The label selector of the job template."),
    )

    def default(self, obj: Obj) -> None:
        spec = obj.setdefault("spec", {})
        spec.setdefault("concurrencyPolicy", "Allow")
        spec.setdefault("suspend", False)
        spec.setdefault("successfulJobsHistoryLimit", 3)
        spec.setdefault("failedJobsHistoryLimit", 1)
        job_spec = spec.setdefault("jobTemplate", {}).setdefault("spec", {})
        default_failure_policy(job_spec)
        default_pod_spec(job_spec.setdefault("template", {}).setdefault("spec", {}))

    def prepare_for_create(self, ctx: RequestContext, obj: Obj) -> None:
        super().prepare_for_create(ctx, obj)
        obj["status"] = {}

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        errs = self._validate_spec(section(obj, "spec"), None, FieldPath("spec"))
        name = (obj.get("metadata") or {}).get("name", "")
        if len(name) > MAX_NAME_LENGTH:
            errs.append(invalid("metadata.name", name, f"must be no more than {MAX_NAME_LENGTH} characters"))
        return errs

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        # Names longer than 52 characters were once allowed: such CronJobs stay updatable.
        return self._validate_spec(section(obj, "spec"), section(old, "spec"), FieldPath("spec"))

    def _validate_spec(self, spec: Obj, old: Obj | None, path: FieldPath) -> FieldErrors:
        errs: FieldErrors = []
        schedule = spec.get("schedule", "")
        zone = spec.get("timeZone")
        if not schedule:
            errs.append(required(path.child("schedule")))
        else:
            allow_tz = old is not None and "TZ" in old.get("schedule", "")
            errs += validate_schedule(schedule, zone, path.child("schedule"), allow_tz=allow_tz)
        errs += validate_nonnegative(
            spec.get("startingDeadlineSeconds"), path.child("startingDeadlineSeconds")
        )
        if old is None or old.get("timeZone") != zone:
            errs += validate_time_zone(zone, path.child("timeZone"))
        policy = spec.get("concurrencyPolicy", "")
        if not policy:
            errs.append(required(path.child("concurrencyPolicy")))
        elif policy not in CONCURRENCY_POLICIES:
            errs.append(not_supported(path.child("concurrencyPolicy"), policy, CONCURRENCY_POLICIES))
        errs += self._validate_job_template(section(spec, "jobTemplate"), path.child("jobTemplate"))
        for name in ("successfulJobsHistoryLimit", "failedJobsHistoryLimit"):
            errs += validate_nonnegative(spec.get(name), path.child(name))
        return errs

    def _validate_job_template(self, template: Obj, path: FieldPath) -> FieldErrors:
        job_spec = section(template, "spec")
        errs = validate_job_spec(job_spec, path.child("spec"))
        if job_spec.get("selector") is not None:
            errs.append(
                invalid(
                    path.child("spec", "selector"), job_spec["selector"], "`selector` will be auto-generated"
                )
            )
        if job_spec.get("manualSelector") is True:
            errs.append(not_supported(path.child("spec", "manualSelector"), True, ["nil", "false"]))
        return errs

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        spec, status = section(obj, "spec"), section(obj, "status")
        job_spec = section(spec, "jobTemplate", "spec")
        names, images = container_cells(job_spec.get("template"))
        last = status.get("lastScheduleTime")
        suspend = spec.get("suspend")
        return [
            obj["metadata"].get("name", ""),
            spec.get("schedule", ""),
            spec.get("timeZone") or "<none>",
            "<unset>" if suspend is None else ("True" if suspend else "False"),
            len(status.get("active") or []),
            since(last, now) if last else "<none>",
            age(obj, now),
            names,
            images,
            selector_text(job_spec.get("selector")),
        ]
