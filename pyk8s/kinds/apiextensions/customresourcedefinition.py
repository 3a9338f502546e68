"""CustomResourceDefinition: a new resource type, described by its names, versions and an
OpenAPI v3 schema per version.

Kubernetes validates a CRD in its internal form, where a schema (or subresources, printer
columns, selectable fields) that every version shares moves up to `spec.validation` (and
`spec.subresources`, ...), and the conversion webhook's client config is
`spec.conversion.webhookClientConfig`; its error paths name those places, so ours do too.
The Established and NamesAccepted conditions are the CRD controller's to set; serving the
custom resources themselves is done elsewhere.
"""

from __future__ import annotations

import copy
import re
from typing import Any
from urllib.parse import urlsplit

from pyk8s.api.fields import (
    FieldErrors,
    FieldPath,
    duplicate,
    forbidden,
    invalid,
    not_supported,
    required,
    too_many,
)
from pyk8s.api.resource import NAME, Column, Obj, RequestContext, ResourceInfo, ResourceStrategy, Subresource
from pyk8s.api.validation import (
    dns1035_label,
    dns1123_subdomain,
    validate_immutable,
    validate_webhook_service,
    validate_webhook_url,
)
from pyk8s.kinds.apiextensions import types

RESOURCE = ResourceInfo(
    group="apiextensions.k8s.io",
    version="v1",
    kind="CustomResourceDefinition",
    plural="customresourcedefinitions",
    singular="customresourcedefinition",
    namespaced=False,
    short_names=("crd", "crds"),
    categories=("api-extensions",),
    subresources=(Subresource("status", ("get", "patch", "update")),),
)

SCOPES = ["Cluster", "Namespaced"]
CONVERSION_STRATEGIES = ["None", "Webhook"]
REVIEW_VERSIONS = ["v1", "v1beta1"]
OPENAPI_TYPES = ["array", "boolean", "integer", "number", "object", "string"]
COLUMN_TYPES = ["boolean", "date", "integer", "number", "string"]
COLUMN_FORMATS = ["byte", "date", "date-time", "double", "float", "int32", "int64", "password"]
VALIDATION_REASONS = ["FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"]
MAX_SELECTABLE_FIELDS = 8
APPROVAL_ANNOTATION = "api-approved.kubernetes.io"
META_FIELDS = ("metadata", "kind", "apiVersion")

# JSONSchemaProps' fields in Go's declaration order, by their JSON names (for the root
# check below, which reports the first field not allowed).
_GO_FIELDS = [
    ("id", "ID"),
    ("$schema", "Schema"),
    ("$ref", "Ref"),
    ("description", "Description"),
    ("type", "Type"),
    ("format", "Format"),
    ("title", "Title"),
    ("default", "Default"),
    ("maximum", "Maximum"),
    ("exclusiveMaximum", "ExclusiveMaximum"),
    ("minimum", "Minimum"),
    ("exclusiveMinimum", "ExclusiveMinimum"),
    ("maxLength", "MaxLength"),
    ("minLength", "MinLength"),
    ("pattern", "Pattern"),
    ("maxItems", "MaxItems"),
    ("minItems", "MinItems"),
    ("uniqueItems", "UniqueItems"),
    ("multipleOf", "MultipleOf"),
    ("enum", "Enum"),
    ("maxProperties", "MaxProperties"),
    ("minProperties", "MinProperties"),
    ("required", "Required"),
    ("items", "Items"),
    ("allOf", "AllOf"),
    ("oneOf", "OneOf"),
    ("anyOf", "AnyOf"),
    ("not", "Not"),
    ("properties", "Properties"),
    ("additionalProperties", "AdditionalProperties"),
    ("patternProperties", "PatternProperties"),
    ("dependencies", "Dependencies"),
    ("additionalItems", "AdditionalItems"),
    ("definitions", "Definitions"),
    ("externalDocs", "ExternalDocs"),
    ("example", "Example"),
    ("nullable", "Nullable"),
    ("x-kubernetes-preserve-unknown-fields", "XPreserveUnknownFields"),
    ("x-kubernetes-embedded-resource", "XEmbeddedResource"),
    ("x-kubernetes-int-or-string", "XIntOrString"),
    ("x-kubernetes-list-map-keys", "XListMapKeys"),
    ("x-kubernetes-list-type", "XListType"),
    ("x-kubernetes-map-type", "XMapType"),
    ("x-kubernetes-validations", "XValidations"),
]
ROOT_ALLOWED = [
    "Description",
    "Type",
    "Format",
    "Title",
    "Maximum",
    "ExclusiveMaximum",
    "Minimum",
    "ExclusiveMinimum",
    "MaxLength",
    "MinLength",
    "Pattern",
    "MaxItems",
    "MinItems",
    "UniqueItems",
    "MultipleOf",
    "Required",
    "Items",
    "Properties",
    "ExternalDocs",
    "Example",
    "XPreserveUnknownFields",
    "XValidations",
]
_NESTED_GENERICS = (
    ("type", "must be empty to be structural"),
    ("additionalProperties", "must be undefined to be structural"),
    ("default", "must be undefined to be structural"),
    ("title", "must be empty to be structural"),
    ("description", "must be empty to be structural"),
    ("nullable", "must be false to be structural"),
    ("x-kubernetes-preserve-unknown-fields", "must be false to be structural"),
    ("x-kubernetes-embedded-resource", "must be false to be structural"),
    ("x-kubernetes-int-or-string", "must be false to be structural"),
    ("x-kubernetes-list-map-keys", "must be empty to be structural"),
    ("x-kubernetes-list-type", "must be undefined to be structural"),
    ("x-kubernetes-map-type", "must be undefined to be structural"),
    ("x-kubernetes-validations", "must be empty to be structural"),
)
_INT_OR_STRING_ANY_OF = [{"type": "integer"}, {"type": "string"}]


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _zero(value: Any) -> bool:
    return (
        value is None
        or value is False
        or (value == 0 and not isinstance(value, bool))
        or value in ("", [], {})
    )


# the internal form


def to_internal(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec as Kubernetes validates it: what every version shares moved to the top."""
    internal = {k: copy.deepcopy(v) for k, v in spec.items() if k not in ("versions", "conversion")}
    versions = [dict(v) for v in spec.get("versions") or [] if isinstance(v, dict)]
    internal["versions"] = versions
    if versions:
        internal["version"] = versions[0].get("name", "")
        for own, top in (
            ("subresources", "subresources"),
            ("schema", "validation"),
            ("additionalPrinterColumns", "additionalPrinterColumns"),
            ("selectableFields", "selectableFields"),
        ):
            first = versions[0].get(own)
            if all(v.get(own) == first for v in versions):
                if first is not None:
                    internal[top] = first
                for v in versions:
                    v.pop(own, None)
    conversion = spec.get("conversion")
    if isinstance(conversion, dict):
        converted: dict[str, Any] = {"strategy": conversion.get("strategy", "")}
        webhook = _dict(conversion.get("webhook"))
        if webhook.get("conversionReviewVersions"):
            converted["conversionReviewVersions"] = webhook["conversionReviewVersions"]
        if webhook.get("clientConfig") is not None:
            converted["webhookClientConfig"] = webhook["clientConfig"]
        internal["conversion"] = converted
    return internal


# names, columns, subresources, conversion


def validate_names(names: dict[str, Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    for key in ("plural", "singular"):
        value = names.get(key, "")
        problems = dns1035_label(value)
        if value and problems:
            errs.append(invalid(path.child(key), value, ",".join(problems)))
    for key in ("kind", "listKind"):
        value = names.get(key, "")
        problems = dns1035_label(value.lower())
        if value and problems:
            errs.append(
                invalid(
                    path.child(key),
                    value,
                    "may have mixed case, but should otherwise match: " + ",".join(problems),
                )
            )
    for i, short in enumerate(names.get("shortNames") or []):
        problems = dns1035_label(short)
        if problems:
            errs.append(invalid(path.child("shortNames").index(i), short, ",".join(problems)))
    if names.get("kind") and names.get("kind") == names.get("listKind"):
        errs.append(
            invalid(path.child("listKind"), names["listKind"], "kind and listKind may not be the same")
        )
    for i, category in enumerate(names.get("categories") or []):
        problems = dns1035_label(category)
        if problems:
            errs.append(invalid(path.child("categories").index(i), category, ",".join(problems)))
    return errs


def _simple_json_path(value: str, path: FieldPath | str) -> FieldErrors:
    if not value:
        return [invalid(path, value, "must not be empty")]
    if value[0] != ".":
        return [invalid(path, value, "must be a simple json path starting with .")]
    return []


def validate_column(column: dict[str, Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    if not column.get("name"):
        errs.append(required(path.child("name")))
    kinds = "must be one of " + ",".join(COLUMN_TYPES)
    kind = column.get("type", "")
    if not kind:
        errs.append(required(path.child("type"), kinds))
    elif kind not in COLUMN_TYPES:
        errs.append(invalid(path.child("type"), kind, kinds))
    form = column.get("format", "")
    if form and form not in COLUMN_FORMATS:
        errs.append(invalid(path.child("format"), form, "must be one of " + ",".join(COLUMN_FORMATS)))
    json_path = column.get("jsonPath", "")
    if not json_path:
        errs.append(required(path.child("JSONPath")))
    else:
        errs += _simple_json_path(json_path, path.child("JSONPath"))
    return errs


def validate_subresources(subresources: dict[str, Any] | None, path: FieldPath) -> FieldErrors:
    scale = _dict(subresources).get("scale")
    if scale is None:
        return []
    errs: FieldErrors = []
    for key, prefix, where in (
        ("specReplicasPath", (".spec.",), "should be a json path under .spec"),
        ("statusReplicasPath", (".status.",), "should be a json path under .status"),
    ):
        value = scale.get(key, "")
        spath = path.child(f"scale.{key}")
        if not value:
            errs.append(required(spath))
        else:
            problems = _simple_json_path(value, spath)
            if problems:
                errs += problems
            elif not value.startswith(prefix):
                errs.append(invalid(spath, value, where))
    selector = scale.get("labelSelectorPath", "")
    if selector:
        spath = path.child("scale.labelSelectorPath")
        problems = _simple_json_path(selector, spath)
        if problems:
            errs += problems
        elif not selector.startswith((".spec.", ".status.")):
            errs.append(invalid(spath, selector, "should be a json path under either .spec or .status"))
    return errs


def validate_selectable_fields(fields: list[Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    seen: set[str] = set()
    for i, item in enumerate(fields):
        json_path = _dict(item).get("jsonPath", "")
        if not json_path:
            errs.append(required(path.index(i).child("jsonPath")))
            continue
        if json_path.startswith(".metadata"):
            errs.append(
                invalid(path.index(i).child("jsonPath"), json_path, "must not point to fields in metadata")
            )
        if json_path in seen:
            errs.append(duplicate(path.index(i).child("jsonPath"), json_path))
        seen.add(json_path)
    if len(seen) > MAX_SELECTABLE_FIELDS:
        errs.append(too_many(path, len(seen), MAX_SELECTABLE_FIELDS))
    return errs


def validate_review_versions(versions: list[str], path: FieldPath, *, require_known: bool) -> FieldErrors:
    if not versions:
        return [required(path)]
    errs: FieldErrors = []
    seen: set[str] = set()
    known = False
    for i, version in enumerate(versions):
        if version in seen:
            errs.append(invalid(path.index(i), version, "duplicate version"))
            continue
        seen.add(version)
        errs += [invalid(path.index(i), version, m) for m in dns1035_label(version)]
        known = known or version in REVIEW_VERSIONS
    if require_known and not known:
        errs.append(invalid(path, versions, "must include at least one of " + ", ".join(REVIEW_VERSIONS)))
    return errs


def validate_conversion(
    conversion: dict[str, Any] | None, path: FieldPath, *, require_known: bool
) -> FieldErrors:
    if conversion is None:
        return []
    errs: FieldErrors = []
    strategy = conversion.get("strategy", "")
    if not strategy:
        errs.append(required(path.child("strategy")))
    elif strategy not in CONVERSION_STRATEGIES:
        errs.append(not_supported(path.child("strategy"), strategy, CONVERSION_STRATEGIES))
    config = conversion.get("webhookClientConfig")
    versions = conversion.get("conversionReviewVersions") or []
    if strategy == "Webhook":
        cpath = path.child("webhookClientConfig")
        if config is None:
            errs.append(required(cpath, "required when strategy is set to Webhook"))
        else:
            url, service = config.get("url"), config.get("service")
            if (url is None) == (service is None):
                errs.append(required(cpath, "exactly one of url or service is required"))
            elif url is not None:
                errs += validate_webhook_url(cpath.child("url"), url)
            else:
                errs += validate_webhook_service(cpath.child("service"), service)
        errs += validate_review_versions(
            versions, path.child("conversionReviewVersions"), require_known=require_known
        )
    else:
        if config is not None:
            errs.append(
                forbidden(
                    path.child("webhookClientConfig"), "should not be set when strategy is not set to Webhook"
                )
            )
        if versions:
            errs.append(
                forbidden(
                    path.child("conversionReviewVersions"),
                    "should not be set when strategy is not set to Webhook",
                )
            )
    return errs


# schemas: structural invariants (apiserver/schema)


def _is_int_or_string_any_of(schema: dict[str, Any]) -> bool:
    return schema.get("anyOf") == _INT_OR_STRING_ANY_OF


def _is_int_or_string_all_of(schema: dict[str, Any]) -> bool:
    all_of = schema.get("allOf") or []
    return bool(all_of) and _dict(all_of[0]).get("anyOf") == _INT_OR_STRING_ANY_OF


def _nested(
    schema: dict[str, Any], path: FieldPath, *, skip_any_of: bool = False, skip_all_of_any_of: bool = False
) -> FieldErrors:
    """A schema under anyOf/allOf/oneOf/not: value validation only, no structure."""
    errs = _value_validation(schema, path, skip_any_of=skip_any_of, skip_all_of_any_of=skip_all_of_any_of)
    if isinstance(schema.get("items"), dict):
        errs += _nested(schema["items"], path.child("items"))
    for key in sorted(_dict(schema.get("properties"))):
        errs += _nested(_dict(schema["properties"][key]), path.child("properties").key(key))
    for key, detail in _NESTED_GENERICS:
        if not _zero(schema.get(key)) or (key in ("default", "additionalProperties") and key in schema):
            errs.append(forbidden(path.child(key), detail))
    if "metadata" in _dict(schema.get("properties")):
        errs.append(
            forbidden(path.child("properties").key("metadata"), "must not be specified in a nested context")
        )
    return errs


def _value_validation(
    schema: dict[str, Any], path: FieldPath, *, skip_any_of: bool = False, skip_all_of_any_of: bool = False
) -> FieldErrors:
    errs: FieldErrors = []
    if not skip_any_of:
        for i, item in enumerate(schema.get("anyOf") or []):
            errs += _nested(_dict(item), path.child("anyOf").index(i))
    for i, item in enumerate(schema.get("allOf") or []):
        errs += _nested(_dict(item), path.child("allOf").index(i), skip_any_of=skip_all_of_any_of and i == 0)
    for i, item in enumerate(schema.get("oneOf") or []):
        errs += _nested(_dict(item), path.child("oneOf").index(i))
    if schema.get("not") is not None:
        errs += _nested(_dict(schema["not"]), path.child("not"))
    pattern = schema.get("pattern", "")
    if pattern:
        try:
            re.compile(pattern)
        except re.error as err:
            errs.append(
                invalid(
                    path.child("pattern"), pattern, f"must be a valid regular expression, but isn't: {err}"
                )
            )
    return errs


def _metadata_invariants(schema: dict[str, Any], check: bool, root: bool, path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    if check and schema.get("type", "") != "object":
        errs.append(invalid(path.child("type"), schema.get("type", ""), "must be object"))
    if root:
        rest = {k: v for k, v in schema.items() if k not in ("type", "default") and not _zero(v)}
        props = _dict(rest.get("properties"))
        if props and set(props) <= {"name", "generateName"}:
            rest.pop("properties")
        if rest:
            errs.append(
                forbidden(
                    path,
                    "must not specify anything other than name and generateName, but metadata is implicitly "
                    "specified",
                )
            )
    return errs


def structural_invariants(schema: dict[str, Any], level: str, path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    kind = schema.get("type", "")
    items = schema.get("items")
    if kind == "array" and items is None:
        errs.append(required(path.child("items"), "must be specified"))
    if isinstance(items, dict):
        errs += structural_invariants(items, "item", path.child("items"))
    for key in sorted(_dict(schema.get("properties"))):
        errs += structural_invariants(
            _dict(schema["properties"][key]), "field", path.child("properties").key(key)
        )
    additional = schema.get("additionalProperties")
    if additional is not None:
        if level == "root":
            errs.append(forbidden(path.child("additionalProperties"), "must not be used at the root"))
        if isinstance(additional, dict):
            errs += structural_invariants(additional, "field", path.child("additionalProperties"))
    int_or_string = bool(schema.get("x-kubernetes-int-or-string"))
    preserve = bool(schema.get("x-kubernetes-preserve-unknown-fields"))
    embedded = bool(schema.get("x-kubernetes-embedded-resource"))
    if int_or_string and preserve:
        errs.append(
            invalid(
                path.child("x-kubernetes-preserve-unknown-fields"),
                True,
                "must be false if x-kubernetes-int-or-string is true",
            )
        )
    if int_or_string and embedded:
        errs.append(
            invalid(
                path.child("x-kubernetes-embedded-resource"),
                True,
                "must be false if x-kubernetes-int-or-string is true",
            )
        )
    errs += _value_validation(
        schema,
        path,
        skip_any_of=_is_int_or_string_any_of(schema),
        skip_all_of_any_of=_is_int_or_string_all_of(schema),
    )
    if embedded and kind != "object":
        if not kind:
            errs.append(
                required(path.child("type"), "must be object if x-kubernetes-embedded-resource is true")
            )
        else:
            errs.append(
                invalid(path.child("type"), kind, "must be object if x-kubernetes-embedded-resource is true")
            )
    elif not kind and not int_or_string and not preserve:
        where = {
            "root": "at the root",
            "item": "for specified array items",
            "field": "for specified object fields",
        }
        errs.append(required(path.child("type"), f"must not be empty {where[level]}"))
    if embedded and additional is not None:
        errs.append(
            forbidden(
                path.child("additionalProperties"),
                "must not be used if x-kubernetes-embedded-resource is set",
            )
        )
    if level == "root" and kind and kind != "object":
        errs.append(invalid(path.child("type"), kind, "must be object at the root"))
    check = level == "root" or embedded
    props = _dict(schema.get("properties"))
    for key in ("kind", "apiVersion"):
        if key in props and check and _dict(props[key]).get("type", "") != "string":
            errs.append(
                invalid(
                    path.child("properties").key(key).child("type"),
                    _dict(props[key]).get("type", ""),
                    "must be string",
                )
            )
    if "metadata" in props:
        errs += _metadata_invariants(
            _dict(props["metadata"]), check, level == "root", path.child("properties").key("metadata")
        )
    if embedded and not preserve and not props:
        errs.append(
            required(
                path.child("properties"),
                "must not be empty if x-kubernetes-embedded-resource is true without "
                "x-kubernetes-preserve-unknown-fields",
            )
        )
    return errs


def _completeness(schema: dict[str, Any], path: FieldPath) -> FieldErrors:
    """Value validations of the root must only name properties and items the structure has."""

    def nested(
        value: dict[str, Any], structure: dict[str, Any] | None, spath: FieldPath, vpath: FieldPath
    ) -> FieldErrors:
        if structure is None:
            return [required(spath, f"because it is defined in {vpath}")]
        errs = junctors(value, structure, spath, vpath)
        if isinstance(value.get("items"), dict):
            items = structure.get("items")
            errs += nested(
                value["items"],
                items if isinstance(items, dict) else None,
                spath.child("items"),
                vpath.child("items"),
            )
        props = _dict(structure.get("properties"))
        for key in sorted(_dict(value.get("properties"))):
            sub = _dict(value["properties"][key])
            if key not in props:
                errs.append(
                    required(
                        spath.child("properties").key(key),
                        f"because it is defined in {vpath.child('properties').key(key)}",
                    )
                )
            else:
                errs += nested(
                    sub,
                    _dict(props[key]),
                    spath.child("properties").key(key),
                    vpath.child("properties").key(key),
                )
        return errs

    def junctors(
        value: dict[str, Any], structure: dict[str, Any], spath: FieldPath, vpath: FieldPath
    ) -> FieldErrors:
        errs: FieldErrors = []
        if value.get("not") is not None:
            errs += nested(_dict(value["not"]), structure, spath, vpath.child("not"))
        for key in ("allOf", "anyOf", "oneOf"):
            for i, item in enumerate(value.get(key) or []):
                errs += nested(_dict(item), structure, spath, vpath.child(key).index(i))
        return errs

    return junctors(schema, schema, path, path)


def validate_structural(schema: dict[str, Any], path: FieldPath) -> FieldErrors:
    """ValidateStructural: Kubernetes reports these sorted by their text."""
    errs = structural_invariants(schema, "root", path) + _completeness(schema, path)
    return sorted(errs, key=str)


# schemas: OpenAPI rules (apiextensions validation)


class _Context:
    """What the walk knows about where it is (specStandardValidatorV3)."""

    def __init__(self, *, defaults_reason: str | None = None, inside_meta: bool = False) -> None:
        self.defaults_reason = defaults_reason  # None: defaults allowed
        self.inside_meta = inside_meta

    def forbid_defaults(self, reason: str) -> _Context:
        return _Context(defaults_reason=reason, inside_meta=self.inside_meta)

    def in_meta(self) -> _Context:
        return _Context(defaults_reason=self.defaults_reason, inside_meta=True)


def _standard(schema: dict[str, Any], path: FieldPath, ctx: _Context) -> FieldErrors:
    errs: FieldErrors = []
    kind = schema.get("type", "")
    if kind and kind not in OPENAPI_TYPES:
        errs.append(not_supported(path.child("type"), kind, OPENAPI_TYPES))
    if "default" in schema and ctx.defaults_reason is not None:
        detail = "must not be set"
        if ctx.defaults_reason:
            detail += " " + ctx.defaults_reason
        errs.append(forbidden(path.child("default"), detail))
    for key, detail in (
        ("id", "id is not supported"),
        ("additionalItems", "additionalItems is not supported"),
        ("patternProperties", "patternProperties is not supported"),
        ("definitions", "definitions is not supported"),
        ("dependencies", "dependencies is not supported"),
        ("$ref", "$ref is not supported"),
    ):
        if not _zero(schema.get(key)) or (
            key in ("additionalItems", "dependencies", "$ref") and key in schema
        ):
            errs.append(forbidden(path.child(key), detail))
    if kind == "null":
        errs.append(
            forbidden(path.child("type"), "type cannot be set to null, use nullable as an alternative")
        )
    if isinstance(schema.get("items"), list) and schema["items"]:
        errs.append(forbidden(path.child("items"), "items must be a schema object and not an array"))
    if ctx.inside_meta and schema.get("x-kubernetes-embedded-resource"):
        errs.append(
            forbidden(
                path.child("x-kubernetes-embedded-resource"), "must not be used inside of resource meta"
            )
        )
    return errs


def _list_and_map_types(schema: dict[str, Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    kind = schema.get("type", "")
    map_type, list_type = schema.get("x-kubernetes-map-type"), schema.get("x-kubernetes-list-type")
    keys = schema.get("x-kubernetes-list-map-keys") or []
    items = schema.get("items") if isinstance(schema.get("items"), dict) else None
    if map_type is not None and kind != "object":
        if not kind:
            errs.append(required(path.child("type"), "must be object if x-kubernetes-map-type is specified"))
        else:
            errs.append(
                invalid(path.child("type"), kind, "must be object if x-kubernetes-map-type is specified")
            )
    if map_type is not None and map_type not in ("atomic", "granular"):
        errs.append(not_supported(path.child("x-kubernetes-map-type"), map_type, ["atomic", "granular"]))
    if list_type is not None and kind != "array":
        if not kind:
            errs.append(required(path.child("type"), "must be array if x-kubernetes-list-type is specified"))
        else:
            errs.append(
                invalid(path.child("type"), kind, "must be array if x-kubernetes-list-type is specified")
            )
    elif list_type == "set" and items is not None:
        if items.get("type") == "array" and items.get("x-kubernetes-list-type", "atomic") != "atomic":
            errs.append(
                invalid(
                    path.child("items", "x-kubernetes-list-type"),
                    items["x-kubernetes-list-type"],
                    "must be atomic as item of a list with x-kubernetes-list-type=set",
                )
            )
        elif items.get("type") == "object" and items.get("x-kubernetes-map-type") != "atomic":
            errs.append(
                invalid(
                    path.child("items", "x-kubernetes-map-type"),
                    items.get("x-kubernetes-list-type"),
                    "must be atomic as item of a list with x-kubernetes-list-type=set",
                )
            )
    if list_type is not None and list_type not in ("atomic", "set", "map"):
        errs.append(not_supported(path.child("x-kubernetes-list-type"), list_type, ["atomic", "set", "map"]))
    if keys:
        if list_type is None:
            errs.append(
                required(
                    path.child("x-kubernetes-list-type"),
                    "must be map if x-kubernetes-list-map-keys is non-empty",
                )
            )
        elif list_type != "map":
            errs.append(
                invalid(
                    path.child("x-kubernetes-list-type"),
                    list_type,
                    "must be map if x-kubernetes-list-map-keys is non-empty",
                )
            )
    if list_type == "map":
        if not keys:
            errs.append(
                required(
                    path.child("x-kubernetes-list-map-keys"),
                    "must not be empty if x-kubernetes-list-type is map",
                )
            )
        if schema.get("items") is None:
            errs.append(required(path.child("items"), "must have a schema if x-kubernetes-list-type is map"))
        if isinstance(schema.get("items"), list):
            errs.append(
                invalid(
                    path.child("items"),
                    schema["items"],
                    "must only have a single schema if x-kubernetes-list-type is map",
                )
            )
        if items is not None and items.get("type") != "object":
            errs.append(
                invalid(
                    path.child("items", "type"),
                    items.get("type", ""),
                    "must be object if parent array's x-kubernetes-list-type is map",
                )
            )
        if items is not None and items.get("type") == "object":
            props = _dict(items.get("properties"))
            seen: set[str] = set()
            for key in keys:
                if key in props:
                    if _dict(props[key]).get("type") in ("array", "object"):
                        errs.append(
                            invalid(
                                path.child("items", "properties").key(key).child("type"),
                                items.get("type"),
                                "must be a scalar type if parent array's x-kubernetes-list-type is map",
                            )
                        )
                else:
                    errs.append(
                        invalid(
                            path.child("x-kubernetes-list-map-keys"),
                            keys,
                            "entries must all be names of item properties",
                        )
                    )
                if key in seen:
                    errs.append(
                        invalid(
                            path.child("x-kubernetes-list-map-keys"),
                            keys,
                            "must not contain duplicate entries",
                        )
                    )
                seen.add(key)
    if items is not None and list_type in ("set", "map"):
        if items.get("nullable"):
            errs.append(
                forbidden(
                    path.child("items", "nullable"),
                    f"cannot be nullable when x-kubernetes-list-type is {list_type}",
                )
            )
        if list_type == "map":
            required_keys = set(items.get("required") or [])
            props = _dict(items.get("properties"))
            for key in keys:
                if key not in props:
                    continue
                prop = _dict(props[key])
                kpath = path.child("items", "properties").key(key)
                if key not in required_keys and "default" not in prop:
                    errs.append(
                        required(
                            kpath.child("default"),
                            "this property is in x-kubernetes-list-map-keys, so it must have a default or "
                            "be a required property",
                        )
                    )
                if prop.get("nullable"):
                    errs.append(
                        forbidden(
                            kpath.child("nullable"),
                            "this property is in x-kubernetes-list-map-keys, so it cannot be nullable",
                        )
                    )
    return errs


def _x_validations(schema: dict[str, Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    for i, rule in enumerate(schema.get("x-kubernetes-validations") or []):
        rpath = path.child("x-kubernetes-validations").index(i)
        text, message = str(rule.get("rule", "")), str(rule.get("message", ""))
        if not text.strip():
            errs.append(required(rpath.child("rule"), "rule is not specified"))
        elif message and not message.strip():
            errs.append(invalid(rpath.child("message"), message, "must be non-empty if specified"))
        elif "\n" in message.strip() or "\r" in message.strip():
            errs.append(invalid(rpath.child("message"), message, "must not contain line breaks"))
        elif ("\n" in text.strip() or "\r" in text.strip()) and not message.strip():
            errs.append(
                required(rpath.child("message"), "message must be specified if rule contains line breaks")
            )
        expression = str(rule.get("messageExpression", ""))
        if expression and not expression.strip():
            errs.append(
                required(rpath.child("messageExpression"), "messageExpression must be non-empty if specified")
            )
        reason = rule.get("reason")
        if reason is not None and reason not in VALIDATION_REASONS:
            errs.append(not_supported(rpath.child("reason"), reason, VALIDATION_REASONS))
        field_path = str(rule.get("fieldPath", ""))
        if field_path and not field_path.strip():
            errs.append(invalid(rpath.child("fieldPath"), field_path, "must be non-empty if specified"))
        if "\n" in field_path or "\r" in field_path:
            errs.append(invalid(rpath.child("fieldPath"), field_path, "must not contain line breaks"))
    return errs


def validate_openapi_schema(
    schema: Any, path: FieldPath, ctx: _Context, *, root: bool = False
) -> FieldErrors:
    """ValidateCustomResourceDefinitionOpenAPISchema, CEL compilation aside."""
    if not isinstance(schema, dict):
        return []
    errs = _standard(schema, path, ctx)
    if schema.get("uniqueItems"):
        errs.append(
            forbidden(
                path.child("uniqueItems"),
                "uniqueItems cannot be set to true since the runtime complexity becomes quadratic",
            )
        )
    additional = schema.get("additionalProperties")
    props = _dict(schema.get("properties"))
    if additional is not None:
        if props and (additional is False or isinstance(additional, dict)):
            errs.append(
                forbidden(
                    path.child("additionalProperties"),
                    "additionalProperties and properties are mutual exclusive",
                )
            )
        sub = (
            ctx.forbid_defaults("inside additionalProperties applying to object metadata")
            if ctx.inside_meta
            else ctx
        )
        errs += validate_openapi_schema(additional, path.child("additionalProperties"), sub)
    for key in sorted(props):
        sub = ctx
        if (root or schema.get("x-kubernetes-embedded-resource")) and key in META_FIELDS:
            sub = sub.in_meta()
            if root:
                sub = sub.forbid_defaults(f"in top-level {key}")
        errs += validate_openapi_schema(props[key], path.child("properties").key(key), sub)
    if schema.get("not") is not None:
        errs += validate_openapi_schema(schema["not"], path.child("not"), ctx)
    for key in ("allOf", "oneOf", "anyOf"):
        for i, item in enumerate(schema.get(key) or []):
            errs += validate_openapi_schema(item, path.child(key).index(i), ctx)
    for key in sorted(_dict(schema.get("definitions"))):
        errs += validate_openapi_schema(schema["definitions"][key], path.child("definitions").key(key), ctx)
    items = schema.get("items")
    if isinstance(items, dict):
        errs += validate_openapi_schema(items, path.child("items"), ctx)
    elif isinstance(items, list):
        for i, item in enumerate(items):
            errs += validate_openapi_schema(item, path.child("items").index(i), ctx)
    for key in sorted(_dict(schema.get("dependencies"))):
        errs += validate_openapi_schema(schema["dependencies"][key], path.child("dependencies").key(key), ctx)
    if schema.get("x-kubernetes-preserve-unknown-fields") is False:
        errs.append(
            invalid(path.child("x-kubernetes-preserve-unknown-fields"), False, "must be true or undefined")
        )
    errs += _list_and_map_types(schema, path)
    errs += _x_validations(schema, path)
    return errs


def validate_validation(
    validation: dict[str, Any] | None, path: FieldPath, *, status_enabled: bool
) -> FieldErrors:
    """A CustomResourceValidation: the OpenAPI v3 schema of one or every version."""
    schema = _dict(validation).get("openAPIV3Schema")
    if not isinstance(schema, dict):
        return []
    errs: FieldErrors = []
    if status_enabled:
        for key, go_name in _GO_FIELDS:
            if key not in schema or _zero(schema[key]):
                continue
            if go_name == "Type":
                if schema["type"] != "object":
                    errs.append(
                        invalid(
                            path.child("openAPIV3Schema.type"),
                            schema["type"],
                            'only "object" is allowed as the type at the root of the schema if the status '
                            "subresource is enabled",
                        )
                    )
                    break
                continue
            if go_name not in ROOT_ALLOWED:
                errs.append(
                    invalid(
                        path.child("openAPIV3Schema"),
                        schema,
                        f"only [{' '.join(ROOT_ALLOWED)}] fields are allowed at the root of the schema if "
                        "the status subresource is enabled",
                    )
                )
                break
    if schema.get("nullable"):
        errs.append(forbidden(path.child("openAPIV3Schema.nullable"), "nullable cannot be true at the root"))
    errs += validate_structural(schema, path.child("openAPIV3Schema"))
    errs += validate_openapi_schema(schema, path.child("openAPIV3Schema"), _Context(), root=True)
    return errs


# the whole object


def _has_status(subresources: Any) -> bool:
    return _dict(subresources).get("status") is not None


def _deprecation_warning(version: dict[str, Any]) -> list[str]:
    if "deprecationWarning" not in version:
        return []
    if not version.get("deprecated"):
        return ["can only be set for deprecated versions"]
    warning = version["deprecationWarning"]
    problems = []
    if len(warning) > 256:
        problems.append("must be <= 256 characters long")
    if not warning:
        problems.append("must not be an empty string")
    for i, char in enumerate(warning):
        if not char.isprintable():
            problems.append(
                f"must only contain printable UTF-8 characters; non-printable character found at index {i}"
            )
            break
    return problems


def validate_spec(
    internal: dict[str, Any], *, require_schema: bool, require_known_reviews: bool
) -> FieldErrors:
    path = FieldPath("spec")
    errs: FieldErrors = []
    group = internal.get("group", "")
    if not group:
        errs.append(required(path.child("group")))
    elif dns1123_subdomain(group):
        errs.append(invalid(path.child("group"), group, ",".join(dns1123_subdomain(group))))
    elif len(group.split(".")) < 2:
        errs.append(invalid(path.child("group"), group, "should be a domain with at least one dot"))
    scope = internal.get("scope", "")
    if not scope:
        errs.append(required(path.child("scope")))
    elif scope not in SCOPES:
        errs.append(not_supported(path.child("scope"), scope, SCOPES))
    versions = internal.get("versions") or []
    validation = internal.get("validation")
    top_schema = _dict(validation).get("openAPIV3Schema")
    if top_schema is None:
        for i, version in enumerate(versions):
            has_schema = _dict(version.get("schema")).get("openAPIV3Schema") is not None
            spath = path.child("versions").index(i).child("schema", "openAPIV3Schema")
            if require_schema and not has_schema:
                errs.append(required(spath))
            elif not require_schema and version.get("served") and not has_schema:
                errs.append(required(spath, "because otherwise all fields are pruned"))
    storage = 0
    names: set[str] = set()
    unique = True
    per_version_subresources = any(v.get("subresources") is not None for v in versions)
    for i, version in enumerate(versions):
        vpath = path.child("versions").index(i)
        storage += 1 if version.get("storage") else 0
        name = version.get("name", "")
        if name in names:
            unique = False
        names.add(name)
        problems = dns1035_label(name)
        if problems:
            errs.append(invalid(vpath.child("name"), name, ",".join(problems)))
        for problem in _deprecation_warning(version):
            errs.append(
                invalid(vpath.child("deprecationWarning"), version.get("deprecationWarning"), problem)
            )
        subresources = (
            version.get("subresources") if per_version_subresources else internal.get("subresources")
        )
        errs += validate_validation(
            version.get("schema"), vpath.child("schema"), status_enabled=_has_status(subresources)
        )
        errs += validate_subresources(version.get("subresources"), vpath.child("subresources"))
        for j, column in enumerate(version.get("additionalPrinterColumns") or []):
            errs += validate_column(column, vpath.child("additionalPrinterColumns").index(j))
        if version.get("selectableFields"):
            if _dict(version.get("schema")).get("openAPIV3Schema") is None:
                errs.append(
                    invalid(
                        vpath.child("selectableFields"),
                        "",
                        "may only be set when `version.schema.openAPIV3Schema` is not included",
                    )
                )
            else:
                errs += validate_selectable_fields(
                    version["selectableFields"], vpath.child("selectableFields")
                )
    if not unique:
        errs.append(invalid(path.child("versions"), versions, "must contain unique version names"))
    if storage != 1:
        errs.append(
            invalid(
                path.child("versions"), versions, "must have exactly one version marked as storage version"
            )
        )
    if internal.get("version"):
        problems = dns1035_label(internal["version"])
        if problems:
            errs.append(invalid(path.child("version"), internal["version"], ",".join(problems)))
    names_spec = _dict(internal.get("names"))
    for key in ("plural", "singular", "kind", "listKind"):
        if not names_spec.get(key):
            errs.append(required(path.child("names", key)))
    errs += validate_names(names_spec, path.child("names"))
    any_status = _has_status(internal.get("subresources")) or any(
        _has_status(v.get("subresources")) for v in versions
    )
    errs += validate_validation(validation, path.child("validation"), status_enabled=any_status)
    errs += validate_subresources(internal.get("subresources"), path.child("subresources"))
    for i, column in enumerate(internal.get("additionalPrinterColumns") or []):
        errs += validate_column(column, path.child("additionalPrinterColumns").index(i))
    if internal.get("selectableFields"):
        if validation is None:
            errs.append(
                invalid(
                    path.child("selectableFields"), "", "may only be set when validations.schema is included"
                )
            )
        else:
            errs += validate_selectable_fields(internal["selectableFields"], path.child("selectableFields"))
    conversion = internal.get("conversion")
    if (
        isinstance(conversion, dict)
        and conversion.get("strategy") != "None"
        and internal.get("preserveUnknownFields")
    ):
        errs.append(
            invalid(
                path.child("conversion", "strategy"),
                conversion.get("strategy"),
                "must be None if spec.preserveUnknownFields is true",
            )
        )
    errs += validate_conversion(conversion, path.child("conversion"), require_known=require_known_reviews)
    return errs


def validate_stored_versions(stored: list[str], versions: list[Any]) -> FieldErrors:
    path = FieldPath("status", "storedVersions")
    if not stored:
        return [invalid(path, stored, "must have at least one stored version")]
    errs: FieldErrors = []
    remaining = {v: i for i, v in enumerate(stored)}
    for version in versions:
        name = version.get("name", "")
        if version.get("storage") and name not in remaining:
            errs.append(invalid(path, stored, "must have the storage version " + name))
        remaining.pop(name, None)
    for name, i in remaining.items():
        errs.append(
            invalid(
                path.index(i),
                name,
                f"missing from spec.versions; {name} was previously a storage version, and must remain in "
                f"spec.versions until a storage migration ensures no data remains persisted in {name} and "
                f"removes {name} from status.storedVersions",
            )
        )
    return errs


def approval_state(annotations: dict[str, Any]) -> tuple[str, str]:
    """The API approval annotation's state: missing, bypassed, approved or invalid."""
    value = str(annotations.get(APPROVAL_ANNOTATION, ""))
    if not value:
        return "missing", (
            f'protected groups must have approval annotation "{APPROVAL_ANNOTATION}", '
            "see https://github.com/kubernetes/enhancements/pull/1111"
        )
    if value.startswith("unapproved"):
        return "bypassed", f'not approved: "{value}"'
    parts = urlsplit(value)
    if parts.scheme and parts.netloc:
        return "approved", f"approved in {value}"
    return "invalid", (
        f'protected groups must have approval annotation "{APPROVAL_ANNOTATION}" with either a URL or a '
        'reason starting with "unapproved", see https://github.com/kubernetes/enhancements/pull/1111'
    )


def validate_api_approval(obj: Obj, old: Obj | None) -> FieldErrors:
    """Groups under k8s.io and kubernetes.io need the community's approval annotation."""
    group = _dict(obj.get("spec")).get("group", "")
    if not (group in ("k8s.io", "kubernetes.io") or group.endswith((".k8s.io", ".kubernetes.io"))):
        return []
    annotations = obj.get("metadata", {}).get("annotations") or {}
    state, reason = approval_state(annotations)
    if old is not None and approval_state(old.get("metadata", {}).get("annotations") or {})[0] == state:
        return []
    path = FieldPath("metadata", "annotations").key(APPROVAL_ANNOTATION)
    if state == "missing":
        return [required(path, reason)]
    if state == "invalid":
        return [invalid(path, annotations.get(APPROVAL_ANNOTATION), reason)]
    return []


def is_established(obj: Obj) -> bool:
    return any(
        c.get("type") == "Established" and c.get("status") == "True"
        for c in _dict(obj.get("status")).get("conditions") or []
    )


def _all_versions_have_schema(spec: dict[str, Any]) -> bool:
    versions = spec.get("versions") or []
    return all(_dict(v.get("schema")).get("openAPIV3Schema") is not None for v in versions)


def _storage_version(spec: dict[str, Any]) -> str | None:
    for version in spec.get("versions") or []:
        if version.get("storage"):
            return version.get("name", "")
    return None


class CustomResourceDefinitionStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.CustomResourceDefinition
    tracks_generation = True
    allow_unconditional_update = False
    # apiextensions-apiserver has no printer for CRDs: the default table (name, creation time),
    # so `kubectl get crds` prints NAME and CREATED AT, with nothing more under -o wide.
    columns = (
        NAME,
        Column("Created At", type="date", description="When the object was created."),
    )

    def default(self, obj: Obj) -> None:
        spec = obj.setdefault("spec", {})
        names = spec.setdefault("names", {})
        if not names.get("singular") and names.get("kind"):
            names["singular"] = names["kind"].lower()
        if not names.get("listKind") and names.get("kind"):
            names["listKind"] = names["kind"] + "List"
        if spec.get("conversion") is None:
            spec["conversion"] = {"strategy": "None"}
        service = _dict(_dict(_dict(spec["conversion"]).get("webhook")).get("clientConfig")).get("service")
        if isinstance(service, dict):
            service.setdefault("port", 443)

    def prepare_for_create(self, ctx: RequestContext, obj: Obj) -> None:
        obj["metadata"]["generation"] = 1
        # Kubernetes writes the zero status: accepted names are filled in by the CRD controller.
        status: dict[str, Any] = {"acceptedNames": {"plural": "", "kind": ""}}
        storage = _storage_version(_dict(obj.get("spec")))
        if storage is not None:
            status["storedVersions"] = [storage]
        obj["status"] = status

    def prepare_for_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> None:
        super().prepare_for_update(ctx, obj, old)
        storage = _storage_version(_dict(obj.get("spec")))
        if storage is not None:
            stored = obj.setdefault("status", {}).setdefault("storedVersions", [])
            if storage not in stored:
                stored.append(storage)

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        spec = _dict(obj.get("spec"))
        internal = to_internal(spec)
        errs: FieldErrors = []
        name = obj.get("metadata", {}).get("name", "")
        wanted = f"{_dict(spec.get('names')).get('plural', '')}.{spec.get('group', '')}"
        if name and name != wanted:
            errs.append(invalid("metadata.name", name, 'must be spec.names.plural+"."+spec.group'))
        errs += validate_spec(internal, require_schema=True, require_known_reviews=True)
        errs += self._validate_rest(obj, None, internal)
        return errs

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        spec, old_spec = _dict(obj.get("spec")), _dict(old.get("spec"))
        internal, old_internal = to_internal(spec), to_internal(old_spec)
        old_conversion = _dict(old_internal.get("conversion"))
        old_reviews = old_conversion.get("conversionReviewVersions") or []
        errs = validate_spec(
            internal,
            require_schema=_all_versions_have_schema(old_spec),
            require_known_reviews=not old_reviews or any(v in REVIEW_VERSIONS for v in old_reviews),
        )
        names, old_names = _dict(spec.get("names")), _dict(old_spec.get("names"))
        if is_established(old):
            errs += validate_immutable(spec.get("scope", ""), old_spec.get("scope", ""), "spec.scope")
            errs += validate_immutable(names.get("kind", ""), old_names.get("kind", ""), "spec.names.kind")
        errs += validate_immutable(spec.get("group", ""), old_spec.get("group", ""), "spec.group")
        errs += validate_immutable(names.get("plural", ""), old_names.get("plural", ""), "spec.names.plural")
        errs += self._validate_rest(obj, old, internal)
        return errs

    def _validate_rest(self, obj: Obj, old: Obj | None, internal: dict[str, Any]) -> FieldErrors:
        status = _dict(obj.get("status"))
        errs = validate_names(_dict(status.get("acceptedNames")), FieldPath("status", "acceptedNames"))
        errs += validate_stored_versions(status.get("storedVersions") or [], internal.get("versions") or [])
        errs += validate_api_approval(obj, old)
        old_preserve = _dict((old or {}).get("spec")).get("preserveUnknownFields")
        if not old_preserve and _dict(obj.get("spec")).get("preserveUnknownFields"):
            errs.append(
                invalid(
                    "spec.preserveUnknownFields",
                    True,
                    "cannot set to true, set x-kubernetes-preserve-unknown-fields to true in "
                    "spec.versions[*].schema instead",
                )
            )
        return errs

    def validate_status_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        status = _dict(obj.get("status"))
        return validate_names(_dict(status.get("acceptedNames")), FieldPath("status", "acceptedNames"))

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        return [obj["metadata"].get("name", ""), obj["metadata"].get("creationTimestamp", "")]
