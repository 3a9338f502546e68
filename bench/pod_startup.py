"""Pod startup latency on the oci runtime: create -> Running as seen by a watcher.

An API server and a Kubelet on crun run in this process (as `pyk8s up` runs them in
children); 100 busybox pods are created in batches of 10 and a pod watch records when each
turns Running. The baseline in the same run is the raw runtime: the same containers started
directly through `CrunRuntime` (sandbox + container, no API), so the ratio shows what the
API round trips and the pod worker add.

    sudo python bench/pod_startup.py [--pods 100] [--batch 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pyk8s.apiserver.app import ApiServerConfig, start_apiserver
from pyk8s.client import Client
from pyk8s.client.resources import CONFIGMAPS, PODS, SERVICEACCOUNTS
from pyk8s.node.images.busybox import ensure_busybox
from pyk8s.node.images.store import ImageStore
from pyk8s.node.kubelet.agent import Kubelet, KubeletConfig
from pyk8s.node.oci.crun import CrunRuntime
from pyk8s.node.oci.sandbox import create_sandbox, remove_sandbox
from pyk8s.node.oci.spec import ContainerSpec


def emit(**fields: Any) -> None:
    print(orjson.dumps(fields).decode(), flush=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def raw_runtime(root: Path, count: int, batch: int) -> list[float]:
    """Seconds from request to running for sandbox + container straight on crun."""
    store = ImageStore(root / "images")
    layers = store.unpack(ensure_busybox(store))
    runtime = CrunRuntime(root / "runtime")
    latencies: list[float] = []
    sandboxes = []

    async def one(i: int) -> None:
        start = time.monotonic()
        sandbox = await create_sandbox(root / "sandboxes", str(uuid.uuid4()), f"raw-{i}")
        sandboxes.append(sandbox)
        spec = ContainerSpec(
            args=["sleep", "3600"], rootfs=Path("/"), env=["PATH=/bin"], namespaces=sandbox.namespaces()
        )
        await runtime.start(f"raw-{i}", spec, layers, root / "logs" / f"raw-{i}.log")
        latencies.append(time.monotonic() - start)

    try:
        for first in range(0, count, batch):
            await asyncio.gather(*(one(i) for i in range(first, min(count, first + batch))))
    finally:
        for cid in runtime.list_ids():
            await runtime.stop(cid, 0)
            await runtime.remove(cid)
        for sandbox in sandboxes:
            await remove_sandbox(sandbox)
    return latencies


async def through_the_api(root: Path, count: int, batch: int) -> list[float]:
    running = await start_apiserver(ApiServerConfig(data_dir=root / "api", port=0))
    client = Client.from_kubeconfig(running.kubeconfig)
    await client.create(
        SERVICEACCOUNTS,
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default"}},
        namespace="default",
    )
    ca = (root / "api" / "pki" / "ca.crt").read_text()
    await client.create(
        CONFIGMAPS,
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "kube-root-ca.crt"},
            "data": {"ca.crt": ca},
        },
        namespace="default",
    )
    kubelet = Kubelet(KubeletConfig(node_name="bench-node", data_dir=root / "node", client=client))
    stop = asyncio.Event()
    agent = asyncio.create_task(kubelet.run(stop))
    created: dict[str, float] = {}
    running_at: dict[str, float] = {}
    done = asyncio.Event()
    batch_done = asyncio.Event()

    async def watch() -> None:
        async for event in client.watch(PODS, namespace="default"):
            obj = event.object
            name = obj["metadata"]["name"]
            if (
                (obj.get("status") or {}).get("phase") == "Running"
                and name in created
                and name not in running_at
            ):
                running_at[name] = time.monotonic()
                if all(n in running_at for n in created):
                    batch_done.set()
                if len(running_at) == count:
                    done.set()
                    return

    watcher = asyncio.create_task(watch())
    await asyncio.sleep(0.5)
    try:
        for first in range(0, count, batch):
            names = [f"p-{i}" for i in range(first, min(count, first + batch))]
            for name in names:
                created[name] = time.monotonic()
            await asyncio.gather(
                *(
                    client.create(
                        PODS,
                        {
                            "apiVersion": "v1",
                            "kind": "Pod",
                            "metadata": {"name": name},
                            "spec": {
                                "nodeName": "bench-node",
                                "terminationGracePeriodSeconds": 0,
                                "containers": [
                                    {"name": "c", "image": "busybox", "command": ["sleep", "3600"]}
                                ],
                            },
                        },
                        namespace="default",
                    )
                    for name in names
                )
            )
            await batch_done.wait()
            batch_done.clear()
        await asyncio.wait_for(done.wait(), 120)
    finally:
        watcher.cancel()
        for worker in list(kubelet.workers.values()):
            await worker.stop()
            await worker._kill_all(grace=0)
            await worker.cleanup()
        stop.set()
        await agent
        await client.aclose()
        await running.stop()
    return [running_at[n] - created[n] for n in created]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pods", type=int, default=100)
    parser.add_argument("--batch", type=int, default=10)
    args = parser.parse_args()
    if os.geteuid() != 0:
        emit(error="the oci runtime needs root")
        return
    with tempfile.TemporaryDirectory(prefix="pyk8s-bench-") as tmp:
        root = Path(tmp)
        raw = await raw_runtime(root / "raw", args.pods, args.batch)
        emit(
            scenario="raw crun sandbox+container",
            pods=len(raw),
            p50_s=round(statistics.median(raw), 3),
            p99_s=round(percentile(raw, 0.99), 3),
        )
        api = await through_the_api(root / "api-run", args.pods, args.batch)
        emit(
            scenario="oci pod create->Running (watch)",
            pods=len(api),
            p50_s=round(statistics.median(api), 3),
            p99_s=round(percentile(api, 0.99), 3),
            target_p99_s=1.0,
        )
        emit(scenario="ratio api/raw", p50=round(statistics.median(api) / statistics.median(raw), 2))
        emit(scenario="process runtime", skipped="the process runtime is not built yet")


if __name__ == "__main__":
    asyncio.run(main())
