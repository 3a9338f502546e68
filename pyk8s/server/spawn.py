"""Starting a component process: its command line, log file, session and parent-death signal.

Kept free of asyncio and logging so that `pyk8s up` can start the API server before the
supervisor has imported anything else (`early.py`); `ChildProcess` starts later components
and restarts with the same settings.
"""

from __future__ import annotations

import ctypes
import os
import signal
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class ChildSpec:
    """A component: its name (also its log's), its command line and environment additions."""

    name: str
    argv: tuple[str, ...]
    log_path: Path
    env: Mapping[str, str] | None = None

    def environment(self) -> dict[str, str]:
        """The child's environment: ours, unbuffered output, and the spec's additions."""
        return dict(os.environ, PYTHONUNBUFFERED="1", **(self.env or {}))


def die_with_parent(parent: int) -> Callable[[], None]:
    """A preexec function: SIGTERM this child when the supervisor dies (Linux only)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return lambda: None

    def preexec() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the supervisor died before the line above
            os.kill(os.getpid(), signal.SIGTERM)

    return preexec


def mark(log_path: Path, line: str) -> None:
    """A line of the supervisor's in a component's own log."""
    with open(log_path, "a") as f:
        f.write(f"---- {time.strftime('%Y-%m-%d %H:%M:%S')} pyk8s up: {line}\n")
