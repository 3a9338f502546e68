"""Kubeconfig resolution: contexts, embedded and file credentials, errors."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
import yaml

from pyk8s.client.kubeconfig import (
    ClientConfig,
    ConfigError,
    in_cluster_config,
    load_kubeconfig,
    parse_kubeconfig,
)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def doc(**user: object) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Config",
        "current-context": "main",
        "clusters": [
            {
                "name": "c",
                "cluster": {"server": "https://127.0.0.1:6443/", "certificate-authority-data": b64(b"CA")},
            },
            {"name": "other", "cluster": {"server": "http://127.0.0.1:8080"}},
        ],
        "users": [{"name": "u", "user": dict(user)}],
        "contexts": [
            {"name": "main", "context": {"cluster": "c", "user": "u", "namespace": "team"}},
            {"name": "plain", "context": {"cluster": "other"}},
        ],
    }


def test_current_context_with_embedded_token() -> None:
    config = parse_kubeconfig(doc(token="secret"))
    assert config.server == "https://127.0.0.1:6443"
    assert config.ca_data == b"CA"
    assert config.token == "secret"
    assert config.namespace == "team"
    assert "secret" not in repr(config)


def test_another_context_and_its_defaults() -> None:
    config = parse_kubeconfig(doc(), context="plain")
    assert config.server == "http://127.0.0.1:8080"
    assert config.namespace == "default"
    assert not config.secure and config.ssl_context() is None


def test_files_are_read_relative_to_the_kubeconfig(tmp_path: Path) -> None:
    (tmp_path / "pki").mkdir()
    (tmp_path / "pki" / "token").write_text("from-file\n")
    (tmp_path / "pki" / "client.crt").write_bytes(b"CERT")
    (tmp_path / "pki" / "client.key").write_bytes(b"KEY")
    data = doc(
        tokenFile="pki/token", **{"client-certificate": "pki/client.crt", "client-key": "pki/client.key"}
    )
    path = tmp_path / "kubeconfig"
    path.write_text(yaml.safe_dump(data))
    config = load_kubeconfig(path)
    assert config.token == "from-file"
    assert (config.cert_data, config.key_data) == (b"CERT", b"KEY")


@pytest.mark.parametrize(
    ("user", "message"),
    [
        ({"exec": {"command": "x"}}, "'exec' are not supported"),
        ({"auth-provider": {"name": "gcp"}}, "'auth-provider' are not supported"),
        ({"client-certificate-data": b64(b"C")}, "needs its key"),
        ({"client-key-data": "not base64!"}, "not valid base64"),
    ],
)
def test_unusable_credentials_are_errors(user: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_kubeconfig(doc(**user))


def test_missing_pieces_are_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no context named"):
        parse_kubeconfig(doc(), context="nope")
    with pytest.raises(ConfigError, match="cannot read kubeconfig"):
        load_kubeconfig(tmp_path / "missing")
    with pytest.raises(ConfigError, match="must be an http"):
        ClientConfig(server="127.0.0.1:6443")


def test_in_cluster_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "token").write_text("sa-token")
    (tmp_path / "ca.crt").write_bytes(b"CA")
    (tmp_path / "namespace").write_text("apps")
    monkeypatch.setenv("KUBERNETES_SERVICE_HOST", "10.96.0.1")
    monkeypatch.setenv("KUBERNETES_SERVICE_PORT", "443")
    config = in_cluster_config(tmp_path)
    assert (config.server, config.token, config.namespace) == ("https://10.96.0.1:443", "sa-token", "apps")
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST")
    with pytest.raises(ConfigError, match="not running in a cluster"):
        in_cluster_config(tmp_path)
