"""Pod sandboxes without a pause process: the pod's network, IPC and UTS namespaces are
kept alive by bind mounts (as `ip netns add` does for networks), and every container of
the pod joins them by path. The sandbox directory also holds the pod's /etc/hosts,
/etc/resolv.conf, /etc/hostname and a shared /dev/shm.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from pyk8s.node.oci.rootfs import mount, unmount

log = logging.getLogger("pyk8s.node.oci")

NETNS_DIR = Path("/run/netns")
SHM_SIZE = 64 * 1024 * 1024


class SandboxError(Exception):
    """A sandbox namespace could not be made or removed."""


@dataclass(slots=True)
class PodSandbox:
    """Paths of one pod's shared namespaces and files."""

    pod_uid: str
    directory: Path

    @property
    def netns_name(self) -> str:
        return f"pyk8s-{self.pod_uid}"

    @property
    def netns_path(self) -> Path:
        return NETNS_DIR / self.netns_name

    @property
    def ipc_path(self) -> Path:
        return self.directory / "ns" / "ipc"

    @property
    def uts_path(self) -> Path:
        return self.directory / "ns" / "uts"

    @property
    def shm_path(self) -> Path:
        return self.directory / "shm"

    def namespaces(self) -> dict[str, str]:
        """The OCI `linux.namespaces` paths a container of this pod joins."""
        return {"network": str(self.netns_path), "ipc": str(self.ipc_path), "uts": str(self.uts_path)}

    def exists(self) -> bool:
        return self.netns_path.exists() and self.uts_path.exists()


async def _run(*command: str) -> None:
    proc = await asyncio.create_subprocess_exec(
        *command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, err = await proc.communicate()
    if proc.returncode != 0:
        raise SandboxError(f"{' '.join(command)}: {err.decode(errors='replace').strip()}")


async def create_sandbox(root: Path, pod_uid: str, hostname: str) -> PodSandbox:
    """Make (or find again) the sandbox of pod `pod_uid` under `root`."""
    sandbox = PodSandbox(pod_uid, root / pod_uid)
    if sandbox.exists():
        return sandbox
    (sandbox.directory / "ns").mkdir(parents=True, exist_ok=True)
    try:
        if not sandbox.netns_path.exists():
            await _run("ip", "netns", "add", sandbox.netns_name)
        await _run("ip", "-n", sandbox.netns_name, "link", "set", "lo", "up")
        for path in (sandbox.ipc_path, sandbox.uts_path):
            path.touch()
        await _run(
            "unshare", f"--ipc={sandbox.ipc_path}", f"--uts={sandbox.uts_path}", "hostname", hostname[:63]
        )
        sandbox.shm_path.mkdir(exist_ok=True)
        await asyncio.to_thread(mount, "shm", sandbox.shm_path, "tmpfs", f"mode=1777,size={SHM_SIZE}", 0)
    except (SandboxError, OSError):
        await remove_sandbox(sandbox)
        raise
    return sandbox


async def remove_sandbox(sandbox: PodSandbox) -> None:
    """Release the sandbox's namespaces and files; safe to repeat."""
    for path in (sandbox.ipc_path, sandbox.uts_path, sandbox.shm_path):
        with contextlib.suppress(OSError):
            await asyncio.to_thread(unmount, path)
    if sandbox.netns_path.exists():
        try:
            await _run("ip", "netns", "delete", sandbox.netns_name)
        except SandboxError as err:
            log.warning("could not delete network namespace %s: %s", sandbox.netns_name, err)
    await asyncio.to_thread(shutil.rmtree, sandbox.directory, True)
