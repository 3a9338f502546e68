"""SelfSubjectAccessReview: "may I do this?" for the requester itself.

A request-only kind: created, answered, never stored.
"""

from __future__ import annotations

from pyk8s.api.fields import FieldErrors
from pyk8s.api.resource import Obj, RequestContext, ResourceInfo, ResourceStrategy
from pyk8s.kinds.authorization import types
from pyk8s.kinds.authorization.subjectaccessreview import (
    GROUP,
    validate_access_review_spec,
    validate_empty_metadata,
)

RESOURCE = ResourceInfo(
    group=GROUP,
    version="v1",
    kind="SelfSubjectAccessReview",
    plural="selfsubjectaccessreviews",
    singular="selfsubjectaccessreview",
    namespaced=False,
    verbs=("create",),
)


class SelfSubjectAccessReviewStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.SelfSubjectAccessReview
    persisted = False
    has_status = False

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        errs = validate_access_review_spec(obj.get("spec") or {}, needs_subject=False)
        return errs + validate_empty_metadata(obj)
