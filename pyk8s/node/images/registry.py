"""Pulling images from (and pushing to) an OCI distribution registry.

Anonymous and bearer-token auth (the `WWW-Authenticate: Bearer realm=...` dance, with basic
credentials from imagePullSecrets when given), image indexes resolved to this machine's
platform, every manifest and blob verified against its digest before it is kept.
`localhost` and loopback registries are spoken to over plain HTTP, as containerd does;
everything else over HTTPS.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import ipaddress
import json
import logging
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp

from pyk8s.node.images.reference import ImageReference, parse_reference
from pyk8s.node.images.store import (
    DOCKER_MANIFEST,
    DOCKER_MANIFEST_LIST,
    OCI_INDEX,
    OCI_MANIFEST,
    Image,
    ImageError,
    ImageStore,
    select_platform,
    sha256_digest,
)

log = logging.getLogger("pyk8s.node.images")

ACCEPT = ", ".join((OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST))
DOCKER_HUB_API = "registry-1.docker.io"
TIMEOUT = aiohttp.ClientTimeout(total=None, connect=10, sock_read=60)


class RegistryError(ImageError):
    """The registry refused or failed; `unreachable` when it could not be contacted at all."""

    def __init__(self, message: str, *, unreachable: bool = False, status: int = 0) -> None:
        super().__init__(message)
        self.unreachable = unreachable
        self.status = status


@dataclass(frozen=True, slots=True)
class Credentials:
    """A user name and password (or token) for one registry."""

    username: str
    password: str


def credentials_from_docker_config(secret_data: Mapping[str, str]) -> dict[str, Credentials]:
    """Registry credentials from a `kubernetes.io/dockerconfigjson` (or legacy dockercfg)
    Secret's base64 data."""
    out: dict[str, Credentials] = {}
    raw = secret_data.get(".dockerconfigjson") or secret_data.get(".dockercfg")
    if not raw:
        return out
    doc = json.loads(base64.b64decode(raw))
    auths = doc.get("auths", doc) if isinstance(doc, dict) else {}
    for host, entry in auths.items():
        if not isinstance(entry, dict):
            continue
        user, password = entry.get("username", ""), entry.get("password", "")
        if entry.get("auth"):
            user, _, password = base64.b64decode(entry["auth"]).decode().partition(":")
        host = re.sub(r"^https?://", "", host).split("/")[0]
        if host in ("index.docker.io", "registry-1.docker.io"):
            host = "docker.io"
        out[host] = Credentials(user, password)
    return out


def _is_local(host: str) -> bool:
    name = host.rsplit(":", 1)[0].strip("[]") if host.count(":") <= 1 or host.startswith("[") else host
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def registry_base(ref: ImageReference) -> str:
    host = DOCKER_HUB_API if ref.registry == "docker.io" else ref.registry
    return f"{'http' if _is_local(host) else 'https'}://{host}"


class RegistryClient:
    """One pull or push session (reuses its bearer token across requests)."""

    def __init__(self, ref: ImageReference, credentials: Credentials | None = None) -> None:
        self.ref = ref
        self.base = registry_base(ref)
        self.credentials = credentials
        self._token: str | None = None
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> RegistryClient:
        self._session = aiohttp.ClientSession(timeout=TIMEOUT)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await self._session.close()

    def _headers(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        headers = dict(extra or {})
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        elif self.credentials:
            basic = base64.b64encode(f"{self.credentials.username}:{self.credentials.password}".encode())
            headers["Authorization"] = f"Basic {basic.decode()}"
        return headers

    async def _request(
        self, method: str, url: str, *, scope: str = "pull", **kwargs: Any
    ) -> aiohttp.ClientResponse:
        assert self._session is not None
        headers = kwargs.pop("headers", None)
        for attempt in range(2):
            try:
                resp = await self._session.request(method, url, headers=self._headers(headers), **kwargs)
            except (aiohttp.ClientConnectionError, TimeoutError, OSError) as err:
                raise RegistryError(f"{self.base} is unreachable: {err}", unreachable=True) from None
            if resp.status == 401 and attempt == 0:
                challenge = resp.headers.get("WWW-Authenticate", "")
                resp.release()
                await self._authenticate(challenge, scope)
                continue
            return resp
        return resp

    async def _authenticate(self, challenge: str, scope: str) -> None:
        if not challenge.lower().startswith("bearer "):
            raise RegistryError("the registry asked for credentials", status=401)
        params = dict(re.findall(r'(\w+)="([^"]*)"', challenge))
        realm = params.pop("realm", "")
        if not realm:
            raise RegistryError("the registry's auth challenge names no realm", status=401)
        params.setdefault("scope", f"repository:{self.ref.repository}:{scope}")
        assert self._session is not None
        auth = (
            aiohttp.BasicAuth(self.credentials.username, self.credentials.password)
            if self.credentials
            else None
        )
        try:
            async with self._session.get(realm, params=params, auth=auth) as resp:
                if resp.status != 200:
                    raise RegistryError(
                        f"token request failed: {resp.status} {resp.reason}", status=resp.status
                    )
                doc = await resp.json(content_type=None)
        except (aiohttp.ClientConnectionError, TimeoutError, OSError) as err:
            raise RegistryError(f"{realm} is unreachable: {err}", unreachable=True) from None
        self._token = doc.get("token") or doc.get("access_token")
        if not self._token:
            raise RegistryError("the token service returned no token", status=401)

    async def manifest(self, reference: str) -> tuple[bytes, str]:
        """(manifest bytes, media type) for a tag or digest, verified when pulled by digest."""
        url = f"{self.base}/v2/{self.ref.repository}/manifests/{reference}"
        resp = await self._request("GET", url, headers={"Accept": ACCEPT})
        try:
            if resp.status == 404:
                raise RegistryError(f"{self.ref.name}:{reference}: not found", status=404)
            if resp.status != 200:
                raise RegistryError(f"manifest {reference}: {resp.status} {resp.reason}", status=resp.status)
            body = await resp.read()
            media = resp.headers.get("Content-Type", "").split(";")[0].strip()
        finally:
            resp.release()
        if reference.startswith("sha256:") and sha256_digest(body) != reference:
            raise RegistryError(f"manifest digest mismatch for {reference}")
        if not media or media == "application/json":
            media = json.loads(body).get("mediaType", OCI_MANIFEST)
        return body, media

    async def fetch_blob(self, store: ImageStore, digest: str) -> None:
        """Download a blob into the store (verified; skipped when already there)."""
        if store.has_blob(digest):
            return
        url = f"{self.base}/v2/{self.ref.repository}/blobs/{digest}"
        resp = await self._request("GET", url)
        try:
            if resp.status != 200:
                raise RegistryError(f"blob {digest}: {resp.status} {resp.reason}", status=resp.status)
            hasher = hashlib.sha256()
            with tempfile.SpooledTemporaryFile(max_size=8 << 20) as buffer:
                async for chunk in resp.content.iter_chunked(1 << 20):
                    hasher.update(chunk)
                    buffer.write(chunk)
                if "sha256:" + hasher.hexdigest() != digest:
                    raise RegistryError(f"blob digest mismatch for {digest}")
                buffer.seek(0)
                await asyncio.to_thread(store.write_blob_stream, buffer, digest)  # type: ignore[arg-type]
        finally:
            resp.release()

    async def put_blob(self, data: bytes, digest: str) -> None:
        head = await self._request(
            "HEAD", f"{self.base}/v2/{self.ref.repository}/blobs/{digest}", scope="pull,push"
        )
        head.release()
        if head.status == 200:
            return
        start = await self._request(
            "POST", f"{self.base}/v2/{self.ref.repository}/blobs/uploads/", scope="pull,push"
        )
        location = start.headers.get("Location", "")
        start.release()
        if start.status != 202 or not location:
            raise RegistryError(f"blob upload refused: {start.status}", status=start.status)
        if location.startswith("/"):
            location = self.base + location
        separator = "&" if "?" in location else "?"
        headers = {"Content-Type": "application/octet-stream"}
        url = f"{location}{separator}digest={digest}"
        done = await self._request("PUT", url, scope="pull,push", data=data, headers=headers)
        done.release()
        if done.status != 201:
            raise RegistryError(f"blob upload failed: {done.status}", status=done.status)

    async def put_manifest(self, tag: str, manifest: bytes, media: str) -> None:
        url = f"{self.base}/v2/{self.ref.repository}/manifests/{tag}"
        resp = await self._request(
            "PUT", url, scope="pull,push", data=manifest, headers={"Content-Type": media}
        )
        resp.release()
        if resp.status not in (200, 201):
            raise RegistryError(f"manifest upload failed: {resp.status}", status=resp.status)


async def pull(
    store: ImageStore, reference: str, credentials: Mapping[str, Credentials] | None = None
) -> Image:
    """Pull `reference` into `store` and tag it; returns the stored image."""
    ref = parse_reference(reference)
    creds = (credentials or {}).get(ref.registry)
    async with RegistryClient(ref, creds) as client:
        body, media = await client.manifest(ref.digest or ref.tag)
        if media in (OCI_INDEX, DOCKER_MANIFEST_LIST):
            chosen = select_platform(json.loads(body).get("manifests", []))
            if chosen is None:
                raise RegistryError(f"{reference}: no image for this platform")
            body, media = await client.manifest(chosen["digest"])
        if media not in (OCI_MANIFEST, DOCKER_MANIFEST):
            raise RegistryError(f"{reference}: unsupported manifest type {media}")
        doc = json.loads(body)
        await client.fetch_blob(store, doc["config"]["digest"])
        for layer in doc.get("layers", []):
            await client.fetch_blob(store, layer["digest"])
    tags = [ref.tagged] if ref.tag else []
    image = await asyncio.to_thread(store.add, body, tags)
    log.info("pulled %s (%s)", reference, image.id)
    return image


async def push(
    store: ImageStore, image: Image, reference: str, credentials: Credentials | None = None
) -> None:
    """Push a stored image to `reference` (used by tests and `pyk8s images push`)."""
    ref = parse_reference(reference)
    manifest = store.read_blob(image.manifest_digest)
    doc = json.loads(manifest)
    async with RegistryClient(ref, credentials) as client:
        for blob in [doc["config"], *doc.get("layers", [])]:
            await client.put_blob(store.read_blob(blob["digest"]), blob["digest"])
        await client.put_manifest(ref.tag or "latest", manifest, doc.get("mediaType", OCI_MANIFEST))
