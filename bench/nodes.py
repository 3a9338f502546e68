"""1,000 simulated nodes in one process against a real API server: what they cost.

Scenario: an API server process (`pyk8s apiserver`, sqlite in a temporary directory) is
started and measured idle for the window (the baseline, same run); then one node process
serves N simulated nodes (`python -m pyk8s.node --count N`, kubelet timings: Lease every
10 s, node status every 5 minutes). Once every node is Ready and every Lease exists, one
Lease interval is left for the heartbeats to settle, then both processes are measured
over the window: CPU seconds per minute (utime + stime from /proc) and resident memory.
Optionally `--pods M` pods are then created bound round-robin to the nodes, and the time
until all are Running is reported.

Prints one JSON line per measurement.

    python bench/nodes.py [--nodes 1000] [--window 60] [--pods 0]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pyk8s.client import Client
from pyk8s.client.resources import LEASES, NODES, PODS
from pyk8s.testing.etcd import free_port

REPO = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")


def emit(**fields: Any) -> None:
    print(orjson.dumps(fields).decode(), flush=True)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def spawn(argv: list[str], log: Path) -> subprocess.Popen[bytes]:
    """Start a component with its output in `log`."""
    with open(log, "wb") as out:
        return subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, cwd=REPO)


async def measure(pids: dict[str, int], window: float) -> dict[str, float]:
    """CPU seconds per minute of each process over `window` seconds."""
    before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    started = time.monotonic()
    await asyncio.sleep(window)
    elapsed = time.monotonic() - started
    return {name: round((cpu_seconds(pid) - before[name]) * 60 / elapsed, 3) for name, pid in pids.items()}


async def wait_for(predicate: Any, timeout: float, what: str) -> float:
    started = time.monotonic()
    while not await predicate():
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"{what} not reached in {timeout:.0f} s")
        await asyncio.sleep(0.5)
    return time.monotonic() - started


def is_ready(node: dict[str, Any]) -> bool:
    return any(
        c.get("type") == "Ready" and c.get("status") == "True"
        for c in node.get("status", {}).get("conditions", [])
    )


async def run(args: argparse.Namespace, base: Path) -> None:
    port = free_port()
    data = base / "data"
    apiserver = spawn(
        [sys.executable, "-m", "pyk8s", "apiserver", "--data-dir", str(data), "--port", str(port)],
        base / "apiserver.log",
    )
    nodes_process: subprocess.Popen[bytes] | None = None
    try:
        kubeconfig = data / "kubeconfig"
        await wait_for(lambda: asyncio.sleep(0, kubeconfig.exists()), 60, "API server")
        await asyncio.sleep(1.0)
        idle = await measure({"apiserver": apiserver.pid}, args.window)
        emit(
            phase="baseline",
            nodes=0,
            apiserver_cpu_s_per_min=idle["apiserver"],
            apiserver_rss_mib=rss_mib(apiserver.pid),
        )

        started = time.monotonic()
        argv = [sys.executable, "-m", "pyk8s.node", "--kubeconfig", str(kubeconfig), "--name", "bench"]
        argv += ["--count", str(args.nodes), "--runtime", "simulated", "--pod-start-delay", "0"]
        nodes_process = spawn(argv, base / "nodes.log")
        async with Client.from_kubeconfig(kubeconfig, component="bench") as client:

            async def all_ready() -> bool:
                items = (await client.list(NODES))["items"]
                return len(items) == args.nodes and all(is_ready(n) for n in items)

            async def all_leases() -> bool:
                return len((await client.list(LEASES, namespace="kube-node-lease"))["items"]) == args.nodes

            await wait_for(all_ready, 300, "all nodes Ready")
            await wait_for(all_leases, 300, "all Leases")
            emit(phase="registration", nodes=args.nodes, seconds=round(time.monotonic() - started, 2))
            await asyncio.sleep(10.0)  # one Lease interval: heartbeats spread out
            steady = await measure({"apiserver": apiserver.pid, "nodes": nodes_process.pid}, args.window)
            emit(
                phase="steady_heartbeats",
                nodes=args.nodes,
                window_s=args.window,
                nodes_cpu_s_per_min=steady["nodes"],
                nodes_rss_mib=rss_mib(nodes_process.pid),
                apiserver_cpu_s_per_min=steady["apiserver"],
                apiserver_cpu_over_baseline_s_per_min=round(steady["apiserver"] - idle["apiserver"], 3),
                apiserver_rss_mib=rss_mib(apiserver.pid),
                lease_writes_per_s=round(args.nodes / 10.0, 1),
            )
            if args.pods:
                await bench_pods(client, args)
    finally:
        for process in (nodes_process, apiserver):
            if process is not None:
                process.send_signal(signal.SIGTERM)
                process.wait(30)


async def bench_pods(client: Client, args: argparse.Namespace) -> None:
    started = time.monotonic()
    limit = asyncio.Semaphore(32)

    async def create(i: int) -> None:
        pod = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": f"p-{i}", "namespace": "default"},
            "spec": {"nodeName": f"bench-{i % args.nodes}", "containers": [{"name": "c", "image": "nginx"}]},
        }
        async with limit:
            await client.create(PODS, pod)

    await asyncio.gather(*(create(i) for i in range(args.pods)))
    created = time.monotonic() - started

    async def all_running() -> bool:
        page = await client.list(PODS, namespace="default", field_selector="status.phase=Running")
        return len(page["items"]) == args.pods

    await wait_for(all_running, 600, "all pods Running")
    total = time.monotonic() - started
    emit(
        phase="pods_running",
        pods=args.pods,
        create_s=round(created, 2),
        all_running_s=round(total, 2),
        pods_per_s=round(args.pods / total, 1),
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--window", type=float, default=60.0, help="seconds measured in each phase")
    parser.add_argument("--pods", type=int, default=0, help="pods to start on the nodes afterwards")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="pyk8s-nodes-"))
    try:
        asyncio.run(run(args, base))
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
