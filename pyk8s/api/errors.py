"""Kubernetes `Status` errors: what the API server sends and what the client raises.

    StatusError                      any Status with status=Failure (code, reason, details)
    ├── BadRequestError              400 BadRequest
    ├── UnauthorizedError            401 Unauthorized
    ├── ForbiddenError               403 Forbidden
    ├── NotFoundError                404 NotFound
    ├── MethodNotSupportedError      405 MethodNotAllowed
    ├── NotAcceptableError           406 NotAcceptable
    ├── AlreadyExistsError           409 AlreadyExists
    ├── ConflictError                409 Conflict
    ├── GoneError                    410 Gone / Expired
    ├── RequestEntityTooLargeError   413 RequestEntityTooLarge
    ├── UnsupportedMediaTypeError    415 UnsupportedMediaType
    ├── InvalidError                 422 Invalid (carries FieldErrors as causes)
    ├── TooManyRequestsError         429 TooManyRequests (retry_after)
    ├── InternalError                500 InternalError
    ├── ServiceUnavailableError      503 ServiceUnavailable
    └── GatewayTimeoutError                504 Timeout

Messages follow apimachinery's wording, since users and tools read them: `pods "x" not
found`, `Operation cannot be fulfilled on configmaps "c": the object has been modified;
...`. `from_status` rebuilds the right class from a Status body, so a component handles
errors the same way in-process and over HTTP.
"""

from __future__ import annotations

from typing import Any

from pyk8s.api.fields import FieldErrors, aggregate


def qualified(resource: str, group: str) -> str:
    """`pods`, `deployments.apps`: how a GroupResource prints."""
    return f"{resource}.{group}" if group else resource


class StatusError(Exception):
    """A failure the API answers with a `metav1.Status` body."""

    code = 500
    reason = "InternalError"

    def __init__(
        self, message: str, *, details: dict[str, Any] | None = None, code: int = 0, reason: str = ""
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = {k: v for k, v in (details or {}).items() if v not in (None, "", [], 0)}
        if code:
            self.code = code
        if reason:
            self.reason = reason

    def status(self) -> dict[str, Any]:
        """The Status object, as the wire carries it."""
        body: dict[str, Any] = {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
        }
        if self.details:
            body["details"] = self.details
        body["code"] = self.code
        return body

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code} {self.reason}: {self.message})"


class BadRequestError(StatusError):
    code, reason = 400, "BadRequest"


class UnauthorizedError(StatusError):
    code, reason = 401, "Unauthorized"

    def __init__(self, message: str = "Unauthorized") -> None:
        super().__init__(message)


class ForbiddenError(StatusError):
    code, reason = 403, "Forbidden"


class NotFoundError(StatusError):
    code, reason = 404, "NotFound"


class MethodNotSupportedError(StatusError):
    code, reason = 405, "MethodNotAllowed"


class NotAcceptableError(StatusError):
    code, reason = 406, "NotAcceptable"


class AlreadyExistsError(StatusError):
    code, reason = 409, "AlreadyExists"


class ConflictError(StatusError):
    code, reason = 409, "Conflict"


class GoneError(StatusError):
    code, reason = 410, "Gone"


class RequestEntityTooLargeError(StatusError):
    code, reason = 413, "RequestEntityTooLarge"


class UnsupportedMediaTypeError(StatusError):
    code, reason = 415, "UnsupportedMediaType"


class InvalidError(StatusError):
    code, reason = 422, "Invalid"

    def __init__(
        self, message: str, *, details: dict[str, Any] | None = None, errors: FieldErrors | None = None
    ) -> None:
        super().__init__(message, details=details)
        self.errors = errors or []


class TooManyRequestsError(StatusError):
    code, reason = 429, "TooManyRequests"

    @property
    def retry_after(self) -> int:
        return int(self.details.get("retryAfterSeconds", 1))


class InternalError(StatusError):
    code, reason = 500, "InternalError"


class ServiceUnavailableError(StatusError):
    code, reason = 503, "ServiceUnavailable"


class GatewayTimeoutError(StatusError):
    code, reason = 504, "Timeout"


# factories, in apimachinery's wording


def not_found(resource: str, name: str, *, group: str = "") -> NotFoundError:
    return NotFoundError(
        f'{qualified(resource, group)} "{name}" not found',
        details={"name": name, "group": group, "kind": resource},
    )


def already_exists(resource: str, name: str, *, group: str = "") -> AlreadyExistsError:
    return AlreadyExistsError(
        f'{qualified(resource, group)} "{name}" already exists',
        details={"name": name, "group": group, "kind": resource},
    )


def generate_name_conflict(resource: str, name: str, *, group: str = "") -> AlreadyExistsError:
    """Every name generated for a create was taken (apimachinery's NewGenerateNameConflict)."""
    return AlreadyExistsError(
        f'{qualified(resource, group)} "{name}" already exists, '
        "the server was not able to generate a unique name for the object",
        details={"name": name, "group": group, "kind": resource, "retryAfterSeconds": 1},
    )


def conflict(resource: str, name: str, reason: str, *, group: str = "") -> ConflictError:
    return ConflictError(
        f'Operation cannot be fulfilled on {qualified(resource, group)} "{name}": {reason}',
        details={"name": name, "group": group, "kind": resource},
    )


MODIFIED = "the object has been modified; please apply your changes to the latest version and try again"


def stale(resource: str, name: str, *, group: str = "") -> ConflictError:
    """The optimistic-concurrency conflict: the object changed since the client read it."""
    return conflict(resource, name, MODIFIED, group=group)


def invalid(kind: str, name: str, errors: FieldErrors, *, group: str = "") -> InvalidError:
    message = f'{qualified(kind, group)} "{name}" is invalid'
    if errors:
        message += ": " + aggregate(errors)
    details = {"name": name, "group": group, "kind": kind, "causes": [e.cause() for e in errors]}
    return InvalidError(message, details=details, errors=errors)


def forbidden(resource: str, name: str, reason: str, *, group: str = "") -> ForbiddenError:
    if not resource:
        message = f"forbidden: {reason}"
    elif not name:
        message = f"{qualified(resource, group)} is forbidden: {reason}"
    else:
        message = f'{qualified(resource, group)} "{name}" is forbidden: {reason}'
    return ForbiddenError(message, details={"name": name, "group": group, "kind": resource})


def method_not_supported(resource: str, action: str, *, group: str = "") -> MethodNotSupportedError:
    return MethodNotSupportedError(
        f'{action} is not supported on resources of kind "{qualified(resource, group)}"',
        details={"group": group, "kind": resource},
    )


def expired(message: str) -> GoneError:
    return GoneError(message, reason="Expired")


def too_old_resource_version(requested: int, oldest: int) -> GoneError:
    return expired(f"too old resource version: {requested} ({oldest})")


def internal(message: str) -> InternalError:
    return InternalError(f"Internal error occurred: {message}", details={"causes": [{"message": message}]})


def too_many_requests(message: str, retry_after: int) -> TooManyRequestsError:
    return TooManyRequestsError(message, details={"retryAfterSeconds": retry_after})


def timeout(message: str, retry_after: int = 0) -> GatewayTimeoutError:
    return GatewayTimeoutError(f"Timeout: {message}", details={"retryAfterSeconds": retry_after})


def entity_too_large(limit: int) -> RequestEntityTooLargeError:
    return RequestEntityTooLargeError(f"Request entity too large: limit is {limit}")


_BY_REASON: dict[str, type[StatusError]] = {
    cls.reason: cls
    for cls in (
        BadRequestError,
        UnauthorizedError,
        ForbiddenError,
        NotFoundError,
        MethodNotSupportedError,
        NotAcceptableError,
        AlreadyExistsError,
        ConflictError,
        GoneError,
        RequestEntityTooLargeError,
        UnsupportedMediaTypeError,
        InvalidError,
        TooManyRequestsError,
        InternalError,
        ServiceUnavailableError,
        GatewayTimeoutError,
    )
}
_BY_REASON["Expired"] = GoneError
_BY_CODE: dict[int, type[StatusError]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
    405: MethodNotSupportedError,
    406: NotAcceptableError,
    409: ConflictError,
    410: GoneError,
    413: RequestEntityTooLargeError,
    415: UnsupportedMediaTypeError,
    422: InvalidError,
    429: TooManyRequestsError,
    503: ServiceUnavailableError,
    504: GatewayTimeoutError,
}


def from_status(body: dict[str, Any], *, code: int = 0) -> StatusError:
    """The error class matching a Status body (by reason, then by HTTP code)."""
    reason = str(body.get("reason") or "")
    code = int(body.get("code") or code or 500)
    cls = _BY_REASON.get(reason) or _BY_CODE.get(code, StatusError)
    error = cls.__new__(cls)
    StatusError.__init__(
        error,
        str(body.get("message") or reason or f"status {code}"),
        details=body.get("details"),
        code=code,
        reason=reason or cls.reason,
    )
    if isinstance(error, InvalidError):
        error.errors = []
    return error


def is_not_found(err: BaseException) -> bool:
    return isinstance(err, NotFoundError)


def is_already_exists(err: BaseException) -> bool:
    return isinstance(err, AlreadyExistsError)


def is_conflict(err: BaseException) -> bool:
    return isinstance(err, ConflictError)


def is_gone(err: BaseException) -> bool:
    return isinstance(err, GoneError)


def is_invalid(err: BaseException) -> bool:
    return isinstance(err, InvalidError)
