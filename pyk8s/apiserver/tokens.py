"""Service account tokens: signed JWTs, issued through serviceaccounts/token (TokenRequest)
and accepted as bearer tokens and by TokenReview.

Tokens are RS256 JWTs signed with a key kept in the data dir (`pki/sa.key`), carrying
Kubernetes' claims: `iss`, `sub` (system:serviceaccount:NS:NAME), `aud`, `exp`, `iat`,
`nbf`, and `kubernetes.io` with the namespace, the service account (name, uid) and, for a
token bound to a pod or secret, that object. Validation checks the signature, time,
audience and that the service account (and the bound object) still exist with the same uid.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

DEFAULT_ISSUER = "https://kubernetes.default.svc.cluster.local"
DEFAULT_AUDIENCE = DEFAULT_ISSUER
DEFAULT_EXPIRATION = 3600
MIN_EXPIRATION = 600
MAX_EXPIRATION = 2**32


@dataclass(frozen=True, slots=True)
class TokenUser:
    """Who a valid service account token speaks for."""

    name: str
    uid: str
    groups: tuple[str, ...]
    extra: dict[str, list[str]]
    audiences: tuple[str, ...]


# (namespace, name, kind) -> the object's uid, or None when it does not exist
UidLookup = Callable[[str, str, str], Awaitable[str | None]]


class ServiceAccountTokens:
    """Issues and validates service account tokens for one cluster."""

    def __init__(self, key_file: Path, *, issuer: str = DEFAULT_ISSUER) -> None:
        if not key_file.exists():
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            data = key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
        self._key = serialization.load_pem_private_key(key_file.read_bytes(), None)
        self._public = self._key.public_key()  # type: ignore[union-attr]
        self.issuer = issuer

    def issue(
        self,
        *,
        namespace: str,
        name: str,
        uid: str,
        audiences: list[str],
        expiration: int,
        now: float,
        bound: dict[str, Any] | None = None,
    ) -> tuple[str, int]:
        """A token and its expiry (seconds since the epoch)."""
        expires = int(now) + expiration
        info: dict[str, Any] = {"namespace": namespace, "serviceaccount": {"name": name, "uid": uid}}
        if bound:
            kind = str(bound.get("kind", "")).lower()
            info[kind] = {"name": bound.get("name", ""), "uid": bound.get("uid", "")}
        claims = {
            "iss": self.issuer,
            "sub": f"system:serviceaccount:{namespace}:{name}",
            "aud": audiences or [DEFAULT_AUDIENCE],
            "exp": expires,
            "iat": int(now),
            "nbf": int(now),
            "jti": str(uuid.uuid4()),
            "kubernetes.io": info,
        }
        return jwt.encode(claims, self._key, algorithm="RS256"), expires  # type: ignore[arg-type]

    async def validate(
        self, token: str, lookup: UidLookup, *, audiences: list[str] | None = None
    ) -> TokenUser | None:
        """The user behind `token`, or None if it is not a valid, current token of this cluster."""
        try:
            header = jwt.get_unverified_header(token)
            if header.get("alg") != "RS256":
                return None
            claims = jwt.decode(
                token,
                self._public,
                algorithms=["RS256"],
                issuer=self.issuer,  # type: ignore[arg-type]
                options={"verify_aud": False},
            )
        except jwt.PyJWTError:
            return None
        token_audiences = claims.get("aud") or []
        if isinstance(token_audiences, str):
            token_audiences = [token_audiences]
        wanted = audiences or [DEFAULT_AUDIENCE]
        matched = [a for a in wanted if a in token_audiences]
        if not matched:
            return None
        info = claims.get("kubernetes.io") or {}
        namespace = info.get("namespace", "")
        account = info.get("serviceaccount") or {}
        name, uid = account.get("name", ""), account.get("uid", "")
        if await lookup(namespace, name, "ServiceAccount") != uid:
            return None  # the service account was deleted (and maybe recreated)
        extra: dict[str, list[str]] = {}
        for kind in ("pod", "secret", "node"):
            ref = info.get(kind)
            if ref:
                if await lookup(
                    "" if kind == "node" else namespace, ref.get("name", ""), kind.capitalize()
                ) != ref.get("uid"):
                    return None  # the bound object is gone
                extra[f"authentication.kubernetes.io/{kind}-name"] = [ref.get("name", "")]
                extra[f"authentication.kubernetes.io/{kind}-uid"] = [ref.get("uid", "")]
        if claims.get("jti"):
            extra["authentication.kubernetes.io/credential-id"] = [f"JTI={claims['jti']}"]
        groups = ("system:serviceaccounts", f"system:serviceaccounts:{namespace}", "system:authenticated")
        return TokenUser(f"system:serviceaccount:{namespace}:{name}", uid, groups, extra, tuple(matched))
