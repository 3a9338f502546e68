"""Running `nft -f -` in a network namespace.

A script is one nftables transaction: the kernel applies all of it or none of it, so the
table is never seen half-updated. In another namespace the command runs under `nsenter
--net=/run/netns/<name>` (util-linux), which enters only the network namespace.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

NETNS_DIR = Path("/run/netns")


class NftError(RuntimeError):
    """`nft` refused a script (or could not run)."""


def find_nft() -> str | None:
    """The `nft` binary (Debian's nftables), if installed."""
    return shutil.which("nft") or next(
        (p for p in ("/usr/sbin/nft", "/sbin/nft") if os.access(p, os.X_OK)), None
    )


def netns_path(netns: str) -> str:
    """A namespace name (`ip netns`) or a path (`/proc/<pid>/ns/net`) as a path."""
    return netns if "/" in netns else str(NETNS_DIR / netns)


class Nft:
    """Applies scripts with `nft -f -`, in `netns` when given ("" = this process's namespace)."""

    def __init__(self, netns: str = "", *, binary: str | None = None) -> None:
        self.netns = netns
        self.binary = binary or find_nft() or "nft"

    def command(self, *args: str) -> list[str]:
        base = [self.binary, *args]
        if not self.netns:
            return base
        return ["nsenter", f"--net={netns_path(self.netns)}", *base]

    def namespace_exists(self) -> bool:
        return not self.netns or os.path.exists(netns_path(self.netns))

    def namespace_id(self) -> tuple[int, int] | None:
        """The namespace's identity (device, inode): a namespace deleted and created again
        under the same name (taking our table with it) has another one."""
        try:
            info = os.stat(netns_path(self.netns) if self.netns else "/proc/self/ns/net")
        except OSError:
            return None
        return (info.st_dev, info.st_ino)

    async def apply(self, lines: Sequence[str]) -> None:
        """Run `lines` as one transaction; raises `NftError` with nft's message on failure."""
        if not lines:
            return
        await self._run(["-f", "-"], "\n".join(lines) + "\n")

    async def list_table(self, table: str, family: str = "inet") -> str:
        """`nft list table` (for tests and debugging)."""
        return await self._run(["list", "table", family, table], None)

    async def _run(self, args: list[str], script: str | None) -> str:
        if self.netns and not self.namespace_exists():
            raise NftError(f"network namespace {self.netns} does not exist")
        try:
            proc = await asyncio.create_subprocess_exec(
                *self.command(*args),
                stdin=asyncio.subprocess.PIPE if script is not None else asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
        except OSError as err:
            raise NftError(f"cannot run nft: {err}") from err
        out, err = await proc.communicate(script.encode() if script is not None else None)
        if proc.returncode != 0:
            raise NftError(err.decode(errors="replace").strip() or f"nft exited with {proc.returncode}")
        return out.decode(errors="replace")
