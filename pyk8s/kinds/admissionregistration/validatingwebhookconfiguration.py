"""ValidatingWebhookConfiguration: webhooks the API server asks before admitting a write.

The rules both webhook kinds share (names, rules, client config, side effects, review
versions, selectors, match conditions) live here too.
"""

from __future__ import annotations

from typing import Any

from pyk8s.api.fields import FieldErrors, FieldPath, duplicate, invalid, not_supported, required, too_many
from pyk8s.api.resource import AGE, NAME, Column, Obj, RequestContext, ResourceInfo, ResourceStrategy
from pyk8s.api.table import age
from pyk8s.api.validation import (
    dns1035_label,
    is_fully_qualified_name,
    validate_label_selector,
    validate_qualified_name,
    validate_webhook_service,
    validate_webhook_url,
)
from pyk8s.kinds.admissionregistration import types

GROUP = "admissionregistration.k8s.io"

RESOURCE = ResourceInfo(
    group=GROUP,
    version="v1",
    kind="ValidatingWebhookConfiguration",
    plural="validatingwebhookconfigurations",
    singular="validatingwebhookconfiguration",
    namespaced=False,
    categories=("api-extensions",),
)

FAILURE_POLICIES = ["Fail", "Ignore"]
MATCH_POLICIES = ["Equivalent", "Exact"]
SIDE_EFFECTS = ["None", "NoneOnDryRun", "Some", "Unknown"]
NO_SIDE_EFFECTS = ["None", "NoneOnDryRun"]
OPERATIONS = ["*", "CONNECT", "CREATE", "DELETE", "UPDATE"]
SCOPES = ["*", "Cluster", "Namespaced"]
REINVOCATION_POLICIES = ["IfNeeded", "Never"]
REVIEW_VERSIONS = ["v1", "v1beta1"]
MAX_MATCH_CONDITIONS = 64


def default_webhook(hook: dict[str, Any], *, mutating: bool) -> None:
    """SetDefaults_ValidatingWebhook / SetDefaults_MutatingWebhook."""
    hook.setdefault("failurePolicy", "Fail")
    hook.setdefault("matchPolicy", "Equivalent")
    hook.setdefault("namespaceSelector", {})
    hook.setdefault("objectSelector", {})
    hook.setdefault("timeoutSeconds", 10)
    if mutating:
        hook.setdefault("reinvocationPolicy", "Never")
    for rule in hook.get("rules") or []:
        rule.setdefault("scope", "*")
    service = (hook.get("clientConfig") or {}).get("service")
    if isinstance(service, dict):
        service.setdefault("port", 443)


def _validate_resources(resources: list[str], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    if not resources:
        errs.append(required(path))
    with_any_sub: set[str] = set()  # x/*
    any_with_sub: set[str] = set()  # */x
    double = single = plain = False
    for i, item in enumerate(resources):
        if not item:
            errs.append(required(path.index(i)))
            continue
        double = double or item == "*/*"
        single = single or item == "*"
        resource, slash, sub = item.partition("/")
        if not slash:
            plain = item != "*"
            continue
        if resource in with_any_sub:
            errs.append(
                invalid(path.index(i), item, f"if '{resource}/*' is present, must not specify {item}")
            )
        if sub in any_with_sub:
            errs.append(invalid(path.index(i), item, f"if '*/{sub}' is present, must not specify {item}"))
        if sub == "*":
            with_any_sub.add(resource)
        if resource == "*":
            any_with_sub.add(sub)
    if len(resources) > 1 and double:
        errs.append(invalid(path, resources, "if '*/*' is present, must not specify other resources"))
    if single and plain:
        errs.append(
            invalid(
                path, resources, "if '*' is present, must not specify other resources without subresources"
            )
        )
    return errs


def validate_rule(rule: dict[str, Any], path: FieldPath) -> FieldErrors:
    """A RuleWithOperations."""
    errs: FieldErrors = []
    operations = rule.get("operations") or []
    if not operations:
        errs.append(required(path.child("operations")))
    if len(operations) > 1 and "*" in operations:
        errs.append(
            invalid(
                path.child("operations"), operations, "if '*' is present, must not specify other operations"
            )
        )
    for i, operation in enumerate(operations):
        if operation not in OPERATIONS:
            errs.append(not_supported(path.child("operations").index(i), operation, OPERATIONS))
    groups = rule.get("apiGroups") or []
    if not groups:
        errs.append(required(path.child("apiGroups")))
    if len(groups) > 1 and "*" in groups:
        errs.append(
            invalid(path.child("apiGroups"), groups, "if '*' is present, must not specify other API groups")
        )
    versions = rule.get("apiVersions") or []
    if not versions:
        errs.append(required(path.child("apiVersions")))
    if len(versions) > 1 and "*" in versions:
        errs.append(
            invalid(
                path.child("apiVersions"), versions, "if '*' is present, must not specify other API versions"
            )
        )
    for i, version in enumerate(versions):
        if not version:
            errs.append(required(path.child("apiVersions").index(i)))
    errs += _validate_resources(rule.get("resources") or [], path.child("resources"))
    scope = rule.get("scope")
    if scope is not None and scope not in SCOPES:
        errs.append(not_supported(path.child("scope"), scope, SCOPES))
    return errs


def validate_review_versions(versions: list[str], path: FieldPath, *, require_known: bool) -> FieldErrors:
    if not versions:
        return [required(path, "must specify one of " + ", ".join(REVIEW_VERSIONS))]
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


def validate_match_conditions(conditions: list[Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    if len(conditions) > MAX_MATCH_CONDITIONS:
        errs.append(too_many(path, len(conditions), MAX_MATCH_CONDITIONS))
    names: set[str] = set()
    for i, condition in enumerate(conditions):
        cpath = path.index(i)
        if not str(condition.get("expression", "")).strip():
            errs.append(required(cpath.child("expression")))
        name = condition.get("name", "")
        if not name:
            errs.append(required(cpath.child("name")))
        else:
            errs += validate_qualified_name(name, cpath.child("name"))
            if name in names:
                errs.append(duplicate(cpath.child("name"), name))
            names.add(name)
    return errs


def validate_client_config(config: dict[str, Any], path: FieldPath) -> FieldErrors:
    url, service = config.get("url"), config.get("service")
    if (url is None) == (service is None):
        return [required(path, "exactly one of url or service is required")]
    if url is not None:
        return validate_webhook_url(path.child("url"), url)
    return validate_webhook_service(path.child("service"), service)


def validate_webhook(
    hook: dict[str, Any], path: FieldPath, opts: dict[str, bool], *, mutating: bool
) -> FieldErrors:
    errs = is_fully_qualified_name(path.child("name"), hook.get("name", ""))
    for i, rule in enumerate(hook.get("rules") or []):
        errs += validate_rule(rule, path.child("rules").index(i))
    policy = hook.get("failurePolicy")
    if policy is not None and policy not in FAILURE_POLICIES:
        errs.append(not_supported(path.child("failurePolicy"), policy, FAILURE_POLICIES))
    match = hook.get("matchPolicy")
    if match is not None and match not in MATCH_POLICIES:
        errs.append(not_supported(path.child("matchPolicy"), match, MATCH_POLICIES))
    allowed = NO_SIDE_EFFECTS if opts["no_side_effects"] else SIDE_EFFECTS
    side_effects = hook.get("sideEffects")
    if side_effects is None:
        errs.append(required(path.child("sideEffects"), "must specify one of " + ", ".join(allowed)))
    elif side_effects not in allowed:
        errs.append(not_supported(path.child("sideEffects"), side_effects, allowed))
    timeout = hook.get("timeoutSeconds")
    if isinstance(timeout, int) and not 1 <= timeout <= 30:
        errs.append(
            invalid(
                path.child("timeoutSeconds"), timeout, "the timeout value must be between 1 and 30 seconds"
            )
        )
    for key in ("namespaceSelector", "objectSelector"):
        if hook.get(key) is not None:
            errs += validate_label_selector(hook[key], path.child(key))
    if mutating:
        reinvocation = hook.get("reinvocationPolicy")
        if reinvocation is not None and reinvocation not in REINVOCATION_POLICIES:
            errs.append(not_supported(path.child("reinvocationPolicy"), reinvocation, REINVOCATION_POLICIES))
    errs += validate_client_config(hook.get("clientConfig") or {}, path.child("clientConfig"))
    if not opts["unchanged_match_conditions"]:
        errs += validate_match_conditions(hook.get("matchConditions") or [], path.child("matchConditions"))
    return errs


def create_options() -> dict[str, bool]:
    return {
        "no_side_effects": True,
        "known_versions": True,
        "unique_names": True,
        "unchanged_match_conditions": False,
    }


def update_options(obj: Obj, old: Obj) -> dict[str, bool]:
    """What stays tolerated on update because the stored object already has it."""
    hooks, old_hooks = obj.get("webhooks") or [], old.get("webhooks") or []
    names = [h.get("name") for h in old_hooks]
    return {
        "no_side_effects": all(h.get("sideEffects") in NO_SIDE_EFFECTS for h in old_hooks),
        "known_versions": all(
            not h.get("admissionReviewVersions")
            or any(v in REVIEW_VERSIONS for v in h["admissionReviewVersions"])
            for h in old_hooks
        ),
        "unique_names": len(names) == len(set(names)),
        "unchanged_match_conditions": len(hooks) == len(old_hooks)
        and all(
            a.get("matchConditions") == b.get("matchConditions")
            for a, b in zip(hooks, old_hooks, strict=True)
        ),
    }


def validate_configuration(obj: Obj, opts: dict[str, bool], *, mutating: bool) -> FieldErrors:
    errs: FieldErrors = []
    names: set[str] = set()
    for i, hook in enumerate(obj.get("webhooks") or []):
        path = FieldPath("webhooks").index(i)
        errs += validate_webhook(hook, path, opts, mutating=mutating)
        errs += validate_review_versions(
            hook.get("admissionReviewVersions") or [],
            path.child("admissionReviewVersions"),
            require_known=opts["known_versions"],
        )
        name = hook.get("name", "")
        if opts["unique_names"] and name:
            if name in names:
                errs.append(duplicate(path.child("name"), name))
            names.add(name)
    return errs


WEBHOOK_COLUMNS = (
    NAME,
    Column("Webhooks", type="integer", description="How many webhooks the configuration has."),
    AGE,
)


def webhook_row(obj: Obj, now: float) -> list[Any]:
    return [obj["metadata"].get("name", ""), len(obj.get("webhooks") or []), age(obj, now)]


class ValidatingWebhookConfigurationStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.ValidatingWebhookConfiguration
    has_status = False
    tracks_generation = True
    columns = WEBHOOK_COLUMNS

    def default(self, obj: Obj) -> None:
        for hook in obj.get("webhooks") or []:
            default_webhook(hook, mutating=False)

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        return validate_configuration(obj, create_options(), mutating=False)

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        return validate_configuration(obj, update_options(obj, old), mutating=False)

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        return webhook_row(obj, now)
