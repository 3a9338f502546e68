"""Local-path provisioning decisions, pure functions over dicts.

A claim of a class whose provisioner is `pyk8s.io/local-path` gets a hostPath
PersistentVolume on one node, in a directory under that node's local-path root:

    <root>/<pv name>_<namespace>_<claim name>        pv name = pvc-<claim uid>

- the node: the claim's `volume.kubernetes.io/selected-node` (set by the scheduler for
  WaitForFirstConsumer classes); for Immediate classes, the first Ready, schedulable node
  by name (nodes that announce a local-path root first);
- the root: the node's `pyk8s.io/local-path-root` annotation (the node agent sets it to
  `<data dir>/local-path`), else `DEFAULT_ROOT`;
- the volume: capacity = the request, the claim's access modes (ReadWriteOnce,
  ReadOnlyMany, ReadWriteOncePod; not ReadWriteMany: the data lives on one node),
  Filesystem only, the class' reclaim policy (Delete by default), node affinity to the
  node, pre-bound to the claim (claimRef with uid) so the PV binder binds exactly it.

Directories are made and removed on the node by short-lived helper pods (busybox, in
kube-system, on the node by name, tolerating every taint), as rancher's
local-path-provisioner does: `mkdir -m 0777` before the volume exists, `rm -rf` once a
Delete-policy volume is Released. The helper mounts the root's parent through hostPath;
its script reaches it through `${PYK8S_ROOT}` so it also runs on nodes of the process
runtime without root (empty elsewhere).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from typing import Any

from pyk8s.api.quantity import Quantity

Obj = dict[str, Any]

PROVISIONER = "pyk8s.io/local-path"
CLASS_NAME = "local-path"
DEFAULT_ROOT = "/var/lib/pyk8s/local-path"
ROOT_ANNOTATION = "pyk8s.io/local-path-root"
SELECTED_NODE = "volume.kubernetes.io/selected-node"
PROVISIONED_BY = "pv.kubernetes.io/provisioned-by"
DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class"
BETA_DEFAULT_CLASS_ANNOTATION = "storageclass.beta.kubernetes.io/is-default-class"
HELPER_NAMESPACE = "kube-system"
HELPER_IMAGE = "busybox"
HELPER_LABEL = "pyk8s.io/local-path-helper"  # "create" | "delete"
HELPER_FOR_ANNOTATION = "pyk8s.io/local-path-for"  # claim key (create) or volume name (delete)
SIMULATE_EXIT_CODE = "pyk8s.io/simulate-exit-code"  # simulated nodes complete the helper
SUPPORTED_ACCESS_MODES = ("ReadWriteOnce", "ReadOnlyMany", "ReadWriteOncePod")
HELPER_MOUNT = "/data"


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return obj.get("metadata") or {}


def storage_class(*, default: bool) -> Obj:
    """The `local-path` StorageClass (default when no other class is)."""
    meta: Obj = {"name": CLASS_NAME}
    if default:
        meta["annotations"] = {DEFAULT_CLASS_ANNOTATION: "true"}
    return {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": meta,
        "provisioner": PROVISIONER,
        "reclaimPolicy": "Delete",
        "volumeBindingMode": "WaitForFirstConsumer",
    }


def is_default_class(cls: Mapping[str, Any]) -> bool:
    annotations = _meta(cls).get("annotations") or {}
    return any(
        annotations.get(key) == "true" for key in (DEFAULT_CLASS_ANNOTATION, BETA_DEFAULT_CLASS_ANNOTATION)
    )


def is_ours(cls: Mapping[str, Any] | None) -> bool:
    return cls is not None and cls.get("provisioner") == PROVISIONER


def volume_name(claim: Mapping[str, Any]) -> str:
    return f"pvc-{_meta(claim).get('uid', '')}"


def claim_key(claim: Mapping[str, Any]) -> str:
    return f"{_meta(claim).get('namespace', '')}/{_meta(claim).get('name', '')}"


def needs_volume(claim: Mapping[str, Any]) -> bool:
    """Whether the claim still waits for a volume."""
    spec = claim.get("spec") or {}
    return (
        not _meta(claim).get("deletionTimestamp")
        and not spec.get("volumeName")
        and (claim.get("status") or {}).get("phase") in (None, "", "Pending")
    )


def unsupported(claim: Mapping[str, Any]) -> str:
    """Why this provisioner cannot serve the claim ("" when it can)."""
    spec = claim.get("spec") or {}
    if (spec.get("volumeMode") or "Filesystem") != "Filesystem":
        return "local-path provides Filesystem volumes only"
    if spec.get("selector"):
        return "claims with a selector cannot be provisioned"
    modes = [m for m in spec.get("accessModes") or [] if m not in SUPPORTED_ACCESS_MODES]
    if modes:
        return f"access mode(s) {', '.join(modes)} not supported: a local path lives on one node"
    return ""


def _ready(node: Mapping[str, Any]) -> bool:
    for condition in (node.get("status") or {}).get("conditions") or []:
        if condition.get("type") == "Ready":
            return condition.get("status") == "True"
    return False


def choose_node(claim: Mapping[str, Any], cls: Mapping[str, Any], nodes: Iterable[Mapping[str, Any]]) -> str:
    """The node the claim's volume goes to ("" when none can be chosen yet)."""
    selected = (_meta(claim).get("annotations") or {}).get(SELECTED_NODE)
    if selected:
        return str(selected)
    if cls.get("volumeBindingMode") == "WaitForFirstConsumer":
        return ""  # the scheduler picks the node with the first pod
    usable = [
        n
        for n in nodes
        if _ready(n)
        and not (n.get("spec") or {}).get("unschedulable")
        and not _meta(n).get("deletionTimestamp")
    ]
    usable.sort(
        key=lambda n: (ROOT_ANNOTATION not in (_meta(n).get("annotations") or {}), _meta(n).get("name", ""))
    )
    return str(_meta(usable[0]).get("name", "")) if usable else ""


def node_root(node: Mapping[str, Any] | None) -> str:
    """Where volumes go on `node`."""
    root = ((_meta(node).get("annotations") or {}).get(ROOT_ANNOTATION) if node else None) or DEFAULT_ROOT
    return posixpath.normpath(str(root))


def volume_path(claim: Mapping[str, Any], root: str) -> str:
    meta = _meta(claim)
    return posixpath.join(root, f"{volume_name(claim)}_{meta.get('namespace')}_{meta.get('name')}")


def persistent_volume(claim: Mapping[str, Any], cls: Mapping[str, Any], node: str, path: str) -> Obj:
    """The volume for `claim`, pre-bound to it."""
    meta, spec = _meta(claim), claim.get("spec") or {}
    request = (((spec.get("resources") or {}).get("requests") or {}).get("storage")) or "1Gi"
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {
            "name": volume_name(claim),
            "annotations": {PROVISIONED_BY: PROVISIONER, SELECTED_NODE: node},
        },
        "spec": {
            "capacity": {"storage": str(Quantity.parse(str(request)))},
            "accessModes": list(spec.get("accessModes") or ["ReadWriteOnce"]),
            "volumeMode": "Filesystem",
            "persistentVolumeReclaimPolicy": cls.get("reclaimPolicy") or "Delete",
            "storageClassName": _meta(cls).get("name", ""),
            "mountOptions": list(cls.get("mountOptions") or []),
            "hostPath": {"path": path, "type": "DirectoryOrCreate"},
            "claimRef": {
                "apiVersion": "v1",
                "kind": "PersistentVolumeClaim",
                "namespace": meta.get("namespace"),
                "name": meta.get("name"),
                "uid": meta.get("uid"),
            },
            "nodeAffinity": {
                "required": {
                    "nodeSelectorTerms": [
                        {
                            "matchExpressions": [
                                {"key": "kubernetes.io/hostname", "operator": "In", "values": [node]}
                            ]
                        }
                    ]
                }
            },
        },
    }


def volume_node(volume: Mapping[str, Any]) -> str:
    """The node a provisioned volume lives on."""
    annotated = (_meta(volume).get("annotations") or {}).get(SELECTED_NODE)
    if annotated:
        return str(annotated)
    terms = (((volume.get("spec") or {}).get("nodeAffinity") or {}).get("required") or {}).get(
        "nodeSelectorTerms"
    ) or []
    for term in terms:
        for expression in term.get("matchExpressions") or []:
            if expression.get("key") == "kubernetes.io/hostname" and expression.get("values"):
                return str(expression["values"][0])
    return ""


def is_provisioned_here(volume: Mapping[str, Any]) -> bool:
    return (_meta(volume).get("annotations") or {}).get(PROVISIONED_BY) == PROVISIONER


def should_delete(volume: Mapping[str, Any]) -> bool:
    """A volume of ours whose claim is gone and whose policy is Delete."""
    return (
        is_provisioned_here(volume)
        and not _meta(volume).get("deletionTimestamp")
        and (volume.get("status") or {}).get("phase") == "Released"
        and (volume.get("spec") or {}).get("persistentVolumeReclaimPolicy") == "Delete"
    )


def helper_name(action: str, volume: str) -> str:
    return f"helper-pod-{action}-{volume}"[:253]


def helper_pod(action: str, volume: str, node: str, path: str, owner: str) -> Obj:
    """The pod that makes (`create`) or removes (`delete`) the directory `path` on `node`;
    `owner` (the claim key or the volume name) lets its events find the work again."""
    parent, directory = posixpath.split(posixpath.normpath(path))
    target = f'"${{PYK8S_ROOT}}{HELPER_MOUNT}/{directory}"'
    if action == "create":
        script = f"mkdir -m 0777 -p {target} && chmod 0777 {target}"
    else:
        script = f"rm -rf -- {target}"
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": helper_name(action, volume),
            "namespace": HELPER_NAMESPACE,
            "labels": {HELPER_LABEL: action},
            "annotations": {HELPER_FOR_ANNOTATION: owner, SIMULATE_EXIT_CODE: "0"},
        },
        "spec": {
            "nodeName": node,
            "restartPolicy": "Never",
            "automountServiceAccountToken": False,
            "terminationGracePeriodSeconds": 0,
            "tolerations": [{"operator": "Exists"}],
            "containers": [
                {
                    "name": "helper",
                    "image": HELPER_IMAGE,
                    "imagePullPolicy": "IfNotPresent",
                    "command": ["sh", "-c", script],
                    "volumeMounts": [{"name": "root", "mountPath": HELPER_MOUNT}],
                }
            ],
            "volumes": [{"name": "root", "hostPath": {"path": parent, "type": "DirectoryOrCreate"}}],
        },
    }


def helper_phase(pod: Mapping[str, Any] | None) -> str:
    """`missing`, `running` (not finished yet), `succeeded` or `failed`."""
    if pod is None:
        return "missing"
    phase = (pod.get("status") or {}).get("phase")
    return {"Succeeded": "succeeded", "Failed": "failed"}.get(str(phase), "running")


def helper_failure(pod: Mapping[str, Any]) -> str:
    """What the helper's container reported, for events."""
    for status in (pod.get("status") or {}).get("containerStatuses") or []:
        terminated = (status.get("state") or {}).get("terminated") or {}
        if terminated:
            message = terminated.get("message") or terminated.get("reason") or ""
            return f"exit code {terminated.get('exitCode')}{': ' + message if message else ''}"
    return str((pod.get("status") or {}).get("message") or "the helper pod failed")
