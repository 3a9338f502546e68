"""`run_up`: a whole local cluster as supervised processes (`pyk8s up`).

    start ──► API server ──(kubeconfig written, /readyz ok)──► controller manager,
              scheduler, nodes ──► banner ──► supervise (restart crashed ones with backoff)
    stop  ──► nodes, scheduler, controller manager (SIGTERM, then SIGKILL) ──► API server

Every component is its own process (the API server gets a core to itself while the rest
share the other) with its log in `DATA_DIR/logs/<component>.log`; the supervisor's own
lines go to `DATA_DIR/logs/up.log`. All state lives in the data directory, so the next
`pyk8s up` with the same directory resumes the cluster.
"""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
from collections.abc import Sequence
from typing import TextIO

from pyk8s._aio.clock import Clock, RealClock
from pyk8s.node.config import PROCESS_RUNTIME_NOTICE, oci_unavailable_reason
from pyk8s.server.backoff import RestartBackoff
from pyk8s.server.components import (
    APISERVER,
    apiserver_spec,
    component_specs,
    local_runtime,
)
from pyk8s.server.config import UpConfig
from pyk8s.server.early import prepare_data_dir
from pyk8s.server.process import ChildProcess, ChildSpec
from pyk8s.server.readiness import ApiServerExitedError, wait_until_ready

log = logging.getLogger("pyk8s.server")
COMPONENT_SUBCOMMANDS = frozenset(
    {"controller-manager", "scheduler", "node", "proxy", "dns", "network-policy", "ingress"}
)
LOG_TAIL_LINES = 15


class UpError(OSError):
    """The cluster could not start (the message says why; the API server's log has more).

    An OSError, as a port already in use is: the `pyk8s` command reports those as one line.
    """


async def run_up(
    config: UpConfig,
    stop: asyncio.Event,
    *,
    clock: Clock | None = None,
    out: TextIO | None = None,
    apiserver: subprocess.Popen[bytes] | None = None,
) -> None:
    """Start the cluster, print how to use it, supervise it until `stop` is set, stop it.
    `apiserver`: the API server, already started by `early.start_apiserver(config)`."""
    clock = clock or RealClock()
    out = out or sys.stdout
    started = clock.monotonic()
    if apiserver is None:
        prepare_data_dir(config)
    handler = _log_to(config.log_dir / "up.log")
    # Every component's subcommand exists in this pyk8s; asking `pyk8s --help` would cost a
    # second interpreter start competing with the API server's.
    subcommands = set(COMPONENT_SUBCOMMANDS)
    children: list[ChildProcess] = []
    supervisors: list[asyncio.Task[None]] = []
    try:
        server_child = _child(apiserver_spec(config), config, clock)
        children.append(server_child)
        if apiserver is not None:
            server_child.adopt(apiserver)
        else:
            await server_child.spawn()
        server = await _until_ready_or_stopped(config, server_child, clock, stop)
        if server is None:
            return
        ready_seconds = clock.monotonic() - started
        for spec in component_specs(config, subcommands):
            child = _child(spec, config, clock)
            children.append(child)
            await child.spawn()
        supervisors = [asyncio.create_task(c.supervise(), name=f"supervise {c.name}") for c in children]
        _banner(out, config, server, ready_seconds, children)
        log.info("cluster up at %s with %s", server, ", ".join(c.name for c in children))
        await stop.wait()
        print("pyk8s: stopping the cluster ...", file=out, flush=True)
    finally:
        await _stop_all(children)
        for task in supervisors:
            task.cancel()
        await asyncio.gather(*supervisors, return_exceptions=True)
        logging.getLogger().removeHandler(handler)
        handler.close()
    print("pyk8s: stopped", file=out, flush=True)


def _child(spec: ChildSpec, config: UpConfig, clock: Clock) -> ChildProcess:
    backoff = RestartBackoff(
        initial=config.restart_initial_seconds,
        maximum=config.restart_max_seconds,
        reset_after=config.restart_reset_seconds,
    )
    return ChildProcess(spec, clock=clock, backoff=backoff, stop_timeout=config.stop_timeout_seconds)


async def _until_ready_or_stopped(
    config: UpConfig, apiserver: ChildProcess, clock: Clock, stop: asyncio.Event
) -> str | None:
    """The server URL once ready; None if `stop` came first; UpError if it cannot start."""
    ready = asyncio.ensure_future(
        wait_until_ready(
            config.kubeconfig, alive=apiserver.alive, clock=clock, timeout=config.ready_timeout_seconds
        )
    )
    stopped = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait((ready, stopped), return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopped.cancel()
        if not ready.done():
            ready.cancel()
    if not ready.done() or ready.cancelled():
        return None
    try:
        return ready.result()
    except (ApiServerExitedError, TimeoutError) as err:
        tail = _tail(
            apiserver.spec.log_path.read_text(errors="replace") if apiserver.spec.log_path.exists() else ""
        )
        raise UpError(f"{err}; the end of {apiserver.spec.log_path}:\n{tail}") from None


async def _stop_all(children: Sequence[ChildProcess]) -> None:
    """Everything but the API server at once, then the API server (the others may still
    be writing to it while they stop)."""
    others = [c for c in children if c.name != APISERVER]
    await asyncio.gather(*(c.stop() for c in others), return_exceptions=True)
    for child in children:
        if child.name == APISERVER:
            await child.stop()


def _tail(text: str) -> str:
    return "\n".join(text.rstrip().splitlines()[-LOG_TAIL_LINES:])


def _log_to(path: object) -> logging.Handler:
    """The supervisor's lines also go to DATA_DIR/logs/up.log."""
    handler = logging.FileHandler(str(path))
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(message)s", "%Y-%m-%d %H:%M:%S"))
    handler.setLevel(logging.INFO)
    logger = logging.getLogger("pyk8s.server")
    logger.setLevel(min(logger.getEffectiveLevel(), logging.INFO))
    logging.getLogger().addHandler(handler)
    return handler


def _banner(
    out: TextIO, config: UpConfig, server: str, seconds: float, children: Sequence[ChildProcess]
) -> None:
    data_dir = config.data_dir
    names = ", ".join(c.name for c in children)
    lines = [f"pyk8s: cluster ready at {server} (API server ready in {seconds:.1f} s; running {names})"]
    runtime = local_runtime(config)
    if runtime is not None and runtime != config.runtime:
        lines.append(f"pyk8s: note: {oci_unavailable_reason()}; the local node uses the {runtime} runtime")
    if runtime == "process":
        lines.append(f"pyk8s: note: {PROCESS_RUNTIME_NOTICE}")
    lines += [
        f"  kubectl:  pyk8s kubectl --data-dir {data_dir} get nodes",
        f"            (or export KUBECONFIG={config.kubeconfig})",
        f"  logs:     {config.log_dir}/<component>.log",
        f"  stop:     Ctrl-C; `pyk8s up --data-dir {data_dir}` resumes this cluster",
    ]
    print("\n".join(lines), file=out, flush=True)
