"""Each Filter plugin on hand-built NodeInfos, with kube-scheduler's reasons and codes."""

from __future__ import annotations

import random

import pytest

from pyk8s.scheduler.framework import CycleState, Framework
from pyk8s.scheduler.nodeinfo import NodeInfo
from pyk8s.scheduler.podinfo import PodInfo
from pyk8s.scheduler.status import Code, Status

from .conftest import node, pod, run_filters

UNRESOLVABLE = Code.UNSCHEDULABLE_AND_UNRESOLVABLE


def _verdict(status: Status | None) -> tuple[Code, tuple[str, ...], str] | None:
    return None if status is None else (status.code, status.reasons, status.plugin)


def test_node_resources_fit_counts_requests_of_pods_already_there(fw: Framework) -> None:
    full = node("full", pod("a", cpu="3500m"), cpu="4")
    roomy = node("roomy", pod("b", cpu="1"), cpu="4")
    _, result = run_filters(fw, pod("p", cpu="1"), [full, roomy])
    assert _verdict(result["full"]) == (Code.UNSCHEDULABLE, ("Insufficient cpu",), "NodeResourcesFit")
    assert result["roomy"] is None


def test_node_resources_fit_lists_every_missing_resource_in_order(fw: Framework) -> None:
    busy = node("busy", pod("a", cpu="4", memory="8Gi"), cpu="4", memory="8Gi", pods="1")
    _, result = run_filters(fw, pod("p", cpu="1", memory="1Gi"), [busy])
    assert result["busy"].reasons == ("Too many pods", "Insufficient cpu", "Insufficient memory")
    assert result["busy"].code is Code.UNSCHEDULABLE


def test_asking_for_more_than_the_node_has_is_unresolvable(fw: Framework) -> None:
    small = node("small", cpu="1")
    _, result = run_filters(fw, pod("p", cpu="2"), [small])
    assert _verdict(result["small"]) == (UNRESOLVABLE, ("Insufficient cpu",), "NodeResourcesFit")


def test_extended_resources_are_checked(fw: Framework) -> None:
    gpu = node("gpu", **{"example.com/gpu": "1"})
    plain = node("plain")
    p = PodInfo(
        {
            "metadata": {"name": "p", "namespace": "d"},
            "spec": {"containers": [{"name": "c", "resources": {"requests": {"example.com/gpu": "1"}}}]},
        }
    )
    _, result = run_filters(fw, p, [gpu, plain])
    assert result["gpu"] is None
    assert result["plain"].reasons == ("Insufficient example.com/gpu",)


def test_zero_requests_fit_even_an_overcommitted_node(fw: Framework) -> None:
    over = node("over", pod("a", cpu="5"), cpu="4")
    _, result = run_filters(fw, pod("p", cpu=None, memory=None), [over])
    assert result["over"] is None


def test_node_selector_and_required_node_affinity(fw: Framework) -> None:
    ssd = node("ssd", labels={"disk": "ssd", "zone": "a"})
    hdd = node("hdd", labels={"disk": "hdd", "zone": "a"})
    _, result = run_filters(fw, pod("p", nodeSelector={"disk": "ssd"}), [ssd, hdd])
    assert result["ssd"] is None
    assert _verdict(result["hdd"]) == (
        UNRESOLVABLE,
        ("node(s) didn't match Pod's node affinity/selector",),
        "NodeAffinity",
    )
    affinity = {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [
                    {"matchExpressions": [{"key": "disk", "operator": "NotIn", "values": ["ssd"]}]},
                    {"matchExpressions": [{"key": "gpu", "operator": "Exists"}]},
                ]
            }
        }
    }
    _, result = run_filters(fw, pod("q", affinity=affinity), [ssd, hdd])
    assert result["ssd"] is not None and result["hdd"] is None


def test_node_affinity_gt_lt_and_match_fields(fw: Framework) -> None:
    big = node("big", labels={"cores": "64"})
    tiny = node("tiny", labels={"cores": "2"})
    terms = [{"matchExpressions": [{"key": "cores", "operator": "Gt", "values": ["8"]}]}]
    affinity = {
        "nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": terms}}
    }
    _, result = run_filters(fw, pod("p", affinity=affinity), [big, tiny])
    assert result["big"] is None and result["tiny"] is not None
    fields = [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["tiny"]}]}]
    affinity = {
        "nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": fields}}
    }
    state = CycleState()
    result, status = fw.run_pre_filter(state, pod("q", affinity=affinity), [big, tiny])
    assert status is None and result is not None and result.node_names == {"tiny"}
    assert result.absent_message() == "node(s) didn't satisfy plugin(s) [NodeAffinity]"


def test_taints_need_tolerations_and_prefer_no_schedule_does_not_filter(fw: Framework) -> None:
    tainted = node("tainted", taints=[{"key": "dedicated", "value": "db", "effect": "NoSchedule"}])
    soft = node("soft", taints=[{"key": "spot", "effect": "PreferNoSchedule"}])
    _, result = run_filters(fw, pod("p"), [tainted, soft])
    assert _verdict(result["tainted"]) == (
        UNRESOLVABLE,
        ("node(s) had untolerated taint(s)",),
        "TaintToleration",
    )
    assert result["soft"] is None
    tolerations = [
        [{"key": "dedicated", "operator": "Equal", "value": "db", "effect": "NoSchedule"}],
        [{"key": "dedicated", "operator": "Exists"}],
        [{"operator": "Exists"}],
    ]
    for toleration in tolerations:
        _, result = run_filters(fw, pod("q", tolerations=toleration), [tainted])
        assert result["tainted"] is None, toleration
    wrong = [{"key": "dedicated", "operator": "Equal", "value": "web", "effect": "NoSchedule"}]
    _, result = run_filters(fw, pod("r", tolerations=wrong), [tainted])
    assert result["tainted"] is not None


def test_cordoned_nodes_take_only_pods_tolerating_unschedulable(fw: Framework) -> None:
    cordoned = node("cordoned", unschedulable=True)
    _, result = run_filters(fw, pod("p"), [cordoned])
    assert _verdict(result["cordoned"]) == (
        UNRESOLVABLE,
        ("node(s) were unschedulable",),
        "NodeUnschedulable",
    )
    toleration = [{"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"}]
    _, result = run_filters(fw, pod("q", tolerations=toleration), [cordoned])
    assert result["cordoned"] is None


def test_host_ports_conflict_per_protocol_and_address(fw: Framework) -> None:
    def with_port(name: str, port: int, ip: str = "", protocol: str = "TCP") -> PodInfo:
        container = {
            "name": "c",
            "ports": [{"containerPort": 80, "hostPort": port, "hostIP": ip, "protocol": protocol}],
        }
        return PodInfo({"metadata": {"name": name, "namespace": "d"}, "spec": {"containers": [container]}})

    any_ip = node("any", with_port("a", 8080))
    one_ip = node("one", with_port("b", 8080, ip="10.0.0.1"))
    _, result = run_filters(fw, with_port("p", 8080, ip="10.0.0.2"), [any_ip, one_ip])
    assert _verdict(result["any"]) == (
        Code.UNSCHEDULABLE,
        ("node(s) didn't have free ports for the requested pod ports",),
        "NodePorts",
    )
    assert result["one"] is None  # another address of the same port
    _, result = run_filters(fw, with_port("q", 8080), [one_ip])
    assert result["one"] is not None  # 0.0.0.0 takes every address
    _, result = run_filters(fw, with_port("r", 8080, protocol="UDP"), [any_ip])
    assert result["any"] is None


def test_node_name_only_fits_the_named_node(fw: Framework) -> None:
    a, b = node("a"), node("b")
    _, result = run_filters(fw, pod("p", nodeName="b"), [a, b])
    assert _verdict(result["a"]) == (
        UNRESOLVABLE,
        ("node(s) didn't match the requested node name",),
        "NodeName",
    )
    assert result["b"] is None


def test_the_first_failing_filter_is_the_one_reported(fw: Framework) -> None:
    both = node("both", pod("a", cpu="4"), unschedulable=True, cpu="4")
    _, result = run_filters(fw, pod("p", cpu="1"), [both])
    assert result["both"].plugin == "NodeUnschedulable"


@pytest.mark.parametrize("seed", range(5))
def test_batch_filters_agree_with_filtering_node_by_node(fw: Framework, seed: int) -> None:
    rng = random.Random(seed)
    nodes: list[NodeInfo] = []
    for i in range(60):
        pods = [
            pod(f"n{i}-{j}", cpu=f"{rng.choice([100, 500, 1500])}m", memory="1Gi")
            for j in range(rng.randrange(4))
        ]
        taints = [{"key": "t", "effect": "NoSchedule"}] if rng.random() < 0.2 else None
        labels = {"disk": rng.choice(["ssd", "hdd"])}
        nodes.append(node(f"node-{i}", *pods, taints=taints, labels=labels, unschedulable=rng.random() < 0.1))
    incoming = pod("p", cpu=f"{rng.choice([200, 1000, 3000])}m", memory="2Gi", nodeSelector={"disk": "ssd"})
    state, one_by_one = run_filters(fw, incoming, nodes)
    rejected: dict[str, Status] = {}
    passing = nodes
    for run in state.batch_filters:
        passing = run(state, incoming, passing, rejected)
    assert [n.name for n in passing] == [n for n, s in one_by_one.items() if s is None]
    assert {n: _verdict(s) for n, s in rejected.items()} == {
        n: _verdict(s) for n, s in one_by_one.items() if s is not None
    }
