"""Running `nft -f -` inside a named network namespace (`ip netns exec`)."""

from __future__ import annotations

import asyncio
import shutil
import subprocess


class NftError(Exception):
    """nft refused a script or could not run."""


def nft_available() -> str | None:
    """Why nftables cannot be driven here, or None when it can."""
    if shutil.which("nft") is None:
        return "nft not found: install Debian's nftables"
    if shutil.which("ip") is None:
        return "ip not found: install Debian's iproute2"
    return None


async def nft(script: str, *, netns: str | None, check_only: bool = False) -> None:
    """Apply `script` as one transaction in `netns` (None: this namespace)."""
    command = ["nft", *(["-c"] if check_only else []), "-f", "-"]
    if netns:
        command = ["ip", "netns", "exec", netns, *command]
    proc = await asyncio.create_subprocess_exec(
        *command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, err = await proc.communicate(script.encode())
    if proc.returncode != 0:
        raise NftError(f"{' '.join(command)}: {err.decode(errors='replace').strip()}")
