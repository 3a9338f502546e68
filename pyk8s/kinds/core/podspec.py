"""PodSpec defaulting and validation, shared by Pods and every kind with a pod template
(PodTemplate, ReplicationController, and the apps and batch workloads).

Defaulting follows kube-apiserver's SetDefaults_PodSpec and friends (what a template gets)
and SetDefaults_Pod (what only a Pod gets: `default_pod`). Validation follows
ValidatePodSpec with Kubernetes' field paths, error types and wording; `resource_is_pod`
adds the checks that apply to Pods only.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Callable, Hashable
from typing import Any

import orjson

from pyk8s.api.fields import (
    FieldErrors,
    FieldPath,
    duplicate,
    forbidden,
    invalid,
    not_found,
    not_supported,
    required,
)
from pyk8s.api.validation import (
    AcceptedInputs,
    dns1123_label,
    dns1123_subdomain,
    inclusive_range,
    json_key,
    label_value,
    port_name,
    validate_dns_label,
    validate_enum,
    validate_ip,
    validate_label_selector,
    validate_labels,
    validate_nonnegative,
    validate_port_num_or_name,
    validate_port_number,
    validate_qualified_name,
    validate_selector_operator,
    validate_subdomain,
)
from pyk8s.kinds.core.validation import (
    FILE_MODE,
    PROTOCOLS,
    config_key,
    env_var_name,
    validate_resource_requirements,
)

Obj = dict[str, Any]

DEFAULT_GRACE_PERIOD = 30
RESTART_POLICIES = ["Always", "OnFailure", "Never"]
PULL_POLICIES = ["Always", "IfNotPresent", "Never"]
DNS_POLICIES = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]
TERMINATION_MESSAGE_POLICIES = ["File", "FallbackToLogsOnError"]
PREEMPTION_POLICIES = ["PreemptLowerPriority", "Never"]
HTTP_SCHEMES = ["HTTP", "HTTPS"]
TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"]
MAX_INT32 = 2**31 - 1
DEFAULT_FILE_MODE = 0o644  # 420: secret, configMap, downwardAPI and projected volumes
PROBES = ("livenessProbe", "readinessProbe", "startupProbe")

# Volume sources in the order Kubernetes checks them (the second one found is reported).
VOLUME_SOURCES = [
    ("emptyDir", "emptyDir"),
    ("hostPath", "hostPath"),
    ("gitRepo", "gitRepo"),
    ("gcePersistentDisk", "gcePersistentDisk"),
    ("awsElasticBlockStore", "awsElasticBlockStore"),
    ("secret", "secret"),
    ("nfs", "nfs"),
    ("iscsi", "iscsi"),
    ("glusterfs", "glusterfs"),
    ("flocker", "flocker"),
    ("persistentVolumeClaim", "persistentVolumeClaim"),
    ("rbd", "rbd"),
    ("cinder", "cinder"),
    ("cephfs", "cephFS"),  # Kubernetes reports this one as cephFS
    ("quobyte", "quobyte"),
    ("downwardAPI", "downwarAPI"),  # sic: Kubernetes spells the path this way
    ("fc", "fc"),
    ("flexVolume", "flexVolume"),
    ("configMap", "configMap"),
    ("azureFile", "azureFile"),
    ("vsphereVolume", "vsphereVolume"),
    ("photonPersistentDisk", "photonPersistentDisk"),
    ("portworxVolume", "portworxVolume"),
    ("azureDisk", "azureDisk"),
    ("storageos", "storageos"),
    ("projected", "projected"),
    ("scaleIO", "scaleIO"),
    ("csi", "csi"),
    ("ephemeral", "ephemeral"),
    ("image", "image"),
]
# Declarative defaults of volume sources (`+default=` in the v1 types).
VOLUME_SOURCE_DEFAULTS: dict[str, dict[str, Any]] = {
    "iscsi": {"iscsiInterface": "default"},
    "rbd": {"pool": "rbd", "user": "admin", "keyring": "/etc/ceph/keyring"},
    "azureDisk": {"cachingMode": "ReadWrite", "fsType": "ext4", "readOnly": False, "kind": "Shared"},
    "scaleIO": {"storageMode": "ThinProvisioned", "fsType": "xfs"},
}
HOST_PATH_TYPES = [
    "",
    "BlockDevice",
    "CharDevice",
    "Directory",
    "DirectoryOrCreate",
    "File",
    "FileOrCreate",
    "Socket",
]
ENV_FIELD_PATHS = [
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
]
VOLUME_FIELD_PATHS = [
    "metadata.annotations",
    "metadata.labels",
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
]
RESOURCE_FIELD_PATHS = [
    "limits.cpu",
    "limits.ephemeral-storage",
    "limits.memory",
    "requests.cpu",
    "requests.ephemeral-storage",
    "requests.memory",
]
# Container fields an ephemeral container may not set.
EPHEMERAL_FORBIDDEN = (
    "ports",
    "resources",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "lifecycle",
    "resizePolicy",
    "restartPolicy",
    "restartPolicyRules",
)
CONTAINER_KINDS = ("initContainers", "containers", "ephemeralContainers")


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def all_containers(spec: dict[str, Any]) -> list[tuple[str, int, dict[str, Any]]]:
    """(list name, index, container) for init, regular and ephemeral containers."""
    return [
        (key, i, c)
        for key in CONTAINER_KINDS
        for i, c in enumerate(_as_list(spec.get(key)))
        if isinstance(c, dict)
    ]


# defaulting


def image_tag(image: str) -> str:
    """The tag of an image reference ("latest" when it has neither tag nor digest)."""
    name, _, digest = image.partition("@")
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        return last.rsplit(":", 1)[1]
    return "" if digest else "latest"


def default_handler(handler: dict[str, Any]) -> None:
    """Probe and lifecycle handlers: HTTP GET path and scheme."""
    http = handler.get("httpGet")
    if isinstance(http, dict):
        http.setdefault("path", "/")
        http.setdefault("scheme", "HTTP")
    grpc = handler.get("grpc")
    if isinstance(grpc, dict):
        grpc.setdefault("service", "")


def default_probe(probe: dict[str, Any]) -> None:
    for key, value in (
        ("timeoutSeconds", 1),
        ("periodSeconds", 10),
        ("successThreshold", 1),
        ("failureThreshold", 3),
    ):
        if not probe.get(key):
            probe[key] = value
    default_handler(probe)


def default_container(container: dict[str, Any]) -> None:
    """SetDefaults_Container and the defaults of what a container holds."""
    if not container.get("imagePullPolicy"):
        tag = image_tag(str(container.get("image") or ""))
        container["imagePullPolicy"] = "Always" if tag == "latest" else "IfNotPresent"
    if not container.get("terminationMessagePath"):
        container["terminationMessagePath"] = "/dev/termination-log"
    if not container.get("terminationMessagePolicy"):
        container["terminationMessagePolicy"] = "File"
    container.setdefault("resources", {})
    for port in _as_list(container.get("ports")):
        if isinstance(port, dict) and not port.get("protocol"):
            port["protocol"] = "TCP"
    for key in ("livenessProbe", "readinessProbe", "startupProbe"):
        if isinstance(container.get(key), dict):
            default_probe(container[key])
    lifecycle = _as_dict(container.get("lifecycle"))
    for key in ("postStart", "preStop"):
        if isinstance(lifecycle.get(key), dict):
            default_handler(lifecycle[key])
    for env in _as_list(container.get("env")):
        source = _as_dict(_as_dict(env).get("valueFrom"))
        _default_field_refs(source)


def _default_field_refs(source: dict[str, Any]) -> None:
    field_ref = source.get("fieldRef")
    if isinstance(field_ref, dict) and not field_ref.get("apiVersion"):
        field_ref["apiVersion"] = "v1"
    resource_ref = source.get("resourceFieldRef")
    if isinstance(resource_ref, dict) and "divisor" not in resource_ref:
        resource_ref["divisor"] = "0"


def default_volume(volume: dict[str, Any]) -> None:
    """SetDefaults_Volume and the defaults of each volume source."""
    if not any(key in volume for key, _ in VOLUME_SOURCES):
        volume["emptyDir"] = {}
    for key, defaults in VOLUME_SOURCE_DEFAULTS.items():
        if isinstance(volume.get(key), dict):
            for field, value in defaults.items():
                volume[key].setdefault(field, value)
    for key in ("secret", "configMap", "downwardAPI", "projected"):
        source = volume.get(key)
        if isinstance(source, dict) and source.get("defaultMode") is None:
            source["defaultMode"] = DEFAULT_FILE_MODE
    host_path = volume.get("hostPath")
    if isinstance(host_path, dict) and "type" not in host_path:
        host_path["type"] = ""
    for item in _as_list(_as_dict(volume.get("downwardAPI")).get("items")):
        _default_field_refs(_as_dict(item))
    for source in _as_list(_as_dict(volume.get("projected")).get("sources")):
        source = _as_dict(source)
        token = source.get("serviceAccountToken")
        if isinstance(token, dict) and not token.get("expirationSeconds"):
            token["expirationSeconds"] = 3600
        for item in _as_list(_as_dict(source.get("downwardAPI")).get("items")):
            _default_field_refs(_as_dict(item))
    image = volume.get("image")
    if isinstance(image, dict) and not image.get("pullPolicy"):
        tag = image_tag(str(image.get("reference") or ""))
        image["pullPolicy"] = "Always" if tag == "latest" else "IfNotPresent"
    claim_template = _as_dict(_as_dict(volume.get("ephemeral")).get("volumeClaimTemplate"))
    claim_spec = claim_template.get("spec")
    if isinstance(claim_spec, dict):
        claim_spec.setdefault("volumeMode", "Filesystem")


def default_pod_spec(spec: dict[str, Any]) -> None:
    """SetDefaults_PodSpec: what every pod template gets."""
    if not spec.get("dnsPolicy"):
        spec["dnsPolicy"] = "ClusterFirst"
    if not spec.get("restartPolicy"):
        spec["restartPolicy"] = "Always"
    if not isinstance(spec.get("securityContext"), dict):
        spec["securityContext"] = {}
    if spec.get("terminationGracePeriodSeconds") is None:
        spec["terminationGracePeriodSeconds"] = DEFAULT_GRACE_PERIOD
    if not spec.get("schedulerName"):
        spec["schedulerName"] = "default-scheduler"
    # v1's deprecated serviceAccount is an alias of serviceAccountName.
    if not spec.get("serviceAccountName") and spec.get("serviceAccount"):
        spec["serviceAccountName"] = spec["serviceAccount"]
    if spec.get("serviceAccountName"):
        spec["serviceAccount"] = spec["serviceAccountName"]
    for _key, _i, container in all_containers(spec):
        default_container(container)
    for volume in _as_list(spec.get("volumes")):
        if isinstance(volume, dict):
            default_volume(volume)


# Pod specs defaulting leaves as they are (each checked once): an update repeats the stored
# spec, already defaulted, and defaulting it again is most of what a metadata patch costs.
_DEFAULTED_SPECS = AcceptedInputs(4096)


def default_pod_once(pod: Obj) -> None:
    """`default_pod`, skipped for a spec it is known to leave unchanged (it reads and writes
    nothing but the spec)."""
    spec = pod.get("spec")
    data = json_key(spec) if isinstance(spec, dict) else None
    if data is None:
        default_pod(pod)
        return
    key = hashlib.blake2b(data, digest_size=16).digest()
    if key in _DEFAULTED_SPECS:
        return
    default_pod(pod)
    if orjson.dumps(pod["spec"]) == data:
        _DEFAULTED_SPECS.add(key)


def default_pod(pod: Obj) -> None:
    """SetDefaults_Pod on top of the PodSpec defaults: what only a Pod gets."""
    spec = pod.setdefault("spec", {})
    default_pod_spec(spec)
    for key in ("containers", "initContainers"):
        for container in _as_list(spec.get(key)):
            resources = _as_dict(_as_dict(container).get("resources"))
            limits = resources.get("limits")
            if isinstance(limits, dict) and limits:
                requests = resources.setdefault("requests", {})
                for name, value in limits.items():
                    requests.setdefault(name, value)
    if spec.get("enableServiceLinks") is None:
        spec["enableServiceLinks"] = True
    if spec.get("hostNetwork"):
        for key in ("containers", "initContainers"):
            for container in _as_list(spec.get(key)):
                for port in _as_list(_as_dict(container).get("ports")):
                    if isinstance(port, dict) and not port.get("hostPort") and port.get("containerPort"):
                        port["hostPort"] = port["containerPort"]


# validation


# Valid inputs remembered (see `AcceptedInputs`): whole specs (an update repeats the stored
# one), and the parts pods of one template share even when a few values differ per pod.
_VALID_SPECS = AcceptedInputs(4096)
_VALID_CONTAINERS = AcceptedInputs(4096)
_VALID_ENV_VARS = AcceptedInputs(8192)
_VALID_PARTS = AcceptedInputs(4096)  # probes, volumes, affinity, tolerations (keys name the part)
ACCEPTED_INPUTS = (_VALID_SPECS, _VALID_CONTAINERS, _VALID_ENV_VARS, _VALID_PARTS)


def _remembered(
    accepted: AcceptedInputs, key: Hashable | None, validate: Callable[[], FieldErrors]
) -> FieldErrors:
    """`validate()`, skipped when `key` is known valid (None: not memoisable)."""
    if key is not None and key in accepted:
        return []
    errs = validate()
    if not errs and key is not None:
        accepted.add(key)
    return errs


def _spec_key(
    spec: dict[str, Any], pod_meta: dict[str, Any] | None, resource_is_pod: bool
) -> Hashable | None:
    """What `validate_pod_spec` reads but for what differs between pods of one template (the
    node, the containers' env, the volumes' names: admission names the token volume at
    random; checked by `_varying_errors`), and of the pod's metadata only whether there is
    any and, for ephemeral volumes (their claims are named after the pod), the name."""
    stripped = {k: v for k, v in spec.items() if k != "nodeName"}
    volumes = _as_list(spec.get("volumes"))
    ephemeral = any(isinstance(v, dict) and v.get("ephemeral") is not None for v in volumes)
    renamed = None if ephemeral else _volume_numbers(volumes)
    if renamed:
        stripped["volumes"] = [{**v, "name": renamed[v.get("name", "")]} for v in volumes]
    for kind in CONTAINER_KINDS:
        items = spec.get(kind)
        if isinstance(items, list):
            stripped[kind] = [_container_for_key(c, renamed) if isinstance(c, dict) else c for c in items]
    data = json_key(stripped)
    if data is None:
        return None
    name = str(pod_meta.get("name") or "") if pod_meta and ephemeral else ""
    digest = hashlib.blake2b(data, digest_size=16).digest()  # specs are large; keep 16 bytes
    return (digest, resource_is_pod, pod_meta is not None, name)


def _volume_numbers(volumes: list[Any]) -> dict[str, int] | None:
    """Each volume name as the index of the first volume of that name. Validation compares
    names with each other (duplicates, mounts, devices) and checks each one's form, so specs
    that differ only in names compare alike once numbered. None when a volume is not a dict
    with a string name (the spec is then keyed as it is)."""
    numbers: dict[str, int] = {}
    for i, volume in enumerate(volumes):
        if not isinstance(volume, dict) or not isinstance(volume.get("name", ""), str):
            return None
        numbers.setdefault(volume.get("name", ""), i)
    return numbers


def _container_for_key(container: dict[str, Any], renamed: dict[str, int] | None) -> Any:
    """A container as `_spec_key` keys it: no env; mounts and devices naming volumes by number
    (numbers are not strings: a name that is no volume's stays as it is, and apart)."""
    out = {k: v for k, v in container.items() if k != "env"}
    if renamed:
        for key in ("volumeMounts", "volumeDevices"):
            items = container.get(key)
            if isinstance(items, list):
                out[key] = [
                    {**item, "name": renamed[item["name"]]}
                    if isinstance(item, dict)
                    and isinstance(item.get("name"), str)
                    and item["name"] in renamed
                    else item
                    for item in items
                ]
    return out


def _varying_errors(spec: dict[str, Any], path: FieldPath) -> bool:
    """Whether what `_spec_key` leaves out has errors (nothing else reads it)."""
    node = spec.get("nodeName")
    if node and validate_subdomain(node, path.child("nodeName")):
        return True
    for volume in _as_list(spec.get("volumes")):
        name = volume.get("name", "") if isinstance(volume, dict) else ""
        if not name or not isinstance(name, str) or dns1123_label(name):
            return True
    for kind in CONTAINER_KINDS:
        for i, container in enumerate(_as_list(spec.get(kind))):
            if isinstance(container, dict) and container.get("env") is not None:
                env_path = path.child(kind).index(i).child("env")
                if validate_env(_as_list(container["env"]), env_path):
                    return True
    return False


def validate_pod_spec(
    spec: dict[str, Any],
    path: FieldPath,
    *,
    pod_meta: dict[str, Any] | None = None,
    resource_is_pod: bool = False,
) -> FieldErrors:
    """ValidatePodSpec: everything a PodSpec must satisfy, in Kubernetes' order."""
    # A spec like one found valid (but for its node and env values, checked by themselves)
    # is valid; on any error the whole spec is validated, so errors come in Kubernetes' order.
    key = _spec_key(spec, pod_meta, resource_is_pod)
    if key is not None and key in _VALID_SPECS and not _varying_errors(spec, path):
        return []
    errs = _validate_pod_spec(spec, path, pod_meta, resource_is_pod)
    if not errs and key is not None:
        _VALID_SPECS.add(key)
    return errs


def _validate_pod_spec(
    spec: dict[str, Any], path: FieldPath, pod_meta: dict[str, Any] | None, resource_is_pod: bool
) -> FieldErrors:
    errs: FieldErrors = []
    grace = spec.get("terminationGracePeriodSeconds")
    if grace is None:
        errs.append(required(path.child("terminationGracePeriodSeconds")))
    sc = _as_dict(spec.get("securityContext"))
    restart = spec.get("restartPolicy", "")
    volumes, verrs = validate_volumes(_as_list(spec.get("volumes")), path.child("volumes"), pod_meta)
    errs += verrs
    claim_names = {c.get("name") for c in _as_list(spec.get("resourceClaims")) if isinstance(c, dict)}
    errs += _validate_resource_claims(_as_list(spec.get("resourceClaims")), path.child("resourceClaims"))
    claims = {n for n in claim_names if n}
    containers = [c for c in _as_list(spec.get("containers")) if isinstance(c, dict)]
    inits = [c for c in _as_list(spec.get("initContainers")) if isinstance(c, dict)]
    errs += _validate_containers(containers, volumes, claims, grace, path.child("containers"), restart)
    errs += _validate_init_containers(
        inits, containers, volumes, claims, grace, path.child("initContainers"), restart
    )
    errs += _validate_ephemeral_containers(
        [c for c in _as_list(spec.get("ephemeralContainers")) if isinstance(c, dict)],
        containers,
        inits,
        volumes,
        claims,
        path.child("ephemeralContainers"),
        restart,
    )
    if spec.get("hostNetwork"):
        for i, container in enumerate(containers):
            for j, port in enumerate(_as_list(container.get("ports"))):
                port = _as_dict(port)
                host, cport = port.get("hostPort") or 0, port.get("containerPort") or 0
                if (resource_is_pod or host != 0) and host != cport:
                    errs.append(
                        invalid(
                            path.child("containers").index(i).child("ports").index(j).child("hostPort"),
                            host,
                            "must match `containerPort` when `hostNetwork` is true",
                        )
                    )
    errs += validate_enum(restart, path.child("restartPolicy"), RESTART_POLICIES)
    errs += validate_enum(spec.get("dnsPolicy", ""), path.child("dnsPolicy"), DNS_POLICIES)
    errs += validate_labels(_as_dict(spec.get("nodeSelector")), path.child("nodeSelector"))
    errs += _validate_pod_security_context(sc, spec, path.child("securityContext"))
    for i, ref in enumerate(_as_list(spec.get("imagePullSecrets"))):
        if isinstance(ref, dict) and set(ref) - {"name"}:
            errs.append(invalid(path.child("imagePullSecrets").index(i), ref, "only name may be set"))
    affinity = _as_dict(spec.get("affinity"))
    errs += _remembered(
        _VALID_PARTS,
        _part_key("affinity", affinity),
        lambda: _validate_affinity(affinity, path.child("affinity")),
    )
    errs += _validate_dns_config(spec.get("dnsConfig"), spec.get("dnsPolicy"), path.child("dnsConfig"))
    for i, gate in enumerate(_as_list(spec.get("readinessGates"))):
        ctype = _as_dict(gate).get("conditionType", "")
        errs += validate_qualified_name(ctype, path.child("readinessGates").index(i).child("conditionType"))
    seen_gates: set[str] = set()
    for i, gate in enumerate(_as_list(spec.get("schedulingGates"))):
        name = _as_dict(gate).get("name", "")
        gpath = path.child("schedulingGates").index(i)
        errs += validate_qualified_name(name, gpath)
        if name in seen_gates:
            errs.append(duplicate(gpath, name))
        seen_gates.add(name)
    errs += _validate_topology_spread(
        _as_list(spec.get("topologySpreadConstraints")), path.child("topologySpreadConstraints")
    )
    if sc.get("hostUsers") is False:
        for key in ("hostNetwork", "hostPID", "hostIPC"):
            if spec.get(key):
                label = "hostNetwork" if key == "hostNetwork" else key[0].upper() + key[1:]
                errs.append(forbidden(path.child(label), "when `pod.Spec.HostUsers` is false"))
    if spec.get("serviceAccountName"):
        errs += validate_subdomain(spec["serviceAccountName"], path.child("serviceAccountName"))
    if spec.get("nodeName"):
        errs += validate_subdomain(spec["nodeName"], path.child("nodeName"))
    deadline = spec.get("activeDeadlineSeconds")
    if deadline is not None and not 1 <= deadline <= MAX_INT32:
        errs.append(invalid(path.child("activeDeadlineSeconds"), deadline, inclusive_range(1, MAX_INT32)))
    if spec.get("hostname"):
        errs += validate_dns_label(spec["hostname"], path.child("hostname"))
    if spec.get("subdomain"):
        errs += validate_dns_label(spec["subdomain"], path.child("subdomain"))
    errs += validate_tolerations(_as_list(spec.get("tolerations")), path.child("tolerations"))
    for i, alias in enumerate(_as_list(spec.get("hostAliases"))):
        alias = _as_dict(alias)
        apath = path.child("hostAliases").index(i)
        errs += validate_ip(alias.get("ip", ""), apath.child("ip"))
        for j, hostname in enumerate(_as_list(alias.get("hostnames"))):
            errs += validate_subdomain(hostname, apath.child("hostnames").index(j))
    if spec.get("priorityClassName"):
        errs += validate_subdomain(spec["priorityClassName"], path.child("priorityClassName"))
    if spec.get("runtimeClassName") is not None:
        errs += validate_subdomain(spec["runtimeClassName"], path.child("runtimeClassName"))
    if spec.get("preemptionPolicy") is not None:
        errs += validate_enum(spec["preemptionPolicy"], path.child("preemptionPolicy"), PREEMPTION_POLICIES)
    if spec.get("overhead"):
        errs += validate_resource_requirements({"limits": spec["overhead"]}, path.child("overhead"))
    os_spec = spec.get("os")
    if isinstance(os_spec, dict):
        name = os_spec.get("name", "")
        if not name:
            errs.append(required(path.child("os").child("name"), "cannot be empty"))
        elif name not in ("linux", "windows"):
            errs.append(not_supported(path.child("os"), name, ["linux", "windows"]))
    return errs


def validate_pod_template_spec(template: dict[str, Any], path: FieldPath) -> FieldErrors:
    """ValidatePodTemplateSpec: labels, annotations and spec of an embedded pod template."""
    meta = _as_dict(template.get("metadata"))
    spec = _as_dict(template.get("spec"))
    errs = validate_labels(_as_dict(meta.get("labels")), path.child("labels"))
    from pyk8s.api.meta import validate_annotations

    errs += validate_annotations(_as_dict(meta.get("annotations")), path.child("annotations"))
    errs += validate_pod_specific_annotations(
        _as_dict(meta.get("annotations")), spec, path.child("annotations")
    )
    errs += validate_pod_spec(spec, path.child("spec"))
    if spec.get("ephemeralContainers"):
        errs.append(
            forbidden(
                path.child("spec").child("ephemeralContainers"),
                "ephemeral containers not allowed in pod template",
            )
        )
    return errs


MIRROR_ANNOTATION = "kubernetes.io/config.mirror"
DELETION_COST = "controller.kubernetes.io/pod-deletion-cost"


def validate_pod_specific_annotations(
    annotations: dict[str, Any], spec: dict[str, Any], path: FieldPath
) -> FieldErrors:
    errs: FieldErrors = []
    if MIRROR_ANNOTATION in annotations and not spec.get("nodeName"):
        errs.append(
            invalid(
                path.key(MIRROR_ANNOTATION),
                annotations[MIRROR_ANNOTATION],
                "must set spec.nodeName if mirror pod annotation is set",
            )
        )
    if DELETION_COST in annotations:
        value = str(annotations[DELETION_COST])
        try:
            ok = -(2**31) <= int(value, 10) <= MAX_INT32
        except ValueError:
            ok = False
        if not ok:
            errs.append(invalid(path.key(DELETION_COST), value, "must be a 32bit integer"))
    return errs


# volumes


def _part_key(part: str, value: Any, *context: Any) -> Hashable | None:
    data = json_key(value)
    return None if data is None else (part, data, *context)


def validate_volumes(
    volumes: list[Any], path: FieldPath, pod_meta: dict[str, Any] | None = None
) -> tuple[dict[str, dict[str, Any]], FieldErrors]:
    """ValidateVolumes: the valid volumes by name, and the errors."""
    if not volumes:
        return {}, []
    ephemeral = any(isinstance(v, dict) and v.get("ephemeral") is not None for v in volumes)
    name = str(pod_meta.get("name") or "") if pod_meta and ephemeral else ""
    key = _part_key("volumes", volumes, pod_meta is not None, name)
    if key is not None and key in _VALID_PARTS:
        # All valid: each volume is a dict with a distinct name.
        return {v["name"]: v for v in volumes}, []
    names, errs = _validate_volumes(volumes, path, pod_meta)
    if not errs and key is not None:
        _VALID_PARTS.add(key)
    return names, errs


def _validate_volumes(
    volumes: list[Any], path: FieldPath, pod_meta: dict[str, Any] | None
) -> tuple[dict[str, dict[str, Any]], FieldErrors]:
    errs: FieldErrors = []
    names: dict[str, dict[str, Any]] = {}
    for i, volume in enumerate(volumes):
        volume = _as_dict(volume)
        vpath = path.index(i)
        name = volume.get("name", "")
        verrs = validate_volume_source(volume, vpath, name, pod_meta)
        if not name:
            verrs.append(required(vpath.child("name")))
        else:
            verrs += validate_dns_label(name, vpath.child("name"))
        if name in names:
            verrs.append(duplicate(vpath.child("name"), name))
        if not verrs:
            names[name] = volume
        else:
            errs += verrs
    return names, errs


def validate_volume_source(
    source: dict[str, Any], path: FieldPath, name: str, pod_meta: dict[str, Any] | None
) -> FieldErrors:
    """Exactly one volume type, each valid."""
    errs: FieldErrors = []
    count = 0
    for key, reported in VOLUME_SOURCES:
        if source.get(key) is None:
            continue
        if count > 0:
            errs.append(forbidden(path.child(reported), "may not specify more than 1 volume type"))
            continue
        count += 1
        where = path.child("persistentDisk" if key == "gcePersistentDisk" else key)
        errs += _validate_volume_type(key, _as_dict(source[key]), where, path, name, pod_meta)
    if count == 0:
        errs.append(required(path, "must specify a volume type"))
    return errs


def _validate_volume_type(
    key: str,
    source: dict[str, Any],
    path: FieldPath,
    volume_path: FieldPath,
    name: str,
    pod_meta: dict[str, Any] | None,
) -> FieldErrors:
    errs: FieldErrors = []
    if key == "emptyDir":
        limit = source.get("sizeLimit")
        if limit is not None and str(limit).startswith("-"):
            errs.append(
                forbidden(path.child("sizeLimit"), "SizeLimit field must be a valid resource quantity")
            )
    elif key == "hostPath":
        if not source.get("path"):
            return [required(path.child("path"))]
        errs += validate_no_backsteps(source["path"], path.child("path"))
        if source.get("type") is not None and source["type"] not in HOST_PATH_TYPES:
            errs.append(not_supported(path.child("type"), source["type"], HOST_PATH_TYPES))
    elif key in ("secret", "configMap"):
        name_key = "secretName" if key == "secret" else "name"
        if not source.get(name_key):
            errs.append(required(path.child(name_key)))
        errs += _validate_mode(source.get("defaultMode"), path.child("defaultMode"))
        for i, item in enumerate(_as_list(source.get("items"))):
            errs += validate_key_to_path(_as_dict(item), path.child("items").index(i))
    elif key == "persistentVolumeClaim":
        if not source.get("claimName"):
            errs.append(required(path.child("claimName")))
    elif key == "nfs":
        if not source.get("server"):
            errs.append(required(path.child("server")))
        if not source.get("path"):
            errs.append(required(path.child("path")))
        if not str(source.get("path", "")).startswith("/"):
            errs.append(invalid(path.child("path"), source.get("path", ""), "must be an absolute path"))
    elif key == "downwardAPI":
        errs += _validate_mode(source.get("defaultMode"), path.child("defaultMode"))
        for item in _as_list(source.get("items")):
            errs += _validate_downward_api_file(_as_dict(item), path)
    elif key == "projected":
        errs += _validate_mode(source.get("defaultMode"), path.child("defaultMode"))
        errs += _validate_projection(source, path)
    elif key == "csi":
        driver = source.get("driver", "")
        if not driver:
            errs.append(required(path.child("driver")))
        else:
            errs += [invalid(path.child("driver"), driver, m) for m in dns1123_subdomain(driver.lower())]
    elif key == "gitRepo":
        if not source.get("repository"):
            errs.append(required(path.child("repository")))
        directory = source.get("directory", "")
        errs += validate_local_descending_path(directory, path.child("directory"))
    elif key == "ephemeral":
        template = source.get("volumeClaimTemplate")
        if not isinstance(template, dict):
            errs.append(required(path.child("volumeClaimTemplate")))
        else:
            from pyk8s.kinds.core.persistentvolumeclaim import validate_claim_spec

            tpath = path.child("volumeClaimTemplate")
            tmeta = _as_dict(template.get("metadata"))
            for extra in sorted(set(tmeta) - {"labels", "annotations"}):
                errs.append(forbidden(tpath.child("metadata").child(extra), "cannot be set"))
            errs += validate_labels(_as_dict(tmeta.get("labels")), tpath.child("metadata").child("labels"))
            errs += validate_claim_spec(_as_dict(template.get("spec")), tpath.child("spec"))
        if pod_meta and pod_meta.get("name") and name:
            claim = f"{pod_meta['name']}-{name}"
            for msg in dns1123_subdomain(claim):
                errs.append(invalid(volume_path.child("name"), name, f'PVC name "{claim}": {msg}'))
    elif key == "image":
        if pod_meta is not None and not source.get("reference"):
            errs.append(required(path.child("reference")))
        errs += validate_enum(source.get("pullPolicy", ""), path.child("pullPolicy"), PULL_POLICIES)
    else:
        for field in _REQUIRED_VOLUME_FIELDS.get(key, ()):
            if not source.get(field):
                errs.append(required(path.child(field)))
    return errs


# Simple volume sources: fields that must be set (by JSON name).
_REQUIRED_VOLUME_FIELDS = {
    "gcePersistentDisk": ("pdName",),
    "awsElasticBlockStore": ("volumeID",),
    "iscsi": ("targetPortal", "iqn"),
    "glusterfs": ("endpoints", "path"),
    "rbd": ("monitors", "image"),
    "cinder": ("volumeID",),
    "cephfs": ("monitors",),
    "quobyte": ("registry", "volume"),
    "flexVolume": ("driver",),
    "azureFile": ("secretName", "shareName"),
    "vsphereVolume": ("volumePath",),
    "photonPersistentDisk": ("pdID",),
    "portworxVolume": ("volumeID",),
    "azureDisk": ("diskName", "diskURI"),
    "storageos": ("volumeName",),
    "scaleIO": ("gateway", "system", "volumeName"),
}


def _validate_mode(mode: Any, path: FieldPath) -> FieldErrors:
    if mode is not None and not 0 <= mode <= 0o777:
        return [invalid(path, mode, FILE_MODE)]
    return []


def validate_no_backsteps(target: str, path: FieldPath) -> FieldErrors:
    if ".." in target.replace("\\", "/").split("/"):
        return [invalid(path, target, "must not contain '..'")]
    return []


def validate_local_descending_path(target: str, path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    if posixpath.isabs(target):
        errs.append(invalid(path, target, "must be a relative path"))
    return errs + validate_no_backsteps(target, path)


def validate_local_non_reserved_path(target: str, path: FieldPath) -> FieldErrors:
    errs = validate_local_descending_path(target, path)
    if target.startswith("..") and not target.startswith("../"):
        errs.append(invalid(path, target, "must not start with '..'"))
    return errs


def validate_key_to_path(item: dict[str, Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    if not item.get("key"):
        errs.append(required(path.child("key")))
    if not item.get("path"):
        errs.append(required(path.child("path")))
    errs += validate_local_non_reserved_path(item.get("path", ""), path.child("path"))
    errs += _validate_mode(item.get("mode"), path.child("mode"))
    return errs


def _validate_downward_api_file(item: dict[str, Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    if not item.get("path"):
        errs.append(required(path.child("path")))
    errs += validate_local_non_reserved_path(item.get("path", ""), path.child("path"))
    if item.get("fieldRef") is not None:
        errs += _validate_field_selector(
            _as_dict(item["fieldRef"]), VOLUME_FIELD_PATHS, path.child("fieldRef")
        )
        if item.get("resourceFieldRef") is not None:
            errs.append(
                invalid(path, "resource", "fieldRef and resourceFieldRef can not be specified simultaneously")
            )
    elif item.get("resourceFieldRef") is not None:
        errs += _validate_resource_field_selector(
            _as_dict(item["resourceFieldRef"]), path.child("resourceFieldRef"), True
        )
    else:
        errs.append(required(path, "one of fieldRef and resourceFieldRef is required"))
    errs += _validate_mode(item.get("mode"), path.child("mode"))
    return errs


def _validate_projection(source: dict[str, Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    paths: set[str] = set()
    for i, projection in enumerate(_as_list(source.get("sources"))):
        projection = _as_dict(projection)
        spath = path.child("sources").index(i)
        count = 0
        for key in ("secret", "configMap"):
            if projection.get(key) is None:
                continue
            count += 1
            item_source = _as_dict(projection[key])
            if not item_source.get("name"):
                errs.append(required(spath.child(key).child("name")))
            for j, item in enumerate(_as_list(item_source.get("items"))):
                item = _as_dict(item)
                errs += validate_key_to_path(item, spath.child(key).child("items").index(j))
                if item.get("path"):
                    if item["path"] in paths:
                        errs.append(invalid(path, item_source.get("name", ""), "conflicting duplicate paths"))
                    paths.add(item["path"])
        if projection.get("downwardAPI") is not None:
            count += 1
            for item in _as_list(_as_dict(projection["downwardAPI"]).get("items")):
                item = _as_dict(item)
                errs += _validate_downward_api_file(item, spath.child("downwardAPI"))
                if item.get("path"):
                    if item["path"] in paths:
                        errs.append(invalid(path, item["path"], "conflicting duplicate paths"))
                    paths.add(item["path"])
        if projection.get("serviceAccountToken") is not None:
            count += 1
            token = _as_dict(projection["serviceAccountToken"])
            tpath = spath.child("serviceAccountToken")
            expiration = token.get("expirationSeconds") or 0
            if expiration < 600:
                errs.append(
                    invalid(
                        tpath.child("expirationSeconds"),
                        expiration,
                        "may not specify a duration less than 10 minutes",
                    )
                )
            if expiration > 2**32:
                errs.append(
                    invalid(
                        tpath.child("expirationSeconds"),
                        expiration,
                        "may not specify a duration larger than 2^32 seconds",
                    )
                )
            if not token.get("path"):
                errs.append(required(path.child("path")))
            else:
                errs += validate_local_non_reserved_path(token["path"], path.child("path"))
        for key in ("clusterTrustBundle", "podCertificate"):
            if projection.get(key) is not None:
                count += 1
        if count > 1:
            errs.append(forbidden(spath, "may not specify more than 1 volume type per source"))
    return errs


# containers


def _validate_containers(
    containers: list[dict[str, Any]],
    volumes: dict[str, dict[str, Any]],
    claims: set[str],
    grace: Any,
    path: FieldPath,
    restart: str,
) -> FieldErrors:
    if not containers:
        return [required(path)]
    errs: FieldErrors = []
    names: set[str] = set()
    for i, container in enumerate(containers):
        cpath = path.index(i)
        errs += validate_container_common(container, volumes, claims, cpath, restart)
        name = container.get("name", "")
        if name in names:
            errs.append(duplicate(cpath.child("name"), name))
        else:
            names.add(name)
        if container.get("lifecycle") is not None:
            errs += _validate_lifecycle(_as_dict(container["lifecycle"]), grace, cpath.child("lifecycle"))
        errs += _validate_probes(container, grace, cpath)
        if container.get("restartPolicy") is not None:
            errs.append(forbidden(cpath.child("restartPolicy"), "may not be set for non-init containers"))
    errs += _host_port_conflicts(containers, path)
    return errs


def _validate_init_containers(
    inits: list[dict[str, Any]],
    containers: list[dict[str, Any]],
    volumes: dict[str, dict[str, Any]],
    claims: set[str],
    grace: Any,
    path: FieldPath,
    restart: str,
) -> FieldErrors:
    errs: FieldErrors = []
    names = {c.get("name", "") for c in containers}
    for i, container in enumerate(inits):
        cpath = path.index(i)
        errs += validate_container_common(container, volumes, claims, cpath, restart)
        always = False
        policy = container.get("restartPolicy")
        if policy is not None:
            if policy != "Always":
                errs.append(not_supported(cpath.child("restartPolicy"), policy, ["Always"]))
            always = policy == "Always"
        name = container.get("name", "")
        if name in names:
            errs.append(duplicate(cpath.child("name"), name))
        elif name:
            names.add(name)
        errs += _host_port_conflicts([container], path)
        if always:
            if container.get("lifecycle") is not None:
                errs += _validate_lifecycle(_as_dict(container["lifecycle"]), grace, cpath.child("lifecycle"))
            errs += _validate_probes(container, grace, cpath)
        else:
            for key in ("lifecycle", "livenessProbe", "readinessProbe", "startupProbe"):
                if container.get(key) is not None:
                    errs.append(
                        forbidden(
                            cpath.child(key),
                            "may not be set for init containers without restartPolicy=Always",
                        )
                    )
        if container.get("resizePolicy") and not always:
            errs.append(
                invalid(
                    cpath.child("resizePolicy"),
                    container["resizePolicy"],
                    "must not be set for init containers",
                )
            )
    return errs


def _validate_ephemeral_containers(
    ephemerals: list[dict[str, Any]],
    containers: list[dict[str, Any]],
    inits: list[dict[str, Any]],
    volumes: dict[str, dict[str, Any]],
    claims: set[str],
    path: FieldPath,
    restart: str,
) -> FieldErrors:
    errs: FieldErrors = []
    others = {c.get("name", "") for c in containers + inits}
    names = set(others)
    for i, container in enumerate(ephemerals):
        cpath = path.index(i)
        errs += validate_container_common(container, volumes, claims, cpath, restart)
        errs += _validate_image_whitespace(container, cpath)
        name = container.get("name", "")
        if name in names:
            errs.append(duplicate(cpath.child("name"), name))
        else:
            names.add(name)
        target = container.get("targetContainerName", "")
        if target and target not in others:
            errs.append(not_found(cpath.child("targetContainerName"), target))
        for key in EPHEMERAL_FORBIDDEN:
            if container.get(key) not in (None, {}, [], ""):
                errs.append(forbidden(cpath.child(key), "cannot be set for an Ephemeral Container"))
        for j, mount in enumerate(_as_list(container.get("volumeMounts"))):
            for key in ("subPath", "subPathExpr"):
                if _as_dict(mount).get(key):
                    errs.append(
                        forbidden(
                            cpath.child("volumeMounts").index(j).child(key),
                            "cannot be set for an Ephemeral Container",
                        )
                    )
    return errs


def _validate_image_whitespace(container: dict[str, Any], path: FieldPath) -> FieldErrors:
    image = str(container.get("image") or "")
    if image != image.strip():
        return [invalid(path.child("image"), image, "must not have leading or trailing whitespace")]
    return []


def validate_container_common(
    container: dict[str, Any],
    volumes: dict[str, dict[str, Any]],
    claims: set[str],
    path: FieldPath,
    restart: str,
) -> FieldErrors:
    """validateContainerCommon: what every kind of container must satisfy."""
    # Pods of one template differ in a few env values (and little else): the container without
    # its env is remembered, the env checked by itself (nothing else reads it). On any error
    # the whole container is validated again, so errors come in Kubernetes' order.
    key = _container_key(container, volumes, claims, restart)
    if (
        key is not None
        and key in _VALID_CONTAINERS
        and not validate_env(_as_list(container.get("env")), path.child("env"))
    ):
        return []
    errs = _validate_container_common(container, volumes, claims, path, restart)
    if not errs and key is not None:
        _VALID_CONTAINERS.add(key)
    return errs


def _container_key(
    container: dict[str, Any], volumes: dict[str, dict[str, Any]], claims: set[str], restart: str
) -> Hashable | None:
    """What `_validate_container_common` reads besides env: the rest of the container, the
    restart policy, the claim names, and of the volumes their names and kinds."""
    data = json_key({k: v for k, v in container.items() if k != "env"})
    if data is None:
        return None
    kinds = tuple(
        (
            name,
            volume.get("image") is not None,
            volume.get("persistentVolumeClaim") is not None,
            volume.get("ephemeral") is not None,
        )
        for name, volume in volumes.items()
    )
    return (data, restart, frozenset(claims), kinds)


def _validate_container_common(
    container: dict[str, Any],
    volumes: dict[str, dict[str, Any]],
    claims: set[str],
    path: FieldPath,
    restart: str,
) -> FieldErrors:
    errs: FieldErrors = []
    name = container.get("name", "")
    if not name:
        errs.append(required(path.child("name")))
    else:
        errs += validate_dns_label(name, path.child("name"))
    if not container.get("image"):
        errs.append(required(path.child("image")))
    errs += validate_enum(
        container.get("terminationMessagePolicy", ""),
        path.child("terminationMessagePolicy"),
        TERMINATION_MESSAGE_POLICIES,
    )
    mounts = [_as_dict(m) for m in _as_list(container.get("volumeMounts"))]
    devices = [_as_dict(d) for d in _as_list(container.get("volumeDevices"))]
    errs += validate_container_ports(_as_list(container.get("ports")), path.child("ports"))
    errs += validate_env(_as_list(container.get("env")), path.child("env"))
    errs += _validate_env_from(_as_list(container.get("envFrom")), path.child("envFrom"))
    errs += _validate_volume_mounts(mounts, devices, volumes, container, path.child("volumeMounts"))
    errs += _validate_volume_devices(devices, mounts, volumes, path.child("volumeDevices"))
    errs += validate_enum(container.get("imagePullPolicy", ""), path.child("imagePullPolicy"), PULL_POLICIES)
    errs += validate_resource_requirements(
        _as_dict(container.get("resources")), path.child("resources"), claim_names=claims
    )
    errs += _validate_resize_policy(
        _as_list(container.get("resizePolicy")), path.child("resizePolicy"), restart
    )
    errs += validate_security_context(container.get("securityContext"), path.child("securityContext"))
    return errs


def validate_container_ports(ports: list[Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    names: set[str] = set()
    for i, port in enumerate(ports):
        port = _as_dict(port)
        ppath = path.index(i)
        name = port.get("name", "")
        if name:
            msgs = port_name(name)
            if msgs:
                errs += [invalid(ppath.child("name"), name, m) for m in msgs]
            elif name in names:
                errs.append(duplicate(ppath.child("name"), name))
            else:
                names.add(name)
        number = port.get("containerPort", 0)
        if not number:
            errs.append(required(ppath.child("containerPort")))
        else:
            errs += validate_port_number(number, ppath.child("containerPort"))
        host = port.get("hostPort") or 0
        if host:
            errs += validate_port_number(host, ppath.child("hostPort"))
        errs += validate_enum(port.get("protocol", ""), ppath.child("protocol"), PROTOCOLS)
    return errs


def _host_port_conflicts(containers: list[dict[str, Any]], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    seen: set[str] = set()
    for i, container in enumerate(containers):
        for j, port in enumerate(_as_list(container.get("ports"))):
            port = _as_dict(port)
            if not port.get("hostPort"):
                continue
            key = f"{port.get('protocol', '')}/{port.get('hostIP', '')}/{port['hostPort']}"
            if key in seen:
                errs.append(duplicate(path.index(i).child("ports").index(j).child("hostPort"), key))
            seen.add(key)
    return errs


def validate_env(env: list[Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    for i, var in enumerate(env):
        # Each variable is checked by itself: remembered one by one.
        key = json_key(var)
        if key is not None and key in _VALID_ENV_VARS:
            continue
        verrs = _validate_env_var(_as_dict(var), path.index(i))
        if verrs:
            errs += verrs
        elif key is not None:
            _VALID_ENV_VARS.add(key)
    return errs


def _validate_env_var(var: dict[str, Any], vpath: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    name = var.get("name", "")
    if not name:
        errs.append(required(vpath.child("name")))
    else:
        errs += [invalid(vpath.child("name"), name, m) for m in env_var_name(name)]
    errs += _validate_env_value_from(var, vpath.child("valueFrom"))
    return errs


def _validate_env_value_from(var: dict[str, Any], path: FieldPath) -> FieldErrors:
    source = var.get("valueFrom")
    if source is None:
        return []
    source = _as_dict(source)
    errs: FieldErrors = []
    count = 0
    if source.get("fieldRef") is not None:
        count += 1
        errs += _validate_field_selector(
            _as_dict(source["fieldRef"]), ENV_FIELD_PATHS, path.child("fieldRef")
        )
    if source.get("resourceFieldRef") is not None:
        count += 1
        errs += _validate_resource_field_selector(
            _as_dict(source["resourceFieldRef"]), path.child("resourceFieldRef"), False
        )
    for key in ("configMapKeyRef", "secretKeyRef"):
        if source.get(key) is not None:
            count += 1
            errs += _validate_key_selector(_as_dict(source[key]), path.child(key))
    if source.get("fileKeyRef") is not None:
        count += 1
    if count == 0:
        errs.append(
            invalid(
                path,
                "",
                "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
            )
        )
    elif var.get("value"):
        errs.append(invalid(path, "", "may not be specified when `value` is not empty"))
    elif count > 1:
        errs.append(invalid(path, "", "may not have more than one field specified at a time"))
    return errs


def _validate_field_selector(ref: dict[str, Any], allowed: list[str], path: FieldPath) -> FieldErrors:
    if not ref.get("apiVersion"):
        return [required(path.child("apiVersion"))]
    field = ref.get("fieldPath", "")
    if not field:
        return [required(path.child("fieldPath"))]
    if ref["apiVersion"] != "v1":
        return [
            invalid(
                path.child("fieldPath"),
                field,
                f'error converting fieldPath: field label not supported: "{ref["apiVersion"]}"',
            )
        ]
    if "[" in field and field.endswith("]"):
        base, _, subscript = field[:-1].partition("[")
        subscript = subscript.strip("'\"")
        # A single label or annotation is valid for env vars and volumes alike (the whole
        # map only for volumes), as Kubernetes' validateObjectFieldSelector has it.
        if base == "metadata.annotations":
            return validate_qualified_name(subscript.lower(), path)
        if base == "metadata.labels":
            return validate_qualified_name(subscript, path)
        return [invalid(path, base, "does not support subscript")]
    if field not in allowed:
        return [not_supported(path.child("fieldPath"), field, allowed)]
    return []


def _validate_resource_field_selector(ref: dict[str, Any], path: FieldPath, volume: bool) -> FieldErrors:
    if volume and not ref.get("containerName"):
        return [required(path.child("containerName"))]
    resource = ref.get("resource", "")
    if not resource:
        return [required(path.child("resource"))]
    if resource not in RESOURCE_FIELD_PATHS and not resource.startswith(
        ("requests.hugepages-", "limits.hugepages-")
    ):
        return [not_supported(path.child("resource"), resource, RESOURCE_FIELD_PATHS)]
    return []


def _validate_key_selector(ref: dict[str, Any], path: FieldPath) -> FieldErrors:
    errs = [
        invalid(path.child("name"), ref.get("name", ""), m) for m in dns1123_subdomain(ref.get("name", ""))
    ]
    key = ref.get("key", "")
    if not key:
        errs.append(required(path.child("key")))
    else:
        errs += [invalid(path.child("key"), key, m) for m in config_key(key)]
    return errs


def _validate_env_from(sources: list[Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    for i, source in enumerate(sources):
        source = _as_dict(source)
        spath = path.index(i)
        prefix = source.get("prefix", "")
        if prefix:
            errs += [invalid(spath.child("prefix"), prefix, m) for m in env_var_name(prefix)]
        count = 0
        for key in ("configMapRef", "secretRef"):
            if source.get(key) is not None:
                count += 1
                name = _as_dict(source[key]).get("name", "")
                if not name:
                    errs.append(required(spath.child(key).child("name")))
                else:
                    errs += [
                        invalid(spath.child(key).child("name"), name, m) for m in dns1123_subdomain(name)
                    ]
        if count == 0:
            errs.append(invalid(path, "", "must specify one of: `configMapRef` or `secretRef`"))
        elif count > 1:
            errs.append(invalid(path, "", "may not have more than one field specified at a time"))
    return errs


def _validate_volume_mounts(
    mounts: list[dict[str, Any]],
    devices: list[dict[str, Any]],
    volumes: dict[str, dict[str, Any]],
    container: dict[str, Any],
    path: FieldPath,
) -> FieldErrors:
    errs: FieldErrors = []
    mount_paths: set[str] = set()
    device_names = {d.get("name", "") for d in devices}
    device_paths = {d.get("devicePath", "") for d in devices}
    for i, mount in enumerate(mounts):
        mpath = path.index(i)
        name, target = mount.get("name", ""), mount.get("mountPath", "")
        if not name:
            errs.append(required(mpath.child("name")))
        if name not in volumes:
            errs.append(not_found(mpath.child("name"), name))
        if not target:
            errs.append(required(mpath.child("mountPath")))
        if target in mount_paths:
            errs.append(invalid(mpath.child("mountPath"), target, "must be unique"))
        mount_paths.add(target)
        if name in device_names:
            errs.append(invalid(mpath.child("name"), name, "must not already exist in volumeDevices"))
        if target in device_paths:
            errs.append(
                invalid(mpath.child("mountPath"), target, "must not already exist as a path in volumeDevices")
            )
        if name in volumes and volumes[name].get("image") is not None:
            for key in ("subPath", "subPathExpr"):
                if mount.get(key):
                    errs.append(invalid(mpath.child(key), mount[key], "not allowed in image volume sources"))
        if mount.get("subPath"):
            errs += validate_local_descending_path(mount["subPath"], path.child("subPath"))
        if mount.get("subPathExpr"):
            if mount.get("subPath"):
                errs.append(
                    invalid(
                        mpath.child("subPathExpr"),
                        mount["subPathExpr"],
                        "subPathExpr and subPath are mutually exclusive",
                    )
                )
            errs += validate_local_descending_path(mount["subPathExpr"], path.child("subPathExpr"))
        propagation = mount.get("mountPropagation")
        if propagation is not None:
            modes = ["Bidirectional", "HostToContainer", "None"]
            if propagation not in modes:
                errs.append(not_supported(path.child("mountPropagation"), propagation, modes))
            privileged = _as_dict(container.get("securityContext")).get("privileged") is True
            if propagation == "Bidirectional" and not privileged:
                errs.append(
                    forbidden(
                        path.child("mountPropagation"),
                        "Bidirectional mount propagation is available only to privileged containers",
                    )
                )
        rro = mount.get("recursiveReadOnly")
        if rro is not None:
            rpath = path.child("recursiveReadOnly")
            if rro in ("Enabled", "IfPossible"):
                if not mount.get("readOnly"):
                    errs.append(forbidden(rpath, "may only be specified when readOnly is true"))
                if propagation not in (None, "None"):
                    errs.append(
                        forbidden(
                            rpath, "may only be specified when mountPropagation is None or not specified"
                        )
                    )
            elif rro != "Disabled":
                errs.append(not_supported(rpath, rro, ["Disabled", "Enabled", "IfPossible"]))
    return errs


def _validate_volume_devices(
    devices: list[dict[str, Any]],
    mounts: list[dict[str, Any]],
    volumes: dict[str, dict[str, Any]],
    path: FieldPath,
) -> FieldErrors:
    errs: FieldErrors = []
    paths: set[str] = set()
    names: set[str] = set()
    mount_names = {m.get("name", "") for m in mounts}
    mount_paths = {m.get("mountPath", "") for m in mounts}
    for i, device in enumerate(devices):
        dpath = path.index(i)
        name, target = device.get("name", ""), device.get("devicePath", "")
        volume = volumes.get(name)
        if not name:
            errs.append(required(dpath.child("name")))
        if name in names:
            errs.append(invalid(dpath.child("name"), name, "must be unique"))
        if (
            volume is not None
            and volume.get("persistentVolumeClaim") is None
            and volume.get("ephemeral") is None
        ):
            errs.append(
                invalid(
                    dpath.child("name"),
                    name,
                    "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode",
                )
            )
        if volume is None:
            errs.append(not_found(dpath.child("name"), name))
        if not target:
            errs.append(required(dpath.child("devicePath")))
        if target in paths:
            errs.append(invalid(dpath.child("devicePath"), target, "must be unique"))
        if target and validate_no_backsteps(target, dpath):
            errs.append(invalid(dpath.child("devicePath"), target, "can not contain backsteps ('..')"))
        else:
            paths.add(target)
        if name in mount_names:
            errs.append(invalid(dpath.child("name"), name, "must not already exist in volumeMounts"))
        if target in mount_paths:
            errs.append(
                invalid(dpath.child("devicePath"), target, "must not already exist as a path in volumeMounts")
            )
        if name:
            names.add(name)
    return errs


def _validate_resize_policy(policies: list[Any], path: FieldPath, restart: str) -> FieldErrors:
    errs: FieldErrors = []
    seen: set[str] = set()
    for i, policy in enumerate(policies):
        policy = _as_dict(policy)
        name, rpolicy = policy.get("resourceName", ""), policy.get("restartPolicy", "")
        if name in seen:
            errs.append(duplicate(path.index(i), name))
        seen.add(name)
        if not name:
            errs.append(required(path))
        elif name not in ("cpu", "memory"):
            errs.append(not_supported(path, name, ["cpu", "memory"]))
        if not rpolicy:
            errs.append(required(path))
        elif rpolicy not in ("NotRequired", "RestartContainer"):
            errs.append(not_supported(path, rpolicy, ["NotRequired", "RestartContainer"]))
        if restart == "Never" and rpolicy != "NotRequired":
            errs.append(invalid(path, rpolicy, "must be 'NotRequired' when `restartPolicy` is 'Never'"))
    return errs


def _validate_probes(container: dict[str, Any], grace: Any, path: FieldPath) -> FieldErrors:
    probes = {key: container[key] for key in PROBES if container.get(key) is not None}
    if not probes:
        return []
    return _remembered(
        _VALID_PARTS,
        _part_key("probes", {"probes": probes, "grace": grace}),
        lambda: _validate_container_probes(container, grace, path),
    )


def _validate_container_probes(container: dict[str, Any], grace: Any, path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    for key in PROBES:
        probe = container.get(key)
        if probe is None:
            continue
        probe = _as_dict(probe)
        ppath = path.child(key)
        errs += validate_probe(probe, grace, ppath)
        if key in ("livenessProbe", "startupProbe") and probe.get("successThreshold", 0) != 1:
            errs.append(
                invalid(ppath.child("successThreshold"), probe.get("successThreshold", 0), "must be 1")
            )
        if key == "readinessProbe" and probe.get("terminationGracePeriodSeconds") is not None:
            errs.append(
                invalid(
                    ppath.child("terminationGracePeriodSeconds"),
                    probe["terminationGracePeriodSeconds"],
                    "must not be set for readinessProbes",
                )
            )
    return errs


def validate_probe(probe: dict[str, Any], grace: Any, path: FieldPath) -> FieldErrors:
    errs = validate_handler(probe, ("exec", "httpGet", "tcpSocket", "grpc"), grace, path)
    for key in (
        "initialDelaySeconds",
        "timeoutSeconds",
        "periodSeconds",
        "successThreshold",
        "failureThreshold",
    ):
        errs += validate_nonnegative(probe.get(key, 0), path.child(key))
    tgp = probe.get("terminationGracePeriodSeconds")
    if tgp is not None and tgp <= 0:
        errs.append(invalid(path.child("terminationGracePeriodSeconds"), tgp, "must be greater than 0"))
    return errs


def validate_handler(
    handler: dict[str, Any], kinds: tuple[str, ...], grace: Any, path: FieldPath
) -> FieldErrors:
    """Exactly one handler type (probes: exec, httpGet, tcpSocket, grpc; lifecycle: sleep too)."""
    errs: FieldErrors = []
    count = 0
    for key in ("exec", "httpGet", "tcpSocket", "grpc", "sleep"):
        if key not in kinds or handler.get(key) is None:
            continue
        if count > 0:
            errs.append(forbidden(path.child(key), "may not specify more than 1 handler type"))
            continue
        count += 1
        action, apath = _as_dict(handler[key]), path.child(key)
        if key == "exec":
            if not action.get("command"):
                errs.append(required(apath.child("command")))
        elif key == "httpGet":
            if not action.get("path"):
                errs.append(required(apath.child("path")))
            errs += validate_port_num_or_name(action.get("port", 0), apath.child("port"))
            if action.get("scheme", "") not in HTTP_SCHEMES:
                errs.append(not_supported(apath.child("scheme"), action.get("scheme", ""), HTTP_SCHEMES))
            for header in _as_list(action.get("httpHeaders")):
                hname = _as_dict(header).get("name", "")
                if not hname or not all(c.isalnum() or c == "-" for c in hname) or not hname.isascii():
                    errs.append(
                        invalid(
                            apath.child("httpHeaders"),
                            hname,
                            "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. "
                            "'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')",
                        )
                    )
        elif key == "tcpSocket":
            errs += validate_port_num_or_name(action.get("port", 0), apath.child("port"))
        elif key == "grpc":
            errs += validate_port_number(action.get("port", 0), apath.child("port"))
        elif key == "sleep":
            seconds = action.get("seconds", 0)
            if isinstance(grace, int) and not 0 <= seconds <= grace:
                errs.append(
                    invalid(
                        apath,
                        seconds,
                        f"must be non-negative and less than terminationGracePeriodSeconds ({grace})",
                    )
                )
    if count == 0:
        errs.append(required(path, "must specify a handler type"))
    return errs


def _validate_lifecycle(lifecycle: dict[str, Any], grace: Any, path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    for key in ("postStart", "preStop"):
        if lifecycle.get(key) is not None:
            errs += validate_handler(
                _as_dict(lifecycle[key]), ("exec", "httpGet", "tcpSocket", "sleep"), grace, path.child(key)
            )
    return errs


# security


def _validate_id(value: Any, path: FieldPath) -> FieldErrors:
    if value is not None and not 0 <= value <= MAX_INT32:
        return [invalid(path, value, inclusive_range(0, MAX_INT32))]
    return []


def _validate_seccomp(profile: Any, path: FieldPath) -> FieldErrors:
    if profile is None:
        return []
    profile = _as_dict(profile)
    errs: FieldErrors = []
    kind = profile.get("type", "")
    types = ["Localhost", "RuntimeDefault", "Unconfined"]
    if not kind:
        errs.append(required(path.child("type"), "type is required when seccompProfile is set"))
    elif kind not in types:
        errs.append(not_supported(path.child("type"), kind, types))
    if kind == "Localhost":
        if profile.get("localhostProfile") is None:
            errs.append(
                required(path.child("localhostProfile"), "must be set when seccomp type is Localhost")
            )
        else:
            errs += validate_local_descending_path(
                profile["localhostProfile"], path.child("localhostProfile")
            )
    elif profile.get("localhostProfile") is not None:
        errs.append(
            invalid(path.child("localhostProfile"), profile, "can only be set when seccomp type is Localhost")
        )
    return errs


def _validate_apparmor(profile: Any, path: FieldPath) -> FieldErrors:
    if profile is None:
        return []
    profile = _as_dict(profile)
    kind = profile.get("type", "")
    types = ["Localhost", "RuntimeDefault", "Unconfined"]
    if kind == "Localhost":
        local = profile.get("localhostProfile")
        if local is None or not str(local).strip():
            return [required(path.child("localhostProfile"), "must be set when AppArmor type is Localhost")]
        if str(local).strip() != local:
            return [invalid(path.child("localhostProfile"), local, "must not be padded with whitespace")]
        return []
    if kind in ("RuntimeDefault", "Unconfined"):
        if profile.get("localhostProfile") is not None:
            return [
                invalid(
                    path.child("localhostProfile"),
                    profile["localhostProfile"],
                    "can only be set when AppArmor type is Localhost",
                )
            ]
        return []
    if not kind:
        return [required(path.child("type"), "type is required when appArmorProfile is set")]
    return [not_supported(path.child("type"), kind, types)]


def validate_security_context(sc: Any, path: FieldPath) -> FieldErrors:
    """A container's SecurityContext."""
    if sc is None:
        return []
    sc = _as_dict(sc)
    errs: FieldErrors = []
    errs += _validate_id(sc.get("runAsUser"), path.child("runAsUser"))
    errs += _validate_id(sc.get("runAsGroup"), path.child("runAsGroup"))
    proc = sc.get("procMount")
    if proc is not None and proc not in ("Default", "Unmasked"):
        errs.append(not_supported(path.child("procMount"), proc, ["Default", "Unmasked"]))
    errs += _validate_seccomp(sc.get("seccompProfile"), path.child("seccompProfile"))
    if sc.get("allowPrivilegeEscalation") is False:
        if sc.get("privileged") is True:
            errs.append(
                invalid(path, sc, "cannot set `allowPrivilegeEscalation` to false and `privileged` to true")
            )
        for cap in _as_list(_as_dict(sc.get("capabilities")).get("add")):
            if cap == "CAP_SYS_ADMIN":
                errs.append(
                    invalid(
                        path,
                        sc,
                        "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN",
                    )
                )
    errs += _validate_apparmor(sc.get("appArmorProfile"), path.child("appArmorProfile"))
    return errs


def _validate_pod_security_context(sc: dict[str, Any], spec: dict[str, Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    errs += _validate_id(sc.get("fsGroup"), path.child("fsGroup"))
    errs += _validate_id(sc.get("runAsUser"), path.child("runAsUser"))
    errs += _validate_id(sc.get("runAsGroup"), path.child("runAsGroup"))
    for i, gid in enumerate(_as_list(sc.get("supplementalGroups"))):
        errs += _validate_id(gid, path.child("supplementalGroups").index(i))
    if spec.get("shareProcessNamespace") and spec.get("hostPID"):
        errs.append(
            invalid(
                path.child("shareProcessNamespace"),
                True,
                "ShareProcessNamespace and HostPID cannot both be enabled",
            )
        )
    names: set[str] = set()
    for i, sysctl in enumerate(_as_list(sc.get("sysctls"))):
        name = _as_dict(sysctl).get("name", "")
        spath = path.child("sysctls").index(i).child("name")
        if not name:
            errs.append(required(spath))
        elif len(name) > 253 or not _SYSCTL.fullmatch(name):
            errs.append(
                invalid(
                    spath,
                    name,
                    "must have at most 253 characters and match regex "
                    "^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$",
                )
            )
        elif name in names:
            errs.append(duplicate(spath, name))
        names.add(name)
    policy = sc.get("fsGroupChangePolicy")
    if policy is not None and policy not in ("Always", "OnRootMismatch"):
        errs.append(not_supported(path.child("fsGroupChangePolicy"), policy, ["Always", "OnRootMismatch"]))
    errs += _validate_seccomp(sc.get("seccompProfile"), path.child("seccompProfile"))
    errs += _validate_apparmor(sc.get("appArmorProfile"), path.child("appArmorProfile"))
    groups_policy = sc.get("supplementalGroupsPolicy")
    if groups_policy is not None and groups_policy not in ("Merge", "Strict"):
        errs.append(not_supported(path.child("supplementalGroupsPolicy"), groups_policy, ["Merge", "Strict"]))
    selinux = sc.get("seLinuxChangePolicy")
    if selinux is not None and selinux not in ("MountOption", "Recursive"):
        errs.append(not_supported(path.child("seLinuxChangePolicy"), selinux, ["MountOption", "Recursive"]))
    return errs


_SYSCTL = re.compile(r"([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?")


# scheduling


def validate_tolerations(tolerations: list[Any], path: FieldPath) -> FieldErrors:
    if not tolerations:
        return []
    return _remembered(
        _VALID_PARTS,
        _part_key("tolerations", tolerations),
        lambda: _validate_tolerations(tolerations, path),
    )


def _validate_tolerations(tolerations: list[Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    for i, toleration in enumerate(tolerations):
        toleration = _as_dict(toleration)
        tpath = path.index(i)
        key, op = toleration.get("key", ""), toleration.get("operator", "")
        effect, value = toleration.get("effect", ""), toleration.get("value", "")
        if key:
            errs += validate_qualified_name(key, tpath.child("key"))
        if not key and op != "Exists":
            errs.append(
                invalid(
                    tpath.child("operator"),
                    op,
                    "operator must be Exists when `key` is empty, which means "
                    '"match all values and all keys"',
                )
            )
        if toleration.get("tolerationSeconds") is not None and effect != "NoExecute":
            errs.append(
                invalid(
                    tpath.child("effect"),
                    effect,
                    "effect must be 'NoExecute' when `tolerationSeconds` is set",
                )
            )
        if op in ("Equal", ""):
            msgs = label_value(str(value))
            if msgs:
                errs.append(invalid(tpath.child("operator"), value, ";".join(msgs)))
        elif op == "Exists":
            if value:
                errs.append(
                    invalid(tpath.child("operator"), value, "value must be empty when `operator` is 'Exists'")
                )
        else:
            errs.append(not_supported(tpath.child("operator"), op, ["Equal", "Exists"]))
        if effect and effect not in TAINT_EFFECTS:
            errs.append(not_supported(tpath.child("effect"), effect, TAINT_EFFECTS))
    return errs


def _validate_node_selector_term(term: dict[str, Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    for j, req in enumerate(_as_list(term.get("matchExpressions"))):
        req = _as_dict(req)
        rpath = path.child("matchExpressions").index(j)
        op, values = req.get("operator", ""), _as_list(req.get("values"))
        if op not in ("Gt", "Lt"):
            errs += validate_selector_operator(op, values, rpath)
        elif len(values) != 1:
            errs.append(
                required(
                    rpath.child("values"), "must be specified single value when `operator` is 'Lt' or 'Gt'"
                )
            )
        errs += validate_qualified_name(req.get("key", ""), rpath.child("key"))
    for j, req in enumerate(_as_list(term.get("matchFields"))):
        req = _as_dict(req)
        rpath = path.child("matchFields").index(j)
        if req.get("operator") in ("In", "NotIn"):
            if len(_as_list(req.get("values"))) != 1:
                errs.append(
                    required(
                        rpath.child("values"),
                        "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
                    )
                )
        else:
            errs.append(
                invalid(rpath.child("operator"), req.get("operator", ""), "not a valid selector operator")
            )
        if req.get("key") != "metadata.name":
            errs.append(invalid(rpath.child("key"), req.get("key", ""), "not a valid field selector key"))
    return errs


def validate_node_selector(selector: dict[str, Any], path: FieldPath) -> FieldErrors:
    terms = _as_list(selector.get("nodeSelectorTerms"))
    if not terms:
        return [required(path.child("nodeSelectorTerms"), "must have at least one node selector term")]
    errs: FieldErrors = []
    for i, term in enumerate(terms):
        errs += _validate_node_selector_term(_as_dict(term), path.child("nodeSelectorTerms").index(i))
    return errs


def _validate_pod_affinity_term(term: dict[str, Any], path: FieldPath) -> FieldErrors:
    errs = validate_label_selector(term.get("labelSelector"), path.child("labelSelector"))
    errs += validate_label_selector(term.get("namespaceSelector"), path.child("namespaceSelector"))
    for name in _as_list(term.get("namespaces")):
        errs += validate_dns_label(name, path.child("namespace"))
    if not term.get("topologyKey"):
        errs.append(required(path.child("topologyKey"), "can not be empty"))
    return errs + validate_qualified_name(term.get("topologyKey", ""), path.child("topologyKey"))


def _validate_affinity(affinity: dict[str, Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    node = affinity.get("nodeAffinity")
    if isinstance(node, dict):
        npath = path.child("nodeAffinity")
        required_terms = node.get("requiredDuringSchedulingIgnoredDuringExecution")
        if isinstance(required_terms, dict):
            errs += validate_node_selector(
                required_terms, npath.child("requiredDuringSchedulingIgnoredDuringExecution")
            )
        for i, pref in enumerate(_as_list(node.get("preferredDuringSchedulingIgnoredDuringExecution"))):
            pref = _as_dict(pref)
            ppath = npath.child("preferredDuringSchedulingIgnoredDuringExecution").index(i)
            weight = pref.get("weight", 0)
            if not 1 <= weight <= 100:
                errs.append(invalid(ppath.child("weight"), weight, "must be in the range 1-100"))
            errs += _validate_node_selector_term(_as_dict(pref.get("preference")), ppath.child("preference"))
    for key in ("podAffinity", "podAntiAffinity"):
        pod = affinity.get(key)
        if not isinstance(pod, dict):
            continue
        ppath = path.child(key)
        for i, term in enumerate(_as_list(pod.get("requiredDuringSchedulingIgnoredDuringExecution"))):
            errs += _validate_pod_affinity_term(
                _as_dict(term), ppath.child("requiredDuringSchedulingIgnoredDuringExecution").index(i)
            )
        for i, weighted in enumerate(_as_list(pod.get("preferredDuringSchedulingIgnoredDuringExecution"))):
            weighted = _as_dict(weighted)
            wpath = ppath.child("preferredDuringSchedulingIgnoredDuringExecution").index(i)
            weight = weighted.get("weight", 0)
            if not 1 <= weight <= 100:
                errs.append(invalid(wpath.child("weight"), weight, "must be in the range 1-100"))
            errs += _validate_pod_affinity_term(
                _as_dict(weighted.get("podAffinityTerm")), wpath.child("podAffinityTerm")
            )
    return errs


def _validate_dns_config(config: Any, policy: Any, path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    if policy == "None":
        if not isinstance(config, dict):
            return [required(path, "must provide `dnsConfig` when `dnsPolicy` is None")]
        if not config.get("nameservers"):
            return [
                required(
                    path.child("nameservers"),
                    "must provide at least one DNS nameserver when `dnsPolicy` is None",
                )
            ]
    if not isinstance(config, dict):
        return errs
    servers = _as_list(config.get("nameservers"))
    if len(servers) > 3:
        errs.append(invalid(path.child("nameservers"), servers, "must not have more than 3 nameservers"))
    for i, server in enumerate(servers):
        errs += validate_ip(server, path.child("nameservers").index(i))
    searches = _as_list(config.get("searches"))
    if len(searches) > 32:
        errs.append(invalid(path.child("searches"), searches, "must not have more than 32 search paths"))
    if len(" ".join(searches)) > 2048:
        errs.append(
            invalid(
                path.child("searches"),
                searches,
                "must not have more than 2048 characters (including spaces) in the search list",
            )
        )
    for i, search in enumerate(searches):
        if search != ".":
            trimmed = search.removesuffix(".")
            msgs = dns1123_subdomain(trimmed.replace("_", "a")) if trimmed else dns1123_subdomain(trimmed)
            errs += [invalid(path.child("searches").index(i), trimmed, _underscore_msg(m)) for m in msgs]
    for i, option in enumerate(_as_list(config.get("options"))):
        if not _as_dict(option).get("name"):
            errs.append(required(path.child("options").index(i), "must not be empty"))
    return errs


def _underscore_msg(message: str) -> str:
    if message.startswith("a lowercase RFC 1123 subdomain"):
        return (
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' "
            "or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex "
            "used for validation is '_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*')"
        )
    return message


def _validate_topology_spread(constraints: list[Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    items = [_as_dict(c) for c in constraints]
    for i, constraint in enumerate(items):
        cpath = path.index(i)
        skew = constraint.get("maxSkew", 0)
        if skew <= 0:
            errs.append(invalid(cpath.child("maxSkew"), skew, "must be greater than zero"))
        if not constraint.get("topologyKey"):
            errs.append(required(cpath.child("topologyKey"), "can not be empty"))
        action = constraint.get("whenUnsatisfiable", "")
        if action not in ("DoNotSchedule", "ScheduleAnyway"):
            errs.append(
                not_supported(cpath.child("whenUnsatisfiable"), action, ["DoNotSchedule", "ScheduleAnyway"])
            )
        for later in items[i + 1 :]:
            if (
                later.get("topologyKey") == constraint.get("topologyKey")
                and later.get("whenUnsatisfiable") == action
            ):
                errs.append(
                    duplicate(
                        cpath.child("{topologyKey, whenUnsatisfiable}"),
                        f"{{{constraint.get('topologyKey', '')}, {action}}}",
                    )
                )
                break
        domains = constraint.get("minDomains")
        if domains is not None:
            if domains <= 0:
                errs.append(invalid(cpath.child("minDomains"), domains, "must be greater than zero"))
            if action != "DoNotSchedule":
                errs.append(
                    invalid(
                        cpath.child("minDomains"),
                        domains,
                        f"can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {action}",
                    )
                )
        for key in ("nodeAffinityPolicy", "nodeTaintsPolicy"):
            value = constraint.get(key)
            if value is not None and value not in ("Honor", "Ignore"):
                errs.append(not_supported(cpath.child(key), value, ["Honor", "Ignore"]))
        errs += validate_label_selector(constraint.get("labelSelector"), cpath.child("labelSelector"))
    return errs


def _validate_resource_claims(claims: list[Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    names: set[str] = set()
    for i, claim in enumerate(claims):
        claim = _as_dict(claim)
        cpath = path.index(i)
        name = claim.get("name", "")
        if not name:
            errs.append(required(cpath.child("name")))
        elif name in names:
            errs.append(duplicate(cpath.child("name"), name))
        else:
            errs += validate_dns_label(name, cpath.child("name"))
            names.add(name)
        by_name, by_template = claim.get("resourceClaimName"), claim.get("resourceClaimTemplateName")
        if by_name is not None and by_template is not None:
            errs.append(
                invalid(
                    cpath,
                    claim,
                    "at most one of `resourceClaimName` or `resourceClaimTemplateName` may be specified",
                )
            )
        if by_name is None and by_template is None:
            errs.append(
                invalid(cpath, claim, "must specify one of: `resourceClaimName`, `resourceClaimTemplateName`")
            )
        for key, value in (("resourceClaimName", by_name), ("resourceClaimTemplateName", by_template)):
            if value is not None:
                errs += validate_subdomain(value, cpath.child(key))
    return errs
