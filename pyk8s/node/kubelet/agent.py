"""The node agent for real containers (runtime `oci`): registers the Node, keeps its Lease
and status fresh, watches the pods bound to it and gives each a `PodWorker`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import platform
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyk8s
from pyk8s._aio.clock import Clock, RealClock
from pyk8s.api.errors import AlreadyExistsError, ConflictError, NotFoundError, StatusError
from pyk8s.api.meta import rfc3339, rfc3339_micro
from pyk8s.client import Client
from pyk8s.client.events import EventBroadcaster
from pyk8s.client.informers.factory import SharedInformerFactory
from pyk8s.client.informers.informer import EventHandlerFuncs
from pyk8s.client.resources import (
    CONFIGMAPS,
    LEASES,
    NODES,
    PERSISTENTVOLUMECLAIMS,
    PERSISTENTVOLUMES,
    PODS,
    SECRETS,
    SERVICEACCOUNTS,
    SERVICES,
    Resource,
)
from pyk8s.client.rest import PatchType
from pyk8s.node.images.busybox import IMAGE_NAME, BusyboxMissingError, ensure_busybox
from pyk8s.node.images.gc import ImageGCManager
from pyk8s.node.images.reference import image_tag_is_latest, parse_reference
from pyk8s.node.images.registry import Credentials, RegistryError, credentials_from_docker_config, pull
from pyk8s.node.images.store import Image, ImageError, ImageStore
from pyk8s.node.kubelet.env import service_env
from pyk8s.node.kubelet.server import KubeletServer
from pyk8s.node.kubelet.volumes import VolumeError
from pyk8s.node.kubelet.worker import ImagePullError, NodeServices, PodNetwork, PodWorker
from pyk8s.node.oci.crun import CrunRuntime
from pyk8s.node.oci.sandbox import NamespaceSandboxes
from pyk8s.node.process import DirectorySandboxes, ProcessRuntime
from pyk8s.node.runtime import ContainerRuntime, SandboxManager

log = logging.getLogger("pyk8s.node.kubelet")

Obj = dict[str, Any]
LEASE_NAMESPACE = "kube-node-lease"
LEASE_SECONDS = 40
RENEW_INTERVAL = 10.0
STATUS_INTERVAL = 60.0
MAX_PODS = 110
UNREACHABLE_RETRY = 60.0
AGENT_ADDRESS_ANNOTATION = "pyk8s.io/node-agent-address"
STOP_GRACE = 5.0  # seconds each container gets when the node stops its pods on exit
LOCAL_PATH_ROOT_ANNOTATION = "pyk8s.io/local-path-root"  # where the local-path provisioner puts volumes
KINDS: dict[str, Resource] = {
    "ConfigMap": CONFIGMAPS,
    "Secret": SECRETS,
    "PersistentVolumeClaim": PERSISTENTVOLUMECLAIMS,
    "PersistentVolume": PERSISTENTVOLUMES,
}


@dataclass
class KubeletConfig:
    """One real node."""

    node_name: str
    data_dir: Path
    client: Client
    node_ip: str = "127.0.0.1"
    crun: str = "crun"
    runtime: str = "oci"  # runtime interface: `oci` (crun containers) or `process` (host processes)
    cluster_dns: list[str] = field(default_factory=list)
    cluster_domain: str = "cluster.local"
    labels: dict[str, str] = field(default_factory=dict)
    clock: Clock = field(default_factory=RealClock)
    # Stop containers and release sandboxes when the agent exits (pyk8s up), instead of leaving
    # them running for the next agent to adopt (a kubelet restart).
    stop_pods_on_exit: bool = False
    # pod network (issue 9): pods get addresses from it, and the node's InternalIP becomes its
    # node address; None: pods have no address of their own (pyk8s.network.podnet.NodeNetwork)
    network: PodNetwork | None = None


def machine_capacity(data_dir: Path) -> dict[str, str]:
    """cpu, memory, pods and ephemeral-storage of this machine."""
    memory_kib = 0
    with contextlib.suppress(OSError), open("/proc/meminfo") as handle:
        for line in handle:
            if line.startswith("MemTotal:"):
                memory_kib = int(line.split()[1])
    disk = os.statvfs(data_dir)
    return {
        "cpu": str(os.cpu_count() or 1),
        "memory": f"{memory_kib}Ki",
        "pods": str(MAX_PODS),
        "ephemeral-storage": f"{disk.f_blocks * disk.f_frsize // 1024}Ki",
        "hugepages-1Gi": "0",
        "hugepages-2Mi": "0",
    }


class Kubelet:
    """Runs the pods bound to one node on crun."""

    def __init__(self, config: KubeletConfig) -> None:
        self.config = config
        self.client = config.client
        self.clock = config.clock
        root = config.data_dir
        root.mkdir(parents=True, exist_ok=True)
        self.images = ImageStore(root / "images")
        # runtime interface (pyk8s/node/runtime.py): crun containers or host process groups
        sandboxes: SandboxManager
        if config.runtime == "process":
            self.runtime: ContainerRuntime = ProcessRuntime(root / "process")
            sandboxes = DirectorySandboxes(root / "process" / "sandboxes")
        else:
            self.runtime = CrunRuntime(root / "runtime", crun=config.crun)
            sandboxes = NamespaceSandboxes(root / "sandboxes")
        self.image_gc = ImageGCManager(self.images, clock=self.clock)
        self.workers: dict[str, PodWorker] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._unreachable: dict[str, float] = {}  # registry -> monotonic time to try again
        self.capacity = machine_capacity(root)
        self.broadcaster = EventBroadcaster(self.client, clock=self.clock)
        self.recorder = self.broadcaster.new_recorder("kubelet", host=config.node_name)
        self.factory = SharedInformerFactory(self.client)
        self.services = NodeServices(
            node_name=config.node_name,
            runtime=self.runtime,
            pods_dir=root / "pods",
            logs_dir=root / "logs" / "pods",
            lookup=self._lookup,
            ensure_image=self._ensure_image,
            image_config=self.images.config,
            image_layers=self._image_layers,
            report_status=self._report_status,
            record_event=lambda pod, kind, reason, message: self.recorder.event(pod, kind, reason, message),
            finish_deletion=self._finish_deletion,
            clock=self.clock,
            node_ip=config.node_ip,
            allocatable=dict(self.capacity),
            request_token=self._request_token,
            service_env=self._service_env,
            dns_servers=list(config.cluster_dns),
            cluster_domain=config.cluster_domain,
            network=config.network,  # pod network (issue 9)
            sandboxes=sandboxes,
            container_scheme="process" if config.runtime == "process" else "crun",
        )
        self.agent_address = config.node_ip
        self.server = KubeletServer(self)  # logs, exec, attach, port-forward, stats for the API server

    # the API

    async def _lookup(self, kind: str, namespace: str, name: str) -> Obj | None:
        try:
            return await self.client.get(KINDS[kind], name, namespace=namespace or None)
        except NotFoundError:
            return None

    async def _request_token(self, namespace: str, account: str, spec: Obj) -> str:
        try:
            review = await self.client.create(
                SERVICEACCOUNTS,
                {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": spec},
                namespace=namespace,
                name=account,
                subresource="token",
            )
        except StatusError as err:
            raise VolumeError(f"failed to fetch token: {err}") from None
        return str(review["status"]["token"])

    async def _service_env(self, namespace: str) -> dict[str, str]:
        listed = await self.client.list(SERVICES, namespace=namespace)
        services = list(listed.get("items") or [])
        if namespace != "default":
            with contextlib.suppress(NotFoundError):
                services.append(await self.client.get(SERVICES, "kubernetes", namespace="default"))
        return service_env(services)

    async def _image_layers(self, image: Image) -> list[Path]:
        """The image's unpacked layers (none for the process runtime); the thread pool only
        when a layer still has to be unpacked, since pods starting together queue there."""
        if self.config.runtime == "process":
            return []
        return self.images.unpacked(image) or await asyncio.to_thread(self.images.unpack, image)

    async def _ensure_image(self, pod: Obj, reference: str, policy: str) -> Image:
        """The image for a container, pulled as its imagePullPolicy says.

        `Always` pulls, except images the node was given rather than pulled (`pyk8s images
        import`, the built-in busybox): those are the node's own copy, as if its registry held
        them. A registry that cannot be reached at all falls back to a copy already on the
        node, and is not asked again for a minute (pyk8s' offline promise; Kubernetes would
        fail the pull)."""
        local = await asyncio.to_thread(self.images.resolve, reference)
        if local is None and _is_busybox_latest(reference):
            with contextlib.suppress(BusyboxMissingError):
                local = await asyncio.to_thread(ensure_busybox, self.images)
        policy = policy or ("Always" if image_tag_is_latest(reference) else "IfNotPresent")
        if local is not None and (policy != "Always" or local.source != "pull"):
            return local
        registry = parse_reference(reference).registry
        if local is not None and self.clock.monotonic() < self._unreachable.get(registry, 0.0):
            return local
        if policy == "Never":
            raise ImagePullError(
                f'Container image "{reference}" is not present with pull policy of Never', "ErrImageNeverPull"
            )
        try:
            return await pull(self.images, reference, await self._pull_credentials(pod))
        except RegistryError as err:
            if err.unreachable:
                self._unreachable[registry] = self.clock.monotonic() + UNREACHABLE_RETRY
            if local is not None and err.unreachable:
                log.info("registry unreachable for %s: using the copy on this node", reference)
                return local
            raise ImagePullError(f'failed to pull and unpack image "{reference}": {err}') from None
        except ImageError as err:
            raise ImagePullError(f'failed to pull and unpack image "{reference}": {err}') from None

    async def _pull_credentials(self, pod: Obj) -> dict[str, Credentials]:
        creds: dict[str, Credentials] = {}
        namespace = pod["metadata"].get("namespace", "default")
        for ref in pod["spec"].get("imagePullSecrets") or []:
            secret = await self._lookup("Secret", namespace, ref.get("name", ""))
            if secret is not None:
                creds.update(credentials_from_docker_config(secret.get("data") or {}))
        return creds

    async def _report_status(self, pod: Obj, status: Obj) -> None:
        meta = pod["metadata"]
        try:
            await self.client.patch_status(
                PODS,
                meta["name"],
                {"metadata": {"uid": meta["uid"]}, "status": status},
                namespace=meta.get("namespace"),
                patch_type=PatchType.STRATEGIC,
            )
        except (NotFoundError, ConflictError):
            pass  # the pod is gone or was replaced; its watch event follows

    async def _finish_deletion(self, pod: Obj) -> None:
        meta = pod["metadata"]
        with contextlib.suppress(NotFoundError, ConflictError):
            await self.client.delete(
                PODS,
                meta["name"],
                namespace=meta.get("namespace"),
                grace_period_seconds=0,
                preconditions={"uid": meta["uid"]},
            )

    # the node

    def node_object(self) -> Obj:
        name = self.config.node_name
        labels = {
            "kubernetes.io/hostname": name,
            "kubernetes.io/os": "linux",
            "kubernetes.io/arch": {"x86_64": "amd64", "aarch64": "arm64"}.get(
                platform.machine(), platform.machine()
            ),
            "beta.kubernetes.io/os": "linux",
            "beta.kubernetes.io/arch": {"x86_64": "amd64", "aarch64": "arm64"}.get(
                platform.machine(), platform.machine()
            ),
            **self.config.labels,
        }
        annotations = {
            LOCAL_PATH_ROOT_ANNOTATION: str(self.config.data_dir.resolve() / "local-path"),
            # Where the agent's API listens: on this machine's loopback even when the node's
            # InternalIP lives only in its pod-network namespace (see apiserver/proxy.py).
            AGENT_ADDRESS_ANNOTATION: self.agent_address,
        }
        metadata = {"name": name, "labels": labels, "annotations": annotations}
        return {"apiVersion": "v1", "kind": "Node", "metadata": metadata, "spec": {}}

    def node_status(self) -> Obj:
        now = rfc3339(self.clock.now())

        def condition(kind: str, status: str, reason: str, message: str) -> Obj:
            return {
                "type": kind,
                "status": status,
                "reason": reason,
                "message": message,
                "lastHeartbeatTime": now,
                "lastTransitionTime": now,
            }

        uname = os.uname()
        return {
            "capacity": self.capacity,
            "allocatable": self.capacity,
            "conditions": [
                condition(
                    "MemoryPressure",
                    "False",
                    "KubeletHasSufficientMemory",
                    "kubelet has sufficient memory available",
                ),
                condition(
                    "DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"
                ),
                condition(
                    "PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"
                ),
                condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
            ],
            "addresses": [
                {"type": "InternalIP", "address": self.config.node_ip},
                {"type": "Hostname", "address": self.config.node_name},
            ],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": self.server.port}},
            "nodeInfo": {
                "machineID": _machine_id(),
                "systemUUID": _machine_id(),
                "bootID": _boot_id(),
                "kernelVersion": uname.release,
                "osImage": _os_image(),
                "containerRuntimeVersion": self._runtime_version(),
                "kubeletVersion": f"v{pyk8s.KUBERNETES_VERSION}"
                if hasattr(pyk8s, "KUBERNETES_VERSION")
                else "v1.36.0",
                "kubeProxyVersion": "",
                "operatingSystem": "linux",
                "architecture": self.node_object()["metadata"]["labels"]["kubernetes.io/arch"],
            },
            "images": [
                {"names": image.repo_digests() + image.repo_tags, "sizeBytes": image.size}
                for image in self.images.images()
            ],
        }

    async def register(self) -> None:
        name = self.config.node_name
        try:
            await self.client.create(NODES, self.node_object())
            log.info("registered node %s", name)
        except AlreadyExistsError:
            log.info("node %s already registered", name)
            annotations = self.node_object()["metadata"]["annotations"]  # the local-path root may move
            await self.client.patch(NODES, name, {"metadata": {"annotations": annotations}})
        await self.client.patch_status(
            NODES, name, {"status": self.node_status()}, patch_type=PatchType.STRATEGIC
        )

    async def _renew_lease(self) -> None:
        name = self.config.node_name
        now = rfc3339_micro(self.clock.now())
        lease = {
            "apiVersion": "coordination.k8s.io/v1",
            "kind": "Lease",
            "metadata": {"name": name, "namespace": LEASE_NAMESPACE},
            "spec": {"holderIdentity": name, "leaseDurationSeconds": LEASE_SECONDS, "renewTime": now},
        }
        try:
            await self.client.patch(LEASES, name, {"spec": lease["spec"]}, namespace=LEASE_NAMESPACE)
        except NotFoundError:
            with contextlib.suppress(AlreadyExistsError):
                await self.client.create(LEASES, lease, namespace=LEASE_NAMESPACE)

    async def _heartbeats(self, stop: asyncio.Event) -> None:
        last_status = self.clock.monotonic()
        while not stop.is_set():
            try:
                await self._renew_lease()
                if self.clock.monotonic() - last_status >= STATUS_INTERVAL:
                    await self.client.patch_status(
                        NODES,
                        self.config.node_name,
                        {"status": self.node_status()},
                        patch_type=PatchType.STRATEGIC,
                    )
                    last_status = self.clock.monotonic()
            except (StatusError, OSError) as err:
                log.warning("node heartbeat failed: %s", err)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), RENEW_INTERVAL)

    # pods

    def _on_pod(self, pod: Obj) -> None:
        uid = pod["metadata"]["uid"]
        worker = self.workers.get(uid)
        if worker is None:
            if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed") and not self._has_containers(
                uid
            ):
                return  # finished before this agent started: nothing to run or report
            worker = PodWorker(pod, self.services)
            self.workers[uid] = worker
            self._spawn(self._start_worker(worker))
        else:
            worker.update(pod)

    def _spawn(self, work: Any) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _has_containers(self, uid: str) -> bool:
        return any(cid.startswith(f"{uid}-") for cid in self.runtime.list_ids())

    async def _start_worker(self, worker: PodWorker) -> None:
        await worker.recover(self.runtime.list_ids())
        worker.start()

    def _on_pod_deleted(self, pod: Any) -> None:
        obj = getattr(pod, "obj", pod)
        uid = obj["metadata"]["uid"]
        worker = self.workers.pop(uid, None)
        if worker is not None:
            self._spawn(self._forget(worker))

    async def _forget(self, worker: PodWorker) -> None:
        await worker.stop()
        if not worker.finished:  # force-deleted: stop its containers now
            await worker._kill_all(grace=2)
        await worker.cleanup()

    async def run(self, stop: asyncio.Event) -> None:
        """Serve until `stop` is set; containers keep running when the agent stops."""
        self.broadcaster.start()
        await self.server.start()
        self.agent_address = self.config.node_ip  # the server listens there, before any pod network
        network = self.config.network
        if network is not None:  # pod network (issue 9): the node host before the Node's address
            self.config.node_ip = await network.start(self.config.node_name, self.config.node_ip)
            self.services.node_ip = self.config.node_ip
        await self.register()
        informer = self.factory.informer(PODS, field_selector={"spec.nodeName": self.config.node_name})
        informer.add_event_handler(
            EventHandlerFuncs(
                add=lambda obj, _initial: self._on_pod(obj),
                update=lambda _old, new: self._on_pod(new),
                delete=self._on_pod_deleted,
            )
        )
        self.factory.start()
        network_task = None
        if network is not None:  # pod network (issue 9): podCIDR and routes from the Nodes
            network_task = asyncio.get_running_loop().create_task(network.run(stop, informer))
        heartbeats = asyncio.get_running_loop().create_task(self._heartbeats(stop))
        image_gc = asyncio.get_running_loop().create_task(self.image_gc.run(self._images_in_use, stop))
        try:
            await stop.wait()
        finally:
            for task in (heartbeats, image_gc):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            for worker in list(self.workers.values()):
                await worker.stop()
            if self.config.stop_pods_on_exit:
                await self._stop_pods()
            if network_task is not None:  # pod network (issue 9): returns once `stop` is set
                if not stop.is_set():
                    network_task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await network_task
            await self.factory.shutdown()
            await self.broadcaster.stop()
            await self.server.stop()
            remove_network = getattr(self.config.network, "remove", None)
            if self.config.stop_pods_on_exit and remove_network is not None:
                await remove_network()

    async def _stop_pods(self) -> None:
        """Stop every container and release every sandbox (`pyk8s up` leaves nothing running;
        the pods start again when the node comes back)."""
        workers = list(self.workers.values())
        log.info("stopping the containers of %d pod(s)", len(workers))
        await asyncio.gather(
            *(worker._kill_all(grace=STOP_GRACE) for worker in workers), return_exceptions=True
        )
        for worker in workers:
            try:
                await worker.cleanup()
            except Exception:  # one pod's clean-up failing must not keep the others running
                log.exception("pod %s: clean-up failed", worker.uid)

    def _images_in_use(self) -> list[str]:
        """The images the pods on this node name (image GC never removes them)."""
        refs = []
        for worker in list(self.workers.values()):
            spec = worker.pod.get("spec") or {}
            for key in ("initContainers", "containers", "ephemeralContainers"):
                refs += [c.get("image", "") for c in spec.get(key) or [] if c.get("image")]
        return refs

    def _runtime_version(self) -> str:
        if self.config.runtime == "process":
            return f"process://{pyk8s.__version__}"
        return "crun://" + _crun_version(self.config.crun)


def _is_busybox_latest(reference: str) -> bool:
    try:
        return str(parse_reference(reference)) == IMAGE_NAME
    except ValueError:
        return False


def _read(path: str) -> str:
    try:
        with open(path) as handle:
            return handle.read().strip()
    except OSError:
        return ""


def _machine_id() -> str:
    return _read("/etc/machine-id") or socket.gethostname()


def _boot_id() -> str:
    return _read("/proc/sys/kernel/random/boot_id")


def _os_image() -> str:
    for line in _read("/etc/os-release").splitlines():
        if line.startswith("PRETTY_NAME="):
            return line.split("=", 1)[1].strip('"')
    return "Linux"


def _crun_version(crun: str) -> str:
    import subprocess

    try:
        out = subprocess.run(
            [crun, "--version"], capture_output=True, text=True, timeout=5, check=False
        ).stdout
    except OSError:
        return "unknown"
    first = out.splitlines()[0] if out else ""
    return first.split()[-1] if first else "unknown"
