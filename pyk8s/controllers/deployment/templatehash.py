"""The pod-template-hash: the suffix of a ReplicaSet's name and the label that keeps the pods
of one template apart from those of another.

Kubernetes hashes the pod template with 32-bit FNV-1a, then, when the Deployment has seen
collisions, the collision count (as 8 bytes: the little-endian uint32 and four zero bytes),
and renders the decimal value of the hash through its "safe" alphabet (consonants and digits
that cannot spell words), so names look like `web-7d4b9c8f6d`.

Kubernetes feeds FNV a Go debug dump of its typed structs; we feed it the template's JSON with
sorted keys. The hash is therefore our own but stable and deterministic, which is all it has
to be: the new ReplicaSet of a Deployment is found by comparing templates, never hashes, and
the collision count exists exactly because a hash names a template without identifying it.
"""

from __future__ import annotations

from typing import Any

import orjson

LABEL = "pod-template-hash"  # apps/v1 DefaultDeploymentUniqueLabelKey

_FNV32_OFFSET = 0x811C9DC5
_FNV32_PRIME = 0x01000193
_SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


def fnv32a(data: bytes, value: int = _FNV32_OFFSET) -> int:
    """32-bit FNV-1a of `data`, continuing from `value`."""
    for byte in data:
        value = ((value ^ byte) * _FNV32_PRIME) & 0xFFFFFFFF
    return value


def safe_encode(text: str) -> str:
    """apimachinery's SafeEncodeString: every character mapped into the safe alphabet."""
    size = len(_SAFE_ALPHABET)
    return "".join(_SAFE_ALPHABET[ord(ch) % size] for ch in text)


def compute_hash(template: dict[str, Any], collision_count: int | None = None) -> str:
    """The pod-template-hash of `template` for a Deployment with `collision_count`."""
    value = fnv32a(orjson.dumps(template, option=orjson.OPT_SORT_KEYS))
    if collision_count is not None:
        value = fnv32a((collision_count & 0xFFFFFFFF).to_bytes(4, "little") + bytes(4), value)
    return safe_encode(str(value))
