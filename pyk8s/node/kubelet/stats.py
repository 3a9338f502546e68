"""Resource usage of the node, its pods and their containers, from cgroups and /proc, in
the shape of the kubelet's Summary API (`/stats/summary`, stats/v1alpha1).

- CPU: cumulative usage (cgroup v1 `cpuacct.usage`, v2 `cpu.stat` usage_usec; the node
  from /proc/stat) and a rate in nanocores between two samples. The previous request's
  sample is the baseline when it is between 0.2 s and 60 s old; otherwise two samples are
  taken 0.25 s apart. Nothing is sampled between requests: an idle node costs nothing.
- Memory: usage and the working set as the kubelet defines it, usage minus inactive file
  pages (v1 `memory.usage_in_bytes` - `total_inactive_file`, v2 `memory.current` -
  `inactive_file`), and RSS; the node from /proc/meminfo (working set = total - available).

Which controller hierarchy to read comes from /proc/self/mountinfo: v1 when both cpuacct
and memory are mounted as v1 controllers (hybrid hosts included), else the v2 hierarchy.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyk8s._aio.clock import Clock, RealClock
from pyk8s.api.meta import rfc3339

Obj = dict[str, Any]
SHORT_SAMPLE = 0.25
MIN_WINDOW = 0.2
MAX_BASELINE_AGE = 60.0


@dataclass(frozen=True, slots=True)
class CgroupLayout:
    """Mount points of the hierarchies that hold CPU and memory accounting."""

    version: int = 0  # 1, 2, or 0 when neither is usable
    cpu: Path | None = None  # v1 cpuacct hierarchy
    memory: Path | None = None  # v1 memory hierarchy
    unified: Path | None = None  # v2


def parse_mountinfo(text: str) -> CgroupLayout:
    """The layout from the text of /proc/self/mountinfo."""
    cpu = memory = unified = None
    for line in text.splitlines():
        head, sep, tail = line.partition(" - ")
        if not sep:
            continue
        fields, extra = head.split(), tail.split()
        if len(fields) < 5 or len(extra) < 3:
            continue
        mount_point, fstype, options = Path(fields[4]), extra[0], extra[2].split(",")
        if fstype == "cgroup":
            if "cpuacct" in options and cpu is None:
                cpu = mount_point
            if "memory" in options and memory is None:
                memory = mount_point
        elif fstype == "cgroup2" and unified is None:
            unified = mount_point
    if cpu is not None and memory is not None:
        return CgroupLayout(1, cpu, memory, None)
    if unified is not None:
        return CgroupLayout(2, None, None, unified)
    return CgroupLayout()


def detect_layout() -> CgroupLayout:
    try:
        return parse_mountinfo(Path("/proc/self/mountinfo").read_text())
    except OSError:
        return CgroupLayout()


@dataclass(frozen=True, slots=True)
class MemoryUsage:
    """Bytes, as the Summary API reports them."""

    usage: int
    working_set: int
    rss: int


def _read_int(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _read_keyed(path: Path) -> dict[str, int]:
    out: dict[str, int] = {}
    try:
        text = path.read_text()
    except OSError:
        return out
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit():
            out[parts[0]] = int(parts[1])
    return out


class Cgroups:
    """Reads usage of cgroups named relative to each hierarchy's root (as an OCI spec's
    `cgroupsPath` names them)."""

    def __init__(self, layout: CgroupLayout | None = None) -> None:
        self.layout = layout if layout is not None else detect_layout()

    def cpu_usage_ns(self, cgroup: str) -> int | None:
        """Cumulative CPU time of everything in the cgroup, in nanoseconds."""
        rel = cgroup.strip("/")
        if self.layout.version == 1 and self.layout.cpu is not None:
            return _read_int(self.layout.cpu / rel / "cpuacct.usage")
        if self.layout.version == 2 and self.layout.unified is not None:
            usec = _read_keyed(self.layout.unified / rel / "cpu.stat").get("usage_usec")
            return usec * 1000 if usec is not None else None
        return None

    def memory(self, cgroup: str) -> MemoryUsage | None:
        rel = cgroup.strip("/")
        if self.layout.version == 1 and self.layout.memory is not None:
            directory = self.layout.memory / rel
            usage = _read_int(directory / "memory.usage_in_bytes")
            if usage is None:
                return None
            stat = _read_keyed(directory / "memory.stat")
            inactive = stat.get("total_inactive_file", stat.get("inactive_file", 0))
            rss = stat.get("total_rss", stat.get("rss", 0))
            return MemoryUsage(usage, max(0, usage - inactive), rss)
        if self.layout.version == 2 and self.layout.unified is not None:
            directory = self.layout.unified / rel
            usage = _read_int(directory / "memory.current")
            if usage is None:
                return None
            stat = _read_keyed(directory / "memory.stat")
            return MemoryUsage(usage, max(0, usage - stat.get("inactive_file", 0)), stat.get("anon", 0))
        return None


def node_cpu_usage_ns(stat_text: str, ticks_per_second: int) -> int | None:
    """Busy CPU time of the whole machine from the `cpu` line of /proc/stat."""
    for line in stat_text.splitlines():
        parts = line.split()
        if parts and parts[0] == "cpu" and len(parts) >= 9:
            user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in parts[1:9])
            busy = user + nice + system + irq + softirq + steal
            return busy * 1_000_000_000 // ticks_per_second
    return None


def node_memory(meminfo_text: str) -> tuple[MemoryUsage, int] | None:
    """(usage, available bytes) of the machine from /proc/meminfo."""
    values: dict[str, int] = {}
    for line in meminfo_text.splitlines():
        name, _, rest = line.partition(":")
        parts = rest.split()
        if parts and parts[0].isdigit():
            values[name] = int(parts[0]) * 1024
    total, free = values.get("MemTotal"), values.get("MemFree")
    if total is None or free is None:
        return None
    available = values.get("MemAvailable", free)
    cache = values.get("Buffers", 0) + values.get("Cached", 0)
    usage = total - free
    return MemoryUsage(usage, max(0, total - available), max(0, usage - cache)), available


@dataclass(slots=True)
class ContainerRef:
    """A running container whose usage is reported."""

    name: str
    cgroup: str
    start_time: str


@dataclass(slots=True)
class PodRef:
    """A pod whose usage is reported: its cgroup holds every container's."""

    name: str
    namespace: str
    uid: str
    start_time: str
    cgroup: str
    containers: list[ContainerRef] = field(default_factory=list)


class CpuRates:
    """CPU rates from cumulative counters, keeping the last sample of each as the next
    request's baseline."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._last: dict[str, tuple[float, int]] = {}

    async def measure(
        self, readers: dict[str, Callable[[], int | None]]
    ) -> tuple[dict[str, tuple[int, int]], float]:
        """{key: (cumulative ns, nanocores)} for every counter that could be read, and the
        longest window a rate was measured over."""
        first = self.clock.monotonic()
        samples = {
            key: (first, value) for key, value in (await asyncio.to_thread(_read_all, readers)).items()
        }
        baselines: dict[str, tuple[float, int]] = {}
        for key, (when, value) in samples.items():
            last = self._last.get(key)
            if last is not None and MIN_WINDOW <= when - last[0] <= MAX_BASELINE_AGE and value >= last[1]:
                baselines[key] = last
        fresh = [key for key in samples if key not in baselines]
        if fresh:
            for key in fresh:
                baselines[key] = samples.pop(key)
            await self.clock.sleep(SHORT_SAMPLE)
            second = self.clock.monotonic()
            again = await asyncio.to_thread(_read_all, {key: readers[key] for key in fresh})
            samples.update({key: (second, value) for key, value in again.items()})
        out: dict[str, tuple[int, int]] = {}
        window = 0.0
        for key, (when, usage) in samples.items():
            since, before = baselines[key]
            elapsed = max(when - since, 1e-9)
            out[key] = (usage, max(0, int((usage - before) / elapsed)))
            window = max(window, elapsed)
        self._last = dict(samples)
        return out, window


def _read_all(readers: dict[str, Callable[[], int | None]]) -> dict[str, int]:
    values = {key: read() for key, read in readers.items()}
    return {key: value for key, value in values.items() if value is not None}


class StatsProvider:
    """Builds the node's Summary."""

    def __init__(self, node_name: str, *, clock: Clock | None = None, cgroups: Cgroups | None = None) -> None:
        self.node_name = node_name
        self.clock = clock or RealClock()
        self.cgroups = cgroups or Cgroups()
        self.rates = CpuRates(self.clock)
        self._ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def _node_cpu(self) -> int | None:
        try:
            return node_cpu_usage_ns(Path("/proc/stat").read_text(), self._ticks)
        except OSError:
            return None

    async def summary(self, pods: list[PodRef]) -> Obj:
        """The Summary (node, pods, containers), with a `window` of the CPU measurement."""
        readers: dict[str, Callable[[], int | None]] = {"node": self._node_cpu}
        for pod in pods:
            readers[f"pod/{pod.uid}"] = lambda cgroup=pod.cgroup: self.cgroups.cpu_usage_ns(cgroup)
            for container in pod.containers:
                readers[f"container/{pod.uid}/{container.name}"] = lambda cgroup=container.cgroup: (
                    self.cgroups.cpu_usage_ns(cgroup)
                )
        cpu, window = await self.rates.measure(readers)
        memory = await asyncio.to_thread(self._memory, pods)
        now = rfc3339(self.clock.now())

        def cpu_stats(key: str) -> Obj:
            usage, rate = cpu[key]
            return {"time": now, "usageNanoCores": rate, "usageCoreNanoSeconds": usage}

        def memory_stats(usage: MemoryUsage, available: int | None = None) -> Obj:
            out: Obj = {"time": now}
            if available is not None:
                out["availableBytes"] = available
            out.update(
                usageBytes=usage.usage,
                workingSetBytes=usage.working_set,
                rssBytes=usage.rss,
                pageFaults=0,
                majorPageFaults=0,
            )
            return out

        node: Obj = {"nodeName": self.node_name, "startTime": _boot_time()}
        if "node" in cpu:
            node["cpu"] = cpu_stats("node")
        if memory.get("node") is not None:
            usage, available = memory["node"]
            node["memory"] = memory_stats(usage, available)
        pod_entries = []
        for pod in pods:
            entry: Obj = {
                "podRef": {"name": pod.name, "namespace": pod.namespace, "uid": pod.uid},
                "startTime": pod.start_time,
                "containers": [],
            }
            for container in pod.containers:
                item: Obj = {"name": container.name, "startTime": container.start_time}
                key = f"container/{pod.uid}/{container.name}"
                if key in cpu:
                    item["cpu"] = cpu_stats(key)
                if memory.get(key) is not None:
                    item["memory"] = memory_stats(memory[key][0])
                entry["containers"].append(item)
            if f"pod/{pod.uid}" in cpu:
                entry["cpu"] = cpu_stats(f"pod/{pod.uid}")
            if memory.get(f"pod/{pod.uid}") is not None:
                entry["memory"] = memory_stats(memory[f"pod/{pod.uid}"][0])
            pod_entries.append(entry)
        return {"node": node, "pods": pod_entries, "window": f"{window:.3f}s"}

    def _memory(self, pods: list[PodRef]) -> dict[str, tuple[MemoryUsage, int | None] | None]:
        out: dict[str, tuple[MemoryUsage, int | None] | None] = {}
        try:
            node = node_memory(Path("/proc/meminfo").read_text())
        except OSError:
            node = None
        out["node"] = (node[0], node[1]) if node is not None else None
        for pod in pods:
            usage = self.cgroups.memory(pod.cgroup)
            out[f"pod/{pod.uid}"] = (usage, None) if usage is not None else None
            for container in pod.containers:
                usage = self.cgroups.memory(container.cgroup)
                out[f"container/{pod.uid}/{container.name}"] = (usage, None) if usage is not None else None
        return out


def _boot_time() -> str:
    try:
        for line in Path("/proc/stat").read_text().splitlines():
            if line.startswith("btime "):
                return rfc3339(float(line.split()[1]))
    except (OSError, ValueError):
        pass
    return ""
