"""Types of apiextensions.v1: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    TIME,
    Schema,
    boolean,
    byte_string,
    define,
    int64,
    integer,
    list_of,
    map_of,
    number,
    ref,
    string,
    struct,
)
from pyk8s.kinds import meta

P = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1."

CustomResourceColumnDefinition = struct(
    P + "CustomResourceColumnDefinition",
    "A column that table output, such as kubectl get, shows for objects of the custom resource.",
    required=("name", "type", "jsonPath"),
    description=string("Human-readable explanation of what the column holds."),
    format=string("Optional OpenAPI format hint for displaying the values, such as date or byte."),
    jsonPath=string("Simple JSON path, evaluated on each object, that yields the value of the column."),
    name=string("Header of the column, as users see it."),
    priority=integer("Importance of the column: 0 is always shown, higher numbers only in wide output."),
    type=string("OpenAPI type of the values: integer, number, string, boolean or date."),
)

ServiceReference = struct(
    P + "ServiceReference",
    "An in-cluster Service that conversion webhook calls are sent to.",
    required=("namespace", "name"),
    name=string("Name of the Service."),
    namespace=string("Namespace the Service lives in."),
    path=string("Optional URL path added to every request sent to the Service."),
    port=integer("Port of the Service to call. Defaults to 443."),
)

WebhookClientConfig = struct(
    P + "WebhookClientConfig",
    "How the API server connects to a conversion webhook: by URL or through an in-cluster Service.",
    caBundle=byte_string(
        "PEM CA certificates that verify the webhook's serving certificate; system roots if empty."
    ),
    service=ref(ServiceReference, "In-cluster Service hosting the webhook; set either this or url."),
    url=string("The webhook's https URL, without user info, query or fragment."),
)

WebhookConversion = struct(
    P + "WebhookConversion",
    "Settings for converting custom objects between versions by calling a webhook.",
    required=("conversionReviewVersions",),
    clientConfig=ref(WebhookClientConfig, "How to reach the webhook; needed when the strategy is Webhook."),
    conversionReviewVersions=list_of(
        string(), "Versions of ConversionReview the webhook accepts, most preferred first."
    ),
)

CustomResourceConversion = struct(
    P + "CustomResourceConversion",
    "How objects of a custom resource are translated between its versions.",
    required=("strategy",),
    strategy=string("None only rewrites apiVersion; Webhook asks an external service to convert."),
    webhook=ref(WebhookConversion, "Webhook settings, required when the strategy is Webhook."),
)

CustomResourceDefinitionNames = struct(
    P + "CustomResourceDefinitionNames",
    "The names under which a custom resource is served and referred to.",
    required=("plural", "kind"),
    categories=list_of(
        string(), "Group aliases, such as all, whose listing in kubectl includes this resource."
    ),
    kind=string("CamelCase singular type name, written in the kind field of objects."),
    listKind=string("Kind of list objects. Defaults to the kind followed by List."),
    plural=string("Lowercase plural name, used in the URL path of the resource."),
    shortNames=list_of(string(), "Short aliases kubectl accepts for the resource, such as crd."),
    singular=string("Lowercase singular name. Defaults to the kind in lowercase."),
)

CustomResourceSubresourceScale = struct(
    P + "CustomResourceSubresourceScale",
    "Where the scale subresource reads replica counts and the label selector from the custom object.",
    required=("specReplicasPath", "statusReplicasPath"),
    labelSelectorPath=string(
        "JSON path under .spec or .status to a string selector reported to autoscalers."
    ),
    specReplicasPath=string("JSON path under .spec to the desired number of replicas."),
    statusReplicasPath=string("JSON path under .status to the observed number of replicas."),
)

CustomResourceSubresourceStatus = struct(
    P + "CustomResourceSubresourceStatus",
    "Turns on a status subresource, so status and the rest of the object are written separately.",
)

CustomResourceSubresources = struct(
    P + "CustomResourceSubresources",
    "The subresources served for a custom resource version.",
    scale=ref(
        CustomResourceSubresourceScale, "Serves a scale subresource, for autoscalers and kubectl scale."
    ),
    status=ref(
        CustomResourceSubresourceStatus,
        "Serves a status subresource; writes to the object then ignore status.",
    ),
)

ExternalDocumentation = struct(
    P + "ExternalDocumentation",
    "A pointer to more documentation about a schema.",
    description=string("What the linked documentation is about."),
    url=string("Address of the documentation."),
)

# Any JSON value (no type in the schema): kept as sent.
JSON = Schema(
    name=P + "JSON", go_name="JSON", description="An arbitrary JSON value, such as a default or an example."
)

# Any JSON value (no type in the schema): kept as sent.
JSONSchemaPropsOrArray = Schema(
    name=P + "JSONSchemaPropsOrArray",
    go_name="JSONSchemaPropsOrArray",
    description="Either a single schema for every array item or a list of schemas, one per position.",
)

# Any JSON value (no type in the schema): kept as sent.
JSONSchemaPropsOrBool = Schema(
    name=P + "JSONSchemaPropsOrBool",
    go_name="JSONSchemaPropsOrBool",
    description="Either a boolean allowing or forbidding additional entries, or a schema they must match.",
)

# Any JSON value (no type in the schema): kept as sent.
JSONSchemaPropsOrStringArray = Schema(
    name=P + "JSONSchemaPropsOrStringArray",
    go_name="JSONSchemaPropsOrStringArray",
    description="Either a schema or a list of property names.",
)

ValidationRule = struct(
    P + "ValidationRule",
    "A CEL expression that a value of the custom resource must satisfy when written.",
    required=("rule",),
    fieldPath=string("Path, relative to where the rule sits, of the field blamed in the error."),
    message=string("Fixed error message returned when the rule is not satisfied."),
    messageExpression=string("CEL expression building the error message; it takes precedence over message."),
    optionalOldSelf=boolean("Runs a transition rule on creation too, with oldSelf as an empty optional."),
    reason=string("Machine-readable reason reported on failure. Defaults to FieldValueInvalid."),
    rule=string(
        "The CEL expression; self is the value here and oldSelf, in transition rules, the previous value."
    ),
)

JSONSchemaProps = struct(
    P + "JSONSchemaProps",
    "An OpenAPI v3 schema, with Kubernetes extensions, describing a value of a custom resource.",
)
CustomResourceValidation = struct(
    P + "CustomResourceValidation",
    "The validation of objects of one custom resource version.",
    openAPIV3Schema=ref(JSONSchemaProps, "Structural schema used to validate, prune and default objects."),
)

SelectableField = struct(
    P + "SelectableField",
    "A field of the custom resource that field selectors may use.",
    required=("jsonPath",),
    jsonPath=string("Simple JSON path to a string, integer or boolean field to select on."),
)

CustomResourceDefinitionVersion = struct(
    P + "CustomResourceDefinitionVersion",
    "One version a custom resource is served under, with its schema and subresources.",
    required=("name", "served", "storage"),
    additionalPrinterColumns=list_of(
        CustomResourceColumnDefinition, "Columns for table output; only name and age are shown when unset."
    ),
    deprecated=boolean("Marks the version deprecated, so clients using it get a warning."),
    deprecationWarning=string("Replaces the default warning sent to clients of a deprecated version."),
    name=string("Name of the version, used in URL paths, such as v1 or v2beta1."),
    schema=ref(
        CustomResourceValidation, "Schema for validating, pruning and defaulting objects of this version."
    ),
    selectableFields=list_of(
        SelectableField, "Fields other than name and namespace that list and watch requests may select on."
    ),
    served=boolean("Whether the version's REST endpoints are enabled."),
    storage=boolean(
        "Whether objects are stored in this version; exactly one version is the storage version."
    ),
    subresources=ref(CustomResourceSubresources, "Status and scale subresources of this version."),
)

CustomResourceDefinitionSpec = struct(
    P + "CustomResourceDefinitionSpec",
    "The desired shape and behaviour of a custom resource.",
    required=("group", "names", "scope", "versions"),
    conversion=ref(CustomResourceConversion, "How objects are converted from one version to another."),
    group=string("API group of the resource, served under /apis/<group>/<version>."),
    names=ref(
        CustomResourceDefinitionNames, "Plural, singular, kind and short names the resource is known by."
    ),
    preserveUnknownFields=boolean(
        "Deprecated and must be false; keep unknown fields with x-kubernetes-preserve-unknown-fields instead."
    ),
    scope=string("Namespaced or Cluster: whether objects belong to a namespace."),
    versions=list_of(CustomResourceDefinitionVersion, "Versions the resource is served under."),
)

CustomResourceDefinitionCondition = struct(
    P + "CustomResourceDefinitionCondition",
    "One observation about the state of a CustomResourceDefinition.",
    required=("type", "status"),
    lastTransitionTime=ref(TIME, "When the condition last changed status."),
    message=string("Human-readable details of the last change."),
    observedGeneration=int64("Generation of the definition the condition was computed from."),
    reason=string("CamelCase word for the cause of the last change."),
    status=string("True, False or Unknown."),
    type=string("What the condition is about, such as Established or NamesAccepted."),
)

CustomResourceDefinitionStatus = struct(
    P + "CustomResourceDefinitionStatus",
    "The state of a CustomResourceDefinition as observed by the API server.",
    acceptedNames=ref(
        CustomResourceDefinitionNames,
        "Names actually in use; they can lag behind spec.names while in conflict.",
    ),
    conditions=list_of(
        CustomResourceDefinitionCondition,
        "Latest observations of the definition's state.",
        list_type="map",
        map_keys=("type",),
    ),
    observedGeneration=int64("Generation of the definition last handled by the controller."),
    storedVersions=list_of(
        string(), "Every version objects have been stored in; drop one only after migrating its objects."
    ),
)

CustomResourceDefinition = struct(
    P + "CustomResourceDefinition",
    "Adds a new resource type, described by a schema, to the API server.",
    required=("spec",),
    gvk=("apiextensions.k8s.io", "v1", "CustomResourceDefinition"),
    apiVersion=string("API group and version the object is written in."),
    kind=string("Type of the object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Standard object metadata: name, labels, annotations and so on."),
    spec=ref(CustomResourceDefinitionSpec, "The resource type to serve."),
    status=ref(
        CustomResourceDefinitionStatus, "What the API server has observed and accepted of the definition."
    ),
)

CustomResourceDefinitionList = struct(
    P + "CustomResourceDefinitionList",
    "A list of CustomResourceDefinitions.",
    required=("items",),
    gvk=("apiextensions.k8s.io", "v1", "CustomResourceDefinitionList"),
    apiVersion=string("API group and version the list is written in."),
    items=list_of(CustomResourceDefinition, "The CustomResourceDefinitions."),
    kind=string("Type of the list, in CamelCase."),
    metadata=ref(meta.LIST_META, "Standard list metadata, such as the resource version and continue token."),
)

define(
    JSONSchemaProps,
    **{"$ref": string("Reference to another schema; custom resource schemas may not use it.")},
    **{"$schema": string("URI of the JSON Schema dialect the schema is written in.")},
    additionalItems=ref(
        JSONSchemaPropsOrBool,
        "Whether, or against which schema, items past the positional schemas are allowed.",
    ),
    additionalProperties=ref(
        JSONSchemaPropsOrBool,
        "Schema of the values of a map with free-form keys; cannot be combined with properties.",
    ),
    allOf=list_of(JSONSchemaProps, "Schemas the value must satisfy, every one of them."),
    anyOf=list_of(JSONSchemaProps, "Schemas the value must satisfy, at least one of them."),
    default=ref(JSON, "Value filled in when the field is missing; it must itself be valid."),
    definitions=map_of(JSONSchemaProps, "Named schemas that can be reused inside this one."),
    dependencies=map_of(
        JSONSchemaPropsOrStringArray,
        "Per property, a schema or the properties that must be present along with it.",
    ),
    description=string("Human-readable explanation of the value, shown by kubectl explain."),
    enum=list_of(JSON, "The only values allowed."),
    example=ref(JSON, "A sample value, for documentation."),
    exclusiveMaximum=boolean("Makes maximum a strict bound: the value must be below it."),
    exclusiveMinimum=boolean("Makes minimum a strict bound: the value must be above it."),
    externalDocs=ref(ExternalDocumentation, "Link to further documentation of the value."),
    format=string("Format of a string, such as date-time, uuid or byte; known formats are validated."),
    id=string("Identifier of the schema."),
    items=ref(JSONSchemaPropsOrArray, "Schema of the items of an array."),
    maxItems=int64("Most items an array may hold."),
    maxLength=int64("Longest a string may be."),
    maxProperties=int64("Most properties an object may have."),
    maximum=number("Upper bound of a number."),
    minItems=int64("Fewest items an array may hold."),
    minLength=int64("Shortest a string may be."),
    minProperties=int64("Fewest properties an object may have."),
    minimum=number("Lower bound of a number."),
    multipleOf=number("A number must be a whole multiple of this."),
    **{"not": ref(JSONSchemaProps, "Schema the value must not satisfy.")},
    nullable=boolean("Accepts null as a value and keeps it, instead of dropping the field."),
    oneOf=list_of(JSONSchemaProps, "Schemas the value must satisfy, exactly one of them."),
    pattern=string("ECMA 262 regular expression strings must match."),
    patternProperties=map_of(JSONSchemaProps, "Schemas of properties whose names match regular expressions."),
    properties=map_of(JSONSchemaProps, "Schemas of the named fields of an object."),
    required=list_of(string(), "Properties an object must have."),
    title=string("Short title of the schema."),
    type=string("JSON type of the value: object, array, string, integer, number or boolean."),
    uniqueItems=boolean("Requires the items of an array to be distinct."),
    **{
        "x-kubernetes-embedded-resource": boolean(
            "Marks an object holding a full Kubernetes object; apiVersion, kind and metadata get checked."
        )
    },
    **{"x-kubernetes-int-or-string": boolean("Accepts an integer or a string here.")},
    **{
        "x-kubernetes-list-map-keys": list_of(
            string(), "For lists of type map, the item fields that together identify an entry."
        )
    },
    **{"x-kubernetes-list-type": string("How server-side apply merges the list: atomic, set or map.")},
    **{
        "x-kubernetes-map-type": string(
            "How server-side apply merges the object: granular, key by key, or atomic, as a whole."
        )
    },
    **{
        "x-kubernetes-preserve-unknown-fields": boolean(
            "Keeps fields the schema does not name, instead of pruning."
        )
    },
    **{
        "x-kubernetes-validations": list_of(
            ValidationRule,
            "CEL rules the value must satisfy.",
            list_type="map",
            map_keys=("rule",),
            patch_strategy="merge",
            merge_key="rule",
        )
    },
)
