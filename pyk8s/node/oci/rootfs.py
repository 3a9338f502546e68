"""Container root filesystems: an overlay of the image's shared layers with a private
upper directory, or a private copy where overlayfs cannot be mounted."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from pathlib import Path

_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
MNT_DETACH = 2


def mount(source: str, target: Path, fstype: str, options: str = "", flags: int = 0) -> None:
    """mount(2); raises OSError."""
    if (
        _libc.mount(source.encode(), str(target).encode(), fstype.encode(), flags, options.encode() or None)
        != 0
    ):
        errno = ctypes.get_errno()
        raise OSError(errno, f"mount {fstype} on {target}: {os.strerror(errno)}")


def unmount(target: Path) -> None:
    """Detach a mount (lazily, so a process still inside does not block cleanup)."""
    if _libc.umount2(str(target).encode(), MNT_DETACH) != 0:
        errno = ctypes.get_errno()
        if errno not in (22, 2):  # EINVAL: not a mount point; ENOENT: gone
            raise OSError(errno, f"umount {target}: {os.strerror(errno)}")


def is_mount(path: Path) -> bool:
    return os.path.ismount(path)


def prepare_rootfs(container_dir: Path, layers: list[Path], *, overlay: bool) -> Path:
    """The container's root at `container_dir/rootfs`, made from `layers` (lowest first)."""
    rootfs = container_dir / "rootfs"
    rootfs.mkdir(parents=True, exist_ok=True)
    if is_mount(rootfs):
        return rootfs
    if overlay:
        upper, work = container_dir / "upper", container_dir / "work"
        upper.mkdir(exist_ok=True)
        work.mkdir(exist_ok=True)
        lower = ":".join(str(layer) for layer in reversed(layers))
        mount("overlay", rootfs, "overlay", f"lowerdir={lower},upperdir={upper},workdir={work}")
        return rootfs
    if not any(rootfs.iterdir()):
        from pyk8s.node.images.layers import flatten

        flatten(layers, rootfs)
    return rootfs


def release_rootfs(container_dir: Path) -> None:
    """Unmount and delete everything `prepare_rootfs` made."""
    rootfs = container_dir / "rootfs"
    if rootfs.exists() and is_mount(rootfs):
        unmount(rootfs)
    shutil.rmtree(container_dir, ignore_errors=True)


def overlay_supported() -> bool:
    """Whether this process can mount overlayfs (root, and the filesystem is known)."""
    if os.geteuid() != 0:
        return False
    try:
        with open("/proc/filesystems") as handle:
            return any(line.split()[-1] == "overlay" for line in handle if line.strip())
    except OSError:
        return False
