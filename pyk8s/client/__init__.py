"""The async client every in-tree component uses: REST, kubeconfig, informers, leader
election, event recording. It reaches the cluster over HTTP only, so every component
built on it would also run against a real Kubernetes API server.

    client = Client.from_kubeconfig(path, component="controller-manager")
    pod = await client.get(PODS, "web-1", namespace="default")
"""

from pyk8s.client.errors import ClientError
from pyk8s.client.events import NORMAL, WARNING, EventBroadcaster, EventCorrelator, EventRecorder
from pyk8s.client.kubeconfig import (
    ClientConfig,
    ConfigError,
    in_cluster_config,
    load_kubeconfig,
    parse_kubeconfig,
)
from pyk8s.client.leaderelection import LeaderElectionConfig, LeaderElector
from pyk8s.client.resources import Resource
from pyk8s.client.rest import Client, PatchType
from pyk8s.client.watch import EventType, WatchEvent, WatchStream

__all__ = [
    "NORMAL",
    "WARNING",
    "Client",
    "ClientConfig",
    "ClientError",
    "ConfigError",
    "EventBroadcaster",
    "EventCorrelator",
    "EventRecorder",
    "EventType",
    "LeaderElectionConfig",
    "LeaderElector",
    "PatchType",
    "Resource",
    "WatchEvent",
    "WatchStream",
    "in_cluster_config",
    "load_kubeconfig",
    "parse_kubeconfig",
]
