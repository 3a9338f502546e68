"""Mutating and validating webhook configurations: defaults, webhook validation, update
tolerance for stored objects, generation and table rows."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.meta import parse_time
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.admissionregistration.mutatingwebhookconfiguration import (
    RESOURCE as MUTATING,
)
from pyk8s.kinds.admissionregistration.mutatingwebhookconfiguration import (
    MutatingWebhookConfigurationStrategy,
)
from pyk8s.kinds.admissionregistration.validatingwebhookconfiguration import (
    RESOURCE as VALIDATING,
)
from pyk8s.kinds.admissionregistration.validatingwebhookconfiguration import (
    ValidatingWebhookConfigurationStrategy,
)

CTX = RequestContext()
M = MutatingWebhookConfigurationStrategy()
V = ValidatingWebhookConfigurationStrategy()
CREATED = "2026-01-01T00:00:00Z"
NOW = parse_time(CREATED) + 60
R, INV, NS, D, TM = (
    ErrorType.REQUIRED,
    ErrorType.INVALID,
    ErrorType.NOT_SUPPORTED,
    ErrorType.DUPLICATE,
    ErrorType.TOO_MANY,
)


def hook(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": "check.example.com",
        "clientConfig": {"service": {"namespace": "default", "name": "webhook", "path": "/validate"}},
        "rules": [
            {"operations": ["CREATE"], "apiGroups": [""], "apiVersions": ["v1"], "resources": ["pods"]}
        ],
        "sideEffects": "None",
        "admissionReviewVersions": ["v1"],
    }
    base.update(fields)
    return {k: v for k, v in base.items() if v is not None}


def config(kind: str = "Validating", *hooks: dict[str, Any]) -> dict[str, Any]:
    return {
        "apiVersion": "admissionregistration.k8s.io/v1",
        "kind": f"{kind}WebhookConfiguration",
        "metadata": {"name": "checks", "creationTimestamp": CREATED},
        "webhooks": list(hooks) or [hook()],
    }


def defaulted(strategy: Any, obj: dict[str, Any]) -> dict[str, Any]:
    strategy.default(obj)
    return obj


def problems(errs: list[Any]) -> list[tuple[ErrorType, str]]:
    return [(e.type, e.field) for e in errs]


def test_resource_info() -> None:
    for info, plural in (
        (MUTATING, "mutatingwebhookconfigurations"),
        (VALIDATING, "validatingwebhookconfigurations"),
    ):
        assert (info.plural, info.singular, info.namespaced, info.categories) == (
            plural,
            plural[:-1],
            False,
            ("api-extensions",),
        )


def test_defaults() -> None:
    obj = defaulted(M, config("Mutating"))
    webhook = obj["webhooks"][0]
    assert (
        webhook["failurePolicy"],
        webhook["matchPolicy"],
        webhook["timeoutSeconds"],
        webhook["reinvocationPolicy"],
        webhook["namespaceSelector"],
        webhook["objectSelector"],
    ) == ("Fail", "Equivalent", 10, "Never", {}, {})
    assert webhook["rules"][0]["scope"] == "*" and webhook["clientConfig"]["service"]["port"] == 443
    assert "reinvocationPolicy" not in defaulted(V, config())["webhooks"][0]
    assert M.validate(CTX, obj) == []


@pytest.mark.parametrize(
    ("webhook", "expected"),
    [
        pytest.param(hook(name="check"), [(INV, "webhooks[0].name")], id="not-fully-qualified"),
        pytest.param(hook(name=""), [(R, "webhooks[0].name")], id="no-name"),
        pytest.param(hook(sideEffects=None), [(R, "webhooks[0].sideEffects")], id="no-side-effects"),
        pytest.param(hook(sideEffects="Some"), [(NS, "webhooks[0].sideEffects")], id="side-effects"),
        pytest.param(hook(failurePolicy="Retry"), [(NS, "webhooks[0].failurePolicy")], id="failure-policy"),
        pytest.param(hook(matchPolicy="Fuzzy"), [(NS, "webhooks[0].matchPolicy")], id="match-policy"),
        pytest.param(hook(timeoutSeconds=31), [(INV, "webhooks[0].timeoutSeconds")], id="timeout-31"),
        pytest.param(hook(timeoutSeconds=0), [(INV, "webhooks[0].timeoutSeconds")], id="timeout-0"),
        pytest.param(
            hook(admissionReviewVersions=None),
            [(R, "webhooks[0].admissionReviewVersions")],
            id="no-review-versions",
        ),
        pytest.param(
            hook(admissionReviewVersions=["v2"]),
            [(INV, "webhooks[0].admissionReviewVersions")],
            id="unknown-version",
        ),
        pytest.param(
            hook(admissionReviewVersions=["v1", "v1"]),
            [(INV, "webhooks[0].admissionReviewVersions[1]")],
            id="duplicate-version",
        ),
        pytest.param(hook(clientConfig={}), [(R, "webhooks[0].clientConfig")], id="no-client-config"),
        pytest.param(
            hook(clientConfig={"url": "http://example.com/hook"}),
            [(INV, "webhooks[0].clientConfig.url")],
            id="http",
        ),
        pytest.param(
            hook(clientConfig={"url": "https://example.com/hook?x=1"}),
            [(INV, "webhooks[0].clientConfig.url")],
            id="query",
        ),
        pytest.param(
            hook(clientConfig={"service": {"name": "w", "namespace": "d", "path": "hook"}}),
            [(INV, "webhooks[0].clientConfig.service.path")],
            id="relative-service-path",
        ),
        pytest.param(
            hook(clientConfig={"service": {"name": "w", "namespace": "d", "port": 0}}),
            [(INV, "webhooks[0].clientConfig.service.port")],
            id="service-port",
        ),
        pytest.param(
            hook(
                rules=[
                    {
                        "operations": ["CREATE", "*"],
                        "apiGroups": ["*"],
                        "apiVersions": ["*"],
                        "resources": ["*"],
                    }
                ]
            ),
            [(INV, "webhooks[0].rules[0].operations")],
            id="wildcard-and-operation",
        ),
        pytest.param(
            hook(
                rules=[
                    {"operations": ["PATCH"], "apiGroups": [""], "apiVersions": ["v1"], "resources": ["pods"]}
                ]
            ),
            [(NS, "webhooks[0].rules[0].operations[0]")],
            id="bad-operation",
        ),
        pytest.param(
            hook(
                rules=[
                    {
                        "operations": ["*"],
                        "apiGroups": [""],
                        "apiVersions": ["v1"],
                        "resources": ["*", "pods"],
                    }
                ]
            ),
            [(INV, "webhooks[0].rules[0].resources")],
            id="wildcard-and-resource",
        ),
        pytest.param(
            hook(
                rules=[
                    {
                        "operations": ["*"],
                        "apiGroups": [""],
                        "apiVersions": ["v1"],
                        "resources": ["pods"],
                        "scope": "Everywhere",
                    }
                ]
            ),
            [(NS, "webhooks[0].rules[0].scope")],
            id="bad-scope",
        ),
        pytest.param(
            hook(namespaceSelector={"matchExpressions": [{"key": "a", "operator": "In"}]}),
            [(R, "webhooks[0].namespaceSelector.matchExpressions[0].values")],
            id="bad-selector",
        ),
        pytest.param(
            hook(matchConditions=[{"name": "a", "expression": "true"}, {"name": "a", "expression": "true"}]),
            [(D, "webhooks[0].matchConditions[1].name")],
            id="duplicate-match-condition",
        ),
        pytest.param(
            hook(matchConditions=[{"name": "a b", "expression": " "}]),
            [(R, "webhooks[0].matchConditions[0].expression"), (INV, "webhooks[0].matchConditions[0].name")],
            id="bad-match-condition",
        ),
    ],
)
def test_invalid_webhook(webhook: dict[str, Any], expected: list[tuple[ErrorType, str]]) -> None:
    assert problems(V.validate(CTX, defaulted(V, config("Validating", webhook)))) == expected


def test_reinvocation_policy_is_mutating_only() -> None:
    obj = defaulted(M, config("Mutating", hook(reinvocationPolicy="Always")))
    assert problems(M.validate(CTX, obj)) == [(NS, "webhooks[0].reinvocationPolicy")]


def test_webhook_names_are_unique() -> None:
    obj = defaulted(V, config("Validating", hook(), hook()))
    assert [str(e) for e in V.validate(CTX, obj)] == [
        'webhooks[1].name: Duplicate value: "check.example.com"'
    ]


def test_wording() -> None:
    obj = defaulted(V, config("Validating", hook(sideEffects=None, timeoutSeconds=45)))
    assert [str(e) for e in V.validate(CTX, obj)] == [
        "webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun",
        "webhooks[0].timeoutSeconds: Invalid value: 45: the timeout value must be between 1 and 30 seconds",
    ]


def test_updates_tolerate_what_is_already_stored() -> None:
    old = defaulted(V, config("Validating", hook(sideEffects="Unknown"), hook(sideEffects="Unknown")))
    new = copy.deepcopy(old)
    new["metadata"]["labels"] = {"a": "b"}
    assert problems(V.validate(CTX, new)) == [
        (NS, "webhooks[0].sideEffects"),
        (NS, "webhooks[1].sideEffects"),
        (D, "webhooks[1].name"),
    ]
    assert V.validate_update(CTX, new, old) == []


def test_generation_counts_webhook_changes() -> None:
    obj = defaulted(V, config())
    V.prepare_for_create(CTX, obj)
    assert obj["metadata"]["generation"] == 1
    new = copy.deepcopy(obj)
    new["webhooks"][0]["timeoutSeconds"] = 5
    V.prepare_for_update(CTX, new, obj)
    assert new["metadata"]["generation"] == 2


@pytest.mark.parametrize("strategy", [pytest.param(M, id="mutating"), pytest.param(V, id="validating")])
def test_table_row(strategy: Any) -> None:
    assert [(c["name"], c["type"]) for c in strategy.table_columns()] == [
        ("Name", "string"),
        ("Webhooks", "integer"),
        ("Age", "string"),
    ]
    assert strategy.table_row(config("Validating", hook(), hook(name="b.example.com")), NOW) == [
        "checks",
        2,
        "60s",
    ]
