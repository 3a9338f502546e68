"""Unpacking image layers into directories that overlayfs can stack.

Each layer becomes its own directory, in overlayfs' own format: an OCI whiteout
(`.wh.name`) becomes a 0/0 character device and an opaque marker (`.wh..wh..opq`) the
`trusted.overlay.opaque` xattr. Stacked as lower directories they give the image's root
filesystem, and every container of an image shares them. Where overlayfs is not available
(not root), `flatten` merges them into one copy instead.

Members are written one by one rather than with `TarFile.extractall`, because an image's
absolute symlinks (`/bin/sh -> /bin/busybox`) are legitimate inside the container but must
never be followed on the host while unpacking.
"""

from __future__ import annotations

import gzip
import io
import logging
import os
import shutil
import stat
import tarfile
from pathlib import Path
from typing import IO

log = logging.getLogger("pyk8s.node.images")

WHITEOUT_PREFIX = ".wh."
OPAQUE = ".wh..wh..opq"
OPAQUE_XATTR = "trusted.overlay.opaque"


class LayerError(ValueError):
    """A layer archive that cannot be unpacked safely."""


def open_layer(blob: Path) -> IO[bytes]:
    """The layer's tar stream, gunzipped when it is compressed (zstd is not supported)."""
    raw = blob.open("rb")
    magic = raw.read(4)
    raw.seek(0)
    if magic[:2] == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=raw)  # type: ignore[return-value]
    if magic == b"\x28\xb5\x2f\xfd":
        raw.close()
        raise LayerError("zstd-compressed layers are not supported")
    return raw


def _safe_relative(name: str) -> str:
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        raise LayerError(f"layer member escapes the root: {name!r}")
    return "/".join(parts)


def _parent_is_safe(dest: Path, rel: str) -> bool:
    """Whether every directory above `rel` inside `dest` is a real directory (not a symlink)."""
    current = dest
    for part in rel.split("/")[:-1]:
        current = current / part
        try:
            st = os.lstat(current)
        except FileNotFoundError:
            current.mkdir(mode=0o755)
            continue
        if not stat.S_ISDIR(st.st_mode):
            return False
    return True


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def unpack_layer(stream: IO[bytes], dest: Path, *, privileged: bool) -> None:
    """Unpack one layer tar into the empty directory `dest`, in overlayfs format when
    `privileged` (whiteout devices and xattrs need root), else keeping `.wh.` files as they are
    for `flatten` to interpret."""
    dest.mkdir(parents=True, exist_ok=True)
    deferred_dirs: list[tuple[Path, tarfile.TarInfo]] = []
    with tarfile.open(fileobj=stream, mode="r|") as tar:
        for member in tar:
            rel = _safe_relative(member.name)
            if not rel:
                continue
            target = dest / rel
            if not _parent_is_safe(dest, rel):
                log.warning("skipping layer member %s: a parent is not a directory", rel)
                continue
            base = target.name
            if privileged and base == OPAQUE:
                os.setxattr(target.parent, OPAQUE_XATTR, b"y")
                continue
            if privileged and base.startswith(WHITEOUT_PREFIX):
                hidden = target.parent / base[len(WHITEOUT_PREFIX) :]
                _remove(hidden)
                os.mknod(hidden, 0o600 | stat.S_IFCHR, os.makedev(0, 0))
                continue
            if member.isdir():
                if target.is_symlink() or (target.exists() and not target.is_dir()):
                    _remove(target)
                target.mkdir(exist_ok=True)
                deferred_dirs.append((target, member))
                continue
            if target.exists() or target.is_symlink():
                _remove(target)
            if member.isreg():
                source = tar.extractfile(member)
                assert source is not None
                with open(target, "wb") as out:
                    shutil.copyfileobj(source, out, 1 << 20)
            elif member.issym():
                os.symlink(member.linkname, target)
            elif member.islnk():
                link_rel = _safe_relative(member.linkname)
                link_source = dest / link_rel
                if not link_rel or not _parent_is_safe(dest, link_rel):
                    raise LayerError(f"unsafe hard link {rel} -> {member.linkname}")
                os.link(link_source, target, follow_symlinks=False)
                continue
            elif member.ischr() or member.isblk() or member.isfifo():
                if not privileged and not member.isfifo():
                    continue  # device nodes need root; the runtime mounts /dev anyway
                kind = stat.S_IFCHR if member.ischr() else stat.S_IFBLK if member.isblk() else stat.S_IFIFO
                os.mknod(target, (member.mode & 0o7777) | kind, os.makedev(member.devmajor, member.devminor))
            else:
                continue
            _apply_attributes(target, member, privileged)
    # Directories last, so writing into them did not disturb their times and modes.
    for target, member in reversed(deferred_dirs):
        _apply_attributes(target, member, privileged)


def _apply_attributes(target: Path, member: tarfile.TarInfo, privileged: bool) -> None:
    if privileged:
        os.lchown(target, member.uid, member.gid)
    if not member.issym():
        os.chmod(target, member.mode & 0o7777)
        os.utime(target, (member.mtime, member.mtime))
    for key, value in (member.pax_headers or {}).items():
        if privileged and key.startswith("SCHILY.xattr."):
            try:
                os.setxattr(
                    target,
                    key[len("SCHILY.xattr.") :],
                    value.encode("utf-8", "surrogateescape"),
                    follow_symlinks=False,
                )
            except OSError:
                pass  # not every filesystem keeps every xattr namespace


def flatten(layers: list[Path], dest: Path) -> None:
    """Merge layer directories (lowest first) into one root filesystem at `dest`, honouring
    whiteouts in either form; used where overlayfs cannot be mounted."""
    dest.mkdir(parents=True, exist_ok=True)
    for layer in layers:
        for dirpath, dirnames, filenames in os.walk(layer):
            here = Path(dirpath)
            out_dir = dest / here.relative_to(layer)
            if here != layer and (OPAQUE in filenames or _is_opaque(here)):
                for child in list(out_dir.iterdir()):
                    _remove(child)
            for name in dirnames + filenames:
                _merge_entry(here / name, out_dir / name)


def _merge_entry(src: Path, out: Path) -> None:
    name = src.name
    if name == OPAQUE:
        return
    if name.startswith(WHITEOUT_PREFIX):
        _remove(out.parent / name[len(WHITEOUT_PREFIX) :])
        return
    st = os.lstat(src)
    if stat.S_ISCHR(st.st_mode) and st.st_rdev == 0:  # overlayfs whiteout
        _remove(out)
        return
    if stat.S_ISDIR(st.st_mode):
        if out.is_symlink() or (out.exists() and not out.is_dir()):
            _remove(out)
        out.mkdir(exist_ok=True)
        shutil.copystat(src, out)
        return
    if out.exists() or out.is_symlink():
        _remove(out)
    if stat.S_ISLNK(st.st_mode):
        os.symlink(os.readlink(src), out)
    elif stat.S_ISREG(st.st_mode):
        shutil.copy2(src, out, follow_symlinks=False)


def _is_opaque(path: Path) -> bool:
    try:
        return os.getxattr(path, OPAQUE_XATTR) == b"y"
    except OSError:
        return False


def layer_stream_from_bytes(data: bytes) -> IO[bytes]:
    """An in-memory layer blob as a readable tar stream."""
    if data[:2] == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=io.BytesIO(data))  # type: ignore[return-value]
    return io.BytesIO(data)
