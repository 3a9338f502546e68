"""Which host commands stand in for an image's.

The process runtime does not use image filesystems. An image it knows maps to host
programs that behave the same: every `busybox` image (any registry, any tag) maps to the
host's static busybox, through a directory holding one symlink per applet that goes first
on the container's PATH (so `sh`, `httpd`, `wget` are busybox's, as in the image). Any
other image's commands are looked up on the host as they are.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from pyk8s.node.images.busybox import find_busybox
from pyk8s.node.images.reference import InvalidReferenceError, parse_reference

DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def host_image_kind(reference: str) -> str | None:
    """The host programs an image maps to (`busybox`), or None."""
    try:
        repository = parse_reference(reference).repository
    except (InvalidReferenceError, ValueError):
        return None
    return "busybox" if repository.rsplit("/", 1)[-1] == "busybox" else None


class HostCommands:
    """The per-node directories of symlinks that map images to host programs."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()

    def bin_dir(self, reference: str) -> Path | None:
        """The directory to put first on PATH for containers of image `reference` (None: the
        image maps to nothing; its commands are the host's). Made on first use."""
        if host_image_kind(reference) != "busybox":
            return None
        target = self.root / "busybox"
        if target.is_dir():
            return target
        with self._lock:
            if not target.is_dir():
                self._make_busybox_dir(target)
        return target

    def _make_busybox_dir(self, target: Path) -> None:
        busybox = find_busybox()
        listed = subprocess.run([str(busybox), "--list"], capture_output=True, check=True, timeout=30)
        self.root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=self.root, prefix=".busybox-"))
        try:
            for applet in sorted(set(listed.stdout.decode().split())):
                if applet and "/" not in applet:
                    os.symlink(str(busybox), staging / applet)
            os.replace(staging, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def container_path(env: dict[str, str], bin_dir: str | None) -> str:
    """The PATH a container runs with: the image's (or the usual default), after the
    directory its image maps to."""
    path = env.get("PATH") or DEFAULT_PATH
    return f"{bin_dir}:{path}" if bin_dir else path
