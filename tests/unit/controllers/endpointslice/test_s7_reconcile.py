"""`SliceWriter`, the slice bookkeeping both EndpointSlice controllers share: which informer
events wake a key, and that both controllers are built on it."""

from __future__ import annotations

from typing import Any, cast

from pyk8s.client.informers import DeletedFinalStateUnknown, SharedInformer
from pyk8s.client.rest import Client
from pyk8s.controllers.endpointslice.controller import EndpointSliceReconciler
from pyk8s.controllers.endpointslice.reconcile import SliceWriter, managed_by, service_key_of_slice
from pyk8s.controllers.endpointslice.slices import CONTROLLER_NAME
from pyk8s.controllers.endpointslicemirroring.controller import MirroringReconciler
from pyk8s.controllers.endpointslicemirroring.mirror import CONTROLLER_NAME as MIRRORING_NAME
from pyk8s.controllers.runtime.workqueue import WorkQueue

Obj = dict[str, Any]


def endpoint_slice(
    uid: str, generation: int = 1, *, manager: str = CONTROLLER_NAME, service: str = "web"
) -> Obj:
    return {
        "metadata": {
            "name": f"web-{uid}",
            "namespace": "ns",
            "uid": uid,
            "generation": generation,
            "labels": {
                "kubernetes.io/service-name": service,
                "endpointslice.kubernetes.io/managed-by": manager,
            },
        }
    }


def writer() -> SliceWriter:
    # the handler and the tracker touch neither the client nor the informer
    return SliceWriter(cast(Client, None), cast(SharedInformer, None), CONTROLLER_NAME)


def drained(queue: WorkQueue[str]) -> list[str]:
    keys = list(queue._queue)
    queue._queue.clear()
    queue._dirty.clear()
    return keys


def test_labels_name_the_service_and_manager() -> None:
    s = endpoint_slice("a")
    assert service_key_of_slice(s) == "ns/web"
    assert service_key_of_slice({"metadata": {"namespace": "ns"}}) is None
    assert managed_by(s, CONTROLLER_NAME) and not managed_by(s, MIRRORING_NAME)


def test_own_writes_are_not_news_but_foreign_changes_are() -> None:
    w = writer()
    queue: WorkQueue[str] = WorkQueue()
    handlers = w.handler(queue)
    ours = endpoint_slice("a", 2)
    w.tracker.update("ns/web", ours)
    handlers.add(ours, False)
    handlers.update(endpoint_slice("a", 1), ours)
    assert drained(queue) == []  # the echo of our own write
    handlers.update(ours, endpoint_slice("a", 3))
    assert drained(queue) == ["ns/web"]  # someone else bumped it
    handlers.add(endpoint_slice("b", 1, manager="someone-else"), False)
    assert drained(queue) == []  # not ours
    handlers.update(endpoint_slice("c", 1, manager="someone-else"), endpoint_slice("c", 1))
    assert drained(queue) == ["ns/web"]  # changed hands


def test_deletions_we_asked_for_are_quiet_others_wake_the_key() -> None:
    w = writer()
    queue: WorkQueue[str] = WorkQueue()
    handlers = w.handler(queue)
    expected, foreign, unknown = endpoint_slice("a"), endpoint_slice("b"), endpoint_slice("c")
    w.tracker.expect_deletion("ns/web", expected)
    w.tracker.update("ns/web", foreign)
    handlers.delete(expected)
    assert drained(queue) == []
    handlers.delete(DeletedFinalStateUnknown("ns/web-b", foreign))
    assert drained(queue) == ["ns/web"]
    handlers.delete(unknown)
    assert drained(queue) == ["ns/web"]
    handlers.delete(endpoint_slice("d", manager="someone-else"))
    assert drained(queue) == []


def test_both_controllers_share_the_writer() -> None:
    none = cast(Any, None)
    slices = cast(SharedInformer, object())
    eps = EndpointSliceReconciler(none, services=none, pods=none, slices=slices, nodes=none, recorder=none)
    mirroring = MirroringReconciler(none, endpoints=none, services=none, slices=slices, recorder=none)
    assert isinstance(eps.writer, SliceWriter) and isinstance(mirroring.writer, SliceWriter)
    assert (eps.writer.controller, mirroring.writer.controller) == (CONTROLLER_NAME, MIRRORING_NAME)
    assert eps.tracker is eps.writer.tracker and mirroring.tracker is mirroring.writer.tracker
