"""CustomResourceDefinition: defaults, names, versions, structural schemas, conversion,
stored versions, immutable fields and table rows. Error paths are the ones Kubernetes
reports from its internal form (a schema shared by every version is `spec.validation`)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.apiextensions.customresourcedefinition import RESOURCE, CustomResourceDefinitionStrategy

CREATED = "2026-01-01T00:00:00Z"
CTX = RequestContext()
S = CustomResourceDefinitionStrategy()
R, INV, NS, F, D = (
    ErrorType.REQUIRED,
    ErrorType.INVALID,
    ErrorType.NOT_SUPPORTED,
    ErrorType.FORBIDDEN,
    ErrorType.DUPLICATE,
)
SCHEMA = {
    "type": "object",
    "properties": {
        "spec": {
            "type": "object",
            "properties": {
                "replicas": {"type": "integer", "minimum": 0},
                "port": {"x-kubernetes-int-or-string": True},
                "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
                "tags": {"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "set"},
            },
        },
        "status": {"type": "object", "properties": {"ready": {"type": "boolean"}}},
    },
}
V = "spec.validation.openAPIV3Schema"


def version(
    name: str = "v1", served: bool = True, storage: bool = True, schema: Any = SCHEMA, **extra: Any
) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "served": served, "storage": storage, **extra}
    if schema is not None:
        out["schema"] = {"openAPIV3Schema": copy.deepcopy(schema)}
    return out


def crd(*versions: dict[str, Any], name: str = "widgets.example.com", **spec: Any) -> dict[str, Any]:
    full: dict[str, Any] = {
        "group": "example.com",
        "names": {"plural": "widgets", "kind": "Widget", "shortNames": ["wd"]},
        "scope": "Namespaced",
        "versions": list(versions) or [version()],
    }
    full.update(spec)
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": name, "creationTimestamp": CREATED},
        "spec": {k: v for k, v in full.items() if v is not None},
    }


def created(*versions: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    obj = crd(*versions, **kwargs)
    S.default(obj)
    S.prepare_for_create(CTX, obj)
    return obj


def problems(errs: list[Any]) -> list[tuple[ErrorType, str]]:
    return [(e.type, e.field) for e in errs]


def with_schema(schema: dict[str, Any]) -> dict[str, Any]:
    return created(version(schema=schema))


def test_resource_info() -> None:
    assert (RESOURCE.plural, RESOURCE.singular, RESOURCE.short_names, RESOURCE.categories) == (
        "customresourcedefinitions",
        "customresourcedefinition",
        ("crd", "crds"),
        ("api-extensions",),
    )
    assert not RESOURCE.namespaced and [s.name for s in RESOURCE.subresources] == ["status"]


def test_defaults_and_the_zero_status() -> None:
    obj = created(version("v1beta1", storage=False), version("v1"))
    assert obj["spec"]["names"]["singular"] == "widget" and obj["spec"]["names"]["listKind"] == "WidgetList"
    assert obj["spec"]["conversion"] == {"strategy": "None"}
    assert obj["status"] == {"acceptedNames": {"plural": "", "kind": ""}, "storedVersions": ["v1"]}
    assert obj["metadata"]["generation"] == 1
    assert S.validate(CTX, obj) == []


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        pytest.param(
            created(name="widgets.other.com"), [(INV, "metadata.name")], id="name-not-plural-dot-group"
        ),
        pytest.param(
            created(name="widgets.example", group="example"), [(INV, "spec.group")], id="group-without-dot"
        ),
        pytest.param(
            created(name="widgets.Example.com", group="Example.com"),
            [(INV, "spec.group")],
            id="group-not-dns",
        ),
        pytest.param(created(scope="Global"), [(NS, "spec.scope")], id="scope"),
        pytest.param(
            created(version(schema=None)), [(R, "spec.versions[0].schema.openAPIV3Schema")], id="no-schema"
        ),
        pytest.param(
            created(version("v1"), version("v2")),
            [(INV, "spec.versions"), (INV, "status.storedVersions")],
            id="two-storage-versions",
        ),
        pytest.param(
            created(version("v1", storage=False)),
            [(INV, "spec.versions"), (INV, "status.storedVersions")],
            id="no-storage-version",
        ),
        pytest.param(
            created(version("v1"), version("v1", storage=False)),
            [(INV, "spec.versions")],
            id="duplicate-versions",
        ),
        pytest.param(
            created(version("V1")),
            [(INV, "spec.versions[0].name"), (INV, "spec.version")],
            id="bad-version-name",
        ),
        pytest.param(
            created(names={"plural": "widgets", "kind": "Widget", "listKind": "Widget"}),
            [(INV, "spec.names.listKind")],
            id="kind-equals-list-kind",
        ),
        pytest.param(
            created(names={"plural": "widgets", "kind": "Widget", "shortNames": ["w_d"]}),
            [(INV, "spec.names.shortNames[0]")],
            id="bad-short-name",
        ),
        pytest.param(
            created(name=".example.com", names={"kind": "Widget"}),
            [(R, "spec.names.plural")],
            id="no-plural",
        ),
        pytest.param(
            created(preserveUnknownFields=True), [(INV, "spec.preserveUnknownFields")], id="preserve-unknown"
        ),
        pytest.param(
            created(conversion={"strategy": "Webhook"}),
            [(R, "spec.conversion.webhookClientConfig"), (R, "spec.conversion.conversionReviewVersions")],
            id="webhook-without-config",
        ),
        pytest.param(
            created(
                conversion={
                    "strategy": "Webhook",
                    "webhook": {
                        "clientConfig": {"url": "http://x.example.com"},
                        "conversionReviewVersions": ["v2"],
                    },
                }
            ),
            [
                (INV, "spec.conversion.webhookClientConfig.url"),
                (INV, "spec.conversion.conversionReviewVersions"),
            ],
            id="webhook-http-and-unknown-review",
        ),
        pytest.param(
            created(conversion={"strategy": "None", "webhook": {"conversionReviewVersions": ["v1"]}}),
            [(F, "spec.conversion.conversionReviewVersions")],
            id="none-with-webhook",
        ),
        pytest.param(
            created(conversion={"strategy": "Magic"}), [(NS, "spec.conversion.strategy")], id="strategy"
        ),
        pytest.param(
            created(name="widgets.apps.k8s.io", group="apps.k8s.io"),
            [(R, "metadata.annotations[api-approved.kubernetes.io]")],
            id="protected-group",
        ),
    ],
)
def test_invalid(obj: dict[str, Any], expected: list[tuple[ErrorType, str]]) -> None:
    assert problems(S.validate(CTX, obj)) == expected


def test_protected_groups_accept_approval() -> None:
    obj = crd(name="widgets.apps.k8s.io", group="apps.k8s.io")
    obj["metadata"]["annotations"] = {
        "api-approved.kubernetes.io": "https://github.com/kubernetes/kubernetes/pull/1"
    }
    S.default(obj)
    S.prepare_for_create(CTX, obj)
    assert S.validate(CTX, obj) == []
    obj["metadata"]["annotations"] = {"api-approved.kubernetes.io": "unapproved, experimental"}
    assert S.validate(CTX, obj) == []


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        pytest.param(
            {"type": "object", "properties": {"spec": {"properties": {"a": {"type": "string"}}}}},
            [f"{V}.properties[spec].type: Required value: must not be empty for specified object fields"],
            id="untyped-field",
        ),
        pytest.param(
            {"type": "object", "properties": {"list": {"type": "array", "items": {}}}},
            [f"{V}.properties[list].items.type: Required value: must not be empty for specified array items"],
            id="untyped-items",
        ),
        pytest.param(
            {"type": "object", "properties": {"list": {"type": "array"}}},
            [f"{V}.properties[list].items: Required value: must be specified"],
            id="array-without-items",
        ),
        pytest.param(
            {"properties": {"a": {"type": "string"}}},
            [f"{V}.type: Required value: must not be empty at the root"],
            id="untyped-root",
        ),
        pytest.param(
            {"type": "string"},
            [f'{V}.type: Invalid value: "string": must be object at the root'],
            id="string-root",
        ),
        pytest.param(
            {"type": "object", "properties": {"a": {"type": "text"}}},
            [
                f'{V}.properties[a].type: Unsupported value: "text": supported values: "array", "boolean", '
                '"integer", "number", "object", "string"'
            ],
            id="unknown-type",
        ),
        pytest.param(
            {"type": "object", "additionalProperties": {"type": "string"}},
            [f"{V}.additionalProperties: Forbidden: must not be used at the root"],
            id="additional-properties-at-root",
        ),
        pytest.param(
            {
                "type": "object",
                "properties": {
                    "a": {
                        "type": "object",
                        "properties": {"b": {"type": "string"}},
                        "additionalProperties": {"type": "string"},
                    }
                },
            },
            [
                f"{V}.properties[a].additionalProperties: Forbidden: "
                "additionalProperties and properties are mutual exclusive"
            ],
            id="properties-and-additional",
        ),
        pytest.param(
            {"type": "object", "properties": {"a": {"type": "string", "anyOf": [{"type": "string"}]}}},
            [f"{V}.properties[a].anyOf[0].type: Forbidden: must be empty to be structural"],
            id="typed-any-of",
        ),
        pytest.param(
            {
                "type": "object",
                "properties": {"metadata": {"type": "object", "properties": {"labels": {"type": "object"}}}},
            },
            [
                f"{V}.properties[metadata]: Forbidden: must not specify anything other than name and "
                "generateName, "
                "but metadata is implicitly specified"
            ],
            id="metadata-fields",
        ),
        pytest.param(
            {
                "type": "object",
                "properties": {"a": {"type": "string", "x-kubernetes-preserve-unknown-fields": False}},
            },
            [
                f"{V}.properties[a].x-kubernetes-preserve-unknown-fields: Invalid value: false: "
                "must be true or undefined"
            ],
            id="preserve-false",
        ),
        pytest.param(
            {"type": "object", "properties": {"a": {"type": "string", "x-kubernetes-list-type": "set"}}},
            [
                f'{V}.properties[a].type: Invalid value: "string": '
                "must be array if x-kubernetes-list-type is specified"
            ],
            id="list-type-on-string",
        ),
        pytest.param(
            {
                "type": "object",
                "properties": {
                    "a": {
                        "type": "array",
                        "x-kubernetes-list-type": "map",
                        "items": {"type": "object", "properties": {"k": {"type": "string"}}},
                    }
                },
            },
            [
                f"{V}.properties[a].x-kubernetes-list-map-keys: Required value: "
                "must not be empty if x-kubernetes-list-type is map"
            ],
            id="map-list-without-keys",
        ),
        pytest.param(
            {"type": "object", "properties": {"a": {"type": "string", "uniqueItems": True}}},
            [
                f"{V}.properties[a].uniqueItems: Forbidden: uniqueItems cannot be set to true since the "
                "runtime "
                "complexity becomes quadratic"
            ],
            id="unique-items",
        ),
        pytest.param(
            {"type": "object", "properties": {"metadata": {"type": "object", "default": {}}}},
            [f"{V}.properties[metadata].default: Forbidden: must not be set in top-level metadata"],
            id="default-in-metadata",
        ),
        pytest.param(
            {"type": "object", "x-kubernetes-validations": [{"rule": " "}]},
            [f"{V}.x-kubernetes-validations[0].rule: Required value: rule is not specified"],
            id="empty-rule",
        ),
    ],
)
def test_schema(schema: dict[str, Any], expected: list[str]) -> None:
    assert [str(e) for e in S.validate(CTX, with_schema(schema))] == expected


def test_per_version_schemas_are_reported_per_version() -> None:
    broken = {"type": "object", "properties": {"a": {}}}
    obj = created(version("v1"), version("v2", storage=False, schema=broken))
    assert [str(e) for e in S.validate(CTX, obj)] == [
        "spec.versions[1].schema.openAPIV3Schema.properties[a].type: Required value: "
        "must not be empty for specified object fields"
    ]


def test_status_subresource_limits_the_root() -> None:
    obj = created(version(schema={"type": "object", "nullable": True}, subresources={"status": {}}))
    errs = S.validate(CTX, obj)
    assert problems(errs) == [(INV, V), (F, f"{V}.nullable")]
    assert (
        "fields are allowed at the root of the schema if the status subresource is enabled" in errs[0].detail
    )


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        pytest.param(
            {
                "subresources": {
                    "scale": {"specReplicasPath": ".status.replicas", "statusReplicasPath": "replicas"}
                }
            },
            [
                (INV, "spec.subresources.scale.specReplicasPath"),
                (INV, "spec.subresources.scale.statusReplicasPath"),
            ],
            id="scale-paths",
        ),
        pytest.param(
            {"additionalPrinterColumns": [{"name": "Ready", "type": "bool", "jsonPath": ""}]},
            [
                (INV, "spec.additionalPrinterColumns[0].type"),
                (R, "spec.additionalPrinterColumns[0].JSONPath"),
            ],
            id="columns",
        ),
        pytest.param(
            {"selectableFields": [{"jsonPath": ".spec.replicas"}, {"jsonPath": ".spec.replicas"}]},
            [(D, "spec.selectableFields[1].jsonPath")],
            id="selectable-fields",
        ),
        pytest.param(
            {"deprecationWarning": "soon"}, [(INV, "spec.versions[0].deprecationWarning")], id="warning"
        ),
    ],
)
def test_version_extras(extra: dict[str, Any], expected: list[tuple[ErrorType, str]]) -> None:
    assert problems(S.validate(CTX, created(version(**extra)))) == expected


def test_update_keeps_identity() -> None:
    old = created()
    new = copy.deepcopy(old)
    new["spec"]["group"] = "other.com"
    new["spec"]["names"]["plural"] = "gadgets"
    new["spec"]["scope"] = "Cluster"
    new["spec"]["names"]["kind"] = "Gadget"
    new["spec"]["names"]["listKind"] = "GadgetList"
    assert problems(S.validate_update(CTX, new, old)) == [(INV, "spec.group"), (INV, "spec.names.plural")]
    old["status"]["conditions"] = [{"type": "Established", "status": "True"}]
    assert problems(S.validate_update(CTX, new, old)) == [
        (INV, "spec.scope"),
        (INV, "spec.names.kind"),
        (INV, "spec.group"),
        (INV, "spec.names.plural"),
    ]


def test_stored_versions_follow_the_storage_version() -> None:
    old = created(version("v1"), version("v2", storage=False))
    new = copy.deepcopy(old)
    new["spec"]["versions"][0]["storage"] = False
    new["spec"]["versions"][1]["storage"] = True
    S.prepare_for_update(CTX, new, old)
    assert new["status"]["storedVersions"] == ["v1", "v2"] and new["metadata"]["generation"] == 2
    assert S.validate_update(CTX, new, old) == []
    dropped = copy.deepcopy(new)
    dropped["spec"]["versions"] = [dropped["spec"]["versions"][1]]
    errs = S.validate_update(CTX, dropped, new)
    assert [(e.type, e.field) for e in errs] == [(INV, "status.storedVersions[0]")]
    assert errs[0].detail.startswith("missing from spec.versions; v1 was previously a storage version")


def test_status_update_checks_accepted_names() -> None:
    old = created()
    new = copy.deepcopy(old)
    new["status"]["acceptedNames"] = {"plural": "Widgets", "kind": "Widget"}
    new["spec"]["scope"] = "Cluster"  # ignored through status
    S.prepare_for_status_update(CTX, new, old)
    assert new["spec"] == old["spec"]
    assert problems(S.validate_status_update(CTX, new, old)) == [(INV, "status.acceptedNames.plural")]


def test_table_row() -> None:
    obj = created(
        version("v1"), version("v1beta1", storage=False), version("v1alpha1", served=False, storage=False)
    )
    # No printer in apiextensions-apiserver: the default table, as `kubectl get crds` shows it.
    columns = S.table_columns()
    assert [(c["name"], c["type"], c["format"], c["priority"]) for c in columns] == [
        ("Name", "string", "name", 0),
        ("Created At", "date", "", 0),
    ]
    assert S.table_row(obj, 0) == ["widgets.example.com", CREATED]
