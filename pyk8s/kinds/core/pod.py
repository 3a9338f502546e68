"""Pod: a group of containers scheduled together onto a node.

Defaulting and PodSpec validation live in `podspec` (shared with every pod template); this
module adds what is specific to the Pod resource: status on create, what an update may
change (and what the status, binding, ephemeralcontainers and resize subresources may),
graceful deletion, field selectors and the `kubectl get pods` columns.
"""

from __future__ import annotations

import copy
from fractions import Fraction
from typing import Any

from pyk8s.api.fields import FieldErrors, FieldPath, duplicate, forbidden, invalid, required
from pyk8s.api.meta import rfc3339
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
from pyk8s.api.validation import (
    dns1123_label,
    inclusive_range,
    validate_immutable,
    validate_ip,
    validate_qualified_name,
    validate_subdomain,
)
from pyk8s.kinds.core import types
from pyk8s.kinds.core.podspec import (
    MAX_INT32,
    MIRROR_ANNOTATION,
    default_pod,
    default_pod_once,
    default_pod_spec,
    validate_pod_spec,
    validate_pod_specific_annotations,
    validate_tolerations,
)
from pyk8s.kinds.core.validation import compare_quantities, quantity_value

RESOURCE = ResourceInfo(
    group="",
    version="v1",
    kind="Pod",
    plural="pods",
    singular="pod",
    short_names=("po",),
    categories=("all",),
    subresources=(
        Subresource("attach", ("create", "get"), kind="PodAttachOptions"),
        Subresource("binding", ("create",), kind="Binding"),
        Subresource("ephemeralcontainers", ("get", "patch", "update")),
        Subresource("eviction", ("create",), kind="Eviction", group="policy", version="v1"),
        Subresource("exec", ("create", "get"), kind="PodExecOptions"),
        Subresource("log", ("get",), kind="Pod"),
        Subresource("portforward", ("create", "get"), kind="PodPortForwardOptions"),
        Subresource("proxy", ("create", "delete", "get", "patch", "update"), kind="PodProxyOptions"),
        Subresource("resize", ("get", "patch", "update")),
        Subresource("status", ("get", "patch", "update")),
    ),
)

UPDATABLE_FIELDS = ",".join(
    [
        "`spec.containers[*].image`",
        "`spec.initContainers[*].image`",
        "`spec.activeDeadlineSeconds`",
        "`spec.tolerations` (only additions to existing tolerations)",
        "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
    ]
)
SYSTEM_CONDITIONS = {"PodScheduled", "Ready", "Initialized"}
GATED_MESSAGE = "Scheduling is blocked due to non-empty scheduling gates"
# Metadata the ephemeralcontainers and resize subresources cannot change.
RESET_META = ("labels", "annotations", "finalizers", "ownerReferences", "managedFields")

# Re-exported for kinds with pod templates (apps, batch).
__all__ = [
    "RESOURCE",
    "PodStrategy",
    "default_pod_spec",
    "pod_status_reason",
    "qos_class",
    "validate_pod_spec",
]


def _spec(obj: Obj) -> dict[str, Any]:
    spec = obj.get("spec")
    return spec if isinstance(spec, dict) else {}


def _status(obj: Obj) -> dict[str, Any]:
    status = obj.get("status")
    return status if isinstance(status, dict) else {}


def _pod_ip(obj: Obj) -> str:
    ips = _status(obj).get("podIPs") or []
    return str((ips[0] or {}).get("ip", "")) if ips else ""


class PodStrategy(ResourceStrategy):
    status_metadata = ("labels", "annotations")  # its status strategy resets only the spec
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
        "status.phase": lambda o: _status(o).get("phase", ""),
        "status.podIP": _pod_ip,
        "status.nominatedNodeName": lambda o: _status(o).get("nominatedNodeName", ""),
    }
    indexed_fields = ("spec.nodeName",)
    columns = (
        NAME,
        Column("Ready", description="Ready containers out of all containers."),
        Column("Status", description="Why the pod is in its current phase, as kubectl summarises it."),
        Column("Restarts", description="Container restarts, and how long ago the last one was."),
        AGE,
        Column("IP", priority=1, description="The pod's first IP address."),
        Column("Node", priority=1, description="The node the pod is bound to."),
        Column("Nominated Node", priority=1, description="The node preemption nominated for the pod."),
        Column("Readiness Gates", priority=1, description="Readiness gates that hold, out of all."),
    )

    # create

    def default(self, obj: Obj) -> None:
        default_pod(obj)

    def default_for_update(self, obj: Obj, old: Obj) -> None:
        """`default` for an update, which usually repeats the stored (defaulted) spec."""
        default_pod_once(obj)

    def prepare_for_create(self, ctx: RequestContext, obj: Obj) -> None:
        super().prepare_for_create(ctx, obj)
        spec = _spec(obj)
        status: dict[str, Any] = {"phase": "Pending", "qosClass": qos_class(spec)}
        if spec.get("schedulingGates"):
            status["conditions"] = [
                {
                    "type": "PodScheduled",
                    "status": "False",
                    "lastProbeTime": None,
                    "lastTransitionTime": rfc3339(ctx.now),
                    "reason": "SchedulingGated",
                    "message": GATED_MESSAGE,
                }
            ]
        obj["status"] = status

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        errs = validate_pod_object(obj)
        spec, path = _spec(obj), FieldPath("spec")
        if spec.get("ephemeralContainers"):
            errs.append(forbidden(path.child("ephemeralContainers"), "cannot be set on create"))
        if spec.get("nodeName") and spec.get("schedulingGates"):
            errs.append(
                forbidden(path.child("nodeName"), "cannot be set until all schedulingGates have been cleared")
            )
        return errs

    def warnings_on_create(self, ctx: RequestContext, obj: Obj) -> list[str]:
        warnings = []
        name = (obj.get("metadata") or {}).get("name", "")
        msgs = dns1123_label(name)
        if name and msgs:
            warnings.append(
                "metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; "
                f"a DNS label is recommended: [{' '.join(msgs)}]"
            )
        return warnings + pod_spec_warnings(_spec(obj), FieldPath("spec"))

    # update

    def prepare_for_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> None:
        if ctx.subresource == "ephemeralcontainers":
            _keep_ephemeral_containers(obj, old)
        elif ctx.subresource == "resize":
            _keep_all_but_resources(obj, old)
        elif ctx.subresource == "binding":
            # kube-apiserver's binding storage writes nodeName and the PodScheduled condition
            # straight to storage: the status as the binding set it, the generation unchanged.
            old_meta = old.get("metadata") or {}
            if "generation" in old_meta:
                obj["metadata"]["generation"] = old_meta["generation"]
            else:
                obj["metadata"].pop("generation", None)
            return
        super().prepare_for_update(ctx, obj, old)

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        if ctx.subresource == "ephemeralcontainers":
            return validate_ephemeral_containers_update(obj, old)
        if ctx.subresource == "resize":
            return validate_resize(obj, old)
        return validate_pod_update(obj, old, binding=ctx.subresource == "binding")

    # status

    def prepare_for_status_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> None:
        super().prepare_for_status_update(ctx, obj, old)
        status, old_status = obj.get("status"), _status(old)
        if not isinstance(status, dict):
            return
        if not status.get("qosClass") and old_status.get("qosClass"):
            status["qosClass"] = old_status["qosClass"]
        if not status.get("observedGeneration") and old_status.get("observedGeneration"):
            status["observedGeneration"] = old_status["observedGeneration"]
        previous: dict[str, list[Any]] = {}
        for condition in old_status.get("conditions") or []:
            previous.setdefault(condition.get("type"), []).append(condition.get("observedGeneration"))
        for condition in status.get("conditions") or []:
            remembered = previous.get(condition.get("type")) or []
            generation = remembered.pop(0) if remembered else None
            if not condition.get("observedGeneration") and generation:
                condition["observedGeneration"] = generation
        sync_ips(status, "podIP", "podIPs")
        sync_ips(status, "hostIP", "hostIPs")

    def validate_status_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        return validate_pod_status_update(obj, old)

    # deletion

    def grace_period(self, obj: Obj, requested: int | None) -> int:
        """Seconds a pod gets to terminate (CheckGracefulDelete); 0 deletes at once."""
        spec, phase = _spec(obj), _status(obj).get("phase")
        period = requested if requested is not None else spec.get("terminationGracePeriodSeconds") or 0
        if not spec.get("nodeName") or phase in ("Succeeded", "Failed"):
            return 0  # never started, or already finished: nothing to wait for
        return 1 if period < 0 else int(period)

    # reading

    def row_cacheable(self, obj: Obj) -> bool:
        # "3 (60s ago)": a restarted container's cell moves with the clock
        status = obj.get("status") or {}
        return not any(
            cs.get("restartCount")
            for key in ("initContainerStatuses", "containerStatuses")
            for cs in status.get(key) or []
        )

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        return pod_row(obj, now)


def sync_ips(status: dict[str, Any], single: str, plural: str) -> None:
    """Keep v1's podIP/podIPs (hostIP/hostIPs) pairs in step: the list wins."""
    ips = status.get(plural)
    if not ips and status.get(single):
        status[plural] = [{"ip": status[single]}]
    elif ips:
        status[single] = (ips[0] or {}).get("ip", "")


def _reset_meta(obj: Obj, old: Obj) -> None:
    meta, old_meta = obj.setdefault("metadata", {}), old.get("metadata") or {}
    for key in RESET_META:
        if key in old_meta:
            meta[key] = copy.deepcopy(old_meta[key])
        else:
            meta.pop(key, None)


def _keep_ephemeral_containers(obj: Obj, old: Obj) -> None:
    """The ephemeralcontainers subresource: only spec.ephemeralContainers comes from `obj`."""
    new_ephemeral = copy.deepcopy(_spec(obj).get("ephemeralContainers"))
    spec = copy.deepcopy(_spec(old))
    spec.pop("ephemeralContainers", None)
    if new_ephemeral:
        spec["ephemeralContainers"] = new_ephemeral
    obj["spec"] = spec
    _reset_meta(obj, old)


def _keep_all_but_resources(obj: Obj, old: Obj) -> None:
    """The resize subresource: only containers' resources and resizePolicy come from `obj`."""
    new_spec, old_spec = _spec(obj), _spec(old)
    merged = copy.deepcopy(old_spec)
    for key in ("containers", "initContainers"):
        new_list, old_list = new_spec.get(key) or [], old_spec.get(key) or []
        if len(new_list) != len(old_list) or any(
            n.get("name") != o.get("name") for n, o in zip(new_list, old_list, strict=True)
        ):
            return  # added, removed, renamed or reordered containers: validation refuses it as is
        for target, source in zip(merged.get(key) or [], new_list, strict=True):
            for field in ("resources", "resizePolicy"):
                if field in source:
                    target[field] = copy.deepcopy(source[field])
                else:
                    target.pop(field, None)
    obj["spec"] = merged
    _reset_meta(obj, old)


# validation


def validate_pod_object(obj: Obj) -> FieldErrors:
    """validatePodMetadataAndSpec (ObjectMeta itself is the registry's): annotations, spec,
    and the checks that apply to Pods but not to pod templates."""
    meta, spec = obj.get("metadata") or {}, _spec(obj)
    path = FieldPath("spec")
    errs = validate_pod_specific_annotations(
        meta.get("annotations") or {}, spec, FieldPath("metadata").child("annotations")
    )
    errs += validate_pod_spec(spec, path, pod_meta=meta, resource_is_pod=True)
    if not spec.get("serviceAccountName"):
        for i, volume in enumerate(spec.get("volumes") or []):
            for j, source in enumerate(((volume or {}).get("projected") or {}).get("sources") or []):
                if (source or {}).get("serviceAccountToken") is not None:
                    errs.append(
                        forbidden(
                            path.child("volumes")
                            .index(i)
                            .child("projected")
                            .child("sources")
                            .index(j)
                            .child("serviceAccountToken"),
                            "must not be specified when serviceAccountName is not set",
                        )
                    )
    for key in ("containers", "initContainers"):
        for i, container in enumerate(spec.get(key) or []):
            image = str((container or {}).get("image") or "")
            if image != image.strip():
                errs.append(
                    invalid(
                        path.child(key).index(i).child("image"),
                        image,
                        "must not have leading or trailing whitespace",
                    )
                )
    return errs


def _annotation_updates(obj: Obj, old: Obj) -> FieldErrors:
    new_ann = (obj.get("metadata") or {}).get("annotations") or {}
    old_ann = (old.get("metadata") or {}).get("annotations") or {}
    path = FieldPath("metadata").child("annotations")
    errs: FieldErrors = []
    prefix = "container.apparmor.security.beta.kubernetes.io/"
    for key, value in old_ann.items():
        if new_ann.get(key) == value and key in new_ann:
            continue
        if key.startswith(prefix):
            errs.append(forbidden(path.key(key), "may not remove or update AppArmor annotations"))
        if key == MIRROR_ANNOTATION:
            errs.append(forbidden(path.key(key), "may not remove or update mirror pod annotation"))
    for key in new_ann:
        if key in old_ann:
            continue
        if key.startswith(prefix):
            errs.append(forbidden(path.key(key), "may not add AppArmor annotations"))
        if key == MIRROR_ANNOTATION:
            errs.append(forbidden(path.key(key), "may not add mirror pod annotation"))
    return errs


def validate_pod_update(obj: Obj, old: Obj, *, binding: bool = False) -> FieldErrors:
    """ValidatePodUpdate: only images, activeDeadlineSeconds, tolerations (additions),
    scheduling gates (removals) and a few more may change (`binding`: also nodeName, once).

    A binding is not validated as a whole: kube-apiserver writes it straight to storage
    without validating the pod (stored, so validated when written); what a binding changes,
    the node, is checked here.
    """
    new_spec, old_spec = _spec(obj), _spec(old)
    path = FieldPath("spec")
    if binding:
        errs: FieldErrors = []
        node = new_spec.get("nodeName")
        if node and node != old_spec.get("nodeName"):
            errs += validate_subdomain(node, path.child("nodeName"))
    else:
        errs = validate_pod_object(obj) + _annotation_updates(obj, old)
    for key in ("containers", "initContainers"):
        new_list, old_list = new_spec.get(key) or [], old_spec.get(key) or []
        if len(new_list) != len(old_list):
            errs.append(forbidden(path.child(key), "pod updates may not add or remove containers"))
            return errs
        for i, container in enumerate(new_list):
            image = str((container or {}).get("image") or "")
            if not image:
                errs.append(required(path.child(key).index(i).child("image")))
            if image != image.strip():
                errs.append(
                    invalid(
                        path.child(key).index(i).child("image"),
                        image,
                        "must not have leading or trailing whitespace",
                    )
                )
    new_deadline, old_deadline = new_spec.get("activeDeadlineSeconds"), old_spec.get("activeDeadlineSeconds")
    if new_deadline is not None:
        if not 0 <= new_deadline <= MAX_INT32:
            errs.append(
                invalid(path.child("activeDeadlineSeconds"), new_deadline, inclusive_range(0, MAX_INT32))
            )
            return errs
        if old_deadline is not None and old_deadline < new_deadline:
            errs.append(
                invalid(
                    path.child("activeDeadlineSeconds"),
                    new_deadline,
                    "must be less than or equal to previous value",
                )
            )
            return errs
    elif old_deadline is not None:
        errs.append(
            invalid(
                path.child("activeDeadlineSeconds"),
                None,
                "must not update from a positive integer to nil value",
            )
        )
    errs += _only_added_tolerations(
        new_spec.get("tolerations") or [], old_spec.get("tolerations") or [], path.child("tolerations")
    )
    errs += _only_deleted_gates(
        new_spec.get("schedulingGates") or [],
        old_spec.get("schedulingGates") or [],
        path.child("schedulingGates"),
    )
    if new_spec == old_spec:
        return errs
    munged = _munging_copy(new_spec)
    for key in ("containers", "initContainers"):
        for container, previous in zip(munged.get(key) or [], old_spec.get(key) or [], strict=True):
            if "image" in previous:
                container["image"] = previous["image"]
            else:
                container.pop("image", None)
    _copy_field(munged, old_spec, "activeDeadlineSeconds")
    _copy_field(munged, old_spec, "schedulingGates")
    _copy_field(munged, old_spec, "tolerations")
    old_grace = old_spec.get("terminationGracePeriodSeconds")
    if isinstance(old_grace, int) and old_grace < 0 and munged.get("terminationGracePeriodSeconds") == 1:
        munged["terminationGracePeriodSeconds"] = old_grace
    if binding and not old_spec.get("nodeName"):
        _copy_field(munged, old_spec, "nodeName")
    if old_spec.get("schedulingGates"):
        errs += _gated_mutations(munged, old_spec, path)
    if munged != old_spec:
        errs.append(
            forbidden(
                path,
                f"pod updates may not change fields other than {UPDATABLE_FIELDS}\n"
                + spec_diff(old_spec, munged),
            )
        )
    return errs


def _munging_copy(spec: dict[str, Any]) -> dict[str, Any]:
    """A copy of `spec` deep enough for `validate_pod_update` to munge: the spec, its
    containers and its affinity are copied; what munging replaces whole is shared."""
    munged = dict(spec)
    for key in ("containers", "initContainers"):
        if isinstance(spec.get(key), list):
            munged[key] = [dict(c) if isinstance(c, dict) else c for c in spec[key]]
    if isinstance(spec.get("affinity"), dict):
        munged["affinity"] = dict(spec["affinity"])
    return munged


def _copy_field(target: dict[str, Any], source: dict[str, Any], key: str) -> None:
    if key in source:
        target[key] = copy.deepcopy(source[key])
    else:
        target.pop(key, None)


def _only_added_tolerations(new: list[Any], old: list[Any], path: FieldPath) -> FieldErrors:
    for previous in old:
        previous = {k: v for k, v in (previous or {}).items() if k != "tolerationSeconds"}
        if not any({k: v for k, v in (t or {}).items() if k != "tolerationSeconds"} == previous for t in new):
            return [forbidden(path, "existing toleration can not be modified except its tolerationSeconds")]
    return validate_tolerations(new, path)


def _only_deleted_gates(new: list[Any], old: list[Any], path: FieldPath) -> FieldErrors:
    before = {(g or {}).get("name") for g in old}
    return [
        forbidden(
            path.index(i).child("name"),
            f"only deletion is allowed, but found new scheduling gate '{(gate or {}).get('name', '')}'",
        )
        for i, gate in enumerate(new)
        if (gate or {}).get("name") not in before
    ]


def _gated_mutations(munged: dict[str, Any], old_spec: dict[str, Any], path: FieldPath) -> FieldErrors:
    """While scheduling gates remain, nodeSelector and required node affinity may only grow."""
    errs: FieldErrors = []
    new_selector, old_selector = munged.get("nodeSelector") or {}, old_spec.get("nodeSelector") or {}
    if new_selector != old_selector:
        if any(new_selector.get(k) != v for k, v in old_selector.items()):
            errs.append(
                invalid(
                    path.child("nodeSelector"),
                    new_selector,
                    "only additions to spec.nodeSelector are allowed (no mutations or deletions)",
                )
            )
        _copy_field(munged, old_spec, "nodeSelector")
    new_aff = (munged.get("affinity") or {}).get("nodeAffinity")
    old_aff = (old_spec.get("affinity") or {}).get("nodeAffinity")
    if new_aff != old_aff:
        apath = path.child("affinity").child("nodeAffinity")
        old_terms = ((old_aff or {}).get("requiredDuringSchedulingIgnoredDuringExecution") or {}).get(
            "nodeSelectorTerms"
        ) or []
        new_terms = ((new_aff or {}).get("requiredDuringSchedulingIgnoredDuringExecution") or {}).get(
            "nodeSelectorTerms"
        ) or []
        tpath = apath.child("requiredDuringSchedulingIgnoredDuringExecution").child("nodeSelectorTerms")
        if old_terms and len(old_terms) != len(new_terms):
            errs.append(
                invalid(
                    tpath, new_terms, "no additions/deletions to non-empty NodeSelectorTerms list are allowed"
                )
            )
        else:
            for i, (term, before) in enumerate(zip(new_terms, old_terms, strict=False)):
                if not _only_additions(term or {}, before or {}):
                    errs.append(
                        invalid(
                            tpath.index(i), term, "only additions are allowed (no mutations or deletions)"
                        )
                    )
        affinity = munged.get("affinity")
        if affinity is None and old_aff is not None:
            munged["affinity"] = {"nodeAffinity": copy.deepcopy(old_aff)}
        elif isinstance(affinity, dict):
            if old_spec.get("affinity") is None and set(affinity) <= {"nodeAffinity"}:
                munged.pop("affinity")
            elif old_aff is None:
                affinity.pop("nodeAffinity", None)
            else:
                affinity["nodeAffinity"] = copy.deepcopy(old_aff)
    return errs


def _only_additions(term: dict[str, Any], before: dict[str, Any]) -> bool:
    if not before.get("matchExpressions") and not before.get("matchFields"):
        return not term.get("matchExpressions") and not term.get("matchFields")
    for key in ("matchExpressions", "matchFields"):
        old_list, new_list = before.get(key) or [], term.get(key) or []
        if old_list and new_list[: len(old_list)] != old_list:
            return False
    return True


def spec_diff(old: Any, new: Any, path: str = "", out: list[str] | None = None) -> str:
    """A short account of what differs between two values, one line per changed field."""
    lines = out if out is not None else []
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new)):
            spec_diff(old.get(key), new.get(key), f"{path}.{key}" if path else key, lines)
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            spec_diff(a, b, f"{path}[{i}]", lines)
    elif old != new:
        if old is not None:
            lines.append(f"-\t{path}: {old!r}")
        if new is not None:
            lines.append(f"+\t{path}: {new!r}")
    return "\n".join(lines) + "\n" if out is None else ""


def validate_ephemeral_containers_update(obj: Obj, old: Obj) -> FieldErrors:
    """ValidatePodEphemeralContainersUpdate: ephemeral containers may be added, never changed."""
    errs = validate_pod_object(obj) + _annotation_updates(obj, old)
    if MIRROR_ANNOTATION in ((old.get("metadata") or {}).get("annotations") or {}):
        return [forbidden("", "static pods do not support ephemeral containers")]
    path = FieldPath("spec").child("ephemeralContainers")
    current = {c.get("name"): c for c in _spec(obj).get("ephemeralContainers") or []}
    for previous in _spec(old).get("ephemeralContainers") or []:
        name = previous.get("name", "")
        if name not in current:
            errs.append(forbidden(path, f'existing ephemeral containers "{name}" may not be removed\n'))
        elif current[name] != previous:
            errs.append(
                forbidden(
                    path,
                    f'existing ephemeral containers "{name}" may not be changed\n'
                    + spec_diff(previous, current[name]),
                )
            )
    return errs


def validate_resize(obj: Obj, old: Obj) -> FieldErrors:
    """ValidatePodResize: containers' cpu and memory may change, keeping the QoS class."""
    errs = validate_pod_object(obj)
    new_spec, old_spec = _spec(obj), _spec(old)
    for spec in (old_spec, new_spec):
        resources = spec.get("resources") or {}
        if resources.get("requests") or resources.get("limits"):
            return [forbidden("", "pods with pod-level resources cannot be resized")]
    if MIRROR_ANNOTATION in ((old.get("metadata") or {}).get("annotations") or {}):
        return [forbidden("", "static pods cannot be resized")]
    if (old_spec.get("os") or {}).get("name") == "windows":
        return [forbidden("", "windows pods cannot be resized")]
    path = FieldPath("spec")
    if qos_class(old_spec) != qos_class(new_spec):
        errs.append(
            invalid(
                path, _status(obj).get("qosClass", ""), "Pod QOS Class may not change as a result of resizing"
            )
        )
    running = next(
        (s for s in _status(old).get("containerStatuses") or [] if (s.get("state") or {}).get("running")),
        None,
    )
    if running is not None and running.get("resources") is None:
        errs.append(forbidden(path, "Pod running on node without support for resize"))
    for key in ("containers", "initContainers"):
        if len(new_spec.get(key) or []) != len(old_spec.get(key) or []):
            errs.append(forbidden(path, "only cpu and memory resources are mutable"))
            return errs
    for key in ("initContainers", "containers"):
        for i, (container, previous) in enumerate(
            zip(new_spec.get(key) or [], old_spec.get(key) or [], strict=True)
        ):
            sidecar = previous.get("restartPolicy") == "Always"
            if key == "initContainers" and not sidecar:
                if container != previous:
                    errs.append(forbidden(path, "resources for non-sidecar init containers are immutable"))
                continue
            errs += _validate_container_resize(
                container, previous, path.child(key).index(i).child("resources")
            )
            if _without_cpu_memory(container, previous) != previous:
                message = "only cpu and memory resources are mutable"
                if key == "initContainers":
                    message = "only cpu and memory resources for sidecar containers are mutable"
                errs.append(forbidden(path, message))
    return errs


def _without_cpu_memory(container: dict[str, Any], previous: dict[str, Any]) -> dict[str, Any]:
    """`container` with its cpu and memory requests and limits put back to the old ones."""
    munged = copy.deepcopy(container)
    old_res, res = previous.get("resources") or {}, munged.get("resources") or {}
    for kind in ("limits", "requests"):
        if kind not in old_res:
            res.pop(kind, None)
            continue
        values = {k: v for k, v in (res.get(kind) or {}).items() if k not in ("cpu", "memory")}
        values.update({k: v for k, v in old_res[kind].items() if k in ("cpu", "memory")})
        res[kind] = values
    munged["resources"] = res
    _copy_field(munged, previous, "resizePolicy")
    return munged


def _validate_container_resize(
    container: dict[str, Any], previous: dict[str, Any], path: FieldPath
) -> FieldErrors:
    errs: FieldErrors = []
    new_res, old_res = container.get("resources") or {}, previous.get("resources") or {}
    for kind, what in (("requests", "resource requests"), ("limits", "resource limits")):
        if any(name not in (new_res.get(kind) or {}) for name in old_res.get(kind) or {}):
            errs.append(forbidden(path.child(kind), f"{what} cannot be removed"))
    memory_policy = next(
        (
            p.get("restartPolicy", "")
            for p in container.get("resizePolicy") or []
            if p.get("resourceName") == "memory"
        ),
        "",
    )
    if memory_policy in ("", "NotRequired"):
        new_limit = (new_res.get("limits") or {}).get("memory")
        old_limit = (old_res.get("limits") or {}).get("memory")
        where = path.child("limits").key("memory")
        if new_limit is not None and old_limit is not None:
            if compare_quantities(new_limit, old_limit) < 0:
                errs.append(
                    forbidden(
                        where, "memory limits cannot be decreased unless resizePolicy is RestartContainer"
                    )
                )
        elif new_limit is not None:
            errs.append(
                forbidden(where, "memory limits cannot be added unless resizePolicy is RestartContainer")
            )
    return errs


def validate_pod_status_update(obj: Obj, old: Obj) -> FieldErrors:
    """ValidatePodStatusUpdate."""
    errs = _annotation_updates(obj, old)
    status, old_status = _status(obj), _status(old)
    # Kubernetes reports condition types under metadata (sic).
    cpath = FieldPath("metadata").child("conditions")
    for i, condition in enumerate(status.get("conditions") or []):
        if condition.get("type") not in SYSTEM_CONDITIONS:
            errs += validate_qualified_name(condition.get("type", ""), cpath.index(i).child("Type"))
    path = FieldPath("status")
    if _spec(obj).get("nodeName") != _spec(old).get("nodeName"):
        errs.append(forbidden(path.child("nodeName"), "may not be changed directly"))
    nominated = status.get("nominatedNodeName", "")
    if nominated and nominated != old_status.get("nominatedNodeName", ""):
        errs += validate_subdomain(nominated, path.child("nominatedNodeName"))
    errs += validate_immutable(
        status.get("qosClass", ""), old_status.get("qosClass", ""), path.child("qosClass")
    )
    restart = _spec(old).get("restartPolicy", "")
    errs += _state_transitions(status, old_status, "containerStatuses", path, restart, set())
    sidecars = {
        c.get("name") for c in _spec(old).get("initContainers") or [] if c.get("restartPolicy") == "Always"
    }
    errs += _state_transitions(status, old_status, "initContainerStatuses", path, restart, sidecars)
    errs += _state_transitions(status, old_status, "ephemeralContainerStatuses", path, "Never", set())
    errs += _validate_status_ips(status.get("podIPs") or [], path.child("podIPs"))
    host_ips = status.get("hostIPs") or []
    if host_ips:
        hpath = path.child("hostIPs")
        first = (host_ips[0] or {}).get("ip", "")
        if status.get("hostIP", "") != first:
            errs.append(invalid(hpath.index(0).child("ip"), first, "must be equal to `hostIP`"))
        errs += _validate_status_ips(host_ips, hpath)
    return errs


def _state_transitions(
    status: dict[str, Any],
    old_status: dict[str, Any],
    key: str,
    path: FieldPath,
    restart: str,
    sidecars: set[Any],
) -> FieldErrors:
    if restart == "Always":
        return []
    errs: FieldErrors = []
    new_statuses = status.get(key) or []
    for i, previous in enumerate(old_status.get(key) or []):
        terminated = (previous.get("state") or {}).get("terminated")
        if terminated is None:
            continue
        if terminated.get("exitCode", 0) != 0 and restart == "OnFailure":
            continue
        if previous.get("name") in sidecars:
            continue
        for current in new_statuses:
            if (
                current.get("name") == previous.get("name")
                and (current.get("state") or {}).get("terminated") is None
            ):
                errs.append(
                    forbidden(
                        path.child(key).index(i).child("state"),
                        "may not be transitioned to non-terminated state",
                    )
                )
    return errs


def _validate_status_ips(ips: list[Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    for i, entry in enumerate(ips):
        errs += validate_ip((entry or {}).get("ip", ""), path.index(i))
    if len(ips) > 1:
        values = [(e or {}).get("ip", "") for e in ips]
        families = {":" in v for v in values}
        if len(ips) > 2 or len(families) != 2:
            errs.append(invalid(path, ips, "may specify no more than one IP for each IP family"))
        seen: set[str] = set()
        for i, value in enumerate(values):
            if value in seen:
                errs.append(duplicate(path.index(i), ips[i]))
            seen.add(value)
    return errs


# warnings


def pod_spec_warnings(spec: dict[str, Any], path: FieldPath) -> list[str]:
    """The warnings kube-apiserver attaches to pods and templates (a subset)."""
    warnings = []
    for key in ("initContainers", "containers"):
        for i, container in enumerate(spec.get(key) or []):
            names: set[str] = set()
            epath = path.child(key).index(i).child("env")
            for j, var in enumerate(container.get("env") or []):
                name = var.get("name", "")
                if name in names:
                    ref = f"$({name})"
                    value = var.get("value", "")
                    if var.get("valueFrom") is not None or value == ref or ref not in value:
                        warnings.append(
                            f'{epath.index(j)}: hides previous definition of "{name}", '
                            "which may be dropped when using apply"
                        )
                names.add(name)
    return warnings


# QoS


# QoS classes by the containers' resource maps (see `_qos_key`): pods of one template repeat
# them, and summing their quantities as Fractions costs tens of microseconds per pod.
_QOS_CLASSES: dict[tuple[Any, ...], str] = {}
_QOS_CAPACITY = 1024


def qos_class(spec: dict[str, Any]) -> str:
    """Guaranteed, Burstable or BestEffort (the QoS of a pod, from cpu and memory)."""
    key = _qos_key(spec)
    if key is None:
        return _qos_class(spec)
    found = _QOS_CLASSES.get(key)
    if found is None:
        found = _qos_class(spec)
        if len(_QOS_CLASSES) >= _QOS_CAPACITY:
            _QOS_CLASSES.clear()  # bounded; templates repeat, so it refills with what is in use
        _QOS_CLASSES[key] = found
    return found


def _qos_key(spec: dict[str, Any]) -> tuple[Any, ...] | None:
    """All `_qos_class` reads of `spec`: each container's requests and limits as item tuples.
    None (not remembered) unless every map holds only string quantities in plain JSON shapes,
    so that equal keys mean equal inputs and odd shapes fail exactly as they did."""
    parts: list[Any] = []
    for kind in ("initContainers", "containers"):
        containers = spec.get(kind) or []
        if type(containers) is not list:
            return None
        for container in containers:
            if not container:
                parts.append(None)
                continue
            if type(container) is not dict:
                return None
            resources = container.get("resources") or {}
            if type(resources) is not dict:
                return None
            requests, limits = resources.get("requests") or {}, resources.get("limits") or {}
            if type(requests) is not dict or type(limits) is not dict:
                return None
            for values in (requests, limits):
                for value in values.values():
                    if type(value) is not str:
                        return None
            parts.append((tuple(requests.items()), tuple(limits.items())))
        parts.append(kind)  # where the init containers end
    return tuple(parts)


def _qos_class(spec: dict[str, Any]) -> str:
    requests: dict[str, Fraction] = {}
    limits: dict[str, Fraction] = {}
    guaranteed = True
    for container in (spec.get("initContainers") or []) + (spec.get("containers") or []):
        resources = (container or {}).get("resources") or {}
        for name, value in (resources.get("requests") or {}).items():
            parsed = quantity_value(value)
            if name in ("cpu", "memory") and parsed:
                requests[name] = requests.get(name, Fraction(0)) + parsed
        found = set()
        for name, value in (resources.get("limits") or {}).items():
            parsed = quantity_value(value)
            if name in ("cpu", "memory") and parsed:
                found.add(name)
                limits[name] = limits.get(name, Fraction(0)) + parsed
        if found != {"cpu", "memory"}:
            guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    matching = all(limits.get(name) == value for name, value in requests.items())
    if guaranteed and matching and len(requests) == len(limits):
        return "Guaranteed"
    return "Burstable"


# table


def pod_row(obj: Obj, now: float) -> list[Any]:
    """The row `kubectl get pods` prints (printPod, wide)."""
    spec, status = _spec(obj), _status(obj)
    meta = obj.get("metadata") or {}
    phase = status.get("phase", "")
    reason = status.get("reason") or phase
    for condition in status.get("conditions") or []:
        if condition.get("type") == "PodScheduled" and condition.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"
    inits = {c.get("name"): c for c in spec.get("initContainers") or []}
    sidecar = {name for name, c in inits.items() if c.get("restartPolicy") == "Always"}
    total = len(spec.get("containers") or []) + len(sidecar)
    ready = 0
    restarts = sidecar_restarts = 0
    last_restart = last_sidecar_restart = ""
    initializing = False
    init_statuses = status.get("initContainerStatuses") or []
    for i, cs in enumerate(init_statuses):
        restarts += int(cs.get("restartCount") or 0)
        finished = ((cs.get("lastState") or {}).get("terminated") or {}).get("finishedAt") or ""
        last_restart = max(last_restart, finished)
        if cs.get("name") in sidecar:
            sidecar_restarts += int(cs.get("restartCount") or 0)
            last_sidecar_restart = max(last_sidecar_restart, finished)
        state = cs.get("state") or {}
        terminated, waiting = state.get("terminated"), state.get("waiting")
        if terminated is not None and terminated.get("exitCode", 0) == 0:
            continue
        if cs.get("name") in sidecar and cs.get("started"):
            if cs.get("ready"):
                ready += 1
            continue
        if terminated is not None:
            if terminated.get("reason"):
                reason = "Init:" + terminated["reason"]
            elif terminated.get("signal"):
                reason = f"Init:Signal:{terminated['signal']}"
            else:
                reason = f"Init:ExitCode:{terminated.get('exitCode', 0)}"
        elif waiting is not None and waiting.get("reason") and waiting["reason"] != "PodInitializing":
            reason = "Init:" + waiting["reason"]
        else:
            reason = f"Init:{i}/{len(spec.get('initContainers') or [])}"
        initializing = True
        break
    initialized = any(
        c.get("type") == "Initialized" and c.get("status") == "True" for c in status.get("conditions") or []
    )
    if not initializing or initialized:
        restarts, last_restart = sidecar_restarts, last_sidecar_restart
        running = False
        for cs in reversed(status.get("containerStatuses") or []):
            restarts += int(cs.get("restartCount") or 0)
            finished = ((cs.get("lastState") or {}).get("terminated") or {}).get("finishedAt") or ""
            last_restart = max(last_restart, finished)
            state = cs.get("state") or {}
            waiting, terminated = state.get("waiting"), state.get("terminated")
            if waiting is not None and waiting.get("reason"):
                reason = waiting["reason"]
            elif terminated is not None and terminated.get("reason"):
                reason = terminated["reason"]
            elif terminated is not None:
                if terminated.get("signal"):
                    reason = f"Signal:{terminated['signal']}"
                else:
                    reason = f"ExitCode:{terminated.get('exitCode', 0)}"
            elif cs.get("ready") and state.get("running") is not None:
                running = True
                ready += 1
        if reason == "Completed" and running:
            has_ready = any(
                c.get("type") == "Ready" and c.get("status") == "True" for c in status.get("conditions") or []
            )
            reason = "Running" if has_ready else "NotReady"
    if meta.get("deletionTimestamp") and status.get("reason") == "NodeLost":
        reason = "Unknown"
    elif meta.get("deletionTimestamp") and phase not in ("Succeeded", "Failed"):
        reason = "Terminating"
    restarts_text = str(restarts)
    if restarts and last_restart:
        restarts_text = f"{restarts} ({since(last_restart, now)} ago)"
    gates = spec.get("readinessGates") or []
    gates_text = "<none>"
    if gates:
        met = 0
        for gate in gates:
            for condition in status.get("conditions") or []:
                if condition.get("type") == gate.get("conditionType"):
                    met += condition.get("status") == "True"
                    break
        gates_text = f"{met}/{len(gates)}"
    return [
        meta.get("name", ""),
        f"{ready}/{total}",
        reason,
        restarts_text,
        age(obj, now),
        _pod_ip(obj) or "<none>",
        spec.get("nodeName") or "<none>",
        status.get("nominatedNodeName") or "<none>",
        gates_text,
    ]


def pod_status_reason(obj: Obj) -> str:
    """The STATUS column of `kubectl get pods`."""
    return str(pod_row(obj, 0.0)[2])
