"""Pod volumes on the node: emptyDir, hostPath, configMap, secret, downwardAPI, projected
(with service account tokens) and persistentVolumeClaim bound to hostPath/local volumes.

Files from ConfigMaps, Secrets and the downward API are written the way the kubelet's
atomic writer does: the payload goes into a fresh hidden directory, `..data` is switched to
it by one rename, and each visible name is a symlink through `..data`; so a container sees
either the old files or the new ones, never a mix, when the object changes.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import datetime
import os
import shutil
import stat
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyk8s.node.kubelet.env import ContainerConfigError, Lookup, field_ref, resourcefield_ref
from pyk8s.node.oci.rootfs import is_mount, mount, unmount

Obj = dict[str, Any]
TokenRequester = Callable[[str, str, Obj], Awaitable[str]]  # (namespace, serviceaccount, spec) -> token
DATA_LINK = "..data"


class VolumeError(Exception):
    """A volume that cannot be set up (reported as a FailedMount event)."""


@dataclass(slots=True)
class PreparedVolume:
    """A volume ready to be bind-mounted into containers."""

    name: str
    path: Path
    read_only: bool = False


def write_atomic(target: Path, files: dict[str, tuple[bytes, int]]) -> bool:
    """Make `target` hold exactly `files` (relative path -> (content, mode)); returns whether
    anything changed."""
    target.mkdir(parents=True, exist_ok=True)
    current = target / DATA_LINK
    if current.is_symlink() and _same(target / os.readlink(current), files):
        return False
    stamp = datetime.datetime.now(datetime.UTC).strftime("..%Y_%m_%d_%H_%M_%S.%f")
    payload = target / stamp
    payload.mkdir()
    for rel, (content, mode) in files.items():
        path = payload / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        os.chmod(path, mode)
    tmp_link = target / "..data_tmp"
    with contextlib.suppress(FileNotFoundError):
        tmp_link.unlink()
    os.symlink(stamp, tmp_link)
    old = os.readlink(current) if current.is_symlink() else None
    os.replace(tmp_link, current)
    tops = {rel.split("/", 1)[0] for rel in files}
    for top in tops:
        link = target / top
        if not link.is_symlink():
            if link.exists():
                shutil.rmtree(link) if link.is_dir() else link.unlink()
            os.symlink(f"{DATA_LINK}/{top}", link)
    for entry in target.iterdir():
        if entry.name.startswith(".."):
            continue
        if entry.name not in tops:
            entry.unlink() if entry.is_symlink() else shutil.rmtree(entry, ignore_errors=True)
    if old:
        shutil.rmtree(target / old, ignore_errors=True)
    return True


def _same(directory: Path, files: dict[str, tuple[bytes, int]]) -> bool:
    try:
        present = {str(p.relative_to(directory)) for p in directory.rglob("*") if p.is_file()}
        if present != set(files):
            return False
        for rel, (content, mode) in files.items():
            path = directory / rel
            if path.read_bytes() != content or stat.S_IMODE(path.stat().st_mode) != mode:
                return False
    except OSError:
        return False
    return True


def _key_files(
    data: dict[str, bytes], items: list[Obj] | None, mode: int, what: str, optional: bool
) -> dict[str, tuple[bytes, int]]:
    if not items:
        return {key: (value, mode) for key, value in data.items()}
    out = {}
    for item in items:
        key = item.get("key", "")
        if key not in data:
            if optional:
                continue
            raise VolumeError(
                f"configmap references non-existent config key: {key}"
                if what == "ConfigMap"
                else f"references non-existent secret key: {key}"
            )
        out[item.get("path", key)] = (data[key], int(item.get("mode", mode)))
    return out


class VolumeManager:
    """Sets up and tears down the volumes of one pod under `pod_dir/volumes`."""

    def __init__(
        self,
        pod_dir: Path,
        lookup: Lookup,
        *,
        request_token: TokenRequester | None = None,
        node_allocatable: dict[str, str] | None = None,
    ) -> None:
        self.pod_dir = pod_dir
        self.lookup = lookup
        self.request_token = request_token
        self.node_allocatable = node_allocatable or {}

    def volume_dir(self, name: str) -> Path:
        return self.pod_dir / "volumes" / name

    async def setup(self, pod: Obj) -> dict[str, PreparedVolume]:
        """Every volume of `pod`, created or refreshed."""
        out = {}
        for volume in pod["spec"].get("volumes") or []:
            out[volume["name"]] = await self._setup_one(pod, volume)
        return out

    async def _setup_one(self, pod: Obj, volume: Obj) -> PreparedVolume:
        name = volume["name"]
        target = self.volume_dir(name)
        namespace = pod["metadata"].get("namespace", "default")
        if "emptyDir" in volume:
            spec = volume["emptyDir"] or {}
            target.mkdir(parents=True, exist_ok=True)
            if spec.get("medium") == "Memory" and not is_mount(target):
                size = spec.get("sizeLimit") or self.node_allocatable.get("memory") or "64Mi"
                from pyk8s.api.quantity import Quantity

                await asyncio.to_thread(
                    mount, "tmpfs", target, "tmpfs", f"size={Quantity.parse(str(size)).value()}"
                )
            os.chmod(target, 0o777)
            return PreparedVolume(name, target)
        if "hostPath" in volume:
            return PreparedVolume(name, _host_path(volume["hostPath"]))
        if "configMap" in volume or "secret" in volume or "downwardAPI" in volume or "projected" in volume:
            files = await self._projected_files(pod, volume, namespace)
            await asyncio.to_thread(write_atomic, target, files)
            return PreparedVolume(name, target, read_only=True)
        if "persistentVolumeClaim" in volume:
            claim = volume["persistentVolumeClaim"]
            return PreparedVolume(
                name,
                await self._claim_path(namespace, claim["claimName"]),
                read_only=bool(claim.get("readOnly")),
            )
        kinds = sorted(k for k in volume if k != "name")
        raise VolumeError(f"volume type {', '.join(kinds)} is not supported on this node")

    async def _projected_files(self, pod: Obj, volume: Obj, namespace: str) -> dict[str, tuple[bytes, int]]:
        if "projected" in volume:
            spec = volume["projected"] or {}
            mode = int(spec.get("defaultMode", 0o644))
            sources = spec.get("sources") or []
        else:
            kind = next(k for k in ("configMap", "secret", "downwardAPI") if k in volume)
            spec = volume[kind] or {}
            mode = int(spec.get("defaultMode", 0o644))
            sources = [{kind: spec}]
        files: dict[str, tuple[bytes, int]] = {}
        for source in sources:
            if "configMap" in source:
                files.update(await self._object_files("ConfigMap", namespace, source["configMap"], mode))
            elif "secret" in source:
                ref = dict(source["secret"])
                ref.setdefault("name", ref.get("secretName", ""))
                files.update(await self._object_files("Secret", namespace, ref, mode))
            elif "downwardAPI" in source:
                for item in source["downwardAPI"].get("items") or []:
                    files[item["path"]] = (self._downward(pod, item).encode(), int(item.get("mode", mode)))
            elif "serviceAccountToken" in source:
                files.update(await self._token_file(pod, source["serviceAccountToken"], mode))
            elif "clusterTrustBundle" in source:
                raise VolumeError("clusterTrustBundle projections are not supported")
        return files

    async def _object_files(
        self, kind: str, namespace: str, ref: Obj, mode: int
    ) -> dict[str, tuple[bytes, int]]:
        name = ref.get("name") or ref.get("secretName") or ""
        optional = bool(ref.get("optional"))
        obj = await self.lookup(kind, namespace, name)
        if obj is None:
            if optional:
                return {}
            raise VolumeError(f'{kind.lower()} "{name}" not found')
        if kind == "Secret":
            data = {k: base64.b64decode(v) for k, v in (obj.get("data") or {}).items()}
        else:
            data = {k: v.encode() for k, v in (obj.get("data") or {}).items()}
            data.update({k: base64.b64decode(v) for k, v in (obj.get("binaryData") or {}).items()})
        return _key_files(data, ref.get("items"), int(ref.get("defaultMode", mode)), kind, optional)

    def _downward(self, pod: Obj, item: Obj) -> str:
        if "fieldRef" in item:
            try:
                return field_ref(pod, item["fieldRef"].get("fieldPath", ""))
            except ContainerConfigError as err:
                raise VolumeError(str(err)) from None
        ref = item.get("resourceFieldRef") or {}
        every = [*(pod["spec"].get("initContainers") or []), *pod["spec"]["containers"]]
        container = next((c for c in every if c["name"] == ref.get("containerName")), every[0])
        return resourcefield_ref(pod, container, ref, self.node_allocatable)

    async def _token_file(self, pod: Obj, spec: Obj, mode: int) -> dict[str, tuple[bytes, int]]:
        if self.request_token is None:
            raise VolumeError("service account tokens are not available on this node")
        meta = pod["metadata"]
        request = {
            "audiences": [spec["audience"]] if spec.get("audience") else [],
            "expirationSeconds": int(spec.get("expirationSeconds", 3607)),
            "boundObjectRef": {
                "apiVersion": "v1",
                "kind": "Pod",
                "name": meta["name"],
                "uid": meta.get("uid"),
            },
        }
        account = pod["spec"].get("serviceAccountName") or "default"
        token = await self.request_token(meta.get("namespace", "default"), account, request)
        return {spec.get("path", "token"): (token.encode(), mode)}

    async def _claim_path(self, namespace: str, claim_name: str) -> Path:
        claim = await self.lookup("PersistentVolumeClaim", namespace, claim_name)
        if claim is None:
            raise VolumeError(f'persistentvolumeclaim "{claim_name}" not found')
        volume_name = (claim.get("spec") or {}).get("volumeName")
        if not volume_name or (claim.get("status") or {}).get("phase") != "Bound":
            raise VolumeError(f'persistentvolumeclaim "{claim_name}" is not bound')
        volume = await self.lookup("PersistentVolume", "", volume_name)
        if volume is None:
            raise VolumeError(f'persistentvolume "{volume_name}" not found')
        spec = volume.get("spec") or {}
        source = spec.get("hostPath") or spec.get("local")
        if not source:
            raise VolumeError(f'persistentvolume "{volume_name}" is neither hostPath nor local')
        path = Path(source["path"])
        if "hostPath" in spec:
            return _host_path(spec["hostPath"])
        if not await asyncio.to_thread(path.exists):
            raise VolumeError(f"local volume path {path} does not exist")
        return path

    async def teardown(self) -> None:
        """Unmount memory-backed volumes and remove every volume directory."""
        root = self.pod_dir / "volumes"
        if not root.exists():
            return
        for entry in root.iterdir():
            if is_mount(entry):
                await asyncio.to_thread(unmount, entry)
        await asyncio.to_thread(shutil.rmtree, root, True)


def _host_path(spec: Obj) -> Path:
    path = Path(spec.get("path", ""))
    kind = spec.get("type") or ""
    if not path.is_absolute():
        raise VolumeError(f"hostPath {path} must be absolute")
    if kind == "DirectoryOrCreate":
        path.mkdir(mode=0o755, parents=True, exist_ok=True)
    elif kind == "FileOrCreate":
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.touch(mode=0o644)
    checks = {
        "Directory": (path.is_dir, "is not a directory"),
        "DirectoryOrCreate": (path.is_dir, "is not a directory"),
        "File": (path.is_file, "is not a file"),
        "FileOrCreate": (path.is_file, "is not a file"),
        "Socket": (path.is_socket, "is not a socket file"),
        "CharDevice": (path.is_char_device, "is not a character device"),
        "BlockDevice": (path.is_block_device, "is not a block device"),
    }
    if kind in checks:
        check, message = checks[kind]
        if not check():
            raise VolumeError(f"hostPath type check failed: {path} {message}")
    return path


def container_mounts(container: Obj, volumes: dict[str, PreparedVolume]) -> list[tuple[str, Path, bool]]:
    """(mountPath, host path, read-only) for each volumeMount (subPath and subPathExpr
    without expansion resolved inside the volume, never outside it)."""
    out = []
    for mount_spec in container.get("volumeMounts") or []:
        volume = volumes.get(mount_spec.get("name", ""))
        if volume is None:
            raise ContainerConfigError(
                f'cannot find volume "{mount_spec.get("name")}" to mount into container'
            )
        source = volume.path
        sub = mount_spec.get("subPath") or ""
        if sub:
            candidate = (source / sub).resolve()
            if not str(candidate).startswith(str(source.resolve())):
                raise ContainerConfigError(f"subPath {sub!r} escapes the volume")
            if not candidate.exists():
                candidate.mkdir(parents=True, exist_ok=True)
            source = candidate
        out.append((mount_spec["mountPath"], source, bool(mount_spec.get("readOnly")) or volume.read_only))
    return out
