"""`ControllerContext`: what every controller is built from.

The manager makes one context per process and passes it to each controller factory. The
client, the shared informers and the event broadcaster are shared, so ten controllers
watching pods still open one watch, and all events go through one writer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pyk8s._aio.clock import Clock
from pyk8s.client.events import EventBroadcaster, EventRecorder
from pyk8s.client.informers import SharedInformerFactory
from pyk8s.client.rest import Client

DEFAULT_WORKERS = 5  # kube-controller-manager's --concurrent-*-syncs default


@dataclass(frozen=True)
class ControllerOptions:
    """Tunables shared by the controllers (kube-controller-manager's flags)."""

    workers: int = DEFAULT_WORKERS  # concurrent reconciles per controller
    workers_by_controller: Mapping[str, int] = field(default_factory=dict)  # overrides, by name
    burst_replicas: int = 500  # creations/deletions one reconcile may start (replica controllers)


@dataclass
class ControllerContext:
    """The client, shared informers, event broadcaster, clock and options for controllers."""

    client: Client
    informers: SharedInformerFactory
    events: EventBroadcaster
    clock: Clock
    options: ControllerOptions = field(default_factory=ControllerOptions)

    @classmethod
    def for_client(
        cls, client: Client, *, options: ControllerOptions | None = None, resync_period: float = 0.0
    ) -> ControllerContext:
        """A context with a fresh informer factory and event broadcaster on `client`."""
        return cls(
            client=client,
            informers=SharedInformerFactory(client, resync_period=resync_period),
            events=EventBroadcaster(client),
            clock=client.clock,
            options=options or ControllerOptions(),
        )

    def recorder(self, component: str) -> EventRecorder:
        """An event recorder reporting as `component` (e.g. `replicaset-controller`)."""
        return self.events.new_recorder(component)

    def workers(self, name: str) -> int:
        """How many concurrent reconciles the controller `name` runs."""
        return max(1, int(self.options.workers_by_controller.get(name, self.options.workers)))
