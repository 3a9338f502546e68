"""SelfSubjectReview: "who am I?", answered with the requester's own user info.

A request-only kind: created, answered, never stored. It has nothing to validate.
"""

from __future__ import annotations

from pyk8s.api.resource import ResourceInfo, ResourceStrategy
from pyk8s.kinds.authentication import types
from pyk8s.kinds.authentication.tokenreview import GROUP

RESOURCE = ResourceInfo(
    group=GROUP,
    version="v1",
    kind="SelfSubjectReview",
    plural="selfsubjectreviews",
    singular="selfsubjectreview",
    namespaced=False,
    verbs=("create",),
)


class SelfSubjectReviewStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.SelfSubjectReview
    persisted = False
    has_status = False
