"""Status errors carry Kubernetes' codes, reasons and wording, and round-trip through from_status."""

import pytest

from pyk8s.api import errors
from pyk8s.api.fields import invalid, required


def test_not_found_wording_and_details() -> None:
    err = errors.not_found("deployments", "web", group="apps")
    status = err.status()
    assert (status["code"], status["reason"]) == (404, "NotFound")
    assert status["message"] == 'deployments.apps "web" not found'
    assert status["details"] == {"name": "web", "group": "apps", "kind": "deployments"}


def test_invalid_aggregates_causes() -> None:
    err = errors.invalid("Pod", "p", [required("spec.containers"), invalid("metadata.name", "P", "bad name")])
    status = err.status()
    assert status["code"] == 422 and status["reason"] == "Invalid"
    assert (
        status["message"] == 'Pod "p" is invalid: [spec.containers: Required value, '
        'metadata.name: Invalid value: "P": bad name]'
    )
    assert status["details"]["causes"][1] == {
        "reason": "FieldValueInvalid",
        "message": 'Invalid value: "P": bad name',
        "field": "metadata.name",
    }


@pytest.mark.parametrize(
    ("error", "cls", "code"),
    [
        (errors.already_exists("pods", "a"), errors.AlreadyExistsError, 409),
        (errors.stale("pods", "a"), errors.ConflictError, 409),
        (errors.too_old_resource_version(5, 10), errors.GoneError, 410),
        (errors.too_many_requests("slow down", 3), errors.TooManyRequestsError, 429),
        (errors.timeout("Too large resource version", 1), errors.GatewayTimeoutError, 504),
        (errors.entity_too_large(3 * 1024 * 1024), errors.RequestEntityTooLargeError, 413),
        (errors.internal("boom"), errors.InternalError, 500),
        (errors.method_not_supported("pods", "create"), errors.MethodNotSupportedError, 405),
        (errors.forbidden("pods", "", "no"), errors.ForbiddenError, 403),
    ],
)
def test_from_status_rebuilds_the_class(error: errors.StatusError, cls: type, code: int) -> None:
    rebuilt = errors.from_status(error.status())
    assert isinstance(rebuilt, cls)
    assert rebuilt.code == code and str(rebuilt) == error.message


def test_expired_is_gone_with_reason_expired() -> None:
    status = errors.too_old_resource_version(5, 10).status()
    assert (status["reason"], status["message"]) == ("Expired", "too old resource version: 5 (10)")
    assert errors.is_gone(errors.from_status(status))
    assert errors.from_status(errors.too_many_requests("x", 7).status()).retry_after == 7
