"""TokenReview: "who does this bearer token belong to?", answered by the API server.

A request-only kind: created, answered, never stored.
"""

from __future__ import annotations

from pyk8s.api.resource import Obj, RequestContext, ResourceInfo, ResourceStrategy
from pyk8s.kinds.authentication import types

GROUP = "authentication.k8s.io"

RESOURCE = ResourceInfo(
    group=GROUP,
    version="v1",
    kind="TokenReview",
    plural="tokenreviews",
    singular="tokenreview",
    namespaced=False,
    verbs=("create",),
)


class TokenReviewStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.TokenReview
    persisted = False
    has_status = False

    def bad_request(self, ctx: RequestContext, obj: Obj) -> str:
        """Kubernetes refuses a review without a token with 400 BadRequest, not 422."""
        if not (obj.get("spec") or {}).get("token"):
            return "token is required for TokenReview in authentication"
        return ""
