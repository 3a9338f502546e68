"""The project's own `busybox:latest`, built offline from Debian's `busybox-static`.

One layer holds the static binary, a symlink per applet (sh, httpd, wget, nslookup, nc, ...),
minimal /etc/passwd and /etc/group, and the usual empty directories. The archive is
byte-for-byte reproducible (fixed times and owners, sorted entries), so every node that
imports it gets the same image ID.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import tarfile
from pathlib import Path

from pyk8s.node.images.store import (
    OCI_CONFIG,
    OCI_INDEX,
    OCI_LAYER,
    OCI_MANIFEST,
    REF_NAME_ANNOTATION,
    Image,
    ImageStore,
    host_platform,
    sha256_digest,
)

BUSYBOX_PATHS = (Path("/bin/busybox"), Path("/usr/bin/busybox"))
IMAGE_NAME = "docker.io/library/busybox:latest"
EPOCH = 0
CREATED = "1970-01-01T00:00:00Z"
PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
PASSWD = "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n"
GROUP = "root:x:0:\nnobody:x:65534:\n"


class BusyboxMissingError(FileNotFoundError):
    """busybox-static is not installed."""


def find_busybox() -> Path:
    """The static busybox binary (Debian's busybox-static), or BusyboxMissingError."""
    for path in BUSYBOX_PATHS:
        if path.exists():
            with path.open("rb") as handle:
                head = handle.read(4096)
            # A dynamic binary names its loader (PT_INTERP) near the start of the file.
            if head[:4] == b"\x7fELF" and b"/ld-linux" not in head and b"/ld-musl" not in head:
                return path
    raise BusyboxMissingError("busybox-static is not installed (apt-get install busybox-static)")


def _applets(busybox: Path) -> list[str]:
    out = subprocess.run([str(busybox), "--list"], capture_output=True, check=True, timeout=10)
    return sorted({line for line in out.stdout.decode().split() if line and "/" not in line})


def _info(name: str, kind: bytes, mode: int, size: int = 0, link: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.mode = mode
    info.size = size
    info.linkname = link
    info.mtime = EPOCH
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info


def build_layer(busybox: Path) -> bytes:
    """The image's single layer as an uncompressed tar."""
    binary = busybox.read_bytes()
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for directory, mode in (
            ("bin", 0o755),
            ("dev", 0o755),
            ("etc", 0o755),
            ("home", 0o755),
            ("proc", 0o755),
            ("root", 0o700),
            ("sys", 0o755),
            ("tmp", 0o1777),
            ("usr", 0o755),
            ("usr/bin", 0o755),
            ("usr/sbin", 0o755),
            ("var", 0o755),
            ("var/www", 0o755),
        ):
            tar.addfile(_info(directory, tarfile.DIRTYPE, mode))
        tar.addfile(_info("bin/busybox", tarfile.REGTYPE, 0o755, len(binary)), io.BytesIO(binary))
        for applet in _applets(busybox):
            if applet != "busybox":
                tar.addfile(_info(f"bin/{applet}", tarfile.SYMTYPE, 0o777, link="busybox"))
        for name, text in (("etc/passwd", PASSWD), ("etc/group", GROUP)):
            data = text.encode()
            tar.addfile(_info(name, tarfile.REGTYPE, 0o644, len(data)), io.BytesIO(data))
    return out.getvalue()


def _json(doc: object) -> bytes:
    return json.dumps(doc, separators=(",", ":"), sort_keys=True).encode()


def build_image(busybox: Path | None = None) -> dict[str, bytes]:
    """Blobs of the busybox image by digest, plus `index.json` and `manifest`."""
    layer = build_layer(busybox or find_busybox())
    layer_digest = sha256_digest(layer)
    system, arch = host_platform()
    config = _json(
        {
            "architecture": arch,
            "os": system,
            "created": CREATED,
            "config": {"Env": [PATH_ENV], "Cmd": ["sh"]},
            "rootfs": {"type": "layers", "diff_ids": [layer_digest]},
            "history": [{"created": CREATED, "created_by": "pyk8s: busybox-static from Debian"}],
        }
    )
    manifest = _json(
        {
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "config": {"mediaType": OCI_CONFIG, "digest": sha256_digest(config), "size": len(config)},
            "layers": [{"mediaType": OCI_LAYER, "digest": layer_digest, "size": len(layer)}],
        }
    )
    index = _json(
        {
            "schemaVersion": 2,
            "mediaType": OCI_INDEX,
            "manifests": [
                {
                    "mediaType": OCI_MANIFEST,
                    "digest": sha256_digest(manifest),
                    "size": len(manifest),
                    "platform": {"os": system, "architecture": arch},
                    "annotations": {REF_NAME_ANNOTATION: IMAGE_NAME},
                }
            ],
        }
    )
    return {
        sha256_digest(layer): layer,
        sha256_digest(config): config,
        sha256_digest(manifest): manifest,
        "manifest": manifest,
        "index.json": index,
    }


def write_oci_archive(dest: Path, busybox: Path | None = None) -> Path:
    """Write the busybox image as an OCI image layout tar at `dest`."""
    blobs = build_image(busybox)
    tmp = dest.with_name(dest.name + ".tmp")
    with tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as tar:

        def add(name: str, data: bytes) -> None:
            tar.addfile(_info(name, tarfile.REGTYPE, 0o644, len(data)), io.BytesIO(data))

        add("oci-layout", _json({"imageLayoutVersion": "1.0.0"}))
        add("index.json", blobs["index.json"])
        for directory in ("blobs", "blobs/sha256"):
            tar.addfile(_info(directory, tarfile.DIRTYPE, 0o755))
        for digest, data in sorted(blobs.items()):
            if digest.startswith("sha256:"):
                add(f"blobs/sha256/{digest.split(':', 1)[1]}", data)
    os.replace(tmp, dest)
    return dest


def ensure_busybox(store: ImageStore, busybox: Path | None = None) -> Image:
    """Make `busybox:latest` available in `store` (a no-op when it is already there)."""
    existing = store.resolve(IMAGE_NAME)
    if existing is not None:
        return existing
    blobs = build_image(busybox)
    for digest, data in blobs.items():
        if digest.startswith("sha256:"):
            store.write_blob(data, digest)
    return store.add(blobs["manifest"], [IMAGE_NAME], source="build")
