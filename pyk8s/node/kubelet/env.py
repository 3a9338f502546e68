"""Container command lines and environments, resolved as the kubelet resolves them.

`$(VAR)` references expand from the variables defined before them (and the service
variables); `$$(VAR)` escapes to a literal `$(VAR)`; an unknown reference stays as written.
Missing ConfigMaps, Secrets and keys fail the container with Kubernetes' messages unless
the reference is optional.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from pyk8s.api.quantity import Quantity

Obj = dict[str, Any]
Lookup = Callable[[str, str, str], Awaitable[Obj | None]]  # (kind, namespace, name) -> object

_REFERENCE = re.compile(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")
_ENV_NAME = re.compile(r"^[-._a-zA-Z][-._a-zA-Z0-9]*$")


class ContainerConfigError(Exception):
    """The container cannot be configured (reported as CreateContainerConfigError)."""


def expand(text: str, env: Mapping[str, str]) -> str:
    """Expand `$(VAR)` in `text` from `env`, as Kubernetes does."""

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group(1)
        return env.get(name, match.group(0))

    return _REFERENCE.sub(replace, text)


def command_line(container: Obj, image_config: Obj, env: Mapping[str, str]) -> list[str]:
    """argv: the container's command/args over the image's ENTRYPOINT/CMD, expanded."""
    config = image_config.get("config") or {}
    entrypoint = list(config.get("Entrypoint") or [])
    cmd = list(config.get("Cmd") or [])
    command = container.get("command")
    args = container.get("args")
    if command:
        argv = [expand(c, env) for c in command] + [expand(a, env) for a in args or []]
    elif args:
        argv = entrypoint + [expand(a, env) for a in args]
    else:
        argv = entrypoint + cmd
    if not argv:
        raise ContainerConfigError("no command specified")
    return argv


def image_env(image_config: Obj) -> dict[str, str]:
    """The image's ENV, as a dict (the container's own variables override it)."""
    out = {}
    for item in (image_config.get("config") or {}).get("Env") or []:
        key, _, value = item.partition("=")
        out[key] = value
    return out


def field_ref(pod: Obj, path: str) -> str:
    meta = pod.get("metadata") or {}
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    simple = {
        "metadata.name": meta.get("name", ""),
        "metadata.namespace": meta.get("namespace", ""),
        "metadata.uid": meta.get("uid", ""),
        "spec.nodeName": spec.get("nodeName", ""),
        "spec.serviceAccountName": spec.get("serviceAccountName", ""),
        "status.hostIP": status.get("hostIP", ""),
        "status.podIP": status.get("podIP", ""),
        "status.hostIPs": ",".join(i.get("ip", "") for i in status.get("hostIPs") or []),
        "status.podIPs": ",".join(i.get("ip", "") for i in status.get("podIPs") or []),
    }
    if path in simple:
        return simple[path]
    match = re.fullmatch(r"metadata\.(labels|annotations)\['(.+)'\]", path)
    if match:
        return (meta.get(match.group(1)) or {}).get(match.group(2), "")
    if path in ("metadata.labels", "metadata.annotations"):
        items = meta.get(path.split(".")[1]) or {}
        return "\n".join(f'{k}="{v}"' for k, v in sorted(items.items()))
    raise ContainerConfigError(f"unsupported fieldRef fieldPath {path!r}")


def resourcefield_ref(pod: Obj, container: Obj, ref: Obj, node_allocatable: Mapping[str, str]) -> str:
    """The value of a resourceFieldRef: the container's limit or request, in `divisor`
    units rounded up (limits default to the node's allocatable, as the kubelet does)."""
    target = container
    if ref.get("containerName"):
        every = [*(pod["spec"].get("initContainers") or []), *pod["spec"].get("containers", [])]
        target = next((c for c in every if c.get("name") == ref["containerName"]), container)
    resource = ref.get("resource", "")
    kind, _, name = resource.partition(".")
    resources = target.get("resources") or {}
    value = (resources.get(kind) or {}).get(name)
    if value is None:
        value = "0" if kind == "requests" else node_allocatable.get(name, "0")
    divisor = Quantity.parse(str(ref.get("divisor") or "1"))
    amount = Quantity.parse(str(value))
    units = amount.milli_value() / max(1, divisor.milli_value())
    whole = int(units) if units == int(units) else int(units) + 1
    return str(whole)


async def container_env(
    pod: Obj,
    container: Obj,
    lookup: Lookup,
    *,
    service_env: Mapping[str, str] | None = None,
    node_allocatable: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The container's environment (without the image's), in definition order."""
    namespace = pod["metadata"].get("namespace", "default")
    env: dict[str, str] = dict(service_env or {})
    cache: dict[tuple[str, str], Obj | None] = {}

    async def fetch(kind: str, name: str) -> Obj | None:
        if (kind, name) not in cache:
            cache[(kind, name)] = await lookup(kind, namespace, name)
        return cache[(kind, name)]

    for source in container.get("envFrom") or []:
        prefix = source.get("prefix", "")
        for kind, key in (("ConfigMap", "configMapRef"), ("Secret", "secretRef")):
            ref = source.get(key)
            if not ref:
                continue
            obj = await fetch(kind, ref.get("name", ""))
            if obj is None:
                if ref.get("optional"):
                    continue
                raise ContainerConfigError(f'{kind.lower()} "{ref.get("name", "")}" not found')
            for name, value in _data(kind, obj).items():
                full = prefix + name
                if _ENV_NAME.match(full):
                    env[full] = value
    for item in container.get("env") or []:
        name = item.get("name", "")
        if "value" in item or not item.get("valueFrom"):
            env[name] = expand(str(item.get("value", "")), env)
            continue
        source = item["valueFrom"]
        if "fieldRef" in source:
            env[name] = field_ref(pod, source["fieldRef"].get("fieldPath", ""))
        elif "resourceFieldRef" in source:
            env[name] = resourcefield_ref(pod, container, source["resourceFieldRef"], node_allocatable or {})
        else:
            for kind, key in (("ConfigMap", "configMapKeyRef"), ("Secret", "secretKeyRef")):
                ref = source.get(key)
                if not ref:
                    continue
                obj = await fetch(kind, ref.get("name", ""))
                if obj is None:
                    if ref.get("optional"):
                        break
                    raise ContainerConfigError(f'{kind.lower()} "{ref.get("name", "")}" not found')
                data = _data(kind, obj)
                if ref.get("key") not in data:
                    if ref.get("optional"):
                        break
                    raise ContainerConfigError(
                        f"couldn't find key {ref.get('key')} in {kind} {namespace}/{ref.get('name', '')}"
                    )
                env[name] = data[ref["key"]]
                break
    return env


def _data(kind: str, obj: Obj) -> dict[str, str]:
    if kind == "Secret":
        return {k: base64.b64decode(v).decode("utf-8", "replace") for k, v in (obj.get("data") or {}).items()}
    out = dict(obj.get("data") or {})
    for k, v in (obj.get("binaryData") or {}).items():
        out.setdefault(k, base64.b64decode(v).decode("utf-8", "replace"))
    return out


def service_env(services: list[Obj]) -> dict[str, str]:
    """Docker-link-style variables for the Services of the pod's namespace (and the
    `kubernetes` Service), as enableServiceLinks adds them."""
    env: dict[str, str] = {}
    for service in sorted(services, key=lambda s: s["metadata"]["name"]):
        spec = service.get("spec") or {}
        ip = spec.get("clusterIP")
        if not ip or ip == "None" or spec.get("type") == "ExternalName":
            continue
        base = service["metadata"]["name"].upper().replace("-", "_")
        ports = spec.get("ports") or []
        if not ports:
            continue
        env[f"{base}_SERVICE_HOST"] = ip
        env[f"{base}_SERVICE_PORT"] = str(ports[0]["port"])
        for port in ports:
            if port.get("name"):
                env[f"{base}_SERVICE_PORT_{port['name'].upper().replace('-', '_')}"] = str(port["port"])
        first = ports[0]
        protocol = (first.get("protocol") or "TCP").lower()
        env[f"{base}_PORT"] = f"{protocol}://{ip}:{first['port']}"
        for port in ports:
            proto = port.get("protocol") or "TCP"
            prefix = f"{base}_PORT_{port['port']}_{proto.upper()}"
            env[prefix] = f"{proto.lower()}://{ip}:{port['port']}"
            env[f"{prefix}_PROTO"] = proto.lower()
            env[f"{prefix}_PORT"] = str(port["port"])
            env[f"{prefix}_ADDR"] = ip
    return env
