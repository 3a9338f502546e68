"""Lease: a lock with a holder and a duration (leader election, node heartbeats)."""

from __future__ import annotations

from typing import Any

from pyk8s.api.resource import AGE, NAME, Column, Obj, ResourceInfo, ResourceStrategy
from pyk8s.api.table import age
from pyk8s.kinds.coordination import types

RESOURCE = ResourceInfo(
    group="coordination.k8s.io", version="v1", kind="Lease", plural="leases", singular="lease"
)


class LeaseStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.Lease
    has_status = False
    columns = (NAME, Column("Holder", description="The current holder."), AGE)

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        holder = (obj.get("spec") or {}).get("holderIdentity", "")
        return [obj["metadata"].get("name", ""), holder, age(obj, now)]
