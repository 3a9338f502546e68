"""Errors of the three patch formats, and the HTTP status kube-apiserver answers each with.

    PatchError             a patch that cannot be applied; `code` is the status kube-apiserver
    │                      sends (500 for strategic merge patch's untyped errors, see below)
    ├── MalformedPatchError    400 BadRequest: the body is not a patch document of its type
    └── PatchConflictError     422 Invalid: a well-formed patch that does not apply to the object

kube-apiserver's PATCH handler (`pkg/endpoints/handlers/patch.go`) maps them so:

- JSON patch: a body that does not decode as a list of operation objects is a 400 carrying
  the decoder's message; an operation that fails (a `test` that does not hold, a missing
  path, an unknown op) is a 422 built by `NewGenericServerResponse`, whose message is the
  generic "the server rejected our request due to an error in our request": the library's
  own text is not sent. More than 10000 operations is a 413.
- JSON merge patch: a patch that is not an object or an array is a 400 "Invalid JSON Patch".
- Strategic merge patch: a body that is not an object, and malformed directives
  (`$retainKeys`, `$deleteFromPrimitiveList/`, `$setElementOrder/` keys) are a 400; "lists
  of lists are not supported" is a 422 (with the generic message again); every other error
  of the library (a missing merge key, an unknown `$patch` value, mixed element types, an
  order list that does not match) reaches the client as a 500 whose reason is empty and
  whose message is the library's text.

`to_status_error` builds the `StatusError` the handler sends.
"""

from __future__ import annotations

from pyk8s.api.errors import BadRequestError, InvalidError, RequestEntityTooLargeError, StatusError

# The message NewGenericServerResponse puts in every 422 it builds.
GENERIC_INVALID_MESSAGE = "the server rejected our request due to an error in our request"


class PatchError(ValueError):
    """A patch that cannot be applied; `message` is the Go library's wording."""

    code = 500

    def __init__(self, message: str, *, code: int = 0) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class MalformedPatchError(PatchError):
    """The body is not a patch document of its type (400 BadRequest)."""

    code = 400


class PatchConflictError(PatchError):
    """A well-formed patch that does not apply to this object (422 Invalid)."""

    code = 422


def to_status_error(error: PatchError) -> StatusError:
    """The Status error kube-apiserver answers `error` with (see the module docstring)."""
    if error.code == 400:
        return BadRequestError(error.message)
    if error.code == 413:
        return RequestEntityTooLargeError(error.message)
    if error.code == 422:
        return InvalidError(GENERIC_INVALID_MESSAGE)  # the library's text is not sent
    status = StatusError(error.message, code=error.code)
    status.reason = ""  # metav1.StatusReasonUnknown: the error was not a Status
    return status
