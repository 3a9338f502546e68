"""Properties of field sets: the trie behaves as a set of paths, and FieldsV1 round-trips."""

from __future__ import annotations

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from pyk8s.api.apply.fieldpath import FieldSet, key_pe, pe_sort_key, value_pe

_ELEMENTS = st.one_of(
    st.sampled_from(["f:a", "f:b", "f:spec", "f:metadata", "f:with.dot", "f:ünï"]),
    st.builds(lambda name: key_pe({"name": name}), st.sampled_from(["x", "y", "a<b"])),
    st.builds(
        lambda port, proto: key_pe({"port": port, "protocol": proto}),
        st.sampled_from([80, 443, 8080]),
        st.sampled_from(["TCP", "UDP"]),
    ),
    st.builds(value_pe, st.one_of(st.integers(-3, 300), st.sampled_from(["a", "b", ""]), st.booleans())),
    st.builds(lambda i: f"i:{i}", st.integers(0, 12)),
)
_PATHS = st.frozensets(st.lists(_ELEMENTS, min_size=1, max_size=4).map(tuple), max_size=12)


def _set(paths: frozenset[tuple[str, ...]]) -> FieldSet:
    return FieldSet.of(*paths)


@settings(max_examples=200)
@given(_PATHS)
def test_fields_v1_round_trip(paths: frozenset[tuple[str, ...]]) -> None:
    fields = _set(paths)
    encoded = fields.to_fields_v1()
    decoded = FieldSet.from_fields_v1(orjson.loads(orjson.dumps(encoded)))
    assert decoded == fields
    assert set(decoded) == paths
    assert orjson.dumps(decoded.to_fields_v1()) == orjson.dumps(encoded)


@settings(max_examples=200)
@given(_PATHS)
def test_fields_v1_is_written_sorted_with_dot_first(paths: frozenset[tuple[str, ...]]) -> None:
    def check(node: dict[str, object]) -> None:
        keys = list(node)
        if "." in keys:
            assert keys[0] == "."
            keys = keys[1:]
        assert keys == sorted(keys, key=pe_sort_key)
        for key in keys:
            child = node[key]
            assert isinstance(child, dict)
            check(child)

    check(_set(paths).to_fields_v1())


@settings(max_examples=200)
@given(_PATHS, _PATHS)
def test_algebra_is_the_algebra_of_path_sets(
    a: frozenset[tuple[str, ...]], b: frozenset[tuple[str, ...]]
) -> None:
    x, y = _set(a), _set(b)
    assert set(x | y) == a | b
    assert set(x & y) == a & b
    assert set(x - y) == a - b
    assert set(x.recursive_difference(y)) == {
        p for p in a if not any(p[:n] in b for n in range(1, len(p) + 1))
    }
    assert set(x.leaves()) == {p for p in a if not any(q != p and q[: len(p)] == p for q in a)}
    assert (x | y).empty() == (not (a | b))
    assert all(x.has(p) for p in a)
    assert not any(x.has(p) for p in b - a)
    assert len(x) == len(a)


@settings(max_examples=100)
@given(_PATHS, _PATHS, _PATHS)
def test_operations_leave_their_inputs_alone(
    a: frozenset[tuple[str, ...]], b: frozenset[tuple[str, ...]], c: frozenset[tuple[str, ...]]
) -> None:
    x, y, z = _set(a), _set(b), _set(c)
    _ = ((x | y) - z) & (z | x)
    _ = x.recursive_difference(y).leaves()
    assert set(x) == a and set(y) == b and set(z) == c
    assert (x | y) | z == x | (y | z)
    assert (x - y) | (x & y) == x
