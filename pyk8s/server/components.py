"""Which component processes `pyk8s up` runs, and their command lines.

Components are started through the `pyk8s` command (`python -m pyk8s <subcommand>`), so
each is exactly what a user could run by hand. A component whose subcommand does not exist
yet (read from `pyk8s --help`) is skipped with one log line. Nodes run through
`pyk8s node` when that subcommand exists, else through `python -m pyk8s.node`, which
takes the same flags.
"""

from __future__ import annotations

import logging
import re
import subprocess

from pyk8s.node.config import AVAILABLE_RUNTIMES, effective_runtime
from pyk8s.server.config import SIMULATED_NODE_PREFIX, UpConfig
from pyk8s.server.spawn import ChildSpec

log = logging.getLogger("pyk8s.server")
APISERVER, CONTROLLER_MANAGER, SCHEDULER = "apiserver", "controller-manager", "scheduler"
LOCAL_NODE, SIMULATED_NODES = "node", "simulated-nodes"


async def available_subcommands(python: str, *, timeout: float = 30.0) -> set[str]:
    """The subcommands `pyk8s --help` lists (empty if it could not be run)."""
    import asyncio  # here: `pyk8s up` imports this module before it starts its event loop

    try:
        process = await asyncio.create_subprocess_exec(
            python, "-m", "pyk8s", "--help", stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        async with asyncio.timeout(timeout):
            output, _ = await process.communicate()
    except (OSError, TimeoutError) as err:
        log.warning("could not run `pyk8s --help` (%s): only the API server will run", err)
        return set()
    return parse_subcommands(output.decode(errors="replace"))


def parse_subcommands(help_text: str) -> set[str]:
    """Subcommand names from argparse's help: the `{a,b,c}` choices group when there is
    one, else the names listed one per line under the subcommands' metavar."""
    match = re.search(r"\{([A-Za-z0-9_,-]+)\}", help_text)
    if match:
        return set(match.group(1).split(","))
    return set(re.findall(r"^ {4}([a-z][a-z0-9-]*)(?: {2,}|$)", help_text, flags=re.MULTILINE))


def local_runtime(config: UpConfig) -> str | None:
    """The runtime the local node really uses (None: no local node): `oci` when running as
    root with crun available, otherwise `process` (`pyk8s.node.config.effective_runtime`)."""
    if config.runtime == "none":
        return None
    runtime = effective_runtime(config.runtime)
    return runtime if runtime in AVAILABLE_RUNTIMES else "simulated"


def apiserver_spec(config: UpConfig) -> ChildSpec:
    argv = [config.python, "-m", "pyk8s", APISERVER, "--data-dir", str(config.data_dir)]
    argv += ["--bind", config.bind, "--port", str(config.port)]
    if config.storage_url:
        argv += ["--storage", config.storage_url]
    if config.verbose:
        argv.append("--verbose")
    argv += config.apiserver_args
    return ChildSpec(APISERVER, tuple(argv), config.log_dir / f"{APISERVER}.log")


def component_specs(config: UpConfig, subcommands: set[str]) -> list[ChildSpec]:
    """The processes that follow the API server, in start order (they stop in reverse)."""
    kubeconfig = str(config.kubeconfig)
    specs = []
    for name in (CONTROLLER_MANAGER, SCHEDULER):
        if name in subcommands:
            argv = [config.python, "-m", "pyk8s", name, "--kubeconfig", kubeconfig]
            specs.append(ChildSpec(name, tuple(argv), config.log_dir / f"{name}.log"))
        else:
            log.info("%s skipped: this pyk8s has no `pyk8s %s` command yet", name, name)
    runtime = local_runtime(config)
    if runtime is not None:
        specs.append(_node_spec(config, subcommands, LOCAL_NODE, config.local_node_name(), runtime, None))
    if runtime == "oci" and not pod_network_reason() and subcommands >= NETWORK_COMPONENTS:
        specs += network_specs(config)
    if config.simulated_nodes:
        specs.append(
            _node_spec(
                config,
                subcommands,
                SIMULATED_NODES,
                SIMULATED_NODE_PREFIX,
                "simulated",
                config.simulated_nodes,
            )
        )
    return specs


NETWORK_COMPONENTS = frozenset({"proxy", "dns", "network-policy", "ingress"})


def pod_network_reason() -> str:
    """Why the local node gets no pod network ("" when it does): see pyk8s.network.podnet."""
    from pyk8s.network.podnet import pod_network_unavailable_reason

    return pod_network_unavailable_reason()


def network_specs(config: UpConfig) -> list[ChildSpec]:
    """The service proxy, cluster DNS, NetworkPolicy and the ingress controller for the local
    node's pod network (they wait for its namespace, so start order does not matter)."""
    node = config.local_node_name()
    common = ["--kubeconfig", str(config.kubeconfig)] + (["--verbose"] if config.verbose else [])
    commands = {
        "proxy": ["--hostname-override", node],
        "dns": [],
        "network-policy": ["--node", node],
        "ingress": ["--upstream-netns", f"pyk8s-node-{node}"],
    }
    return [
        ChildSpec(name, (config.python, "-m", "pyk8s", name, *common, *extra), config.log_dir / f"{name}.log")
        for name, extra in commands.items()
    ]


def _node_spec(
    config: UpConfig, subcommands: set[str], component: str, name: str, runtime: str, count: int | None
) -> ChildSpec:
    command = ["-m", "pyk8s", "node"] if "node" in subcommands else ["-m", "pyk8s.node"]
    argv = [config.python, *command, "--kubeconfig", str(config.kubeconfig), "--name", name]
    argv += ["--runtime", runtime]
    if runtime in ("oci", "process"):
        # `pyk8s up` leaves nothing running when it stops; the pods start again with it.
        argv += ["--data-dir", str(config.data_dir / "node"), "--stop-pods-on-exit"]
    if count is not None:
        argv += ["--count", str(count)]
    if config.verbose:
        argv.append("--verbose")
    argv += config.node_args
    return ChildSpec(component, tuple(argv), config.log_dir / f"{component}.log")
