"""Plugin results and the scheduler's failure messages, in the scheduling framework's terms.

A plugin answers with a `Status` (or None for success, the common case, so the hot loops
allocate nothing). The code decides what the framework does next:

    SUCCESS                         go on
    UNSCHEDULABLE                   this node does not fit now; preemption may make it fit
    UNSCHEDULABLE_AND_UNRESOLVABLE  this node cannot fit whatever is preempted
    SKIP                            (PreFilter/PreScore) this plugin has nothing to say for the pod
    ERROR                           something broke; the pod is retried after a backoff

`FitError` formats "0/3 nodes are available: ..." exactly as kube-scheduler does: one
histogram of the reasons every node was rejected for, each entry "<count> <reason>",
sorted as strings and joined with ", ", then what preemption had to say.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

NO_NODE_AVAILABLE = "0/{} nodes are available"
NO_NODES_AVAILABLE_MESSAGE = "no nodes available to schedule pods"


class Code(enum.IntEnum):
    """What a plugin's answer means for the pod (framework.Code)."""

    SUCCESS = 0
    ERROR = 1
    UNSCHEDULABLE = 2
    UNSCHEDULABLE_AND_UNRESOLVABLE = 3
    WAIT = 4
    SKIP = 5
    PENDING = 6


class Status:
    """A plugin's non-success answer: a code, the reasons (shown to users) and the plugin."""

    __slots__ = ("code", "plugin", "reasons")

    def __init__(self, code: Code, *reasons: str, plugin: str = "") -> None:
        self.code = code
        self.reasons = reasons
        self.plugin = plugin

    @property
    def message(self) -> str:
        return ", ".join(self.reasons)

    def is_success(self) -> bool:
        return self.code is Code.SUCCESS

    def is_skip(self) -> bool:
        return self.code is Code.SKIP

    def is_rejected(self) -> bool:
        """The pod does not fit (as opposed to an error)."""
        return self.code in (Code.UNSCHEDULABLE, Code.UNSCHEDULABLE_AND_UNRESOLVABLE, Code.PENDING)

    def with_plugin(self, plugin: str) -> Status:
        if not self.plugin:
            self.plugin = plugin
        return self

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Status)
            and self.code == other.code
            and self.reasons == other.reasons
            and self.plugin == other.plugin
        )

    def __hash__(self) -> int:
        return hash((self.code, self.reasons, self.plugin))

    def __repr__(self) -> str:
        plugin = f" from {self.plugin}" if self.plugin else ""
        return f"Status({self.code.name}{plugin}: {self.message!r})"


def unschedulable(*reasons: str) -> Status:
    return Status(Code.UNSCHEDULABLE, *reasons)


def unresolvable(*reasons: str) -> Status:
    return Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, *reasons)


def error(message: str) -> Status:
    return Status(Code.ERROR, message)


SKIP = Status(Code.SKIP)


@dataclass
class Diagnosis:
    """Why a pod fits nowhere: the status of every rejected node, and who rejected it."""

    node_to_status: dict[str, Status] = field(default_factory=dict)
    # A status for every node not listed (a PreFilter rejection covers them all).
    absent_nodes_status: Status | None = None
    unschedulable_plugins: set[str] = field(default_factory=set)
    pre_filter_msg: str = ""
    post_filter_msg: str = ""

    def status_of(self, node: str) -> Status | None:
        return self.node_to_status.get(node, self.absent_nodes_status)


class NoNodesAvailableError(Exception):
    """The cluster has no nodes at all."""

    def __init__(self) -> None:
        super().__init__(NO_NODES_AVAILABLE_MESSAGE)


class FitError(Exception):
    """No node fits the pod; `str()` is the message users see in the event and condition."""

    def __init__(self, pod_key: str, num_all_nodes: int, diagnosis: Diagnosis) -> None:
        self.pod_key = pod_key
        self.num_all_nodes = num_all_nodes
        self.diagnosis = diagnosis
        super().__init__(pod_key)

    def __str__(self) -> str:
        return fit_error_message(
            self.num_all_nodes,
            self.diagnosis.node_to_status,
            absent_nodes=self.num_all_nodes - len(self.diagnosis.node_to_status),
            absent_status=self.diagnosis.absent_nodes_status,
            pre_filter_msg=self.diagnosis.pre_filter_msg,
            post_filter_msg=self.diagnosis.post_filter_msg,
        )


def reasons_histogram(
    statuses: Iterable[Status], *, absent: int = 0, absent_status: Status | None = None
) -> str:
    """ "1 node(s) ..., 2 Insufficient cpu": each reason with how many nodes gave it, sorted as
    strings (so "10 ..." sorts before "2 ...", as in kube-scheduler)."""
    counts: Counter[str] = Counter()
    for status in statuses:
        counts.update(status.reasons)
    if absent > 0 and absent_status is not None:
        for reason in absent_status.reasons:
            counts[reason] += absent
    return ", ".join(sorted(f"{n} {reason}" for reason, n in counts.items()))


def fit_error_message(
    num_all_nodes: int,
    node_to_status: Mapping[str, Status],
    *,
    absent_nodes: int = 0,
    absent_status: Status | None = None,
    pre_filter_msg: str = "",
    post_filter_msg: str = "",
) -> str:
    """The "0/N nodes are available: ..." message of a FitError."""
    message = NO_NODE_AVAILABLE.format(num_all_nodes) + ":"
    if pre_filter_msg:
        # Every node carries the PreFilter rejection: say it once instead of per node.
        message += f" {pre_filter_msg}."
    else:
        histogram = reasons_histogram(
            node_to_status.values(), absent=absent_nodes, absent_status=absent_status
        )
        message += f" {histogram}."
    if post_filter_msg:
        message += " " + post_filter_msg
    return message
