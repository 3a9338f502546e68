"""Binding: a request to assign a pod to a node (POST .../bindings or pods/NAME/binding).
It is answered by the API server and never stored."""

from __future__ import annotations

from pyk8s.api.fields import FieldErrors, FieldPath, not_supported, required
from pyk8s.api.resource import Obj, RequestContext, ResourceInfo, ResourceStrategy
from pyk8s.kinds.core import types

RESOURCE = ResourceInfo(
    group="", version="v1", kind="Binding", plural="bindings", singular="binding", verbs=("create",)
)


class BindingStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.Binding
    has_status = False
    persisted = False

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        return validate_binding(obj)


def validate_binding(obj: Obj) -> FieldErrors:
    """ValidatePodBinding: the target is a node, by name."""
    target = obj.get("target") or {}
    path = FieldPath("target")
    errs: FieldErrors = []
    kind = target.get("kind", "")
    if kind and kind != "Node":
        errs.append(not_supported(path.child("kind"), kind, ["Node", "<empty>"]))
    if not target.get("name"):
        errs.append(required(path.child("name")))
    return errs
