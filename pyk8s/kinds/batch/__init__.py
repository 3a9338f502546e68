"""The batch API group."""

from __future__ import annotations

from pyk8s.api.resource import ResourceStrategy


def strategies() -> list[ResourceStrategy]:
    """The group's served resources, in discovery order."""
    from pyk8s.kinds.batch.cronjob import CronJobStrategy
    from pyk8s.kinds.batch.job import JobStrategy

    return [CronJobStrategy(), JobStrategy()]
