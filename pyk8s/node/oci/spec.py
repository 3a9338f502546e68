"""OCI runtime specs (config.json) for pod containers.

The defaults follow what containerd's CRI plugin gives a Kubernetes container: the default
capability set, masked and read-only /proc paths, /dev as tmpfs with the standard devices,
no new privileges unless asked, and the pod's shared namespaces joined by path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

OCI_VERSION = "1.0.2"

# The capabilities a container gets by default (as containerd and CRI-O grant them).
DEFAULT_CAPABILITIES = (
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_FSETID",
    "CAP_FOWNER",
    "CAP_MKNOD",
    "CAP_NET_RAW",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETFCAP",
    "CAP_SETPCAP",
    "CAP_NET_BIND_SERVICE",
    "CAP_SYS_CHROOT",
    "CAP_KILL",
    "CAP_AUDIT_WRITE",
)
ALL_CAPABILITIES = (
    *DEFAULT_CAPABILITIES,
    "CAP_DAC_READ_SEARCH",
    "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",
    "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO",
    "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN",
    "CAP_SYS_BOOT",
    "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG",
    "CAP_LEASE",
    "CAP_AUDIT_CONTROL",
    "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN",
    "CAP_SYSLOG",
    "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
    "CAP_PERFMON",
    "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
)
MASKED_PATHS = (
    "/proc/acpi",
    "/proc/asound",
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/proc/sched_debug",
    "/proc/scsi",
    "/sys/firmware",
    "/sys/devices/virtual/powercap",
)
READONLY_PATHS = (
    "/proc/bus",
    "/proc/fs",
    "/proc/irq",
    "/proc/sys",
    "/proc/sysrq-trigger",
)
CPU_PERIOD_US = 100_000
MIN_CPU_SHARES = 2


def capability_name(name: str) -> str:
    """`NET_ADMIN` or `CAP_NET_ADMIN` → `CAP_NET_ADMIN` (Kubernetes drops the prefix)."""
    name = name.upper()
    return name if name.startswith("CAP_") else f"CAP_{name}"


@dataclass(slots=True)
class Mount:
    """One mount in the container (a bind mount unless `type` says otherwise)."""

    destination: str
    source: str
    type: str = "bind"
    options: list[str] = field(default_factory=lambda: ["rbind", "rprivate"])
    read_only: bool = False

    def to_spec(self) -> dict[str, Any]:
        options = list(self.options)
        if self.read_only and "ro" not in options:
            options.append("ro")
        return {"destination": self.destination, "type": self.type, "source": self.source, "options": options}


@dataclass(slots=True)
class Resources:
    """cgroup limits from the container's resources (None: unlimited)."""

    memory_limit: int | None = None
    cpu_quota_millis: int | None = None  # from limits.cpu
    cpu_shares: int | None = None  # from requests.cpu
    pids_limit: int | None = None

    def to_spec(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.memory_limit:
            out["memory"] = {"limit": self.memory_limit, "swap": self.memory_limit}
        cpu: dict[str, Any] = {}
        if self.cpu_quota_millis:
            cpu["quota"] = max(1000, self.cpu_quota_millis * CPU_PERIOD_US // 1000)
            cpu["period"] = CPU_PERIOD_US
        if self.cpu_shares:
            cpu["shares"] = max(MIN_CPU_SHARES, self.cpu_shares)
        if cpu:
            out["cpu"] = cpu
        if self.pids_limit:
            out["pids"] = {"limit": self.pids_limit}
        return out


def cpu_shares_for(millicores: int) -> int:
    """cpu.shares for a CPU request, as the kubelet converts it (1 core = 1024)."""
    return max(MIN_CPU_SHARES, millicores * 1024 // 1000)


@dataclass(slots=True)
class ContainerSpec:
    """What the node agent decides about one container; `to_oci` renders config.json."""

    args: list[str]
    rootfs: Path
    env: list[str] = field(default_factory=list)
    cwd: str = "/"
    uid: int = 0
    gid: int = 0
    additional_gids: list[int] = field(default_factory=list)
    hostname: str = ""
    terminal: bool = False
    readonly_rootfs: bool = False
    privileged: bool = False
    capabilities_add: list[str] = field(default_factory=list)
    capabilities_drop: list[str] = field(default_factory=list)
    no_new_privileges: bool = False
    namespaces: dict[str, str] = field(default_factory=dict)  # type -> path to join; absent: new
    mounts: list[Mount] = field(default_factory=list)
    resources: Resources = field(default_factory=Resources)
    cgroups_path: str = ""
    oom_score_adj: int | None = None
    annotations: dict[str, str] = field(default_factory=dict)
    masked_paths: tuple[str, ...] = MASKED_PATHS
    readonly_paths: tuple[str, ...] = READONLY_PATHS

    def capabilities(self) -> list[str]:
        """The effective capability set."""
        if self.privileged:
            return list(ALL_CAPABILITIES)
        drop = {capability_name(c) for c in self.capabilities_drop}
        caps = [] if "CAP_ALL" in drop else [c for c in DEFAULT_CAPABILITIES if c not in drop]
        for cap in self.capabilities_add:
            name = capability_name(cap)
            if name == "CAP_ALL":
                return list(ALL_CAPABILITIES)
            if name not in caps:
                caps.append(name)
        return caps

    def to_oci(self) -> dict[str, Any]:
        """The OCI runtime spec document."""
        caps = self.capabilities()
        namespaces = []
        for kind in ("pid", "network", "ipc", "uts", "mount", "cgroup"):
            entry: dict[str, str] = {"type": kind}
            if kind in self.namespaces:
                entry["path"] = self.namespaces[kind]
            namespaces.append(entry)
        mounts = [
            {
                "destination": "/proc",
                "type": "proc",
                "source": "proc",
                "options": ["nosuid", "noexec", "nodev"],
            },
            {
                "destination": "/dev",
                "type": "tmpfs",
                "source": "tmpfs",
                "options": ["nosuid", "strictatime", "mode=755", "size=65536k"],
            },
            {
                "destination": "/dev/pts",
                "type": "devpts",
                "source": "devpts",
                "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"],
            },
            {
                "destination": "/dev/mqueue",
                "type": "mqueue",
                "source": "mqueue",
                "options": ["nosuid", "noexec", "nodev"],
            },
            {
                "destination": "/sys",
                "type": "sysfs",
                "source": "sysfs",
                "options": ["nosuid", "noexec", "nodev", "ro" if not self.privileged else "rw"],
            },
            {
                "destination": "/sys/fs/cgroup",
                "type": "cgroup",
                "source": "cgroup",
                "options": ["nosuid", "noexec", "nodev", "relatime", "ro"],
            },
        ]
        if not any(m.destination == "/dev/shm" for m in self.mounts):
            mounts.append(
                {
                    "destination": "/dev/shm",
                    "type": "tmpfs",
                    "source": "shm",
                    "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"],
                }
            )
        mounts.extend(m.to_spec() for m in self.mounts)
        linux: dict[str, Any] = {
            "namespaces": namespaces,
            "resources": {
                "devices": [{"allow": self.privileged, "access": "rwm"}],
                **self.resources.to_spec(),
            },
        }
        if self.cgroups_path:
            linux["cgroupsPath"] = self.cgroups_path
        if not self.privileged:
            linux["maskedPaths"] = list(self.masked_paths)
            linux["readonlyPaths"] = list(self.readonly_paths)
        process: dict[str, Any] = {
            "terminal": self.terminal,
            "user": {"uid": self.uid, "gid": self.gid, "additionalGids": sorted(set(self.additional_gids))},
            "args": list(self.args),
            "env": list(self.env),
            "cwd": self.cwd or "/",
            "capabilities": {
                "bounding": caps,
                "effective": caps if self.uid == 0 else [],
                "permitted": caps,
                "inheritable": [],
                "ambient": [],
            },
            "noNewPrivileges": self.no_new_privileges,
        }
        if self.oom_score_adj is not None:
            process["oomScoreAdj"] = self.oom_score_adj
        spec: dict[str, Any] = {
            "ociVersion": OCI_VERSION,
            "process": process,
            "root": {"path": str(self.rootfs), "readonly": self.readonly_rootfs},
            "mounts": mounts,
            "linux": linux,
            "annotations": dict(self.annotations),
        }
        if self.hostname and "uts" not in self.namespaces:
            spec["hostname"] = self.hostname
        return spec
