"""A DaemonSet sync's decisions: manage, rolling update (unavailable and surge), status."""

from __future__ import annotations

from typing import Any

from pyk8s.controllers.daemonset import plan
from pyk8s.controllers.daemonset.placement import pin_to_node

NOW = 1_800_000_000.0
HASH = "new"


def node(name: str, labels: dict[str, str] | None = None, taints: list[dict] | None = None) -> dict:
    return {"metadata": {"name": name, "labels": labels or {}}, "spec": {"taints": taints or []}}


def ds(*, surge: Any = 0, unavailable: Any = 1, strategy: str = "RollingUpdate", **pod_spec: Any) -> dict:
    update: dict[str, Any] = {"type": strategy}
    if strategy == "RollingUpdate":
        update["rollingUpdate"] = {"maxSurge": surge, "maxUnavailable": unavailable}
    return {
        "metadata": {
            "name": "agent",
            "namespace": "ns",
            "uid": "ds-uid",
            "annotations": {plan.TEMPLATE_GENERATION_ANNOTATION: "2"},
        },
        "spec": {
            "selector": {"matchLabels": {"app": "agent"}},
            "updateStrategy": update,
            "template": {"metadata": {"labels": {"app": "agent"}}, "spec": {"containers": [], **pod_spec}},
        },
    }


def pod(
    name: str,
    node_name: str,
    *,
    hash_: str = HASH,
    ready: bool = True,
    phase: str = "Running",
    bound: bool = True,
    created: str = "2026-01-01T00:00:00Z",
    deleting: bool = False,
) -> dict:
    meta: dict[str, Any] = {
        "name": name,
        "namespace": "ns",
        "creationTimestamp": created,
        "labels": {"app": "agent", "controller-revision-hash": hash_},
    }
    if deleting:
        meta["deletionTimestamp"] = "2026-01-01T00:00:01Z"
    spec: dict[str, Any] = {"affinity": pin_to_node(None, node_name)}
    if bound:
        spec["nodeName"] = node_name
    status: dict[str, Any] = {"phase": phase}
    if ready:
        status["conditions"] = [
            {"type": "Ready", "status": "True", "lastTransitionTime": "2026-01-01T00:00:00Z"}
        ]
    return {"metadata": meta, "spec": spec, "status": status}


def grouped(*pods: dict) -> dict[str, list[dict]]:
    return plan.pods_by_node(pods)


def test_manage_creates_on_eligible_nodes_and_deletes_elsewhere() -> None:
    daemon = ds(nodeSelector={"role": "worker"})
    nodes = [node("a", {"role": "worker"}), node("b", {"role": "worker"}), node("c")]
    result = plan.manage(daemon, nodes, grouped(pod("p-a", "a"), pod("p-c", "c")), HASH, now=NOW)
    assert result.nodes_needing_pods == ["b"]
    assert result.pods_to_delete == ["p-c"]


def test_manage_replaces_finished_pods_and_backs_off_failing_nodes() -> None:
    nodes = [node("a"), node("b"), node("c")]
    pods = grouped(
        pod("failed", "a", phase="Failed"),
        pod("done", "b", phase="Succeeded"),
        pod("bad", "c", phase="Failed"),
    )
    result = plan.manage(ds(), nodes, pods, HASH, now=NOW, in_backoff={"c"})
    assert result.pods_to_delete == ["failed", "done"]
    assert [(p["metadata"]["name"], n) for p, n in result.failed_pods] == [("failed", "a")]
    assert result.backoff_nodes == ["c"]


def test_manage_keeps_the_oldest_of_several_pods() -> None:
    pods = grouped(
        pod("young", "a", created="2026-01-02T00:00:00Z"),
        pod("old", "a", created="2026-01-01T00:00:00Z"),
        pod("unbound", "a", bound=False, created="2025-01-01T00:00:00Z"),
    )
    result = plan.manage(ds(), [node("a")], pods, HASH, now=NOW)
    assert result.pods_to_delete == ["young", "unbound"]  # bound pods rank first, then by age


def test_manage_deletes_unbound_pods_of_vanished_nodes() -> None:
    pods = grouped(pod("gone-unbound", "gone", bound=False), pod("gone-bound", "gone"))
    result = plan.manage(ds(), [node("a")], pods, HASH, now=NOW)
    assert result.nodes_needing_pods == ["a"]
    assert result.pods_to_delete == ["gone-unbound"]


def test_manage_with_surge_keeps_old_pod_until_new_one_is_available() -> None:
    daemon = ds(surge=1, unavailable=0)
    waiting = grouped(
        pod("old", "a", hash_="old"), pod("new", "a", ready=False, created="2026-01-02T00:00:00Z")
    )
    assert plan.manage(daemon, [node("a")], waiting, HASH, now=NOW).pods_to_delete == []
    done = grouped(pod("old", "a", hash_="old"), pod("new", "a", created="2026-01-02T00:00:00Z"))
    assert plan.manage(daemon, [node("a")], done, HASH, now=NOW).pods_to_delete == ["old"]


def test_rolling_update_replaces_within_max_unavailable() -> None:
    nodes = [node(n) for n in "abcd"]
    pods = grouped(*(pod(f"p-{n}", n, hash_="old") for n in "abcd"))
    result = plan.rolling_update(ds(unavailable=2), nodes, pods, HASH, now=NOW)
    assert result.pods_to_delete == ["p-a", "p-b"]
    assert result.nodes_needing_pods == []


def test_rolling_update_counts_unavailable_new_pods_and_missing_nodes() -> None:
    nodes = [node(n) for n in "abc"]
    pods = grouped(pod("new-a", "a", ready=False), pod("old-b", "b", hash_="old"))
    # node c has no pod (manage is creating it): two unavailable already
    assert plan.rolling_update(ds(unavailable=2), nodes, pods, HASH, now=NOW).pods_to_delete == []


def test_rolling_update_replaces_unavailable_old_pods_regardless() -> None:
    nodes = [node(n) for n in "ab"]
    pods = grouped(pod("old-a", "a", hash_="old", ready=False), pod("old-b", "b", hash_="old", ready=False))
    assert plan.rolling_update(ds(unavailable=1), nodes, pods, HASH, now=NOW).pods_to_delete == [
        "old-a",
        "old-b",
    ]


def test_rolling_update_percentages_round_up() -> None:
    nodes = [node(n) for n in "abc"]
    pods = grouped(*(pod(f"p-{n}", n, hash_="old") for n in "abc"))
    assert len(plan.rolling_update(ds(unavailable="10%"), nodes, pods, HASH, now=NOW).pods_to_delete) == 1


def test_pods_of_the_current_template_generation_count_as_updated() -> None:
    fresh = pod("p", "a", hash_="whatever")
    fresh["metadata"]["labels"][plan.TEMPLATE_GENERATION_LABEL] = "2"
    result = plan.rolling_update(ds(), [node("a")], grouped(fresh), HASH, now=NOW)
    assert result.pods_to_delete == []


def test_surge_starts_new_pods_beside_old_ones() -> None:
    nodes = [node(n) for n in "abc"]
    pods = grouped(*(pod(f"old-{n}", n, hash_="old") for n in "abc"))
    result = plan.rolling_update(ds(surge=2, unavailable=0), nodes, pods, HASH, now=NOW)
    assert result.nodes_needing_pods == ["a", "b"]
    assert result.pods_to_delete == []


def test_surge_deletes_old_pod_once_new_one_is_available() -> None:
    nodes = [node(n) for n in "ab"]
    pods = grouped(
        pod("old-a", "a", hash_="old"),
        pod("new-a", "a"),
        pod("old-b", "b", hash_="old"),
        pod("new-b", "b", ready=False),
    )
    result = plan.rolling_update(ds(surge=1, unavailable=0), nodes, pods, HASH, now=NOW)
    assert result.pods_to_delete == ["old-a"]
    assert result.nodes_needing_pods == []


def test_surge_replaces_unavailable_old_pods_at_once() -> None:
    nodes = [node(n) for n in "ab"]
    pods = grouped(pod("old-a", "a", hash_="old", ready=False), pod("old-b", "b", hash_="old", ready=False))
    result = plan.rolling_update(ds(surge=1, unavailable=0), nodes, pods, HASH, now=NOW)
    assert result.nodes_needing_pods == ["a", "b"]


def test_status_counts_the_oldest_pod_per_node() -> None:
    daemon = ds(nodeSelector={"role": "worker"})
    daemon["spec"]["minReadySeconds"] = 60
    nodes = [
        node("a", {"role": "worker"}),
        node("b", {"role": "worker"}),
        node("c", {"role": "worker"}),
        node("d"),
    ]
    recent = pod("p-b", "b")
    recent["status"]["conditions"][0]["lastTransitionTime"] = "2027-01-15T08:00:00Z"  # after NOW
    pods = grouped(pod("p-a", "a"), recent, pod("p-d", "d", hash_="old"))
    assert plan.status(daemon, nodes, pods, HASH, now=NOW) == {
        "desiredNumberScheduled": 3,
        "currentNumberScheduled": 2,
        "numberMisscheduled": 1,
        "numberReady": 2,
        "updatedNumberScheduled": 2,
        "numberAvailable": 1,
        "numberUnavailable": 2,
    }


def test_new_pod_template_is_pinned_labelled_and_tolerant() -> None:
    template = plan.new_pod_template(ds(), HASH, "node-7")
    labels = template["metadata"]["labels"]
    assert labels == {"app": "agent", "pod-template-generation": "2", "controller-revision-hash": HASH}
    terms = template["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
    assert terms["nodeSelectorTerms"][0]["matchFields"][0]["values"] == ["node-7"]
    assert len(template["spec"]["tolerations"]) == 6


def test_finished_pods_being_deleted_are_not_grouped() -> None:
    assert plan.pods_by_node([pod("x", "a", phase="Failed", deleting=True)]) == {}
    assert list(plan.pods_by_node([pod("x", "a", deleting=True)])) == ["a"]
