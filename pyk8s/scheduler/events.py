"""Cluster events: what changed, in the terms plugins register interest in.

A pod that a plugin rejected waits in the unschedulable queue until something happens that
could change that plugin's mind: NodeResourcesFit registers assigned-pod deletes and node
allocatable changes, TaintToleration node taint changes, and so on. The queue moves a pod
back only on an event one of its rejecting plugins registered (kube-scheduler's
EventsToRegister, without per-event queueing hints).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, NamedTuple

Obj = dict[str, Any]

NODE = "Node"
POD = "Pod"  # assigned pods (the unschedulable pod's own updates are handled apart)
PVC = "PersistentVolumeClaim"
PV = "PersistentVolume"
STORAGE_CLASS = "StorageClass"
NAMESPACE = "Namespace"
WILDCARD = "*"


class Action(enum.IntFlag):
    """What happened to the resource (framework.ActionType)."""

    ADD = enum.auto()
    DELETE = enum.auto()
    UPDATE_NODE_ALLOCATABLE = enum.auto()
    UPDATE_NODE_LABEL = enum.auto()
    UPDATE_NODE_TAINT = enum.auto()
    UPDATE_NODE_CONDITION = enum.auto()
    UPDATE_POD_LABEL = enum.auto()
    UPDATE_POD_SCALE_DOWN = enum.auto()
    UPDATE_OTHER = enum.auto()

    UPDATE = (
        UPDATE_NODE_ALLOCATABLE
        | UPDATE_NODE_LABEL
        | UPDATE_NODE_TAINT
        | UPDATE_NODE_CONDITION
        | UPDATE_POD_LABEL
        | UPDATE_POD_SCALE_DOWN
        | UPDATE_OTHER
    )
    ALL = ADD | DELETE | UPDATE


class ClusterEvent(NamedTuple):
    """A resource kind and the actions on it; as a registration, any of the actions."""

    resource: str
    action: Action
    label: str = ""

    def matches(self, registered: ClusterEvent) -> bool:
        """Whether this event is one `registered` asks for."""
        if registered.resource not in (self.resource, WILDCARD):
            return False
        return bool(self.action & registered.action)


# Events that move every unschedulable pod, whoever rejected it.
UNSCHEDULABLE_TIMEOUT = ClusterEvent(WILDCARD, Action.ALL, "UnschedulableTimeout")
FORCE_ACTIVATE = ClusterEvent(WILDCARD, Action.ALL, "ForceActivate")

NODE_ADD = ClusterEvent(NODE, Action.ADD, "NodeAdd")
NODE_DELETE = ClusterEvent(NODE, Action.DELETE, "NodeDelete")
ASSIGNED_POD_ADD = ClusterEvent(POD, Action.ADD, "AssignedPodAdd")
ASSIGNED_POD_DELETE = ClusterEvent(POD, Action.DELETE, "AssignedPodDelete")


def node_update_action(old: Obj, new: Obj) -> Action:
    """Which scheduling-relevant parts of a node changed (0 when none did)."""
    action = Action(0)
    old_status, new_status = old.get("status") or {}, new.get("status") or {}
    old_spec, new_spec = old.get("spec") or {}, new.get("spec") or {}
    if old_status.get("allocatable") != new_status.get("allocatable"):
        action |= Action.UPDATE_NODE_ALLOCATABLE
    if (old.get("metadata") or {}).get("labels") != (new.get("metadata") or {}).get("labels"):
        action |= Action.UPDATE_NODE_LABEL
    if old_spec.get("taints") != new_spec.get("taints") or bool(old_spec.get("unschedulable")) != bool(
        new_spec.get("unschedulable")
    ):
        action |= Action.UPDATE_NODE_TAINT
    if _condition_statuses(old_status) != _condition_statuses(new_status):
        action |= Action.UPDATE_NODE_CONDITION
    return action


def _condition_statuses(status: Mapping[str, Any]) -> dict[str, str]:
    return {c.get("type", ""): c.get("status", "") for c in status.get("conditions") or ()}


def pod_update_action(old: Obj, new: Obj) -> Action:
    """What changed in an assigned pod, as far as other pods' scheduling cares."""
    action = Action(0)
    if (old.get("metadata") or {}).get("labels") != (new.get("metadata") or {}).get("labels"):
        action |= Action.UPDATE_POD_LABEL
    if (old.get("spec") or {}).get("containers") != (new.get("spec") or {}).get("containers"):
        action |= Action.UPDATE_POD_SCALE_DOWN
    return action
