"""How long to wait before restarting a component that exited on its own.

Like the kubelet's CrashLoopBackOff, scaled down for a local cluster: the first restart
comes after `initial` seconds, each quick crash doubles the wait up to `maximum`, and a
component that ran for `reset_after` seconds before crashing is back to `initial`.
"""

from __future__ import annotations


class RestartBackoff:
    """The delay before each restart, from how long the component had been running."""

    def __init__(self, *, initial: float = 1.0, maximum: float = 30.0, reset_after: float = 60.0) -> None:
        if initial <= 0 or maximum < initial:
            raise ValueError("need 0 < initial <= maximum")
        self.initial, self.maximum, self.reset_after = initial, maximum, reset_after
        self._delay = 0.0
        self.restarts = 0

    def next(self, uptime: float) -> float:
        """The delay before restarting a component that ran for `uptime` seconds."""
        if uptime >= self.reset_after or self._delay == 0:
            self._delay = self.initial
        else:
            self._delay = min(self.maximum, self._delay * 2)
        self.restarts += 1
        return self._delay
