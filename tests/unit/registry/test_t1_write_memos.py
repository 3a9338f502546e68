"""What the write path remembers must never change a result.

- ObjectMeta validation remembers metadata found valid without its name and annotations:
  every variant of valid metadata (one value replaced, or a key dropped) gives the same
  errors with nothing remembered and after the valid metadata was remembered.
- Stamped times are those of a fresh format, second after second.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from collections.abc import Callable
from typing import Any

import pytest

from pyk8s.api import meta
from pyk8s.api.meta import rfc3339, validate_object_meta
from pyk8s.kinds.core.pod import PodStrategy
from pyk8s.registry import store

from .test_s1_validation_memo import leaves

# Values of each JSON type, valid and not, and of other types (decoding sees anything).
REPLACEMENTS: dict[type, list[Any]] = {
    str: ["", "Bad_Name!", "-x", "a/b/c", "x" * 300, "example.com/ok", "UPPER", "v1", "kube-system"],
    int: [-1, 0, 1, 2**40, 1.5, "3"],
    bool: [True, False, 1, "true"],
    dict: [{}, {"Bad Key": "v"}, {"ok": "x" * 70}, [], "text"],
    list: [[], [{}], ["Bad Fin!"], {}, "text"],
    float: [1.0, 2.5],
    type(None): [None],
}


def metadata(i: int) -> dict[str, Any]:
    """Metadata like a ReplicaSet's pod after a few writes."""
    return {
        "name": f"web-{i:06d}",
        "generateName": "web-",
        "namespace": "bench-a",
        "uid": f"00000000-0000-4000-8000-{i:012d}",
        "resourceVersion": str(1000 + i),
        "generation": 1,
        "creationTimestamp": "2026-11-22T07:16:13Z",
        "labels": {"app": "web", "pod-template-hash": "5d8f7c9b6"},
        "annotations": {"example.com/revision": str(i), "kubectl.kubernetes.io/restartedAt": "now"},
        "ownerReferences": [
            {
                "apiVersion": "apps/v1",
                "kind": "ReplicaSet",
                "name": "web-5d8f7c9b6",
                "uid": "11111111-2222-4333-8444-555555555555",
                "controller": True,
                "blockOwnerDeletion": True,
            }
        ],
        "finalizers": ["example.com/keep"],
        "managedFields": [
            {
                "manager": "m",
                "operation": "Update",
                "apiVersion": "v1",
                "time": f"2026-11-22T07:16:{i % 60:02d}Z",
            }
        ],
    }


def variant(obj: dict[str, Any], path: tuple[Any, ...], rng: random.Random) -> dict[str, Any]:
    """`obj` with the value at `path` replaced (or its key dropped, or a key added beside it)."""
    out = copy.deepcopy(obj)
    parent = out
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    roll = rng.random()
    if isinstance(parent, dict) and roll < 0.2:
        del parent[last]
    elif isinstance(parent, dict) and roll < 0.3:
        parent["notAField"] = rng.choice(["x", 1, {"a": 1}, None])
    else:
        parent[last] = copy.deepcopy(rng.choice(REPLACEMENTS[type(parent[last])]))
    return out


def errors(result: list[Any]) -> list[str]:
    return [str(e) for e in result]


def forget_meta() -> None:
    meta._VALID_META.clear()
    meta._VALID_ANNOTATION_KEYS.clear()


NAME_RULES: list[tuple[bool, Callable[[str], list[str]]]] = [
    (True, PodStrategy.validate_name),  # a create
    (True, store._any_name),  # an update
    (False, PodStrategy.validate_name),  # a cluster-scoped kind (namespace forbidden)
]


@pytest.mark.parametrize("namespaced,validate_name", NAME_RULES, ids=["create", "update", "cluster"])
def test_remembered_metadata_never_changes_errors(
    namespaced: bool, validate_name: Callable[[str], list[str]]
) -> None:
    rng = random.Random(11)
    bases = [{"metadata": metadata(i)} for i in range(3)]
    if not namespaced:
        for base in bases:
            del base["metadata"]["namespace"]
    paths = [p for p in leaves(bases[0]) if len(p) > 1]
    checked = invalid = 0
    for path in paths * 6:
        changed = variant(bases[rng.randrange(3)], path, rng)
        forget_meta()
        try:
            cold: Any = errors(
                validate_object_meta(changed, namespaced=namespaced, validate_name=validate_name)
            )
        except Exception as err:  # a wrong type may stop validation; so must it warm
            cold = repr(err)
        for base in bases:
            assert validate_object_meta(base, namespaced=namespaced, validate_name=validate_name) == []
        for _ in range(2):  # the second time, a valid variant is remembered too
            try:
                warm: Any = errors(
                    validate_object_meta(changed, namespaced=namespaced, validate_name=validate_name)
                )
            except Exception as err:
                warm = repr(err)
            assert warm == cold, path
        checked += 1
        invalid += bool(cold)
    assert checked > 100 and invalid > 30, (checked, invalid)


def test_remembered_metadata_still_checks_its_other_fields() -> None:
    forget_meta()
    rules = {"namespaced": True, "validate_name": PodStrategy.validate_name}
    assert validate_object_meta({"metadata": metadata(1)}, **rules) == []
    assert len(meta._VALID_META) == 1
    for name in ("", "Bad_Name!", "x" * 300):
        bad = {"metadata": {**metadata(1), "name": name}}
        warm = errors(validate_object_meta(bad, **rules))
        forget_meta()
        assert warm and warm == errors(validate_object_meta(bad, **rules))
        assert validate_object_meta({"metadata": metadata(1)}, **rules) == []
    for annotation_map in ({"Bad Key!": "v"}, {"ok": "x" * (256 * 1024)}, {"a/b/c": "v", "-x": ""}):
        bad = {"metadata": {**metadata(1), "annotations": annotation_map}}
        warm = errors(validate_object_meta(bad, **rules))
        forget_meta()
        assert warm and warm == errors(validate_object_meta(bad, **rules))
        assert validate_object_meta({"metadata": metadata(1)}, **rules) == []
    # Another pod of the template hits; what differs between pods and writes is not in the key.
    other = metadata(2)
    other.update(resourceVersion="9", annotations={"n": "1"}, generation=3)
    other["ownerReferences"] = [{**other["ownerReferences"][0], "uid": "another"}]
    assert validate_object_meta({"metadata": other}, **rules) == [] and len(meta._VALID_META) == 1
    for owners in ([{"kind": "ReplicaSet"}], [{**other["ownerReferences"][0], "controller": True}] * 2):
        bad = {"metadata": {**other, "ownerReferences": owners, "generation": -1}}
        warm = errors(validate_object_meta(bad, **rules))
        forget_meta()
        assert len(warm) > 1 and warm == errors(validate_object_meta(bad, **rules))
        assert validate_object_meta({"metadata": metadata(1)}, **rules) == []


def test_stamped_times_are_formatted_afresh_each_second() -> None:
    start = 1_800_000_000
    for t in [start, start + 0.2, start + 0.999, start + 1, start + 1, start - 5, start + 86_400.5, 0.0]:
        expected = dt.datetime.fromtimestamp(int(t), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert rfc3339(t) == expected
