"""Backoff for nodes that keep failing a DaemonSet's pod.

A node agent that rejects a pod (no room, a missing host resource) marks it Failed at once;
deleting and re-creating it at full speed would hot-loop the controller, the agent and the
API server. So after deleting a failed pod on a node, the controller waits before deleting
the next one there: 1 s, doubling up to 15 minutes (client-go's `flowcontrol.Backoff` as the
DaemonSet controller configures it). A node quiet for twice the maximum starts over.
"""

from __future__ import annotations

from dataclasses import dataclass

INITIAL = 1.0
MAXIMUM = 15 * 60.0


@dataclass
class _Entry:
    delay: float
    last_update: float


class FailedPodBackoff:
    """Per-key exponential backoff on a monotonic clock reading passed in by the caller."""

    def __init__(self, *, initial: float = INITIAL, maximum: float = MAXIMUM) -> None:
        self.initial = initial
        self.maximum = maximum
        self._entries: dict[str, _Entry] = {}

    def _expired(self, entry: _Entry, now: float) -> bool:
        return now - entry.last_update > 2 * self.maximum

    def next(self, key: str, now: float) -> float:
        """Record a failure for `key` now; the delay until the next one may be acted on."""
        self.gc(now)
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entries[key] = _Entry(self.initial, now)
        else:
            entry.delay = min(entry.delay * 2, self.maximum)
            entry.last_update = now
        return entry.delay

    def in_backoff(self, key: str, now: float) -> bool:
        """Whether `key` failed less than its current delay ago."""
        entry = self._entries.get(key)
        return entry is not None and now - entry.last_update < entry.delay

    def remaining(self, key: str, now: float) -> float:
        entry = self._entries.get(key)
        return 0.0 if entry is None else max(0.0, entry.last_update + entry.delay - now)

    def gc(self, now: float) -> None:
        """Forget keys quiet for longer than twice the maximum delay."""
        for key in [k for k, e in self._entries.items() if self._expired(e, now)]:
            del self._entries[key]

    def __len__(self) -> int:
        return len(self._entries)
