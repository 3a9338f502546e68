"""Pod startup latency on the real runtimes: create -> Running as seen by a watcher.

An API server and a Kubelet run in this process (as `pyk8s up` runs them in children);
`--pods` busybox pods are created in batches of `--batch` and a pod watch records when each
turns Running. Baselines from the same run:

- `sandbox`: pod sandboxes alone (create + remove), the oci runtime's namespaces;
- `raw <runtime>`: sandbox + container started directly through the runtime (no API), so
  the ratio shows what the API round trips and the pod worker add.

`cpu_ms_per_pod` is the CPU time (this process and every child it reaped: shims, crun,
the containers) per pod, start to teardown: unlike latency it barely depends on what else
the machine runs, so it compares two runs on a shared, loaded machine. (The process
runtime's shims detach from their parent, so their own CPU is not in its figure.)

The oci scenarios need root; the process runtime runs as any user.

    sudo python bench/pod_startup.py [--pods 100] [--batch 10] [--runtime all|oci|process]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
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
from pyk8s.node.process import DirectorySandboxes, ProcessRuntime

TARGET_P99 = 1.0
BATCH_TIMEOUT = 120.0
TEARDOWN_TIMEOUT = 60.0


def emit(**fields: Any) -> None:
    print(orjson.dumps(fields).decode(), flush=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def summary(scenario: str, latencies: list[float], **extra: Any) -> None:
    emit(
        scenario=scenario,
        pods=len(latencies),
        p50_s=round(statistics.median(latencies), 3),
        p99_s=round(percentile(latencies, 0.99), 3),
        load1=round(os.getloadavg()[0], 1),
        **extra,
    )


def cpu_seconds() -> float:
    """User + system CPU of this process and its reaped children."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def has_children() -> bool:
    """Whether any thread of this process has a child process (not yet reaped)."""
    return any((task / "children").read_text().strip() for task in Path("/proc/self/task").iterdir())


async def children_reaped(timeout: float = 10.0) -> None:
    """Wait (bounded) until no child of this process is left, so their CPU is counted."""
    for _ in range(int(timeout / 0.05)):
        if not has_children():
            return
        await asyncio.sleep(0.05)


async def measured(count: int, work: Awaitable[list[float]]) -> tuple[list[float], float]:
    """The latencies `work` returns and its CPU milliseconds per pod."""
    before = cpu_seconds()
    latencies = await work
    await children_reaped()
    return latencies, round(1000 * (cpu_seconds() - before) / count, 1)


async def in_batches(count: int, batch: int, one: Callable[[int], Awaitable[float]]) -> list[float]:
    latencies: list[float] = []
    for first in range(0, count, batch):
        latencies += await asyncio.gather(*(one(i) for i in range(first, min(count, first + batch))))
    return latencies


async def sandboxes_only(root: Path, count: int, batch: int) -> list[float]:
    """Seconds to create one oci pod sandbox (network, IPC, UTS namespaces and /dev/shm)."""
    made = []

    async def one(i: int) -> float:
        start = time.monotonic()
        made.append(await create_sandbox(root, str(uuid.uuid4()), f"sb-{i}"))
        return time.monotonic() - start

    try:
        return await in_batches(count, batch, one)
    finally:
        for sandbox in made:
            await remove_sandbox(sandbox)


async def raw_runtime(root: Path, runtime_name: str, count: int, batch: int) -> list[float]:
    """Seconds from request to running for sandbox + container straight on the runtime."""
    store = ImageStore(root / "images")
    image = ensure_busybox(store)
    if runtime_name == "oci":
        layers = store.unpack(image)
        runtime: CrunRuntime | ProcessRuntime = CrunRuntime(root / "runtime")
    else:
        layers = []
        runtime = ProcessRuntime(root / "process")
        directories = DirectorySandboxes(root / "process" / "sandboxes")
    sandboxes = []

    async def one(i: int) -> float:
        start = time.monotonic()
        if runtime_name == "oci":
            sandbox: Any = await create_sandbox(root / "sandboxes", str(uuid.uuid4()), f"raw-{i}")
        else:
            sandbox = await directories.create(str(uuid.uuid4()), f"raw-{i}")
        sandboxes.append(sandbox)
        spec = ContainerSpec(
            args=["sleep", "3600"],
            rootfs=Path("/"),
            env=["PATH=/bin"],
            namespaces=sandbox.namespaces(),
            annotations={"io.kubernetes.cri.image-name": "busybox"},
        )
        await runtime.start(f"raw-{i}", spec, layers, root / "logs" / f"raw-{i}.log")
        return time.monotonic() - start

    try:
        return await in_batches(count, batch, one)
    finally:
        for cid in runtime.list_ids():
            await runtime.stop(cid, 0)
            await runtime.remove(cid)
        for sandbox in sandboxes:
            if runtime_name == "oci":
                await remove_sandbox(sandbox)
            else:
                await directories.remove(sandbox)


async def _tear_down(worker: Any) -> None:
    await worker.stop()
    await worker._kill_all(grace=0)
    await worker.cleanup()


async def through_the_api(root: Path, runtime: str, count: int, batch: int) -> list[float]:
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
    kubelet = Kubelet(
        KubeletConfig(node_name="bench-node", data_dir=root / "node", client=client, runtime=runtime)
    )
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

    def pod(name: str) -> dict[str, Any]:
        container = {"name": "c", "image": "busybox", "command": ["sleep", "3600"]}
        spec = {"nodeName": "bench-node", "terminationGracePeriodSeconds": 0, "containers": [container]}
        return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec}

    watcher = asyncio.create_task(watch())
    await asyncio.sleep(0.5)
    try:
        for first in range(0, count, batch):
            names = [f"p-{i}" for i in range(first, min(count, first + batch))]
            for name in names:
                created[name] = time.monotonic()
            await asyncio.gather(*(client.create(PODS, pod(name), namespace="default") for name in names))
            # Bounded: a pod that never runs ends the run with an error instead of hanging it.
            await asyncio.wait_for(batch_done.wait(), BATCH_TIMEOUT)
            batch_done.clear()
        await asyncio.wait_for(done.wait(), BATCH_TIMEOUT)
    finally:
        watcher.cancel()
        for worker in list(kubelet.workers.values()):
            await asyncio.wait_for(_tear_down(worker), TEARDOWN_TIMEOUT)
        stop.set()
        await asyncio.wait_for(agent, TEARDOWN_TIMEOUT)
        await client.aclose()
        await running.stop()
    return [running_at[n] - created[n] for n in created]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pods", type=int, default=100)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--runtime", choices=("all", "oci", "process"), default="all")
    args = parser.parse_args()
    runtimes = ["oci", "process"] if args.runtime == "all" else [args.runtime]
    if "oci" in runtimes and os.geteuid() != 0:
        emit(scenario="oci", skipped="the oci runtime needs root")
        runtimes.remove("oci")
    with tempfile.TemporaryDirectory(prefix="pyk8s-bench-") as tmp:
        root = Path(tmp)
        if "oci" in runtimes:
            summary("oci pod sandbox", await sandboxes_only(root / "sandboxes", args.pods, args.batch))
        for runtime in runtimes:
            raw, cpu = await measured(
                args.pods, raw_runtime(root / f"raw-{runtime}", runtime, args.pods, args.batch)
            )
            summary(f"raw {runtime} sandbox+container", raw, cpu_ms_per_pod=cpu)
            api, cpu = await measured(
                args.pods, through_the_api(root / f"api-{runtime}", runtime, args.pods, args.batch)
            )
            summary(
                f"{runtime} pod create->Running (watch)", api, target_p99_s=TARGET_P99, cpu_ms_per_pod=cpu
            )
            emit(
                scenario=f"{runtime} ratio api/raw",
                p50=round(statistics.median(api) / statistics.median(raw), 2),
            )


if __name__ == "__main__":
    asyncio.run(main())
