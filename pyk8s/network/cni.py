"""CNI: the node's network configuration and the plugins that carry it out.

The configuration is a standard CNI network configuration list in the node's data dir
(`<data>/network/net.d/`); pyk8s writes `10-pyk8s.conflist` once the node has a podCIDR:

    bridge (cni0, gateway .1, no masquerade, hairpin)  ──ipam──►  host-local (the podCIDR)

The first `*.conflist`/`*.conf` in lexical order wins, as in containerd, so a user can
drop in another configuration. Plugins are executed as the CNI specification (1.0) says:
one process per plugin with `CNI_*` variables and the plugin's configuration on stdin,
ADD in list order with each result passed on as `prevResult`, DEL in reverse order with
the cached ADD result. They run inside the node host namespace (`ip netns exec`), so the
bridge and the host ends of the pod veths are created there and never in the machine's
root namespace; `CNI_NETNS` is the pod's namespace. The ADD result is cached beside the
configuration it came from (as libcni's cache does), so DEL uses exactly what ADD used
even if the configuration changed since.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyk8s.network.addresses import POD_BRIDGE
from pyk8s.network.netns import run

Obj = dict[str, Any]
CNI_VERSION = "1.0.0"
NETWORK_NAME = "pyk8s"
CONFLIST_NAME = "10-pyk8s.conflist"
LOOPBACK_CONFLIST: Obj = {
    "cniVersion": CNI_VERSION,
    "name": "cni-loopback",
    "plugins": [{"type": "loopback"}],
}
DEFAULT_BIN_DIRS = ("/usr/lib/cni", "/opt/cni/bin")


class CniError(Exception):
    """A plugin failed (the message is the plugin's own `msg`), or no configuration exists."""


def bridge_conflist(
    pod_cidr: str, *, ipam_dir: Path, bridge: str = POD_BRIDGE, name: str = NETWORK_NAME, mtu: int = 0
) -> Obj:
    """The pod network of one node: pods on `bridge` with addresses from `pod_cidr`.

    The bridge is the pods' gateway (first address of the CIDR) and their default route, so
    traffic to other nodes' pods is routed by the node host; `ipMasq` is off because pod
    to pod traffic is never NATed. host-local keeps its leases in `ipam_dir`, which
    survives agent restarts.
    """
    plugin: Obj = {
        "type": "bridge",
        "bridge": bridge,
        "isGateway": True,
        "ipMasq": False,
        "hairpinMode": True,
        "ipam": {
            "type": "host-local",
            "ranges": [[{"subnet": pod_cidr}]],
            "routes": [{"dst": "0.0.0.0/0"}],
            "dataDir": str(ipam_dir),
        },
    }
    if mtu:
        plugin["mtu"] = mtu
    return {"cniVersion": CNI_VERSION, "name": name, "plugins": [plugin]}


def load_conflist(conf_dir: Path) -> Obj | None:
    """The configuration list in `conf_dir` that wins (first by file name), or None.
    A single-plugin `.conf` file is read as a list of one."""
    try:
        names = sorted(p.name for p in conf_dir.iterdir() if p.suffix in (".conflist", ".conf", ".json"))
    except FileNotFoundError:
        return None
    for name in names:
        try:
            data = json.loads((conf_dir / name).read_text())
        except (OSError, ValueError):
            continue
        if not isinstance(data, dict):
            continue
        if "plugins" not in data and "type" in data:
            plugin = {k: v for k, v in data.items() if k not in ("cniVersion", "name")}
            data = {
                "cniVersion": data.get("cniVersion", CNI_VERSION),
                "name": data.get("name"),
                "plugins": [plugin],
            }
        if data.get("name") and data.get("plugins"):
            return data
    return None


def write_conflist(conf_dir: Path, conflist: Obj, name: str = CONFLIST_NAME) -> bool:
    """Write `conflist` as `name` unless it is already there; True if written."""
    path = conf_dir / name
    text = json.dumps(conflist, indent=2, sort_keys=True) + "\n"
    with contextlib.suppress(OSError):
        if path.read_text() == text:
            return False
    conf_dir.mkdir(parents=True, exist_ok=True)
    _atomic_write(path, text)
    return True


def plugin_config(conflist: Mapping[str, Any], plugin: Mapping[str, Any], prev_result: Obj | None) -> Obj:
    """What one plugin of a list reads on stdin: its own object plus the list's name and
    version, and the previous plugin's result."""
    config: Obj = {**plugin, "cniVersion": conflist.get("cniVersion", CNI_VERSION), "name": conflist["name"]}
    if prev_result is not None:
        config["prevResult"] = prev_result
    return config


def cni_args(pod: Mapping[str, Any]) -> str:
    """`CNI_ARGS` as container runtimes pass them for Kubernetes pods."""
    meta = pod.get("metadata") or {}
    return ";".join(
        (
            "IgnoreUnknown=1",
            f"K8S_POD_NAMESPACE={meta.get('namespace', 'default')}",
            f"K8S_POD_NAME={meta.get('name', '')}",
            f"K8S_POD_INFRA_CONTAINER_ID={meta.get('uid', '')}",
            f"K8S_POD_UID={meta.get('uid', '')}",
        )
    )


def result_ips(result: Mapping[str, Any]) -> list[str]:
    """The addresses (without prefix length) of a CNI result, in order."""
    return [
        str(entry["address"]).split("/", 1)[0] for entry in result.get("ips") or [] if entry.get("address")
    ]


@dataclass(frozen=True)
class Attachment:
    """One pod's interface on one network: what ADD produced, cached for DEL."""

    container_id: str
    ifname: str
    netns: str
    args: str
    conflist: Obj
    result: Obj

    def to_json(self) -> str:
        return json.dumps(
            {
                "kind": "cniCacheV1",
                "containerId": self.container_id,
                "ifName": self.ifname,
                "netns": self.netns,
                "args": self.args,
                "config": self.conflist,
                "result": self.result,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> Attachment:
        data = json.loads(text)
        return cls(
            data["containerId"],
            data["ifName"],
            data["netns"],
            data.get("args", ""),
            data["config"],
            data["result"],
        )

    @property
    def ips(self) -> list[str]:
        return result_ips(self.result)


class CniRunner:
    """Executes CNI plugins inside the node host namespace `host_netns`."""

    def __init__(self, host_netns: str, *, bin_dirs: Sequence[str] = DEFAULT_BIN_DIRS) -> None:
        self.host_netns = host_netns
        self.bin_dirs = tuple(bin_dirs)

    def find_plugin(self, kind: str) -> str:
        for directory in self.bin_dirs:
            path = os.path.join(directory, kind)
            if os.access(path, os.X_OK):
                return path
        raise CniError(f"failed to find plugin {kind!r} in path {list(self.bin_dirs)}")

    async def add(
        self, conflist: Obj, *, container_id: str, netns: str, ifname: str = "eth0", args: str = ""
    ) -> Attachment:
        """ADD every plugin of `conflist` in order; on a failure, DEL what was added."""
        result: Obj | None = None
        try:
            for plugin in conflist["plugins"]:
                output = await self._exec(
                    "ADD", plugin_config(conflist, plugin, result), container_id, netns, ifname, args
                )
                result = output or result
        except CniError:
            with contextlib.suppress(CniError):
                await self.delete(Attachment(container_id, ifname, netns, args, conflist, result or {}))
            raise
        return Attachment(container_id, ifname, netns, args, conflist, result or {})

    async def delete(self, attachment: Attachment) -> None:
        """DEL every plugin of the attachment's configuration, last first. A namespace that
        is already gone is not an error: plugins release what they still can (addresses)."""
        errors: list[str] = []
        prev = attachment.result or None
        for plugin in reversed(attachment.conflist["plugins"]):
            try:
                await self._exec(
                    "DEL",
                    plugin_config(attachment.conflist, plugin, prev),
                    attachment.container_id,
                    attachment.netns,
                    attachment.ifname,
                    attachment.args,
                )
            except CniError as err:
                errors.append(str(err))
        if errors:
            raise CniError("; ".join(errors))

    async def _exec(
        self, command: str, config: Obj, container_id: str, netns: str, ifname: str, args: str
    ) -> Obj | None:
        binary = self.find_plugin(str(config["type"]))
        env = {
            "PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"),
            "CNI_COMMAND": command,
            "CNI_CONTAINERID": container_id,
            "CNI_NETNS": netns,
            "CNI_IFNAME": ifname,
            "CNI_ARGS": args,
            "CNI_PATH": os.pathsep.join(self.bin_dirs),
        }
        code, out, err = await run(
            "ip",
            "netns",
            "exec",
            self.host_netns,
            binary,
            stdin=json.dumps(config).encode(),
            env=env,
            check=False,
        )
        if code != 0:
            raise CniError(_plugin_error(config["type"], command, out, err))
        text = out.decode().strip()
        if not text:
            return None
        try:
            result = json.loads(text)
        except ValueError:
            raise CniError(f"plugin {config['type']} {command}: output is not JSON: {text[:200]}") from None
        return result if isinstance(result, dict) else None


def _plugin_error(kind: object, command: str, out: bytes, err: bytes) -> str:
    try:
        data = json.loads(out.decode())
        message = str(data.get("msg") or data)
        if data.get("details"):
            message += f" ({data['details']})"
    except ValueError:
        message = (err or out).decode(errors="replace").strip() or "failed"
    return f"plugin type={kind!r} {command}: {message}"


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


class AttachmentCache:
    """ADD results by container ID, one file each, kept until DEL succeeded."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, container_id: str, ifname: str) -> Path:
        return self.directory / f"{container_id}-{ifname}.json"

    def get(self, container_id: str, ifname: str = "eth0") -> Attachment | None:
        try:
            return Attachment.from_json(self._path(container_id, ifname).read_text())
        except (OSError, ValueError, KeyError):
            return None

    def put(self, attachment: Attachment) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        _atomic_write(self._path(attachment.container_id, attachment.ifname), attachment.to_json())

    def remove(self, container_id: str, ifname: str = "eth0") -> None:
        with contextlib.suppress(FileNotFoundError):
            self._path(container_id, ifname).unlink()

    def all(self) -> list[Attachment]:
        found = []
        with contextlib.suppress(FileNotFoundError):
            for path in sorted(self.directory.glob("*.json")):
                with contextlib.suppress(OSError, ValueError, KeyError):
                    found.append(Attachment.from_json(path.read_text()))
        return found
