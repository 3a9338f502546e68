"""MutatingWebhookConfiguration: webhooks that may change an object before it is admitted."""

from __future__ import annotations

from typing import Any

from pyk8s.api.fields import FieldErrors
from pyk8s.api.resource import Obj, RequestContext, ResourceInfo, ResourceStrategy
from pyk8s.kinds.admissionregistration import types
from pyk8s.kinds.admissionregistration.validatingwebhookconfiguration import (
    GROUP,
    WEBHOOK_COLUMNS,
    create_options,
    default_webhook,
    update_options,
    validate_configuration,
    webhook_row,
)

RESOURCE = ResourceInfo(
    group=GROUP,
    version="v1",
    kind="MutatingWebhookConfiguration",
    plural="mutatingwebhookconfigurations",
    singular="mutatingwebhookconfiguration",
    namespaced=False,
    categories=("api-extensions",),
)


class MutatingWebhookConfigurationStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.MutatingWebhookConfiguration
    has_status = False
    tracks_generation = True
    columns = WEBHOOK_COLUMNS

    def default(self, obj: Obj) -> None:
        for hook in obj.get("webhooks") or []:
            default_webhook(hook, mutating=True)

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        return validate_configuration(obj, create_options(), mutating=True)

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        return validate_configuration(obj, update_options(obj, old), mutating=True)

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        return webhook_row(obj, now)
