"""Pod: a group of containers scheduled together onto a node."""

from __future__ import annotations

from typing import Any

from pyk8s.api.fields import FieldErrors, FieldPath, duplicate, forbidden, invalid, not_supported, required
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
from pyk8s.api.table import age
from pyk8s.api.validation import dns1123_label
from pyk8s.kinds.core import types

RESOURCE = ResourceInfo(
    group="",
    version="v1",
    kind="Pod",
    plural="pods",
    singular="pod",
    short_names=("po",),
    categories=("all",),
    subresources=(
        Subresource("status", ("get", "patch", "update")),
        Subresource("binding", ("create",), kind="Binding"),
    ),
)

DEFAULT_GRACE_PERIOD = 30
RESTART_POLICIES = ["Always", "OnFailure", "Never"]
PULL_POLICIES = ["Always", "IfNotPresent", "Never"]
PROTOCOLS = ["TCP", "UDP", "SCTP"]


def _spec(obj: Obj) -> dict[str, Any]:
    spec = obj.get("spec")
    return spec if isinstance(spec, dict) else {}


def default_container(container: dict[str, Any]) -> None:
    """Container defaults (SetDefaults_Container and friends)."""
    image = container.get("image", "")
    if "imagePullPolicy" not in container:
        tagless = ":" not in image.rsplit("/", 1)[-1] and "@" not in image
        container["imagePullPolicy"] = "Always" if tagless or image.endswith(":latest") else "IfNotPresent"
    container.setdefault("terminationMessagePath", "/dev/termination-log")
    container.setdefault("terminationMessagePolicy", "File")
    for port in container.get("ports") or []:
        port.setdefault("protocol", "TCP")
    container.setdefault("resources", {})


def default_pod_spec(spec: dict[str, Any]) -> None:
    """PodSpec defaults, shared with every kind that embeds a pod template."""
    spec.setdefault("restartPolicy", "Always")
    spec.setdefault("terminationGracePeriodSeconds", DEFAULT_GRACE_PERIOD)
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("securityContext", {})
    spec.setdefault("schedulerName", "default-scheduler")
    spec.setdefault("enableServiceLinks", True)
    for key in ("containers", "initContainers"):
        for container in spec.get(key) or []:
            if isinstance(container, dict):
                default_container(container)
    if spec.get("serviceAccountName") and not spec.get("serviceAccount"):
        spec["serviceAccount"] = spec["serviceAccountName"]


def validate_pod_spec(spec: dict[str, Any], path: FieldPath) -> FieldErrors:
    """The PodSpec rules clients most often meet (names, images, ports, policies)."""
    errs: FieldErrors = []
    containers = spec.get("containers") or []
    if not containers:
        errs.append(required(path.child("containers")))
    names: set[str] = set()
    for key in ("initContainers", "containers"):
        for i, container in enumerate(spec.get(key) or []):
            cpath = path.child(key).index(i)
            name = container.get("name", "")
            if not name:
                errs.append(required(cpath.child("name")))
            else:
                for msg in dns1123_label(name):
                    errs.append(invalid(cpath.child("name"), name, msg))
                if name in names:
                    errs.append(duplicate(cpath.child("name"), name))
                names.add(name)
            if not container.get("image"):
                errs.append(required(cpath.child("image")))
            policy = container.get("imagePullPolicy")
            if policy and policy not in PULL_POLICIES:
                errs.append(not_supported(cpath.child("imagePullPolicy"), policy, PULL_POLICIES))
            for j, port in enumerate(container.get("ports") or []):
                ppath = cpath.child("ports").index(j)
                number = port.get("containerPort")
                if not isinstance(number, int) or not 0 < number < 65536:
                    errs.append(
                        invalid(
                            ppath.child("containerPort"), number, "must be between 1 and 65535, inclusive"
                        )
                    )
                if port.get("protocol") and port["protocol"] not in PROTOCOLS:
                    errs.append(not_supported(ppath.child("protocol"), port["protocol"], PROTOCOLS))
    policy = spec.get("restartPolicy")
    if policy and policy not in RESTART_POLICIES:
        errs.append(not_supported(path.child("restartPolicy"), policy, RESTART_POLICIES))
    grace = spec.get("terminationGracePeriodSeconds")
    if isinstance(grace, int) and grace < 0:
        errs.append(
            invalid(path.child("terminationGracePeriodSeconds"), grace, "must be greater than or equal to 0")
        )
    return errs


class PodStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.Pod
    tracks_generation = True
    return_deleted_object = True
    field_selectors = {
        "spec.nodeName": lambda o: _spec(o).get("nodeName", ""),
        "spec.restartPolicy": lambda o: _spec(o).get("restartPolicy", ""),
        "spec.schedulerName": lambda o: _spec(o).get("schedulerName", ""),
        "spec.serviceAccountName": lambda o: _spec(o).get("serviceAccountName", ""),
        "spec.hostNetwork": lambda o: "true" if _spec(o).get("hostNetwork") else "false",
        "status.phase": lambda o: (o.get("status") or {}).get("phase", ""),
        "status.podIP": lambda o: (o.get("status") or {}).get("podIP", ""),
        "status.nominatedNodeName": lambda o: (o.get("status") or {}).get("nominatedNodeName", ""),
    }
    indexed_fields = ("spec.nodeName",)
    columns = (
        NAME,
        Column("Ready", description="Ready containers out of all containers."),
        Column("Status", description="The aggregate status of the containers."),
        Column("Restarts", description="Container restarts (and how long ago the last one was)."),
        AGE,
        Column("IP", priority=1, description="The IP address of the pod."),
        Column("Node", priority=1, description="The node the pod is bound to."),
        Column("Nominated Node", priority=1, description="The node preemption nominated for the pod."),
        Column("Readiness Gates", priority=1, description="Readiness gates that are met, of all."),
    )

    def default(self, obj: Obj) -> None:
        default_pod_spec(obj.setdefault("spec", {}))

    def prepare_for_create(self, ctx: RequestContext, obj: Obj) -> None:
        super().prepare_for_create(ctx, obj)
        obj["status"] = {"phase": "Pending", "qosClass": qos_class(obj.get("spec") or {})}

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        return validate_pod_spec(_spec(obj), FieldPath("spec"))

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        errs = self.validate(ctx, obj)
        new_spec, old_spec = dict(_spec(obj)), dict(_spec(old))
        # Only images, activeDeadlineSeconds and tolerations additions may change.
        for spec in (new_spec, old_spec):
            spec.pop("activeDeadlineSeconds", None)
            spec.pop("tolerations", None)
            spec["containers"] = [
                {k: v for k, v in c.items() if k != "image"} for c in spec.get("containers") or []
            ]
            spec["initContainers"] = [
                {k: v for k, v in c.items() if k != "image"} for c in spec.get("initContainers") or []
            ]
        if new_spec != old_spec:
            errs.append(
                forbidden(
                    "spec",
                    "pod updates may not change fields other than `spec.containers[*].image`, "
                    "`spec.initContainers[*].image`, `spec.activeDeadlineSeconds`, "
                    "`spec.tolerations` (only additions to existing tolerations), "
                    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was "
                    "previously negative)",
                )
            )
        return errs

    def grace_period(self, obj: Obj, requested: int | None) -> int:
        """Seconds a pod gets to terminate (0: delete at once)."""
        spec, phase = _spec(obj), (obj.get("status") or {}).get("phase")
        if not spec.get("nodeName") or phase in ("Succeeded", "Failed"):
            return 0  # never started, or already finished: nothing to wait for
        if requested is not None:
            return max(0, requested)
        grace = spec.get("terminationGracePeriodSeconds")
        return DEFAULT_GRACE_PERIOD if grace is None else max(0, int(grace))

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        spec, status = _spec(obj), obj.get("status") or {}
        containers = spec.get("containers") or []
        statuses = status.get("containerStatuses") or []
        ready = sum(1 for s in statuses if s.get("ready"))
        restarts = sum(int(s.get("restartCount") or 0) for s in statuses)
        gates = spec.get("readinessGates") or []
        gates_met = sum(
            1
            for g in gates
            for c in status.get("conditions") or []
            if c.get("type") == g.get("conditionType") and c.get("status") == "True"
        )
        return [
            obj["metadata"].get("name", ""),
            f"{ready}/{len(containers)}",
            pod_status_reason(obj),
            str(restarts),
            age(obj, now),
            status.get("podIP") or "<none>",
            spec.get("nodeName") or "<none>",
            status.get("nominatedNodeName") or "<none>",
            f"{gates_met}/{len(gates)}" if gates else "<none>",
        ]


def pod_status_reason(obj: Obj) -> str:
    """The STATUS column, as kubectl computes it from the container states."""
    status = obj.get("status") or {}
    reason = status.get("reason") or status.get("phase") or "Unknown"
    for i, cs in enumerate(status.get("initContainerStatuses") or []):
        state = cs.get("state") or {}
        term, waiting = state.get("terminated"), state.get("waiting")
        if term and term.get("exitCode") == 0:
            continue
        if term:
            reason = "Init:" + (term.get("reason") or f"ExitCode:{term.get('exitCode')}")
        elif waiting and waiting.get("reason") and waiting["reason"] != "PodInitializing":
            reason = "Init:" + waiting["reason"]
        else:
            reason = f"Init:{i}/{len(_spec(obj).get('initContainers') or [])}"
        break
    else:
        running = False
        for cs in reversed(status.get("containerStatuses") or []):
            state = cs.get("state") or {}
            if state.get("waiting", {}).get("reason"):
                reason = state["waiting"]["reason"]
            elif state.get("terminated"):
                term = state["terminated"]
                reason = term.get("reason") or (
                    f"Signal:{term['signal']}" if term.get("signal") else f"ExitCode:{term.get('exitCode')}"
                )
            elif state.get("running") and cs.get("ready"):
                running = True
        if reason == "Completed" and running:
            reason = "Running"
    if obj.get("metadata", {}).get("deletionTimestamp"):
        reason = "Unknown" if status.get("reason") == "NodeLost" else "Terminating"
    return str(reason)


def qos_class(spec: dict[str, Any]) -> str:
    """Guaranteed, Burstable or BestEffort, from the containers' requests and limits."""
    requests: dict[str, bool] = {}
    limits: dict[str, bool] = {}
    guaranteed = True
    any_set = False
    for container in (spec.get("containers") or []) + (spec.get("initContainers") or []):
        res = container.get("resources") or {}
        req, lim = res.get("requests") or {}, res.get("limits") or {}
        for name in ("cpu", "memory"):
            if name in req or name in lim:
                any_set = True
            if name not in lim or (name in req and str(req[name]) != str(lim[name])):
                guaranteed = False
            requests[name] = requests.get(name, False) or name in req
            limits[name] = limits.get(name, False) or name in lim
    if not any_set:
        return "BestEffort"
    return "Guaranteed" if guaranteed else "Burstable"
