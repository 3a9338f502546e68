"""RFC 6902 JSON Patch, with evanphx/json-patch v4's behaviour where kube-apiserver relies on it."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyk8s.api.errors import BadRequestError, InvalidError, RequestEntityTooLargeError
from pyk8s.api.patch import (
    GENERIC_INVALID_MESSAGE,
    MAX_OPERATIONS,
    MalformedPatchError,
    PatchConflictError,
    PatchError,
    apply_json_patch,
    to_status_error,
)

# RFC 6902 appendix A, one case per example, with values of our own.
RFC_EXAMPLES = [
    pytest.param(
        {"color": "red"},
        [{"op": "add", "path": "/size", "value": "L"}],
        {"color": "red", "size": "L"},
        id="A.1-add-object-member",
    ),
    pytest.param(
        {"fruit": ["apple", "pear"]},
        [{"op": "add", "path": "/fruit/1", "value": "fig"}],
        {"fruit": ["apple", "fig", "pear"]},
        id="A.2-add-array-element",
    ),
    pytest.param(
        {"color": "red", "size": "L"},
        [{"op": "remove", "path": "/size"}],
        {"color": "red"},
        id="A.3-remove-object-member",
    ),
    pytest.param(
        {"fruit": ["apple", "fig", "pear"]},
        [{"op": "remove", "path": "/fruit/1"}],
        {"fruit": ["apple", "pear"]},
        id="A.4-remove-array-element",
    ),
    pytest.param(
        {"color": "red", "size": "L"},
        [{"op": "replace", "path": "/color", "value": "blue"}],
        {"color": "blue", "size": "L"},
        id="A.5-replace-value",
    ),
    pytest.param(
        {"box": {"item": "key", "note": "x"}, "shelf": {"label": "top"}},
        [{"op": "move", "from": "/box/item", "path": "/shelf/item"}],
        {"box": {"note": "x"}, "shelf": {"label": "top", "item": "key"}},
        id="A.6-move-value",
    ),
    pytest.param(
        {"queue": ["a", "b", "c", "d"]},
        [{"op": "move", "from": "/queue/1", "path": "/queue/3"}],
        {"queue": ["a", "c", "d", "b"]},
        id="A.7-move-array-element",
    ),
    pytest.param(
        {"name": "web", "ports": [80, 443]},
        [{"op": "test", "path": "/name", "value": "web"}, {"op": "test", "path": "/ports/1", "value": 443}],
        {"name": "web", "ports": [80, 443]},
        id="A.8-test-success",
    ),
    pytest.param(
        {"color": "red"},
        [{"op": "add", "path": "/shape", "value": {"sides": 3}}],
        {"color": "red", "shape": {"sides": 3}},
        id="A.10-add-nested-object",
    ),
    pytest.param(
        {"color": "red"},
        [{"op": "add", "path": "/size", "value": "S", "note": "ignored", "extra": [1]}],
        {"color": "red", "size": "S"},
        id="A.11-unrecognised-members-ignored",
    ),
    pytest.param(
        {"/": 1, "~1": 2, "~": 3},
        [
            {"op": "test", "path": "/~01", "value": 2},
            {"op": "replace", "path": "/~1", "value": 10},
            {"op": "remove", "path": "/~0"},
        ],
        {"/": 10, "~1": 2},
        id="A.14-escape-ordering",
    ),
    pytest.param(
        {"fruit": ["apple"]},
        [{"op": "add", "path": "/fruit/-", "value": ["kiwi", "lime"]}],
        {"fruit": ["apple", ["kiwi", "lime"]]},
        id="A.16-add-array-value",
    ),
]


# What kube-apiserver's library does where the RFC is silent or stricter.
KUBE_BEHAVIOUR = [
    pytest.param(
        {"metadata": {"labels": {"a": "1"}}},
        [{"op": "replace", "path": "/metadata/labels/b", "value": "2"}],
        {"metadata": {"labels": {"a": "1", "b": "2"}}},
        id="replace-missing-key-adds-it",
    ),
    pytest.param(
        {"items": ["a", "b", "c"]},
        [{"op": "remove", "path": "/items/-1"}, {"op": "add", "path": "/items/-1", "value": "z"}],
        {"items": ["a", "b", "z"]},
        id="negative-index-counts-from-end",
    ),
    pytest.param(
        {"items": ["a", "b"]},
        [{"op": "add", "path": "/items/01", "value": "x"}, {"op": "add", "path": "/items/+0", "value": "y"}],
        {"items": ["y", "a", "x", "b"]},
        id="atoi-style-indices",
    ),
    pytest.param(
        {"a": {}},
        [{"op": "add", "path": "/a/b"}],
        {"a": {"b": None}},
        id="add-without-value-stores-null",
    ),
    pytest.param(
        {"a": {"x": 1}},
        [{"op": "copy", "from": "/a/missing", "path": "/b"}],
        {"a": {"x": 1}, "b": None},
        id="copy-from-missing-key-copies-null",
    ),
    pytest.param(
        {"a": {"x": [1, {"y": 2}]}},
        [{"op": "copy", "from": "/a", "path": "/b"}, {"op": "replace", "path": "/b/x/1/y", "value": 3}],
        {"a": {"x": [1, {"y": 2}]}, "b": {"x": [1, {"y": 3}]}},
        id="copy-is-deep",
    ),
    pytest.param(
        {"a": {"n": None}},
        [
            {"op": "test", "path": "/a/missing", "value": None},
            {"op": "test", "path": "/a/missing"},
            {"op": "test", "path": "/a/n", "value": None},
        ],
        {"a": {"n": None}},
        id="test-missing-matches-null",
    ),
    pytest.param(
        {"spec": {"replicas": 1, "ratio": 0.5}},
        [
            {"op": "test", "path": "/spec/replicas", "value": 1.0},
            {"op": "test", "path": "/spec", "value": {"ratio": 0.5, "replicas": 1}},
        ],
        {"spec": {"replicas": 1, "ratio": 0.5}},
        id="test-numbers-by-value",
    ),
    pytest.param(
        {"a": 1},
        [{"op": "replace", "path": "", "value": {"b": 2}}],
        {"b": 2},
        id="replace-whole-document",
    ),
    pytest.param(
        {"a": 1},
        [{"op": "add", "path": "x/b", "value": 2}],
        {"a": 1, "b": 2},
        id="path-without-slash-loses-first-segment",
    ),
    pytest.param({"a": 1}, None, {"a": 1}, id="null-body-is-empty-patch"),
    pytest.param({"a": 1}, [], {"a": 1}, id="empty-patch"),
    pytest.param(
        {"metadata": {"annotations": {"a": "1"}}, "spec": {"template": {}}},
        [
            {"op": "replace", "path": "/spec/template", "value": {"spec": {"containers": []}}},
            {"op": "replace", "path": "/metadata/annotations", "value": {"rev": "2"}},
        ],
        {"metadata": {"annotations": {"rev": "2"}}, "spec": {"template": {"spec": {"containers": []}}}},
        id="kubectl-rollout-undo-shape",
    ),
]


@pytest.mark.parametrize(("doc", "patch", "expected"), RFC_EXAMPLES + KUBE_BEHAVIOUR)
def test_apply(doc: dict[str, Any], patch: list[Any], expected: Any) -> None:
    before = copy.deepcopy(doc)
    assert apply_json_patch(doc, patch) == expected
    assert doc == before


FAILURES = [
    pytest.param(
        {"name": "web"},
        [{"op": "test", "path": "/name", "value": "db"}],
        "testing value /name failed: test failed",
        id="A.9-test-error",
    ),
    pytest.param(
        {"a": 1},
        [{"op": "add", "path": "/missing/b", "value": 1}],
        'add operation does not apply: doc is missing path: "/missing/b": missing value',
        id="A.12-add-to-nonexistent-target",
    ),
    pytest.param(
        {"n": 10},
        [{"op": "test", "path": "/n", "value": "10"}],
        "testing value /n failed: test failed",
        id="A.15-string-is-not-number",
    ),
    pytest.param(
        {"flag": True},
        [{"op": "test", "path": "/flag", "value": 1}],
        "testing value /flag failed: test failed",
        id="bool-is-not-number",
    ),
    pytest.param(
        {"a": {"b": 1}},
        [{"op": "test", "path": "/a", "value": {"b": 1, "c": None}}],
        "testing value /a failed: test failed",
        id="test-object-extra-null-member",
    ),
    pytest.param(
        {"a": 1},
        [{"op": "test", "path": "", "value": {}}],
        "testing value  failed: test failed",
        id="test-whole-document",
    ),
    pytest.param(
        {"metadata": {"labels": {}}},
        [{"op": "remove", "path": "/metadata/labels/x"}],
        "error in remove for path: '/metadata/labels/x': Unable to remove nonexistent key: x: missing value",
        id="remove-missing-key",
    ),
    pytest.param(
        {"items": ["a"]},
        [{"op": "add", "path": "/items/2", "value": "z"}],
        "error in add for path: '/items/2': Unable to access invalid index: 2: invalid index referenced",
        id="add-past-end",
    ),
    pytest.param(
        {"items": ["a"]},
        [{"op": "add", "path": "/items/x", "value": "z"}],
        "error in add for path: '/items/x': value was not a proper array index: 'x': "
        'strconv.Atoi: parsing "x": invalid syntax',
        id="add-bad-index",
    ),
    pytest.param(
        {"items": ["a"]},
        [{"op": "remove", "path": "/items/-"}],
        "error in remove for path: '/items/-': strconv.Atoi: parsing \"-\": invalid syntax",
        id="remove-dash",
    ),
    pytest.param(
        {"items": ["a"]},
        [{"op": "replace", "path": "/items/3", "value": "z"}],
        "replace operation does not apply: doc is missing key: /items/3: missing value",
        id="replace-past-end",
    ),
    pytest.param(
        {"a": {}},
        [{"op": "move", "from": "/a/nope", "path": "/b"}],
        "error in move for path: 'nope': Unable to remove nonexistent key: nope: missing value",
        id="move-from-missing",
    ),
    pytest.param(
        {"a": {"b": 1}},
        [{"op": "move", "from": "/a", "path": "/a/b"}],
        "move operation does not apply: doc is missing destination path: /a/b: missing value",
        id="move-into-itself",
    ),
    pytest.param(
        {"items": []},
        [{"op": "copy", "from": "/items/4", "path": "/x"}],
        "error in copy for from: '/items/4': Unable to access invalid index: 4: invalid index referenced",
        id="copy-from-past-end",
    ),
    pytest.param(
        {"a": 1},
        [{"op": "remove", "path": ""}],
        'remove operation does not apply: doc is missing path: "": missing value',
        id="remove-whole-document",
    ),
    pytest.param(
        {"a": 1},
        [{"op": "replace", "path": "", "value": 3}],
        "replace operation value must be object or array",
        id="replace-document-with-scalar",
    ),
    pytest.param({"a": 1}, [{"op": "bogus", "path": "/a"}], "Unexpected kind: bogus", id="unknown-op"),
    pytest.param({"a": 1}, [{"path": "/a"}], "Unexpected kind: unknown", id="missing-op"),
    pytest.param({"a": 1}, [None], "Unexpected kind: unknown", id="null-operation"),
    pytest.param(
        {"a": 1},
        [{"op": "add", "value": 1}],
        "add operation failed to decode path: missing value",
        id="add-missing-path",
    ),
    pytest.param(
        {"a": 1},
        [{"op": "replace", "value": 1}],
        "replace operation failed to decode path: operation missing path field: missing value",
        id="replace-missing-path",
    ),
    pytest.param(
        {"a": 1},
        [{"op": "move", "path": "/b"}],
        "move operation failed to decode from: operation, missing from field: missing value",
        id="move-missing-from",
    ),
    pytest.param(
        {"a": 1},
        [{"op": "test", "path": 5, "value": 1}],
        "test operation failed to decode path: json: cannot unmarshal number into Go value of type string",
        id="path-not-a-string",
    ),
    pytest.param(
        {"a": "scalar"},
        [{"op": "add", "path": "/a/b", "value": 1}],
        'add operation does not apply: doc is missing path: "/a/b": missing value',
        id="traverse-into-scalar",
    ),
]


@pytest.mark.parametrize(("doc", "patch", "message"), FAILURES)
def test_failures_are_422_with_library_wording(doc: dict[str, Any], patch: list[Any], message: str) -> None:
    with pytest.raises(PatchConflictError) as caught:
        apply_json_patch(doc, patch)
    assert caught.value.message == message
    assert caught.value.code == 422


def test_patch_is_atomic() -> None:
    doc = {"a": {"b": 1}, "items": [1, 2]}
    patch = [
        {"op": "add", "path": "/a/c", "value": 2},
        {"op": "remove", "path": "/items/0"},
        {"op": "test", "path": "/a/b", "value": 99},
    ]
    with pytest.raises(PatchConflictError):
        apply_json_patch(doc, patch)
    assert doc == {"a": {"b": 1}, "items": [1, 2]}


def test_result_shares_nothing_with_inputs() -> None:
    value = {"deep": [1]}
    doc = {"keep": {"x": [1]}}
    result = apply_json_patch(doc, [{"op": "add", "path": "/v", "value": value}])
    result["v"]["deep"].append(2)
    result["keep"]["x"].append(2)
    assert value == {"deep": [1]}
    assert doc == {"keep": {"x": [1]}}


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        pytest.param(
            {"op": "add"}, "json: cannot unmarshal object into Go value of type jsonpatch.Patch", id="object"
        ),
        pytest.param("x", "json: cannot unmarshal string into Go value of type jsonpatch.Patch", id="string"),
        pytest.param(
            [1], "json: cannot unmarshal number into Go value of type jsonpatch.Operation", id="number-op"
        ),
        pytest.param(
            [[]], "json: cannot unmarshal array into Go value of type jsonpatch.Operation", id="array-op"
        ),
    ],
)
def test_malformed_documents_are_400(patch: Any, message: str) -> None:
    with pytest.raises(MalformedPatchError) as caught:
        apply_json_patch({"a": 1}, patch)
    assert caught.value.message == message
    assert isinstance(to_status_error(caught.value), BadRequestError)
    assert to_status_error(caught.value).status()["message"] == message


def test_failed_operation_maps_to_generic_422_status() -> None:
    with pytest.raises(PatchConflictError) as caught:
        apply_json_patch({"a": 1}, [{"op": "test", "path": "/a", "value": 2}])
    status = to_status_error(caught.value)
    assert isinstance(status, InvalidError)
    body = status.status()
    assert (body["code"], body["reason"], body["message"]) == (422, "Invalid", GENERIC_INVALID_MESSAGE)


def test_too_many_operations_is_413() -> None:
    patch = [{"op": "test", "path": "/a", "value": 1}] * (MAX_OPERATIONS + 1)
    with pytest.raises(PatchError) as caught:
        apply_json_patch({"a": 1}, patch)
    assert caught.value.code == 413
    assert caught.value.message == (
        f"The allowed maximum operations in a JSON patch is {MAX_OPERATIONS}, got {MAX_OPERATIONS + 1}"
    )
    assert isinstance(to_status_error(caught.value), RequestEntityTooLargeError)
