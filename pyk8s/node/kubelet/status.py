"""Pod status from what the node knows about each container, as the kubelet computes it
(phase, conditions, container statuses, QoS class)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Obj = dict[str, Any]

PENDING, RUNNING, SUCCEEDED, FAILED = "Pending", "Running", "Succeeded", "Failed"
KUBELET_CONDITIONS = ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady")


@dataclass(slots=True)
class ContainerRecord:
    """The node's view of one container (one entry of containerStatuses)."""

    name: str
    image: str
    image_id: str = ""
    container_id: str = ""
    restart_count: int = 0
    # exactly one of waiting / running / terminated describes the current state
    waiting_reason: str = ""
    waiting_message: str = ""
    started_at: str = ""  # running since
    terminated: Obj | None = None  # {"exitCode", "reason", "startedAt", "finishedAt", ...}
    last_terminated: Obj | None = None
    ready: bool = False
    started: bool = False
    sidecar: bool = False
    extra: Obj = field(default_factory=dict)  # allocatedResources, resources, user, ...

    @property
    def running(self) -> bool:
        return bool(self.started_at) and self.terminated is None and not self.waiting_reason

    def state(self) -> Obj:
        if self.terminated is not None:
            return {"terminated": dict(self.terminated)}
        if self.running:
            return {"running": {"startedAt": self.started_at}}
        waiting: Obj = {"reason": self.waiting_reason or "ContainerCreating"}
        if self.waiting_message:
            waiting["message"] = self.waiting_message
        return {"waiting": waiting}

    def to_status(self) -> Obj:
        out: Obj = {
            "name": self.name,
            "state": self.state(),
            "lastState": {"terminated": dict(self.last_terminated)} if self.last_terminated else {},
            "ready": self.ready,
            "restartCount": self.restart_count,
            "image": self.image,
            "imageID": self.image_id,
            "started": self.started,
        }
        if self.container_id:
            out["containerID"] = self.container_id
        out.update(self.extra)
        return out


def qos_class(pod: Obj) -> str:
    """Guaranteed, Burstable or BestEffort, from the containers' requests and limits."""
    containers = [*(pod["spec"].get("initContainers") or []), *pod["spec"].get("containers", [])]
    any_set = False
    guaranteed = True
    for container in containers:
        resources = container.get("resources") or {}
        requests, limits = resources.get("requests") or {}, resources.get("limits") or {}
        if requests or limits:
            any_set = True
        for name in ("cpu", "memory"):
            limit = limits.get(name)
            request = requests.get(name, limit)
            if limit is None or str(request) != str(limit):
                guaranteed = False
    if not any_set:
        return "BestEffort"
    return "Guaranteed" if guaranteed else "Burstable"


def pod_phase(
    pod: Obj, init: list[ContainerRecord], regular: list[ContainerRecord], initialized: bool
) -> str:
    """The phase, as the kubelet's getPhase decides it."""
    policy = pod["spec"].get("restartPolicy", "Always")
    if not initialized:
        failed_init = [
            c
            for c in init
            if not c.sidecar and c.terminated is not None and c.terminated.get("exitCode") != 0
        ]
        if failed_init and policy == "Never":
            return FAILED
        return PENDING
    running = waiting = succeeded = failed = 0
    for record in regular:
        if record.running:
            running += 1
        elif record.terminated is not None:
            if record.terminated.get("exitCode") == 0:
                succeeded += 1
            else:
                failed += 1
        elif record.last_terminated is not None and policy != "Never":
            running += 1  # restarting: still counts as running, as the kubelet reports it
        else:
            waiting += 1
    if waiting:
        return PENDING
    if running:
        return RUNNING
    if policy == "Always":
        return RUNNING  # they will be restarted
    if failed and policy == "Never":
        return FAILED
    if failed:
        return RUNNING  # OnFailure restarts failed containers
    return SUCCEEDED


def _condition(
    kind: str, ok: bool, now: str, previous: Obj | None, reason: str = "", message: str = ""
) -> Obj:
    status = "True" if ok else "False"
    since = previous.get("lastTransitionTime") if previous and previous.get("status") == status else now
    out: Obj = {"type": kind, "status": status, "lastProbeTime": None, "lastTransitionTime": since}
    if not ok and reason:
        out["reason"] = reason
        if message:
            out["message"] = message
    return out


def conditions(
    pod: Obj,
    *,
    sandbox_ready: bool,
    initialized: bool,
    init: list[ContainerRecord],
    regular: list[ContainerRecord],
    phase: str,
    now: str,
) -> list[Obj]:
    """The kubelet-owned conditions, keeping others' (PodScheduled, gates, DisruptionTarget)."""
    previous = {c.get("type"): c for c in (pod.get("status") or {}).get("conditions") or []}
    not_ready = [c.name for c in regular if not c.ready]
    terminal = phase in (SUCCEEDED, FAILED)
    containers_ready = not not_ready and not terminal
    gates = [g.get("conditionType") for g in pod["spec"].get("readinessGates") or []]
    gates_ok = all((previous.get(g) or {}).get("status") == "True" for g in gates)
    pending_init = [c.name for c in init if not c.sidecar and (c.terminated or {}).get("exitCode") != 0]
    init_message = f"containers with incomplete status: [{' '.join(pending_init)}]"
    ready_message = f"containers with unready status: [{' '.join(not_ready)}]"
    if terminal:
        reason = "PodCompleted"
        init_reason, ready_reason, message = reason, reason, ""
    else:
        init_reason, ready_reason, message = "ContainersNotInitialized", "ContainersNotReady", ready_message
    sandbox = _condition(
        "PodReadyToStartContainers",
        sandbox_ready and not terminal,
        now,
        previous.get("PodReadyToStartContainers"),
    )
    init_done = _condition(
        "Initialized",
        initialized,
        now,
        previous.get("Initialized"),
        init_reason,
        "" if terminal else init_message,
    )
    ready = _condition(
        "Ready", containers_ready and gates_ok, now, previous.get("Ready"), ready_reason, message
    )
    all_ready = _condition(
        "ContainersReady", containers_ready, now, previous.get("ContainersReady"), ready_reason, message
    )
    own = [sandbox, init_done, ready, all_ready]
    if containers_ready and not gates_ok:
        own[2]["reason"] = "ReadinessGatesNotReady"
        own[2]["message"] = "corresponding condition of pod readiness gate is not true"
    others = [c for t, c in previous.items() if t not in KUBELET_CONDITIONS]
    return others + own
