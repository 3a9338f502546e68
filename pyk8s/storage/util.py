"""Free functions over the `Storage` protocol."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from pyk8s.storage.errors import KeyNotFoundError, RevisionConflictError
from pyk8s.storage.interface import KeyValue, Storage

# mutate(current) -> new value, or None to leave the key unchanged.
Mutation = Callable[[KeyValue], Awaitable[bytes | None]]


async def guaranteed_update(
    storage: Storage, key: str, mutate: Mutation, *, current: KeyValue | None = None, attempts: int = 1000
) -> KeyValue:
    """Read-modify-write `key` until the compare-and-swap succeeds (apiserver's GuaranteedUpdate).

    `mutate` may run several times, each time on the latest value; it must not have side
    effects. A conflict hands back the current value, so a retry costs no extra read.
    """
    for _ in range(attempts):
        if current is None:
            current = await storage.get(key)
            if current is None:
                raise KeyNotFoundError(key)
        value = await mutate(current)
        if value is None:
            return current
        try:
            return await storage.update(key, value, expected_revision=current.mod_revision)
        except RevisionConflictError as conflict:
            current = conflict.current
    raise RevisionConflictError(key, current.mod_revision if current else 0, current)
