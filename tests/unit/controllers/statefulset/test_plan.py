"""One StatefulSet sync's actions: ordered and parallel scaling, rolling updates, status."""

from __future__ import annotations

from typing import Any

from pyk8s.controllers.statefulset import identity as ident
from pyk8s.controllers.statefulset.plan import Plan, Verb, plan, status_changed

NOW = 1_800_000_000.0
LONG_AGO = "2026-01-01T00:00:00Z"
JUST_NOW = "2027-01-15T08:00:00Z"  # after NOW


def sts(
    replicas: int = 3,
    *,
    policy: str = "OrderedReady",
    strategy: str = "RollingUpdate",
    partition: int = 0,
    max_unavailable: Any = None,
    min_ready: int = 0,
    deleting: bool = False,
) -> dict:
    update: dict[str, Any] = {"type": strategy}
    if strategy == "RollingUpdate":
        update["rollingUpdate"] = {"partition": partition}
        if max_unavailable is not None:
            update["rollingUpdate"]["maxUnavailable"] = max_unavailable
    meta: dict[str, Any] = {"name": "web", "namespace": "ns", "uid": "set-uid", "generation": 4}
    if deleting:
        meta["deletionTimestamp"] = LONG_AGO
    return {
        "metadata": meta,
        "spec": {
            "replicas": replicas,
            "podManagementPolicy": policy,
            "minReadySeconds": min_ready,
            "serviceName": "nginx",
            "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "c"}]}},
            "updateStrategy": update,
        },
        "status": {},
    }


def pod(
    ordinal: int,
    *,
    revision: str = "cur",
    phase: str = "Running",
    ready: bool = True,
    ready_since: str = LONG_AGO,
    deleting: bool = False,
) -> dict:
    p = ident.new_pod(sts(), ordinal, revision)
    p["metadata"]["uid"] = f"uid-{ordinal}"
    if deleting:
        p["metadata"]["deletionTimestamp"] = LONG_AGO
    p["status"] = {"phase": phase}
    if ready:
        p["status"]["conditions"] = [{"type": "Ready", "status": "True", "lastTransitionTime": ready_since}]
    return p


def run(s: dict, pods: list[dict], *, current: str = "cur", update: str = "cur") -> Plan:
    return plan(
        s,
        pods,
        current_set=s,
        update_set=s,
        current_revision=current,
        update_revision=update,
        collision_count=0,
        claims=lambda name: None,
        now=NOW,
    )


def summary(result: Plan) -> list[tuple[str, str]]:
    return [(a.verb.value, a.pod["metadata"]["name"]) for a in result.actions()]


def test_ordered_ready_creates_the_first_missing_pod_only() -> None:
    result = run(sts(), [])
    assert result.monotonic
    assert summary(result) == [("create", "web-0")]


def test_ordered_ready_waits_for_the_previous_pod_to_be_ready() -> None:
    assert summary(run(sts(), [pod(0, phase="Pending", ready=False)])) == [("claims", "web-0")]
    assert summary(run(sts(), [pod(0, ready=False)])) == []
    assert summary(run(sts(), [pod(0)])) == [("create", "web-1")]


def test_ordered_ready_waits_for_min_ready_seconds() -> None:
    assert summary(run(sts(min_ready=30), [pod(0, ready_since=JUST_NOW)])) == []
    assert summary(run(sts(min_ready=30), [pod(0)])) == [("create", "web-1")]


def test_parallel_creates_every_missing_pod() -> None:
    result = run(sts(policy="Parallel"), [pod(1, ready=False)])
    assert not result.monotonic
    assert summary(result) == [("create", "web-0"), ("create", "web-2")]


def test_finished_pods_are_deleted_to_be_recreated() -> None:
    assert summary(run(sts(), [pod(0, phase="Failed", ready=False), pod(1)])) == [("delete", "web-0")]
    assert summary(run(sts(), [pod(0, phase="Succeeded", ready=False)])) == [("delete", "web-0")]


def test_scale_down_deletes_highest_ordinal_first_one_at_a_time() -> None:
    pods = [pod(i) for i in range(4)]
    assert summary(run(sts(1), pods)) == [("delete", "web-3")]
    pods[3] = pod(3, deleting=True)
    assert summary(run(sts(1), pods)) == []  # wait for web-3 to go


def test_scale_down_may_remove_the_first_unhealthy_pod() -> None:
    pods = [pod(0), pod(1, ready=False), pod(2)]
    assert summary(run(sts(1), pods)) == [("delete", "web-2")]
    assert summary(run(sts(1), pods[:2])) == [("delete", "web-1")]


def test_scale_down_waits_while_a_replica_is_unhealthy() -> None:
    assert summary(run(sts(1), [pod(0, ready=False), pod(1)])) == []


def test_parallel_scale_down_deletes_all_condemned() -> None:
    pods = [pod(0), pod(1, ready=False), pod(2)]
    assert summary(run(sts(1, policy="Parallel"), pods)) == [("delete", "web-2"), ("delete", "web-1")]


def test_drifted_identity_is_updated() -> None:
    drifted = pod(1)
    del drifted["metadata"]["labels"]["statefulset.kubernetes.io/pod-name"]
    assert summary(run(sts(2), [pod(0), drifted])) == [("update", "web-1")]


def test_rolling_update_replaces_the_highest_outdated_pod() -> None:
    pods = [pod(i, revision="old") for i in range(3)]
    result = run(sts(), pods, current="old", update="new")
    assert summary(result) == [("delete", "web-2")]
    assert result.rolling_deletions == 1
    assert result.status["currentReplicas"] == 2


def test_rolling_update_waits_for_the_replaced_pod() -> None:
    pods = [pod(0, revision="old"), pod(1, revision="old"), pod(2, revision="new", ready=False)]
    assert summary(run(sts(), pods, current="old", update="new")) == []


def test_rolling_update_stops_at_the_partition() -> None:
    pods = [pod(0, revision="old"), pod(1, revision="new"), pod(2, revision="new")]
    assert summary(run(sts(partition=1), pods, current="old", update="new")) == []
    pods = [pod(0, revision="old"), pod(1, revision="old"), pod(2, revision="new")]
    assert summary(run(sts(partition=1), pods, current="old", update="new")) == [("delete", "web-1")]


def test_rolling_update_with_max_unavailable() -> None:
    pods = [pod(i, revision="old") for i in range(4)]
    result = run(sts(4, max_unavailable=2), pods, current="old", update="new")
    assert summary(result) == [("delete", "web-3"), ("delete", "web-2")]
    assert summary(run(sts(4, max_unavailable="50%"), pods, current="old", update="new")) == summary(result)


def test_on_delete_never_replaces_pods() -> None:
    pods = [pod(i, revision="old") for i in range(3)]
    assert summary(run(sts(strategy="OnDelete"), pods, current="old", update="new")) == []


def test_missing_pods_below_the_partition_come_back_at_the_current_revision() -> None:
    result = run(sts(partition=2), [], current="old", update="new")
    assert result.actions()[0].pod["metadata"]["labels"]["controller-revision-hash"] == "old"


def test_status_counts_and_completes_the_rollout() -> None:
    pods = [pod(0, revision="new"), pod(1, revision="new"), pod(2, revision="new", ready=False)]
    status = run(sts(), pods, current="old", update="new").status
    assert status == {
        "observedGeneration": 4,
        "replicas": 3,
        "readyReplicas": 2,
        "availableReplicas": 2,
        "currentReplicas": 0,
        "updatedReplicas": 3,
        "currentRevision": "old",
        "updateRevision": "new",
        "collisionCount": 0,
    }
    done = run(sts(), [pod(i, revision="new") for i in range(3)], current="old", update="new").status
    assert done["currentRevision"] == "new"
    assert done["currentReplicas"] == 3


def test_a_set_being_deleted_only_reports_status() -> None:
    result = run(sts(deleting=True), [pod(0)])
    assert result.actions() == []
    assert result.status["replicas"] == 1


def test_status_changed() -> None:
    s = sts()
    status = run(s, [pod(0)]).status
    assert status_changed(s, status)
    s["status"] = dict(status)
    assert not status_changed(s, status)


def test_claims_block_a_pod_whose_claim_belongs_to_its_predecessor() -> None:
    s = sts()
    s["spec"]["persistentVolumeClaimRetentionPolicy"] = {"whenScaled": "Delete", "whenDeleted": "Retain"}
    s["spec"]["volumeClaimTemplates"] = [{"metadata": {"name": "www"}, "spec": {}}]
    stale = {
        "metadata": {
            "name": "www-web-0",
            "ownerReferences": [
                {"apiVersion": "v1", "kind": "Pod", "name": "web-0", "uid": "gone", "controller": True}
            ],
        }
    }
    result = plan(
        s,
        [],
        current_set=s,
        update_set=s,
        current_revision="r",
        update_revision="r",
        collision_count=0,
        claims=lambda name: stale if name == "www-web-0" else None,
        now=NOW,
    )
    assert result.actions() == []
    assert Verb.CREATE not in {a.verb for a in result.actions()}


def test_ordinals_start_names_and_condemns_by_range() -> None:
    s = sts(2)
    s["spec"]["ordinals"] = {"start": 5}
    first = plan(
        s,
        [],
        current_set=s,
        update_set=s,
        current_revision="cur",
        update_revision="cur",
        collision_count=0,
        claims=lambda name: None,
        now=NOW,
    )
    assert summary(first) == [("create", "web-5")]
    # moving the start condemns the old ordinals once the new range is healthy
    old = [pod(0), pod(1)]
    result = run(s, old)
    assert summary(result) == [("create", "web-5")]
