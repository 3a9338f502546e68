"""ReplicationController: discovery (scale, status), defaults, validation, status rules,
table rows."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.meta import parse_time
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.core.replicationcontroller import RESOURCE, ReplicationControllerStrategy

S = ReplicationControllerStrategy()
CREATED = "2026-01-01T00:00:00Z"
NOW = parse_time(CREATED) + 45
CTX = RequestContext(namespace="default", now=NOW)


def rc(**spec: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "ReplicationController",
        "metadata": {"name": "web", "namespace": "default", "creationTimestamp": CREATED},
        "spec": {
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {
                    "containers": [{"name": "nginx", "image": "nginx:1.25"}, {"name": "log", "image": "b"}]
                },
            }
        },
    }
    obj["spec"].update(spec)
    return obj


def created(obj: dict[str, Any]) -> dict[str, Any]:
    S.default(obj)
    S.prepare_for_create(CTX, obj)
    return obj


def test_resource_info() -> None:
    assert (RESOURCE.short_names, RESOURCE.categories) == (("rc",), ("all",))
    scale = RESOURCE.subresource("scale")
    assert scale is not None and (scale.group, scale.version, scale.kind) == ("autoscaling", "v1", "Scale")
    assert RESOURCE.subresource("status") is not None
    assert S.scale is not None and S.scale.selector_path == ("spec", "selector")


def test_defaults_from_the_template() -> None:
    obj = created(rc())
    assert obj["spec"]["selector"] == {"app": "web"}
    assert obj["metadata"]["labels"] == {"app": "web"}
    assert obj["spec"]["replicas"] == 1
    template_spec = obj["spec"]["template"]["spec"]
    assert template_spec["restartPolicy"] == "Always" and template_spec["dnsPolicy"] == "ClusterFirst"
    assert "enableServiceLinks" not in template_spec  # a Pod-only default
    assert obj["status"] == {"replicas": 0} and obj["metadata"]["generation"] == 1
    assert S.validate(CTX, obj) == []


@pytest.mark.parametrize(
    ("spec", "field", "kind", "detail"),
    [
        pytest.param(
            {"selector": {"app": "other"}},
            "spec.template.metadata.labels",
            ErrorType.INVALID,
            "`selector` does not match template `labels`",
            id="selector-mismatch",
        ),
        pytest.param(
            {"replicas": -1},
            "spec.replicas",
            ErrorType.INVALID,
            "must be greater than or equal to 0",
            id="negative-replicas",
        ),
        pytest.param(
            {"minReadySeconds": -1}, "spec.minReadySeconds", ErrorType.INVALID, None, id="min-ready"
        ),
        pytest.param(
            {"template": None, "selector": {"a": "b"}},
            "spec.template",
            ErrorType.REQUIRED,
            None,
            id="no-template",
        ),
        pytest.param(
            {
                "template": {
                    "metadata": {},
                    "spec": {"containers": [{"name": "c", "image": "x"}], "restartPolicy": "Never"},
                }
            },
            "spec.template.spec.restartPolicy",
            ErrorType.NOT_SUPPORTED,
            None,
            id="restart-policy",
        ),
        pytest.param(
            {
                "template": {
                    "metadata": {"labels": {"a": "b"}},
                    "spec": {"containers": [{"name": "c", "image": "x"}], "activeDeadlineSeconds": 5},
                }
            },
            "spec.template.spec.activeDeadlineSeconds",
            ErrorType.FORBIDDEN,
            None,
            id="deadline",
        ),
        pytest.param(
            {"template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": []}}},
            "spec.template.spec.containers",
            ErrorType.REQUIRED,
            None,
            id="no-containers",
        ),
    ],
)
def test_invalid(spec: dict[str, Any], field: str, kind: ErrorType, detail: str | None) -> None:
    obj = rc(**spec)
    if obj["spec"].get("template") is None:
        obj["spec"].pop("template")
    errs = S.validate(CTX, created(obj))
    assert any(
        e.field == field and e.type == kind and (detail is None or detail in e.detail) for e in errs
    ), [str(e) for e in errs]


def test_no_selector_at_all() -> None:
    obj = rc(template={"metadata": {}, "spec": {"containers": [{"name": "c", "image": "x"}]}})
    errs = S.validate(CTX, created(obj))
    assert any(e.field == "spec.selector" and e.type == ErrorType.REQUIRED for e in errs)


def test_generation_and_status() -> None:
    old = created(rc())
    new = copy.deepcopy(old)
    new["spec"]["replicas"] = 3
    S.default(new)
    S.prepare_for_update(CTX, new, old)
    assert new["metadata"]["generation"] == 2
    status = copy.deepcopy(old)
    status["status"] = {"replicas": 2, "readyReplicas": 3, "availableReplicas": 3}
    errs = S.validate_status_update(CTX, status, old)
    assert [(e.field, e.detail) for e in errs] == [
        ("status.readyReplicas", "cannot be greater than status.replicas"),
        ("status.availableReplicas", "cannot be greater than status.replicas"),
    ]


def test_table_and_field_selectors() -> None:
    obj = created(rc(replicas=3))
    obj["status"] = {"replicas": 2, "readyReplicas": 1}
    assert [(c["name"], c["type"], c["priority"]) for c in S.table_columns()] == [
        ("Name", "string", 0),
        ("Desired", "integer", 0),
        ("Current", "integer", 0),
        ("Ready", "integer", 0),
        ("Age", "string", 0),
        ("Containers", "string", 1),
        ("Images", "string", 1),
        ("Selector", "string", 1),
    ]
    assert S.table_row(obj, NOW) == ["web", 3, 2, 1, "45s", "nginx,log", "nginx:1.25,b", "app=web"]
    assert S.selectable_fields(obj)["status.replicas"] == "2"
