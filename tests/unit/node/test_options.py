"""Node process flags and configuration."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from pyk8s.node.config import DEFAULT_CAPACITY, NodeConfig
from pyk8s.node.options import add_node_flags, node_config, parse_pairs, parse_taints


def test_parse_pairs() -> None:
    assert parse_pairs("a=1, b=, c=x=y", what="label") == {"a": "1", "b": "", "c": "x=y"}
    assert parse_pairs("", what="label") == {}
    with pytest.raises(ValueError, match="expected key=value"):
        parse_pairs("novalue", what="label")


def test_parse_taints_reads_kubectl_taint_syntax() -> None:
    assert parse_taints("dedicated=gpu:NoSchedule,maintenance:NoExecute") == (
        {"key": "dedicated", "value": "gpu", "effect": "NoSchedule"},
        {"key": "maintenance", "effect": "NoExecute"},
    )
    with pytest.raises(ValueError, match="invalid taint"):
        parse_taints("key=value:Sometimes")
    with pytest.raises(ValueError, match="key is empty"):
        parse_taints("=v:NoSchedule")


def test_node_names_single_or_numbered() -> None:
    assert NodeConfig(name="host").node_names() == ["host"]
    assert NodeConfig(name="sim", count=3).node_names() == ["sim-0", "sim-1", "sim-2"]
    assert NodeConfig(name="sim", count=0).node_names() == []


def test_config_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="unknown runtime"):
        NodeConfig(runtime="docker")
    with pytest.raises(ValueError):
        NodeConfig(count=-1)
    with pytest.raises(ValueError):
        NodeConfig(workers=0)


def test_flags_make_a_config() -> None:
    parser = argparse.ArgumentParser()
    add_node_flags(parser)
    args = parser.parse_args(
        [
            "--kubeconfig",
            "/tmp/kc",
            "--name",
            "sim",
            "--count",
            "5",
            "--capacity",
            "cpu=4",
            "--labels",
            "zone=a",
            "--taints",
            "gpu:NoSchedule",
            "--pod-start-delay",
            "0",
        ]
    )
    config = node_config(args)
    assert config.kubeconfig == Path("/tmp/kc")
    assert config.node_names()[-1] == "sim-4"
    assert config.capacity == {**DEFAULT_CAPACITY, "cpu": "4"}
    assert config.labels == {"zone": "a"}
    assert config.taints == ({"key": "gpu", "effect": "NoSchedule"},)
    assert config.pod_start_delay_seconds == 0.0
    assert config.runtime == "simulated"
