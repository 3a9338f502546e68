"""The node's image store: content-addressed blobs, unpacked layers shared by every
container, and the tags that name images.

    root/blobs/sha256/<hex>   manifests, configs and layer archives, by digest
    root/layers/<hex>/        one unpacked layer per diff ID (see layers.py)
    root/images.json          manifest digest -> config digest, tags, size

Every method is synchronous file work: call it from a thread (`asyncio.to_thread`). A lock
serialises changes within the process; the node agent is the only process using its store.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tarfile
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from pyk8s.node.images.layers import flatten, open_layer, unpack_layer
from pyk8s.node.images.reference import parse_reference

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar"
OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
REF_NAME_ANNOTATION = "org.opencontainers.image.ref.name"
CONTAINERD_NAME_ANNOTATION = "io.containerd.image.name"


class ImageError(Exception):
    """An image that cannot be imported, found or removed."""


class ImageNotFoundError(ImageError):
    """No image in the store answers to the reference."""


@dataclass(slots=True)
class Image:
    """One stored image: what `crictl images` and a Node's status.images show of it."""

    manifest_digest: str
    config_digest: str
    repo_tags: list[str] = field(default_factory=list)
    size: int = 0
    layers: list[str] = field(default_factory=list)  # layer blob digests, lowest first
    diff_ids: list[str] = field(default_factory=list)
    source: str = "pull"  # pull | import | build: where the node got it

    @property
    def id(self) -> str:
        """The image ID, as container runtimes report it: the config digest."""
        return self.config_digest

    def repo_digests(self) -> list[str]:
        """`name@manifest-digest` for every repository the image is tagged in."""
        names = {tag.rsplit(":", 1)[0] for tag in self.repo_tags}
        return sorted(f"{name}@{self.manifest_digest}" for name in names)


def sha256_digest(data: bytes) -> str:
    """The OCI digest string of `data`."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _hex(digest: str) -> str:
    algorithm, _, value = digest.partition(":")
    if algorithm != "sha256" or len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
        raise ImageError(f"unsupported digest {digest!r}")
    return value


class ImageStore:
    """Blobs, unpacked layers and tags under one directory."""

    def __init__(self, root: Path, *, privileged: bool | None = None) -> None:
        self.root = root
        self.privileged = os.geteuid() == 0 if privileged is None else privileged
        (root / "blobs" / "sha256").mkdir(parents=True, exist_ok=True)
        (root / "layers").mkdir(exist_ok=True)
        self._lock = threading.RLock()

    # blobs

    def blob_path(self, digest: str) -> Path:
        return self.root / "blobs" / "sha256" / _hex(digest)

    def has_blob(self, digest: str) -> bool:
        return self.blob_path(digest).exists()

    def read_blob(self, digest: str) -> bytes:
        try:
            return self.blob_path(digest).read_bytes()
        except FileNotFoundError:
            raise ImageError(f"blob {digest} is missing") from None

    def write_blob(self, data: bytes, expected: str | None = None) -> str:
        """Store `data`; returns its digest, refusing data that does not match `expected`."""
        digest = sha256_digest(data)
        if expected is not None and expected != digest:
            raise ImageError(f"digest mismatch: expected {expected}, got {digest}")
        path = self.blob_path(digest)
        if not path.exists():
            self._atomic_write(path, data)
        return digest

    def write_blob_stream(self, source: IO[bytes], expected: str) -> str:
        """Store a blob read from `source` (verified against `expected` before it is kept)."""
        path = self.blob_path(expected)
        if path.exists():
            return expected
        hasher = hashlib.sha256()
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := source.read(1 << 20):
                    hasher.update(chunk)
                    out.write(chunk)
            got = "sha256:" + hasher.hexdigest()
            if got != expected:
                raise ImageError(f"digest mismatch: expected {expected}, got {got}")
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        return expected

    @staticmethod
    def _atomic_write(path: Path, data: bytes) -> None:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)

    # the image index

    def _read_index(self) -> dict[str, Any]:
        try:
            return json.loads((self.root / "images.json").read_text())
        except FileNotFoundError:
            return {"images": {}}

    def _write_index(self, index: dict[str, Any]) -> None:
        self._atomic_write(self.root / "images.json", json.dumps(index, indent=1, sort_keys=True).encode())

    def images(self) -> list[Image]:
        """Every stored image, tagged or not."""
        out = []
        for digest, entry in sorted(self._read_index()["images"].items()):
            out.append(
                Image(
                    manifest_digest=digest,
                    config_digest=entry["config"],
                    repo_tags=sorted(entry.get("tags", [])),
                    size=int(entry.get("size", 0)),
                    layers=list(entry.get("layers", [])),
                    diff_ids=list(entry.get("diffIds", [])),
                    source=entry.get("source", "pull"),
                )
            )
        return out

    def resolve(self, reference: str) -> Image | None:
        """The image `reference` names (a tag, a digest, or an image ID), or None."""
        images = self.images()
        if reference.startswith("sha256:"):
            for image in images:
                if reference in (image.config_digest, image.manifest_digest):
                    return image
            return None
        ref = parse_reference(reference)
        for image in images:
            if ref.digest:
                if image.manifest_digest == ref.digest:
                    return image
            elif ref.tagged in image.repo_tags:
                return image
        return None

    def config(self, image: Image) -> dict[str, Any]:
        """The image configuration (`config.Entrypoint`, `Cmd`, `Env`, ...)."""
        return json.loads(self.read_blob(image.config_digest))

    def add(self, manifest: bytes, tags: list[str], *, source: str = "pull") -> Image:
        """Record an image whose manifest, config and layer blobs are all stored; `tags` are
        moved to it from any image that had them. `source` says how the node got it (a
        pulled image is pulled again under imagePullPolicy Always; an imported or built one
        is the node's own copy and is not)."""
        doc = json.loads(manifest)
        media = doc.get("mediaType", OCI_MANIFEST)
        if media not in (OCI_MANIFEST, DOCKER_MANIFEST):
            raise ImageError(f"unsupported manifest type {media}")
        digest = self.write_blob(manifest)
        config_digest = doc["config"]["digest"]
        config = json.loads(self.read_blob(config_digest))
        layers = [layer["digest"] for layer in doc.get("layers", [])]
        for layer in layers:
            if not self.has_blob(layer):
                raise ImageError(f"layer {layer} is missing")
        diff_ids = list((config.get("rootfs") or {}).get("diff_ids") or [])
        if len(diff_ids) != len(layers):
            raise ImageError("the image config's rootfs.diff_ids do not match the manifest's layers")
        normalised = [parse_reference(tag).tagged for tag in tags]
        with self._lock:
            index = self._read_index()
            for other in index["images"].values():
                other["tags"] = [t for t in other.get("tags", []) if t not in normalised]
            entry = index["images"].setdefault(digest, {"tags": []})
            entry.update(
                config=config_digest,
                layers=layers,
                diffIds=diff_ids,
                size=sum(int(layer.get("size", 0)) for layer in doc.get("layers", []))
                + int(doc["config"].get("size", 0)),
            )
            entry["tags"] = sorted(set(entry.get("tags", [])) | set(normalised))
            if source != "pull" or "source" not in entry:
                entry["source"] = source
            self._write_index(index)
        image = self.resolve(digest)
        assert image is not None
        return image

    def remove(self, reference: str) -> Image:
        """Untag `reference`, or remove the image when given its ID/digest or its last tag.
        Blobs and layers no other image uses are deleted."""
        image = self.resolve(reference)
        if image is None:
            raise ImageNotFoundError(f"image {reference!r} not found")
        with self._lock:
            index = self._read_index()
            entry = index["images"][image.manifest_digest]
            if not reference.startswith("sha256:"):
                tag = parse_reference(reference).tagged
                entry["tags"] = [t for t in entry.get("tags", []) if t != tag]
            if reference.startswith("sha256:") or not entry["tags"]:
                del index["images"][image.manifest_digest]
            self._write_index(index)
            self._collect(index)
        return image

    def _collect(self, index: dict[str, Any]) -> None:
        """Delete blobs and unpacked layers no stored image refers to."""
        keep: set[str] = set()
        keep_layers: set[str] = set()
        for digest, entry in index["images"].items():
            keep.add(_hex(digest))
            keep.add(_hex(entry["config"]))
            keep.update(_hex(d) for d in entry.get("layers", []))
            keep_layers.update(_hex(d) for d in entry.get("diffIds", []))
        for blob in (self.root / "blobs" / "sha256").iterdir():
            if blob.name not in keep and not blob.name.startswith(".incoming-"):
                blob.unlink()
        for layer in (self.root / "layers").iterdir():
            if layer.name not in keep_layers and not layer.name.startswith(".unpacking-"):
                shutil.rmtree(layer, ignore_errors=True)

    # root filesystems

    def unpack(self, image: Image) -> list[Path]:
        """The image's layer directories, lowest first, unpacking any not yet on disk."""
        dirs = []
        for blob_digest, diff_id in zip(image.layers, image.diff_ids, strict=True):
            target = self.root / "layers" / _hex(diff_id)
            if not target.exists():
                with self._lock:
                    if not target.exists():
                        staging = Path(tempfile.mkdtemp(dir=self.root / "layers", prefix=".unpacking-"))
                        try:
                            with open_layer(self.blob_path(blob_digest)) as stream:
                                unpack_layer(stream, staging, privileged=self.privileged)
                            os.replace(staging, target)
                        finally:
                            if staging.exists():
                                shutil.rmtree(staging, ignore_errors=True)
            dirs.append(target)
        return dirs

    def unpacked(self, image: Image) -> list[Path] | None:
        """The image's layer directories when every one is already on disk, else None (a few
        stat calls: callers skip the thread pool `unpack` needs)."""
        dirs = [self.root / "layers" / _hex(diff_id) for diff_id in image.diff_ids]
        return dirs if all(d.exists() for d in dirs) else None

    def copy_rootfs(self, image: Image, dest: Path) -> None:
        """A private copy of the image's root filesystem (where overlayfs is unavailable)."""
        flatten(self.unpack(image), dest)

    # archives

    def import_archive(self, path: Path) -> list[Image]:
        """Import an OCI image layout tar or a `docker save` tar; returns the images added."""
        try:
            with tarfile.open(path) as tar:
                names = set(tar.getnames())
                if "index.json" in names or "./index.json" in names:
                    return self._import_oci_layout(tar)
                if "manifest.json" in names or "./manifest.json" in names:
                    return self._import_docker_save(tar)
        except tarfile.TarError as err:
            raise ImageError(f"{path}: not a tar archive ({err})") from None
        raise ImageError(f"{path}: neither an OCI image layout nor a docker save archive")

    @staticmethod
    def _member(tar: tarfile.TarFile, name: str) -> IO[bytes]:
        for candidate in (name, f"./{name}"):
            with contextlib.suppress(KeyError):
                handle = tar.extractfile(candidate)
                if handle is not None:
                    return handle
        raise ImageError(f"the archive has no {name}")

    def _import_oci_layout(self, tar: tarfile.TarFile) -> list[Image]:
        index = json.load(self._member(tar, "index.json"))
        added: list[Image] = []
        for descriptor in _manifests(self, tar, index):
            annotations = descriptor.get("annotations") or {}
            tags = []
            name = annotations.get(CONTAINERD_NAME_ANNOTATION) or annotations.get(REF_NAME_ANNOTATION)
            if name:
                tags.append(name if (":" in name.rsplit("/", 1)[-1] or "@" in name) else f"{name}:latest")
            manifest = self._member(tar, f"blobs/sha256/{_hex(descriptor['digest'])}").read()
            doc = json.loads(manifest)
            for blob in [doc["config"], *doc.get("layers", [])]:
                self.write_blob_stream(
                    self._member(tar, f"blobs/sha256/{_hex(blob['digest'])}"), blob["digest"]
                )
            self.write_blob(manifest, descriptor["digest"])
            added.append(self.add(manifest, tags, source="import"))
        return added

    def _import_docker_save(self, tar: tarfile.TarFile) -> list[Image]:
        entries = json.load(self._member(tar, "manifest.json"))
        added: list[Image] = []
        for entry in entries:
            config = self._member(tar, entry["Config"]).read()
            config_digest = self.write_blob(config)
            layers = []
            for layer_name in entry["Layers"]:
                data = self._member(tar, layer_name).read()
                layers.append({"mediaType": OCI_LAYER, "digest": self.write_blob(data), "size": len(data)})
            manifest = json.dumps(
                {
                    "schemaVersion": 2,
                    "mediaType": OCI_MANIFEST,
                    "config": {"mediaType": OCI_CONFIG, "digest": config_digest, "size": len(config)},
                    "layers": layers,
                },
                separators=(",", ":"),
            ).encode()
            added.append(self.add(manifest, list(entry.get("RepoTags") or []), source="import"))
        return added


def _manifests(store: ImageStore, tar: tarfile.TarFile, index: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Image manifests of an OCI layout index, descending into nested indexes and keeping the
    entry for this machine's platform."""
    for descriptor in index.get("manifests", []):
        media = descriptor.get("mediaType", OCI_MANIFEST)
        if media in (OCI_INDEX, DOCKER_MANIFEST_LIST):
            nested = json.load(store._member(tar, f"blobs/sha256/{_hex(descriptor['digest'])}"))
            chosen = select_platform(nested.get("manifests", []))
            if chosen is not None:
                chosen = dict(
                    chosen,
                    annotations={
                        **(descriptor.get("annotations") or {}),
                        **(chosen.get("annotations") or {}),
                    },
                )
                yield chosen
        elif media in (OCI_MANIFEST, DOCKER_MANIFEST):
            platform = descriptor.get("platform")
            if platform is None or _platform_matches(platform):
                yield descriptor


def host_platform() -> tuple[str, str]:
    """This machine's (os, architecture) in OCI terms."""
    machine = os.uname().machine
    arch = {"x86_64": "amd64", "aarch64": "arm64", "armv7l": "arm", "i686": "386"}.get(machine, machine)
    return "linux", arch


def _platform_matches(platform: dict[str, Any]) -> bool:
    system, arch = host_platform()
    return platform.get("os", system) == system and platform.get("architecture", arch) == arch


def select_platform(manifests: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The entry of an image index for this machine's platform, if any."""
    for descriptor in manifests:
        if _platform_matches(descriptor.get("platform") or {}):
            return descriptor
    return None
