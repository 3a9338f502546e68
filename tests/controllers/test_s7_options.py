"""kube-controller-manager flags reach the controllers that read them: parsed by
`pyk8s.controllers.options`, carried by `ManagerOptions`, and acted on by a running manager
(nodeipam allocates from `--cluster-cidr` with `--node-cidr-mask-size`)."""

from __future__ import annotations

import argparse
from typing import Any

import pytest

from pyk8s.client import Client
from pyk8s.client.resources import NODES
from pyk8s.controllers.manager import ControllerManagerConfig, ManagerOptions
from pyk8s.controllers.options import CONCURRENT_SYNC_FLAGS, add_controller_manager_flags, config_from_args

from .conftest import StartManager, eventually

CONTROLLERS = "nodeipam,nodelifecycle,podgc,endpointslice,endpointslicemirroring,garbagecollector"
FLAGS = [
    f"--controllers={CONTROLLERS}",
    "--leader-elect=false",
    "--cluster-cidr=10.123.0.0/16",
    "--service-cluster-ip-range=10.97.0.0/16",
    "--node-cidr-mask-size=26",
    "--node-monitor-grace-period=1m30s",
    "--node-startup-grace-period=45s",
    "--terminated-pod-gc-threshold=7",
    "--max-endpoints-per-slice=9",
    "--mirroring-max-endpoints-per-subset=11",
    "--concurrent-syncs=3",
    "--concurrent-service-endpoint-syncs=4",
    "--concurrent-gc-syncs=6",
]


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="pyk8s controller-manager")
    add_controller_manager_flags(parser)
    return parser.parse_args(list(argv))


def config_kwargs(config: ControllerManagerConfig) -> dict[str, Any]:
    out = {name: getattr(config, name) for name in config.__dataclass_fields__}
    out["controllers"] = list(out["controllers"])
    return out


def test_flags_become_options() -> None:
    config = config_from_args(parse(*FLAGS))
    options = config.controller_options()
    assert isinstance(options, ManagerOptions)
    assert (options.cluster_cidr, options.service_cluster_ip_range) == ("10.123.0.0/16", "10.97.0.0/16")
    assert (options.node_cidr_mask_size_ipv4, options.node_cidr_mask_size_ipv6) == (26, 26)
    assert (options.node_monitor_grace_period, options.node_startup_grace_period) == (90.0, 45.0)
    assert options.terminated_pod_gc_threshold == 7
    assert (options.max_endpoints_per_slice, options.mirroring_max_endpoints_per_subset) == (9, 11)
    assert options.workers == 3
    assert dict(options.workers_by_controller) == {"endpointslice": 4, "garbagecollector": 6}
    assert not config.leader_elect and list(config.controllers) == CONTROLLERS.split(",")


def test_left_out_flags_keep_the_controllers_defaults() -> None:
    assert config_kwargs(config_from_args(parse())) == config_kwargs(ControllerManagerConfig())


def test_every_concurrency_flag_names_a_known_controller() -> None:
    from pyk8s.controllers.known import known_controllers

    names = {d.name for d in known_controllers().select(["*"])} | {
        d.name for d in known_controllers().select(["*", "service-lb"])
    }
    assert {controller for controller, _ in CONCURRENT_SYNC_FLAGS.values()} <= names
    args = parse(*(f"{flag}=2" for flag in CONCURRENT_SYNC_FLAGS))
    assert set(config_from_args(args).workers_by_controller) == {c for c, _ in CONCURRENT_SYNC_FLAGS.values()}


@pytest.mark.parametrize(
    "argv",
    [
        ["--cluster-cidr=10.0.0.0/16,fd00::/48", "--node-cidr-mask-size=24"],
        ["--node-cidr-mask-size=24", "--node-cidr-mask-size-ipv4=25"],
    ],
)
def test_contradicting_mask_flags_are_refused(argv: list[str]) -> None:
    with pytest.raises(ValueError, match="--node-cidr-mask-size"):
        config_from_args(parse(*argv))


@pytest.mark.parametrize(
    "argv",
    [["--pod-eviction-timeout=5m"], ["--cluster-cidr=nonsense"], ["--node-monitor-grace-period=soon"]],
)
def test_bad_or_removed_flags_fail_to_parse(argv: list[str]) -> None:
    with pytest.raises(SystemExit):
        parse(*argv)


async def test_a_running_manager_hands_the_flags_to_its_controllers(
    client: Client, start_manager: StartManager
) -> None:
    config = config_from_args(parse(*FLAGS))
    kwargs = config_kwargs(config)
    kwargs.pop("kubeconfig")  # the fixture's cluster
    manager = (await start_manager(**kwargs)).manager
    controllers: dict[str, Any] = manager.controllers
    assert controllers["podgc"].threshold == 7
    assert controllers["nodelifecycle"].reconciler.grace_period == 90.0
    assert controllers["nodelifecycle"].reconciler.startup_grace_period == 45.0
    assert controllers["endpointslice"].reconciler.max_endpoints == 9
    assert controllers["endpointslicemirroring"].reconciler.max_per_subset == 11
    assert (controllers["endpointslice"].workers, controllers["nodeipam"].workers) == (4, 3)

    # nodeipam allocates from --cluster-cidr with --node-cidr-mask-size
    await client.create(NODES, {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "s7-ipam"}})
    try:

        async def pod_cidr() -> str:
            node = await client.get(NODES, "s7-ipam")
            return str((node.get("spec") or {}).get("podCIDR") or "")

        cidr = await eventually(pod_cidr, timeout=30)
        assert cidr.startswith("10.123.") and cidr.endswith("/26")
    finally:
        await client.delete(NODES, "s7-ipam")
