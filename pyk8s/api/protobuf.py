"""Decode the Kubernetes protobuf request encoding into the JSON-shaped dict of the same object.

kubectl >= 1.32 sends `Content-Type: application/vnd.kubernetes.protobuf` for every write that goes
through its typed clientset (every `create <subcommand>`, `create token`, `auth can-i`, `auth whoami`,
`autoscale`, `certificate approve|deny`, `drain --disable-eviction`, `debug`), and a 415 reply is
fatal for those commands (WIRE.md §14). This module turns such a body into exactly the dict that the
JSON encoding of the same Go object would give, so the server can then follow its normal JSON path.

The envelope
------------
    b"k8s\\x00" + runtime.Unknown{
        1 typeMeta        {1 apiVersion, 2 kind}
        2 raw             the object, encoded with its generated.proto message
        3 contentEncoding (ignored, like the Go decoder does)
        4 contentType     (ignored)
    }

`decode` reads the envelope, picks the message for (apiVersion, kind) from `_KINDS`, decodes `raw`
with the schema table below, and returns `{"kind": ..., "apiVersion": ..., **fields}`.

The wire format (all that the k8s messages use): a field key is a varint `number << 3 | wire type`;
wire type 0 is a varint, 1 eight little-endian bytes, 2 a varint length plus that many bytes (strings,
bytes, nested messages, map entries, packed repeated scalars), 5 four bytes. Group wire types (3, 4)
are refused. Unknown field numbers are skipped, as the generated Go code does.

The schema table
----------------
`_TABLE` is a text table, one message per block and one line per field. The field numbers and
names come from the `generated.proto` files of kubernetes/api and kubernetes/apimachinery, the JSON
names and omission rules from the Go struct tags next to them::

    core.ServicePort                      message name: <package prefix>.<Message>
      1 name str?                         <field number> <JSON name> <type>
      4 targetPort IntOrString

Package prefixes are those of `_GROUP_VERSIONS`, plus `meta` (apimachinery meta/v1), `runtime` and
`sched3` (scheduling.k8s.io/v1alpha3, which batch/v1 Job refers to).

Types:

- `str`, `bool`, `int` (int32 and int64: a sign-extended varint), `float` (double), `bytes` (JSON
  shows base64, as Go's encoding/json does for []byte); `raw` is bytes kept as bytes, used only by
  the built-in messages.
- a message name: a message of this table (`meta.ObjectMeta`) or a built-in with its own JSON form
  (see `_SPECIAL`): `Time` and `MicroTime` (RFC 3339, the latter with microseconds; an empty Time
  is Go's zero time and gives None, which Go's JSON prints as null), `Duration` (Go
  duration string), `Quantity` (its string), `IntOrString` (int or str), `RawExtension` and
  `FieldsV1` (the embedded JSON, decoded), `StringList` (the `ExtraValue`-style wrapper messages
  around a Go `[]string`: `{1: repeated string items}` → a JSON list).
- `[]T` is a repeated field (packed or not), `{}T` a `map<string, T>` (entries `{1 key, 2 value}`).
- a trailing `?` means "omitted when zero": the Go field is a non-pointer scalar tagged
  `omitempty`, or is tagged `omitzero` (only `ObjectMeta.creationTimestamp`, so a zero one is left
  out, as kubectl 1.37 prints it). The Go encoder writes every non-pointer scalar (`ObjectMeta`
  always carries `generateName: ""`, `namespace: ""`, `generation: 0`, ...), and Go's JSON encoder
  drops those zero values again. Every other scalar that is on the wire is kept, zero or not: pointer
  fields (`replicas: 0`, `automountServiceAccountToken: false`) and fields without `omitempty`.
- the JSON name `...` marks a Go struct embedded inline (`Volume.VolumeSource`, `Probe.ProbeHandler`,
  `EphemeralContainer.EphemeralContainerCommon`, ...): its fields are merged into the parent.

A scalar, list or map that is not on the wire is absent from the result, never null (Go prints
`null` for a nil slice without `omitempty`, e.g. the `rules` of an aggregated ClusterRole). A nested
message on the wire is present, as `{}` when empty: the Go encoder writes every non-pointer struct,
so e.g. `status: {}` appears just as in kubectl's JSON. Keys come out in Go declaration order (the
order of the table), so `json.dumps` of the result reads like Go's JSON of the same object.

JSON names equal the proto names except where the table says otherwise, which the generator
checked against the Go `json` tags: `authentication/v1 BoundObjectReference` has proto `uID` but
JSON `uid`; inline embeddings have a proto name (`volumeSource`, `handler`, ...) and no JSON key.

The table covers the kinds kubectl sends as protobuf (`supported_kinds()`) and every message
reachable from them, statuses included. It was derived from kubernetes/api and apimachinery master
of July 2026, a superset of what kubectl 1.37 knows (fields are never renumbered). To add a kind, add
its message and everything it reaches to the table and its name to `_ROOTS`.
"""

from __future__ import annotations

import base64
import datetime
import json
import struct
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

__all__ = ["MAGIC", "ProtobufError", "decode", "supported_kinds"]

MAGIC = b"k8s\x00"
"""The four bytes every Kubernetes protobuf body starts with."""

_MASK64 = (1 << 64) - 1
_GO_ZERO_TIME_SECONDS = -62135596800  # time.Time{}.Unix(): 0001-01-01T00:00:00Z, JSON null
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


class ProtobufError(ValueError):
    """The body is not a well-formed Kubernetes protobuf object this module can decode."""


# --- kinds --------------------------------------------------------------------------------------

_GROUP_VERSIONS = {
    "core": "v1",
    "apps": "apps/v1",
    "batch": "batch/v1",
    "as1": "autoscaling/v1",
    "as2": "autoscaling/v2",
    "authn": "authentication.k8s.io/v1",
    "authz": "authorization.k8s.io/v1",
    "certs": "certificates.k8s.io/v1",
    "net": "networking.k8s.io/v1",
    "policy": "policy/v1",
    "rbac": "rbac.authorization.k8s.io/v1",
    "sched": "scheduling.k8s.io/v1",
}

_ROOTS = """
core.ConfigMap core.Secret core.Namespace core.ServiceAccount core.Service core.Pod core.ResourceQuota
apps.Deployment batch.Job batch.CronJob as1.HorizontalPodAutoscaler as2.HorizontalPodAutoscaler
authn.TokenRequest authn.SelfSubjectReview authz.SelfSubjectAccessReview authz.SelfSubjectRulesReview
authz.LocalSubjectAccessReview authz.SubjectAccessReview
certs.CertificateSigningRequest net.Ingress policy.Eviction policy.PodDisruptionBudget
rbac.Role rbac.RoleBinding rbac.ClusterRole rbac.ClusterRoleBinding sched.PriorityClass
"""

_KINDS: dict[tuple[str, str], str] = {
    (_GROUP_VERSIONS[message.split(".")[0]], message.split(".")[1]): message for message in _ROOTS.split()
}
# DeleteOptions is registered in every group version (metav1.AddToGroupVersion); client-go's typed
# clients send it with their own group version, `kubectl drain --disable-eviction` with "v1".
_DELETE_OPTIONS_VERSIONS = {*_GROUP_VERSIONS.values(), "meta.k8s.io/v1"}


def supported_kinds() -> set[tuple[str, str]]:
    """The (apiVersion, kind) pairs `decode` accepts."""
    return set(_KINDS) | {(version, "DeleteOptions") for version in _DELETE_OPTIONS_VERSIONS}


def _message_for(api_version: str, kind: str) -> str:
    if kind == "DeleteOptions":
        return "meta.DeleteOptions"
    try:
        return _KINDS[(api_version, kind)]
    except KeyError:
        raise ProtobufError(f"cannot decode {kind} {api_version} from protobuf: kind not supported") from None


# --- entry point --------------------------------------------------------------------------------


def decode(body: bytes) -> dict[str, Any]:
    """The object in a `k8s\\x00` protobuf body, as the dict its JSON encoding would give."""
    data = memoryview(body)
    if data[: len(MAGIC)] != MAGIC:
        raise ProtobufError("body does not start with the k8s\\x00 protobuf magic")
    if len(data) == len(MAGIC):
        raise ProtobufError("empty protobuf body")
    envelope = _decode(data[len(MAGIC) :], "runtime.Unknown")
    type_meta = envelope.get("typeMeta", {})
    api_version, kind = type_meta.get("apiVersion", ""), type_meta.get("kind", "")
    if not kind:
        raise ProtobufError("protobuf envelope has no kind")
    if not api_version:
        raise ProtobufError(f"protobuf envelope of {kind} has no apiVersion")
    obj: dict[str, Any] = {"kind": kind, "apiVersion": api_version}
    obj.update(_decode(memoryview(envelope.get("raw", b"")), _message_for(api_version, kind)))
    return obj


# --- wire format --------------------------------------------------------------------------------


def _varint(data: memoryview, pos: int) -> tuple[int, int]:
    if pos < len(data) and data[pos] < 0x80:  # the common case: one byte
        return data[pos], pos + 1
    result = shift = 0
    while True:
        if pos >= len(data):
            raise ProtobufError("truncated varint")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result & _MASK64, pos
        shift += 7
        if shift >= 64:
            raise ProtobufError("varint longer than 10 bytes")


def encode_varint(value: int) -> bytes:
    """A non-negative int as a protobuf base-128 varint."""
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def length_delimited(number: int, payload: bytes) -> bytes:
    """One length-delimited field (wire type 2: strings, bytes, embedded messages)."""
    return encode_varint(number << 3 | 2) + encode_varint(len(payload)) + payload


def wire_fields(data: bytes | memoryview) -> Iterator[tuple[int, int, Any]]:
    """The fields of a protobuf message in wire order (see `_wire_fields`); a malformed
    message raises ProtobufError (a ValueError)."""
    return _wire_fields(data if isinstance(data, memoryview) else memoryview(data))


def _wire_fields(data: memoryview) -> Iterator[tuple[int, int, Any]]:
    """(field number, wire type, value): an int for varints, a memoryview for everything else."""
    pos, end = 0, len(data)
    while pos < end:
        key, pos = _varint(data, pos)
        number, wire_type = key >> 3, key & 7
        if number == 0:
            raise ProtobufError("illegal field number 0")
        if wire_type == 0:
            value, pos = _varint(data, pos)
        elif wire_type in (1, 5):
            size = 8 if wire_type == 1 else 4
            if pos + size > end:
                raise ProtobufError(f"truncated fixed-width field {number}")
            value, pos = data[pos : pos + size], pos + size
        elif wire_type == 2:
            size, pos = _varint(data, pos)
            if pos + size > end:
                raise ProtobufError(f"truncated length-delimited field {number}")
            value, pos = data[pos : pos + size], pos + size
        else:
            raise ProtobufError(f"unsupported wire type {wire_type} (field {number})")
        yield number, wire_type, value


def _signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


_WIRE_TYPES = {"str": 2, "bytes": 2, "raw": 2, "bool": 0, "int": 0, "float": 1}


def _scalars(kind: str, wire_type: int, value: Any, repeated: bool = False) -> list[Any]:
    """The values of one scalar field occurrence: one, or several when a repeated scalar is packed."""
    expected = _WIRE_TYPES[kind]
    if wire_type == expected:
        return [_scalar(kind, value)]
    if repeated and wire_type == 2:  # packed repeated varints or doubles
        return [_scalar(kind, item) for item in _unpack(kind, value)]
    raise ProtobufError(f"wrong wire type {wire_type} for a {kind} field")


def _unpack(kind: str, data: memoryview) -> Iterator[Any]:
    pos = 0
    while pos < len(data):
        if kind == "float":
            if pos + 8 > len(data):
                raise ProtobufError("truncated packed double")
            yield data[pos : pos + 8]
            pos += 8
        else:
            value, pos = _varint(data, pos)
            yield value


def _scalar(kind: str, value: Any) -> Any:
    if kind == "str":
        return str(value, "utf-8", "replace")  # Go's JSON encoder replaces invalid UTF-8 too
    if kind == "int":
        return _signed(value)
    if kind == "bool":
        return value != 0
    if kind == "bytes":
        return base64.b64encode(value).decode("ascii")
    if kind == "raw":
        return bytes(value)
    return struct.unpack("<d", value)[0]  # float


_ZERO = {"str": "", "bytes": "", "raw": b"", "bool": False, "int": 0, "float": 0.0}


# --- schema -------------------------------------------------------------------------------------


class _Field(NamedTuple):
    name: str  # the JSON key; "" for a struct embedded inline
    type: str  # a scalar kind or a message name
    shape: str  # "" single, "[]" repeated, "{}" map<string, type>
    omit_zero: bool  # "?": a Go non-pointer scalar with omitempty, or omitzero: a zero value is dropped


def _parse_table(table: str) -> dict[str, dict[int, _Field]]:
    messages: dict[str, dict[int, _Field]] = {}
    fields: dict[int, _Field] = {}
    for line in table.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not line.startswith(" "):
            fields = messages.setdefault(line.strip(), {})
            continue
        number, name, spec = line.split()
        omit_zero = spec.endswith("?")
        spec = spec.rstrip("?")
        shape = spec[:2] if spec[:2] in ("[]", "{}") else ""
        fields[int(number)] = _Field("" if name == "..." else name, spec[len(shape) :], shape, omit_zero)
    for message, message_fields in messages.items():
        for number, field in message_fields.items():
            if field.type not in _ZERO and field.type not in messages:
                raise ValueError(f"schema table: {message} field {number} has unknown type {field.type}")
    return messages


def _decode(data: memoryview, message: str) -> Any:
    """One message: a dict in schema order, or a built-in's JSON form."""
    schema = _MESSAGES[message]
    found: dict[int, Any] = {}
    for number, wire_type, value in _wire_fields(data):
        field = schema.get(number)
        if field is None:
            continue
        if field.shape == "{}":
            if wire_type != 2:
                raise ProtobufError(f"wrong wire type {wire_type} for map {message}.{field.name}")
            key, item = _map_entry(value, field.type)
            found.setdefault(number, {})[key] = item
        elif field.type in _ZERO:
            values = _scalars(field.type, wire_type, value, field.shape == "[]")
            if field.shape == "[]":
                found.setdefault(number, []).extend(values)
            else:
                found[number] = values[-1]
        elif wire_type != 2:
            raise ProtobufError(f"wrong wire type {wire_type} for {message}.{field.name or field.type}")
        elif field.shape == "[]":
            found.setdefault(number, []).append(_decode(value, field.type))
        else:  # a repeated occurrence of a message merges into the first, i.e. the bytes concatenate
            found[number] = found.get(number, b"") + bytes(value)
    result: dict[str, Any] = {}
    order = _ORDER[message]
    for number in sorted(found, key=order.__getitem__):  # Go declaration order, not wire order
        field, value = schema[number], found[number]
        if field.shape == "" and field.type not in _ZERO:
            value = _decode(memoryview(value), field.type)
        if field.omit_zero and not value:
            continue
        if field.name:
            result[field.name] = value
        else:
            result.update(value)
    special = _SPECIAL.get(message)
    return special(result) if special else result


def _map_entry(data: memoryview, value_type: str) -> tuple[str, Any]:
    key, value = "", None
    for number, wire_type, item in _wire_fields(data):
        if number == 1:
            key = _scalars("str", wire_type, item)[-1]
        elif number == 2:
            if value_type in _ZERO:
                value = _scalars(value_type, wire_type, item)[-1]
            elif wire_type != 2:
                raise ProtobufError(f"wrong wire type {wire_type} for a map value")
            else:
                value = _decode(item, value_type)
    if value is None:
        value = _ZERO[value_type] if value_type in _ZERO else _decode(memoryview(b""), value_type)
    return key, value


# --- built-in messages with their own JSON form -------------------------------------------------


def _time(fields: dict[str, Any]) -> str | None:
    """metav1.Time: an empty message is Go's zero time, JSON null. Nanos are dropped, as Go does."""
    if not fields or fields.get("seconds", 0) == _GO_ZERO_TIME_SECONDS:
        return None
    return _rfc3339(fields.get("seconds", 0)) + "Z"


def _micro_time(fields: dict[str, Any]) -> str | None:
    """metav1.MicroTime: RFC 3339 with six fractional digits."""
    if not fields or fields.get("seconds", 0) == _GO_ZERO_TIME_SECONDS:
        return None
    return f"{_rfc3339(fields.get('seconds', 0))}.{fields.get('nanos', 0) // 1000:06d}Z"


def _rfc3339(seconds: int) -> str:
    try:
        t = _EPOCH + datetime.timedelta(seconds=seconds)
    except OverflowError:
        raise ProtobufError(f"time {seconds}s since the epoch is out of range") from None
    return f"{t.year:04d}-{t.month:02d}-{t.day:02d}T{t.hour:02d}:{t.minute:02d}:{t.second:02d}"


def _duration(fields: dict[str, Any]) -> str:
    """metav1.Duration {1: nanoseconds}: Go's `time.Duration.String()`, e.g. "1h0m0s", "1.5ms", "0s"."""
    nanoseconds = fields.get("duration", 0)
    sign, value = ("-", -nanoseconds) if nanoseconds < 0 else ("", nanoseconds)
    if value == 0:
        return "0s"
    if value < 1_000_000_000:
        unit, precision = ("ns", 0) if value < 1_000 else ("µs", 3) if value < 1_000_000 else ("ms", 6)
        whole, fraction = divmod(value, 10**precision)
        return f"{sign}{whole}{_fraction(fraction, precision)}{unit}"
    whole, fraction = divmod(value, 1_000_000_000)
    text = f"{whole % 60}{_fraction(fraction, 9)}s"
    minutes = whole // 60
    if minutes:
        text = f"{minutes % 60}m{text}"
        if minutes // 60:
            text = f"{minutes // 60}h{text}"
    return sign + text


def _fraction(fraction: int, precision: int) -> str:
    digits = f"{fraction:0{precision}d}".rstrip("0") if precision else ""
    return f".{digits}" if digits else ""


def _int_or_string(fields: dict[str, Any]) -> int | str:
    kind = fields.get("type", 0)
    if kind == 0:
        return fields.get("intVal", 0)
    if kind == 1:
        return fields.get("strVal", "")
    raise ProtobufError(f"IntOrString has impossible type {kind}")


def _embedded_json(fields: dict[str, Any]) -> Any:
    raw = fields.get("raw", b"")
    if not raw:
        return None
    if raw.startswith(MAGIC):
        return decode(raw)
    try:
        return json.loads(raw)
    except ValueError as err:
        raise ProtobufError(f"embedded JSON does not parse: {err}") from None


_SPECIAL: dict[str, Callable[[dict[str, Any]], Any]] = {
    "Time": _time,
    "MicroTime": _micro_time,
    "Duration": _duration,
    "Quantity": lambda fields: fields.get("string", "0"),
    "IntOrString": _int_or_string,
    "RawExtension": _embedded_json,
    "FieldsV1": _embedded_json,
    "StringList": lambda fields: fields.get("items", []),
}

_TABLE = """
# built-in messages (apimachinery runtime, resource, intstr and meta/v1 types with custom JSON)
runtime.Unknown
  1 typeMeta runtime.TypeMeta
  2 raw raw
  3 contentEncoding str?
  4 contentType str?
runtime.TypeMeta
  1 apiVersion str?
  2 kind str?
Time
  1 seconds int
  2 nanos int
MicroTime
  1 seconds int
  2 nanos int
Duration
  1 duration int
Quantity
  1 string str
IntOrString
  1 type int
  2 intVal int
  3 strVal str
RawExtension
  1 raw raw
FieldsV1
  1 raw raw
StringList
  1 items []str
# meta: meta/v1 (apimachinery)
meta.Condition
  1 type str
  2 status str
  3 observedGeneration int?
  4 lastTransitionTime Time
  5 reason str
  6 message str
meta.DeleteOptions
  1 gracePeriodSeconds int
  2 preconditions meta.Preconditions
  3 orphanDependents bool
  4 propagationPolicy str
  5 dryRun []str
  6 ignoreStoreReadErrorWithClusterBreakingPotential bool
meta.FieldSelectorRequirement
  1 key str
  2 operator str
  3 values []str
meta.LabelSelector
  1 matchLabels {}str
  2 matchExpressions []meta.LabelSelectorRequirement
meta.LabelSelectorRequirement
  1 key str
  2 operator str
  3 values []str
meta.ManagedFieldsEntry
  1 manager str?
  2 operation str?
  3 apiVersion str?
  4 time Time
  6 fieldsType str?
  7 fieldsV1 FieldsV1
  8 subresource str?
meta.ObjectMeta
  1 name str?
  2 generateName str?
  3 namespace str?
  4 selfLink str?
  5 uid str?
  6 resourceVersion str?
  7 generation int?
  8 creationTimestamp Time?
  9 deletionTimestamp Time
  10 deletionGracePeriodSeconds int
  11 labels {}str
  12 annotations {}str
  13 ownerReferences []meta.OwnerReference
  14 finalizers []str
  17 managedFields []meta.ManagedFieldsEntry
meta.OwnerReference
  5 apiVersion str
  1 kind str
  3 name str
  4 uid str
  6 controller bool
  7 blockOwnerDeletion bool
meta.Preconditions
  1 uid str
  2 resourceVersion str
# core: core/v1
core.AWSElasticBlockStoreVolumeSource
  1 volumeID str
  2 fsType str?
  3 partition int?
  4 readOnly bool?
core.Affinity
  1 nodeAffinity core.NodeAffinity
  2 podAffinity core.PodAffinity
  3 podAntiAffinity core.PodAntiAffinity
core.AppArmorProfile
  1 type str
  2 localhostProfile str
core.AzureDiskVolumeSource
  1 diskName str
  2 diskURI str
  3 cachingMode str
  4 fsType str
  5 readOnly bool
  6 kind str
core.AzureFileVolumeSource
  1 secretName str
  2 shareName str
  3 readOnly bool?
core.CSIVolumeSource
  1 driver str
  2 readOnly bool
  3 fsType str
  4 volumeAttributes {}str
  5 nodePublishSecretRef core.LocalObjectReference
core.Capabilities
  1 add []str
  2 drop []str
core.CephFSVolumeSource
  1 monitors []str
  2 path str?
  3 user str?
  4 secretFile str?
  5 secretRef core.LocalObjectReference
  6 readOnly bool?
core.CinderVolumeSource
  1 volumeID str
  2 fsType str?
  3 readOnly bool?
  4 secretRef core.LocalObjectReference
core.ClientIPConfig
  1 timeoutSeconds int
core.ClusterTrustBundleProjection
  1 name str
  2 signerName str
  3 labelSelector meta.LabelSelector
  5 optional bool
  4 path str
  6 user int
core.ConfigMap
  1 metadata meta.ObjectMeta
  4 immutable bool
  2 data {}str
  3 binaryData {}bytes
core.ConfigMapEnvSource
  1 ... core.LocalObjectReference
  2 optional bool
core.ConfigMapKeySelector
  1 ... core.LocalObjectReference
  2 key str
  3 optional bool
core.ConfigMapProjection
  1 ... core.LocalObjectReference
  2 items []core.KeyToPath
  4 optional bool
core.ConfigMapVolumeSource
  1 ... core.LocalObjectReference
  2 items []core.KeyToPath
  3 defaultMode int
  4 optional bool
  5 defaultUser int
core.Container
  1 name str
  2 image str?
  3 command []str
  4 args []str
  5 workingDir str?
  6 ports []core.ContainerPort
  19 envFrom []core.EnvFromSource
  7 env []core.EnvVar
  8 resources core.ResourceRequirements
  23 resizePolicy []core.ContainerResizePolicy
  24 restartPolicy str
  25 restartPolicyRules []core.ContainerRestartRule
  9 volumeMounts []core.VolumeMount
  21 volumeDevices []core.VolumeDevice
  10 livenessProbe core.Probe
  11 readinessProbe core.Probe
  22 startupProbe core.Probe
  12 lifecycle core.Lifecycle
  13 terminationMessagePath str?
  20 terminationMessagePolicy str?
  14 imagePullPolicy str?
  15 securityContext core.SecurityContext
  16 stdin bool?
  17 stdinOnce bool?
  18 tty bool?
core.ContainerExtendedResourceRequest
  1 containerName str
  2 resourceName str
  3 requestName str
core.ContainerPort
  1 name str?
  2 hostPort int?
  3 containerPort int
  4 protocol str?
  5 hostIP str?
core.ContainerResizePolicy
  1 resourceName str
  2 restartPolicy str
core.ContainerRestartRule
  1 action str?
  2 exitCodes core.ContainerRestartRuleOnExitCodes
core.ContainerRestartRuleOnExitCodes
  1 operator str?
  2 values []int
core.ContainerState
  1 waiting core.ContainerStateWaiting
  2 running core.ContainerStateRunning
  3 terminated core.ContainerStateTerminated
core.ContainerStateRunning
  1 startedAt Time
core.ContainerStateTerminated
  1 exitCode int
  2 signal int?
  3 reason str?
  4 message str?
  5 startedAt Time
  6 finishedAt Time
  7 containerID str?
core.ContainerStateWaiting
  1 reason str?
  2 message str?
core.ContainerStatus
  1 name str
  2 state core.ContainerState
  3 lastState core.ContainerState
  4 ready bool
  5 restartCount int
  6 image str
  7 imageID str
  8 containerID str?
  9 started bool
  10 allocatedResources {}Quantity
  11 resources core.ResourceRequirements
  12 volumeMounts []core.VolumeMountStatus
  13 user core.ContainerUser
  14 allocatedResourcesStatus []core.ResourceStatus
  15 stopSignal str
core.ContainerUser
  1 linux core.LinuxContainerUser
core.DownwardAPIProjection
  1 items []core.DownwardAPIVolumeFile
core.DownwardAPIVolumeFile
  1 path str
  2 fieldRef core.ObjectFieldSelector
  3 resourceFieldRef core.ResourceFieldSelector
  4 mode int
  5 user int
core.DownwardAPIVolumeSource
  1 items []core.DownwardAPIVolumeFile
  2 defaultMode int
  3 defaultUser int
core.EmptyDirVolumeSource
  1 medium str?
  2 sizeLimit Quantity
  3 mode int
core.EnvFromSource
  1 prefix str?
  2 configMapRef core.ConfigMapEnvSource
  3 secretRef core.SecretEnvSource
core.EnvVar
  1 name str
  2 value str?
  3 valueFrom core.EnvVarSource
core.EnvVarSource
  1 fieldRef core.ObjectFieldSelector
  2 resourceFieldRef core.ResourceFieldSelector
  3 configMapKeyRef core.ConfigMapKeySelector
  4 secretKeyRef core.SecretKeySelector
  5 fileKeyRef core.FileKeySelector
core.EphemeralContainer
  1 ... core.EphemeralContainerCommon
  2 targetContainerName str?
core.EphemeralContainerCommon
  1 name str
  2 image str?
  3 command []str
  4 args []str
  5 workingDir str?
  6 ports []core.ContainerPort
  19 envFrom []core.EnvFromSource
  7 env []core.EnvVar
  8 resources core.ResourceRequirements
  23 resizePolicy []core.ContainerResizePolicy
  24 restartPolicy str
  25 restartPolicyRules []core.ContainerRestartRule
  9 volumeMounts []core.VolumeMount
  21 volumeDevices []core.VolumeDevice
  10 livenessProbe core.Probe
  11 readinessProbe core.Probe
  22 startupProbe core.Probe
  12 lifecycle core.Lifecycle
  13 terminationMessagePath str?
  20 terminationMessagePolicy str?
  14 imagePullPolicy str?
  15 securityContext core.SecurityContext
  16 stdin bool?
  17 stdinOnce bool?
  18 tty bool?
core.EphemeralVolumeSource
  1 volumeClaimTemplate core.PersistentVolumeClaimTemplate
core.EvictionResponder
  1 name str
  2 priority int
core.ExecAction
  1 command []str
core.FCVolumeSource
  1 targetWWNs []str
  2 lun int
  3 fsType str?
  4 readOnly bool?
  5 wwids []str
core.FileKeySelector
  1 volumeName str
  2 path str
  3 key str
  4 optional bool
core.FlexVolumeSource
  1 driver str
  2 fsType str?
  3 secretRef core.LocalObjectReference
  4 readOnly bool?
  5 options {}str
core.FlockerVolumeSource
  1 datasetName str?
  2 datasetUUID str?
core.GCEPersistentDiskVolumeSource
  1 pdName str
  2 fsType str?
  3 partition int?
  4 readOnly bool?
core.GRPCAction
  1 port int
  2 service str
  3 mode str
core.GitRepoVolumeSource
  1 repository str
  2 revision str?
  3 directory str?
core.GlusterfsVolumeSource
  1 endpoints str
  2 path str
  3 readOnly bool?
core.HTTPGetAction
  1 path str?
  2 port IntOrString
  3 host str?
  4 scheme str?
  5 httpHeaders []core.HTTPHeader
  6 protocol str
core.HTTPHeader
  1 name str
  2 value str
core.HostAlias
  1 ip str
  2 hostnames []str
core.HostIP
  1 ip str
core.HostPathVolumeSource
  1 path str
  2 type str
core.ISCSIVolumeSource
  1 targetPortal str
  2 iqn str
  3 lun int
  4 iscsiInterface str?
  5 fsType str?
  6 readOnly bool?
  7 portals []str
  8 chapAuthDiscovery bool?
  11 chapAuthSession bool?
  10 secretRef core.LocalObjectReference
  12 initiatorName str
core.ImageVolumeSource
  1 reference str?
  2 pullPolicy str?
core.ImageVolumeStatus
  1 imageRef str?
core.KeyToPath
  1 key str
  2 path str
  3 mode int
  4 user int
core.Lifecycle
  1 postStart core.LifecycleHandler
  2 preStop core.LifecycleHandler
  3 stopSignal str
core.LifecycleHandler
  1 exec core.ExecAction
  2 httpGet core.HTTPGetAction
  3 tcpSocket core.TCPSocketAction
  4 sleep core.SleepAction
core.LinuxContainerUser
  1 uid int
  2 gid int
  3 supplementalGroups []int
core.LoadBalancerIngress
  1 ip str?
  2 hostname str?
  3 ipMode str
  4 ports []core.PortStatus
core.LoadBalancerStatus
  1 ingress []core.LoadBalancerIngress
core.LocalObjectReference
  1 name str?
core.NFSVolumeSource
  1 server str
  2 path str
  3 readOnly bool?
core.Namespace
  1 metadata meta.ObjectMeta
  2 spec core.NamespaceSpec
  3 status core.NamespaceStatus
core.NamespaceCondition
  1 type str
  2 status str
  4 lastTransitionTime Time
  5 reason str?
  6 message str?
core.NamespaceSpec
  1 finalizers []str
core.NamespaceStatus
  1 phase str?
  2 conditions []core.NamespaceCondition
core.NodeAffinity
  1 requiredDuringSchedulingIgnoredDuringExecution core.NodeSelector
  2 preferredDuringSchedulingIgnoredDuringExecution []core.PreferredSchedulingTerm
core.NodeAllocatableMappedResources
  1 name str
  2 quantity Quantity
core.NodeAllocatableOverheadResources
  1 name str
  2 perPod Quantity
  3 perContainer Quantity
core.NodeAllocatableResourceClaimStatus
  1 resourceClaimName str
  2 containers []str
  4 mapping []core.NodeAllocatableMappedResources
  5 overhead []core.NodeAllocatableOverheadResources
core.NodeSelector
  1 nodeSelectorTerms []core.NodeSelectorTerm
core.NodeSelectorRequirement
  1 key str
  2 operator str
  3 values []str
core.NodeSelectorTerm
  1 matchExpressions []core.NodeSelectorRequirement
  2 matchFields []core.NodeSelectorRequirement
core.ObjectFieldSelector
  1 apiVersion str?
  2 fieldPath str
core.ObjectReference
  1 kind str?
  2 namespace str?
  3 name str?
  4 uid str?
  5 apiVersion str?
  6 resourceVersion str?
  7 fieldPath str?
core.PersistentVolumeClaimSpec
  1 accessModes []str
  4 selector meta.LabelSelector
  2 resources core.VolumeResourceRequirements
  3 volumeName str?
  5 storageClassName str
  6 volumeMode str
  7 dataSource core.TypedLocalObjectReference
  8 dataSourceRef core.TypedObjectReference
  9 volumeAttributesClassName str
core.PersistentVolumeClaimTemplate
  1 metadata meta.ObjectMeta
  2 spec core.PersistentVolumeClaimSpec
core.PersistentVolumeClaimVolumeSource
  1 claimName str
  2 readOnly bool?
core.PhotonPersistentDiskVolumeSource
  1 pdID str
  2 fsType str?
core.Pod
  1 metadata meta.ObjectMeta
  2 spec core.PodSpec
  3 status core.PodStatus
core.PodAffinity
  1 requiredDuringSchedulingIgnoredDuringExecution []core.PodAffinityTerm
  2 preferredDuringSchedulingIgnoredDuringExecution []core.WeightedPodAffinityTerm
core.PodAffinityTerm
  1 labelSelector meta.LabelSelector
  2 namespaces []str
  3 topologyKey str
  4 namespaceSelector meta.LabelSelector
  5 matchLabelKeys []str
  6 mismatchLabelKeys []str
core.PodAntiAffinity
  1 requiredDuringSchedulingIgnoredDuringExecution []core.PodAffinityTerm
  2 preferredDuringSchedulingIgnoredDuringExecution []core.WeightedPodAffinityTerm
core.PodCertificateProjection
  1 signerName str?
  2 keyType str?
  3 maxExpirationSeconds int
  4 credentialBundlePath str?
  5 keyPath str?
  6 certificateChainPath str?
  7 userAnnotations {}str
  8 user int
core.PodCondition
  1 type str
  7 observedGeneration int?
  2 status str
  3 lastProbeTime Time
  4 lastTransitionTime Time
  5 reason str?
  6 message str?
core.PodDNSConfig
  1 nameservers []str
  2 searches []str
  3 options []core.PodDNSConfigOption
core.PodDNSConfigOption
  1 name str?
  2 value str
core.PodExtendedResourceClaimStatus
  1 requestMappings []core.ContainerExtendedResourceRequest
  2 resourceClaimName str
core.PodIP
  1 ip str
core.PodOS
  1 name str
core.PodReadinessGate
  1 conditionType str
core.PodResourceClaim
  1 name str
  3 resourceClaimName str
  4 resourceClaimTemplateName str
core.PodResourceClaimStatus
  1 name str
  2 resourceClaimName str
core.PodSchedulingGate
  1 name str
core.PodSchedulingGroup
  1 podGroupName str
core.PodSecurityContext
  1 seLinuxOptions core.SELinuxOptions
  8 windowsOptions core.WindowsSecurityContextOptions
  2 runAsUser int
  6 runAsGroup int
  3 runAsNonRoot bool
  4 supplementalGroups []int
  12 supplementalGroupsPolicy str
  5 fsGroup int
  7 sysctls []core.Sysctl
  9 fsGroupChangePolicy str
  10 seccompProfile core.SeccompProfile
  11 appArmorProfile core.AppArmorProfile
  13 seLinuxChangePolicy str
core.PodSpec
  1 volumes []core.Volume
  20 initContainers []core.Container
  2 containers []core.Container
  34 ephemeralContainers []core.EphemeralContainer
  3 restartPolicy str?
  4 terminationGracePeriodSeconds int
  5 activeDeadlineSeconds int
  6 dnsPolicy str?
  7 nodeSelector {}str
  8 serviceAccountName str?
  9 serviceAccount str?
  21 automountServiceAccountToken bool
  10 nodeName str?
  11 hostNetwork bool?
  12 hostPID bool?
  13 hostIPC bool?
  27 shareProcessNamespace bool
  14 securityContext core.PodSecurityContext
  15 imagePullSecrets []core.LocalObjectReference
  16 hostname str?
  17 subdomain str?
  18 affinity core.Affinity
  19 schedulerName str?
  22 tolerations []core.Toleration
  23 hostAliases []core.HostAlias
  24 priorityClassName str?
  25 priority int
  26 dnsConfig core.PodDNSConfig
  28 readinessGates []core.PodReadinessGate
  29 runtimeClassName str
  30 enableServiceLinks bool
  31 preemptionPolicy str
  32 overhead {}Quantity
  33 topologySpreadConstraints []core.TopologySpreadConstraint
  35 setHostnameAsFQDN bool
  36 os core.PodOS
  37 hostUsers bool
  38 schedulingGates []core.PodSchedulingGate
  39 resourceClaims []core.PodResourceClaim
  40 resources core.ResourceRequirements
  41 hostnameOverride str
  43 schedulingGroup core.PodSchedulingGroup
  44 evictionResponders []core.EvictionResponder
core.PodStatus
  17 observedGeneration int?
  1 phase str?
  2 conditions []core.PodCondition
  3 message str?
  4 reason str?
  11 nominatedNodeName str?
  5 hostIP str?
  16 hostIPs []core.HostIP
  6 podIP str?
  12 podIPs []core.PodIP
  7 startTime Time
  10 initContainerStatuses []core.ContainerStatus
  8 containerStatuses []core.ContainerStatus
  9 qosClass str?
  13 ephemeralContainerStatuses []core.ContainerStatus
  14 resize str?
  15 resourceClaimStatuses []core.PodResourceClaimStatus
  18 extendedResourceClaimStatus core.PodExtendedResourceClaimStatus
  19 allocatedResources {}Quantity
  20 resources core.ResourceRequirements
  21 nodeAllocatableResourceClaimStatuses []core.NodeAllocatableResourceClaimStatus
  22 volumeHealth []core.PodVolumeHealth
core.PodTemplateSpec
  1 metadata meta.ObjectMeta
  2 spec core.PodSpec
core.PodVolumeHealth
  1 name str
  2 healthConditions []core.VolumeHealthCondition
  3 lastTransitionTime Time
core.PortStatus
  1 port int
  2 protocol str
  3 error str
core.PortworxVolumeSource
  1 volumeID str
  2 fsType str?
  3 readOnly bool?
core.PreferredSchedulingTerm
  1 weight int
  2 preference core.NodeSelectorTerm
core.Probe
  1 ... core.ProbeHandler
  2 initialDelaySeconds int?
  3 timeoutSeconds int?
  4 periodSeconds int?
  5 successThreshold int?
  6 failureThreshold int?
  7 terminationGracePeriodSeconds int
core.ProbeHandler
  1 exec core.ExecAction
  2 httpGet core.HTTPGetAction
  3 tcpSocket core.TCPSocketAction
  4 grpc core.GRPCAction
core.ProjectedVolumeSource
  1 sources []core.VolumeProjection
  2 defaultMode int
  3 defaultUser int
core.QuobyteVolumeSource
  1 registry str
  2 volume str
  3 readOnly bool?
  4 user str?
  5 group str?
  6 tenant str?
core.RBDVolumeSource
  1 monitors []str
  2 image str
  3 fsType str?
  4 pool str?
  5 user str?
  6 keyring str?
  7 secretRef core.LocalObjectReference
  8 readOnly bool?
core.ResourceClaim
  1 name str
  2 request str?
core.ResourceFieldSelector
  1 containerName str?
  2 resource str
  3 divisor Quantity
core.ResourceHealth
  1 resourceID str
  2 health str?
  6 message str
core.ResourceQuota
  1 metadata meta.ObjectMeta
  2 spec core.ResourceQuotaSpec
  3 status core.ResourceQuotaStatus
core.ResourceQuotaSpec
  1 hard {}Quantity
  2 scopes []str
  3 scopeSelector core.ScopeSelector
core.ResourceQuotaStatus
  1 hard {}Quantity
  2 used {}Quantity
core.ResourceRequirements
  1 limits {}Quantity
  2 requests {}Quantity
  3 claims []core.ResourceClaim
core.ResourceStatus
  1 name str
  2 resources []core.ResourceHealth
core.SELinuxOptions
  1 user str?
  2 role str?
  3 type str?
  4 level str?
core.ScaleIOVolumeSource
  1 gateway str
  2 system str
  3 secretRef core.LocalObjectReference
  4 sslEnabled bool?
  5 protectionDomain str?
  6 storagePool str?
  7 storageMode str?
  8 volumeName str?
  9 fsType str?
  10 readOnly bool?
core.ScopeSelector
  1 matchExpressions []core.ScopedResourceSelectorRequirement
core.ScopedResourceSelectorRequirement
  1 scopeName str
  2 operator str
  3 values []str
core.SeccompProfile
  1 type str
  2 localhostProfile str
core.Secret
  1 metadata meta.ObjectMeta
  5 immutable bool
  2 data {}bytes
  4 stringData {}str
  3 type str?
core.SecretEnvSource
  1 ... core.LocalObjectReference
  2 optional bool
core.SecretKeySelector
  1 ... core.LocalObjectReference
  2 key str
  3 optional bool
core.SecretProjection
  1 ... core.LocalObjectReference
  2 items []core.KeyToPath
  4 optional bool
core.SecretVolumeSource
  1 secretName str?
  2 items []core.KeyToPath
  3 defaultMode int
  4 optional bool
  5 defaultUser int
core.SecurityContext
  1 capabilities core.Capabilities
  2 privileged bool
  3 seLinuxOptions core.SELinuxOptions
  10 windowsOptions core.WindowsSecurityContextOptions
  4 runAsUser int
  8 runAsGroup int
  5 runAsNonRoot bool
  6 readOnlyRootFilesystem bool
  7 allowPrivilegeEscalation bool
  9 procMount str
  11 seccompProfile core.SeccompProfile
  12 appArmorProfile core.AppArmorProfile
core.Service
  1 metadata meta.ObjectMeta
  2 spec core.ServiceSpec
  3 status core.ServiceStatus
core.ServiceAccount
  1 metadata meta.ObjectMeta
  2 secrets []core.ObjectReference
  3 imagePullSecrets []core.LocalObjectReference
  4 automountServiceAccountToken bool
core.ServiceAccountTokenProjection
  1 audience str?
  2 expirationSeconds int
  3 path str
  4 user int
core.ServicePort
  1 name str?
  2 protocol str?
  6 appProtocol str
  3 port int
  4 targetPort IntOrString
  5 nodePort int?
core.ServiceSpec
  1 ports []core.ServicePort
  2 selector {}str
  3 clusterIP str?
  18 clusterIPs []str
  4 type str?
  5 externalIPs []str
  7 sessionAffinity str?
  8 loadBalancerIP str?
  9 loadBalancerSourceRanges []str
  10 externalName str?
  11 externalTrafficPolicy str?
  12 healthCheckNodePort int?
  13 publishNotReadyAddresses bool?
  14 sessionAffinityConfig core.SessionAffinityConfig
  19 ipFamilies []str
  17 ipFamilyPolicy str
  20 allocateLoadBalancerNodePorts bool
  21 loadBalancerClass str
  22 internalTrafficPolicy str
  23 trafficDistribution str
core.ServiceStatus
  1 loadBalancer core.LoadBalancerStatus
  2 conditions []meta.Condition
core.SessionAffinityConfig
  1 clientIP core.ClientIPConfig
core.SleepAction
  1 seconds int
core.StorageOSVolumeSource
  1 volumeName str?
  2 volumeNamespace str?
  3 fsType str?
  4 readOnly bool?
  5 secretRef core.LocalObjectReference
core.Sysctl
  1 name str
  2 value str
core.TCPSocketAction
  1 port IntOrString
  2 host str?
core.Toleration
  1 key str?
  2 operator str?
  3 value str?
  4 effect str?
  5 tolerationSeconds int
core.TopologySpreadConstraint
  1 maxSkew int
  2 topologyKey str
  3 whenUnsatisfiable str
  4 labelSelector meta.LabelSelector
  5 minDomains int
  6 nodeAffinityPolicy str
  7 nodeTaintsPolicy str
  8 matchLabelKeys []str
core.TypedLocalObjectReference
  1 apiGroup str
  2 kind str
  3 name str
core.TypedObjectReference
  1 apiGroup str
  2 kind str
  3 name str
  4 namespace str
core.Volume
  1 name str
  2 ... core.VolumeSource
core.VolumeDevice
  1 name str
  2 devicePath str
core.VolumeHealthCondition
  1 status str
  2 reason str
  3 message str?
core.VolumeMount
  1 name str
  2 readOnly bool?
  7 recursiveReadOnly str
  3 mountPath str
  4 subPath str?
  5 mountPropagation str
  6 subPathExpr str?
  8 bindMountOptions []str
core.VolumeMountStatus
  1 name str
  2 mountPath str
  3 readOnly bool?
  4 recursiveReadOnly str
  5 volumeStatus core.VolumeStatus
core.VolumeProjection
  1 secret core.SecretProjection
  2 downwardAPI core.DownwardAPIProjection
  3 configMap core.ConfigMapProjection
  4 serviceAccountToken core.ServiceAccountTokenProjection
  5 clusterTrustBundle core.ClusterTrustBundleProjection
  6 podCertificate core.PodCertificateProjection
core.VolumeResourceRequirements
  1 limits {}Quantity
  2 requests {}Quantity
core.VolumeSource
  1 hostPath core.HostPathVolumeSource
  2 emptyDir core.EmptyDirVolumeSource
  3 gcePersistentDisk core.GCEPersistentDiskVolumeSource
  4 awsElasticBlockStore core.AWSElasticBlockStoreVolumeSource
  5 gitRepo core.GitRepoVolumeSource
  6 secret core.SecretVolumeSource
  7 nfs core.NFSVolumeSource
  8 iscsi core.ISCSIVolumeSource
  9 glusterfs core.GlusterfsVolumeSource
  10 persistentVolumeClaim core.PersistentVolumeClaimVolumeSource
  11 rbd core.RBDVolumeSource
  12 flexVolume core.FlexVolumeSource
  13 cinder core.CinderVolumeSource
  14 cephfs core.CephFSVolumeSource
  15 flocker core.FlockerVolumeSource
  16 downwardAPI core.DownwardAPIVolumeSource
  17 fc core.FCVolumeSource
  18 azureFile core.AzureFileVolumeSource
  19 configMap core.ConfigMapVolumeSource
  20 vsphereVolume core.VsphereVirtualDiskVolumeSource
  21 quobyte core.QuobyteVolumeSource
  22 azureDisk core.AzureDiskVolumeSource
  23 photonPersistentDisk core.PhotonPersistentDiskVolumeSource
  26 projected core.ProjectedVolumeSource
  24 portworxVolume core.PortworxVolumeSource
  25 scaleIO core.ScaleIOVolumeSource
  27 storageos core.StorageOSVolumeSource
  28 csi core.CSIVolumeSource
  29 ephemeral core.EphemeralVolumeSource
  30 image core.ImageVolumeSource
core.VolumeStatus
  1 image core.ImageVolumeStatus
core.VsphereVirtualDiskVolumeSource
  1 volumePath str
  2 fsType str?
  3 storagePolicyName str?
  4 storagePolicyID str?
core.WeightedPodAffinityTerm
  1 weight int
  2 podAffinityTerm core.PodAffinityTerm
core.WindowsSecurityContextOptions
  1 gmsaCredentialSpecName str
  2 gmsaCredentialSpec str
  3 runAsUserName str
  4 hostProcess bool
# apps: apps/v1
apps.Deployment
  1 metadata meta.ObjectMeta
  2 spec apps.DeploymentSpec
  3 status apps.DeploymentStatus
apps.DeploymentCondition
  1 type str
  2 status str
  6 lastUpdateTime Time
  7 lastTransitionTime Time
  4 reason str?
  5 message str?
apps.DeploymentSpec
  1 replicas int
  2 selector meta.LabelSelector
  3 template core.PodTemplateSpec
  4 strategy apps.DeploymentStrategy
  5 minReadySeconds int?
  6 revisionHistoryLimit int
  7 paused bool?
  9 progressDeadlineSeconds int
apps.DeploymentStatus
  1 observedGeneration int?
  2 replicas int?
  3 updatedReplicas int?
  7 readyReplicas int?
  4 availableReplicas int?
  5 unavailableReplicas int?
  9 terminatingReplicas int
  6 conditions []apps.DeploymentCondition
  8 collisionCount int
apps.DeploymentStrategy
  1 type str?
  2 rollingUpdate apps.RollingUpdateDeployment
apps.RollingUpdateDeployment
  1 maxUnavailable IntOrString
  2 maxSurge IntOrString
# batch: batch/v1
batch.CronJob
  1 metadata meta.ObjectMeta
  2 spec batch.CronJobSpec
  3 status batch.CronJobStatus
batch.CronJobSpec
  1 schedule str
  8 timeZone str
  2 startingDeadlineSeconds int
  3 concurrencyPolicy str?
  4 suspend bool
  5 jobTemplate batch.JobTemplateSpec
  6 successfulJobsHistoryLimit int
  7 failedJobsHistoryLimit int
batch.CronJobStatus
  1 active []core.ObjectReference
  4 lastScheduleTime Time
  5 lastSuccessfulTime Time
batch.Job
  1 metadata meta.ObjectMeta
  2 spec batch.JobSpec
  3 status batch.JobStatus
batch.JobCondition
  1 type str
  2 status str
  3 lastProbeTime Time
  4 lastTransitionTime Time
  5 reason str?
  6 message str?
batch.JobSchedulingConfiguration
  1 schedulingPolicy sched3.WorkloadPodGroupSchedulingPolicy
  2 schedulingConstraints sched3.WorkloadPodGroupSchedulingConstraints
  3 disruptionMode sched3.WorkloadPodGroupDisruptionMode
  4 resourceClaims []sched3.WorkloadPodGroupResourceClaim
batch.JobSpec
  1 parallelism int
  2 completions int
  3 activeDeadlineSeconds int
  11 podFailurePolicy batch.PodFailurePolicy
  16 successPolicy batch.SuccessPolicy
  7 backoffLimit int
  12 backoffLimitPerIndex int
  13 maxFailedIndexes int
  4 selector meta.LabelSelector
  5 manualSelector bool
  6 template core.PodTemplateSpec
  8 ttlSecondsAfterFinished int
  9 completionMode str
  10 suspend bool
  14 podReplacementPolicy str
  15 managedBy str
  17 scheduling batch.JobSchedulingConfiguration
batch.JobStatus
  1 conditions []batch.JobCondition
  2 startTime Time
  3 completionTime Time
  4 active int?
  5 succeeded int?
  6 failed int?
  11 terminating int
  7 completedIndexes str?
  10 failedIndexes str
  8 uncountedTerminatedPods batch.UncountedTerminatedPods
  9 ready int
batch.JobTemplateSpec
  1 metadata meta.ObjectMeta
  2 spec batch.JobSpec
batch.PodFailurePolicy
  1 rules []batch.PodFailurePolicyRule
batch.PodFailurePolicyOnExitCodesRequirement
  1 containerName str
  2 operator str
  3 values []int
batch.PodFailurePolicyOnPodConditionsPattern
  1 type str
  2 status str
batch.PodFailurePolicyRule
  1 action str
  2 onExitCodes batch.PodFailurePolicyOnExitCodesRequirement
  3 onPodConditions []batch.PodFailurePolicyOnPodConditionsPattern
batch.SuccessPolicy
  1 rules []batch.SuccessPolicyRule
batch.SuccessPolicyRule
  1 succeededIndexes str
  2 succeededCount int
batch.UncountedTerminatedPods
  1 succeeded []str
  2 failed []str
# as1: autoscaling/v1
as1.CrossVersionObjectReference
  1 kind str
  2 name str
  3 apiVersion str?
as1.HorizontalPodAutoscaler
  1 metadata meta.ObjectMeta
  2 spec as1.HorizontalPodAutoscalerSpec
  3 status as1.HorizontalPodAutoscalerStatus
as1.HorizontalPodAutoscalerSpec
  1 scaleTargetRef as1.CrossVersionObjectReference
  2 minReplicas int
  3 maxReplicas int
  4 targetCPUUtilizationPercentage int
as1.HorizontalPodAutoscalerStatus
  1 observedGeneration int
  2 lastScaleTime Time
  3 currentReplicas int
  4 desiredReplicas int
  5 currentCPUUtilizationPercentage int
# as2: autoscaling/v2
as2.ContainerResourceMetricSource
  1 name str
  2 target as2.MetricTarget
  3 container str
as2.ContainerResourceMetricStatus
  1 name str
  2 current as2.MetricValueStatus
  3 container str
as2.CrossVersionObjectReference
  1 kind str
  2 name str
  3 apiVersion str?
as2.ExternalMetricSource
  1 metric as2.MetricIdentifier
  2 target as2.MetricTarget
as2.ExternalMetricStatus
  1 metric as2.MetricIdentifier
  2 current as2.MetricValueStatus
as2.HPAScalingPolicy
  1 type str
  2 value int
  3 periodSeconds int
as2.HPAScalingRules
  3 stabilizationWindowSeconds int
  1 selectPolicy str
  2 policies []as2.HPAScalingPolicy
  4 tolerance Quantity
as2.HorizontalPodAutoscaler
  1 metadata meta.ObjectMeta
  2 spec as2.HorizontalPodAutoscalerSpec
  3 status as2.HorizontalPodAutoscalerStatus
as2.HorizontalPodAutoscalerBehavior
  1 scaleUp as2.HPAScalingRules
  2 scaleDown as2.HPAScalingRules
as2.HorizontalPodAutoscalerCondition
  1 type str
  2 status str
  3 lastTransitionTime Time
  4 reason str?
  5 message str?
  6 observedGeneration int
as2.HorizontalPodAutoscalerSpec
  1 scaleTargetRef as2.CrossVersionObjectReference
  2 minReplicas int
  3 maxReplicas int
  4 metrics []as2.MetricSpec
  5 behavior as2.HorizontalPodAutoscalerBehavior
as2.HorizontalPodAutoscalerStatus
  1 observedGeneration int
  2 lastScaleTime Time
  3 currentReplicas int?
  4 desiredReplicas int
  5 currentMetrics []as2.MetricStatus
  6 conditions []as2.HorizontalPodAutoscalerCondition
as2.MetricIdentifier
  1 name str
  2 selector meta.LabelSelector
as2.MetricSpec
  1 type str
  2 object as2.ObjectMetricSource
  3 pods as2.PodsMetricSource
  4 resource as2.ResourceMetricSource
  7 containerResource as2.ContainerResourceMetricSource
  5 external as2.ExternalMetricSource
as2.MetricStatus
  1 type str
  2 object as2.ObjectMetricStatus
  3 pods as2.PodsMetricStatus
  4 resource as2.ResourceMetricStatus
  7 containerResource as2.ContainerResourceMetricStatus
  5 external as2.ExternalMetricStatus
as2.MetricTarget
  1 type str
  2 value Quantity
  3 averageValue Quantity
  4 averageUtilization int
as2.MetricValueStatus
  1 value Quantity
  2 averageValue Quantity
  3 averageUtilization int
as2.ObjectMetricSource
  1 describedObject as2.CrossVersionObjectReference
  2 target as2.MetricTarget
  3 metric as2.MetricIdentifier
as2.ObjectMetricStatus
  1 metric as2.MetricIdentifier
  2 current as2.MetricValueStatus
  3 describedObject as2.CrossVersionObjectReference
as2.PodsMetricSource
  1 metric as2.MetricIdentifier
  2 target as2.MetricTarget
as2.PodsMetricStatus
  1 metric as2.MetricIdentifier
  2 current as2.MetricValueStatus
as2.ResourceMetricSource
  1 name str
  2 target as2.MetricTarget
as2.ResourceMetricStatus
  1 name str
  2 current as2.MetricValueStatus
# authn: authentication.k8s.io/v1
authn.BoundObjectReference
  1 kind str?
  2 apiVersion str?
  3 name str?
  4 uid str?
authn.SelfSubjectReview
  1 metadata meta.ObjectMeta
  2 status authn.SelfSubjectReviewStatus
authn.SelfSubjectReviewStatus
  1 userInfo authn.UserInfo
authn.TokenRequest
  1 metadata meta.ObjectMeta
  2 spec authn.TokenRequestSpec
  3 status authn.TokenRequestStatus
authn.TokenRequestSpec
  1 audiences []str
  4 expirationSeconds int
  3 boundObjectRef authn.BoundObjectReference
  5 attestations {}StringList
authn.TokenRequestStatus
  1 token str
  2 expirationTimestamp Time
authn.UserInfo
  1 username str?
  2 uid str?
  3 groups []str
  4 extra {}StringList
# authz: authorization.k8s.io/v1
authz.FieldSelectorAttributes
  1 rawSelector str?
  2 requirements []meta.FieldSelectorRequirement
authz.LabelSelectorAttributes
  1 rawSelector str?
  2 requirements []meta.LabelSelectorRequirement
authz.LocalSubjectAccessReview
  1 metadata meta.ObjectMeta
  2 spec authz.SubjectAccessReviewSpec
  3 status authz.SubjectAccessReviewStatus
authz.NonResourceAttributes
  1 path str?
  2 verb str?
authz.NonResourceRule
  1 verbs []str
  2 nonResourceURLs []str
authz.ResourceAttributes
  1 namespace str?
  2 verb str?
  3 group str?
  4 version str?
  5 resource str?
  6 subresource str?
  7 name str?
  8 fieldSelector authz.FieldSelectorAttributes
  9 labelSelector authz.LabelSelectorAttributes
authz.ResourceRule
  1 verbs []str
  2 apiGroups []str
  3 resources []str
  4 resourceNames []str
authz.SelfSubjectAccessReview
  1 metadata meta.ObjectMeta
  2 spec authz.SelfSubjectAccessReviewSpec
  3 status authz.SubjectAccessReviewStatus
authz.SelfSubjectAccessReviewSpec
  1 resourceAttributes authz.ResourceAttributes
  2 nonResourceAttributes authz.NonResourceAttributes
authz.SelfSubjectRulesReview
  1 metadata meta.ObjectMeta
  2 spec authz.SelfSubjectRulesReviewSpec
  3 status authz.SubjectRulesReviewStatus
authz.SelfSubjectRulesReviewSpec
  1 namespace str?
authz.SubjectAccessReview
  1 metadata meta.ObjectMeta
  2 spec authz.SubjectAccessReviewSpec
  3 status authz.SubjectAccessReviewStatus
authz.SubjectAccessReviewSpec
  1 resourceAttributes authz.ResourceAttributes
  2 nonResourceAttributes authz.NonResourceAttributes
  3 user str?
  4 groups []str
  5 extra {}StringList
  6 uid str?
authz.SubjectAccessReviewStatus
  1 allowed bool
  4 denied bool?
  2 reason str?
  3 evaluationError str?
authz.SubjectRulesReviewStatus
  1 resourceRules []authz.ResourceRule
  2 nonResourceRules []authz.NonResourceRule
  3 incomplete bool
  4 evaluationError str?
# certs: certificates.k8s.io/v1
certs.CertificateSigningRequest
  1 metadata meta.ObjectMeta
  2 spec certs.CertificateSigningRequestSpec
  3 status certs.CertificateSigningRequestStatus
certs.CertificateSigningRequestCondition
  1 type str
  6 status str
  2 reason str?
  3 message str?
  4 lastUpdateTime Time
  5 lastTransitionTime Time
certs.CertificateSigningRequestSpec
  1 request bytes
  7 signerName str
  8 expirationSeconds int
  5 usages []str
  2 username str?
  3 uid str?
  4 groups []str
  6 extra {}StringList
certs.CertificateSigningRequestStatus
  1 conditions []certs.CertificateSigningRequestCondition
  2 certificate bytes?
# net: networking.k8s.io/v1
net.HTTPIngressPath
  1 path str?
  3 pathType str
  2 backend net.IngressBackend
net.HTTPIngressRuleValue
  1 paths []net.HTTPIngressPath
net.Ingress
  1 metadata meta.ObjectMeta
  2 spec net.IngressSpec
  3 status net.IngressStatus
net.IngressBackend
  4 service net.IngressServiceBackend
  3 resource core.TypedLocalObjectReference
net.IngressLoadBalancerIngress
  1 ip str?
  2 hostname str?
  4 ports []net.IngressPortStatus
net.IngressLoadBalancerStatus
  1 ingress []net.IngressLoadBalancerIngress
net.IngressPortStatus
  1 port int
  2 protocol str
  3 error str
net.IngressRule
  1 host str?
  2 ... net.IngressRuleValue
net.IngressRuleValue
  1 http net.HTTPIngressRuleValue
net.IngressServiceBackend
  1 name str
  2 port net.ServiceBackendPort
net.IngressSpec
  4 ingressClassName str
  1 defaultBackend net.IngressBackend
  2 tls []net.IngressTLS
  3 rules []net.IngressRule
net.IngressStatus
  1 loadBalancer net.IngressLoadBalancerStatus
net.IngressTLS
  1 hosts []str
  2 secretName str?
net.ServiceBackendPort
  1 name str?
  2 number int?
# policy: policy/v1
policy.Eviction
  1 metadata meta.ObjectMeta
  2 deleteOptions meta.DeleteOptions
policy.PodDisruptionBudget
  1 metadata meta.ObjectMeta
  2 spec policy.PodDisruptionBudgetSpec
  3 status policy.PodDisruptionBudgetStatus
policy.PodDisruptionBudgetSpec
  1 minAvailable IntOrString
  2 selector meta.LabelSelector
  3 maxUnavailable IntOrString
  4 unhealthyPodEvictionPolicy str
policy.PodDisruptionBudgetStatus
  1 observedGeneration int?
  2 disruptedPods {}Time
  3 disruptionsAllowed int
  4 currentHealthy int
  5 desiredHealthy int
  6 expectedPods int
  7 conditions []meta.Condition
# rbac: rbac.authorization.k8s.io/v1
rbac.AggregationRule
  1 clusterRoleSelectors []meta.LabelSelector
rbac.ClusterRole
  1 metadata meta.ObjectMeta
  2 rules []rbac.PolicyRule
  3 aggregationRule rbac.AggregationRule
rbac.ClusterRoleBinding
  1 metadata meta.ObjectMeta
  2 subjects []rbac.Subject
  3 roleRef rbac.RoleRef
rbac.PolicyRule
  1 verbs []str
  2 apiGroups []str
  3 resources []str
  4 resourceNames []str
  5 nonResourceURLs []str
rbac.Role
  1 metadata meta.ObjectMeta
  2 rules []rbac.PolicyRule
rbac.RoleBinding
  1 metadata meta.ObjectMeta
  2 subjects []rbac.Subject
  3 roleRef rbac.RoleRef
rbac.RoleRef
  1 apiGroup str
  2 kind str
  3 name str
rbac.Subject
  1 kind str
  2 apiGroup str?
  3 name str
  4 namespace str?
# sched: scheduling.k8s.io/v1
sched.PriorityClass
  1 metadata meta.ObjectMeta
  2 value int
  3 globalDefault bool?
  4 description str?
  5 preemptionPolicy str
# sched3: scheduling.k8s.io/v1alpha3 (referenced by batch/v1 Job)
sched3.TopologyConstraint
  1 key str
sched3.WorkloadPodGroupAllDisruptionMode
sched3.WorkloadPodGroupBasicSchedulingPolicy
sched3.WorkloadPodGroupDisruptionMode
  1 single sched3.WorkloadPodGroupSingleDisruptionMode
  2 all sched3.WorkloadPodGroupAllDisruptionMode
sched3.WorkloadPodGroupGangSchedulingPolicy
  1 minCount int
sched3.WorkloadPodGroupResourceClaim
  1 name str
  2 resourceClaimName str
  3 resourceClaimTemplateName str
sched3.WorkloadPodGroupSchedulingConstraints
  1 topology []sched3.TopologyConstraint
sched3.WorkloadPodGroupSchedulingPolicy
  1 basic sched3.WorkloadPodGroupBasicSchedulingPolicy
  2 gang sched3.WorkloadPodGroupGangSchedulingPolicy
sched3.WorkloadPodGroupSingleDisruptionMode
"""

_MESSAGES = _parse_table(_TABLE)
_ORDER = {name: {number: i for i, number in enumerate(fields)} for name, fields in _MESSAGES.items()}
if missing := set(_KINDS.values()) - set(_MESSAGES):
    raise ValueError(f"schema table lacks root messages {sorted(missing)}")
