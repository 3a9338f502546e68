"""Pod status as a kubelet writes it, for pods whose containers are only simulated.

Three shapes, built from the pod (its spec and the status it already has) and where it runs:

    pending_status     containers waiting (ContainerCreating / PodInitializing), not ready
    running_status     containers running since `started_at`, ready (unless a readiness
                       gate is not True); init containers completed, sidecars running
    terminated_status  containers terminated with an exit code: Succeeded or Failed

Each keeps what must not move: `startTime`, PodScheduled, a condition's
`lastTransitionTime` while its status is unchanged, and conditions other components own
(readiness gates, DisruptionTarget), which come first as the kubelet orders them.
`fingerprint` reduces a status to what these builders decide, so a caller writes only when
that differs (the API server may normalise the rest).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pyk8s.api.meta import parse_time, rfc3339

Obj = dict[str, Any]

PENDING, RUNNING, SUCCEEDED, FAILED = "Pending", "Running", "Succeeded", "Failed"
TERMINAL_PHASES = frozenset((SUCCEEDED, FAILED))
POD_SCHEDULED = "PodScheduled"
# The conditions a kubelet owns, in the order it writes them.
KUBELET_CONDITIONS = ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", POD_SCHEDULED)
CONTAINER_ID_SCHEME = "simulated"
DEFAULT_REGISTRY = "docker.io"


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a pod runs: its node, the node's address and the pod's own address."""

    node: str
    host_ip: str
    pod_ip: str


# images


def normalize_image(image: str) -> tuple[str, str]:
    """(the image as a runtime reports it, a plausible image ID).

    `nginx` -> `docker.io/library/nginx:latest`; an image pinned by digest keeps it, and
    the ID of any other image is a digest derived from its name (stable, never pulled).
    """
    name, _, digest = image.partition("@")
    first, slash, rest = name.partition("/")
    if not slash:
        name = f"{DEFAULT_REGISTRY}/library/{name}"
    elif "." not in first and ":" not in first and first != "localhost":
        name = f"{DEFAULT_REGISTRY}/{name}"
    elif first == DEFAULT_REGISTRY and "/" not in rest:
        name = f"{DEFAULT_REGISTRY}/library/{rest}"
    repository, tag = name, ""
    if ":" in name.rsplit("/", 1)[-1]:
        repository, _, tag = name.rpartition(":")
    if digest:
        return f"{repository}@{digest}", f"{repository}@{digest}"
    reported = f"{repository}:{tag or 'latest'}"
    return reported, f"{repository}@sha256:{hashlib.sha256(reported.encode()).hexdigest()}"


def container_id(pod_uid: str, container: str, restart_count: int = 0) -> str:
    """A runtime container ID (`simulated://<64 hex>`), stable for one run of one container."""
    digest = hashlib.sha256(f"{pod_uid}/{container}/{restart_count}".encode()).hexdigest()
    return f"{CONTAINER_ID_SCHEME}://{digest}"


# reading a pod


def _spec(pod: Obj) -> Obj:
    return pod.get("spec") or {}


def _status(pod: Obj) -> Obj:
    return pod.get("status") or {}


def _meta(pod: Obj) -> Obj:
    return pod.get("metadata") or {}


def containers(pod: Obj) -> list[Obj]:
    return [c for c in _spec(pod).get("containers") or [] if isinstance(c, dict)]


def init_containers(pod: Obj) -> list[Obj]:
    return [c for c in _spec(pod).get("initContainers") or [] if isinstance(c, dict)]


def is_sidecar(container: Obj) -> bool:
    """An init container that keeps running beside the app containers."""
    return container.get("restartPolicy") == "Always"


def started_at(pod: Obj) -> float | None:
    """When the pod's app containers started (from its status), or None if they have not."""
    for cs in _status(pod).get("containerStatuses") or []:
        state = cs.get("state") or {}
        for kind in ("running", "terminated"):
            stamp = (state.get(kind) or {}).get("startedAt")
            if stamp:
                try:
                    return parse_time(stamp)
                except ValueError:
                    return None
    return None


def readiness_gates_met(pod: Obj) -> list[str]:
    """Readiness gate condition types that are not True (empty: all gates hold)."""
    true = {c.get("type") for c in _status(pod).get("conditions") or [] if c.get("status") == "True"}
    gates = [
        g.get("conditionType", "") for g in _spec(pod).get("readinessGates") or [] if isinstance(g, dict)
    ]
    return [g for g in gates if g not in true]


# building a status


def _conditions(pod: Obj, now: float, own: dict[str, tuple[str, str, str]]) -> list[Obj]:
    """Foreign conditions as they are, then the kubelet's: (status, reason, message) each."""
    old = [c for c in _status(pod).get("conditions") or [] if isinstance(c, dict)]
    by_type = {c.get("type"): c for c in old}
    generation = _meta(pod).get("generation")
    result = [c for c in old if c.get("type") not in KUBELET_CONDITIONS]
    stamp = rfc3339(now)
    for type_ in KUBELET_CONDITIONS:
        before = by_type.get(type_)
        if type_ == POD_SCHEDULED:
            result.append(before or {"type": type_, "status": "True", "lastTransitionTime": stamp})
            continue
        status, reason, message = own[type_]
        same = before is not None and before.get("status") == status and before.get("lastTransitionTime")
        condition: Obj = {
            "type": type_,
            "status": status,
            "lastTransitionTime": before["lastTransitionTime"] if same and before else stamp,
        }
        if reason:
            condition["reason"] = reason
        if message:
            condition["message"] = message
        if generation:
            condition["observedGeneration"] = generation
        result.append(condition)
    return result


def _base(pod: Obj, where: Placement, now: float, phase: str) -> Obj:
    old = _status(pod)
    status: Obj = {
        "phase": phase,
        "hostIP": where.host_ip,
        "hostIPs": [{"ip": where.host_ip}],
        "podIP": where.pod_ip,
        "podIPs": [{"ip": where.pod_ip}],
        "startTime": old.get("startTime") or rfc3339(now),
    }
    if old.get("qosClass"):
        status["qosClass"] = old["qosClass"]
    generation = _meta(pod).get("generation")
    if generation:
        status["observedGeneration"] = generation
    return status


def _container_status(pod: Obj, container: Obj, state: Obj, *, ready: bool, started: bool) -> Obj:
    image, image_id = normalize_image(str(container.get("image") or ""))
    name = str(container.get("name") or "")
    status: Obj = {
        "name": name,
        "state": state,
        "lastState": {},
        "ready": ready,
        "restartCount": 0,
        "image": image,
        "imageID": image_id if "waiting" not in state else "",
        "started": started,
    }
    if "waiting" not in state:
        status["containerID"] = container_id(str(_meta(pod).get("uid") or ""), name)
    return status


def _names(items: Iterable[Obj]) -> str:
    return "[" + " ".join(str(c.get("name") or "") for c in items) + "]"


def pending_status(pod: Obj, where: Placement, *, now: float) -> Obj:
    """Accepted by the node, containers being created."""
    inits = [c for c in init_containers(pod) if not is_sidecar(c)]
    apps = containers(pod)
    waiting = {"waiting": {"reason": "PodInitializing" if inits else "ContainerCreating"}}
    unready = [*apps, *(c for c in init_containers(pod) if is_sidecar(c))]
    status = _base(pod, where, now, PENDING)
    status["conditions"] = _conditions(
        pod,
        now,
        {
            "PodReadyToStartContainers": ("False", "", ""),
            "Initialized": (
                "False",
                "ContainersNotInitialized",
                f"containers with incomplete status: {_names(inits)}",
            )
            if inits
            else ("True", "", ""),
            "Ready": ("False", "ContainersNotReady", f"containers with unready status: {_names(unready)}"),
            "ContainersReady": (
                "False",
                "ContainersNotReady",
                f"containers with unready status: {_names(unready)}",
            ),
        },
    )
    if init_containers(pod):
        status["initContainerStatuses"] = [
            _container_status(pod, c, dict(waiting), ready=False, started=False) for c in init_containers(pod)
        ]
    status["containerStatuses"] = [
        _container_status(pod, c, dict(waiting), ready=False, started=False) for c in apps
    ]
    return status


def running_status(pod: Obj, where: Placement, *, now: float, started: float) -> Obj:
    """Every app container running since `started` (and sidecars); init containers done."""
    since = rfc3339(started)
    running = {"running": {"startedAt": since}}
    status = _base(pod, where, now, RUNNING)
    gates = readiness_gates_met(pod)
    ready = ("True", "", "") if not gates else ("False", "ReadinessGatesNotReady", _gate_message(gates))
    status["conditions"] = _conditions(
        pod,
        now,
        {
            "PodReadyToStartContainers": ("True", "", ""),
            "Initialized": ("True", "", ""),
            "Ready": ready,
            "ContainersReady": ("True", "", ""),
        },
    )
    if init_containers(pod):
        done = {"terminated": {"exitCode": 0, "reason": "Completed", "startedAt": since, "finishedAt": since}}
        status["initContainerStatuses"] = [
            _container_status(pod, c, dict(running), ready=True, started=True)
            if is_sidecar(c)
            else _with_id(pod, c, _container_status(pod, c, _copy(done), ready=True, started=False))
            for c in init_containers(pod)
        ]
    status["containerStatuses"] = [
        _container_status(pod, c, dict(running), ready=True, started=True) for c in containers(pod)
    ]
    return status


def terminated_status(pod: Obj, where: Placement, *, now: float, started: float, exit_code: int) -> Obj:
    """Every container has exited (app containers with `exit_code`): Succeeded or Failed."""
    phase = SUCCEEDED if exit_code == 0 else FAILED
    reason = "PodCompleted" if exit_code == 0 else "PodFailed"
    status = _base(pod, where, now, phase)
    status["conditions"] = _conditions(
        pod,
        now,
        {
            "PodReadyToStartContainers": ("False", "", ""),
            "Initialized": ("True", "PodCompleted", ""),
            "Ready": ("False", reason, ""),
            "ContainersReady": ("False", reason, ""),
        },
    )
    since, until = rfc3339(started), rfc3339(now)

    def exited(container: Obj, code: int, finished: str) -> Obj:
        state = {
            "terminated": {
                "exitCode": code,
                "reason": "Completed" if code == 0 else "Error",
                "startedAt": since,
                "finishedAt": finished,
            }
        }
        return _with_id(pod, container, _container_status(pod, container, state, ready=False, started=False))

    if init_containers(pod):
        status["initContainerStatuses"] = [
            exited(c, 0, until if is_sidecar(c) else since) for c in init_containers(pod)
        ]
    status["containerStatuses"] = [exited(c, exit_code, until) for c in containers(pod)]
    return status


def _with_id(pod: Obj, container: Obj, status: Obj) -> Obj:
    """A terminated state names the container that ran, as the kubelet reports it."""
    status["state"]["terminated"]["containerID"] = status["containerID"]
    return status


def _copy(state: Obj) -> Obj:
    return {kind: dict(value) for kind, value in state.items()}


def _gate_message(gates: list[str]) -> str:
    return "; ".join(f'readiness gate "{g}" is not True' for g in gates)


# comparing


def fingerprint(status: Obj) -> tuple[Any, ...]:
    """What the builders above decide, and nothing the API server might rewrite."""

    def states(key: str) -> tuple[Any, ...]:
        return tuple(
            (cs.get("name"), next(iter(cs.get("state") or {"": None})), bool(cs.get("ready")))
            for cs in status.get(key) or []
        )

    conditions = sorted(
        (str(c.get("type")), str(c.get("status")))
        for c in status.get("conditions") or []
        if c.get("type") in KUBELET_CONDITIONS and c.get("type") != POD_SCHEDULED
    )
    return (
        status.get("phase"),
        status.get("hostIP") or "",
        status.get("podIP") or "",
        states("initContainerStatuses"),
        states("containerStatuses"),
        tuple(conditions),
    )
