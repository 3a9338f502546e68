"""SelfSubjectRulesReview: "what may I do in this namespace?".

A request-only kind: created, answered, never stored. Kubernetes has no field validation
for it; a missing namespace is a 400 from its handler.
"""

from __future__ import annotations

from pyk8s.api.resource import Obj, RequestContext, ResourceInfo, ResourceStrategy
from pyk8s.kinds.authorization import types
from pyk8s.kinds.authorization.subjectaccessreview import GROUP

RESOURCE = ResourceInfo(
    group=GROUP,
    version="v1",
    kind="SelfSubjectRulesReview",
    plural="selfsubjectrulesreviews",
    singular="selfsubjectrulesreview",
    namespaced=False,
    verbs=("create",),
)


class SelfSubjectRulesReviewStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.SelfSubjectRulesReview
    persisted = False
    has_status = False

    def bad_request(self, ctx: RequestContext, obj: Obj) -> str:
        if not (obj.get("spec") or {}).get("namespace"):
            return "no namespace on request"
        return ""
