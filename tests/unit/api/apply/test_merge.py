"""Merging configurations into live objects, item order included (SMD's merge cases)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pyk8s.api.apply._types import plan_for
from pyk8s.api.apply._values import equal
from pyk8s.api.apply.merge import drop_nulls, merge
from pyk8s.api.schema import Schema, any_value, boolean, list_of, map_of, number, string, struct

SETS = struct(
    "example.Sets",
    "Set-lists of each scalar type.",
    setStr=list_of(string(), list_type="set"),
    setBool=list_of(boolean(), list_type="set"),
    setNumeric=list_of(number(), list_type="set"),
)

SET_CASES = [
    ('{"setStr":["a","b","c"]}', '{"setStr":["a","b"]}', '{"setStr":["a","b","c"]}'),
    ('{"setStr":["a","b"]}', '{"setStr":["a","b","c"]}', '{"setStr":["a","b","c"]}'),
    ('{"setStr":["a","b","c"]}', '{"setStr":[]}', '{"setStr":["a","b","c"]}'),
    ('{"setStr":[]}', '{"setStr":["a","b","c"]}', '{"setStr":["a","b","c"]}'),
    ('{"setStr":["a","b"]}', '{"setStr":["b","a"]}', '{"setStr":["b","a"]}'),
    ('{"setStr":["a","b","c"]}', '{"setStr":["d","e","f"]}', '{"setStr":["a","b","c","d","e","f"]}'),
    ('{"setStr":["a","b","c"]}', '{"setStr":["c","d","e","f"]}', '{"setStr":["a","b","c","d","e","f"]}'),
    (
        '{"setStr":["a","b","c","g","f"]}',
        '{"setStr":["c","d","e","f"]}',
        '{"setStr":["a","b","c","g","d","e","f"]}',
    ),
    ('{"setStr":["c","d","e","f"]}', '{"setStr":["a","c","e"]}', '{"setStr":["a","c","d","e","f"]}'),
    (
        '{"setStr":["a","b","c","x","y","z"]}',
        '{"setStr":["d","e","f","x","y","z"]}',
        '{"setStr":["a","b","c","d","e","f","x","y","z"]}',
    ),
    ('{"setStr":["c","a","g","f"]}', '{"setStr":["c","f","a","g"]}', '{"setStr":["c","f","a","g"]}'),
    ('{"setStr":["a","b","c","d"]}', '{"setStr":["d","e","f","a"]}', '{"setStr":["b","c","d","e","f","a"]}'),
    (
        '{"setStr":["c","d","e","f","g","h","i","j"]}',
        '{"setStr":["2","h","3","e","4","k","l"]}',
        '{"setStr":["c","d","f","g","2","h","i","j","3","e","4","k","l"]}',
    ),
    (
        '{"setStr":["a","b","c","d","e","f","g","h","i","j"]}',
        '{"setStr":["1","b","2","h","3","e","4","k","l"]}',
        '{"setStr":["a","1","b","c","d","f","g","2","h","i","j","3","e","4","k","l"]}',
    ),
    # duplicates in the live list
    ('{"setStr":["a","b","b"]}', '{"setStr":["c"]}', '{"setStr":["a","b","b","c"]}'),
    ('{"setStr":["a","b","b"]}', '{"setStr":["b"]}', '{"setStr":["a","b"]}'),
    ('{"setStr":["a","b","b"]}', '{"setStr":["a"]}', '{"setStr":["a","b","b"]}'),
    (
        '{"setStr":["a","b","c","d","e","c"]}',
        '{"setStr":["1","b","2","e","d"]}',
        '{"setStr":["a","1","b","c","2","e","c","d"]}',
    ),
    (
        '{"setStr":["a","b","c","d","e","c"]}',
        '{"setStr":["1","b","2","c","e","d"]}',
        '{"setStr":["a","1","b","2","c","e","d"]}',
    ),
    ('{"setStr":["a","a","b","b"]}', '{"setStr":["b","c","d"]}', '{"setStr":["a","a","b","c","d"]}'),
    ('{"setStr":["a","a","b","b"]}', '{"setStr":[]}', '{"setStr":["a","a","b","b"]}'),
    ('{"setBool":[true]}', '{"setBool":[false]}', '{"setBool":[true, false]}'),
    ('{"setNumeric":[1,2,3.14159]}', '{"setNumeric":[1,2,3]}', '{"setNumeric":[1,2,3.14159,3]}'),
    ('{"setStr":["c","a","g","f","c","a"]}', '{"setStr":["c","f","a","g"]}', '{"setStr":["c","f","a","g"]}'),
    ('{"setNumeric":[1,2,3.14159,1,2]}', '{"setNumeric":[1,2,3]}', '{"setNumeric":[1,2,3.14159,3]}'),
    ('{"setBool":[true,false,true]}', '{"setBool":[false]}', '{"setBool":[true,false,true]}'),
    ('{"setBool":[true,false,true]}', '{"setBool":[true]}', '{"setBool":[true, false]}'),
]


@pytest.mark.parametrize(("live", "config", "merged"), SET_CASES)
def test_set_lists_merge_in_smd_order(live: str, config: str, merged: str) -> None:
    assert merge(json.loads(live), json.loads(config), plan_for(SETS)) == json.loads(merged)


ELEMENT = struct(
    "example.Element",
    "A keyed element.",
    key=string(),
    id=number(),
    value=map_of(string()),
    bv=boolean(),
    nv=number(),
)
ROOT = struct(
    "example.Root",
    "A list-map keyed by two fields, and an atomic list.",
    list=list_of(ELEMENT, list_type="map", map_keys=("key", "id")),
    atomicList=list_of(string()),
)

LIST_MAP_CASES = [
    (
        '{"list":[{"key":"a","id":1,"value":{"a":"a"}}]}',
        '{"list":[{"key":"a","id":2,"value":{"a":"a"}}]}',
        '{"list":[{"key":"a","id":1,"value":{"a":"a"}},{"key":"a","id":2,"value":{"a":"a"}}]}',
    ),
    (
        '{"list":[{"key":"a","id":1},{"key":"b","id":1}]}',
        '{"list":[{"key":"a","id":1},{"key":"a","id":2}]}',
        '{"list":[{"key":"a","id":1},{"key":"b","id":1},{"key":"a","id":2}]}',
    ),
    (
        '{"list":[{"key":"b","id":2}]}',
        '{"list":[{"key":"a","id":1},{"key":"b","id":2},{"key":"c","id":3}]}',
        '{"list":[{"key":"a","id":1},{"key":"b","id":2},{"key":"c","id":3}]}',
    ),
    (
        '{"list":[{"key":"a","id":1},{"key":"b","id":2},{"key":"c","id":3}]}',
        '{"list":[{"key":"c","id":3},{"key":"b","id":2}]}',
        '{"list":[{"key":"a","id":1},{"key":"c","id":3},{"key":"b","id":2}]}',
    ),
    (
        '{"list":[{"key":"a","id":1},{"key":"b","id":2},{"key":"c","id":3}]}',
        '{"list":[{"key":"c","id":3},{"key":"a","id":1}]}',
        '{"list":[{"key":"b","id":2},{"key":"c","id":3},{"key":"a","id":1}]}',
    ),
    ('{"atomicList":["a","a","a"]}', '{"atomicList":null}', '{"atomicList":null}'),
    ('{"atomicList":["a","b","c"]}', '{"atomicList":[]}', '{"atomicList":[]}'),
    ('{"atomicList":["a","a","a"]}', '{"atomicList":["a","a"]}', '{"atomicList":["a","a"]}'),
    (
        '{"list":[{"key":"a","id":1,"bv":true},{"key":"b","id":2},{"key":"a","id":1,"bv":false,"nv":2}]}',
        '{"list":[{"key":"a","id":1,"nv":3},{"key":"c","id":3},{"key":"b","id":2}]}',
        '{"list":[{"key":"a","id":1,"nv":3},{"key":"c","id":3},{"key":"b","id":2}]}',
    ),
    (
        '{"list":[{"key":"a","id":1,"nv":1},{"key":"a","id":1,"nv":2}]}',
        '{"list":[]}',
        '{"list":[{"key":"a","id":1,"nv":1},{"key":"a","id":1,"nv":2}]}',
    ),
    (
        '{"list":[{"key":"a","id":1,"value":{"a":"a"}}]}',
        '{"list":[{"key":"a","id":1,"value":{"b":"b"}}]}',
        '{"list":[{"key":"a","id":1,"value":{"a":"a","b":"b"}}]}',
    ),
]


@pytest.mark.parametrize(("live", "config", "merged"), LIST_MAP_CASES)
def test_list_maps_merge_by_keys_in_smd_order(live: str, config: str, merged: str) -> None:
    assert equal(merge(json.loads(live), json.loads(config), plan_for(ROOT)), json.loads(merged))


NESTED = struct(
    "example.Nested",
    "Maps and structs with empty and null values.",
    inner=map_of(any_value()),
    struct=struct("example.Inner", "A struct.", value=any_value()),
    untyped=any_value(),
)


@pytest.mark.parametrize(
    ("live", "config", "merged"),
    [
        ({}, {"inner": {}}, {"inner": {}}),
        ({}, {"inner": None}, {"inner": None}),
        ({"inner": None}, {"inner": {}}, {"inner": {}}),
        ({"inner": {}}, {"inner": None}, {"inner": None}),
        ({"inner": {"a": 1}}, {"inner": None}, {"inner": {"a": 1}}),  # null keeps a granular map
        ({"struct": {"value": 1}}, {"struct": {}}, {"struct": {"value": 1}}),
        ({"untyped": {"a": {"b": 1}}}, {"untyped": {"a": {"c": 2}}}, {"untyped": {"a": {"b": 1, "c": 2}}}),
        ({"untyped": {"l": [1, 2]}}, {"untyped": {"l": [3]}}, {"untyped": {"l": [3]}}),
        ({"untyped": {"l": [1]}}, {"untyped": {"l": {"x": 1}}}, {"untyped": {"l": {"x": 1}}}),
    ],
)
def test_maps_merge_key_by_key(live: dict[str, Any], config: dict[str, Any], merged: dict[str, Any]) -> None:
    assert merge(live, config, plan_for(NESTED)) == merged


def test_merge_shares_untouched_subtrees_and_keeps_inputs() -> None:
    live = {"list": [{"key": "a", "id": 1, "value": {"x": "1"}}, {"key": "b", "id": 2}], "atomicList": ["z"]}
    config = {"list": [{"key": "b", "id": 2, "nv": 5}]}
    before = json.dumps(live), json.dumps(config)
    out = merge(live, config, plan_for(ROOT))
    assert out["list"][0] is live["list"][0]
    assert out["atomicList"] is live["atomicList"]
    assert (json.dumps(live), json.dumps(config)) == before


def test_live_order_of_map_keys_is_kept_and_new_keys_follow() -> None:
    out = merge({"b": 1, "a": 2}, {"c": 3, "a": 4}, plan_for(Schema()))
    assert list(out) == ["b", "a", "c"]


def test_drop_nulls_copies_only_changed_containers() -> None:
    keep = {"k": [1, None]}
    value = {"a": None, "b": {"c": None, "d": 1}, "keep": keep, "list": [{"x": None}]}
    out = drop_nulls(value)
    assert out == {"b": {"d": 1}, "keep": {"k": [1, None]}, "list": [{}]}
    assert out["keep"] is keep
    assert value["a"] is None
