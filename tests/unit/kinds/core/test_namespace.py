"""Namespace: create and update preparation, finalizers, status rules, table."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.meta import parse_time, validate_object_meta
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.core.namespace import RESOURCE, NamespaceStrategy

S = NamespaceStrategy()
CREATED = "2026-01-01T00:00:00Z"
NOW = parse_time(CREATED) + 86400 * 3
CTX = RequestContext(now=NOW)


def ns(name: str = "team", **spec: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": name, "creationTimestamp": CREATED},
    }
    if spec:
        obj["spec"] = spec
    return obj


def created(obj: dict[str, Any]) -> dict[str, Any]:
    S.default(obj)
    S.prepare_for_create(CTX, obj)
    return obj


def test_resource_info() -> None:
    assert not RESOURCE.namespaced and RESOURCE.short_names == ("ns",)
    assert "deletecollection" not in RESOURCE.verbs
    assert [s.name for s in RESOURCE.subresources] == ["finalize", "status"]
    assert RESOURCE.subresource("finalize").verbs == ("update",)  # type: ignore[union-attr]


def test_create() -> None:
    obj = created(ns())
    assert obj["status"] == {"phase": "Active"}
    assert obj["spec"]["finalizers"] == ["kubernetes"]
    assert obj["metadata"]["labels"]["kubernetes.io/metadata.name"] == "team"
    assert S.validate(CTX, obj) == []
    own = created(ns(finalizers=["example.com/cleanup"]))
    assert own["spec"]["finalizers"] == ["example.com/cleanup", "kubernetes"]


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        pytest.param("team-a", True, id="label"),
        pytest.param("team.a", False, id="dots"),
        pytest.param("Team", False, id="upper"),
    ],
)
def test_names_are_labels(name: str, ok: bool) -> None:
    errs = validate_object_meta(ns(name), namespaced=False, validate_name=S.validate_name)
    assert (errs == []) == ok


def test_bad_finalizer() -> None:
    errs = S.validate(CTX, created(ns(finalizers=["cleanup"])))
    assert [(e.field, e.type, e.detail) for e in errs] == [
        (
            "spec.finalizers",
            ErrorType.INVALID,
            "name is neither a standard finalizer name nor is it fully qualified",
        )
    ]


def test_update_keeps_spec_and_status_but_finalize_changes_finalizers() -> None:
    old = created(ns())
    new = copy.deepcopy(old)
    new["spec"]["finalizers"] = []
    new["status"]["phase"] = "Terminating"
    new["metadata"]["labels"] = {"team": "a"}
    S.prepare_for_update(CTX, new, old)
    assert new["spec"]["finalizers"] == ["kubernetes"] and new["status"]["phase"] == "Active"
    assert new["metadata"]["labels"] == {"team": "a", "kubernetes.io/metadata.name": "team"}
    finalize = RequestContext(subresource="finalize", now=NOW)
    new = copy.deepcopy(old)
    new["spec"]["finalizers"] = ["Bad"]
    S.prepare_for_update(finalize, new, old)
    assert new["spec"]["finalizers"] == ["Bad"]
    assert S.validate_update(finalize, new, old)[0].field == "spec.finalizers[0]"


def test_status_phase_rules() -> None:
    old = created(ns())
    new = copy.deepcopy(old)
    new["status"]["phase"] = "Terminating"
    errs = S.validate_status_update(CTX, new, old)
    assert (
        str(errs[0]) == 'status.Phase: Invalid value: "Terminating": '
        "may only be 'Active' if `deletionTimestamp` is empty"
    )


def test_deletion_and_table() -> None:
    obj = created(ns())
    assert S.deletion_pending(obj)
    S.prepare_for_delete(obj)
    assert S.table_row(obj, NOW) == ["team", "Terminating", "3d"]
    assert S.selectable_fields(obj)["status.phase"] == "Terminating"
    assert S.selectable_fields(obj)["name"] == "team"
