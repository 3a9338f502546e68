"""The container runtime interface the pod workers talk to.

Two runtimes implement it: `oci` (`pyk8s.node.oci.crun.CrunRuntime` with namespace
sandboxes from `pyk8s.node.oci.sandbox`) and `process` (`pyk8s.node.process`: containers
as host process groups, a sandbox that is only a directory). A worker never asks which one
it has; what differs is said here:

- the scheme naming the runtime in container IDs (`crun://<id>`, `process://<id>`) and
  in the Node's `containerRuntimeVersion` (`NodeServices.container_scheme`);
- `PodSandbox.netns_path` is None when pods share the host's network (the process
  runtime): probes and port-forward then connect from the host, and the pod's IP is the
  node's;
- whether containers run on the image's unpacked layers (the process runtime ignores
  them, so the agent does not unpack them).

Guarantees every runtime keeps (the worker relies on them):
- a container ID names one run: `start` is called once per ID;
- everything needed to find a container again is on disk under `container_dir(id)`, so a
  restarted agent gets the same answers from `list_ids` and `state`;
- `state` never raises for a container it made: an unknown one is `unknown`;
- a container outlives the agent: stopping the agent stops nothing.
"""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path
from typing import Protocol, runtime_checkable

from pyk8s.node.oci.crun import ContainerState, RuntimeError_, StdinPolicy
from pyk8s.node.oci.spec import ContainerSpec

__all__ = [
    "ContainerRuntime",
    "ContainerState",
    "PodSandbox",
    "RuntimeError_",
    "SandboxManager",
    "StdinPolicy",
]


@runtime_checkable
class PodSandbox(Protocol):
    """What a pod's containers share: namespaces (oci) or only a directory (process)."""

    pod_uid: str
    directory: Path

    @property
    def netns_path(self) -> Path | None:
        """The pod's network namespace, or None when the pod uses the host's network."""
        ...

    @property
    def shm_path(self) -> Path:
        """The directory every container of the pod sees as /dev/shm."""
        ...

    def namespaces(self) -> dict[str, str]:
        """OCI namespace type -> path for containers to join (empty: nothing to join)."""
        ...


class SandboxManager(Protocol):
    """Makes and removes pod sandboxes; both calls are idempotent."""

    async def create(self, pod_uid: str, hostname: str) -> PodSandbox:
        """The sandbox of pod `pod_uid`, made or found again after an agent restart."""
        ...

    async def remove(self, sandbox: PodSandbox) -> None:
        """Release the sandbox and delete its files; safe to repeat."""
        ...


@runtime_checkable
class ContainerRuntime(Protocol):
    """Starts, watches, signals and removes containers (see the module docstring)."""

    stdin_policy: StdinPolicy | None

    def container_dir(self, cid: str) -> Path:
        """The directory holding everything about container `cid` (its exit file included)."""
        ...

    def list_ids(self) -> list[str]:
        """Every container this runtime has a directory for, running or not."""
        ...

    async def start(
        self, cid: str, spec: ContainerSpec, layers: list[Path], log_path: Path
    ) -> ContainerState:
        """Start container `cid` as `spec` says, logging to `log_path` in the CRI format; returns
        once it runs (or already exited). Raises RuntimeError_ with the runtime's message."""
        ...

    async def state(self, cid: str) -> ContainerState:
        """What the container is doing now."""
        ...

    async def kill(self, cid: str, sig: int = signal.SIGTERM) -> None:
        """Signal the container's main process (ignored once it has exited)."""
        ...

    async def stop(self, cid: str, grace: float) -> ContainerState:
        """SIGTERM, then SIGKILL after `grace` seconds; returns the final state."""
        ...

    async def remove(self, cid: str) -> None:
        """Forget the container and delete its directory (its log stays)."""
        ...

    async def exec(self, cid: str, args: list[str]) -> asyncio.subprocess.Process:
        """Run `args` in the container with pipes the caller owns."""
        ...

    async def exec_tty(self, cid: str, args: list[str]) -> tuple[asyncio.subprocess.Process, int]:
        """Run `args` in the container on a new terminal; returns the process and the
        terminal's master end (the caller closes it)."""
        ...

    async def attach(self, cid: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        """A connection to the container's attach stream (OSError when there is none)."""
        ...

    def remove_cgroup(self, path: str) -> None:
        """Remove the cgroup the agent grouped a pod's containers under (if any)."""
        ...
