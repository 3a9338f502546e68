"""JSON merge patch (RFC 7386) against the RFC's own pseudocode, on random documents.

The model is section 2 of the RFC, transcribed. Patches are objects whose arrays hold no
objects: there evanphx/json-patch v4 (kube-apiserver's library, followed by
`apply_merge_patch`) agrees with the RFC; it also prunes nulls from objects inside arrays,
which the RFC keeps (a documented difference, checked by example in the unit tests).
"""

from __future__ import annotations

import copy
from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pyk8s.api.patch import apply_merge_patch, create_merge_patch


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 section 2, word for word."""
    if isinstance(patch, dict):
        if not isinstance(target, dict):
            target = {}  # ignore the contents and set it to an empty object
        target = dict(target)
        for name, value in patch.items():
            if value is None:
                target.pop(name, None)
            else:
                target[name] = merge_patch(target.get(name), value)
        return target
    return patch


def same(a: Any, b: Any) -> bool:
    """Equal as JSON texts (Python's `==` takes False for 0)."""
    return orjson.dumps(a, option=orjson.OPT_SORT_KEYS) == orjson.dumps(b, option=orjson.OPT_SORT_KEYS)


_KEYS = st.sampled_from(["a", "b", "c", "d"])
_SCALARS = st.one_of(st.booleans(), st.integers(-3, 3), st.sampled_from(["", "x", "y"]))
# Documents: any JSON (nulls included).
DOCS = st.recursive(
    st.one_of(st.none(), _SCALARS),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_KEYS, inner, max_size=3)),
    max_leaves=12,
)
# Patches: objects with nulls (deletions) anywhere, and arrays of scalars.
_PATCH_VALUES = st.recursive(
    st.one_of(st.none(), _SCALARS, st.lists(st.one_of(st.none(), _SCALARS), max_size=3)),
    lambda inner: st.dictionaries(_KEYS, inner, max_size=3),
    max_leaves=12,
)
PATCHES = st.dictionaries(_KEYS, _PATCH_VALUES, max_size=4)
SETTINGS = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(DOCS, PATCHES)
def test_merge_patch_matches_the_rfc(doc: Any, patch: dict[str, Any]) -> None:
    before = copy.deepcopy(doc)
    assert same(apply_merge_patch(doc, patch), merge_patch(doc, patch))
    assert same(doc, before)  # never modified


@SETTINGS
@given(DOCS, PATCHES)
def test_merge_patch_is_idempotent(doc: Any, patch: dict[str, Any]) -> None:
    once = apply_merge_patch(doc, patch)
    assert same(apply_merge_patch(once, patch), once)


_NO_NULLS = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_KEYS, inner, max_size=3)),
    max_leaves=12,
)


@SETTINGS
@given(st.dictionaries(_KEYS, _NO_NULLS, max_size=4), st.dictionaries(_KEYS, _NO_NULLS, max_size=4))
def test_a_created_patch_turns_the_original_into_the_modified(
    original: dict[str, Any], modified: dict[str, Any]
) -> None:
    patch = create_merge_patch(original, modified)
    assert same(apply_merge_patch(original, patch), modified)
    assert same(merge_patch(original, patch), modified)  # the RFC agrees
    if same(original, modified):
        assert patch == {}
