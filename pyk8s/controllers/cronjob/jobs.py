"""The Jobs of a CronJob: building one from the template, telling finished ones apart, choosing
which to delete for the history limits, and keeping `status.active` (pure functions)."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from pyk8s.api.meta import parse_time
from pyk8s.controllers.cronjob.schedule import job_name, scheduled_timestamp

Obj = dict[str, Any]

SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp"
API_VERSION = "batch/v1"


def _meta(obj: Obj) -> Obj:
    meta = obj.get("metadata")
    return meta if isinstance(meta, dict) else {}


def finished_condition(job: Obj) -> str | None:
    """ "Complete" or "Failed" once the Job has that condition True, else None."""
    for condition in (job.get("status") or {}).get("conditions") or []:
        if condition.get("type") in ("Complete", "Failed") and condition.get("status") == "True":
            return str(condition["type"])
    return None


def job_from_template(cronjob: Obj, scheduled: float, local: dt.tzinfo) -> Obj:
    """The Job for the activation at `scheduled`: the template's labels, annotations and spec,
    a deterministic name, the scheduled-time annotation and the CronJob as controller."""
    meta, spec = _meta(cronjob), cronjob.get("spec") or {}
    template = spec.get("jobTemplate") or {}
    template_meta = template.get("metadata") or {}
    annotations = dict(template_meta.get("annotations") or {})
    annotations[SCHEDULED_TIMESTAMP] = scheduled_timestamp(scheduled, spec.get("timeZone"), local)
    job_meta: Obj = {
        "name": job_name(meta.get("name", ""), scheduled),
        "namespace": meta.get("namespace", ""),
        "annotations": annotations,
        "ownerReferences": [
            {
                "apiVersion": API_VERSION,
                "kind": "CronJob",
                "name": meta.get("name", ""),
                "uid": meta.get("uid", ""),
                "controller": True,
                "blockOwnerDeletion": True,
            }
        ],
    }
    labels = template_meta.get("labels")
    if labels:
        job_meta["labels"] = dict(labels)
    return {
        "apiVersion": API_VERSION,
        "kind": "Job",
        "metadata": job_meta,
        "spec": copy.deepcopy(template.get("spec") or {}),
    }


def object_reference(job: Obj) -> Obj:
    """The `status.active` entry for a Job."""
    meta = _meta(job)
    ref = {
        "kind": "Job",
        "namespace": meta.get("namespace", ""),
        "name": meta.get("name", ""),
        "uid": meta.get("uid", ""),
        "apiVersion": API_VERSION,
        "resourceVersion": meta.get("resourceVersion", ""),
    }
    return {k: v for k, v in ref.items() if v}


def in_active_list(status: Obj, uid: str) -> bool:
    return any(ref.get("uid") == uid for ref in status.get("active") or [])


def in_active_list_by_name(status: Obj, namespace: str, name: str) -> bool:
    return any(
        ref.get("name") == name and ref.get("namespace") == namespace for ref in status.get("active") or []
    )


def remove_from_active_list(status: Obj, uid: str) -> None:
    active = [ref for ref in status.get("active") or [] if ref.get("uid") != uid]
    if active:
        status["active"] = active
    else:
        status.pop("active", None)


def _start_order(job: Obj) -> tuple[int, float, str]:
    start = (job.get("status") or {}).get("startTime")
    name = _meta(job).get("name", "")
    return (0, parse_time(start), name) if start else (1, 0.0, name)


def jobs_over_limit(jobs: list[Obj], limit: int) -> list[Obj]:
    """The oldest Jobs (by start time, then name; never started last) beyond `limit`."""
    extra = len(jobs) - limit
    if extra <= 0:
        return []
    return sorted(jobs, key=_start_order)[:extra]


def history_to_delete(cronjob: Obj, jobs: list[Obj]) -> list[Obj]:
    """Finished Jobs beyond `successfulJobsHistoryLimit` and `failedJobsHistoryLimit`."""
    spec = cronjob.get("spec") or {}
    succeeded = [j for j in jobs if finished_condition(j) == "Complete"]
    failed = [j for j in jobs if finished_condition(j) == "Failed"]
    doomed: list[Obj] = []
    if spec.get("successfulJobsHistoryLimit") is not None:
        doomed += jobs_over_limit(succeeded, int(spec["successfulJobsHistoryLimit"]))
    if spec.get("failedJobsHistoryLimit") is not None:
        doomed += jobs_over_limit(failed, int(spec["failedJobsHistoryLimit"]))
    return doomed
