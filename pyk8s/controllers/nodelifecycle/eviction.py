"""Taint-based eviction (Kubernetes' taint eviction controller), as pure decisions.

A pod on a node with NoExecute taints:
- tolerates none, or not all of them   -> deleted at once;
- tolerates all, some with tolerationSeconds -> deleted that many seconds (the smallest)
  after the controller first saw it on the tainted node;
- tolerates all, none time-limited     -> stays.

`EvictionSchedule` keeps, per pod, when its countdown started and when it fires; a
countdown that would fire later than one already running keeps the earlier one (as
Kubernetes does), and the pod's deadline is cancelled when its node is no longer tainted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

NO_EXECUTE = "NoExecute"


def tolerates(toleration: Mapping[str, Any], taint: Mapping[str, Any]) -> bool:
    """Whether one toleration tolerates one taint (core/v1 helper semantics)."""
    effect = toleration.get("effect") or ""
    if effect and effect != taint.get("effect"):
        return False
    key = toleration.get("key") or ""
    if key and key != taint.get("key"):
        return False
    operator = toleration.get("operator") or "Equal"
    if operator == "Exists":
        return True
    if operator == "Equal":
        return (toleration.get("value") or "") == (taint.get("value") or "")
    return False


def no_execute_taints(node: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [t for t in (node.get("spec") or {}).get("taints") or [] if t.get("effect") == NO_EXECUTE]


def matching_tolerations(
    taints: Iterable[Mapping[str, Any]], tolerations: Iterable[Mapping[str, Any]]
) -> tuple[bool, list[Mapping[str, Any]]]:
    """(every taint tolerated, the tolerations used: the first match for each taint)."""
    tolerations = list(tolerations)
    used: list[Mapping[str, Any]] = []
    for taint in taints:
        match = next((t for t in tolerations if tolerates(t, taint)), None)
        if match is None:
            return False, []
        used.append(match)
    return True, used


def min_toleration_seconds(used: Iterable[Mapping[str, Any]]) -> float | None:
    """The shortest tolerationSeconds among `used` (negative counts as 0); None = forever."""
    seconds = [t["tolerationSeconds"] for t in used if t.get("tolerationSeconds") is not None]
    if not seconds:
        return None
    return float(max(0, min(int(s) for s in seconds)))


@dataclass(frozen=True)
class Verdict:
    """`evict_at`: None -> no eviction; otherwise the time (controller clock) to delete at."""

    evict_at: float | None


def verdict(
    pod: Mapping[str, Any], taints: list[Mapping[str, Any]], now: float, started: float | None
) -> Verdict:
    """When a pod on a node with these NoExecute taints must go. `started` is when an
    existing countdown for the pod began (None: none running)."""
    if not taints:
        return Verdict(None)
    tolerations = (pod.get("spec") or {}).get("tolerations") or []
    all_tolerated, used = matching_tolerations(taints, tolerations)
    if not all_tolerated:
        return Verdict(now)
    seconds = min_toleration_seconds(used)
    if seconds is None:
        return Verdict(None)
    start = now if started is None else started
    return Verdict(start + seconds)


class EvictionSchedule:
    """Per pod key: (countdown start, deadline), on the controller's clock."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[float, float]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def started(self, key: str) -> float | None:
        entry = self._entries.get(key)
        return entry[0] if entry else None

    def deadline(self, key: str) -> float | None:
        entry = self._entries.get(key)
        return entry[1] if entry else None

    def schedule(self, key: str, start: float, deadline: float) -> bool:
        """Set the pod's countdown; an earlier deadline already set wins. True if changed."""
        current = self._entries.get(key)
        if current is not None and current[1] <= deadline:
            return False
        self._entries[key] = (start, deadline)
        return True

    def cancel(self, key: str) -> bool:
        return self._entries.pop(key, None) is not None

    def due(self, now: float) -> list[str]:
        return [k for k, (_, deadline) in self._entries.items() if deadline <= now]

    def next_deadline(self) -> float | None:
        return min((d for _, d in self._entries.values()), default=None)
