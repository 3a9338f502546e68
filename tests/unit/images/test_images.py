"""The node image store: references, busybox build, archive import, layers and removal."""

from __future__ import annotations

import io
import json
import os
import tarfile
from pathlib import Path

import pytest

from pyk8s.node.images import busybox
from pyk8s.node.images.layers import LayerError, flatten, unpack_layer
from pyk8s.node.images.reference import InvalidReferenceError, image_tag_is_latest, parse_reference
from pyk8s.node.images.store import ImageError, ImageNotFoundError, ImageStore, sha256_digest

needs_busybox = pytest.mark.skipif(
    not any(p.exists() for p in busybox.BUSYBOX_PATHS), reason="busybox-static is not installed"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("busybox", "docker.io/library/busybox:latest"),
        ("busybox:1.36", "docker.io/library/busybox:1.36"),
        ("library/nginx", "docker.io/library/nginx:latest"),
        ("bitnami/redis:7", "docker.io/bitnami/redis:7"),
        ("localhost:5000/app", "localhost:5000/app:latest"),
        ("127.0.0.1:5000/team/app:v1", "127.0.0.1:5000/team/app:v1"),
        ("registry.k8s.io/pause:3.9", "registry.k8s.io/pause:3.9"),
        ("index.docker.io/library/alpine", "docker.io/library/alpine:latest"),
        ("busybox@sha256:" + "a" * 64, "docker.io/library/busybox@sha256:" + "a" * 64),
    ],
)
def test_references_normalise_like_the_runtime(text: str, expected: str) -> None:
    assert str(parse_reference(text)) == expected


@pytest.mark.parametrize("text", ["", "Busybox", "busy box", "a:b:c/d", "x@sha256:zz", "app:-bad"])
def test_bad_references_are_refused(text: str) -> None:
    with pytest.raises(InvalidReferenceError):
        parse_reference(text)


def test_latest_tag_detection() -> None:
    assert image_tag_is_latest("busybox") and image_tag_is_latest("busybox:latest")
    assert not image_tag_is_latest("busybox:1.36")
    assert not image_tag_is_latest("busybox@sha256:" + "b" * 64)
    assert parse_reference("busybox").short == "busybox:latest"


def _tar(entries: list[tuple[str, bytes | None, str]]) -> bytes:
    """A layer: (name, content or None for a directory, symlink target)."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        for name, data, link in entries:
            info = tarfile.TarInfo(name)
            if link:
                info.type, info.linkname = tarfile.SYMTYPE, link
            elif data is None:
                info.type, info.mode = tarfile.DIRTYPE, 0o755
            else:
                info.size, info.mode = len(data), 0o644
            tar.addfile(info, io.BytesIO(data or b""))
    return out.getvalue()


@pytest.mark.parametrize("privileged", [False, True])
def test_layers_stack_with_whiteouts(tmp_path: Path, privileged: bool) -> None:
    if privileged and os.geteuid() != 0:
        pytest.skip("overlay-format whiteouts need root")
    lower = _tar(
        [
            ("etc", None, ""),
            ("etc/a", b"a", ""),
            ("etc/b", b"b", ""),
            ("opt", None, ""),
            ("opt/x", b"x", ""),
            ("bin", None, ""),
            ("bin/sh", None, "/bin/busybox"),
        ]
    )
    upper = _tar(
        [
            ("etc", None, ""),
            ("etc/.wh.a", b"", ""),
            ("opt", None, ""),
            ("opt/.wh..wh..opq", b"", ""),
            ("opt/y", b"y", ""),
        ]
    )
    dirs = []
    for i, layer in enumerate((lower, upper)):
        unpack_layer(io.BytesIO(layer), tmp_path / f"l{i}", privileged=privileged)
        dirs.append(tmp_path / f"l{i}")
    flatten(dirs, tmp_path / "root")
    root = tmp_path / "root"
    assert sorted(p.name for p in (root / "etc").iterdir()) == ["b"]
    assert sorted(p.name for p in (root / "opt").iterdir()) == ["y"]
    assert os.readlink(root / "bin" / "sh") == "/bin/busybox"  # kept as is, never followed


def test_a_layer_cannot_write_outside_its_directory(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    evil = _tar([("etc", None, str(outside)), ("etc/passwd", b"pwned", "")])
    unpack_layer(io.BytesIO(evil), tmp_path / "layer", privileged=False)
    assert not (outside / "passwd").exists()
    with pytest.raises(LayerError):
        unpack_layer(io.BytesIO(_tar([("../escape", b"x", "")])), tmp_path / "l2", privileged=False)


@needs_busybox
def test_busybox_image_is_reproducible_and_runs_from_its_layers(tmp_path: Path) -> None:
    first, second = busybox.build_image(), busybox.build_image()
    assert first["manifest"] == second["manifest"]
    store = ImageStore(tmp_path / "store", privileged=False)
    image = busybox.ensure_busybox(store)
    assert image.repo_tags == ["docker.io/library/busybox:latest"]
    assert busybox.ensure_busybox(store).id == image.id
    assert store.config(image)["config"]["Cmd"] == ["sh"]
    store.copy_rootfs(image, tmp_path / "rootfs")
    assert os.readlink(tmp_path / "rootfs" / "bin" / "sh") == "busybox"
    assert (tmp_path / "rootfs" / "bin" / "busybox").stat().st_size > 100_000


@needs_busybox
def test_oci_archive_import_tag_and_remove(tmp_path: Path) -> None:
    archive = busybox.write_oci_archive(tmp_path / "busybox.tar")
    store = ImageStore(tmp_path / "store", privileged=False)
    (image,) = store.import_archive(archive)
    assert store.resolve("busybox").id == image.id
    assert store.resolve("docker.io/library/busybox:latest") is not None
    assert store.resolve(image.id) is not None and store.resolve(image.manifest_digest) is not None
    assert image.repo_digests() == [f"docker.io/library/busybox@{image.manifest_digest}"]
    store.unpack(image)
    store.remove("busybox")
    assert store.images() == []
    assert list((tmp_path / "store" / "blobs" / "sha256").iterdir()) == []
    assert list((tmp_path / "store" / "layers").iterdir()) == []
    with pytest.raises(ImageNotFoundError):
        store.remove("busybox")


def test_docker_save_archive_import(tmp_path: Path) -> None:
    layer = _tar([("hello.txt", b"hi", "")])
    config = json.dumps(
        {
            "os": "linux",
            "config": {"Cmd": ["/hello"]},
            "rootfs": {"type": "layers", "diff_ids": [sha256_digest(layer)]},
        }
    ).encode()
    archive = tmp_path / "save.tar"
    manifest = [{"Config": "cfg.json", "RepoTags": ["hello:v1"], "Layers": ["abc/layer.tar"]}]
    with tarfile.open(archive, "w") as tar:
        for name, data in (
            ("abc/layer.tar", layer),
            ("cfg.json", config),
            ("manifest.json", json.dumps(manifest).encode()),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    store = ImageStore(tmp_path / "store", privileged=False)
    (image,) = store.import_archive(archive)
    assert image.repo_tags == ["docker.io/library/hello:v1"]
    (layer_dir,) = store.unpack(image)
    assert (layer_dir / "hello.txt").read_bytes() == b"hi"
    with pytest.raises(ImageError):
        store.import_archive(_not_an_image(tmp_path))


def _not_an_image(tmp_path: Path) -> Path:
    path = tmp_path / "junk.tar"
    with tarfile.open(path, "w") as tar:
        info = tarfile.TarInfo("readme")
        tar.addfile(info, io.BytesIO(b""))
    return path
