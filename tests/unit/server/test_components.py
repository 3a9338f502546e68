"""What `pyk8s up` starts, from its configuration and the subcommands this pyk8s has."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyk8s.server.components import component_specs, local_runtime, parse_subcommands
from pyk8s.server.config import UpConfig, host_node_name

HELP = """usage: pyk8s [-h] [--version] COMMAND ...

positional arguments:
  {up,apiserver,kubectl,scheduler}
    up                  start a local cluster in the foreground
"""


def config(**kwargs: object) -> UpConfig:
    return UpConfig(data_dir=Path("/data"), python="py", **kwargs)  # type: ignore[arg-type]


METAVAR_HELP = """usage: pyk8s [-h] [--version] COMMAND ...

positional arguments:
  COMMAND
    up                start a local cluster in the foreground
    apiserver         run the API server
    controller-manager
                      run the controllers (kube-controller-manager)
    kubectl           run kubectl against the cluster in --data-dir

options:
  -h, --help          show this help message and exit
"""


def test_subcommands_come_from_the_usage_group() -> None:
    assert parse_subcommands(HELP) == {"up", "apiserver", "kubectl", "scheduler"}
    assert parse_subcommands("no commands here") == set()


def test_subcommands_listed_under_a_metavar() -> None:
    assert parse_subcommands(METAVAR_HELP) == {"up", "apiserver", "controller-manager", "kubectl"}


def test_missing_components_are_skipped_and_nodes_fall_back_to_the_module() -> None:
    specs = component_specs(config(runtime="none", simulated_nodes=3), {"apiserver", "scheduler"})
    assert [s.name for s in specs] == ["scheduler", "simulated-nodes"]
    scheduler, nodes = specs
    assert scheduler.argv == ("py", "-m", "pyk8s", "scheduler", "--kubeconfig", "/data/kubeconfig")
    assert nodes.argv[:3] == ("py", "-m", "pyk8s.node")
    assert nodes.argv[3:] == (
        "--kubeconfig",
        "/data/kubeconfig",
        "--name",
        "sim",
        "--runtime",
        "simulated",
        "--count",
        "3",
    )
    assert nodes.log_path == Path("/data/logs/simulated-nodes.log")


def test_every_component_with_the_node_subcommand() -> None:
    subcommands = {"apiserver", "controller-manager", "scheduler", "node"}
    specs = component_specs(config(runtime="simulated", node_name="laptop"), subcommands)
    assert [s.name for s in specs] == ["controller-manager", "scheduler", "node"]
    assert specs[-1].argv[:7] == ("py", "-m", "pyk8s", "node", "--kubeconfig", "/data/kubeconfig", "--name")
    assert specs[-1].argv[7:10] == ("laptop", "--runtime", "simulated")


@pytest.mark.parametrize(
    ("runtime", "effective"), [("none", None), ("simulated", "simulated"), ("process", "process")]
)
def test_the_local_runtime_is_the_one_asked_for(runtime: str, effective: str | None) -> None:
    assert local_runtime(config(runtime=runtime)) == effective


def test_oci_falls_back_to_process_where_the_machine_cannot_run_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import pyk8s.node.config as node_config

    monkeypatch.setattr(node_config, "oci_unavailable_reason", lambda: "")
    specs = component_specs(config(runtime="oci", node_name="laptop"), {"node"})
    assert specs[-1].argv[7:13] == (
        "laptop",
        "--runtime",
        "oci",
        "--data-dir",
        "/data/node",
        "--stop-pods-on-exit",
    )
    monkeypatch.setattr(node_config, "oci_unavailable_reason", lambda: "the oci runtime needs root")
    assert local_runtime(config(runtime="oci")) == "process"


def test_host_names_become_valid_node_names() -> None:
    assert host_node_name("My_Laptop.Local") == "my-laptop.local"
    assert host_node_name("--") == "pyk8s-node"
    assert host_node_name("a..b") == "a.b"


def test_config_rejects_unknown_runtimes() -> None:
    with pytest.raises(ValueError, match="unknown runtime"):
        config(runtime="docker")
