"""LocalSubjectAccessReview: a SubjectAccessReview about one namespace, posted in it.

A request-only kind: created, answered, never stored.
"""

from __future__ import annotations

from pyk8s.api.fields import FieldErrors, invalid
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
    kind="LocalSubjectAccessReview",
    plural="localsubjectaccessreviews",
    singular="localsubjectaccessreview",
    namespaced=True,
    verbs=("create",),
)


class LocalSubjectAccessReviewStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.LocalSubjectAccessReview
    persisted = False
    has_status = False

    def bad_request(self, ctx: RequestContext, obj: Obj) -> str:
        """Kubernetes answers these with 400 BadRequest before validating."""
        if not ctx.namespace:
            return "namespace is required on this type: "
        if (obj.get("metadata") or {}).get("namespace", "") != ctx.namespace:
            return f"spec.resourceAttributes.namespace must match namespace: {ctx.namespace}"
        return ""

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        spec = obj.get("spec") or {}
        errs = validate_access_review_spec(spec, needs_subject=True)
        errs += validate_empty_metadata(obj, keep=("namespace",))
        attributes = spec.get("resourceAttributes")
        namespace = (obj.get("metadata") or {}).get("namespace", "")
        if attributes is not None and attributes.get("namespace", "") != namespace:
            errs.append(
                invalid(
                    "spec.resourceAttributes.namespace",
                    attributes.get("namespace", ""),
                    "must match metadata.namespace",
                )
            )
        if spec.get("nonResourceAttributes") is not None:
            errs.append(
                invalid(
                    "spec.nonResourceAttributes",
                    spec["nonResourceAttributes"],
                    "disallowed on this kind of request",
                )
            )
        return errs
