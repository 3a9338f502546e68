"""SubjectAccessReview, SelfSubjectAccessReview, LocalSubjectAccessReview and
SelfSubjectRulesReview: request-only kinds, and their validation."""

from __future__ import annotations

from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.authorization import strategies
from pyk8s.kinds.authorization.localsubjectaccessreview import LocalSubjectAccessReviewStrategy
from pyk8s.kinds.authorization.selfsubjectaccessreview import SelfSubjectAccessReviewStrategy
from pyk8s.kinds.authorization.selfsubjectrulesreview import SelfSubjectRulesReviewStrategy
from pyk8s.kinds.authorization.subjectaccessreview import SubjectAccessReviewStrategy

CTX = RequestContext(user="alice")
LOCAL = RequestContext(namespace="team-a", user="alice")
SAR = SubjectAccessReviewStrategy()
SSAR = SelfSubjectAccessReviewStrategy()
LSAR = LocalSubjectAccessReviewStrategy()
SSRR = SelfSubjectRulesReviewStrategy()
R, INV, F = ErrorType.REQUIRED, ErrorType.INVALID, ErrorType.FORBIDDEN
POD_GET = {"namespace": "team-a", "verb": "get", "resource": "pods"}


def review(kind: str, metadata: dict[str, Any] | None = None, **spec: Any) -> dict[str, Any]:
    return {"apiVersion": "authorization.k8s.io/v1", "kind": kind, "metadata": metadata or {}, "spec": spec}


def problems(errs: list[Any]) -> list[tuple[ErrorType, str]]:
    return [(e.type, e.field) for e in errs]


def test_resource_info() -> None:
    infos = {s.info.kind: s.info for s in strategies()}
    assert sorted(infos) == [
        "LocalSubjectAccessReview",
        "SelfSubjectAccessReview",
        "SelfSubjectRulesReview",
        "SubjectAccessReview",
    ]
    for kind, info in infos.items():
        assert info.plural == kind.lower() + "s" and info.singular == kind.lower()
        assert info.verbs == ("create",) and info.namespaced == (kind == "LocalSubjectAccessReview")
    assert all(not s.persisted for s in strategies())


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        pytest.param(
            review("SubjectAccessReview", user="bob", resourceAttributes=POD_GET), [], id="resource"
        ),
        pytest.param(
            review(
                "SubjectAccessReview",
                groups=["devs"],
                nonResourceAttributes={"path": "/healthz", "verb": "get"},
            ),
            [],
            id="non-resource-for-a-group",
        ),
        pytest.param(
            review("SubjectAccessReview", resourceAttributes=POD_GET), [(INV, "spec.user")], id="no-subject"
        ),
        pytest.param(review("SubjectAccessReview", user="bob"), [(INV, "spec")], id="no-attributes"),
        pytest.param(
            review(
                "SubjectAccessReview",
                user="bob",
                resourceAttributes=POD_GET,
                nonResourceAttributes={"path": "/"},
            ),
            [(INV, "spec")],
            id="both-attributes",
        ),
        pytest.param(
            review("SubjectAccessReview", {"name": "x"}, user="bob", resourceAttributes=POD_GET),
            [(INV, "metadata")],
            id="metadata-not-empty",
        ),
        pytest.param(
            review(
                "SubjectAccessReview",
                user="bob",
                resourceAttributes={**POD_GET, "fieldSelector": {}},
            ),
            [(R, "spec.resourceAttributes.fieldSelector.requirements")],
            id="empty-field-selector",
        ),
        pytest.param(
            review(
                "SubjectAccessReview",
                user="bob",
                resourceAttributes={
                    **POD_GET,
                    "labelSelector": {
                        "rawSelector": "a=b",
                        "requirements": [{"key": "a", "operator": "Exists"}],
                    },
                },
            ),
            [(INV, "spec.resourceAttributes.labelSelector.rawSelector")],
            id="raw-and-requirements",
        ),
        pytest.param(
            review(
                "SubjectAccessReview",
                user="bob",
                resourceAttributes={
                    **POD_GET,
                    "labelSelector": {"requirements": [{"key": "a", "operator": "Tilde", "values": ["x"]}]},
                },
            ),
            [],
            id="unknown-operators-are-tolerated",
        ),
    ],
)
def test_subject_access_review(obj: dict[str, Any], expected: list[tuple[ErrorType, str]]) -> None:
    assert problems(SAR.validate(CTX, obj)) == expected


def test_wording() -> None:
    errs = SAR.validate(CTX, review("SubjectAccessReview"))
    assert [str(e) for e in errs] == [
        "spec: Invalid value: null: "
        "exactly one of nonResourceAttributes or resourceAttributes must be specified",
        'spec.user: Invalid value: "": at least one of user or group must be specified',
    ]


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        pytest.param(
            review("SelfSubjectAccessReview", resourceAttributes=POD_GET), [], id="no-subject-needed"
        ),
        pytest.param(review("SelfSubjectAccessReview"), [(INV, "spec")], id="no-attributes"),
        pytest.param(
            review("SelfSubjectAccessReview", {"labels": {"a": "b"}}, resourceAttributes=POD_GET),
            [(INV, "metadata")],
            id="metadata",
        ),
    ],
)
def test_self_subject_access_review(obj: dict[str, Any], expected: list[tuple[ErrorType, str]]) -> None:
    assert problems(SSAR.validate(CTX, obj)) == expected


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        pytest.param(
            review(
                "LocalSubjectAccessReview", {"namespace": "team-a"}, user="bob", resourceAttributes=POD_GET
            ),
            [],
            id="valid",
        ),
        pytest.param(
            review(
                "LocalSubjectAccessReview",
                {"namespace": "team-a"},
                user="bob",
                resourceAttributes={**POD_GET, "namespace": "b"},
            ),
            [(INV, "spec.resourceAttributes.namespace")],
            id="other-namespace",
        ),
        pytest.param(
            review(
                "LocalSubjectAccessReview",
                {"namespace": "team-a"},
                user="bob",
                nonResourceAttributes={"path": "/"},
            ),
            [(INV, "spec.nonResourceAttributes")],
            id="non-resource",
        ),
        pytest.param(
            review(
                "LocalSubjectAccessReview",
                {"namespace": "team-a", "name": "x"},
                user="bob",
                resourceAttributes=POD_GET,
            ),
            [(INV, "metadata")],
            id="metadata",
        ),
    ],
)
def test_local_subject_access_review(obj: dict[str, Any], expected: list[tuple[ErrorType, str]]) -> None:
    assert problems(LSAR.validate(LOCAL, obj)) == expected
    assert LSAR.bad_request(LOCAL, obj) == ""


def test_local_review_namespace_must_match_the_request() -> None:
    obj = review("LocalSubjectAccessReview", {"namespace": "team-b"}, user="bob", resourceAttributes=POD_GET)
    assert LSAR.bad_request(LOCAL, obj) == "spec.resourceAttributes.namespace must match namespace: team-a"


def test_self_subject_rules_review() -> None:
    assert SSRR.validate(CTX, review("SelfSubjectRulesReview", namespace="a")) == []
    assert SSRR.bad_request(CTX, review("SelfSubjectRulesReview", namespace="a")) == ""
    assert SSRR.bad_request(CTX, review("SelfSubjectRulesReview")) == "no namespace on request"
