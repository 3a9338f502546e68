"""The built-in API: one package per API group, one module per kind (its ResourceInfo,
strategy, defaulting, validation and columns), and `types.py` per group for the schemas.

Each group package exposes `strategies()`; adding a kind adds it there, and adding a group
adds it to `GROUPS` below. The registry and the API server are never edited for a kind.
"""

from __future__ import annotations

import importlib

from pyk8s.api.resource import ResourceStrategy

# Group packages, in discovery order (the API server orders named groups itself).
GROUPS = (
    "core",
    "apps",
    "batch",
    "autoscaling",
    "policy",
    "networking",
    "discovery",
    "events",
    "coordination",
    "rbac",
    "storage",
    "scheduling",
    "node",
    "certificates",
    "admissionregistration",
    "apiextensions",
    "authentication",
    "authorization",
    "apiregistration",
    "flowcontrol",
)


def builtin_strategies() -> list[ResourceStrategy]:
    """One strategy instance per built-in resource."""
    out: list[ResourceStrategy] = []
    for group in GROUPS:
        package = importlib.import_module(f"pyk8s.kinds.{group}")
        factory = getattr(package, "strategies", None)
        if factory is not None:
            out.extend(factory())
    return out
