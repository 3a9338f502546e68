"""Where the API server is and who we are: kubeconfig files, in-cluster config, TLS contexts.

A kubeconfig names clusters (server URL, CA), users (client certificate and key, bearer
token) and contexts binding one of each with a default namespace; `current-context`
picks one. `load_kubeconfig` resolves that into a `ClientConfig`, the one value the
`Client` needs. Relative file paths are read relative to the kubeconfig's directory, as
kubectl does; `*-data` fields are base64-encoded PEM.

Not supported (a clear error rather than a silent anonymous client): `exec` and
`auth-provider` credential plugins, and basic auth.
"""

from __future__ import annotations

import base64
import contextlib
import os
import ssl
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

SERVICE_ACCOUNT_DIR = Path("/var/run/secrets/kubernetes.io/serviceaccount")


class ConfigError(ValueError):
    """A kubeconfig that cannot be used: missing, malformed, or naming what it does not hold."""


@dataclass(frozen=True, slots=True)
class ClientConfig:
    """How to reach one API server as one user.

    `server` may be `https://...` (the CA, client certificate and token apply) or
    `http://...` (a token is still sent, as the official Python client does).
    """

    server: str
    ca_data: bytes | None = None  # PEM
    cert_data: bytes | None = None  # PEM client certificate
    key_data: bytes | None = None  # PEM client key
    token: str | None = None
    insecure_skip_tls_verify: bool = False
    tls_server_name: str | None = None
    namespace: str = "default"

    def __post_init__(self) -> None:
        if not self.server.startswith(("http://", "https://")):
            raise ConfigError(f"server {self.server!r} must be an http:// or https:// URL")
        if bool(self.cert_data) != bool(self.key_data):
            raise ConfigError("a client certificate needs its key (and a key its certificate)")

    @property
    def secure(self) -> bool:
        return self.server.startswith("https://")

    def ssl_context(self) -> ssl.SSLContext | None:
        """The TLS context for `https://` servers (None for plain http)."""
        if not self.secure:
            return None
        if self.ca_data:
            ctx = ssl.create_default_context(cadata=self.ca_data.decode())
        else:
            ctx = ssl.create_default_context()
        if self.insecure_skip_tls_verify:
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
        if self.cert_data and self.key_data:
            _load_cert_chain(ctx, self.cert_data, self.key_data)
        ctx.set_alpn_protocols(["http/1.1"])
        return ctx

    def __repr__(self) -> str:  # never print credentials
        return f"ClientConfig(server={self.server!r}, namespace={self.namespace!r})"


def _load_cert_chain(ctx: ssl.SSLContext, cert: bytes, key: bytes) -> None:
    """`load_cert_chain` reads files only: hand it a private temporary file, removed at once."""
    fd, name = tempfile.mkstemp(prefix="pyk8s-client-", suffix=".pem")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(cert.rstrip(b"\n") + b"\n" + key)
        ctx.load_cert_chain(name)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(name)


def default_kubeconfig_path() -> Path:
    """`$KUBECONFIG` (its first entry) or `~/.kube/config`."""
    env = os.environ.get("KUBECONFIG", "")
    first = next((p for p in env.split(os.pathsep) if p), "")
    return Path(first) if first else Path.home() / ".kube" / "config"


def load_kubeconfig(
    path: str | os.PathLike[str] | None = None, *, context: str | None = None
) -> ClientConfig:
    """Read a kubeconfig file and resolve `context` (default: its current-context)."""
    file = Path(path) if path is not None else default_kubeconfig_path()
    try:
        data = yaml.safe_load(file.read_text())
    except OSError as err:
        raise ConfigError(f"cannot read kubeconfig {file}: {err}") from err
    except yaml.YAMLError as err:
        raise ConfigError(f"kubeconfig {file} is not valid YAML: {err}") from err
    return parse_kubeconfig(data, context=context, base_dir=file.parent)


def parse_kubeconfig(
    data: Mapping[str, Any] | None, *, context: str | None = None, base_dir: Path | None = None
) -> ClientConfig:
    """Resolve a parsed kubeconfig document into a `ClientConfig`."""
    if not isinstance(data, Mapping):
        raise ConfigError("kubeconfig must be a mapping")
    base = base_dir or Path.cwd()
    context_name = context or data.get("current-context") or ""
    if not context_name:
        raise ConfigError("kubeconfig has no current-context and none was given")
    ctx = _named(data, "contexts", "context", context_name)
    cluster = _named(data, "clusters", "cluster", ctx.get("cluster", ""))
    user = _named(data, "users", "user", ctx["user"]) if ctx.get("user") else {}
    for unsupported in ("exec", "auth-provider", "username"):
        if user.get(unsupported):
            raise ConfigError(f"kubeconfig user credentials of type {unsupported!r} are not supported")
    server = str(cluster.get("server") or "").rstrip("/")
    if not server:
        raise ConfigError(f"cluster {ctx.get('cluster')!r} has no server")
    token = user.get("token")
    if not token and user.get("tokenFile"):
        token = _read(base, user["tokenFile"]).decode().strip()
    return ClientConfig(
        server=server,
        ca_data=_data(base, cluster, "certificate-authority"),
        cert_data=_data(base, user, "client-certificate"),
        key_data=_data(base, user, "client-key"),
        token=token or None,
        insecure_skip_tls_verify=bool(cluster.get("insecure-skip-tls-verify")),
        tls_server_name=cluster.get("tls-server-name") or None,
        namespace=ctx.get("namespace") or "default",
    )


def in_cluster_config(directory: Path = SERVICE_ACCOUNT_DIR) -> ClientConfig:
    """The config of a process running in a pod: service-account token and CA, and the
    `KUBERNETES_SERVICE_HOST`/`_PORT` environment the node agent sets."""
    host, port = os.environ.get("KUBERNETES_SERVICE_HOST"), os.environ.get("KUBERNETES_SERVICE_PORT")
    if not host or not port:
        raise ConfigError("not running in a cluster: KUBERNETES_SERVICE_HOST/PORT are not set")
    if ":" in host:
        host = f"[{host}]"
    try:
        token = (directory / "token").read_text().strip()
        ca = (directory / "ca.crt").read_bytes()
        namespace = (
            (directory / "namespace").read_text().strip() if (directory / "namespace").exists() else ""
        )
    except OSError as err:
        raise ConfigError(f"cannot read the service account files in {directory}: {err}") from err
    return ClientConfig(f"https://{host}:{port}", ca_data=ca, token=token, namespace=namespace or "default")


def _named(data: Mapping[str, Any], section: str, field: str, name: str) -> dict[str, Any]:
    for entry in data.get(section) or []:
        if isinstance(entry, Mapping) and entry.get("name") == name:
            value = entry.get(field) or {}
            if not isinstance(value, dict):
                raise ConfigError(f"{section} entry {name!r} is malformed")
            return value
    raise ConfigError(f"kubeconfig has no {field} named {name!r}")


def _read(base: Path, path: str) -> bytes:
    file = Path(os.path.expanduser(path))
    if not file.is_absolute():
        file = base / file
    try:
        return file.read_bytes()
    except OSError as err:
        raise ConfigError(f"cannot read {file}: {err}") from err


def _data(base: Path, section: Mapping[str, Any], name: str) -> bytes | None:
    """`name-data` (base64) or the file `name` points at."""
    encoded = section.get(f"{name}-data")
    if encoded:
        try:
            return base64.b64decode(encoded, validate=True)
        except ValueError as err:
            raise ConfigError(f"{name}-data is not valid base64") from err
    if section.get(name):
        return _read(base, section[name])
    return None
