"""The garbage collector: owner references, cascading deletion (Background, Foreground,
Orphan) and dangling owners.

`graph.py` keeps the ownership graph from watch events and says which objects to look at;
`decisions.py` decides, from live reads, what to do with one object; `collector.py` runs
the monitors and workers; `discovery.py` finds the resources to watch.
"""

from pyk8s.controllers.garbagecollector.collector import GarbageCollector, new_garbage_collector
from pyk8s.controllers.runtime.registry import ControllerDescriptor

GARBAGECOLLECTOR_CONTROLLER = ControllerDescriptor(
    "garbagecollector",
    new_garbage_collector,
    aliases=("garbage-collector-controller",),
    description="deletes objects whose owners are gone; carries out Foreground and Orphan deletion",
)

__all__ = ["GARBAGECOLLECTOR_CONTROLLER", "GarbageCollector", "new_garbage_collector"]
