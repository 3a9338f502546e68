"""A deduplicating queue of keys for a fixed pool of workers (client-go's workqueue rules).

- A key added while it waits is queued once.
- A key is never handed to two workers at once: added while being processed, it is
  queued again when its worker calls `done`.
- Workers waiting on an empty queue sleep; nothing polls.

Keys carry no payload: a worker reads the current state when it gets one (level-based).
"""

from __future__ import annotations

import asyncio
from collections.abc import Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


class KeyQueue(Generic[K]):
    """Keys waiting for a worker; `get` then `done` around each piece of work."""

    def __init__(self) -> None:
        self._ready: asyncio.Queue[K] = asyncio.Queue()
        self._dirty: set[K] = set()
        self._processing: set[K] = set()

    def add(self, key: K) -> None:
        """Queue `key` unless it is already waiting."""
        if key in self._dirty:
            return
        self._dirty.add(key)
        if key not in self._processing:
            self._ready.put_nowait(key)

    async def get(self) -> K:
        """The next key; the caller owns it until `done(key)`."""
        key = await self._ready.get()
        self._dirty.discard(key)
        self._processing.add(key)
        return key

    def done(self, key: K) -> None:
        """Release `key`; if it was added meanwhile, it waits for a worker again."""
        self._processing.discard(key)
        if key in self._dirty:
            self._ready.put_nowait(key)

    def __len__(self) -> int:
        """Keys waiting (not counting those being processed)."""
        return len(self._dirty)

    @property
    def processing(self) -> int:
        """Keys a worker holds right now."""
        return len(self._processing)
