"""The admissionregistration.k8s.io API group."""

from __future__ import annotations

from pyk8s.api.resource import ResourceStrategy


def strategies() -> list[ResourceStrategy]:
    """The group's served resources, in discovery order."""
    from pyk8s.kinds.admissionregistration.mutatingwebhookconfiguration import (
        MutatingWebhookConfigurationStrategy,
    )
    from pyk8s.kinds.admissionregistration.validatingwebhookconfiguration import (
        ValidatingWebhookConfigurationStrategy,
    )

    return [MutatingWebhookConfigurationStrategy(), ValidatingWebhookConfigurationStrategy()]
