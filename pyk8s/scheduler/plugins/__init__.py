"""The in-tree plugins and the default profile (kube-scheduler's default plugin set).

Filters run in this order, so a node rejected by several plugins is reported under the
first: NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodePorts,
NodeResourcesFit, VolumeBinding, PodTopologySpread, InterPodAffinity. Default Score
weights: TaintToleration 3, NodeAffinity 2, PodTopologySpread 2, InterPodAffinity 2,
NodeResourcesFit 1, NodeResourcesBalancedAllocation 1, ImageLocality 1.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pyk8s.scheduler.plugins.balancedallocation import BalancedAllocation
from pyk8s.scheduler.plugins.defaultbinder import DefaultBinder
from pyk8s.scheduler.plugins.defaultpreemption import DefaultPreemption
from pyk8s.scheduler.plugins.imagelocality import ImageLocality
from pyk8s.scheduler.plugins.interpodaffinity import InterPodAffinity
from pyk8s.scheduler.plugins.nodeaffinity import NodeAffinity
from pyk8s.scheduler.plugins.nodename import NodeName
from pyk8s.scheduler.plugins.nodeports import NodePorts
from pyk8s.scheduler.plugins.noderesources import NodeResourcesFit
from pyk8s.scheduler.plugins.nodeunschedulable import NodeUnschedulable
from pyk8s.scheduler.plugins.podtopologyspread import PodTopologySpread
from pyk8s.scheduler.plugins.tainttoleration import TaintToleration
from pyk8s.scheduler.plugins.volumebinding import VolumeBinding

if TYPE_CHECKING:
    from pyk8s.scheduler.config import Profile
    from pyk8s.scheduler.framework import Framework

Factory = Callable[["Framework", "Profile"], Any]

# (name, factory, score weight), in the order plugins run.
DEFAULT_PLUGINS: tuple[tuple[str, Factory, int], ...] = (
    ("NodeUnschedulable", lambda fw, p: NodeUnschedulable(), 0),
    ("NodeName", lambda fw, p: NodeName(), 0),
    ("TaintToleration", lambda fw, p: TaintToleration(fw), 3),
    ("NodeAffinity", lambda fw, p: NodeAffinity(), 2),
    ("NodePorts", lambda fw, p: NodePorts(), 0),
    ("NodeResourcesFit", lambda fw, p: NodeResourcesFit(fw, strategy=p.scoring_strategy), 1),
    ("VolumeBinding", lambda fw, p: VolumeBinding(fw), 0),
    ("PodTopologySpread", lambda fw, p: PodTopologySpread(fw), 2),
    ("InterPodAffinity", lambda fw, p: InterPodAffinity(fw), 2),
    ("DefaultPreemption", lambda fw, p: DefaultPreemption(fw), 0),
    ("NodeResourcesBalancedAllocation", lambda fw, p: BalancedAllocation(fw), 1),
    ("ImageLocality", lambda fw, p: ImageLocality(fw), 1),
    ("DefaultBinder", lambda fw, p: DefaultBinder(fw), 0),
)


def install_default_plugins(fw: Framework, profile: Profile) -> None:
    """Add the default plugins (minus the profile's disabled ones) to `fw`."""
    for name, factory, weight in DEFAULT_PLUGINS:
        if name in profile.disabled_plugins:
            continue
        fw.add_plugin(factory(fw, profile), weight=profile.weights.get(name, weight))


__all__ = ["DEFAULT_PLUGINS", "install_default_plugins"]
