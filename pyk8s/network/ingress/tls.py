"""TLS for the Ingress listener: one server context per certificate Secret, chosen by SNI.

The handshake's SNI callback only swaps in a context built beforehand (when Ingresses or
Secrets change), so no certificate is parsed during a handshake. A name without a
certificate gets the controller's default one: a self-signed certificate made at start,
as ingress-nginx serves its "fake certificate".
"""

from __future__ import annotations

import base64
import datetime
import logging
import os
import ssl
import tempfile
from collections.abc import Callable
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from pyk8s.network.ingress.routing import TlsEntry, sni_lookup

log = logging.getLogger("pyk8s.network.ingress")

Obj = dict[str, Any]
DEFAULT_CERT_NAME = "pyk8s ingress default certificate"


def self_signed(common_name: str, hosts: tuple[str, ...] = (), *, days: int = 3650) -> tuple[bytes, bytes]:
    """(certificate PEM, key PEM): a self-signed ECDSA P-256 certificate for `hosts`."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
    )
    if hosts:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(h) for h in hosts]), critical=False
        )
    cert = builder.sign(key, hashes.SHA256())
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def server_context(cert_pem: bytes, key_pem: bytes) -> ssl.SSLContext:
    """A TLS server context for one certificate chain and key (PEM)."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.set_alpn_protocols(["http/1.1"])
    # `load_cert_chain` reads files only: a private directory, removed at once.
    with tempfile.TemporaryDirectory(prefix="pyk8s-ingress-") as tmp:
        cert_path, key_path = os.path.join(tmp, "tls.crt"), os.path.join(tmp, "tls.key")
        fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(key_pem)
        with open(cert_path, "wb") as f:
            f.write(cert_pem)
        ctx.load_cert_chain(cert_path, key_path)
    return ctx


def secret_key_pair(secret: Obj) -> tuple[bytes, bytes] | None:
    """`tls.crt` and `tls.key` of a Secret (base64 in `data`), or None."""
    data = secret.get("data") or {}
    try:
        cert, key = base64.b64decode(data["tls.crt"]), base64.b64decode(data["tls.key"])
    except (KeyError, ValueError, TypeError):
        return None
    return (cert, key) if cert and key else None


class CertificateStore:
    """Server contexts by SNI host, rebuilt from Ingress TLS entries and Secrets."""

    def __init__(self, default: tuple[bytes, bytes] | None = None) -> None:
        cert, key = default or self_signed(DEFAULT_CERT_NAME)
        self.default_certificate = cert
        self.default = server_context(cert, key)
        self.default.sni_callback = self._select
        self._by_host: dict[str, ssl.SSLContext] = {}
        # (namespace, secret, resourceVersion) -> context, so unchanged Secrets are not reparsed
        self._contexts: dict[tuple[str, str, str], ssl.SSLContext] = {}

    def update(self, entries: dict[str, TlsEntry], get_secret: Callable[[str, str], Obj | None]) -> None:
        """Point every TLS host at its Secret's certificate (missing or bad: the default)."""
        contexts: dict[tuple[str, str, str], ssl.SSLContext] = {}
        by_host: dict[str, ssl.SSLContext] = {}
        for host, entry in entries.items():
            secret = get_secret(entry.namespace, entry.secret)
            if secret is None:
                log.warning(
                    "TLS Secret %s/%s for %s not found: default certificate",
                    entry.namespace,
                    entry.secret,
                    host,
                )
                continue
            key = (entry.namespace, entry.secret, str((secret.get("metadata") or {}).get("resourceVersion")))
            ctx = contexts.get(key) or self._contexts.get(key)
            if ctx is None:
                pair = secret_key_pair(secret)
                if pair is None:
                    log.warning("Secret %s/%s has no tls.crt/tls.key", entry.namespace, entry.secret)
                    continue
                try:
                    ctx = server_context(*pair)
                except (ssl.SSLError, OSError) as exc:
                    log.warning("Secret %s/%s: unusable certificate: %s", entry.namespace, entry.secret, exc)
                    continue
            contexts[key] = ctx
            by_host[host] = ctx
        self._contexts, self._by_host = contexts, by_host

    def context_for(self, server_name: str | None) -> ssl.SSLContext:
        if not server_name:
            return self.default
        return sni_lookup(self._by_host, server_name) or self.default

    def _select(self, ssl_object: ssl.SSLObject, server_name: str | None, _ctx: ssl.SSLContext) -> None:
        chosen = self.context_for(server_name)
        if chosen is not self.default:
            ssl_object.context = chosen
