"""PodTopologySpread's per-node count of matching pods is remembered until the node's pods
change, and a clone (preemption's what-if) never shares it."""

from __future__ import annotations

from pyk8s.scheduler.plugins.podtopologyspread import count_matching

from .conftest import node, pod

SPREAD = {
    "topologySpreadConstraints": [
        {
            "maxSkew": 1,
            "topologyKey": "kubernetes.io/hostname",
            "whenUnsatisfiable": "ScheduleAnyway",
            "labelSelector": {"matchLabels": {"app": "web"}},
        }
    ]
}


def test_counts_follow_added_and_removed_pods() -> None:
    [constraint] = pod("incoming", labels={"app": "web"}, **SPREAD).spread_constraints
    here = node("n1", pod("w1", labels={"app": "web"}), pod("db", labels={"app": "db"}))
    assert count_matching(constraint, "default", here) == 1
    assert count_matching(constraint, "default", here) == 1  # remembered
    assert count_matching(constraint, "other", here) == 0  # another namespace, another key
    here.add_pod(pod("w2", labels={"app": "web"}).assumed_on("n1"))
    assert count_matching(constraint, "default", here) == 2
    here.remove_pod(pod("w1").key)
    assert count_matching(constraint, "default", here) == 1
    # a pod becoming terminating is an update: it no longer counts
    leaving = pod("w2", labels={"app": "web"}).assumed_on("n1")
    leaving.deleting = True
    here.add_pod(leaving)
    assert count_matching(constraint, "default", here) == 0


def test_a_clone_counts_on_its_own() -> None:
    [constraint] = pod("incoming", labels={"app": "web"}, **SPREAD).spread_constraints
    here = node("n1", pod("w1", labels={"app": "web"}), pod("w2", labels={"app": "web"}))
    assert count_matching(constraint, "default", here) == 2
    twin = here.clone()
    twin.remove_pod(pod("w1").key)
    assert count_matching(constraint, "default", twin) == 1
    assert count_matching(constraint, "default", here) == 2


def test_default_constraints_carry_a_key() -> None:
    owned = pod(
        "web-1",
        labels={"app": "web", "pod-template-hash": "abc"},
    )
    for c in pod("x", labels={"app": "web"}, **SPREAD).spread_constraints + owned.spread_constraints:
        assert c.selector_key == str(c.selector)
