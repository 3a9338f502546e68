"""Usage from cgroups and /proc: hierarchy detection, v1 and v2 files, CPU rates from two
samples, and the Summary's shape."""

from __future__ import annotations

from pathlib import Path

from pyk8s.node.kubelet.stats import (
    CgroupLayout,
    Cgroups,
    ContainerRef,
    CpuRates,
    PodRef,
    StatsProvider,
    node_cpu_usage_ns,
    node_memory,
    parse_mountinfo,
)

HYBRID = """\
25 30 0:23 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
26 25 0:24 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw
29 25 0:27 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:13 - cgroup cgroup rw,cpu,cpuacct
33 25 0:31 / /sys/fs/cgroup/memory rw,nosuid shared:17 - cgroup cgroup rw,memory
"""
PURE_V2 = (
    "30 1 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate\n"
)


class StepClock:
    """Monotonic time that moves only when something sleeps."""

    def __init__(self) -> None:
        self.t = 100.0

    def now(self) -> float:
        return 1_795_000_000.0 + self.t

    def monotonic(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        self.t += seconds


def test_layouts() -> None:
    hybrid = parse_mountinfo(HYBRID)
    assert hybrid == CgroupLayout(1, Path("/sys/fs/cgroup/cpu,cpuacct"), Path("/sys/fs/cgroup/memory"), None)
    assert parse_mountinfo(PURE_V2) == CgroupLayout(2, None, None, Path("/sys/fs/cgroup"))
    assert parse_mountinfo("").version == 0


def test_v1_and_v2_files(tmp_path: Path) -> None:
    v1 = tmp_path / "v1"
    (v1 / "cpuacct" / "pod" / "c").mkdir(parents=True)
    (v1 / "memory" / "pod" / "c").mkdir(parents=True)
    (v1 / "cpuacct" / "pod" / "c" / "cpuacct.usage").write_text("123456789\n")
    (v1 / "memory" / "pod" / "c" / "memory.usage_in_bytes").write_text("1000000\n")
    (v1 / "memory" / "pod" / "c" / "memory.stat").write_text(
        "cache 5\nrss 100\ntotal_rss 4096\ntotal_inactive_file 200000\n"
    )
    cgroups = Cgroups(CgroupLayout(1, v1 / "cpuacct", v1 / "memory"))
    assert cgroups.cpu_usage_ns("/pod/c") == 123456789
    memory = cgroups.memory("/pod/c")
    assert memory is not None and (memory.usage, memory.working_set, memory.rss) == (1000000, 800000, 4096)
    assert cgroups.cpu_usage_ns("/gone") is None and cgroups.memory("/gone") is None

    v2 = tmp_path / "v2"
    (v2 / "pod" / "c").mkdir(parents=True)
    (v2 / "pod" / "c" / "cpu.stat").write_text("usage_usec 2500\nuser_usec 2000\nsystem_usec 500\n")
    (v2 / "pod" / "c" / "memory.current").write_text("65536\n")
    (v2 / "pod" / "c" / "memory.stat").write_text("anon 8192\nfile 40960\ninactive_file 100000\n")
    cgroups = Cgroups(CgroupLayout(2, unified=v2))
    assert cgroups.cpu_usage_ns("pod/c") == 2_500_000
    memory = cgroups.memory("pod/c")
    assert memory is not None and (memory.usage, memory.working_set, memory.rss) == (65536, 0, 8192)


def test_node_files() -> None:
    stat = "cpu  100 5 50 1000 20 3 2 10 0 0\ncpu0 50 2 25 500 10 1 1 5 0 0\nbtime 1795000000\n"
    assert node_cpu_usage_ns(stat, 100) == (100 + 5 + 50 + 3 + 2 + 10) * 10_000_000
    meminfo = "MemTotal: 1000 kB\nMemFree: 300 kB\nMemAvailable: 600 kB\nBuffers: 50 kB\nCached: 150 kB\n"
    found = node_memory(meminfo)
    assert found is not None
    usage, available = found
    assert (usage.usage, usage.working_set, usage.rss, available) == (
        700 * 1024,
        400 * 1024,
        500 * 1024,
        600 * 1024,
    )
    assert node_memory("nothing useful") is None


async def test_cpu_rates_sample_twice_then_use_the_last_request_as_baseline() -> None:
    clock = StepClock()
    counter = {"value": 0}

    def read() -> int:
        counter["value"] += 50_000_000  # 50 ms of CPU between any two reads
        return counter["value"]

    rates = CpuRates(clock)  # type: ignore[arg-type]
    out, window = await rates.measure({"c": read})
    assert window == 0.25 and out["c"] == (100_000_000, 200_000_000)  # 50 ms over 0.25 s
    clock.t += 10.0
    out, window = await rates.measure({"c": read})
    assert window == 10.0 and out["c"] == (150_000_000, 5_000_000)  # one sample, 10 s after the last
    clock.t += 600  # a baseline this old is not used
    out, window = await rates.measure({"c": read, "gone": lambda: None})
    assert window == 0.25 and set(out) == {"c"}


async def test_summary_shape(tmp_path: Path) -> None:
    (tmp_path / "cpu" / "p" / "c").mkdir(parents=True)
    (tmp_path / "mem" / "p" / "c").mkdir(parents=True)
    for group in ("p", "p/c"):
        (tmp_path / "cpu" / group / "cpuacct.usage").write_text("1000\n")
        (tmp_path / "mem" / group / "memory.usage_in_bytes").write_text("4096\n")
    provider = StatsProvider(
        "n1", clock=StepClock(), cgroups=Cgroups(CgroupLayout(1, tmp_path / "cpu", tmp_path / "mem"))
    )  # type: ignore[arg-type]
    pod = PodRef("web", "default", "uid-1", "2026-11-22T10:00:00Z", "/p", [ContainerRef("main", "/p/c", "x")])
    summary = await provider.summary([pod])
    assert summary["node"]["nodeName"] == "n1" and "usageNanoCores" in summary["node"]["cpu"]
    assert summary["node"]["memory"]["workingSetBytes"] >= 0
    (entry,) = summary["pods"]
    assert entry["podRef"] == {"name": "web", "namespace": "default", "uid": "uid-1"}
    container = entry["containers"][0]
    assert container["cpu"]["usageCoreNanoSeconds"] == 1000 and container["cpu"]["usageNanoCores"] == 0
    assert container["memory"]["workingSetBytes"] == 4096 and entry["memory"]["usageBytes"] == 4096
    assert summary["window"] == "0.250s"
