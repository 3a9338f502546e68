"""Sequences of applies and updates from structured-merge-diff's own scenarios.

Each case runs its operations through `apply()`/`update()` and checks the final object and
what every manager owns, as SMD's merge tests expect (same-version cases).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from pyk8s.api.apply import ApplyConflictError, FieldSet, apply, update
from pyk8s.api.apply.fieldpath import key_pe, value_pe
from pyk8s.api.schema import Schema, boolean, list_of, map_of, number, string, struct

LIST_OF_LISTS = struct(
    "smd.Nested",
    "A list-map whose items hold a set.",
    listOfLists=list_of(
        struct("smd.Named", "An item.", name=string(), value=list_of(string(), list_type="set")),
        list_type="map",
        map_keys=("name",),
    ),
    listOfMaps=list_of(
        struct("smd.NamedMap", "An item.", name=string(), value=map_of(string())),
        list_type="map",
        map_keys=("name",),
    ),
)
ASSOCIATIVE = struct(
    "smd.Associative",
    "A list-map.",
    list=list_of(
        struct("smd.Element", "An item.", name=string(), value=number()), list_type="map", map_keys=("name",)
    ),
)
SETS = struct("smd.Sets", "A set.", list=list_of(string(), list_type="set"))
LEAVES = struct("smd.Leaves", "Scalars.", numeric=number(), string=string(), bool=boolean())
STRUCTS = struct(
    "smd.Root",
    "A struct in a struct.",
    struct=struct(
        "smd.Struct",
        "Fields.",
        name=string(),
        scalarField=string(),
        complexField=struct("smd.Complex", "A nested struct.", name=string()),
    ),
)


@dataclass
class Op:
    kind: str  # apply | force | update
    manager: str
    obj: dict[str, Any]
    conflicts: list[tuple[str, str]] = field(default_factory=list)  # (manager, path string)


def run(schema: Schema, ops: list[Op]) -> tuple[dict[str, Any], dict[str, set[tuple[str, ...]]]]:
    live: dict[str, Any] = {}
    for second, op in enumerate(ops):
        now = f"2024-01-01T00:00:{second:02d}Z"
        if op.kind == "update":
            new = {**op.obj, "metadata": {"managedFields": live.get("metadata", {}).get("managedFields", [])}}
            live = update(live, new, op.manager, None, schema, api_version="v1", now=now).obj
            continue
        try:
            live = apply(
                live, op.obj, op.manager, None, schema, force=op.kind == "force", api_version="v1", now=now
            ).obj
        except ApplyConflictError as err:
            assert [(c.manager.manager, c.field) for c in err.conflicts] == op.conflicts
            continue
        assert not op.conflicts, "expected conflicts"
    owned = {
        e["manager"]: set(FieldSet.from_fields_v1(e["fieldsV1"]))
        for e in live.get("metadata", {}).get("managedFields", [])
    }
    body = {k: v for k, v in live.items() if k != "metadata"}
    return body, owned


def K(name: str) -> str:
    """A list-map item by name (SMD's `_KBF("name", ...)`)."""
    return key_pe({"name": name})


def V(value: Any) -> str:
    """A set item (SMD's `_V(...)`)."""
    return value_pe(value)


def named(*names: str) -> dict[str, Any]:
    return {"list": [{"name": n} for n in names]}


CASES = [
    pytest.param(
        ASSOCIATIVE,
        [
            Op("apply", "apply-one", named("a", "b")),
            Op("apply", "apply-two", named("c")),
            Op("apply", "apply-one", named("a")),
        ],
        named("a", "c"),
        {
            "apply-one": {("f:list", K("a")), ("f:list", K("a"), "f:name")},
            "apply-two": {("f:list", K("c")), ("f:list", K("c"), "f:name")},
        },
        id="remove_one",
    ),
    pytest.param(
        ASSOCIATIVE,
        [
            Op("apply", "apply-one", named("a", "b", "c")),
            Op("apply", "apply-two", named("c", "d")),
            Op("apply", "apply-one", named("a")),
        ],
        named("a", "c", "d"),
        {
            "apply-one": {("f:list", K("a")), ("f:list", K("a"), "f:name")},
            "apply-two": {("f:list", K(n)) for n in "cd"} | {("f:list", K(n), "f:name") for n in "cd"},
        },
        id="remove_one_keep_one",
    ),
    pytest.param(
        ASSOCIATIVE,
        [
            Op("apply", "apply-one", {"list": [{"name": "a", "value": 0}]}),
            Op(
                "apply",
                "apply-two",
                {"list": [{"name": "a", "value": 1}]},
                conflicts=[("apply-one", '.list[name="a"].value')],
            ),
        ],
        {"list": [{"name": "a", "value": 0}]},
        {"apply-one": {("f:list", K("a")), ("f:list", K("a"), "f:name"), ("f:list", K("a"), "f:value")}},
        id="change_value_yes_conflict",
    ),
    pytest.param(
        ASSOCIATIVE,
        [
            Op("apply", "default", {"list": [{"name": "a", "value": 1}]}),
            Op("apply", "default", {"list": [{"name": "b", "value": 2}]}),
        ],
        {"list": [{"name": "b", "value": 2}]},
        {"default": {("f:list", K("b")), ("f:list", K("b"), "f:name"), ("f:list", K("b"), "f:value")}},
        id="removing_obsolete_applied_structs",
    ),
    pytest.param(
        SETS,
        [
            Op("apply", "default", {"list": ["a", "c"]}),
            Op("update", "controller", {"list": ["a", "b", "c", "d"]}),
            Op("apply", "default", {"list": ["a", "aprime", "c", "cprime"]}),
        ],
        {"list": ["a", "b", "aprime", "c", "d", "cprime"]},
        {
            "default": {("f:list", V(v)) for v in ("a", "aprime", "c", "cprime")},
            "controller": {("f:list", V("b")), ("f:list", V("d"))},
        },
        id="apply_update_apply_no_overlap",
    ),
    pytest.param(
        SETS,
        [
            Op("apply", "default", {"list": ["a", "c"]}),
            Op("update", "controller", {"list": ["a", "b", "c", "d"]}),
            Op("apply", "default", {"list": ["a", "b", "c"]}),
        ],
        {"list": ["a", "b", "c", "d"]},
        {
            "default": {("f:list", V(v)) for v in "abc"},
            "controller": {("f:list", V("b")), ("f:list", V("d"))},
        },
        id="apply_update_apply_with_overlap",
    ),
    pytest.param(
        LEAVES,
        [
            Op("apply", "default", {"numeric": 1, "string": "string"}),
            Op("update", "controller", {"numeric": 1, "string": "controller string", "bool": True}),
            Op(
                "apply",
                "default",
                {"numeric": 2, "string": "user string"},
                conflicts=[("controller", ".string")],
            ),
            Op("force", "default", {"numeric": 2, "string": "user string"}),
        ],
        {"numeric": 2, "string": "user string", "bool": True},
        {"default": {("f:numeric",), ("f:string",)}, "controller": {("f:bool",)}},
        id="apply_update_apply_with_conflict",
    ),
    pytest.param(
        LEAVES,
        [
            Op("apply", "default", {"numeric": 2}),
            Op("update", "controller", {"numeric": 1}),
            Op("apply", "default", {}),
        ],
        {"numeric": 1},
        {"controller": {("f:numeric",)}},
        id="update_apply_omits",
    ),
    pytest.param(
        STRUCTS,
        [
            Op("update", "updater", {"struct": {"name": "a", "scalarField": "a"}}),
            Op("apply", "applier", {"struct": {"name": "a", "scalarField": "a"}}),
            Op("apply", "applier", {"struct": {"name": "a"}}),
        ],
        {"struct": {"name": "a", "scalarField": "a"}},
        {
            "updater": {("f:struct",), ("f:struct", "f:name"), ("f:struct", "f:scalarField")},
            "applier": {("f:struct", "f:name")},
        },
        id="unset_scalar_shared_with_updater",
    ),
    pytest.param(
        STRUCTS,
        [
            Op("apply", "apply-one", {"struct": {"name": "a", "complexField": {"name": "b"}}}),
            Op("apply", "apply-one", {"struct": {"name": "a"}}),
        ],
        {"struct": {"name": "a"}},
        {"apply-one": {("f:struct", "f:name")}},
        id="unset_complex_sole_owner",
    ),
    pytest.param(
        LIST_OF_LISTS,
        [
            Op("apply", "apply-one", {"listOfLists": [{"name": "a"}, {"name": "b", "value": ["c"]}]}),
            Op("apply", "apply-two", {"listOfLists": [{"name": "b", "value": ["d"]}]}),
            Op(
                "update",
                "controller",
                {"listOfLists": [{"name": "a"}, {"name": "b", "value": ["c", "d", "e"]}]},
            ),
            Op("apply", "apply-one", {"listOfLists": [{"name": "a"}]}),
        ],
        {"listOfLists": [{"name": "a"}, {"name": "b", "value": ["d", "e"]}]},
        {
            "apply-one": {("f:listOfLists", K("a")), ("f:listOfLists", K("a"), "f:name")},
            "apply-two": {
                ("f:listOfLists", K("b")),
                ("f:listOfLists", K("b"), "f:name"),
                ("f:listOfLists", K("b"), "f:value", V("d")),
            },
            "controller": {("f:listOfLists", K("b"), "f:value", V("e"))},
        },
        id="remove_one_keep_one_with_dangling_subitem",
    ),
    pytest.param(
        LIST_OF_LISTS,
        [
            Op("apply", "apply-one", {"listOfLists": [{"name": "a"}, {"name": "b", "value": ["c"]}]}),
            Op("apply", "apply-two", {"listOfLists": [{"name": "a", "value": ["b"]}]}),
            Op(
                "update",
                "controller",
                {"listOfLists": [{"name": "a", "value": ["b"]}, {"name": "b", "value": ["c", "d"]}]},
            ),
            Op("apply", "apply-one", {"listOfLists": [{"name": "a"}]}),
        ],
        {"listOfLists": [{"name": "a", "value": ["b"]}]},
        {
            "apply-one": {("f:listOfLists", K("a")), ("f:listOfLists", K("a"), "f:name")},
            "apply-two": {
                ("f:listOfLists", K("a")),
                ("f:listOfLists", K("a"), "f:name"),
                ("f:listOfLists", K("a"), "f:value", V("b")),
            },
        },
        id="remove_one_with_managed_subitem_keep_one",
    ),
    pytest.param(
        LIST_OF_LISTS,
        [
            Op("apply", "default", {"listOfMaps": [{"name": "a", "value": {"b": "x", "c": "y"}}]}),
            Op("apply", "default", {"listOfMaps": [{"name": "b", "value": {"a": "x", "c": "z"}}]}),
        ],
        {"listOfMaps": [{"name": "b", "value": {"a": "x", "c": "z"}}]},
        {
            "default": {
                ("f:listOfMaps", K("b")),
                ("f:listOfMaps", K("b"), "f:name"),
                ("f:listOfMaps", K("b"), "f:value", "f:a"),
                ("f:listOfMaps", K("b"), "f:value", "f:c"),
            }
        },
        id="listOfMaps_change_key_and_value",
    ),
]


@pytest.mark.parametrize(("schema", "ops", "obj", "owned"), CASES)
def test_smd_scenario(
    schema: Schema, ops: list[Op], obj: dict[str, Any], owned: dict[str, set[tuple[str, ...]]]
) -> None:
    body, managers = run(schema, ops)
    assert body == obj
    assert managers == owned
