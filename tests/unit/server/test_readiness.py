"""Reading the kubeconfig the API server writes once it serves."""

from __future__ import annotations

import base64
from pathlib import Path

from pyk8s.server.readiness import read_kubeconfig


def write(path: Path, server: str, ca: bytes | None = None) -> None:
    ca_line = f"    certificate-authority-data: {base64.b64encode(ca).decode()}\n" if ca else ""
    path.write_text(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: pyk8s\n  cluster:\n"
        f"    server: {server}\n{ca_line}"
        "contexts:\n- name: pyk8s\n  context: {cluster: pyk8s, user: admin}\ncurrent-context: pyk8s\n"
    )


def test_a_missing_or_half_written_kubeconfig_is_not_ready(tmp_path: Path) -> None:
    path = tmp_path / "kubeconfig"
    assert read_kubeconfig(path) is None
    path.write_text("apiVersion: v1\nclusters:\n- name: pyk8s\n  cluster: {ser")
    assert read_kubeconfig(path) is None
    path.write_text("")
    assert read_kubeconfig(path) is None


def test_the_current_clusters_server_is_read(tmp_path: Path) -> None:
    path = tmp_path / "kubeconfig"
    write(path, "http://127.0.0.1:8080")
    assert read_kubeconfig(path) == ("http://127.0.0.1:8080", None)
    write(path, "https://127.0.0.1:6443", ca=b"not a certificate")
    assert read_kubeconfig(path) is None  # an unreadable CA is not trusted
