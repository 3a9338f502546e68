"""PodTemplate: a named pod template, for controllers and tools to instantiate."""

from __future__ import annotations

from typing import Any

from pyk8s.api.fields import FieldErrors, FieldPath
from pyk8s.api.resource import NAME, Column, Obj, RequestContext, ResourceInfo, ResourceStrategy
from pyk8s.api.selectors import format_labels
from pyk8s.kinds.core import types
from pyk8s.kinds.core.pod import pod_spec_warnings
from pyk8s.kinds.core.podspec import default_pod_spec, validate_pod_template_spec

RESOURCE = ResourceInfo(
    group="", version="v1", kind="PodTemplate", plural="podtemplates", singular="podtemplate"
)


class PodTemplateStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.PodTemplate
    has_status = False
    tracks_generation = True
    columns = (
        NAME,
        Column("Containers", description="Names of the template's containers."),
        Column("Images", description="Images of the template's containers."),
        Column("Pod Labels", description="The labels pods made from the template get."),
    )

    def default(self, obj: Obj) -> None:
        template = obj.get("template")
        if isinstance(template, dict) and isinstance(template.get("spec"), dict):
            default_pod_spec(template["spec"])

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        return validate_pod_template_spec(obj.get("template") or {}, FieldPath("template"))

    def warnings_on_create(self, ctx: RequestContext, obj: Obj) -> list[str]:
        return pod_spec_warnings((obj.get("template") or {}).get("spec") or {}, FieldPath("template", "spec"))

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        template = obj.get("template") or {}
        containers = (template.get("spec") or {}).get("containers") or []
        return [
            (obj.get("metadata") or {}).get("name", ""),
            ",".join(str(c.get("name", "")) for c in containers),
            ",".join(str(c.get("image", "")) for c in containers),
            format_labels((template.get("metadata") or {}).get("labels")),
        ]
