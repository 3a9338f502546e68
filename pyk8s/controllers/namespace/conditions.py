"""The conditions a terminating namespace carries, with Kubernetes' reasons and messages.

One deletion pass collects what went wrong (`DeletionReport`); `updated_conditions` turns
it into the five condition types the namespace controller owns. A type with nothing to
report gets its "all is well" variant (status False), so `kubectl describe namespace`
shows the same lines as on Kubernetes. Pure: no I/O, time passed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pyk8s.api.meta import rfc3339

Obj = dict[str, Any]

DISCOVERY_FAILURE = "NamespaceDeletionDiscoveryFailure"
GROUP_VERSION_PARSING_FAILURE = "NamespaceDeletionGroupVersionParsingFailure"
CONTENT_FAILURE = "NamespaceDeletionContentFailure"
CONTENT_REMAINING = "NamespaceContentRemaining"
FINALIZERS_REMAINING = "NamespaceFinalizersRemaining"

CONDITION_TYPES = (
    DISCOVERY_FAILURE,
    GROUP_VERSION_PARSING_FAILURE,
    CONTENT_FAILURE,
    CONTENT_REMAINING,
    FINALIZERS_REMAINING,
)

_OK = {
    DISCOVERY_FAILURE: ("ResourcesDiscovered", "All resources successfully discovered"),
    GROUP_VERSION_PARSING_FAILURE: ("ParsedGroupVersions", "All legacy kube types successfully parsed"),
    CONTENT_FAILURE: ("ContentDeleted", "All content successfully deleted, may be waiting on finalization"),
    CONTENT_REMAINING: ("ContentRemoved", "All content successfully removed"),
    FINALIZERS_REMAINING: ("ContentHasNoFinalizers", "All content-preserving finalizers finished"),
}


@dataclass
class DeletionReport:
    """What one pass over a namespace's content found."""

    discovery_error: str = ""
    failed_groups: int = 0
    group_version_error: str = ""
    content_errors: list[str] = field(default_factory=list)
    # "<resource>.<group>" -> instances still present
    remaining: dict[str, int] = field(default_factory=dict)
    # finalizer -> instances held by it
    finalizers: dict[str, int] = field(default_factory=dict)

    def add_remaining(self, resource: str, group: str, items: list[Obj]) -> None:
        if not items:
            return
        self.remaining[f"{resource}.{group}"] = self.remaining.get(f"{resource}.{group}", 0) + len(items)
        for item in items:
            for fin in (item.get("metadata") or {}).get("finalizers") or []:
                self.finalizers[fin] = self.finalizers.get(fin, 0) + 1

    def failing(self) -> list[Obj]:
        """The failing conditions (status True), without timestamps."""
        out: list[Obj] = []
        if self.discovery_error:
            message = self.discovery_error
            if self.failed_groups:
                message = f"Discovery failed for some groups, {self.failed_groups} failing: {message}"
            out.append(_condition(DISCOVERY_FAILURE, "DiscoveryFailed", message))
        if self.group_version_error:
            out.append(
                _condition(
                    GROUP_VERSION_PARSING_FAILURE, "GroupVersionParsingFailed", self.group_version_error
                )
            )
        if self.content_errors:
            errs = sorted(self.content_errors)
            message = f"Failed to delete all resource types, {len(errs)} remaining: {', '.join(errs)}"
            out.append(_condition(CONTENT_FAILURE, "ContentDeletionFailed", message))
        if self.remaining:
            parts = sorted(f"{gr} has {n} resource instances" for gr, n in self.remaining.items() if n)
            out.append(
                _condition(
                    CONTENT_REMAINING,
                    "SomeResourcesRemain",
                    f"Some resources are remaining: {', '.join(parts)}",
                )
            )
        if self.finalizers:
            parts = sorted(f"{fin} in {n} resource instances" for fin, n in self.finalizers.items() if n)
            message = f"Some content in the namespace has finalizers remaining: {', '.join(parts)}"
            out.append(_condition(FINALIZERS_REMAINING, "SomeFinalizersRemain", message))
        return out


def _condition(kind: str, reason: str, message: str, status: str = "True") -> Obj:
    return {"type": kind, "status": status, "reason": reason, "message": message}


def updated_conditions(current: list[Obj], report: DeletionReport, now: float) -> tuple[list[Obj], bool]:
    """The namespace's conditions after `report`, and whether anything changed. Conditions of
    other types are kept; lastTransitionTime moves only when a status flips."""
    failing = {c["type"]: c for c in report.failing()}
    result = [dict(c) for c in current]
    by_type = {c.get("type"): c for c in result}
    changed = False
    for kind in CONDITION_TYPES:
        reason, message = _OK[kind]
        wanted = failing.get(kind) or _condition(kind, reason, message, status="False")
        old = by_type.get(kind)
        if old is None:
            result.append({**wanted, "lastTransitionTime": rfc3339(now)})
            changed = True
            continue
        if (old.get("status"), old.get("reason"), old.get("message")) != (
            wanted["status"],
            wanted["reason"],
            wanted["message"],
        ):
            if old.get("status") != wanted["status"]:
                old["lastTransitionTime"] = rfc3339(now)
            old.update(status=wanted["status"], reason=wanted["reason"], message=wanted["message"])
            changed = True
    return result, changed
