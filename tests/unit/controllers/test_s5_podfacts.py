"""Pod facts (read once per pod version) agree with the pod predicates, follow the informer's
cache, and give the ReplicaSet controller the same candidates and counts as walking the pods."""

from __future__ import annotations

import random
from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any

from pyk8s._aio.clock import FakeClock
from pyk8s.api.meta import rfc3339
from pyk8s.api.selectors import LabelSelector
from pyk8s.client.informers import DeletedFinalStateUnknown, SharedInformer
from pyk8s.controllers.replicaset import logic
from pyk8s.controllers.replicaset.controller import ReplicaSetReconciler
from pyk8s.controllers.replicaset.flavor import REPLICASET
from pyk8s.controllers.runtime.expectations import UIDTrackingControllerExpectations
from pyk8s.controllers.runtime.ownership import (
    ControllerRefManager,
    _Action,
    add_controller_uid_index,
    controlled_by,
    is_controlled_by,
)
from pyk8s.controllers.runtime.podfacts import PodFacts, PodFactsCache
from pyk8s.controllers.runtime.pods import (
    is_pod_active,
    is_pod_available,
    is_pod_ready,
    is_pod_terminating,
    pod_ready_time,
)
from pyk8s.controllers.runtime.workqueue import WorkQueue

NOW = 1_700_000_000.0
Obj = dict[str, Any]


def pod(
    name: str,
    *,
    rv: int = 1,
    owner: str | None = "rs-uid",
    labels: dict[str, str] | None = None,
    phase: str = "Running",
    ready: bool | None = True,
    ready_since: float = NOW - 5,
    deleting: bool = False,
) -> Obj:
    meta: Obj = {
        "name": name,
        "namespace": "ns",
        "uid": f"uid-{name}",
        "resourceVersion": str(rv),
        "labels": {"app": "web"} if labels is None else labels,
    }
    if owner is not None:
        meta["ownerReferences"] = [
            {"apiVersion": "v1", "kind": "Other", "name": "x", "uid": "not-controller"},
            {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs", "uid": owner, "controller": True},
        ]
    if deleting:
        meta["deletionTimestamp"] = rfc3339(NOW)
    status: Obj = {"phase": phase}
    if ready is not None:
        status["conditions"] = [
            {
                "type": "Ready",
                "status": "True" if ready else "False",
                "lastTransitionTime": rfc3339(ready_since),
            }
        ]
    return {"metadata": meta, "spec": {"nodeName": "n1"}, "status": status}


def random_pods(seed: int, count: int) -> list[Obj]:
    rng = random.Random(seed)
    pods = []
    for i in range(count):
        labels = rng.choice([{"app": "web"}, {"app": "web", "tier": "x"}, {"app": "db"}, {}])
        pods.append(
            pod(
                f"p{i}",
                owner=rng.choice(["rs-uid", "rs-uid", "other-uid", None]),
                labels=labels,
                phase=rng.choice(["Pending", "Running", "Running", "Succeeded", "Failed"]),
                ready=rng.choice([True, True, False, None]),
                ready_since=NOW - rng.choice([1, 5, 30, 120]),
                deleting=rng.random() < 0.2,
            )
        )
    return pods


def test_facts_agree_with_the_pod_predicates() -> None:
    selector = LabelSelector.parse("app=web")
    for p in random_pods(1, 200):
        f = PodFacts(p)
        assert f.active == is_pod_active(p)
        assert f.terminating == is_pod_terminating(p)
        assert f.ready == is_pod_ready(p)
        assert f.ready_time == (pod_ready_time(p) if is_pod_ready(p) else None)
        for min_ready in (0, 10, 60):
            assert f.available(min_ready, NOW) == is_pod_available(p, min_ready, NOW)
        assert f.matches(selector) == selector.matches(p["metadata"]["labels"])
        owner = {"metadata": {"uid": "rs-uid"}}
        assert (f.controller_uid == "rs-uid") == is_controlled_by(p, owner)


def test_matches_and_fully_labeled_follow_the_object_asked() -> None:
    cache = PodFactsCache()
    f = cache.facts(pod("a", labels={"app": "web"}))
    web, db = LabelSelector.parse("app=web"), LabelSelector.parse("app=db")
    assert f.matches(web) and not f.matches(db) and f.matches(web)
    assert f.matches(LabelSelector.parse("app=web"))  # an equal selector, another object
    assert cache.labels_key({"app": "web"}) is cache.labels_key({"app": "web"})
    assert f.fully_labeled(cache.labels_key({"app": "web"}))
    assert not f.fully_labeled(cache.labels_key({"app": "web", "tier": "x"}))
    assert f.fully_labeled(cache.labels_key({}))


def test_cache_reads_each_object_once_and_forgets_replaced_ones() -> None:
    informer = SharedInformer(SimpleNamespace(), name="pods")
    cache = PodFactsCache(informer)
    first = pod("a", rv=1, ready=False)
    informer.replace([first], "1")
    facts = cache.facts(first)
    assert cache.facts(first) is facts and not facts.ready
    second = pod("a", rv=2, ready=True)
    informer.add(second)  # an update: the old object's entry goes, the new one's comes
    assert len(cache) == 1
    assert cache.facts(second).ready
    assert [f.pod for f in cache.owned_by("rs-uid")] == [second]
    informer.delete(second)
    assert len(cache) == 0
    assert list(cache.owned_by("rs-uid")) == []
    cache.facts(pod("b"))  # an object that never reaches the informer
    cache.forget(pod("b"))  # an equal but other object: nothing dropped
    assert len(cache) == 1
    informer._dispatch_delete(DeletedFinalStateUnknown("ns/b", pod("b")))
    assert len(cache) == 1


def test_prune_drops_objects_a_relist_replaced() -> None:
    informer = SharedInformer(SimpleNamespace(), name="pods")
    cache = PodFactsCache(informer)
    for relist in range(6):
        # A relist with the same resourceVersions: new objects, no update events.
        objects = [pod(f"p{i}") for i in range(500)]
        informer.replace(objects, str(relist))
        for p in objects:
            cache.facts(p)
    assert len(cache) == 3000
    cache.prune()
    assert len(cache) == 500
    assert all(cache.facts(p).pod is p for p in objects)
    assert len(cache) == 500


def test_claim_decides_without_requests_when_nothing_is_adopted_or_released() -> None:
    owner = {"metadata": {"name": "rs", "namespace": "ns", "uid": "rs-uid"}}
    manager = ControllerRefManager(
        None,  # type: ignore[arg-type] # no request may be sent
        SimpleNamespace(kind="Pod"),  # type: ignore[arg-type]
        owner,
        LabelSelector.parse("app=web"),
        owner_api_version="apps/v1",
        owner_kind="ReplicaSet",
        recheck_owner=None,  # type: ignore[arg-type]
    )
    mine = pod("mine")
    assert manager._decide(mine) is _Action.KEEP
    assert manager._decide(pod("theirs", owner="other-uid")) is _Action.IGNORE
    assert manager._decide(pod("moved", labels={"app": "db"})) is _Action.RELEASE
    assert manager._decide(pod("orphan", owner=None)) is _Action.ADOPT
    assert manager._decide(pod("stray", owner=None, labels={"app": "db"})) is _Action.IGNORE
    assert manager._decide(pod("going", owner=None, deleting=True)) is _Action.IGNORE


async def test_claim_keeps_order_and_sends_nothing_for_kept_pods() -> None:
    owner = {"metadata": {"name": "rs", "namespace": "ns", "uid": "rs-uid"}}
    manager = ControllerRefManager(
        None,  # type: ignore[arg-type]
        SimpleNamespace(kind="Pod"),  # type: ignore[arg-type]
        owner,
        LabelSelector.parse("app=web"),
        owner_api_version="apps/v1",
        owner_kind="ReplicaSet",
        recheck_owner=None,  # type: ignore[arg-type]
    )
    pods = [pod("b"), pod("x", owner="other-uid"), pod("a")]
    assert await manager.claim(pods) == [pods[0], pods[2]]


def replica_set(replicas: int, *, min_ready: int = 0) -> Obj:
    return {
        "metadata": {"name": "rs", "namespace": "ns", "uid": "rs-uid", "generation": 3},
        "spec": {
            "replicas": replicas,
            "minReadySeconds": min_ready,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web", "tier": "x"}}},
        },
        "status": {},
    }


def names(pods: Iterable[Obj]) -> list[str]:
    return sorted(p["metadata"]["name"] for p in pods)


def reconciler(pods: list[Obj]) -> ReplicaSetReconciler:
    informer = SharedInformer(SimpleNamespace(), name="pods")
    owners = SharedInformer(SimpleNamespace(), name="replicasets")
    add_controller_uid_index(informer)
    add_controller_uid_index(owners)
    informer.replace(pods, "1")
    clock = FakeClock(start=NOW)
    return ReplicaSetReconciler(
        REPLICASET,
        client=SimpleNamespace(clock=clock),  # type: ignore[arg-type]
        owners=owners,
        pods=informer,
        recorder=None,  # type: ignore[arg-type]
        expectations=UIDTrackingControllerExpectations(clock=clock),
        burst_replicas=500,
        queue=WorkQueue(name="rs", clock=clock),
    )


def test_candidates_and_counts_equal_a_walk_over_the_pods() -> None:
    for seed in range(5):
        pods = random_pods(seed, 300)
        r = reconciler(pods)
        for min_ready in (0, 10):
            rs = replica_set(100, min_ready=min_ready)
            selector = r.selector(rs)
            # What the controller computed before pod facts: a walk over every candidate.
            candidates = controlled_by(r.pods, rs, orphans=True)
            active = [p for p in candidates if is_pod_active(p)]
            kept = [
                p for p in active if is_controlled_by(p, rs) and selector.matches(p["metadata"]["labels"])
            ]
            terminating = [
                p
                for p in candidates
                if is_pod_terminating(p)
                and is_controlled_by(p, rs)
                and selector.matches(p["metadata"]["labels"])
            ]
            owned, to_claim, counted_terminating = r._candidates(rs, selector)
            assert sorted(f.pod["metadata"]["name"] for f in owned) == sorted(
                p["metadata"]["name"] for p in kept
            )
            assert names(to_claim) == names(p for p in active if p not in kept)
            assert counted_terminating == len(terminating)
            expected = logic.calculate_status(rs, kept, terminating, manage_error=None, now=NOW)
            counts = r._count(rs, owned, NOW)
            got = logic.status_from_counts(rs, counts, counted_terminating, manage_error=None, now=NOW)
            assert got == expected


def test_pods_to_delete_equal_the_pure_decision() -> None:
    rng = random.Random(7)
    pods = []
    for i in range(400):
        p = pod(
            f"p{i:03d}",
            owner=rng.choice(["rs-uid", "rs-uid", "sibling-uid", None]),
            labels={"app": "web", "hash": rng.choice(["a", "b"])},
            phase=rng.choice(["Pending", "Running", "Running"]),
            ready=rng.choice([True, True, False]),
            ready_since=NOW - rng.choice([1, 5, 30, 120, 4000]),
            deleting=rng.random() < 0.1,
        )
        p["spec"]["nodeName"] = rng.choice(["", "n1", "n2", "n3", "n4"])
        p["metadata"]["creationTimestamp"] = rfc3339(NOW - rng.choice([10, 100, 1000]))
        pods.append(p)
    r = reconciler(pods)
    deployment_ref = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": "d",
        "uid": "d-uid",
        "controller": True,
    }
    owners = []
    for uid, name, hash_ in (("rs-uid", "rs", "a"), ("sibling-uid", "rs-old", "b")):
        owner = replica_set(10)
        owner["metadata"].update(name=name, uid=uid, ownerReferences=[deployment_ref])
        owner["spec"]["selector"] = {"matchLabels": {"app": "web", "hash": hash_}}
        owners.append(owner)
    r.owners.replace(owners, "1")
    rs = owners[0]
    active = [p for p in controlled_by(r.pods, rs) if is_pod_active(p)]
    related = [p for p in pods if any(r.selector(o).matches(p["metadata"]["labels"]) for o in owners)]
    for count in (1, 5, 17, len(active) - 1, len(active), len(active) + 3):
        expected = logic.pods_to_delete(active, related, count, now=NOW)
        assert r._pods_to_delete(rs, active, count) == expected


def test_owned_pods_follow_informer_events() -> None:
    rng = random.Random(11)
    pods = random_pods(3, 200)
    r = reconciler(pods)  # pods cached before the controller started: replayed as adds
    rs = replica_set(100)
    selector = r.selector(rs)

    def check() -> None:
        mine = [p for p in controlled_by(r.pods, rs) if selector.matches(p["metadata"]["labels"])]
        owned, _, terminating = r._candidates(rs, selector)
        assert names(f.pod for f in owned) == names(p for p in mine if is_pod_active(p))
        assert all(r.pods.indexer.get_object(f.pod) is f.pod for f in owned)
        assert terminating == len([p for p in mine if is_pod_terminating(p)])

    check()
    for step in range(300):
        name = f"p{rng.randrange(260)}"
        current = r.pods.indexer.get(f"ns/{name}")
        if current is not None and rng.random() < 0.25:
            r.pods.delete(current)
        else:
            replacement = random_pods(1000 + step, 1)[0]
            replacement["metadata"].update(name=name, uid=f"uid-{name}", resourceVersion=str(10 + step))
            r.pods.add(replacement)  # an add, or an update that may change owner and state
        if step % 50 == 49:
            # A relist that misses some deletes (tombstones) and keeps the rest.
            kept = [p for p in r.pods.indexer.list() if rng.random() < 0.9]
            r.pods.replace(kept, str(1000 + step))
        check()
