"""Look up the schema of any built-in kind by group, version and kind."""

from __future__ import annotations

import importlib
from functools import cache

from pyk8s.api.schema import Schema

_TYPE_MODULES = [
    "pyk8s.kinds.meta",
    "pyk8s.kinds.core.types",
    "pyk8s.kinds.apps.types",
    "pyk8s.kinds.batch.types",
    "pyk8s.kinds.autoscaling.types",
    "pyk8s.kinds.autoscaling.types_v1",
    "pyk8s.kinds.policy.types",
    "pyk8s.kinds.networking.types",
    "pyk8s.kinds.discovery.types",
    "pyk8s.kinds.events.types",
    "pyk8s.kinds.coordination.types",
    "pyk8s.kinds.rbac.types",
    "pyk8s.kinds.storage.types",
    "pyk8s.kinds.scheduling.types",
    "pyk8s.kinds.node.types",
    "pyk8s.kinds.certificates.types",
    "pyk8s.kinds.admissionregistration.types",
    "pyk8s.kinds.apiextensions.types",
    "pyk8s.kinds.authentication.types",
    "pyk8s.kinds.authorization.types",
    "pyk8s.kinds.apiregistration.types",
    "pyk8s.kinds.flowcontrol.types",
]


@cache
def _index() -> dict[tuple[str, str, str], Schema]:
    out: dict[tuple[str, str, str], Schema] = {}
    for name in _TYPE_MODULES:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if isinstance(value, Schema) and value.gvks:
                for gvk in value.gvks:
                    out.setdefault((gvk["group"], gvk["version"], gvk["kind"]), value)
    return out


def schema_for(group: str, version: str, kind: str) -> Schema | None:
    """The schema of a top-level kind, or None."""
    return _index().get((group, version, kind))
