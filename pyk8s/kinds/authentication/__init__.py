"""The authentication.k8s.io API group (request-only reviews)."""

from __future__ import annotations

from pyk8s.api.resource import ResourceStrategy


def strategies() -> list[ResourceStrategy]:
    """The group's served resources, in discovery order."""
    from pyk8s.kinds.authentication.selfsubjectreview import SelfSubjectReviewStrategy
    from pyk8s.kinds.authentication.tokenreview import TokenReviewStrategy

    return [SelfSubjectReviewStrategy(), TokenReviewStrategy()]
