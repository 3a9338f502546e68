"""Certificates and the admin kubeconfig, generated into the data dir on first start.

kubectl sends credentials only over TLS, so the API server always serves HTTPS: a cluster
CA signs the serving certificate (SANs for 127.0.0.1, ::1, localhost and the host name)
and an admin client certificate (CN=admin, O=system:masters). The admin kubeconfig embeds
the CA, the client certificate and key, and a bearer token (for clients that prefer one).
The API server's own client certificate for node agents (CN=kube-apiserver-kubelet-client,
O=system:masters, as kubeadm names it) is what it presents to reach logs, exec, attach,
port-forward and stats on a node.
Files are created once and reused, so kubeconfigs stay valid across restarts.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import secrets
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path

import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_DAYS = 3650
CERT_DAYS = 3650


@dataclass(frozen=True, slots=True)
class Pki:
    """Paths of the cluster's certificates and keys."""

    dir: Path

    @property
    def ca_cert(self) -> Path:
        return self.dir / "ca.crt"

    @property
    def ca_key(self) -> Path:
        return self.dir / "ca.key"

    @property
    def serving_cert(self) -> Path:
        return self.dir / "apiserver.crt"

    @property
    def serving_key(self) -> Path:
        return self.dir / "apiserver.key"

    @property
    def admin_cert(self) -> Path:
        return self.dir / "admin.crt"

    @property
    def admin_key(self) -> Path:
        return self.dir / "admin.key"

    @property
    def admin_token(self) -> Path:
        return self.dir / "admin.token"

    @property
    def kubelet_client_cert(self) -> Path:
        return self.dir / "apiserver-kubelet-client.crt"

    @property
    def kubelet_client_key(self) -> Path:
        return self.dir / "apiserver-kubelet-client.key"


def _key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    data = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    _write_private(path, data)


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def _name(cn: str, orgs: tuple[str, ...] = ()) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, o) for o in orgs]
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


def _builder(subject: x509.Name, issuer: x509.Name, public_key: object, days: int) -> x509.CertificateBuilder:
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)  # type: ignore[arg-type]
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=days))
    )


def ensure_pki(directory: Path, *, extra_sans: tuple[str, ...] = ()) -> Pki:
    """Create the CA, serving and admin certificates unless they already exist."""
    directory.mkdir(parents=True, exist_ok=True)
    pki = Pki(directory)
    if not pki.ca_cert.exists() or not pki.ca_key.exists():
        key = _key()
        name = _name("pyk8s-ca")
        cert = (
            _builder(name, name, key.public_key(), CA_DAYS)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
            )
            .sign(key, hashes.SHA256())
        )
        _write_key(pki.ca_key, key)
        pki.ca_cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    ca_key = serialization.load_pem_private_key(pki.ca_key.read_bytes(), None)
    ca_cert = x509.load_pem_x509_certificate(pki.ca_cert.read_bytes())
    if not pki.serving_cert.exists() or not pki.serving_key.exists():
        _issue_serving(pki, ca_cert, ca_key, extra_sans)
    if not pki.admin_cert.exists() or not pki.admin_key.exists():
        _issue_client(pki.admin_cert, pki.admin_key, "admin", ca_cert, ca_key)
    if not pki.kubelet_client_cert.exists() or not pki.kubelet_client_key.exists():
        _issue_client(
            pki.kubelet_client_cert, pki.kubelet_client_key, "kube-apiserver-kubelet-client", ca_cert, ca_key
        )
    if not pki.admin_token.exists():
        _write_private(pki.admin_token, secrets.token_urlsafe(32).encode())
    return pki


def _issue_client(
    cert_path: Path, key_path: Path, user: str, ca_cert: x509.Certificate, ca_key: object
) -> None:
    """A client certificate for `user` in group system:masters, signed by the CA."""
    key = _key()
    cert = (
        _builder(_name(user, ("system:masters",)), ca_cert.subject, key.public_key(), CERT_DAYS)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())  # type: ignore[arg-type]
    )
    _write_key(key_path, key)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def _issue_serving(pki: Pki, ca_cert: x509.Certificate, ca_key: object, extra_sans: tuple[str, ...]) -> None:
    key = _key()
    # Pods reach the API server as the `kubernetes` Service: its names and its ClusterIP
    # (the first address of the default service range) must verify too.
    dns = {
        "localhost",
        "kubernetes",
        "kubernetes.default",
        "kubernetes.default.svc",
        "kubernetes.default.svc.cluster.local",
        socket.gethostname(),
    }
    ips = {ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1"), ipaddress.ip_address("10.96.0.1")}
    for san in extra_sans:
        try:
            ips.add(ipaddress.ip_address(san))
        except ValueError:
            dns.add(san)
    sans: list[x509.GeneralName] = [x509.DNSName(d) for d in sorted(dns)]
    sans += [x509.IPAddress(ip) for ip in sorted(ips, key=str)]
    cert = (
        _builder(_name("kube-apiserver"), ca_cert.subject, key.public_key(), CERT_DAYS)
        .add_extension(x509.SubjectAlternativeName(sans), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())  # type: ignore[arg-type]
    )
    _write_key(pki.serving_key, key)
    pki.serving_cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def server_ssl_context(pki: Pki) -> ssl.SSLContext:
    """TLS for the API server: HTTP/1.1 only, client certificates verified against the CA when sent."""
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=str(pki.ca_cert))
    ctx.load_cert_chain(str(pki.serving_cert), str(pki.serving_key))
    ctx.verify_mode = ssl.CERT_OPTIONAL
    ctx.set_alpn_protocols(["http/1.1"])
    return ctx


def write_kubeconfig(
    path: Path, pki: Pki, server: str, *, user: str = "admin", cluster: str = "pyk8s"
) -> Path:
    """An admin kubeconfig with the CA and client credentials embedded (base64 PEM)."""
    import base64

    def b64(p: Path) -> str:
        return base64.b64encode(p.read_bytes()).decode()

    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [
            {"name": cluster, "cluster": {"server": server, "certificate-authority-data": b64(pki.ca_cert)}}
        ],
        "users": [
            {
                "name": user,
                "user": {
                    "client-certificate-data": b64(pki.admin_cert),
                    "client-key-data": b64(pki.admin_key),
                },
            }
        ],
        "contexts": [
            {"name": cluster, "context": {"cluster": cluster, "user": user, "namespace": "default"}}
        ],
        "current-context": cluster,
        "preferences": {},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_private(path, yaml.safe_dump(config, sort_keys=False).encode())
    return path
