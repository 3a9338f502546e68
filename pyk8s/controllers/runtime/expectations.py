"""Expectations: what a controller has asked for and not yet seen in its informers' cache
(client-go's `ControllerExpectations` and `UIDTrackingControllerExpectations`).

The cache lags the API server. A ReplicaSet controller that created 3 pods and reconciles
again before the cache shows them would count too few pods and create 3 more. So before
writing, the controller records what it expects to observe:

    expectations.expect_creations(key, 3)      # then send the 3 creates
    ... pod informer sees each new pod ...     -> expectations.creation_observed(key)
    expectations.satisfied(key)                # True again once all 3 were seen

While a key's expectations are unsatisfied the reconciler skips creating or deleting (it
still writes status). A create that failed is never observed, so the controller lowers the
expectation itself. Expectations expire after `ttl` seconds (5 minutes), so a lost watch
event can delay a controller but never wedge it.

`UIDTrackingControllerExpectations` also remembers *which* objects it expects to disappear,
so a pod observed deleted twice (a graceful deletion's update, then the delete itself)
lowers the count once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from pyk8s._aio.clock import Clock, RealClock

log = logging.getLogger("pyk8s.controllers.expectations")

EXPECTATIONS_TTL = 300.0


@dataclass
class ControlleeExpectations:
    """Outstanding creations (`add`) and deletions (`delete`) of one controller key."""

    add: int
    delete: int
    timestamp: float  # monotonic time the expectations were set

    def fulfilled(self) -> bool:
        return self.add <= 0 and self.delete <= 0


class ControllerExpectations:
    """Per controller key, how many creations and deletions are still to be observed."""

    def __init__(self, *, clock: Clock | None = None, ttl: float = EXPECTATIONS_TTL) -> None:
        self.clock = clock or RealClock()
        self.ttl = ttl
        self._store: dict[str, ControlleeExpectations] = {}

    def get(self, key: str) -> ControlleeExpectations | None:
        return self._store.get(key)

    def satisfied(self, key: str) -> bool:
        """True when nothing is outstanding, the expectations expired, or none were set
        (a new controller, or one whose expectations were deleted)."""
        exp = self._store.get(key)
        if exp is None:
            return True
        if exp.fulfilled():
            return True
        if self.clock.monotonic() - exp.timestamp > self.ttl:
            log.info("expectations of %s expired (add %d, delete %d)", key, exp.add, exp.delete)
            return True
        return False

    def set_expectations(self, key: str, *, add: int = 0, delete: int = 0) -> None:
        """Replace the key's expectations (and restart their TTL)."""
        self._store[key] = ControlleeExpectations(add, delete, self.clock.monotonic())

    def expect_creations(self, key: str, count: int) -> None:
        self.set_expectations(key, add=count)

    def expect_deletions(self, key: str, count: int) -> None:
        self.set_expectations(key, delete=count)

    def raise_expectations(self, key: str, *, add: int = 0, delete: int = 0) -> None:
        exp = self._store.get(key)
        if exp is not None:
            exp.add += add
            exp.delete += delete

    def lower_expectations(self, key: str, *, add: int = 0, delete: int = 0) -> None:
        exp = self._store.get(key)
        if exp is not None:
            exp.add -= add
            exp.delete -= delete

    def creation_observed(self, key: str) -> None:
        self.lower_expectations(key, add=1)

    def deletion_observed(self, key: str) -> None:
        self.lower_expectations(key, delete=1)

    def delete(self, key: str) -> None:
        """Forget the key (its controller object was deleted)."""
        self._store.pop(key, None)

    def __len__(self) -> int:
        return len(self._store)


class UIDTrackingControllerExpectations(ControllerExpectations):
    """Expectations whose deletions are tracked by object key (`namespace/name`), so each
    expected deletion is counted once however many times it is observed."""

    def __init__(self, *, clock: Clock | None = None, ttl: float = EXPECTATIONS_TTL) -> None:
        super().__init__(clock=clock, ttl=ttl)
        self._deleting: dict[str, set[str]] = {}

    def expect_deletions(self, key: str, count: int | Iterable[str]) -> None:
        """Expect the deletion of these object keys (a bare count tracks nothing by key)."""
        if isinstance(count, int):
            super().expect_deletions(key, count)
            return
        keys = set(count)
        pending = self._deleting.get(key)
        if pending:
            log.warning("%s: expecting deletions while %d are still pending", key, len(pending))
        self._deleting[key] = keys
        super().expect_deletions(key, len(keys))

    def deletion_observed(self, key: str, object_key: str | None = None) -> None:
        """`object_key` was deleted (or is being deleted); counts only if it was expected."""
        if object_key is None:
            super().deletion_observed(key)
            return
        pending = self._deleting.get(key)
        if pending is not None and object_key in pending:
            pending.discard(object_key)
            super().deletion_observed(key)

    def pending_deletions(self, key: str) -> frozenset[str]:
        """The object keys whose deletion is still expected."""
        return frozenset(self._deleting.get(key, ()))

    def delete(self, key: str) -> None:
        self._deleting.pop(key, None)
        super().delete(key)
