"""Type schemas for API objects: declared once, used for decoding, OpenAPI and patching.

A kind's schema is a tree of `Schema` nodes in OpenAPI terms (type, format, properties,
items, additionalProperties) plus the Kubernetes extensions clients and the server rely
on: list types and map keys (server-side apply), patch strategies and merge keys
(strategic merge patch), int-or-string, preserve-unknown-fields, and the
group-version-kinds of top-level kinds. Named structs (`Schema.name`, e.g.
`io.k8s.api.core.v1.Pod`) become OpenAPI components; other nodes are inline.

`decode()` checks a JSON-decoded object against its schema the way the API server's typed
decoder does: JSON type mismatches are errors; unknown fields are reported (the caller
turns them into a strict-decoding error or warnings) and removed; values are normalised to
their canonical wire form (integers that arrived as 3.0, quantities that arrived as
numbers, timestamps in RFC 3339 UTC; nulls, empty strings, maps and lists in optional
fields dropped, as Go's `omitempty` does), so every client reads back what Kubernetes
would send.
"""

from __future__ import annotations

import binascii
import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from pyk8s.api import quantity as _quantities

# The JSON types of the wire, as Go's decoder names them in its messages.
_JSON_TYPE_NAMES = {
    dict: "object",
    list: "array",
    str: "string",
    bool: "bool",
    int: "number",
    float: "number",
}


@dataclass(eq=False)
class Schema:
    """One node of a type schema (see the module docstring)."""

    type: str = ""  # string | integer | number | boolean | object | array | "" (anything)
    format: str = ""  # int32 | int64 | double | byte | date-time | int-or-string | quantity | ...
    description: str = ""
    name: str = ""  # component name for named structs and special types
    go_name: str = ""  # the Go type name, for decode error messages (PodSpec, ObjectMeta, ...)
    properties: dict[str, Schema] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    additional: Schema | None = None  # map values
    items: Schema | None = None  # array items
    ref: Schema | None = None  # a property that points at a named struct
    list_type: str = ""  # atomic | set | map
    map_keys: tuple[str, ...] = ()
    map_type: str = ""  # atomic | granular
    struct_type: str = ""  # atomic | granular
    patch_strategy: str = ""  # merge | retainKeys | merge,retainKeys | replace
    patch_merge_key: str = ""
    int_or_string: bool = False
    preserve_unknown: bool = False
    embedded_resource: bool = False
    enum: tuple[Any, ...] = ()
    default: Any = None
    gvks: tuple[dict[str, str], ...] = ()  # on top-level kinds
    # OpenAPI v3 only: the JSON types a value may take, served as `oneOf` in place of `type`
    # (Quantity and IntOrString, as kube-openapi serves them; kubectl explain then names them).
    one_of: tuple[str, ...] = ()

    @property
    def target(self) -> Schema:
        """Follow a reference to the named struct it points at."""
        node = self
        while node.ref is not None:
            node = node.ref
        return node

    def prop(self, name: str) -> Schema | None:
        """The schema of property `name` of this struct (following references)."""
        return self.target.properties.get(name)

    def walk_named(self) -> Iterator[Schema]:
        """Every named struct reachable from here, each once."""
        seen: set[int] = set()
        stack: list[Schema] = [self]
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if node.name:
                yield node
            stack.extend(node.properties.values())
            for child in (node.additional, node.items, node.ref):
                if child is not None:
                    stack.append(child)


# builders, for readable type declarations


def string(
    description: str = "", *, enum: tuple[str, ...] = (), format: str = "", default: Any = None
) -> Schema:
    return Schema(type="string", description=description, enum=enum, format=format, default=default)


def integer(description: str = "", *, format: str = "int32", default: Any = None) -> Schema:
    return Schema(type="integer", format=format, description=description, default=default)


def int64(description: str = "", *, default: Any = None) -> Schema:
    return integer(description, format="int64", default=default)


def number(description: str = "") -> Schema:
    return Schema(type="number", format="double", description=description)


def boolean(description: str = "", *, default: Any = None) -> Schema:
    return Schema(type="boolean", description=description, default=default)


def byte_string(description: str = "", *, list_type: str = "") -> Schema:
    """Base64 bytes; `list_type` where Kubernetes marks the []byte field (`+listType=atomic`)."""
    return Schema(type="string", format="byte", description=description, list_type=list_type)


def any_value(description: str = "") -> Schema:
    """Any JSON value, kept as sent (x-kubernetes-preserve-unknown-fields)."""
    return Schema(description=description, preserve_unknown=True)


def ref(target: Schema, description: str = "", **extensions: Any) -> Schema:
    """A property whose value is the named struct `target`."""
    return Schema(ref=target, description=description, **extensions)


def list_of(
    items: Schema,
    description: str = "",
    *,
    list_type: str = "atomic",
    map_keys: tuple[str, ...] = (),
    patch_strategy: str = "",
    merge_key: str = "",
) -> Schema:
    if items.name:
        items = ref(items)
    return Schema(
        type="array",
        items=items,
        description=description,
        list_type=list_type,
        map_keys=map_keys,
        patch_strategy=patch_strategy,
        patch_merge_key=merge_key,
    )


def map_of(values: Schema, description: str = "", *, map_type: str = "") -> Schema:
    if values.name:
        values = ref(values)
    return Schema(type="object", additional=values, description=description, map_type=map_type)


def struct(
    name: str,
    description: str,
    /,
    *,
    go_name: str = "",
    required: tuple[str, ...] = (),
    gvk: tuple[str, str, str] | None = None,
    struct_type: str = "",
    props: dict[str, Schema] | None = None,
    **properties: Schema,
) -> Schema:
    """A named struct; `gvk=(group, version, kind)` marks a top-level kind.

    Properties come as keyword arguments, or in `props` for names that clash with the options.
    """
    props = {k: (ref(v) if v.name else v) for k, v in {**(props or {}), **properties}.items()}
    gvks = ({"group": gvk[0], "version": gvk[1], "kind": gvk[2]},) if gvk else ()
    return Schema(
        type="object",
        name=name,
        description=description,
        go_name=go_name or name.rsplit(".", 1)[-1],
        properties=props,
        required=required,
        gvks=gvks,
        struct_type=struct_type,
    )


def define(target: Schema, **properties: Schema) -> Schema:
    """Give a struct declared earlier its properties (for recursive types)."""
    target.properties.update({k: (ref(v) if v.name else v) for k, v in properties.items()})
    return target


def extend(base: Schema, name: str, description: str, **changes: Any) -> Schema:
    """A copy of struct `base` under another name, with some properties added or replaced."""
    props = dict(base.properties)
    gvk = changes.pop("gvk", None)
    props.update({k: (ref(v) if v.name else v) for k, v in changes.pop("properties", {}).items()})
    gvks = ({"group": gvk[0], "version": gvk[1], "kind": gvk[2]},) if gvk else base.gvks
    return replace(base, name=name, description=description, properties=props, gvks=gvks, **changes)


# special scalar types, as named schemas (they appear as components in OpenAPI)

QUANTITY = Schema(
    type="string",
    format="quantity",
    one_of=("string", "number"),
    name="io.k8s.apimachinery.pkg.api.resource.Quantity",
    go_name="Quantity",
    description="A fixed-point number with an optional suffix: 100m, 2, 1.5Gi, 500M, 1e3.",
)
INT_OR_STRING = Schema(
    type="string",
    format="int-or-string",
    one_of=("integer", "string"),
    int_or_string=True,
    go_name="IntOrString",
    name="io.k8s.apimachinery.pkg.util.intstr.IntOrString",
    description="Either an integer or a string (such as a port number or a port name).",
)
TIME = Schema(
    type="string",
    format="date-time",
    name="io.k8s.apimachinery.pkg.apis.meta.v1.Time",
    go_name="Time",
    description="A timestamp in RFC 3339 form, UTC, to the second.",
)
MICRO_TIME = Schema(
    type="string",
    format="date-time",
    name="io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime",
    go_name="MicroTime",
    description="A timestamp in RFC 3339 form, UTC, to the microsecond.",
)
RAW_EXTENSION = Schema(
    type="object",
    preserve_unknown=True,
    name="io.k8s.apimachinery.pkg.runtime.RawExtension",
    go_name="RawExtension",
    description="An embedded object, kept as sent.",
)
FIELDS_V1 = Schema(
    type="object",
    preserve_unknown=True,
    name="io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1",
    go_name="FieldsV1",
    description="A set of field paths, in the FieldsV1 trie format.",
)


# decoding


class DecodeError(ValueError):
    """The object does not fit its schema (a JSON type mismatch)."""


@dataclass
class DecodeResult:
    unknown: list[str] = field(default_factory=list)  # paths of unknown fields, e.g. spec.foo


def decode(obj: dict[str, Any], schema: Schema) -> DecodeResult:
    """Check and normalise `obj` in place against `schema` (see the module docstring).

    Raises `DecodeError` on the first type mismatch; returns the unknown fields (removed).
    """
    result = DecodeResult()
    _struct(obj, _plan(schema), [], result)
    return result


# Decoding runs on every write, over every field: schemas are compiled once into plans
# (one per resolved node, shared, recursion-safe) and walked with type codes, and field
# paths are only spelled out when something needs reporting.
(_ANY, _STRUCT, _MAP, _LIST, _STR, _INT, _NUM, _BOOL, _INTSTR, _QTY, _TIME, _MTIME, _BYTES) = range(13)


class _Plan:
    __slots__ = ("code", "go", "item", "preserve", "props", "required", "schema")

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.code = _ANY
        self.go = ""
        self.item: _Plan | None = None
        self.preserve = False
        self.props: dict[str, _Plan] = {}
        self.required: frozenset[str] = frozenset()


_PLANS: dict[int, _Plan] = {}


def _plan(node: Schema) -> _Plan:
    target = node.target
    plan = _PLANS.get(id(target))
    if plan is not None:
        return plan
    plan = _PLANS[id(target)] = _Plan(target)
    plan.go = _go_type(target)
    plan.preserve = target.preserve_unknown
    if target.int_or_string:
        plan.code = _INTSTR
    elif target.format == "quantity":
        plan.code = _QTY
    elif target.preserve_unknown and not target.properties:
        plan.code = _ANY
    elif target.type == "object":
        if target.additional is not None:
            plan.code, plan.item = _MAP, _plan(target.additional)
        else:
            plan.code = _STRUCT
            plan.props = {k: _plan(v) for k, v in target.properties.items()}
            plan.required = frozenset(target.required)
    elif target.type == "array":
        plan.code = _LIST
        plan.item = _plan(target.items) if target.items is not None else None
    elif target.type == "string":
        if target.format == "date-time":
            plan.code = _MTIME if target is MICRO_TIME else _TIME
        else:
            plan.code = _BYTES if target.format == "byte" else _STR
    elif target.type == "integer":
        plan.code = _INT
    elif target.type == "number":
        plan.code = _NUM
    elif target.type == "boolean":
        plan.code = _BOOL
    return plan


def _spell(path: list[str], last: str = "") -> str:
    out = ""
    for part in (*path, last) if last else path:
        if part.startswith("["):
            out += part
        else:
            out = f"{out}.{part}" if out else part
    return out


def _struct(obj: dict[str, Any], plan: _Plan, path: list[str], result: DecodeResult) -> None:
    props = plan.props
    drop: list[str] | None = None
    for key, value in obj.items():
        sub = props.get(key)
        if sub is None:
            if not plan.preserve:
                result.unknown.append(_spell(path, key))
                drop = drop or []
                drop.append(key)
            continue
        if value is None:
            drop = drop or []
            drop.append(key)  # null means "unset" for an optional field
            continue
        code = sub.code
        if code == _STR:
            if type(value) is not str:
                raise _mismatch(value, plan, path, key, sub.go)
            if not value and key not in plan.required:
                drop = drop or []
                drop.append(key)  # an empty optional string is "unset", and is not written back
        elif code == _BOOL:
            if type(value) is not bool:
                raise _mismatch(value, plan, path, key, "bool")
        elif code == _INT:
            if type(value) is not int:
                obj[key] = _integer(value, plan, path, key, sub)
        elif code == _STRUCT:
            if type(value) is not dict:
                raise _mismatch(value, plan, path, key, sub.go)
            path.append(key)
            _struct(value, sub, path, result)
            path.pop()
        elif code != _ANY:
            path.append(key)
            new = _value(value, sub, path, result, plan)
            path.pop()
            if new is not value:
                obj[key] = new
            if code in (_MAP, _LIST) and not new and key not in plan.required:
                drop = drop or []
                drop.append(key)  # empty maps and lists are omitted, as Go's omitempty does
    if drop:
        for key in drop:
            del obj[key]


def _integer(value: Any, parent: _Plan, path: list[str], key: str, sub: _Plan) -> int:
    if isinstance(value, float):
        return _integral(value, _where(parent, path, key))
    raise _mismatch(value, parent, path, key, sub.schema.format or "int")


def _value(value: Any, plan: _Plan, path: list[str], result: DecodeResult, parent: _Plan) -> Any:
    """Decode a non-trivial value at `path` (its last segment is the field or index)."""
    code = plan.code
    if code == _STRUCT:
        if type(value) is not dict:
            raise _mismatch(value, parent, path[:-1], path[-1], plan.go)
        _struct(value, plan, path, result)
        return value
    if code == _LIST:
        if type(value) is not list:
            raise _mismatch(value, parent, path[:-1], path[-1], plan.go)
        item = plan.item
        if item is not None and item.code != _ANY:
            for i, element in enumerate(value):
                if element is None:
                    continue
                path.append(f"[{i}]")
                new = _value(element, item, path, result, parent)
                path.pop()
                if new is not element:
                    value[i] = new
        return value
    if code == _MAP:
        if type(value) is not dict:
            raise _mismatch(value, parent, path[:-1], path[-1], plan.go)
        item = plan.item
        if item is not None and item.code != _ANY:
            for k, v in value.items():
                if v is None:
                    continue
                path.append(f"[{k}]")
                new = _value(v, item, path, result, parent)
                path.pop()
                if new is not v:
                    value[k] = new
        return value
    if code == _STR:
        if type(value) is not str:
            raise _mismatch(value, parent, path[:-1], path[-1], plan.go)
        return value
    if code == _INT:
        if type(value) is int:
            return value
        return _integer(value, parent, path[:-1], path[-1], plan)
    if code == _BOOL:
        if type(value) is not bool:
            raise _mismatch(value, parent, path[:-1], path[-1], "bool")
        return value
    if code == _NUM:
        if type(value) not in (int, float):
            raise _mismatch(value, parent, path[:-1], path[-1], "float64")
        return value
    if code == _INTSTR:
        if type(value) is str or type(value) is int:
            return value
        if type(value) is float:
            return _integral(value, _where(parent, path[:-1], path[-1]))
        raise _mismatch(value, parent, path[:-1], path[-1], "intstr.IntOrString")
    if code == _QTY:
        return _quantity(value, parent, path)
    if code == _BYTES:
        if type(value) is not str:
            raise _mismatch(value, parent, path[:-1], path[-1], "[]uint8")
        problem = base64_problem(value)
        if problem:
            raise DecodeError(problem)
        return value
    if code in (_TIME, _MTIME):
        if type(value) is not str:
            raise _mismatch(value, parent, path[:-1], path[-1], plan.go)
        if code == _TIME and len(value) == 20 and value[10] == "T" and value[19] == "Z":
            return value  # already canonical: YYYY-MM-DDTHH:MM:SSZ
        return canonical_time(value, micro=code == _MTIME, where=_where(parent, path[:-1], path[-1]))
    return value


def _where(parent: _Plan, path: list[str], key: str) -> str:
    return f"{parent.go}.{_spell(path, key)}"


def _mismatch(value: Any, parent: _Plan, path: list[str], key: str, go_type: str) -> DecodeError:
    got = _JSON_TYPE_NAMES.get(type(value), "value")
    return DecodeError(
        f"json: cannot unmarshal {got} into Go struct field {_where(parent, path, key)} of type {go_type}"
    )


def _go_type(node: Schema) -> str:
    node = node.target
    if node.go_name:
        return node.go_name
    if node.type == "array":
        return "[]" + _go_type(node.items) if node.items else "[]interface {}"
    if node.type == "object" and node.additional is not None:
        return "map[string]" + _go_type(node.additional)
    return {
        "string": "string",
        "boolean": "bool",
        "number": "float64",
        "object": "map[string]interface {}",
    }.get(node.type, node.format if node.type == "integer" else "interface {}")


def _integral(value: float, where: str) -> int:
    if not math.isfinite(value) or value != int(value):
        raise DecodeError(f"json: cannot unmarshal number {value} into Go struct field {where} of type int64")
    return int(value)


def _quantity(
    value: Any,
    parent: _Plan,
    path: list[str],
) -> str:
    """A quantity is checked and written back in canonical form, as kube-apiserver does: `"0.5Gi"` ->
    `"512Mi"`, and a JSON number becomes its canonical string (0.5 -> `"500m"`). Recently seen values
    are answered from a small cache in `pyk8s.api.quantity.canonical`."""
    try:
        return _quantities.canonical(value)
    except _quantities.QuantityError as err:
        raise DecodeError(f"{err} ({_where(parent, path[:-1], path[-1])})") from None


_B64_ALPHABET = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


def base64_problem(value: str) -> str:
    """Go's error for a `[]byte` field that is not padded standard base64 ("" when it is).

    Go skips CR and LF anywhere and reports the offset of the first bad byte, or of the start of
    a quantum cut short, in the original text.
    """
    data = value.encode()
    stripped = data.replace(b"\n", b"").replace(b"\r", b"") if b"\n" in data or b"\r" in data else data
    try:
        binascii.a2b_base64(stripped, strict_mode=True)
        return ""
    except binascii.Error:
        pass
    offset = _go_base64_error(data)
    return "" if offset is None else f"illegal base64 data at input byte {offset}"


def _go_base64_error(src: bytes) -> int | None:
    """The offset Go's padded standard decoder reports for `src`, or None if it decodes."""
    si, size = 0, len(src)
    while True:
        j = 0
        while j < 4:
            if si == size:
                return None if j == 0 else si - j
            char = src[si]
            si += 1
            if char in _B64_ALPHABET:
                j += 1
            elif char in (10, 13):
                continue
            elif char == 61:  # "=": padding, which ends the input
                if j < 2:
                    return si - 1
                if j == 2:  # a second "=" must follow
                    while si < size and src[si] in (10, 13):
                        si += 1
                    if si == size:
                        return size
                    if src[si] != 61:
                        return si - 1
                    si += 1
                while si < size and src[si] in (10, 13):
                    si += 1
                return si if si < size else None
            else:
                return si - 1


def canonical_time(value: str, *, micro: bool = False, where: str = "") -> str:
    """RFC 3339 in UTC with `Z`: seconds for Time, microseconds for MicroTime."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        raise DecodeError(f'parsing time "{value}" as RFC 3339 failed ({where})') from None
    if parsed.tzinfo is None:
        raise DecodeError(f'parsing time "{value}": missing time zone ({where})')
    parsed = parsed.astimezone(dt.UTC)
    if micro:
        return parsed.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return parsed.strftime("%Y-%m-%dT%H:%M:%SZ")


# OpenAPI v3


def openapi_components(roots: list[Schema]) -> dict[str, Any]:
    """`components.schemas` for every named struct reachable from `roots`."""
    out: dict[str, Any] = {}
    for root in roots:
        for node in root.walk_named():
            if node.name not in out:
                out[node.name] = to_openapi(node, top=True)
    return dict(sorted(out.items()))


def to_openapi(node: Schema, *, top: bool = False) -> dict[str, Any]:
    """The OpenAPI v3 form of one node; named structs below the top become `$ref`s."""
    if node.ref is not None or (node.name and not top):
        target = node.ref if node.ref is not None else node
        while target.ref is not None:
            target = target.ref
        link = {"$ref": f"#/components/schemas/{target.name}"}
        wrapped = node.description or node.default is not None or node.struct_type
        out: dict[str, Any] = {"allOf": [link]} if wrapped else link
        _common(node, out)
        if node.struct_type:
            out["x-kubernetes-map-type"] = node.struct_type  # overrides the target's, for this field
        return out
    out = {}
    _common(node, out)
    if node.one_of:
        out["oneOf"] = [{"type": t} for t in node.one_of]
    elif node.type:
        out["type"] = node.type
    if node.format and node.format != "quantity":
        out["format"] = node.format
    if node.properties:
        out["properties"] = {k: to_openapi(v) for k, v in node.properties.items()}
    if node.required:
        out["required"] = list(node.required)
    if node.additional is not None:
        out["additionalProperties"] = to_openapi(node.additional)
    if node.items is not None:
        out["items"] = to_openapi(node.items)
    if node.enum:
        out["enum"] = list(node.enum)
    if node.gvks:
        out["x-kubernetes-group-version-kind"] = list(node.gvks)
    # Kubernetes' named Go types (IntOrString, RawExtension, FieldsV1) carry no such marker in
    # its OpenAPI: their OpenAPI type says it; only anonymous nodes (CRD-style) need one.
    if node.int_or_string and not node.name:
        out["x-kubernetes-int-or-string"] = True
    if node.preserve_unknown and not node.name:
        out["x-kubernetes-preserve-unknown-fields"] = True
    if node.embedded_resource:
        out["x-kubernetes-embedded-resource"] = True
    if node.list_type and (node.type == "array" or node.format == "byte"):
        out["x-kubernetes-list-type"] = node.list_type
    if node.map_keys:
        out["x-kubernetes-list-map-keys"] = list(node.map_keys)
    if node.map_type:
        out["x-kubernetes-map-type"] = node.map_type
    if node.struct_type:
        out["x-kubernetes-map-type"] = node.struct_type
    return out


def _common(node: Schema, out: dict[str, Any]) -> None:
    if node.description:
        out["description"] = node.description
    if node.default is not None:
        out["default"] = node.default
    if node.patch_strategy:
        out["x-kubernetes-patch-strategy"] = node.patch_strategy
    if node.patch_merge_key:
        out["x-kubernetes-patch-merge-key"] = node.patch_merge_key
