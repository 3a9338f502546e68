"""Pulling from a real OCI distribution registry (Debian's docker-registry) on loopback."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyk8s.node.images.busybox import ensure_busybox
from pyk8s.node.images.registry import RegistryError, credentials_from_docker_config, pull, push
from pyk8s.node.images.store import ImageStore
from tests.oci.conftest import free_port


async def test_push_then_pull_by_tag_and_digest(registry: str, tmp_path: Path) -> None:
    source = ImageStore(tmp_path / "source", privileged=False)
    image = ensure_busybox(source)
    await push(source, image, f"{registry}/tools/busybox:1.0")
    target = ImageStore(tmp_path / "target", privileged=False)
    pulled = await pull(target, f"{registry}/tools/busybox:1.0")
    assert pulled.id == image.id and pulled.repo_tags == [f"{registry}/tools/busybox:1.0"]
    by_digest = await pull(
        ImageStore(tmp_path / "again", privileged=False), f"{registry}/tools/busybox@{image.manifest_digest}"
    )
    assert by_digest.manifest_digest == image.manifest_digest
    (layer,) = target.unpack(pulled)
    assert (layer / "bin" / "busybox").stat().st_size > 100_000


async def test_pull_errors(registry: str, tmp_path: Path) -> None:
    store = ImageStore(tmp_path / "store", privileged=False)
    with pytest.raises(RegistryError) as missing:
        await pull(store, f"{registry}/nothing/here:1")
    assert missing.value.status == 404 and not missing.value.unreachable
    with pytest.raises(RegistryError) as down:
        await pull(store, f"127.0.0.1:{free_port()}/x:1")
    assert down.value.unreachable


def test_credentials_from_a_pull_secret() -> None:
    import base64
    import json

    auth = base64.b64encode(b"me:secret").decode()
    doc = {
        "auths": {
            "https://index.docker.io/v1/": {"auth": auth},
            "reg.local:5000": {"username": "u", "password": "p"},
        }
    }
    creds = credentials_from_docker_config(
        {".dockerconfigjson": base64.b64encode(json.dumps(doc).encode()).decode()}
    )
    assert creds["docker.io"].username == "me" and creds["docker.io"].password == "secret"
    assert creds["reg.local:5000"].password == "p"
