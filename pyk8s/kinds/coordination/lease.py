"""Lease: a lock with a holder and a duration (leader election, node heartbeats)."""

from __future__ import annotations

from typing import Any

from pyk8s.api.fields import FieldErrors, FieldPath, forbidden, invalid, not_supported
from pyk8s.api.resource import AGE, NAME, Column, Obj, RequestContext, ResourceInfo, ResourceStrategy
from pyk8s.api.table import age
from pyk8s.api.validation import qualified_name
from pyk8s.kinds.coordination import types

RESOURCE = ResourceInfo(
    group="coordination.k8s.io", version="v1", kind="Lease", plural="leases", singular="lease"
)

# Coordinated leader election strategies Kubernetes defines (others must be domain-prefixed).
STRATEGIES = ["OldestEmulationVersion"]


def _spec(obj: Obj) -> dict[str, Any]:
    spec = obj.get("spec")
    return spec if isinstance(spec, dict) else {}


def validate_strategy(strategy: str, path: FieldPath) -> FieldErrors:
    """A Kubernetes strategy name, or a qualified `prefix/name` of one's own."""
    # Kubernetes reports these one level too deep (`spec.strategy.strategy`); so do we.
    path = path.child("strategy")
    if "/" not in strategy:
        return [] if strategy in STRATEGIES else [not_supported(path, strategy, STRATEGIES)]
    return [invalid(path, strategy, msg) for msg in qualified_name(strategy)]


def validate_lease_spec(spec: dict[str, Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    duration = spec.get("leaseDurationSeconds")
    if isinstance(duration, int) and duration <= 0:
        errs.append(invalid(path.child("leaseDurationSeconds"), duration, "must be greater than 0"))
    transitions = spec.get("leaseTransitions")
    if isinstance(transitions, int) and transitions < 0:
        errs.append(
            invalid(path.child("leaseTransitions"), transitions, "must be greater than or equal to 0")
        )
    if "strategy" in spec:
        errs += validate_strategy(spec["strategy"], path.child("strategy"))
    if spec.get("preferredHolder") and not spec.get("strategy"):
        errs.append(
            forbidden(path.child("preferredHolder"), "may only be specified if `strategy` is defined")
        )
    return errs


class LeaseStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.Lease
    has_status = False
    columns = (NAME, Column("Holder", description="The current holder of the lease."), AGE)

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        return validate_lease_spec(_spec(obj), FieldPath("spec"))

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        return [obj["metadata"].get("name", ""), _spec(obj).get("holderIdentity", ""), age(obj, now)]
