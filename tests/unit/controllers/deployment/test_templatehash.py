"""The pod-template-hash: FNV-32a, the collision count, the safe alphabet."""

from __future__ import annotations

import re

from pyk8s.controllers.deployment.templatehash import compute_hash, fnv32a, safe_encode

from .builders import template


def test_fnv32a_known_vectors() -> None:
    # Reference values of the FNV-1a 32-bit specification.
    assert fnv32a(b"") == 0x811C9DC5
    assert fnv32a(b"a") == 0xE40C292C
    assert fnv32a(b"foobar") == 0xBF9CF968


def test_safe_encode_maps_digits_into_the_alphabet() -> None:
    # '0' is 48: 48 % 27 = 21 -> '4'; '9' is 57 -> 57 % 27 = 3 -> 'f'
    assert safe_encode("09") == "4f"


def test_hash_looks_like_kubernetes_names() -> None:
    value = compute_hash(template())
    assert re.fullmatch(r"[bcdfghjklmnpqrstvwxz2456789]{1,10}", value)


def test_hash_is_deterministic_and_key_order_free() -> None:
    a = template()
    b = {"spec": a["spec"], "metadata": a["metadata"]}
    assert compute_hash(a) == compute_hash(b)


def test_hash_changes_with_the_template_and_the_collision_count() -> None:
    base = compute_hash(template())
    assert compute_hash(template("nginx:2")) != base
    assert compute_hash(template(), 0) != base
    assert compute_hash(template(), 1) != compute_hash(template(), 0)
