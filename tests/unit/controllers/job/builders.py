"""Jobs, pods and a recording `JobActions` for the Job controller's unit tests."""

from __future__ import annotations

import copy
import itertools
from typing import Any

from pyk8s.api.errors import NotFoundError
from pyk8s.api.meta import rfc3339
from pyk8s.controllers.job.backoff import BackoffStore
from pyk8s.controllers.job.pods import COMPLETION_INDEX, TRACKING_FINALIZER
from pyk8s.controllers.job.sync import JobSync
from pyk8s.controllers.job.tracking import FinalizerExpectations
from pyk8s.controllers.runtime.expectations import ControllerExpectations

Obj = dict[str, Any]
NOW = 1_700_000_000.0
KEY = "default/pi"
_uids = itertools.count(1)


def job(**spec: Any) -> Obj:
    """A Job as the API server defaults it, with `spec` overrides and an optional status."""
    status = spec.pop("status", {})
    base: Obj = {
        "parallelism": 1,
        "completions": 1,
        "backoffLimit": 6,
        "completionMode": "NonIndexed",
        "suspend": False,
        "podReplacementPolicy": "TerminatingOrFailed",
        "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "job-uid"}},
        "template": {
            "metadata": {
                "labels": {
                    "batch.kubernetes.io/controller-uid": "job-uid",
                    "batch.kubernetes.io/job-name": "pi",
                    "controller-uid": "job-uid",
                    "job-name": "pi",
                }
            },
            "spec": {"restartPolicy": "Never", "containers": [{"name": "pi", "image": "perl"}]},
        },
    }
    base.update(spec)
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {
            "name": "pi",
            "namespace": "default",
            "uid": "job-uid",
            "resourceVersion": "10",
            "generation": 1,
            "creationTimestamp": rfc3339(NOW - 100),
        },
        "spec": base,
        "status": status,
    }


def pod(
    name: str,
    phase: str = "Running",
    *,
    finalizer: bool = True,
    index: int | None = None,
    ready: bool = False,
    deleting: bool = False,
    finished_at: float | None = None,
    exit_code: int | None = None,
    conditions: list[Obj] | None = None,
    annotations: dict[str, str] | None = None,
    restarts: int = 0,
) -> Obj:
    """A pod of the Job `pi`."""
    meta: Obj = {
        "name": name,
        "namespace": "default",
        "uid": f"uid-{name}",
        "resourceVersion": str(next(_uids)),
        "creationTimestamp": rfc3339(NOW - 50),
        "labels": {"batch.kubernetes.io/controller-uid": "job-uid"},
        "ownerReferences": [
            {"apiVersion": "batch/v1", "kind": "Job", "name": "pi", "uid": "job-uid", "controller": True}
        ],
    }
    if finalizer:
        meta["finalizers"] = [TRACKING_FINALIZER]
    if index is not None or annotations:
        meta["annotations"] = dict(annotations or {})
        if index is not None:
            meta["annotations"][COMPLETION_INDEX] = str(index)
    if deleting:
        meta["deletionTimestamp"] = rfc3339(NOW - 1)
        meta["deletionGracePeriodSeconds"] = 30
    status: Obj = {"phase": phase, "conditions": list(conditions or [])}
    if ready:
        status["conditions"].append(
            {"type": "Ready", "status": "True", "lastTransitionTime": rfc3339(NOW - 40)}
        )
    container: Obj = {"name": "pi", "restartCount": restarts, "state": {"running": {}}}
    if phase in ("Succeeded", "Failed"):
        code = exit_code if exit_code is not None else (0 if phase == "Succeeded" else 1)
        at = finished_at if finished_at is not None else NOW - 5
        container["state"] = {"terminated": {"exitCode": code, "finishedAt": rfc3339(at)}}
    status["containerStatuses"] = [container]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": {"nodeName": "n1"}, "status": status}


class FakeActions:
    """Records every write; creates give pods names, status updates bump the version."""

    def __init__(self, *, gone: set[str] | None = None) -> None:
        self.created: list[Obj] = []
        self.deleted: list[str] = []
        self.released: list[str] = []
        self.statuses: list[Obj] = []
        self.events: list[tuple[str, str, str]] = []
        self.gone = gone or set()
        self._names = itertools.count()

    async def create_pod(self, job: Obj, pod: Obj) -> Obj:
        created = copy.deepcopy(pod)
        created["metadata"]["name"] = f"{pod['metadata']['generateName']}{next(self._names)}"
        self.created.append(created)
        self.events.append(("Normal", "SuccessfulCreate", f"Created pod: {created['metadata']['name']}"))
        return created

    async def delete_pod(self, job: Obj, pod: Obj) -> None:
        name = pod["metadata"]["name"]
        if name in self.gone:
            raise NotFoundError(f'pods "{name}" not found')
        self.deleted.append(name)

    async def remove_tracking_finalizer(self, pod: Obj) -> None:
        name = pod["metadata"]["name"]
        if name in self.gone:
            raise NotFoundError(f'pods "{name}" not found')
        self.released.append(name)

    async def update_status(self, job: Obj) -> Obj:
        written = copy.deepcopy(job)
        written["metadata"]["resourceVersion"] = str(int(written["metadata"]["resourceVersion"]) + 1)
        self.statuses.append(copy.deepcopy(written["status"]))
        return written

    def event(self, job: Obj, type: str, reason: str, message: str) -> None:
        self.events.append((type, reason, message))

    def reasons(self) -> list[str]:
        return [reason for _, reason, _ in self.events]


class Harness:
    """One controller's memory (expectations, finalizer removals, backoff) across syncs."""

    def __init__(self) -> None:
        self.expectations = ControllerExpectations()
        self.finalizers = FinalizerExpectations()
        self.backoff = BackoffStore()

    async def sync(
        self, job_obj: Obj, pods: list[Obj], *, now: float = NOW, actions: FakeActions | None = None
    ) -> tuple[FakeActions, float | None, Obj]:
        """Run one sync; returns the recorder, the requeue delay and the last written status."""
        actions = actions or FakeActions()
        run = JobSync(
            copy.deepcopy(job_obj),
            pods,
            key=KEY,
            now=now,
            actions=actions,
            expectations=self.expectations,
            finalizers=self.finalizers,
            backoff=self.backoff,
        )
        delay = await run.run()
        status = actions.statuses[-1] if actions.statuses else job_obj.get("status", {})
        return actions, delay, status


def condition(status: Obj, kind: str) -> Obj | None:
    for cond in status.get("conditions") or []:
        if cond["type"] == kind:
            return cond
    return None
