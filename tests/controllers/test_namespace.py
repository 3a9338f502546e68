"""Namespace deletion, default ServiceAccounts and the root CA ConfigMap, end to end: a real
API server, the controller manager running the namespace, serviceaccount and
root-ca-cert-publisher controllers, fake nodes, and the real kubectl."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from pyk8s.client.resources import CONFIGMAPS, NAMESPACES, PODS, SECRETS, SERVICEACCOUNTS, SERVICES
from pyk8s.controllers.namespace import NAMESPACE_CONTROLLER
from pyk8s.controllers.rootcacert import ROOT_CA_CERT_PUBLISHER
from pyk8s.controllers.serviceaccount import SERVICEACCOUNT_CONTROLLER

from .housekeeping import Cluster, gone, running_cluster, wait_until

pytestmark = pytest.mark.asyncio(loop_scope="module")

Obj = dict[str, Any]
HOLD = "example.com/hold"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def cluster(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Cluster]:
    tmp = tmp_path_factory.mktemp("namespace-e2e")
    descriptors = [NAMESPACE_CONTROLLER, SERVICEACCOUNT_CONTROLLER, ROOT_CA_CERT_PUBLISHER]
    async with running_cluster(tmp, descriptors) as c:
        yield c


def pod(name: str) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {"containers": [{"name": "c", "image": "busybox"}]},
    }


def conditions(ns: Obj) -> dict[str, Obj]:
    return {c["type"]: c for c in (ns.get("status") or {}).get("conditions") or []}


async def test_new_namespaces_get_a_default_service_account_and_the_root_ca(cluster: Cluster) -> None:
    await cluster.kubectl("create", "namespace", "fresh")
    account = await wait_until(lambda: _get(cluster, SERVICEACCOUNTS, "default", "fresh"), what="default SA")
    assert account["metadata"]["name"] == "default"
    cm = await wait_until(lambda: _get(cluster, CONFIGMAPS, "kube-root-ca.crt", "fresh"), what="root CA")
    ca = cluster.client.config.ca_data
    assert ca is not None and cm["data"] == {"ca.crt": ca.decode()}
    assert "kubernetes.io/description" in cm["metadata"]["annotations"]
    # both come back when deleted
    await cluster.kubectl("delete", "serviceaccount", "default", "-n", "fresh")
    await cluster.kubectl("delete", "configmap", "kube-root-ca.crt", "-n", "fresh")
    await wait_until(lambda: _get(cluster, SERVICEACCOUNTS, "default", "fresh"), what="default SA recreated")
    await wait_until(lambda: _get(cluster, CONFIGMAPS, "kube-root-ca.crt", "fresh"), what="root CA recreated")
    # and an edited CA is put back
    await cluster.client.patch(
        CONFIGMAPS, "kube-root-ca.crt", {"data": {"ca.crt": "tampered"}}, namespace="fresh"
    )

    async def restored() -> bool:
        current = await cluster.client.get(CONFIGMAPS, "kube-root-ca.crt", namespace="fresh")
        return current["data"] == {"ca.crt": ca.decode()}

    await wait_until(restored, what="root CA restored")


async def test_existing_system_namespaces_get_them_too(cluster: Cluster) -> None:
    for ns in ("default", "kube-system", "kube-public", "kube-node-lease"):
        await wait_until(
            lambda ns=ns: _get(cluster, SERVICEACCOUNTS, "default", ns), what=f"default SA in {ns}"
        )
        await wait_until(
            lambda ns=ns: _get(cluster, CONFIGMAPS, "kube-root-ca.crt", ns), what=f"root CA in {ns}"
        )


async def test_deleting_a_namespace_deletes_its_content(cluster: Cluster) -> None:
    ns = await cluster.namespace()
    await cluster.client.create(
        CONFIGMAPS, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm"}}, namespace=ns
    )
    await cluster.client.create(
        SECRETS,
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "stringData": {"k": "v"}},
        namespace=ns,
    )
    await cluster.client.create(
        SERVICES,
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "svc"},
            "spec": {"ports": [{"port": 80}]},
        },
        namespace=ns,
    )
    for i in range(3):
        await cluster.client.create(PODS, pod(f"p{i}"), namespace=ns)
    await wait_until(lambda: _running(cluster, ns, 3), what="pods running")
    await cluster.kubectl("delete", "namespace", ns, "--timeout=60s")
    assert await gone(cluster.client, NAMESPACES, ns)


async def test_terminating_namespace_reports_what_holds_it(cluster: Cluster) -> None:
    ns = await cluster.namespace()
    held = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "held", "finalizers": [HOLD]}}
    await cluster.client.create(CONFIGMAPS, held, namespace=ns)
    await cluster.kubectl("delete", "namespace", ns, "--wait=false")

    async def reported() -> dict[str, Obj] | None:
        current = conditions(await cluster.client.get(NAMESPACES, ns))
        remaining = current.get("NamespaceContentRemaining")
        return current if remaining and remaining["status"] == "True" else None

    got = await wait_until(reported, what="content conditions")
    assert got["NamespaceContentRemaining"]["reason"] == "SomeResourcesRemain"
    assert got["NamespaceContentRemaining"]["message"].startswith(
        "Some resources are remaining: configmaps. has "
    )
    assert got["NamespaceFinalizersRemaining"] | {"lastTransitionTime": ""} == {
        "type": "NamespaceFinalizersRemaining",
        "status": "True",
        "reason": "SomeFinalizersRemain",
        "message": f"Some content in the namespace has finalizers remaining: {HOLD} in 1 resource instances",
        "lastTransitionTime": "",
    }
    assert got["NamespaceDeletionDiscoveryFailure"]["status"] == "False"
    assert got["NamespaceDeletionDiscoveryFailure"]["reason"] == "ResourcesDiscovered"
    assert got["NamespaceDeletionContentFailure"]["reason"] == "ContentDeleted"
    namespace = await cluster.client.get(NAMESPACES, ns)
    assert namespace["status"]["phase"] == "Terminating"
    _, out, _ = await cluster.kubectl("describe", "namespace", ns)
    assert "SomeFinalizersRemain" in out

    await cluster.client.patch(CONFIGMAPS, "held", {"metadata": {"finalizers": None}}, namespace=ns)
    await wait_until(lambda: gone(cluster.client, NAMESPACES, ns), what="namespace removed")


async def _get(cluster: Cluster, resource: Any, name: str, namespace: str) -> Obj | None:
    try:
        return await cluster.client.get(resource, name, namespace=namespace)
    except Exception:
        return None


async def _running(cluster: Cluster, ns: str, count: int) -> bool:
    pods = (await cluster.client.list(PODS, namespace=ns))["items"]
    return len(pods) == count and all((p.get("status") or {}).get("phase") == "Running" for p in pods)
