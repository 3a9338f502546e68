"""The `Reconciler` contract: the only place a controller's business logic lives.

    class ReplicaSetReconciler:
        async def reconcile(self, key: str) -> Result | None:
            rs = self.lister.get_by_key(key)       # read current state from the cache
            ...                                     # converge: create, delete, write status
            return None                             # done until something changes

`key` is `namespace/name` (or `name` for cluster-scoped objects): the request says only
*which* object to look at, never what changed (level-triggered), so merged or missed
events change nothing. The outcome decides what happens next, in the `Controller` alone:

- return `None` or `Result()`: done; the item's retry history is forgotten;
- return `Result(requeue_after=s)`: done for now, look again in `s` seconds (a deadline,
  minReadySeconds, a TTL): history forgotten, the key comes back after the delay;
- raise `TerminalError`: the object cannot be reconciled as it is (an invalid spec): logged,
  not retried until it changes;
- raise anything else: a transient failure (a conflict, a lost connection, a 500): retried
  with the queue's per-item exponential backoff.

A reconciler never sleeps or loops to retry: it returns or raises, and the controller
retries. It must be safe to run again at any point (idempotent).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Result:
    """What a reconcile asks for next: `requeue_after` seconds (None: nothing)."""

    requeue_after: float | None = None


class TerminalError(Exception):
    """The object cannot be reconciled until it changes: do not retry."""


class Reconciler(Protocol):
    """Brings one object's world in line with its spec."""

    async def reconcile(self, key: str) -> Result | None:
        """Converge the object `key` names; return or raise as the module docstring says."""
        ...
