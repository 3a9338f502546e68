"""Comparing pod templates without the pod-template-hash label: the cheap comparison gives
the answers the deep-copying `template_without_hash` gives, and changes nothing."""

from __future__ import annotations

import copy
import itertools
from typing import Any

from pyk8s.controllers.deployment import replicasets as rsutil
from pyk8s.controllers.deployment.templatehash import LABEL

SPEC = {"containers": [{"name": "web", "image": "nginx:1"}]}
METADATAS: list[Any] = [
    None,
    {},
    {"labels": {}},
    {"labels": {LABEL: "abc"}},
    {"labels": {LABEL: "def"}},
    {"labels": {"app": "web"}},
    {"labels": {"app": "web", LABEL: "abc"}},
    {"labels": {"app": "web", LABEL: "abc"}, "annotations": {"a": "b"}},
    {"annotations": {"a": "b"}},
    {"labels": {LABEL: "abc"}, "annotations": {"a": "b"}},
]


def templates() -> list[Any]:
    found: list[Any] = [None, {}]
    for meta in METADATAS:
        template: dict[str, Any] = {"spec": copy.deepcopy(SPEC)}
        if meta is not None:
            template["metadata"] = copy.deepcopy(meta)
        found.append(template)
    found.append({"metadata": {"labels": {"app": "web"}}, "spec": {"containers": []}})
    return found


def test_the_comparison_agrees_with_template_without_hash_and_changes_nothing() -> None:
    for a, b in itertools.product(templates(), repeat=2):
        before = (copy.deepcopy(a), copy.deepcopy(b))
        expected = rsutil.template_without_hash(a) == rsutil.template_without_hash(b)
        assert rsutil.equal_ignore_hash(a, b) is expected, (a, b)
        assert (a, b) == before


def test_template_without_hash_drops_the_label_and_what_it_leaves_empty_in_a_copy() -> None:
    spec = copy.deepcopy(SPEC)
    assert rsutil.template_without_hash(None) == {}
    assert rsutil.template_without_hash({"metadata": {"labels": {LABEL: "abc"}}, "spec": spec}) == {
        "spec": SPEC
    }
    kept = {"metadata": {"labels": {"app": "web", LABEL: "abc"}, "annotations": {"a": "b"}}, "spec": spec}
    expected = {"metadata": {"labels": {"app": "web"}, "annotations": {"a": "b"}}, "spec": SPEC}
    assert rsutil.template_without_hash(kept) == expected
    plain = {"metadata": {"annotations": {"a": "b"}}, "spec": spec}
    copied = rsutil.template_without_hash(plain)
    assert copied == plain
    copied["spec"]["containers"][0]["image"] = "changed"  # a deep copy: the original stays as it was
    assert spec == SPEC
