"""The networking, discovery, coordination, rbac, storage, scheduling, node, certificates,
admissionregistration, apiextensions, apiregistration and flowcontrol kinds over HTTP:
create, list as a Table with Kubernetes' columns, an invalid create answered 422 with its
causes, discovery, and the status and approval subresources."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from .conftest import Api

TABLE = {"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"}
KEY = ec.generate_private_key(ec.SECP256R1())
CSR = base64.b64encode(
    x509.CertificateSigningRequestBuilder()
    .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "alice")]))
    .sign(KEY, hashes.SHA256())
    .public_bytes(serialization.Encoding.PEM)
).decode()
SCHEMA = {
    "openAPIV3Schema": {
        "type": "object",
        "properties": {"spec": {"type": "object", "properties": {"size": {"type": "integer"}}}},
    }
}


def obj(api_version: str, kind: str, name: str, **fields: Any) -> dict[str, Any]:
    return {"apiVersion": api_version, "kind": kind, "metadata": {"name": name}, **fields}


NET = "networking.k8s.io/v1"
WEBHOOK = {
    "name": "check.example.com",
    "clientConfig": {"url": "https://hooks.example.com/check"},
    "sideEffects": "None",
    "admissionReviewVersions": ["v1"],
}

# (collection path, valid object, Table columns, first cells, invalid object, cause field)
CASES = [
    pytest.param(
        f"/apis/{NET}/namespaces/default/ingresses",
        obj(
            NET,
            "Ingress",
            "web",
            spec={"defaultBackend": {"service": {"name": "web", "port": {"number": 80}}}},
        ),
        ["Name", "Class", "Hosts", "Address", "Ports", "Age"],
        ["web", "<none>", "*", "", "80"],
        obj(NET, "Ingress", "bad", spec={}),
        "spec",
        id="ingresses",
    ),
    pytest.param(
        f"/apis/{NET}/ingressclasses",
        obj(NET, "IngressClass", "nginx", spec={"controller": "k8s.io/ingress-nginx"}),
        ["Name", "Controller", "Parameters", "Age"],
        ["nginx", "k8s.io/ingress-nginx", "<none>"],
        obj(NET, "IngressClass", "bad", spec={"controller": "nginx"}),
        "spec.controller",
        id="ingressclasses",
    ),
    pytest.param(
        f"/apis/{NET}/namespaces/default/networkpolicies",
        obj(NET, "NetworkPolicy", "deny", spec={"podSelector": {}}),
        ["Name", "Pod-Selector", "Age"],
        ["deny", "<none>"],
        obj(NET, "NetworkPolicy", "bad", spec={"policyTypes": ["Sideways"]}),
        "spec.policyTypes[0]",
        id="networkpolicies",
    ),
    pytest.param(
        "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices",
        obj(
            "discovery.k8s.io/v1",
            "EndpointSlice",
            "web-1",
            addressType="IPv4",
            endpoints=[{"addresses": ["10.1.0.5"]}],
            ports=[{"port": 8080}],
        ),
        ["Name", "AddressType", "Ports", "Endpoints", "Age"],
        ["web-1", "IPv4", "8080", "10.1.0.5"],
        obj("discovery.k8s.io/v1", "EndpointSlice", "bad", addressType="IPv5"),
        "addressType",
        id="endpointslices",
    ),
    pytest.param(
        "/apis/coordination.k8s.io/v1/namespaces/default/leases",
        obj(
            "coordination.k8s.io/v1",
            "Lease",
            "leader",
            spec={"holderIdentity": "a", "leaseDurationSeconds": 15},
        ),
        ["Name", "Holder", "Age"],
        ["leader", "a"],
        obj("coordination.k8s.io/v1", "Lease", "bad", spec={"leaseDurationSeconds": 0}),
        "spec.leaseDurationSeconds",
        id="leases",
    ),
    pytest.param(
        "/apis/rbac.authorization.k8s.io/v1/clusterroles",
        obj(
            "rbac.authorization.k8s.io/v1",
            "ClusterRole",
            "test:reader",
            rules=[{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}],
        ),
        ["Name", "Created At"],
        ["test:reader"],
        obj(
            "rbac.authorization.k8s.io/v1",
            "ClusterRole",
            "bad",
            rules=[{"apiGroups": [""], "resources": ["pods"]}],
        ),
        "rules[0].verbs",
        id="clusterroles",
    ),
    pytest.param(
        "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings",
        obj(
            "rbac.authorization.k8s.io/v1",
            "RoleBinding",
            "readers",
            roleRef={"kind": "ClusterRole", "name": "view"},
            subjects=[{"kind": "User", "name": "alice"}],
        ),
        ["Name", "Role", "Age", "Users", "Groups", "ServiceAccounts"],
        ["readers", "ClusterRole/view"],
        obj("rbac.authorization.k8s.io/v1", "RoleBinding", "bad", roleRef={"kind": "Thing", "name": "view"}),
        "roleRef.kind",
        id="rolebindings",
    ),
    pytest.param(
        "/apis/storage.k8s.io/v1/storageclasses",
        obj("storage.k8s.io/v1", "StorageClass", "fast", provisioner="csi.example.com"),
        ["Name", "Provisioner", "ReclaimPolicy", "VolumeBindingMode", "AllowVolumeExpansion", "Age"],
        ["fast", "csi.example.com", "Delete", "Immediate", False],
        obj(
            "storage.k8s.io/v1", "StorageClass", "bad", provisioner="csi.example.com", reclaimPolicy="Recycle"
        ),
        "reclaimPolicy",
        id="storageclasses",
    ),
    pytest.param(
        "/apis/storage.k8s.io/v1/csidrivers",
        obj("storage.k8s.io/v1", "CSIDriver", "csi.example.com", spec={}),
        [
            "Name",
            "AttachRequired",
            "PodInfoOnMount",
            "StorageCapacity",
            "TokenRequests",
            "RequiresRepublish",
            "Modes",
            "Age",
        ],
        ["csi.example.com", True, False, False, "<unset>", False, "Persistent"],
        obj("storage.k8s.io/v1", "CSIDriver", "bad.example.com", spec={"fsGroupPolicy": "Sometimes"}),
        "spec.fsGroupPolicy",
        id="csidrivers",
    ),
    pytest.param(
        "/apis/storage.k8s.io/v1/csinodes",
        obj(
            "storage.k8s.io/v1",
            "CSINode",
            "node-1",
            spec={"drivers": [{"name": "csi.example.com", "nodeID": "n1"}]},
        ),
        ["Name", "Drivers", "Age"],
        ["node-1", 1],
        obj("storage.k8s.io/v1", "CSINode", "node-2", spec={"drivers": [{"name": "csi.example.com"}]}),
        "spec.drivers[0].nodeID",
        id="csinodes",
    ),
    pytest.param(
        "/apis/storage.k8s.io/v1/volumeattachments",
        obj(
            "storage.k8s.io/v1",
            "VolumeAttachment",
            "csi-1",
            spec={
                "attacher": "csi.example.com",
                "nodeName": "node-1",
                "source": {"persistentVolumeName": "pv-1"},
            },
        ),
        ["Name", "Attacher", "PV", "Node", "Attached", "Age"],
        ["csi-1", "csi.example.com", "pv-1", "node-1", False],
        obj(
            "storage.k8s.io/v1",
            "VolumeAttachment",
            "bad",
            spec={"attacher": "csi.example.com", "nodeName": "n", "source": {}},
        ),
        "spec.source",
        id="volumeattachments",
    ),
    pytest.param(
        "/apis/scheduling.k8s.io/v1/priorityclasses",
        obj("scheduling.k8s.io/v1", "PriorityClass", "high", value=1000),
        ["Name", "Value", "Global-Default", "Age", "PreemptionPolicy"],
        ["high", 1000, False],
        obj("scheduling.k8s.io/v1", "PriorityClass", "system-mine", value=1),
        "metadata.name",
        id="priorityclasses",
    ),
    pytest.param(
        "/apis/node.k8s.io/v1/runtimeclasses",
        obj("node.k8s.io/v1", "RuntimeClass", "gvisor", handler="runsc"),
        ["Name", "Handler", "Age"],
        ["gvisor", "runsc"],
        obj("node.k8s.io/v1", "RuntimeClass", "bad", handler="run.sc"),
        "handler",
        id="runtimeclasses",
    ),
    pytest.param(
        "/apis/certificates.k8s.io/v1/certificatesigningrequests",
        obj(
            "certificates.k8s.io/v1",
            "CertificateSigningRequest",
            "alice",
            spec={"request": CSR, "signerName": "example.com/signer", "usages": ["client auth"]},
        ),
        ["Name", "Age", "SignerName", "Requestor", "RequestedDuration", "Condition"],
        ["alice"],
        obj(
            "certificates.k8s.io/v1",
            "CertificateSigningRequest",
            "bad",
            spec={
                "request": base64.b64encode(b"junk").decode(),
                "signerName": "example.com/signer",
                "usages": ["client auth"],
            },
        ),
        "spec.request",
        id="certificatesigningrequests",
    ),
    pytest.param(
        "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations",
        obj(
            "admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "checks", webhooks=[WEBHOOK]
        ),
        ["Name", "Webhooks", "Age"],
        ["checks", 1],
        obj(
            "admissionregistration.k8s.io/v1",
            "ValidatingWebhookConfiguration",
            "bad",
            webhooks=[{**WEBHOOK, "timeoutSeconds": 60}],
        ),
        "webhooks[0].timeoutSeconds",
        id="validatingwebhookconfigurations",
    ),
    pytest.param(
        "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations",
        obj(
            "admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", "mutators", webhooks=[WEBHOOK]
        ),
        ["Name", "Webhooks", "Age"],
        ["mutators", 1],
        obj(
            "admissionregistration.k8s.io/v1",
            "MutatingWebhookConfiguration",
            "bad",
            webhooks=[{**WEBHOOK, "name": "short"}],
        ),
        "webhooks[0].name",
        id="mutatingwebhookconfigurations",
    ),
    pytest.param(
        "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
        obj(
            "apiextensions.k8s.io/v1",
            "CustomResourceDefinition",
            "widgets.example.com",
            spec={
                "group": "example.com",
                "names": {"plural": "widgets", "kind": "Widget"},
                "scope": "Namespaced",
                "versions": [{"name": "v1", "served": True, "storage": True, "schema": SCHEMA}],
            },
        ),
        ["Name", "Created At"],
        ["widgets.example.com"],
        obj(
            "apiextensions.k8s.io/v1",
            "CustomResourceDefinition",
            "gadgets.example",
            spec={
                "group": "example",
                "names": {"plural": "gadgets", "kind": "Gadget"},
                "scope": "Namespaced",
                "versions": [{"name": "v1", "served": True, "storage": True, "schema": SCHEMA}],
            },
        ),
        "spec.group",
        id="customresourcedefinitions",
    ),
    pytest.param(
        "/apis/apiregistration.k8s.io/v1/apiservices",
        obj(
            "apiregistration.k8s.io/v1",
            "APIService",
            "v1.widgets.example.com",
            spec={
                "group": "widgets.example.com",
                "version": "v1",
                "groupPriorityMinimum": 1000,
                "versionPriority": 15,
            },
        ),
        ["Name", "Service", "Available", "Age"],
        ["v1.widgets.example.com", "Local", "True"],
        obj(
            "apiregistration.k8s.io/v1",
            "APIService",
            "v2.widgets.example.com",
            spec={
                "group": "widgets.example.com",
                "version": "v1",
                "groupPriorityMinimum": 1000,
                "versionPriority": 15,
            },
        ),
        "metadata.name",
        id="apiservices",
    ),
    pytest.param(
        "/apis/flowcontrol.apiserver.k8s.io/v1/prioritylevelconfigurations",
        obj(
            "flowcontrol.apiserver.k8s.io/v1",
            "PriorityLevelConfiguration",
            "batch",
            spec={"type": "Limited", "limited": {"limitResponse": {"type": "Queue", "queuing": {}}}},
        ),
        ["Name", "Type", "NominalConcurrencyShares", "Queues", "HandSize", "QueueLengthLimit", "Age"],
        ["batch", "Limited", 30, 64, 8, 50],
        obj(
            "flowcontrol.apiserver.k8s.io/v1", "PriorityLevelConfiguration", "bad", spec={"type": "Unlimited"}
        ),
        "spec.type",
        id="prioritylevelconfigurations",
    ),
    pytest.param(
        "/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas",
        obj(
            "flowcontrol.apiserver.k8s.io/v1",
            "FlowSchema",
            "batch-jobs",
            spec={
                "priorityLevelConfiguration": {"name": "batch"},
                "distinguisherMethod": {"type": "ByUser"},
                "rules": [
                    {
                        "subjects": [{"kind": "Group", "group": {"name": "batch"}}],
                        "nonResourceRules": [{"verbs": ["*"], "nonResourceURLs": ["*"]}],
                    }
                ],
            },
        ),
        ["Name", "PriorityLevel", "MatchingPrecedence", "DistinguisherMethod", "Age", "MissingPL"],
        ["batch-jobs", "batch", 1000, "ByUser"],
        obj("flowcontrol.apiserver.k8s.io/v1", "FlowSchema", "bad", spec={"priorityLevelConfiguration": {}}),
        "spec.priorityLevelConfiguration.name",
        id="flowschemas",
    ),
]


@pytest.mark.parametrize(("path", "good", "columns", "cells", "bad", "field"), CASES)
async def test_create_list_as_table_and_reject(
    api: Api,
    path: str,
    good: dict[str, Any],
    columns: list[str],
    cells: list[Any],
    bad: dict[str, Any],
    field: str,
) -> None:
    created = await api.json("POST", path, good, expect=201)
    assert created["metadata"]["name"] == good["metadata"]["name"] and created["metadata"]["resourceVersion"]
    table = await api.json(
        "GET", f"{path}?fieldSelector=metadata.name={good['metadata']['name']}", headers=TABLE
    )
    assert table["kind"] == "Table"
    assert [c["name"] for c in table["columnDefinitions"]] == columns
    assert table["rows"][0]["cells"][: len(cells)] == cells
    body = await api.json("POST", path, bad, expect=422)
    assert body["reason"] == "Invalid"
    assert field in [c["field"] for c in body["details"]["causes"]]
    name = bad["metadata"]["name"]
    await api.json("GET", f"{path}/{name}", expect=404)


@pytest.mark.parametrize(
    ("group_version", "resource", "expected"),
    [
        pytest.param(NET, "ingresses", {"shortNames": ["ing"], "namespaced": True}, id="ingresses"),
        pytest.param(
            NET, "networkpolicies", {"shortNames": ["netpol"], "singularName": "networkpolicy"}, id="netpol"
        ),
        pytest.param(
            "storage.k8s.io/v1", "storageclasses", {"shortNames": ["sc"], "namespaced": False}, id="sc"
        ),
        pytest.param("scheduling.k8s.io/v1", "priorityclasses", {"shortNames": ["pc"]}, id="pc"),
        pytest.param(
            "certificates.k8s.io/v1", "certificatesigningrequests", {"shortNames": ["csr"]}, id="csr"
        ),
        pytest.param(
            "apiextensions.k8s.io/v1",
            "customresourcedefinitions",
            {"shortNames": ["crd", "crds"], "categories": ["api-extensions"]},
            id="crd",
        ),
        pytest.param(
            "admissionregistration.k8s.io/v1",
            "validatingwebhookconfigurations",
            {"categories": ["api-extensions"], "namespaced": False},
            id="webhooks",
        ),
        pytest.param("authorization.k8s.io/v1", "subjectaccessreviews", {"verbs": ["create"]}, id="sar"),
        pytest.param(
            "authorization.k8s.io/v1",
            "localsubjectaccessreviews",
            {"verbs": ["create"], "namespaced": True},
            id="lsar",
        ),
        pytest.param(
            "authentication.k8s.io/v1", "tokenreviews", {"verbs": ["create"], "namespaced": False}, id="tr"
        ),
    ],
)
async def test_discovery(api: Api, group_version: str, resource: str, expected: dict[str, Any]) -> None:
    listing = await api.json("GET", f"/apis/{group_version}", expect=200)
    found = {r["name"]: r for r in listing["resources"]}
    for key, value in expected.items():
        assert found[resource][key] == value, key


async def test_subresources_are_listed(api: Api) -> None:
    listing = await api.json("GET", "/apis/certificates.k8s.io/v1", expect=200)
    names = {r["name"] for r in listing["resources"]}
    assert {
        "certificatesigningrequests",
        "certificatesigningrequests/approval",
        "certificatesigningrequests/status",
    } <= names


async def test_ingress_status_is_written_only_through_status(api: Api) -> None:
    path = f"/apis/{NET}/namespaces/default/ingresses"
    ing = obj(
        NET, "Ingress", "lb", spec={"defaultBackend": {"service": {"name": "web", "port": {"number": 80}}}}
    )
    created = await api.json("POST", path, ing, expect=201)
    created["status"] = {"loadBalancer": {"ingress": [{"ip": "192.0.2.10"}]}}
    updated = await api.json("PUT", f"{path}/lb", created, expect=200)
    assert "loadBalancer" not in (updated.get("status") or {})
    updated["status"] = {"loadBalancer": {"ingress": [{"ip": "192.0.2.10"}]}}
    status = await api.json("PUT", f"{path}/lb/status", updated, expect=200)
    assert status["status"]["loadBalancer"]["ingress"] == [{"ip": "192.0.2.10"}]
    table = await api.json("GET", f"{path}/lb", headers=TABLE)
    assert table["rows"][0]["cells"][3] == "192.0.2.10"
    current = await api.json("GET", f"{path}/lb", expect=200)
    current["status"] = {"loadBalancer": {"ingress": [{"hostname": "10.0.0.1"}]}}
    body = await api.json("PUT", f"{path}/lb/status", current, expect=422)
    assert body["details"]["causes"][0]["field"] == "status.loadBalancer.ingress[0].hostname"


async def test_csr_approval(api: Api) -> None:
    path = "/apis/certificates.k8s.io/v1/certificatesigningrequests"
    csr = obj(
        "certificates.k8s.io/v1",
        "CertificateSigningRequest",
        "alice",
        spec={
            "request": CSR,
            "signerName": "example.com/signer",
            "usages": ["client auth"],
            "username": "mallory",
        },
    )
    created = await api.json("POST", path, csr, expect=201)
    assert created["spec"]["username"] == "admin" and created["status"] == {}
    approved = dict(
        created, status={"conditions": [{"type": "Approved", "status": "True", "reason": "Test"}]}
    )
    body = await api.json("PUT", f"{path}/alice/status", approved, expect=422)
    assert (
        body["details"]["causes"][0]["message"]
        == 'Forbidden: updates may not add a condition of type "Approved"'
    )
    result = await api.json("PUT", f"{path}/alice/approval", approved, expect=200)
    condition = result["status"]["conditions"][0]
    assert (condition["type"], condition["status"]) == ("Approved", "True") and condition["lastUpdateTime"]
    table = await api.json("GET", f"{path}/alice", headers=TABLE)
    assert table["rows"][0]["cells"][5] == "Approved"


async def test_storage_class_keeps_its_provisioner(api: Api) -> None:
    path = "/apis/storage.k8s.io/v1/storageclasses"
    sc = obj("storage.k8s.io/v1", "StorageClass", "standard", provisioner="csi.example.com")
    sc["metadata"]["annotations"] = {"storageclass.kubernetes.io/is-default-class": "true"}
    created = await api.json("POST", path, sc, expect=201)
    assert (created["reclaimPolicy"], created["volumeBindingMode"]) == ("Delete", "Immediate")
    table = await api.json("GET", f"{path}/standard", headers=TABLE)
    assert table["rows"][0]["cells"][0] == "standard (default)"
    created["provisioner"] = "other.example.com"
    body = await api.json("PUT", f"{path}/standard", created, expect=422)
    assert body["details"]["causes"] == [
        {
            "reason": "FieldValueForbidden",
            "message": "Forbidden: updates to provisioner are forbidden.",
            "field": "provisioner",
        }
    ]


async def test_role_binding_role_ref_is_immutable(api: Api) -> None:
    path = "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings"
    crb = obj(
        "rbac.authorization.k8s.io/v1",
        "ClusterRoleBinding",
        "admins",
        roleRef={"kind": "ClusterRole", "name": "cluster-admin"},
        subjects=[{"kind": "Group", "name": "admins"}],
    )
    created = await api.json("POST", path, crb, expect=201)
    assert created["roleRef"]["apiGroup"] == "rbac.authorization.k8s.io"
    created["roleRef"]["name"] = "view"
    body = await api.json("PUT", f"{path}/admins", created, expect=422)
    assert [(c["field"], c["reason"]) for c in body["details"]["causes"]] == [
        ("roleRef", "FieldValueInvalid")
    ]


async def test_crd_status_starts_empty(api: Api) -> None:
    path = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
    crd = obj(
        "apiextensions.k8s.io/v1",
        "CustomResourceDefinition",
        "things.example.com",
        spec={
            "group": "example.com",
            "names": {"plural": "things", "kind": "Thing"},
            "scope": "Cluster",
            "versions": [{"name": "v1", "served": True, "storage": True, "schema": SCHEMA}],
        },
    )
    created = await api.json("POST", path, crd, expect=201)
    assert created["spec"]["names"]["listKind"] == "ThingList"
    assert created["status"]["storedVersions"] == ["v1"] and "conditions" not in created["status"]
    crd["metadata"]["name"] = "stuff.example.com"
    crd["spec"]["names"] = {"plural": "stuff", "kind": "Stuff"}
    crd["spec"]["versions"][0]["schema"] = {
        "openAPIV3Schema": {"type": "object", "properties": {"spec": {"properties": {}}}}
    }
    body = await api.json("POST", path, crd, expect=422)
    assert body["details"]["causes"][0] == {
        "reason": "FieldValueRequired",
        "message": "Required value: must not be empty for specified object fields",
        "field": "spec.validation.openAPIV3Schema.properties[spec].type",
    }


async def test_flow_schema_rows_follow_matching_precedence(api: Api) -> None:
    path = "/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas"
    for name, precedence in (("a-late", 9000), ("z-early", 200), ("m-middle", 500)):
        body = obj(
            "flowcontrol.apiserver.k8s.io/v1",
            "FlowSchema",
            name,
            spec={"priorityLevelConfiguration": {"name": "global-default"}, "matchingPrecedence": precedence},
        )
        await api.json("POST", path, body, expect=201)
    table = await api.json("GET", path, headers=TABLE)
    assert [row["cells"][0] for row in table["rows"]] == ["z-early", "m-middle", "a-late"]
