"""Types of apiextensions.v1: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    TIME,
    boolean,
    byte_string,
    define,
    int64,
    integer,
    list_of,
    map_of,
    number,
    string,
    struct,
)
from pyk8s.kinds import meta

P = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1."

CustomResourceColumnDefinition = struct(
    P + "CustomResourceColumnDefinition",
    "",
    required=("name", "type", "jsonPath"),
    description=string(),
    format=string(),
    jsonPath=string(),
    name=string(),
    priority=integer(),
    type=string(),
)

ServiceReference = struct(
    P + "ServiceReference",
    "",
    required=("namespace", "name"),
    name=string(),
    namespace=string(),
    path=string(),
    port=integer(),
)

WebhookClientConfig = struct(
    P + "WebhookClientConfig",
    "",
    caBundle=byte_string(),
    service=ServiceReference,
    url=string(),
)

WebhookConversion = struct(
    P + "WebhookConversion",
    "",
    required=("conversionReviewVersions",),
    clientConfig=WebhookClientConfig,
    conversionReviewVersions=list_of(string(), ""),
)

CustomResourceConversion = struct(
    P + "CustomResourceConversion",
    "",
    required=("strategy",),
    strategy=string(),
    webhook=WebhookConversion,
)

CustomResourceDefinitionNames = struct(
    P + "CustomResourceDefinitionNames",
    "",
    required=("plural", "kind"),
    categories=list_of(string(), ""),
    kind=string(),
    listKind=string(),
    plural=string(),
    shortNames=list_of(string(), ""),
    singular=string(),
)

CustomResourceSubresourceScale = struct(
    P + "CustomResourceSubresourceScale",
    "",
    required=("specReplicasPath", "statusReplicasPath"),
    labelSelectorPath=string(),
    specReplicasPath=string(),
    statusReplicasPath=string(),
)

CustomResourceSubresourceStatus = struct(
    P + "CustomResourceSubresourceStatus",
    "",
)

CustomResourceSubresources = struct(
    P + "CustomResourceSubresources",
    "",
    scale=CustomResourceSubresourceScale,
    status=CustomResourceSubresourceStatus,
)

ExternalDocumentation = struct(
    P + "ExternalDocumentation",
    "",
    description=string(),
    url=string(),
)

JSON = struct(
    P + "JSON",
    "",
)

JSONSchemaPropsOrArray = struct(
    P + "JSONSchemaPropsOrArray",
    "",
)

JSONSchemaPropsOrBool = struct(
    P + "JSONSchemaPropsOrBool",
    "",
)

JSONSchemaPropsOrStringArray = struct(
    P + "JSONSchemaPropsOrStringArray",
    "",
)

ValidationRule = struct(
    P + "ValidationRule",
    "",
    required=("rule",),
    fieldPath=string(),
    message=string(),
    messageExpression=string(),
    optionalOldSelf=boolean(),
    reason=string(),
    rule=string(),
)

JSONSchemaProps = struct(P + "JSONSchemaProps", "")
CustomResourceValidation = struct(
    P + "CustomResourceValidation",
    "",
    openAPIV3Schema=JSONSchemaProps,
)

SelectableField = struct(
    P + "SelectableField",
    "",
    required=("jsonPath",),
    jsonPath=string(),
)

CustomResourceDefinitionVersion = struct(
    P + "CustomResourceDefinitionVersion",
    "",
    required=("name", "served", "storage"),
    additionalPrinterColumns=list_of(CustomResourceColumnDefinition, ""),
    deprecated=boolean(),
    deprecationWarning=string(),
    name=string(),
    schema=CustomResourceValidation,
    selectableFields=list_of(SelectableField, ""),
    served=boolean(),
    storage=boolean(),
    subresources=CustomResourceSubresources,
)

CustomResourceDefinitionSpec = struct(
    P + "CustomResourceDefinitionSpec",
    "",
    required=("group", "names", "scope", "versions"),
    conversion=CustomResourceConversion,
    group=string(),
    names=CustomResourceDefinitionNames,
    preserveUnknownFields=boolean(),
    scope=string(),
    versions=list_of(CustomResourceDefinitionVersion, ""),
)

CustomResourceDefinitionCondition = struct(
    P + "CustomResourceDefinitionCondition",
    "",
    required=("type", "status"),
    lastTransitionTime=TIME,
    message=string(),
    observedGeneration=int64(),
    reason=string(),
    status=string(),
    type=string(),
)

CustomResourceDefinitionStatus = struct(
    P + "CustomResourceDefinitionStatus",
    "",
    acceptedNames=CustomResourceDefinitionNames,
    conditions=list_of(CustomResourceDefinitionCondition, "", list_type="map", map_keys=("type",)),
    observedGeneration=int64(),
    storedVersions=list_of(string(), ""),
)

CustomResourceDefinition = struct(
    P + "CustomResourceDefinition",
    "",
    required=("spec",),
    gvk=("apiextensions.k8s.io", "v1", "CustomResourceDefinition"),
    apiVersion=string(),
    kind=string(),
    metadata=meta.OBJECT_META,
    spec=CustomResourceDefinitionSpec,
    status=CustomResourceDefinitionStatus,
)

CustomResourceDefinitionList = struct(
    P + "CustomResourceDefinitionList",
    "",
    required=("items",),
    gvk=("apiextensions.k8s.io", "v1", "CustomResourceDefinitionList"),
    apiVersion=string(),
    items=list_of(CustomResourceDefinition, ""),
    kind=string(),
    metadata=meta.LIST_META,
)

define(
    JSONSchemaProps,
    **{"$ref": string()},
    **{"$schema": string()},
    additionalItems=JSONSchemaPropsOrBool,
    additionalProperties=JSONSchemaPropsOrBool,
    allOf=list_of(JSONSchemaProps, ""),
    anyOf=list_of(JSONSchemaProps, ""),
    default=JSON,
    definitions=map_of(JSONSchemaProps, ""),
    dependencies=map_of(JSONSchemaPropsOrStringArray, ""),
    description=string(),
    enum=list_of(JSON, ""),
    example=JSON,
    exclusiveMaximum=boolean(),
    exclusiveMinimum=boolean(),
    externalDocs=ExternalDocumentation,
    format=string(),
    id=string(),
    items=JSONSchemaPropsOrArray,
    maxItems=int64(),
    maxLength=int64(),
    maxProperties=int64(),
    maximum=number(),
    minItems=int64(),
    minLength=int64(),
    minProperties=int64(),
    minimum=number(),
    multipleOf=number(),
    **{"not": JSONSchemaProps},
    nullable=boolean(),
    oneOf=list_of(JSONSchemaProps, ""),
    pattern=string(),
    patternProperties=map_of(JSONSchemaProps, ""),
    properties=map_of(JSONSchemaProps, ""),
    required=list_of(string(), ""),
    title=string(),
    type=string(),
    uniqueItems=boolean(),
    **{"x-kubernetes-embedded-resource": boolean()},
    **{"x-kubernetes-int-or-string": boolean()},
    **{"x-kubernetes-list-map-keys": list_of(string(), "")},
    **{"x-kubernetes-list-type": string()},
    **{"x-kubernetes-map-type": string()},
    **{"x-kubernetes-preserve-unknown-fields": boolean()},
    **{
        "x-kubernetes-validations": list_of(
            ValidationRule, "", list_type="map", map_keys=("rule",), patch_strategy="merge", merge_key="rule"
        )
    },
)
