"""Objects the API server creates at bootstrap carry managedFields, as kube-apiserver's
(an Update by the manager `kube-apiserver`), and the `kubernetes` Endpoints is labelled so
the mirroring controller leaves it alone."""

from __future__ import annotations

from typing import Any

import pytest

from pyk8s.api.resource import RequestContext
from pyk8s.apiserver.bootstrap import SYSTEM_USER, ensure_system_objects

from .conftest import Api

BOOTSTRAPPED = [
    "/api/v1/namespaces/default",
    "/api/v1/namespaces/kube-system",
    "/api/v1/namespaces/kube-public",
    "/api/v1/namespaces/kube-node-lease",
    "/api/v1/namespaces/default/services/kubernetes",
    "/api/v1/namespaces/default/endpoints/kubernetes",
    "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes",
    "/apis/scheduling.k8s.io/v1/priorityclasses/system-node-critical",
    "/apis/scheduling.k8s.io/v1/priorityclasses/system-cluster-critical",
]
SKIP_MIRROR = "endpointslice.kubernetes.io/skip-mirror"
ENDPOINTS = "/api/v1/namespaces/default/endpoints/kubernetes"


@pytest.mark.parametrize("path", BOOTSTRAPPED)
async def test_bootstrap_objects_are_updates_by_kube_apiserver(api: Api, path: str) -> None:
    obj = await api.json("GET", path, expect=200)
    [entry] = obj["metadata"]["managedFields"]
    assert (entry["manager"], entry["operation"], entry["fieldsType"]) == (
        "kube-apiserver",
        "Update",
        "FieldsV1",
    )
    assert entry["apiVersion"] == obj["apiVersion"] and entry["time"]
    assert "f:metadata" in entry["fieldsV1"] or path.endswith("critical")


async def test_kubernetes_service_fields_are_owned(api: Api) -> None:
    service = await api.json("GET", "/api/v1/namespaces/default/services/kubernetes", expect=200)
    fields = service["metadata"]["managedFields"][0]["fieldsV1"]
    assert set(fields["f:metadata"]["f:labels"]) == {".", "f:component", "f:provider"}
    assert {"f:clusterIP", "f:ports", "f:type"} <= set(fields["f:spec"])


async def test_kubernetes_endpoints_skip_mirroring(api: Api) -> None:
    endpoints = await api.json("GET", ENDPOINTS, expect=200)
    assert endpoints["metadata"]["labels"] == {SKIP_MIRROR: "true"}
    fields = endpoints["metadata"]["managedFields"][0]["fieldsV1"]
    assert fields["f:metadata"]["f:labels"] == {".": {}, f"f:{SKIP_MIRROR}": {}}


async def test_a_restart_labels_an_old_endpoints_and_changes_nothing_else(api: Api) -> None:
    # an Endpoints written by an older start, without the label (only the API server's own
    # user may write its loopback address)
    store = api.server.endpoint("", "v1", "endpoints").storage  # type: ignore[union-attr]

    def unlabelled(obj: dict[str, Any]) -> dict[str, Any]:
        obj["metadata"].pop("labels", None)
        return obj

    ctx = RequestContext("default", SYSTEM_USER, field_manager="older-start")
    old, _ = await store.update(ctx, "kubernetes", unlabelled)
    assert "labels" not in old["metadata"]
    before = {path: (await api.json("GET", path))["metadata"]["resourceVersion"] for path in BOOTSTRAPPED}

    await ensure_system_objects(api.server, service_cidr="10.96.0.0/12", host="127.0.0.1", port=6443)
    after = {path: (await api.json("GET", path))["metadata"]["resourceVersion"] for path in BOOTSTRAPPED}
    assert {path for path in BOOTSTRAPPED if before[path] != after[path]} == {ENDPOINTS}
    relabelled = await api.json("GET", ENDPOINTS)
    assert relabelled["metadata"]["labels"] == {SKIP_MIRROR: "true"}
    assert relabelled["subsets"] == old["subsets"]
    assert "kube-apiserver" in {e["manager"] for e in relabelled["metadata"]["managedFields"]}

    await ensure_system_objects(api.server, service_cidr="10.96.0.0/12", host="127.0.0.1", port=6443)
    assert (await api.json("GET", ENDPOINTS))["metadata"]["resourceVersion"] == (
        relabelled["metadata"]["resourceVersion"]
    )
