"""TokenReview and SelfSubjectReview: request-only kinds, and their checks."""

from __future__ import annotations

import pytest

from pyk8s.api.resource import RequestContext
from pyk8s.kinds.authentication import strategies
from pyk8s.kinds.authentication.selfsubjectreview import RESOURCE as SELF_SUBJECT_REVIEW
from pyk8s.kinds.authentication.tokenreview import RESOURCE as TOKEN_REVIEW
from pyk8s.kinds.authentication.tokenreview import TokenReviewStrategy

CTX = RequestContext(user="alice")


@pytest.mark.parametrize(
    ("info", "plural"),
    [
        pytest.param(TOKEN_REVIEW, "tokenreviews", id="tokenreview"),
        pytest.param(SELF_SUBJECT_REVIEW, "selfsubjectreviews", id="selfsubjectreview"),
    ],
)
def test_resource_info(info, plural: str) -> None:  # type: ignore[no-untyped-def]
    assert (info.group, info.plural, info.singular, info.namespaced, info.verbs) == (
        "authentication.k8s.io",
        plural,
        plural[:-1],
        False,
        ("create",),
    )


def test_request_only() -> None:
    assert all(not s.persisted for s in strategies())
    assert [s.info.kind for s in strategies()] == ["SelfSubjectReview", "TokenReview"]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        pytest.param({"token": "abc"}, "", id="token"),
        pytest.param(
            {"audiences": ["api"]}, "token is required for TokenReview in authentication", id="no-token"
        ),
        pytest.param(None, "token is required for TokenReview in authentication", id="no-spec"),
    ],
)
def test_token_is_required(spec: dict[str, object] | None, message: str) -> None:
    obj = {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview", "metadata": {}}
    if spec is not None:
        obj["spec"] = spec
    strategy = TokenReviewStrategy()
    assert strategy.bad_request(CTX, obj) == message
    assert strategy.validate(CTX, obj) == []
