"""SubjectAccessReview: "may this user do this?", answered by the authorizer.

A request-only kind: created, answered, never stored. The rules shared by the other
access reviews live here too.
"""

from __future__ import annotations

from typing import Any

from pyk8s.api.fields import FieldErrors, FieldPath, invalid, required
from pyk8s.api.resource import Obj, RequestContext, ResourceInfo, ResourceStrategy
from pyk8s.api.validation import validate_field_selector_requirement, validate_label_selector_requirement
from pyk8s.kinds.authorization import types

GROUP = "authorization.k8s.io"

RESOURCE = ResourceInfo(
    group=GROUP,
    version="v1",
    kind="SubjectAccessReview",
    plural="subjectaccessreviews",
    singular="subjectaccessreview",
    namespaced=False,
    verbs=("create",),
)

EXACTLY_ONE = "exactly one of nonResourceAttributes or resourceAttributes must be specified"


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _validate_selector(selector: dict[str, Any] | None, path: FieldPath, *, labels: bool) -> FieldErrors:
    if selector is None:
        return []
    errs: FieldErrors = []
    raw, requirements = selector.get("rawSelector", ""), selector.get("requirements") or []
    if raw and requirements:
        errs.append(
            invalid(path.child("rawSelector"), raw, "may not specified at the same time as requirements")
        )
    if not raw and not requirements:
        errs.append(
            required(
                path.child("requirements"),
                f"when {path} is specified, requirements or rawSelector is required",
            )
        )
    for i, requirement in enumerate(requirements):
        rpath = path.child("requirements").index(i)
        if labels:
            errs += validate_label_selector_requirement(requirement, rpath, allow_unknown_operator=True)
        else:
            errs += validate_field_selector_requirement(requirement, rpath)
    return errs


def validate_resource_attributes(attributes: dict[str, Any] | None) -> FieldErrors:
    if attributes is None:
        return []
    path = FieldPath("spec", "resourceAttributes")
    errs = _validate_selector(attributes.get("fieldSelector"), path.child("fieldSelector"), labels=False)
    errs += _validate_selector(attributes.get("labelSelector"), path.child("labelSelector"), labels=True)
    return errs


def validate_access_review_spec(spec: dict[str, Any], *, needs_subject: bool) -> FieldErrors:
    """One of resourceAttributes/nonResourceAttributes; a user or groups when `needs_subject`."""
    path = FieldPath("spec")
    errs: FieldErrors = []
    has_resource = spec.get("resourceAttributes") is not None
    has_non_resource = spec.get("nonResourceAttributes") is not None
    if has_resource == has_non_resource:
        errs.append(invalid(path, spec.get("nonResourceAttributes"), EXACTLY_ONE))
    if needs_subject and not spec.get("user") and not spec.get("groups"):
        errs.append(
            invalid(
                path.child("user"), spec.get("user", ""), "at least one of user or group must be specified"
            )
        )
    errs += validate_resource_attributes(spec.get("resourceAttributes"))
    return errs


def validate_empty_metadata(obj: Obj, *, keep: tuple[str, ...] = ()) -> FieldErrors:
    """Reviews carry no metadata (managedFields, and `keep`, aside)."""
    meta = _dict(obj.get("metadata"))
    rest = {
        k: v
        for k, v in meta.items()
        if k != "managedFields" and k not in keep and v not in (None, "", {}, [])
    }
    if not rest:
        return []
    detail = "must be empty except for namespace" if "namespace" in keep else "must be empty"
    return [invalid("metadata", meta, detail)]


class SubjectAccessReviewStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.SubjectAccessReview
    persisted = False
    has_status = False

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        errs = validate_access_review_spec(_dict(obj.get("spec")), needs_subject=True)
        return errs + validate_empty_metadata(obj)
