"""Scale of the whole control plane under `pyk8s up`: density with simulated nodes.

Starts `pyk8s up --runtime none --simulated-nodes N` (API server, controller manager,
scheduler and the simulated nodes as real child processes), creates Deployments totalling
P pods, waits until every pod is Running, then holds the cluster for H seconds while it
measures, once a second: a mutating request (create + delete of a ConfigMap), a LIST of every
pod, and the CPU and RSS of the whole process tree. The baseline in the same run is the
idle cluster before the pods exist (same probes, 10 s).

LIST latency is reported three ways: `list_server_*` from the API server's own
`apiserver_request_duration_seconds` histogram (cluster-scoped pod LISTs, quantiles
interpolated within buckets as Prometheus' histogram_quantile does: what clusterloader2's
API responsiveness SLO reads), `list_transfer_*` until the client holds the whole body,
and `list_*` including decoding it into Python objects (this client runs with the
components' GC thresholds, `runtime.tune_gc()`).

The issue's density target: 1,000 nodes with 30,000 pods held 10 minutes — mutating API
p99 <= 200 ms, LIST p99 <= 5 s, control-plane RSS <= 4 GiB, CPU <= 1.5 cores.
Scheduling throughput is `bench/scheduler.py`; cold start is `bench/startup.py`.

    python bench/scale.py [--nodes 1000] [--pods 30000] [--hold 600] [--timeout 1800]
    python bench/scale.py --nodes 200 --pods 3000 --hold 60     # reduced: a few minutes
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from startup import free_port, process_tree, ready, up_command  # noqa: E402

from pyk8s._aio import runtime  # noqa: E402
from pyk8s.client import Client  # noqa: E402
from pyk8s.client.resources import CONFIGMAPS, DEPLOYMENTS, NODES, PODS  # noqa: E402

PER_DEPLOYMENT = 1000
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def emit(**fields: Any) -> None:
    print(orjson.dumps(fields).decode(), flush=True)


def usage(root: int) -> tuple[float, int]:
    """(CPU seconds, RSS bytes) of the process tree."""
    cpu, rss = 0.0, 0
    for pid in process_tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            cpu += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
            rss += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
    return cpu, rss


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def list_buckets(exposition: str) -> dict[float, float]:
    """Cumulative bucket counts of cluster-scoped pod LISTs in a /metrics exposition."""
    buckets: dict[float, float] = {}
    for line in exposition.splitlines():
        if not line.startswith("apiserver_request_duration_seconds_bucket{"):
            continue
        labels, _, value = line.rpartition(" ")
        if 'verb="LIST"' in labels and 'resource="pods"' in labels and 'scope="cluster"' in labels:
            bound = labels.split('le="', 1)[1].split('"', 1)[0]
            buckets[float(bound)] = buckets.get(float(bound), 0.0) + float(value)
    return buckets


def histogram_quantile(q: float, before: dict[float, float], after: dict[float, float]) -> float | None:
    """The q-quantile of the observations between two scrapes (linear within a bucket)."""
    bounds = sorted(after)
    counts = [after[b] - before.get(b, 0.0) for b in bounds]
    if not counts or counts[-1] <= 0:
        return None
    rank, lower, below = q * counts[-1], 0.0, 0.0
    for bound, count in zip(bounds, counts, strict=True):
        if count >= rank:
            if bound == float("inf"):
                return lower
            return lower + (bound - lower) * (rank - below) / max(count - below, 1e-9)
        lower, below = bound, count
    return lower


async def scrape(client: Client) -> dict[float, float]:
    return list_buckets(await client.request("GET", "/metrics") or "")


async def probe(client: Client, root: int, seconds: float, label: str) -> None:
    mutating: list[float] = []
    lists: list[float] = []
    transfers: list[float] = []
    buckets0 = await scrape(client)
    cpu0, _ = usage(root)
    started = time.monotonic()
    rss_peak = 0
    i = 0
    while time.monotonic() - started < seconds:
        t0 = time.perf_counter()
        name = f"probe-{label.replace(' ', '-')}-{i}"  # a DNS-1123 name
        await client.create(
            CONFIGMAPS,
            {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}},
            namespace="default",
        )
        mutating.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        await client.delete(CONFIGMAPS, name, namespace="default")
        mutating.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        _, body = await client._send("GET", PODS.path())  # the bytes, as any client receives them
        transfers.append(time.perf_counter() - t0)
        orjson.loads(body)
        lists.append(time.perf_counter() - t0)
        del body
        rss_peak = max(rss_peak, usage(root)[1])
        i += 1
        await asyncio.sleep(max(0.0, 1.0 - (time.monotonic() - started) % 1.0))
    cpu1, _ = usage(root)
    buckets1 = await scrape(client)
    server = {q: histogram_quantile(q, buckets0, buckets1) for q in (0.5, 0.99)}
    emit(
        phase=label,
        seconds=round(time.monotonic() - started, 1),
        mutating_p50_ms=round(statistics.median(mutating) * 1000, 1),
        mutating_p99_ms=round(pct(mutating, 0.99) * 1000, 1),
        list_p50_s=round(statistics.median(lists), 3),
        list_p99_s=round(pct(lists, 0.99), 3),
        list_transfer_p50_s=round(statistics.median(transfers), 3),
        list_transfer_p99_s=round(pct(transfers, 0.99), 3),
        list_server_p50_s=None if server[0.5] is None else round(server[0.5], 3),
        list_server_p99_s=None if server[0.99] is None else round(server[0.99], 3),
        cpu_cores=round((cpu1 - cpu0) / (time.monotonic() - started), 2),
        rss_gib=round(rss_peak / 2**30, 2),
    )


async def run(args: argparse.Namespace, root_pid: int, kubeconfig: Path) -> None:
    client = Client.from_kubeconfig(kubeconfig, qps=5000, burst=5000)
    async with client:
        started = time.monotonic()
        while True:
            if time.monotonic() - started > args.timeout:
                raise TimeoutError(f"{args.nodes} nodes not Ready within {args.timeout:.0f} s")
            nodes = (await client.list(NODES)).get("items") or []
            ready_nodes = [
                n
                for n in nodes
                if any(
                    c["type"] == "Ready" and c["status"] == "True"
                    for c in n.get("status", {}).get("conditions", [])
                )
            ]
            if len(ready_nodes) >= args.nodes:
                break
            await asyncio.sleep(1)
        emit(phase="nodes ready", nodes=len(ready_nodes), seconds=round(time.monotonic() - started, 1))
        await probe(client, root_pid, 10, "idle baseline")
        started = time.monotonic()
        remaining, index = args.pods, 0
        while remaining:
            count = min(PER_DEPLOYMENT, remaining)
            name = f"load-{index}"
            await client.create(
                DEPLOYMENTS,
                {
                    "apiVersion": "apps/v1",
                    "kind": "Deployment",
                    "metadata": {"name": name},
                    "spec": {
                        "replicas": count,
                        "selector": {"matchLabels": {"app": name}},
                        "template": {
                            "metadata": {"labels": {"app": name}},
                            "spec": {
                                "containers": [
                                    {
                                        "name": "c",
                                        "image": "pause",
                                        "resources": {"requests": {"cpu": "10m", "memory": "16Mi"}},
                                    }
                                ]
                            },
                        },
                    },
                },
                namespace="default",
            )
            remaining -= count
            index += 1
        reported = started
        while True:
            pods = (await client.list(PODS, namespace="default", label_selector=None)).get("items") or []
            running = sum(1 for p in pods if (p.get("status") or {}).get("phase") == "Running")
            if running >= args.pods:
                break
            bound = sum(1 for p in pods if (p.get("spec") or {}).get("nodeName"))
            if time.monotonic() - reported >= 10:
                reported = time.monotonic()
                elapsed = round(reported - started, 1)
                emit(phase="ramp", seconds=elapsed, pods=len(pods), bound=bound, running=running)
            if time.monotonic() - started > args.timeout:
                raise TimeoutError(f"{running}/{args.pods} pods Running after {args.timeout:.0f} s")
            await asyncio.sleep(2)
        emit(
            phase="all pods running",
            pods=args.pods,
            nodes=args.nodes,
            seconds=round(time.monotonic() - started, 1),
            pods_per_s=round(args.pods / (time.monotonic() - started), 1),
        )
        await probe(client, root_pid, args.hold, "held")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--pods", type=int, default=30000)
    parser.add_argument("--hold", type=float, default=600)
    parser.add_argument("--keep", metavar="DIR", help="use DIR as the data dir and keep it (logs)")
    parser.add_argument(
        "--timeout", type=float, default=1800, help="seconds allowed for nodes, then pods, to be ready"
    )
    args = parser.parse_args()
    import subprocess

    with tempfile.TemporaryDirectory(prefix="pyk8s-scale-") as tmp:
        data = Path(args.keep).resolve() if args.keep else Path(tmp) / "data"
        port = free_port()
        argv = [
            *up_command(),
            "--data-dir",
            str(data),
            "--port",
            str(port),
            "--runtime",
            "none",
            "--simulated-nodes",
            str(args.nodes),
        ]
        log = open(Path(tmp) / "up.out", "wb")  # noqa: SIM115 - the child writes to it
        process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, cwd=REPO)
        try:
            deadline = time.monotonic() + 120
            while not ready(data, port):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"pyk8s up did not start: {(Path(tmp) / 'up.out').read_text()[-2000:]}"
                    )
                time.sleep(0.05)
            runtime.tune_gc()  # this client runs as the components do
            asyncio.run(run(args, process.pid, data / "kubeconfig"))
        finally:
            process.terminate()
            process.wait(60)
            log.close()


if __name__ == "__main__":
    main()
