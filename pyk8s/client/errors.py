"""What a client call raises.

    Exception
    ├── pyk8s.api.errors.StatusError     the server answered with a Status (404, 409, 410, ...):
    │                                    the same classes the server raises, rebuilt by `from_status`
    └── ClientError                      no usable answer: connection refused or lost, TLS failure,
                                         timeout, or a body that is not what the API sends

aiohttp's exceptions never leak: they are chained as `__cause__`, so the HTTP library stays
replaceable (kopf's rule).
"""

from __future__ import annotations

from pyk8s.api.errors import StatusError


class ClientError(Exception):
    """The request got no usable answer from the API server."""

    def __init__(self, message: str, *, method: str = "", url: str = "") -> None:
        super().__init__(f"{method} {url}: {message}" if method else message)
        self.method = method
        self.url = url


__all__ = ["ClientError", "StatusError"]
