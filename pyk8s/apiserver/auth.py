"""Authentication: who is asking. Client certificates (CN is the user, each O a group),
the admin's static token, and service account tokens (JWTs this cluster signed); anything
else is anonymous, which gets 401 except on the public endpoints (health, version), as
kube-apiserver treats system:anonymous by default.

Authorization comes later: every authenticated request is allowed for now.
"""

from __future__ import annotations

import hmac
import time
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

PUBLIC_PATHS = ("/healthz", "/livez", "/readyz", "/version")
TOKEN_CACHE_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class UserInfo:
    name: str
    groups: tuple[str, ...] = ()
    uid: str = ""
    extra: dict[str, list[str]] = field(default_factory=dict)

    @property
    def anonymous(self) -> bool:
        return self.name == "system:anonymous"

    def as_status(self) -> dict[str, Any]:
        """The userInfo object of TokenReview and SelfSubjectReview statuses."""
        out: dict[str, Any] = {"username": self.name, "groups": list(self.groups)}
        if self.uid:
            out["uid"] = self.uid
        if self.extra:
            out["extra"] = self.extra
        return out


ANONYMOUS = UserInfo("system:anonymous", ("system:unauthenticated",))

# token -> the user it authenticates, or None (service account tokens)
TokenValidator = Callable[[str], Awaitable[UserInfo | None]]


class Authenticator:
    """Recognises the cluster's client certificates and tokens."""

    def __init__(
        self, *, tokens: dict[str, UserInfo] | None = None, validator: TokenValidator | None = None
    ) -> None:
        self.tokens = dict(tokens or {})
        self.validator = validator
        # A connection's client certificate does not change: read it once per connection.
        self._by_connection: weakref.WeakKeyDictionary[Any, UserInfo] = weakref.WeakKeyDictionary()
        self._validated: dict[str, tuple[float, UserInfo | None]] = {}

    @classmethod
    def with_admin_token(cls, token_file: Path, validator: TokenValidator | None = None) -> Authenticator:
        token = token_file.read_text().strip()
        return cls(tokens={token: UserInfo("admin", ("system:masters",))}, validator=validator)

    async def authenticate(self, request: web.Request) -> UserInfo:
        header = request.headers.get("Authorization", "")
        if header[:7].lower() == "bearer ":
            return await self.authenticate_token(header[7:].strip()) or ANONYMOUS
        transport = request.transport
        if transport is None:
            return ANONYMOUS
        try:
            known = self._by_connection.get(transport)
        except TypeError:
            known = None
        if known is not None:
            return known
        cert: Any = transport.get_extra_info("peercert")
        user = _authenticated(_user_from_cert(cert)) if cert else ANONYMOUS
        try:
            self._by_connection[transport] = user
        except TypeError:
            pass  # transports that cannot be weakly referenced: read the certificate every time
        return user

    async def authenticate_token(self, token: str) -> UserInfo | None:
        """The user a bearer token stands for, or None."""
        for known, user in self.tokens.items():
            if hmac.compare_digest(known, token):
                return _authenticated(user)
        if self.validator is None or token.count(".") != 2:
            return None
        now = time.monotonic()
        cached = self._validated.get(token)
        if cached is not None and cached[0] > now:
            return cached[1]
        user = await self.validator(token)
        if len(self._validated) > 10_000:
            self._validated.clear()
        self._validated[token] = (now + TOKEN_CACHE_SECONDS, user)
        return user


def _user_from_cert(cert: dict[str, Any]) -> UserInfo:
    name, groups = "", []
    for rdn in cert.get("subject", ()):
        for key, value in rdn:
            if key == "commonName":
                name = value
            elif key == "organizationName":
                groups.append(value)
    return UserInfo(name or "system:anonymous", tuple(groups))


def _authenticated(user: UserInfo) -> UserInfo:
    if "system:authenticated" in user.groups:
        return user
    return UserInfo(user.name, (*user.groups, "system:authenticated"), user.uid, user.extra)
