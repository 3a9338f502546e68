"""The authorization.k8s.io API group (request-only reviews)."""

from __future__ import annotations

from pyk8s.api.resource import ResourceStrategy


def strategies() -> list[ResourceStrategy]:
    """The group's served resources, in discovery order."""
    from pyk8s.kinds.authorization.localsubjectaccessreview import LocalSubjectAccessReviewStrategy
    from pyk8s.kinds.authorization.selfsubjectaccessreview import SelfSubjectAccessReviewStrategy
    from pyk8s.kinds.authorization.selfsubjectrulesreview import SelfSubjectRulesReviewStrategy
    from pyk8s.kinds.authorization.subjectaccessreview import SubjectAccessReviewStrategy

    return [
        LocalSubjectAccessReviewStrategy(),
        SelfSubjectAccessReviewStrategy(),
        SelfSubjectRulesReviewStrategy(),
        SubjectAccessReviewStrategy(),
    ]
