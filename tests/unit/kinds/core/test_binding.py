"""Binding: a create-only request that is answered, never stored."""

from __future__ import annotations

from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.core.binding import RESOURCE, BindingStrategy

S = BindingStrategy()


def test_resource_info() -> None:
    assert (RESOURCE.plural, RESOURCE.kind, RESOURCE.verbs, RESOURCE.namespaced) == (
        "bindings",
        "Binding",
        ("create",),
        True,
    )
    assert not S.persisted


@pytest.mark.parametrize(
    ("target", "errors"),
    [
        pytest.param({"name": "n1"}, [], id="name-only"),
        pytest.param({"kind": "Node", "name": "n1"}, [], id="node"),
        pytest.param({}, [("target.name", ErrorType.REQUIRED)], id="no-name"),
        pytest.param(
            {"kind": "Pod", "name": "x"}, [("target.kind", ErrorType.NOT_SUPPORTED)], id="not-a-node"
        ),
    ],
)
def test_validation(target: dict[str, Any], errors: list[tuple[str, ErrorType]]) -> None:
    obj = {"metadata": {"name": "web", "namespace": "default"}, "target": target}
    assert [(e.field, e.type) for e in S.validate(RequestContext(), obj)] == errors
    if target.get("kind") == "Pod":
        assert S.validate(RequestContext(), obj)[0].detail == 'supported values: "Node", "<empty>"'
