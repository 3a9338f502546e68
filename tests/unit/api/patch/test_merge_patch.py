"""RFC 7386 JSON Merge Patch, with evanphx/json-patch v4's behaviour in the corners."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyk8s.api.errors import BadRequestError
from pyk8s.api.patch import MalformedPatchError, apply_merge_patch, create_merge_patch, to_status_error

# RFC 7386 section 3 / appendix A, in our own values.
RFC_CASES = [
    pytest.param({"a": "x"}, {"a": "y"}, {"a": "y"}, id="replace-member"),
    pytest.param({"a": "x"}, {"b": "y"}, {"a": "x", "b": "y"}, id="add-member"),
    pytest.param({"a": "x"}, {"a": None}, {}, id="null-removes-member"),
    pytest.param({"a": "x", "b": "y"}, {"a": None}, {"b": "y"}, id="null-removes-only-that-member"),
    pytest.param({"a": ["x"]}, {"a": "y"}, {"a": "y"}, id="scalar-replaces-array"),
    pytest.param({"a": "x"}, {"a": ["y"]}, {"a": ["y"]}, id="array-replaces-scalar"),
    pytest.param({"a": {"b": "x"}}, {"a": {"b": "y", "c": None}}, {"a": {"b": "y"}}, id="nested-merge"),
    pytest.param({"a": [{"b": "x"}]}, {"a": [1]}, {"a": [1]}, id="arrays-are-replaced-not-merged"),
    pytest.param({"a": ["x", "y"]}, {"a": ["z"]}, {"a": ["z"]}, id="array-replaced-whole"),
    pytest.param({"a": "x"}, {"a": {"b": "y"}}, {"a": {"b": "y"}}, id="object-replaces-scalar"),
    pytest.param({}, {"a": {"b": {"c": None}}}, {"a": {"b": {}}}, id="nulls-pruned-from-new-object"),
    pytest.param({"e": None}, {"a": 1}, {"e": None, "a": 1}, id="existing-null-kept"),
    pytest.param({"a": 1}, {}, {"a": 1}, id="empty-patch"),
    pytest.param({"a": 1}, {"missing": None}, {"a": 1}, id="null-for-missing-member"),
    pytest.param({}, {"a": {"b": None}}, {"a": {}}, id="null-in-new-nested-object"),
]

# evanphx/json-patch v4 (what kube-apiserver runs) where RFC 7386 leaves room.
LIBRARY_CASES = [
    pytest.param({}, {"a": [{"b": None, "c": 1}]}, {"a": [{"c": 1}]}, id="nulls-pruned-inside-new-arrays"),
    pytest.param({"a": "x"}, {"a": [{"b": None}]}, {"a": [{}]}, id="nulls-pruned-when-replacing-scalar"),
    pytest.param(
        {"a": {"k": 1}}, {"a": [{"b": None}]}, {"a": [{"b": None}]}, id="array-over-object-kept-as-sent"
    ),
    pytest.param({"a": 1}, [{"x": None, "y": 1}, None], [{"y": 1}, None], id="array-patch-replaces-document"),
    pytest.param("not-an-object", {"a": {"b": None}}, {"a": {}}, id="non-object-document-replaced"),
    pytest.param(
        {"metadata": {"labels": {"tier": "fe", "app": "web"}}},
        {"metadata": {"labels": {"tier": None}}},
        {"metadata": {"labels": {"app": "web"}}},
        id="kubectl-label-remove",
    ),
    pytest.param(
        {"spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}}}},
        {"spec": {"replicas": 5}},
        {"spec": {"replicas": 5, "selector": {"matchLabels": {"app": "web"}}}},
        id="kubectl-scale-subresource",
    ),
]


@pytest.mark.parametrize(("doc", "patch", "expected"), RFC_CASES + LIBRARY_CASES)
def test_apply(doc: Any, patch: Any, expected: Any) -> None:
    before_doc, before_patch = copy.deepcopy(doc), copy.deepcopy(patch)
    assert apply_merge_patch(doc, patch) == expected
    assert (doc, patch) == (before_doc, before_patch)


@pytest.mark.parametrize("patch", [None, "x", 3, True], ids=["null", "string", "number", "bool"])
def test_scalar_patch_is_400(patch: Any) -> None:
    with pytest.raises(MalformedPatchError) as caught:
        apply_merge_patch({"a": 1}, patch)
    assert caught.value.message == "Invalid JSON Patch"
    assert isinstance(to_status_error(caught.value), BadRequestError)


def test_result_shares_nothing_with_inputs() -> None:
    doc = {"a": {"b": [1]}}
    patch = {"c": {"d": [2]}}
    result = apply_merge_patch(doc, patch)
    result["a"]["b"].append(9)
    result["c"]["d"].append(9)
    assert doc == {"a": {"b": [1]}}
    assert patch == {"c": {"d": [2]}}


CREATE_CASES = [
    pytest.param({"a": 1}, {"a": 1}, {}, id="unchanged"),
    pytest.param({"a": 1}, {"a": 2}, {"a": 2}, id="changed-scalar"),
    pytest.param({"a": 1, "b": 2}, {"a": 1}, {"b": None}, id="removed-member"),
    pytest.param({}, {"a": {"b": 1}}, {"a": {"b": 1}}, id="added-object"),
    pytest.param(
        {"metadata": {"labels": {"x": "1", "y": "2"}, "name": "n"}},
        {"metadata": {"labels": {"x": "1", "z": "3"}, "name": "n"}},
        {"metadata": {"labels": {"y": None, "z": "3"}}},
        id="nested-diff",
    ),
    pytest.param({"a": [1, 2]}, {"a": [1, 2]}, {}, id="equal-arrays"),
    pytest.param({"a": [1, 2]}, {"a": [2, 1]}, {"a": [2, 1]}, id="array-sent-whole"),
    pytest.param({"a": {"b": 1}}, {"a": "x"}, {"a": "x"}, id="type-change"),
    pytest.param({"a": 1}, {"a": 1.0}, {}, id="numbers-by-value"),
    pytest.param({"a": True}, {"a": 1}, {"a": 1}, id="bool-is-not-number"),
]


@pytest.mark.parametrize(("original", "modified", "expected"), CREATE_CASES)
def test_create_merge_patch(original: dict[str, Any], modified: dict[str, Any], expected: Any) -> None:
    patch = create_merge_patch(original, modified)
    assert patch == expected
    assert apply_merge_patch(original, patch) == modified
