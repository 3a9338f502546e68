"""The hot paths of managed fields against their references, on random objects of real kinds.

Creates are tracked by `created_fields_v1` (one walk, FieldsV1 written directly) and updates
read stored entries without decoding them (`v1_*` over FieldsV1); each must agree with the
general set algebra it short-cuts.
"""

from __future__ import annotations

from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pyk8s.api.apply import plan_for, update
from pyk8s.api.apply.fieldpath import (
    FieldSet,
    v1_covers,
    v1_difference,
    v1_is_canonical,
    v1_remove,
    v1_shares_member,
    v1_union,
)
from pyk8s.api.apply.managedfields import STRIPPED
from pyk8s.api.apply.typed import compare, created_fields, created_fields_v1
from pyk8s.api.schema import Schema
from pyk8s.kinds.schemas import schema_for

KINDS = [("", "v1", "Pod"), ("apps", "v1", "Deployment"), ("", "v1", "Service"), ("batch", "v1", "CronJob")]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _scalar(node: Schema) -> st.SearchStrategy[Any]:
    kind = node.type
    if kind == "integer":
        return st.integers(0, 3)
    if kind == "number":
        return st.sampled_from([0.5, 1, 2.0])
    if kind == "boolean":
        return st.booleans()
    return st.sampled_from(["a", "b", "80", ""])


def values(node: Schema, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values shaped by `node` (small, shallow, with the odd null and empty container)."""
    target = node.target
    if depth > 6:
        return st.none()
    if target.type == "object" and target.properties:
        names = sorted(target.properties)
        return st.lists(st.sampled_from(names), max_size=4, unique=True).flatmap(
            lambda chosen: st.fixed_dictionaries(
                {name: values(target.properties[name], depth + 1) for name in chosen}
            )
        )
    if target.type == "object" and target.additional is not None:
        return st.dictionaries(
            st.sampled_from(["x", "y", "z"]), values(target.additional, depth + 1), max_size=2
        )
    if target.type == "array" and target.items is not None:
        return st.lists(values(target.items, depth + 1), max_size=3)
    if target.type in ("integer", "number", "boolean", "string"):
        return st.one_of(_scalar(target), st.none()) if depth % 3 == 2 else _scalar(target)
    return st.one_of(st.none(), st.just({}), st.just({"k": "v"}), st.sampled_from(["s", 1]))


@st.composite
def objects(draw: st.DrawFn) -> tuple[Schema, dict[str, Any]]:
    group, version, kind = draw(st.sampled_from(KINDS))
    schema = schema_for(group, version, kind)
    assert schema is not None
    obj = draw(values(schema))
    obj.update(apiVersion=f"{group}/{version}".lstrip("/"), kind=kind)
    return schema, obj


@SETTINGS
@given(objects())
def test_created_fields_is_the_comparison_with_nothing(case: tuple[Schema, dict[str, Any]]) -> None:
    schema, obj = case
    plan = plan_for(schema)
    expected = compare({}, obj, plan).changed()
    assert created_fields(obj, plan) == expected
    written = created_fields_v1(obj, plan)
    assert written == expected.to_fields_v1()  # (in the object's key order)
    assert FieldSet.from_fields_v1(written) == expected


@SETTINGS
@given(objects(), objects())
def test_fields_v1_operations_match_the_set_algebra(
    a: tuple[Schema, dict[str, Any]], b: tuple[Schema, dict[str, Any]]
) -> None:
    x = created_fields(a[1], plan_for(a[0]))
    y = created_fields(b[1], plan_for(b[0])).union(FieldSet.of(("f:metadata",), ("f:spec", "f:x")))
    raw = x.to_fields_v1()
    assert x.difference_v1(y.to_fields_v1()) == x.difference(y)
    assert v1_is_canonical(raw)
    rest = v1_difference(raw, y.to_fields_v1())
    assert rest == x.difference(y).to_fields_v1()
    assert (rest is raw) == (x.difference(y) == x)
    assert v1_shares_member(raw, y) == (x.difference(y) != x)
    assert v1_covers(raw, y) == y.difference(x).empty()
    before = orjson.dumps(raw)
    assert orjson.dumps(v1_union(raw, y)) == orjson.dumps((x | y).to_fields_v1())  # keys in order too
    assert orjson.dumps(raw) == before  # the stored trie is left alone
    for recursive in (False, True):
        copy = orjson.loads(orjson.dumps(raw))
        v1_remove(copy, y, recursive=recursive)
        expected = x.recursive_difference(y) if recursive else x.difference(y)
        assert copy == expected.to_fields_v1()


SENT = {"f:metadata": {"f:labels": {"f:x": {}}}, "f:spec": {"f:replicas": {}, "f:selector": {}}}


@SETTINGS
@given(objects(), st.booleans(), st.booleans())
def test_a_create_owns_what_it_sets(case: tuple[Schema, dict[str, Any]], sent: bool, reset: bool) -> None:
    schema, obj = case
    body = {**obj, "metadata": dict(obj.get("metadata") or {})}
    if sent:  # entries sent with the object keep only what the object does not set
        entry = {"manager": "other", "operation": "Update", "apiVersion": "v1", "fieldsType": "FieldsV1"}
        body["metadata"]["managedFields"] = [{**entry, "fieldsV1": SENT}]
    ignored = FieldSet.of(("f:status",)) if reset else None
    result = update(
        {}, body, "me", None, schema, api_version="v1", now="2024-05-01T10:00:00Z", ignored=ignored
    )
    entries = {e["manager"]: e for e in result.obj["metadata"].get("managedFields", [])}
    plan = plan_for(schema)
    sets = created_fields(obj, plan)
    written = sets.recursive_difference(ignored) if ignored else sets
    expected = written.difference(STRIPPED)
    mine = FieldSet.from_fields_v1(entries["me"]["fieldsV1"]) if "me" in entries else FieldSet()
    assert mine == expected
    if sent:
        rest = FieldSet.from_fields_v1(SENT).difference(
            sets.recursive_difference(ignored) if ignored else sets
        )
        other = FieldSet.from_fields_v1(entries["other"]["fieldsV1"]) if "other" in entries else FieldSet()
        assert other == rest


def test_large_values_are_walked_whole() -> None:
    """Values too large to remember (a big ConfigMap, a container with many env vars) give the
    same FieldsV1 through the walk that skips the memo."""
    configmap = {"apiVersion": "v1", "kind": "ConfigMap", "data": {f"k{i}": "v" * 20 for i in range(300)}}
    env = [{"name": f"VAR_{i}", "value": "x" * 30} for i in range(120)]
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "spec": {"template": {"spec": {"containers": [{"name": "web", "image": "nginx", "env": env}]}}},
    }
    for group, version, kind, obj in (
        ("", "v1", "ConfigMap", configmap),
        ("apps", "v1", "Deployment", deployment),
    ):
        plan = plan_for(schema_for(group, version, kind))
        for _ in range(2):  # the second time through any memo
            assert created_fields_v1(obj, plan) == created_fields(obj, plan).to_fields_v1()
