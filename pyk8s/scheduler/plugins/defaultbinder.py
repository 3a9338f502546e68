"""DefaultBinder: bind the pod with a `pods/binding` create (the API server sets
`spec.nodeName` and the PodScheduled condition in one write)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pyk8s.api.errors import StatusError
from pyk8s.client.errors import ClientError
from pyk8s.scheduler.framework import CycleState
from pyk8s.scheduler.podinfo import PodInfo
from pyk8s.scheduler.status import Code, Status

if TYPE_CHECKING:
    from pyk8s.scheduler.framework import Framework

NAME = "DefaultBinder"


class DefaultBinder:
    name = NAME

    def __init__(self, fw: Framework) -> None:
        self.fw = fw

    async def bind(self, state: CycleState, pod: PodInfo, node_name: str) -> Status | None:
        client = self.fw.client
        if client is None:
            return Status(Code.ERROR, "no API client to bind with", plugin=NAME)
        try:
            # The uid makes the binding fail (409) if the pod was replaced by a namesake.
            await client.bind(pod.namespace, pod.name, node_name, uid=pod.uid or None)
        except (StatusError, ClientError) as err:
            return Status(Code.ERROR, str(err), plugin=NAME)
        return None
