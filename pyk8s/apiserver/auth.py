"""Authentication: who is asking. Client certificates (CN is the user, each O a group) and
bearer tokens; anything else is anonymous, which gets 401 except on the public endpoints
(health, version), as kube-apiserver treats system:anonymous by default.

Authorization comes later: every authenticated request is allowed for now.
"""

from __future__ import annotations

import hmac
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web

PUBLIC_PATHS = ("/healthz", "/livez", "/readyz", "/version")


@dataclass(frozen=True, slots=True)
class UserInfo:
    name: str
    groups: tuple[str, ...] = ()
    uid: str = ""

    @property
    def anonymous(self) -> bool:
        return self.name == "system:anonymous"


ANONYMOUS = UserInfo("system:anonymous", ("system:unauthenticated",))


class Authenticator:
    """Recognises the cluster's client certificates and static tokens."""

    def __init__(self, *, tokens: dict[str, UserInfo] | None = None) -> None:
        self.tokens = dict(tokens or {})
        # A connection's client certificate does not change: read it once per connection.
        self._by_connection: weakref.WeakKeyDictionary[Any, UserInfo] = weakref.WeakKeyDictionary()

    @classmethod
    def with_admin_token(cls, token_file: Path) -> Authenticator:
        token = token_file.read_text().strip()
        return cls(tokens={token: UserInfo("admin", ("system:masters",))})

    def authenticate(self, request: web.Request) -> UserInfo:
        header = request.headers.get("Authorization", "")
        if header[:7].lower() == "bearer ":
            token = header[7:].strip()
            for known, user in self.tokens.items():
                if hmac.compare_digest(known, token):
                    return _authenticated(user)
            return ANONYMOUS
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
    groups = user.groups if "system:authenticated" in user.groups else (*user.groups, "system:authenticated")
    return UserInfo(user.name, groups, user.uid)
