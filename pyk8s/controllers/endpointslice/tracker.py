"""`EndpointSliceTracker`: which slice generations a controller wrote, so it can tell a
stale informer cache from the truth (Kubernetes' `EndpointSliceTracker`).

After a controller writes slices for an owner, its cache may still show older versions
for a while. Reconciling from that cache would write them again (and fight its own
writes), so a reconcile first asks `stale(owner, slices)` and retries later when the
cache lags. Handlers ask `should_sync` so the controller's own writes, echoed back by
the informer, do not wake it up again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

DELETION_EXPECTED = -1
STALE_PATIENCE = 5.0  # seconds a cache may lag before it is believed


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return obj.get("metadata") or {}


class EndpointSliceTracker:
    """Generations of the slices written, by owner key (`namespace/name`) and slice UID."""

    def __init__(self) -> None:
        self._by_owner: dict[str, dict[str, int]] = {}
        self._stale_since: dict[str, float] = {}

    def update(self, owner: str, endpoint_slice: Mapping[str, Any]) -> None:
        """Remember a slice as written (created or updated) at its generation."""
        meta = _meta(endpoint_slice)
        self._by_owner.setdefault(owner, {})[str(meta.get("uid", ""))] = int(meta.get("generation") or 0)

    def expect_deletion(self, owner: str, endpoint_slice: Mapping[str, Any]) -> None:
        """Remember that this slice was deleted (its cached copy is stale until it goes)."""
        self._by_owner.setdefault(owner, {})[str(_meta(endpoint_slice).get("uid", ""))] = DELETION_EXPECTED

    def has(self, owner: str, endpoint_slice: Mapping[str, Any]) -> bool:
        return str(_meta(endpoint_slice).get("uid", "")) in self._by_owner.get(owner, {})

    def should_sync(self, owner: str, endpoint_slice: Mapping[str, Any]) -> bool:
        """Whether an informer event for this slice is news (not the echo of our own write)."""
        meta = _meta(endpoint_slice)
        known = self._by_owner.get(owner, {}).get(str(meta.get("uid", "")))
        return known is None or int(meta.get("generation") or 0) > known

    def handle_deletion(self, owner: str, endpoint_slice: Mapping[str, Any]) -> bool:
        """A slice was deleted: True if we expected it (forget it), False if someone else did."""
        generations = self._by_owner.get(owner)
        uid = str(_meta(endpoint_slice).get("uid", ""))
        if generations is None or uid not in generations:
            return False
        expected = generations.pop(uid) == DELETION_EXPECTED
        if not generations:
            del self._by_owner[owner]
        return expected

    def stale(self, owner: str, slices: Iterable[Mapping[str, Any]]) -> bool:
        """Whether the cached `slices` lag behind what we wrote: an older generation, a slice
        we deleted still listed, or a slice we wrote missing."""
        generations = self._by_owner.get(owner)
        if not generations:
            return False
        seen: set[str] = set()
        for endpoint_slice in slices:
            meta = _meta(endpoint_slice)
            uid = str(meta.get("uid", ""))
            seen.add(uid)
            known = generations.get(uid)
            if known is not None and (known == DELETION_EXPECTED or known > int(meta.get("generation") or 0)):
                return True
        return any(g != DELETION_EXPECTED and uid not in seen for uid, g in generations.items())

    def stale_for(
        self, owner: str, slices: Iterable[Mapping[str, Any]], now: float, *, patience: float = STALE_PATIENCE
    ) -> bool:
        """`stale`, but a cache that stays behind for `patience` seconds is believed and the
        owner's record forgotten: a slice we wrote may have been deleted before the cache ever
        showed it (a relist in between), and waiting for it would never end."""
        if not self.stale(owner, slices):
            self._stale_since.pop(owner, None)
            return False
        since = self._stale_since.setdefault(owner, now)
        if now - since < patience:
            return True
        self.delete_owner(owner)
        return False

    def delete_owner(self, owner: str) -> None:
        """Forget everything about an owner (it was deleted)."""
        self._by_owner.pop(owner, None)
        self._stale_since.pop(owner, None)
