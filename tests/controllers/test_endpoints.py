"""The Service networking controllers end to end: a real API server, the controller manager
running the EndpointSlice, Endpoints, mirroring and load balancer controllers (plus the
ReplicaSet and Deployment controllers), fake nodes that start pods, and the real kubectl.

A Deployment's Service gets its slices and Endpoints as pods become ready and terminate;
named target ports resolve per pod; publishNotReadyAddresses; slices split at the
per-slice limit; Endpoints of selector-less Services are mirrored; LoadBalancer Services get
an address from the pool and lose it when they stop being one.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import AsyncIterator
from typing import Any

import pytest

from pyk8s.api.errors import NotFoundError
from pyk8s.client import Client
from pyk8s.client.resources import DEPLOYMENTS, ENDPOINTS, ENDPOINTSLICES, PODS, SERVICES
from pyk8s.controllers.deployment.controller import DEPLOYMENT_CONTROLLER
from pyk8s.controllers.endpoints import ENDPOINTS_CONTROLLER
from pyk8s.controllers.endpointslice import new_endpointslice_controller
from pyk8s.controllers.endpointslicemirroring import ENDPOINTSLICEMIRRORING_CONTROLLER
from pyk8s.controllers.loadbalancer import new_service_lb_controller
from pyk8s.controllers.manager import ControllerManager, ControllerManagerConfig
from pyk8s.controllers.replicaset import REPLICASET_CONTROLLER
from pyk8s.controllers.runtime.registry import ControllerDescriptor, ControllerRegistry
from pyk8s.testing.nodes import FakeNodes

from .conftest import Cluster, Kubectl, eventually

Obj = dict[str, Any]
NS = "default"
MANAGED_BY = "endpointslice.kubernetes.io/managed-by"
SERVICE_NAME = "kubernetes.io/service-name"


def registry(*, max_endpoints: int = 100, pool: str = "10.241.0.0/29") -> ControllerRegistry:
    return ControllerRegistry(
        [
            REPLICASET_CONTROLLER,
            DEPLOYMENT_CONTROLLER,
            ENDPOINTS_CONTROLLER,
            ENDPOINTSLICEMIRRORING_CONTROLLER,
            ControllerDescriptor(
                "endpointslice", functools.partial(new_endpointslice_controller, max_endpoints=max_endpoints)
            ),
            ControllerDescriptor("service-lb", functools.partial(new_service_lb_controller, pool=pool)),
        ]
    )


async def start(
    cluster: Cluster, **registry_options: Any
) -> tuple[ControllerManager, asyncio.Event, asyncio.Task]:
    manager = ControllerManager(
        ControllerManagerConfig(kubeconfig=cluster.kubeconfig, leader_elect=False),
        registry=registry(**registry_options),
    )
    stop = asyncio.Event()
    return manager, stop, asyncio.create_task(manager.run(stop))


@pytest.fixture
async def controllers(cluster: Cluster) -> AsyncIterator[ControllerManager]:
    manager, stop, task = await start(cluster)
    yield manager
    stop.set()
    await asyncio.wait_for(task, 30)


@pytest.fixture
async def fake_nodes(client: Client) -> AsyncIterator[FakeNodes]:
    # pods start not ready (the test says when) and stay terminating until the test lets go
    async with FakeNodes(client, nodes=("node-a", "node-b"), ready=False, delete_terminating=False) as fake:
        yield fake


def deployment(name: str, replicas: int) -> Obj:
    labels = {"app": name}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": NS},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "containers": [
                        {"name": "web", "image": "nginx", "ports": [{"name": "http", "containerPort": 8080}]}
                    ]
                },
            },
        },
    }


def service(name: str, **spec: Any) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": NS, "labels": {"team": "blue"}},
        "spec": {
            "selector": {"app": name},
            "ports": [{"name": "web", "port": 80, "targetPort": "http", "protocol": "TCP"}],
            **spec,
        },
    }


async def slices_of(client: Client, name: str) -> list[Obj]:
    items = (await client.list(ENDPOINTSLICES, namespace=NS, label_selector=f"{SERVICE_NAME}={name}"))[
        "items"
    ]
    return sorted(items, key=lambda s: s["metadata"]["name"])


def conditions(slices: list[Obj]) -> dict[str, Obj]:
    return {e["targetRef"]["name"]: e["conditions"] for s in slices for e in s.get("endpoints") or []}


async def pods_of(client: Client, app: str) -> list[Obj]:
    items = (await client.list(PODS, namespace=NS, label_selector=f"app={app}"))["items"]
    return sorted(items, key=lambda p: p["metadata"]["name"])


async def endpoints_of(client: Client, name: str) -> Obj | None:
    try:
        return await client.get(ENDPOINTS, name, namespace=NS)
    except Exception:
        return None


async def test_deployment_service_slices_and_endpoints_follow_pods(
    client: Client, kubectl: Kubectl, controllers: ControllerManager, fake_nodes: FakeNodes
) -> None:
    await client.create(DEPLOYMENTS, deployment("web", 3))
    svc = await client.create(SERVICES, service("web"))

    async def running_pods() -> list[Obj] | None:
        pods = await pods_of(client, "web")
        ok = len(pods) == 3 and all((p.get("status") or {}).get("podIP") for p in pods)
        return pods if ok else None

    pods = await eventually(running_pods)
    names = [p["metadata"]["name"] for p in pods]

    async def not_ready_slice() -> list[Obj] | None:
        slices = await slices_of(client, "web")
        return slices if len(conditions(slices)) == 3 else None

    slices = await eventually(not_ready_slice)
    assert len(slices) == 1
    (eps,) = slices
    assert eps["metadata"]["labels"] == {
        "team": "blue",
        SERVICE_NAME: "web",
        MANAGED_BY: "endpointslice-controller.k8s.io",
    }
    assert eps["metadata"]["ownerReferences"][0]["uid"] == svc["metadata"]["uid"]
    assert eps["ports"] == [{"name": "web", "port": 8080, "protocol": "TCP"}]  # the named port, resolved
    assert eps["addressType"] == "IPv4"
    assert all(
        c == {"ready": False, "serving": False, "terminating": False} for c in conditions(slices).values()
    )
    endpoint = next(e for e in eps["endpoints"] if e["targetRef"]["name"] == names[0])
    assert endpoint["nodeName"] in ("node-a", "node-b") and endpoint["addresses"] == [
        pods[0]["status"]["podIP"]
    ]

    async def endpoints_state() -> tuple[list[str], list[str]] | None:
        ep = await endpoints_of(client, "web")
        if ep is None:
            return None
        subsets = ep.get("subsets") or []
        ready = sorted(a["targetRef"]["name"] for s in subsets for a in s.get("addresses") or [])
        not_ready = sorted(a["targetRef"]["name"] for s in subsets for a in s.get("notReadyAddresses") or [])
        return ready, not_ready

    await eventually(lambda: _equals(endpoints_state, ([], sorted(names))))

    # pods become ready one by one
    fake_nodes.set_ready(NS, names[0], True)
    fake_nodes.set_ready(NS, names[1], True)

    async def two_ready() -> bool:
        c = conditions(await slices_of(client, "web"))
        return [c[n]["ready"] for n in names] == [True, True, False]

    await eventually(two_ready)
    await eventually(lambda: _equals(endpoints_state, (sorted(names[:2]), [names[2]])))
    ep = await client.get(ENDPOINTS, "web", namespace=NS)
    assert ep["metadata"]["labels"] == {"team": "blue"}
    assert ep["subsets"][0]["ports"] == [{"name": "web", "port": 8080, "protocol": "TCP"}]

    # a terminating pod: ready false, still serving, terminating; gone from the Endpoints
    await client.delete(PODS, names[0], namespace=NS)

    async def terminating() -> bool:
        c = conditions(await slices_of(client, "web"))
        return c.get(names[0]) == {"ready": False, "serving": True, "terminating": True}

    await eventually(terminating)
    await eventually(lambda: _in_endpoints(client, names[0], False))

    # kubectl shows both
    table = await kubectl.run("get", "endpointslices", "-l", f"{SERVICE_NAME}=web")
    assert "IPv4" in table and "8080" in table
    assert "8080" in await kubectl.run("get", "endpoints", "web")

    # the pod goes (and its replacement becomes ready): the slice follows
    pod = await client.get(PODS, names[0], namespace=NS)
    await client.delete(
        PODS, names[0], namespace=NS, grace_period_seconds=0, preconditions={"uid": pod["metadata"]["uid"]}
    )

    async def gone() -> bool:
        return names[0] not in conditions(await slices_of(client, "web"))

    await eventually(gone)

    # the Service goes: its Endpoints go (slices are owned by it; the GC removes them)
    await client.delete(SERVICES, "web", namespace=NS)
    await eventually(lambda: _is_none(endpoints_of(client, "web")))


async def _equals(check: Any, expected: Any) -> bool:
    return (await check()) == expected


async def _is_none(awaitable: Any) -> bool:
    return (await awaitable) is None


async def _in_endpoints(client: Client, pod: str, present: bool) -> bool:
    ep = await endpoints_of(client, "web")
    subsets = (ep or {}).get("subsets") or []
    names = {
        a["targetRef"]["name"]
        for s in subsets
        for key in ("addresses", "notReadyAddresses")
        for a in s.get(key) or []
    }
    return (pod in names) == present


async def test_publish_not_ready_addresses(
    client: Client, controllers: ControllerManager, fake_nodes: FakeNodes
) -> None:
    await client.create(DEPLOYMENTS, deployment("db", 2))
    await client.create(SERVICES, service("db", clusterIP="None", publishNotReadyAddresses=True))

    async def published() -> bool:
        slices = await slices_of(client, "db")
        c = conditions(slices)
        ep = await endpoints_of(client, "db")
        ready = [a for s in (ep or {}).get("subsets") or [] for a in s.get("addresses") or []]
        return (
            len(c) == 2
            and all(v == {"ready": True, "serving": False, "terminating": False} for v in c.values())
            and len(ready) == 2
            and slices[0]["metadata"]["labels"].get("service.kubernetes.io/headless") == ""
        )

    await eventually(published)


async def test_slices_split_at_the_limit(client: Client, cluster: Cluster, fake_nodes: FakeNodes) -> None:
    _manager, stop, task = await start(cluster, max_endpoints=2)
    try:
        await client.create(DEPLOYMENTS, deployment("many", 5))
        await client.create(SERVICES, service("many"))

        async def split() -> list[int] | None:
            sizes = sorted(len(s.get("endpoints") or []) for s in await slices_of(client, "many"))
            return sizes if sum(sizes) == 5 else None

        assert await eventually(split) == [1, 2, 2]
        await client.patch(DEPLOYMENTS, "many", {"spec": {"replicas": 1}}, namespace=NS)

        async def shrunk() -> list[int] | None:
            pods = [p for p in await pods_of(client, "many") if not p["metadata"].get("deletionTimestamp")]
            slices = await slices_of(client, "many")
            live = {p["metadata"]["name"] for p in pods}
            names = set(conditions(slices))
            # deleted pods stay terminating (the fake kubelet waits): drop them for good
            for name in names - live:
                with contextlib.suppress(NotFoundError):
                    await client.delete(PODS, name, namespace=NS, grace_period_seconds=0)
            return (
                [len(s.get("endpoints") or []) for s in slices] if names == live and len(live) == 1 else None
            )

        assert await eventually(shrunk) == [1]
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)


async def test_endpoints_of_selectorless_services_are_mirrored(
    client: Client, controllers: ControllerManager
) -> None:
    await client.create(
        SERVICES,
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "external-db", "namespace": NS},
            "spec": {"ports": [{"name": "pg", "port": 5432, "protocol": "TCP"}]},
        },
    )
    await client.create(
        ENDPOINTS,
        {
            "apiVersion": "v1",
            "kind": "Endpoints",
            "metadata": {"name": "external-db", "namespace": NS, "labels": {"owner": "dba"}},
            "subsets": [
                {
                    "addresses": [{"ip": "192.0.2.10"}],
                    "notReadyAddresses": [{"ip": "192.0.2.11"}],
                    "ports": [{"name": "pg", "port": 5432, "protocol": "TCP"}],
                }
            ],
        },
    )

    async def mirrored() -> list[Obj] | None:
        slices = await slices_of(client, "external-db")
        return slices if slices and len(slices[0].get("endpoints") or []) == 2 else None

    (mirror,) = await eventually(mirrored)
    assert mirror["metadata"]["labels"] == {
        "owner": "dba",
        SERVICE_NAME: "external-db",
        MANAGED_BY: "endpointslicemirroring-controller.k8s.io",
    }
    assert mirror["metadata"]["ownerReferences"][0]["kind"] == "Endpoints"
    assert sorted((e["addresses"][0], e["conditions"]["ready"]) for e in mirror["endpoints"]) == [
        ("192.0.2.10", True),
        ("192.0.2.11", False),
    ]
    assert mirror["ports"] == [{"name": "pg", "port": 5432, "protocol": "TCP"}]

    # the Endpoints changes: so does the slice (the same one)
    ep = await client.get(ENDPOINTS, "external-db", namespace=NS)
    ep["subsets"][0]["addresses"].append({"ip": "192.0.2.12"})
    await client.update(ENDPOINTS, ep)

    async def followed() -> bool:
        slices = await slices_of(client, "external-db")
        return [len(s["endpoints"]) for s in slices] == [3] and slices[0]["metadata"]["name"] == mirror[
            "metadata"
        ]["name"]

    await eventually(followed)

    # the API server's own `kubernetes` Endpoints is never mirrored
    kubernetes = await slices_of(client, "kubernetes")
    assert [s["metadata"]["name"] for s in kubernetes] == ["kubernetes"]

    # a selector appears: the mirror goes
    await client.patch(SERVICES, "external-db", {"spec": {"selector": {"app": "nothing"}}}, namespace=NS)

    async def unmirrored() -> bool:
        return not any(
            s["metadata"]["labels"].get(MANAGED_BY) == "endpointslicemirroring-controller.k8s.io"
            for s in await slices_of(client, "external-db")
        )

    await eventually(unmirrored)


async def test_load_balancer_addresses_from_the_pool(
    client: Client, kubectl: Kubectl, controllers: ControllerManager
) -> None:
    lb = service("front", type="LoadBalancer")
    first = await client.create(SERVICES, lb)
    await client.create(
        SERVICES, {**service("back", type="LoadBalancer"), "metadata": {"name": "back", "namespace": NS}}
    )

    async def ingress(name: str) -> list[str] | None:
        svc = await client.get(SERVICES, name, namespace=NS)
        entries = ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
        return [e["ip"] for e in entries] or None

    front = await eventually(lambda: ingress("front"))
    back = await eventually(lambda: ingress("back"))
    assert len(front) == 1 and len(back) == 1 and front != back
    assert {front[0], back[0]} <= {f"10.241.0.{i}" for i in range(1, 7)}
    assert front[0] in await kubectl.run("get", "service", "front")  # EXTERNAL-IP
    assert first["metadata"]["name"] == "front"

    # no longer a LoadBalancer: the address is taken back
    await client.patch(SERVICES, "front", {"spec": {"type": "ClusterIP"}}, namespace=NS)

    async def released() -> bool:
        return await ingress("front") is None

    await eventually(released)


async def test_a_service_without_pods_keeps_one_placeholder_slice(
    client: Client, controllers: ControllerManager
) -> None:
    await client.create(SERVICES, service("lonely"))

    async def placeholder() -> Obj | None:
        slices = await slices_of(client, "lonely")
        return slices[0] if len(slices) == 1 else None

    first = await eventually(placeholder)
    assert not first.get("endpoints")
    assert not first.get("ports")
    reconciler = controllers.controllers["endpointslice"]
    seen = reconciler.reconciles
    await client.patch(SERVICES, "lonely", {"metadata": {"annotations": {"touched": "yes"}}}, namespace=NS)

    async def reconciled() -> bool:
        return reconciler.reconciles > seen and reconciler.is_idle()

    await eventually(reconciled)
    (again,) = await slices_of(client, "lonely")
    assert again["metadata"]["resourceVersion"] == first["metadata"]["resourceVersion"]
