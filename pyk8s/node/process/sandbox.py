"""Pod sandboxes of the process runtime: a directory per pod and nothing else.

There are no namespaces to keep: the pod's containers share the host's network (the pod's
IP is the node's), IPC and host name. The directory holds the pod's shared /dev/shm.
"""

from __future__ import annotations

import asyncio
import shutil
from dataclasses import dataclass
from pathlib import Path


@dataclass(slots=True)
class DirectorySandbox:
    """One pod's sandbox directory."""

    pod_uid: str
    directory: Path

    @property
    def netns_path(self) -> Path | None:
        return None  # the host's network

    @property
    def shm_path(self) -> Path:
        return self.directory / "shm"

    def namespaces(self) -> dict[str, str]:
        return {}


class DirectorySandboxes:
    """Sandboxes under `root/<pod uid>`."""

    def __init__(self, root: Path) -> None:
        self.root = root

    async def create(self, pod_uid: str, hostname: str) -> DirectorySandbox:
        sandbox = DirectorySandbox(pod_uid, self.root / pod_uid)
        sandbox.shm_path.mkdir(parents=True, exist_ok=True)
        sandbox.shm_path.chmod(0o1777)
        return sandbox

    async def remove(self, sandbox: DirectorySandbox) -> None:
        await asyncio.to_thread(shutil.rmtree, sandbox.directory, True)
