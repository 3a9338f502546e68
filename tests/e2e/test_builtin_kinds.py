"""Every built-in kind through the real kubectl: one manifest holding every kind, applied twice;
`kubectl get` tables with Kubernetes' columns; `kubectl explain`; validation messages and
quantities as kubectl prints them; conversion between served versions."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import string
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from .conftest import Cluster

MANIFEST = Path(__file__).parent / "manifests" / "builtin_kinds.yaml"
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")

# (apiVersion, kind) of every kind the manifest must hold.
KINDS = {
    ("v1", "Pod"),
    ("v1", "Node"),
    ("v1", "Namespace"),
    ("v1", "Service"),
    ("v1", "Endpoints"),
    ("v1", "ConfigMap"),
    ("v1", "Secret"),
    ("v1", "ServiceAccount"),
    ("v1", "Event"),
    ("v1", "ReplicationController"),
    ("v1", "ResourceQuota"),
    ("v1", "LimitRange"),
    ("v1", "PersistentVolume"),
    ("v1", "PersistentVolumeClaim"),
    ("v1", "PodTemplate"),
    ("apps/v1", "Deployment"),
    ("apps/v1", "ReplicaSet"),
    ("apps/v1", "DaemonSet"),
    ("apps/v1", "StatefulSet"),
    ("apps/v1", "ControllerRevision"),
    ("batch/v1", "Job"),
    ("batch/v1", "CronJob"),
    ("autoscaling/v2", "HorizontalPodAutoscaler"),
    ("autoscaling/v1", "HorizontalPodAutoscaler"),
    ("policy/v1", "PodDisruptionBudget"),
    ("networking.k8s.io/v1", "Ingress"),
    ("networking.k8s.io/v1", "IngressClass"),
    ("networking.k8s.io/v1", "NetworkPolicy"),
    ("discovery.k8s.io/v1", "EndpointSlice"),
    ("events.k8s.io/v1", "Event"),
    ("coordination.k8s.io/v1", "Lease"),
    ("rbac.authorization.k8s.io/v1", "Role"),
    ("rbac.authorization.k8s.io/v1", "ClusterRole"),
    ("rbac.authorization.k8s.io/v1", "RoleBinding"),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
    ("storage.k8s.io/v1", "StorageClass"),
    ("storage.k8s.io/v1", "CSIDriver"),
    ("storage.k8s.io/v1", "CSINode"),
    ("storage.k8s.io/v1", "VolumeAttachment"),
    ("scheduling.k8s.io/v1", "PriorityClass"),
    ("node.k8s.io/v1", "RuntimeClass"),
    ("certificates.k8s.io/v1", "CertificateSigningRequest"),
    ("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration"),
    ("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration"),
    ("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
    ("apiregistration.k8s.io/v1", "APIService"),
    ("flowcontrol.apiserver.k8s.io/v1", "FlowSchema"),
    ("flowcontrol.apiserver.k8s.io/v1", "PriorityLevelConfiguration"),
}

# What a second `kubectl apply` of the same file reports as "configured" on Kubernetes too:
# kubectl's client-side patch cannot be empty for them.
RECONFIGURED = {
    "secret/registry-creds",  # stringData is folded into data, so it is always "added" again
    "secret/web-secret",
    "clusterrole.rbac.authorization.k8s.io/cr-agg-{suffix}",  # empty `rules` reads back as null
    # the server defaults fields inside lists that are replaced whole (no merge key)
    "mutatingwebhookconfiguration.admissionregistration.k8s.io/mwc-{suffix}",  # rules[].scope
    "statefulset.apps/db",  # volumeClaimTemplates[].spec.volumeMode, .status
    "job.batch/migrate",  # podFailurePolicy.rules[].onPodConditions[].status
    "poddisruptionbudget.policy/web",  # spec.selector has patchStrategy "replace"
    "poddisruptionbudget.policy/db",
    # admission adds to lists without a merge key (tolerations, taints): the patch replaces them
    "pod/web-pod",  # DefaultTolerationSeconds adds them back on the update
    "node/node-{suffix}",  # TaintNodesByCondition's not-ready taint (the node controller restores it)
}


def _pem_material() -> dict[str, str]:
    """A real certificate signing request, and a self-signed serving certificate with its key."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "jane"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "dev"),
        ]
    )
    csr = x509.CertificateSigningRequestBuilder().subject_name(subject).sign(key, hashes.SHA256())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "web.example.com")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    key_pem = key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return {
        "csr": base64.b64encode(csr.public_bytes(pem)).decode(),
        "tls_crt": base64.b64encode(cert.public_bytes(pem)).decode(),
        "tls_key": base64.b64encode(key_pem).decode(),
    }


@dataclass
class Applied:
    """The manifest as applied: its namespace, suffix, documents and both kubectl runs."""

    ns: str
    suffix: str
    docs: list[dict[str, Any]]
    first: subprocess.CompletedProcess[str]
    second: subprocess.CompletedProcess[str]


def kubectl_name(doc: dict[str, Any]) -> str:
    """How kubectl names an object in its output: `deployment.apps/web`, `pod/web-pod`."""
    group = doc["apiVersion"].rpartition("/")[0]
    kind = doc["kind"].lower()
    return f"{kind}.{group}/{doc['metadata']['name']}" if group else f"{kind}/{doc['metadata']['name']}"


@pytest.fixture(scope="module")
def applied(cluster: Cluster) -> Applied:
    ns = cluster.namespace()
    # A letter first: an all-digit suffix would be a YAML number where it is a label value.
    suffix = "s" + uuid.uuid4().hex[:5]
    text = string.Template(MANIFEST.read_text()).substitute(ns=ns, suffix=suffix, **_pem_material())
    docs = [d for d in yaml.safe_load_all(text) if d]
    first = cluster.kubectl("apply", "-n", ns, "-f", "-", input=text, check=False)
    second = cluster.kubectl("apply", "-n", ns, "-f", "-", input=text, check=False)
    return Applied(ns, suffix, docs, first, second)


def _lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.strip()]


# 1. apply


def test_manifest_holds_every_builtin_kind(applied: Applied) -> None:
    assert {(d["apiVersion"], d["kind"]) for d in applied.docs} == KINDS


def test_apply_creates_every_object(applied: Applied) -> None:
    assert applied.first.returncode == 0, applied.first.stderr
    expected = [f"{kubectl_name(d)} created" for d in applied.docs]
    assert _lines(applied.first.stdout) == expected
    # The only warning is Kubernetes' own deprecation of v1 Endpoints (1.33+).
    warnings = set(_lines(applied.first.stderr))
    assert warnings == {
        "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"
    }


def test_second_apply_changes_nothing(applied: Applied) -> None:
    assert applied.second.returncode == 0, applied.second.stderr
    results = dict(line.rsplit(" ", 1) for line in _lines(applied.second.stdout))
    assert list(results) == [kubectl_name(d) for d in applied.docs]
    assert set(results.values()) <= {"unchanged", "configured"}
    configured = {name for name, verb in results.items() if verb == "configured"}
    assert configured <= {name.format(suffix=applied.suffix) for name in RECONFIGURED}


# 2. kubectl get


def parse_table(out: str) -> tuple[list[str], list[dict[str, str]]]:
    """kubectl's table as (headers, rows of header -> cell), cut at the headers' columns (cells
    may be empty, headers may hold spaces)."""
    lines = out.splitlines()
    header = lines[0]
    names = re.split(r" {2,}", header.strip())
    starts, pos = [], 0
    for name in names:
        pos = header.index(name, pos)
        starts.append(pos)
        pos += len(name)
    bounds = list(zip(starts, [*starts[1:], None], strict=True))
    rows = [
        {n: line[a:b].strip() for n, (a, b) in zip(names, bounds, strict=True)} for line in lines[1:] if line
    ]
    return names, rows


def columns(text: str) -> list[str]:
    return text.split("|")


# resource, object name, the columns Kubernetes prints, cells of the object's row (header -> value)
TABLES: list[tuple[str, str, str, dict[str, Any]]] = [
    (
        "pods",
        "web-pod",
        "NAME|READY|STATUS|RESTARTS|AGE",
        {"READY": "0/2", "STATUS": "Pending", "RESTARTS": "0"},
    ),
    (
        "nodes",
        "node-{suffix}",
        "NAME|STATUS|ROLES|AGE|VERSION",
        {"STATUS": "Ready", "ROLES": "worker", "VERSION": "v1.33.0"},
    ),
    ("namespaces", "team-{suffix}", "NAME|STATUS|AGE", {"STATUS": "Active"}),
    (
        "services",
        "web",
        "NAME|TYPE|CLUSTER-IP|EXTERNAL-IP|PORT(S)|AGE",
        {"TYPE": "ClusterIP", "EXTERNAL-IP": "<none>", "PORT(S)": "80/TCP,443/TCP"},
    ),
    (
        "services",
        "db",
        "NAME|TYPE|CLUSTER-IP|EXTERNAL-IP|PORT(S)|AGE",
        {"CLUSTER-IP": "None", "PORT(S)": "5432/TCP"},
    ),
    ("endpoints", "external-db", "NAME|ENDPOINTS|AGE", {"ENDPOINTS": "192.0.2.10:5432,192.0.2.11:5432"}),
    ("configmaps", "web-config", "NAME|DATA|AGE", {"DATA": "3"}),
    ("secrets", "web-tls", "NAME|TYPE|DATA|AGE", {"TYPE": "kubernetes.io/tls", "DATA": "2"}),
    (
        "secrets",
        "registry-creds",
        "NAME|TYPE|DATA|AGE",
        {"TYPE": "kubernetes.io/dockerconfigjson", "DATA": "1"},
    ),
    ("serviceaccounts", "web", "NAME|SECRETS|AGE", {"SECRETS": "0"}),
    ("replicationcontrollers", "legacy", "NAME|DESIRED|CURRENT|READY|AGE", {"DESIRED": "1", "CURRENT": "0"}),
    ("resourcequotas", "compute", "NAME|AGE|REQUEST|LIMIT", {}),
    ("limitranges", "defaults", "NAME|CREATED AT", {"CREATED AT": RFC3339}),
    (
        "persistentvolumes",
        "pv-{suffix}",
        "NAME|CAPACITY|ACCESS MODES|RECLAIM POLICY|STATUS|CLAIM|STORAGECLASS|VOLUMEATTRIBUTESCLASS|REASON"
        "|AGE",
        {
            "CAPACITY": "10Gi",
            "ACCESS MODES": "RWO",
            "RECLAIM POLICY": "Retain",
            "STATUS": "Pending",
            "CLAIM": "{ns}/data",
            "STORAGECLASS": "sc-{suffix}",
            "VOLUMEATTRIBUTESCLASS": "<unset>",
            "REASON": "",
        },
    ),
    (
        "persistentvolumeclaims",
        "data",
        "NAME|STATUS|VOLUME|CAPACITY|ACCESS MODES|STORAGECLASS|VOLUMEATTRIBUTESCLASS|AGE",
        # Bound by name but not yet by the controller: Kubernetes prints status.capacity ("0").
        {"STATUS": "Pending", "VOLUME": "pv-{suffix}", "CAPACITY": "0", "STORAGECLASS": "sc-{suffix}"},
    ),
    (
        "podtemplates",
        "web-template",
        "NAME|CONTAINERS|IMAGES|POD LABELS",
        {"CONTAINERS": "web", "IMAGES": "nginx:1.27", "POD LABELS": "app=web,tier=frontend"},
    ),
    ("deployments", "web", "NAME|READY|UP-TO-DATE|AVAILABLE|AGE", {"READY": "0/3", "UP-TO-DATE": "0"}),
    (
        "replicasets",
        "cache",
        "NAME|DESIRED|CURRENT|READY|AGE",
        {"DESIRED": "2", "CURRENT": "0", "READY": "0"},
    ),
    (
        "daemonsets",
        "node-agent",
        "NAME|DESIRED|CURRENT|READY|UP-TO-DATE|AVAILABLE|NODE SELECTOR|AGE",
        {"DESIRED": "0", "NODE SELECTOR": "kubernetes.io/os=linux"},
    ),
    ("statefulsets", "db", "NAME|READY|AGE", {"READY": "0/2"}),
    (
        "controllerrevisions",
        "db-6c5d8f7b9",
        "NAME|CONTROLLER|REVISION|AGE",
        {"CONTROLLER": "<none>", "REVISION": "1"},
    ),
    (
        "jobs",
        "migrate",
        "NAME|STATUS|COMPLETIONS|DURATION|AGE",
        {"STATUS": "Running", "COMPLETIONS": "0/3", "DURATION": ""},
    ),
    (
        "cronjobs",
        "nightly-backup",
        "NAME|SCHEDULE|TIMEZONE|SUSPEND|ACTIVE|LAST SCHEDULE|AGE",
        {
            "SCHEDULE": "30 2 * * *",
            "TIMEZONE": "Etc/UTC",
            "SUSPEND": "False",
            "ACTIVE": "0",
            "LAST SCHEDULE": "<none>",
        },
    ),
    (
        "hpa",
        "web",
        "NAME|REFERENCE|TARGETS|MINPODS|MAXPODS|REPLICAS|AGE",
        {
            "REFERENCE": "Deployment/web",
            "TARGETS": "cpu: <unknown>/70%, memory: <unknown>/400Mi + 1 more...",
            "MINPODS": "3",
            "MAXPODS": "12",
            "REPLICAS": "0",
        },
    ),
    (
        "horizontalpodautoscalers.v1.autoscaling",
        "cache",
        "NAME|REFERENCE|TARGETS|MINPODS|MAXPODS|REPLICAS|AGE",
        {"REFERENCE": "ReplicaSet/cache", "TARGETS": "cpu: <unknown>/80%", "MINPODS": "2", "MAXPODS": "6"},
    ),
    (
        "pdb",
        "web",
        "NAME|MIN AVAILABLE|MAX UNAVAILABLE|ALLOWED DISRUPTIONS|AGE",
        {"MIN AVAILABLE": "2", "MAX UNAVAILABLE": "N/A", "ALLOWED DISRUPTIONS": "0"},
    ),
    (
        "pdb",
        "db",
        "NAME|MIN AVAILABLE|MAX UNAVAILABLE|ALLOWED DISRUPTIONS|AGE",
        {"MIN AVAILABLE": "N/A", "MAX UNAVAILABLE": "25%"},
    ),
    (
        "ingresses",
        "web",
        "NAME|CLASS|HOSTS|ADDRESS|PORTS|AGE",
        {"CLASS": "ic-{suffix}", "HOSTS": "web.example.com", "ADDRESS": "", "PORTS": "80, 443"},
    ),
    (
        "ingressclasses",
        "ic-{suffix}",
        "NAME|CONTROLLER|PARAMETERS|AGE",
        {
            "CONTROLLER": "example.com/ingress-controller",
            "PARAMETERS": "IngressParameters.k8s.example.com/external-lb",
        },
    ),
    ("networkpolicies", "web-allow", "NAME|POD-SELECTOR|AGE", {"POD-SELECTOR": "app=web"}),
    (
        "endpointslices",
        "web-abc12",
        "NAME|ADDRESSTYPE|PORTS|ENDPOINTS|AGE",
        {"ADDRESSTYPE": "IPv4", "PORTS": "8080", "ENDPOINTS": "10.244.7.12"},
    ),
    ("leases", "web-leader", "NAME|HOLDER|AGE", {"HOLDER": "web-7d4b9c-x2x9z"}),
    ("roles", "pod-reader", "NAME|CREATED AT", {"CREATED AT": RFC3339}),
    ("clusterroles", "cr-{suffix}", "NAME|CREATED AT", {"CREATED AT": RFC3339}),
    ("rolebindings", "read-pods", "NAME|ROLE|AGE", {"ROLE": "Role/pod-reader"}),
    ("clusterrolebindings", "crb-{suffix}", "NAME|ROLE|AGE", {"ROLE": "ClusterRole/cr-{suffix}"}),
    (
        "storageclasses",
        "sc-{suffix}",
        "NAME|PROVISIONER|RECLAIMPOLICY|VOLUMEBINDINGMODE|ALLOWVOLUMEEXPANSION|AGE",
        {
            "PROVISIONER": "csi-{suffix}.example.com",
            "RECLAIMPOLICY": "Retain",
            "VOLUMEBINDINGMODE": "WaitForFirstConsumer",
            "ALLOWVOLUMEEXPANSION": "true",
        },
    ),
    (
        "csidrivers",
        "csi-{suffix}.example.com",
        "NAME|ATTACHREQUIRED|PODINFOONMOUNT|STORAGECAPACITY|TOKENREQUESTS|REQUIRESREPUBLISH|MODES|AGE",
        {
            "ATTACHREQUIRED": "true",
            "PODINFOONMOUNT": "true",
            "STORAGECAPACITY": "false",
            "TOKENREQUESTS": "vault",
            "REQUIRESREPUBLISH": "false",
            "MODES": "Persistent,Ephemeral",
        },
    ),
    ("csinodes", "node-{suffix}", "NAME|DRIVERS|AGE", {"DRIVERS": "1"}),
    (
        "volumeattachments",
        "va-{suffix}",
        "NAME|ATTACHER|PV|NODE|ATTACHED|AGE",
        {
            "ATTACHER": "csi-{suffix}.example.com",
            "PV": "pv-{suffix}",
            "NODE": "node-{suffix}",
            "ATTACHED": "false",
        },
    ),
    (
        "priorityclasses",
        "pc-{suffix}",
        "NAME|VALUE|GLOBAL-DEFAULT|AGE|PREEMPTIONPOLICY",
        {"VALUE": "100000", "GLOBAL-DEFAULT": "false", "PREEMPTIONPOLICY": "PreemptLowerPriority"},
    ),
    ("runtimeclasses", "rc-{suffix}", "NAME|HANDLER|AGE", {"HANDLER": "runc"}),
    (
        "csr",
        "csr-{suffix}",
        "NAME|AGE|SIGNERNAME|REQUESTOR|REQUESTEDDURATION|CONDITION",
        {
            "SIGNERNAME": "kubernetes.io/kube-apiserver-client",
            "REQUESTEDDURATION": "24h",
            "CONDITION": "Pending",
        },
    ),
    ("validatingwebhookconfigurations", "vwc-{suffix}", "NAME|WEBHOOKS|AGE", {"WEBHOOKS": "1"}),
    ("mutatingwebhookconfigurations", "mwc-{suffix}", "NAME|WEBHOOKS|AGE", {"WEBHOOKS": "1"}),
    # apiextensions-apiserver has no printer for CRDs: the default table.
    ("crd", "crontabs.e2e-{suffix}.example.com", "NAME|CREATED AT", {"CREATED AT": RFC3339}),
    (
        "apiservices",
        "v1beta1.metrics-{suffix}.example.com",
        "NAME|SERVICE|AVAILABLE|AGE",
        {"SERVICE": "{ns}/web", "AVAILABLE": "Unknown"},
    ),
    (
        "flowschemas",
        "fs-{suffix}",
        "NAME|PRIORITYLEVEL|MATCHINGPRECEDENCE|DISTINGUISHERMETHOD|AGE|MISSINGPL",
        {
            "PRIORITYLEVEL": "plc-{suffix}",
            "MATCHINGPRECEDENCE": "1000",
            "DISTINGUISHERMETHOD": "ByUser",
            "MISSINGPL": "?",  # no APF controller has looked at it yet
        },
    ),
    (
        "prioritylevelconfigurations",
        "plc-{suffix}",
        "NAME|TYPE|NOMINALCONCURRENCYSHARES|QUEUES|HANDSIZE|QUEUELENGTHLIMIT|AGE",
        {
            "TYPE": "Limited",
            "NOMINALCONCURRENCYSHARES": "10",
            "QUEUES": "16",
            "HANDSIZE": "4",
            "QUEUELENGTHLIMIT": "50",
        },
    ),
]


def _fill(value: Any, applied: Applied) -> Any:
    return value.format(ns=applied.ns, suffix=applied.suffix) if isinstance(value, str) else value


def _check_row(row: dict[str, str], cells: dict[str, Any], applied: Applied) -> None:
    for header, want in cells.items():
        want = _fill(want, applied)
        if isinstance(want, re.Pattern):
            assert want.fullmatch(row[header]), (header, row[header])
        else:
            assert row[header] == want, (header, row)


@pytest.mark.parametrize(
    ("resource", "name", "headers", "cells"),
    [pytest.param(*t, id=f"{t[0]}-{t[1].split('-')[0]}") for t in TABLES],
)
def test_get_prints_kubernetes_columns(
    cluster: Cluster, applied: Applied, resource: str, name: str, headers: str, cells: dict[str, Any]
) -> None:
    name = _fill(name, applied)
    out = cluster.kubectl("get", resource, "-n", applied.ns).stdout
    names, rows = parse_table(out)
    assert names == columns(headers)
    row = next((r for r in rows if r["NAME"] == name), None)
    assert row is not None, out
    _check_row(row, cells, applied)


@pytest.mark.parametrize("resource", ["events", "events.v1.events.k8s.io"])
def test_get_events(cluster: Cluster, applied: Applied, resource: str) -> None:
    names, rows = parse_table(cluster.kubectl("get", resource, "-n", applied.ns).stdout)
    assert names == ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    assert {(r["TYPE"], r["REASON"], r["OBJECT"]) for r in rows} == {
        ("Normal", "Pulled", "pod/web-pod"),
        ("Normal", "Scheduled", "pod/web-pod"),
    }
    names, rows = parse_table(cluster.kubectl("get", resource, "-n", applied.ns, "-o", "wide").stdout)
    assert names == columns("LAST SEEN|TYPE|REASON|OBJECT|SUBOBJECT|SOURCE|MESSAGE|FIRST SEEN|COUNT|NAME")
    by_reason = {r["REASON"]: r for r in rows}
    assert by_reason["Pulled"]["SUBOBJECT"] == "spec.containers{web}"
    assert by_reason["Pulled"]["SOURCE"] == f"kubelet, node-{applied.suffix}"
    assert by_reason["Pulled"]["COUNT"] == "3"
    # events.k8s.io events have no source: the reporting controller and instance stand in.
    assert by_reason["Scheduled"]["SOURCE"] == f"example.com/scheduler, scheduler-node-{applied.suffix}"
    assert by_reason["Scheduled"]["COUNT"] == "1"


WIDE = [
    (
        "pods",
        "NAME|READY|STATUS|RESTARTS|AGE|IP|NODE|NOMINATED NODE|READINESS GATES",
        "web-pod",
        {"IP": "<none>", "NODE": "<none>", "NOMINATED NODE": "<none>", "READINESS GATES": "<none>"},
    ),
    (
        "deployments",
        "NAME|READY|UP-TO-DATE|AVAILABLE|AGE|CONTAINERS|IMAGES|SELECTOR",
        "web",
        {"CONTAINERS": "web", "IMAGES": "nginx:1.27", "SELECTOR": "app=web"},
    ),
    (
        "services",
        "NAME|TYPE|CLUSTER-IP|EXTERNAL-IP|PORT(S)|AGE|SELECTOR",
        "external-db",
        {"SELECTOR": "<none>", "PORT(S)": "5432/TCP"},
    ),
    (
        "replicasets",
        "NAME|DESIRED|CURRENT|READY|AGE|CONTAINERS|IMAGES|SELECTOR",
        "cache",
        {"SELECTOR": "app=cache,tier in (backend)"},
    ),
    (
        "nodes",
        "NAME|STATUS|ROLES|AGE|VERSION|INTERNAL-IP|EXTERNAL-IP|OS-IMAGE|KERNEL-VERSION|CONTAINER-RUNTIME",
        "node-{suffix}",
        {
            "INTERNAL-IP": "192.168.10.7",
            "EXTERNAL-IP": "<none>",
            "OS-IMAGE": "Ubuntu 24.04.1 LTS",
            "KERNEL-VERSION": "6.8.0-45-generic",
            "CONTAINER-RUNTIME": "containerd://1.7.22",
        },
    ),
    (
        "rolebindings",
        "NAME|ROLE|AGE|USERS|GROUPS|SERVICEACCOUNTS",
        "read-pods",
        {"USERS": "jane", "GROUPS": "developers", "SERVICEACCOUNTS": "{ns}/web"},
    ),
]


@pytest.mark.parametrize(("resource", "headers", "name", "cells"), WIDE, ids=[w[0] for w in WIDE])
def test_get_wide(
    cluster: Cluster, applied: Applied, resource: str, headers: str, name: str, cells: dict[str, Any]
) -> None:
    names, rows = parse_table(cluster.kubectl("get", resource, "-n", applied.ns, "-o", "wide").stdout)
    assert names == columns(headers)
    row = next(r for r in rows if r["NAME"] == _fill(name, applied))
    _check_row(row, cells, applied)


def test_get_all_lists_the_all_category(cluster: Cluster, applied: Applied) -> None:
    out = cluster.kubectl("get", "all", "-n", applied.ns).stdout
    names = {line.split()[0] for line in out.splitlines() if line and not line.startswith("NAME ")}
    assert names == {
        "pod/web-pod",
        "replicationcontroller/legacy",
        "service/web",
        "service/web-nodeport",
        "service/db",
        "service/external-db",
        "daemonset.apps/node-agent",
        "deployment.apps/web",
        "replicaset.apps/cache",
        "statefulset.apps/db",
        "horizontalpodautoscaler.autoscaling/web",
        "horizontalpodautoscaler.autoscaling/cache",
        "cronjob.batch/nightly-backup",
        "job.batch/migrate",
    }


def test_service_ports_and_addresses(cluster: Cluster, applied: Applied) -> None:
    _names, rows = parse_table(cluster.kubectl("get", "services", "-n", applied.ns).stdout)
    by_name = {r["NAME"]: r for r in rows}
    assert re.fullmatch(r"10\.\d+\.\d+\.\d+", by_name["web"]["CLUSTER-IP"])
    assert by_name["web-nodeport"]["TYPE"] == "NodePort"
    assert re.fullmatch(r"80:3\d{4}/TCP", by_name["web-nodeport"]["PORT(S)"])


def test_describe_every_kind(cluster: Cluster, applied: Applied) -> None:
    # kubectl describe decodes objects into its typed structs: anything it cannot read fails here.
    for resource, *_ in EXPLAINED:
        result = cluster.kubectl("describe", resource, "-n", applied.ns, check=False)
        assert result.returncode == 0, (resource, result.stderr)
        assert not [
            line for line in result.stderr.splitlines() if not line.startswith("Warning: v1 Endpoints")
        ]
    out = cluster.kubectl("describe", "hpa", "web", "-n", applied.ns).stdout
    assert "resource memory on pods:" in out and "<unknown> / 400Mi" in out


# 3. kubectl explain

# resource as typed, kind, group, version
EXPLAINED = [
    ("pods", "Pod", "", "v1"),
    ("nodes", "Node", "", "v1"),
    ("namespaces", "Namespace", "", "v1"),
    ("services", "Service", "", "v1"),
    ("endpoints", "Endpoints", "", "v1"),
    ("configmaps", "ConfigMap", "", "v1"),
    ("secrets", "Secret", "", "v1"),
    ("serviceaccounts", "ServiceAccount", "", "v1"),
    ("events", "Event", "", "v1"),
    ("replicationcontrollers", "ReplicationController", "", "v1"),
    ("resourcequotas", "ResourceQuota", "", "v1"),
    ("limitranges", "LimitRange", "", "v1"),
    ("persistentvolumes", "PersistentVolume", "", "v1"),
    ("persistentvolumeclaims", "PersistentVolumeClaim", "", "v1"),
    ("podtemplates", "PodTemplate", "", "v1"),
    ("deployments", "Deployment", "apps", "v1"),
    ("replicasets", "ReplicaSet", "apps", "v1"),
    ("daemonsets", "DaemonSet", "apps", "v1"),
    ("statefulsets", "StatefulSet", "apps", "v1"),
    ("controllerrevisions", "ControllerRevision", "apps", "v1"),
    ("jobs", "Job", "batch", "v1"),
    ("cronjobs", "CronJob", "batch", "v1"),
    ("hpa", "HorizontalPodAutoscaler", "autoscaling", "v2"),
    ("pdb", "PodDisruptionBudget", "policy", "v1"),
    ("ingresses", "Ingress", "networking.k8s.io", "v1"),
    ("ingressclasses", "IngressClass", "networking.k8s.io", "v1"),
    ("networkpolicies", "NetworkPolicy", "networking.k8s.io", "v1"),
    ("endpointslices", "EndpointSlice", "discovery.k8s.io", "v1"),
    ("leases", "Lease", "coordination.k8s.io", "v1"),
    ("roles", "Role", "rbac.authorization.k8s.io", "v1"),
    ("clusterroles", "ClusterRole", "rbac.authorization.k8s.io", "v1"),
    ("rolebindings", "RoleBinding", "rbac.authorization.k8s.io", "v1"),
    ("clusterrolebindings", "ClusterRoleBinding", "rbac.authorization.k8s.io", "v1"),
    ("storageclasses", "StorageClass", "storage.k8s.io", "v1"),
    ("csidrivers", "CSIDriver", "storage.k8s.io", "v1"),
    ("csinodes", "CSINode", "storage.k8s.io", "v1"),
    ("volumeattachments", "VolumeAttachment", "storage.k8s.io", "v1"),
    ("priorityclasses", "PriorityClass", "scheduling.k8s.io", "v1"),
    ("runtimeclasses", "RuntimeClass", "node.k8s.io", "v1"),
    ("csr", "CertificateSigningRequest", "certificates.k8s.io", "v1"),
    ("mutatingwebhookconfigurations", "MutatingWebhookConfiguration", "admissionregistration.k8s.io", "v1"),
    (
        "validatingwebhookconfigurations",
        "ValidatingWebhookConfiguration",
        "admissionregistration.k8s.io",
        "v1",
    ),
    ("crd", "CustomResourceDefinition", "apiextensions.k8s.io", "v1"),
    ("apiservices", "APIService", "apiregistration.k8s.io", "v1"),
    ("flowschemas", "FlowSchema", "flowcontrol.apiserver.k8s.io", "v1"),
    ("prioritylevelconfigurations", "PriorityLevelConfiguration", "flowcontrol.apiserver.k8s.io", "v1"),
]


def _explain_header(out: str, kind: str, group: str, version: str) -> None:
    head = out.split("\n\n", 1)[0].splitlines()
    expected = [f"GROUP:      {group}"] if group else []
    assert head == [*expected, f"KIND:       {kind}", f"VERSION:    {version}"], out[:300]


@pytest.mark.parametrize(("resource", "kind", "group", "version"), EXPLAINED, ids=[e[0] for e in EXPLAINED])
def test_explain_every_kind(cluster: Cluster, resource: str, kind: str, group: str, version: str) -> None:
    out = cluster.kubectl("explain", resource).stdout
    _explain_header(out, kind, group, version)
    assert "\nDESCRIPTION:\n" in out and "\nFIELDS:\n" in out
    fields = re.findall(r"^  (\w+)\t<", out, re.MULTILINE)
    assert {"apiVersion", "kind", "metadata"} <= set(fields)
    recursive = cluster.kubectl("explain", resource, "--recursive").stdout
    _explain_header(recursive, kind, group, version)
    assert re.search(r"^    name\t<string>", recursive, re.MULTILINE)  # metadata.name, one level down


# (path, the FIELD line's start, fields listed below it)
NESTED = [
    ("pods.spec.containers.resources.limits", "FIELD: limits <map[string]", []),
    ("deployments.spec.strategy.rollingUpdate.maxSurge", "FIELD: maxSurge <", []),
    (
        "cronjobs.spec.jobTemplate.spec.template.spec",
        "FIELD: spec <PodSpec>",
        ["  containers\t<[]Container> -required-", "  restartPolicy\t<string>"],
    ),
    (
        "hpa.spec.metrics.resource.target",
        "FIELD: target <MetricTarget>",
        ["  averageUtilization\t<integer>", "  type\t<string> -required-"],
    ),
    (
        "crd.spec.versions.schema.openAPIV3Schema",
        "FIELD: openAPIV3Schema <JSONSchemaProps>",
        ["  x-kubernetes-preserve-unknown-fields\t<boolean>", "  properties\t<map[string]JSONSchemaProps>"],
    ),
]


@pytest.mark.parametrize(("path", "field", "listed"), NESTED, ids=[n[0].split(".")[0] for n in NESTED])
def test_explain_nested_fields(cluster: Cluster, path: str, field: str, listed: list[str]) -> None:
    out = cluster.kubectl("explain", path).stdout
    assert any(line.startswith(field) for line in out.splitlines()), out[:400]
    for line in listed:
        assert line in out.splitlines(), (line, out)


def test_explain_names_quantity_and_int_or_string(cluster: Cluster) -> None:
    limits = cluster.kubectl("explain", "pods.spec.containers.resources.limits").stdout
    assert "FIELD: limits <map[string]Quantity>" in limits
    surge = cluster.kubectl("explain", "deployments.spec.strategy.rollingUpdate.maxSurge").stdout
    assert "FIELD: maxSurge <IntOrString>" in surge


def test_explain_other_served_versions(cluster: Cluster) -> None:
    out = cluster.kubectl("explain", "hpa", "--api-version=autoscaling/v1").stdout
    _explain_header(out, "HorizontalPodAutoscaler", "autoscaling", "v1")
    spec = cluster.kubectl("explain", "hpa.spec", "--api-version=autoscaling/v1").stdout
    assert "  targetCPUUtilizationPercentage\t<integer>" in spec.splitlines()
    assert "  metrics\t" not in spec
    out = cluster.kubectl("explain", "events", "--api-version=events.k8s.io/v1").stdout
    _explain_header(out, "Event", "events.k8s.io", "v1")
    fields = set(re.findall(r"^  (\w+)\t<", out, re.MULTILINE))
    assert {"regarding", "note", "reportingController", "deprecatedSource"} <= fields
    assert "involvedObject" not in fields


# 4. bad input and quantities, as kubectl prints them


@pytest.fixture(scope="module")
def plain_ns(cluster: Cluster) -> str:
    """A namespace without quota or limits."""
    return cluster.namespace()


BAD = [
    (
        """
apiVersion: apps/v1
kind: Deployment
metadata: {name: bad-selector}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: other}}
    spec:
      containers: [{name: web, image: nginx}]
""",
        'The Deployment "bad-selector" is invalid: spec.template.metadata.labels: Invalid value: '
        '{"app":"other"}: `selector` does not match template `labels`',
    ),
    (
        """
apiVersion: batch/v1
kind: CronJob
metadata: {name: bad-schedule}
spec:
  schedule: every day
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: c, image: busybox}]
""",
        'The CronJob "bad-schedule" is invalid: spec.schedule: Invalid value: "every day": '
        "expected exactly 5 fields, found 2: [every day]",
    ),
    (
        """
apiVersion: v1
kind: Pod
metadata: {name: noimage}
spec:
  containers: [{name: web}]
""",
        'The Pod "noimage" is invalid: spec.containers[0].image: Required value',
    ),
    (
        """
apiVersion: batch/v1
kind: CronJob
metadata: {name: bad-zone}
spec:
  schedule: "0 * * * *"
  timeZone: Mars/Olympus_Mons
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: c, image: busybox}]
""",
        'The CronJob "bad-zone" is invalid: spec.timeZone: Invalid value: "Mars/Olympus_Mons": '
        "unknown time zone Mars/Olympus_Mons",
    ),
]


@pytest.mark.parametrize(("manifest", "message"), BAD, ids=["deployment", "cronjob", "pod", "timezone"])
def test_invalid_objects_are_refused_with_kubernetes_messages(
    cluster: Cluster, plain_ns: str, manifest: str, message: str
) -> None:
    result = cluster.kubectl("create", "-n", plain_ns, "-f", "-", input=manifest, check=False)
    assert result.returncode == 1
    assert result.stderr.strip() == message


def test_duplicate_service_port(cluster: Cluster, plain_ns: str) -> None:
    manifest = """
apiVersion: v1
kind: Service
metadata: {name: dup}
spec:
  selector: {app: web}
  ports:
  - {name: http, port: 80}
  - {name: http-alt, port: 80, targetPort: 8080}
"""
    result = cluster.kubectl("create", "-n", plain_ns, "-f", "-", input=manifest, check=False)
    assert result.returncode == 1
    # The duplicate's value is Kubernetes' internal (protocol, port) key; its rendering is not pinned.
    message = result.stderr.strip()
    assert message.startswith('The Service "dup" is invalid: spec.ports[1]: Duplicate value: ')
    assert "80" in message and "TCP" in message and "\n" not in message


def test_statefulset_mounts_its_claim_templates(cluster: Cluster, applied: Applied) -> None:
    # The manifest's StatefulSet mounts `pgdata`, a volume claim template, not a pod volume.
    sts = cluster.kubectl_json("get", "statefulset", "db", "-n", applied.ns)
    assert sts["spec"]["template"]["spec"]["containers"][0]["volumeMounts"][0]["name"] == "pgdata"
    assert "volumes" not in sts["spec"]["template"]["spec"]


def test_quantities_are_canonicalised(cluster: Cluster, plain_ns: str) -> None:
    manifest = """
apiVersion: v1
kind: Pod
metadata: {name: quantities}
spec:
  containers:
  - name: web
    image: nginx
    resources:
      requests: {cpu: 0.5, memory: 0.5Gi, ephemeral-storage: 1e3}
      limits: {cpu: "1.5", memory: 1536Mi, ephemeral-storage: 2000}
"""
    cluster.kubectl("create", "-n", plain_ns, "-f", "-", input=manifest)
    resources = cluster.kubectl_json("get", "pod", "quantities", "-n", plain_ns)["spec"]["containers"][0]
    assert resources["resources"] == {
        "requests": {"cpu": "500m", "memory": "512Mi", "ephemeral-storage": "1k"},
        "limits": {"cpu": "1500m", "memory": "1536Mi", "ephemeral-storage": "2k"},
    }
    # kubectl's own view of the quantities is the same
    jsonpath = "{.spec.containers[0].resources.requests.cpu} {.spec.containers[0].resources.requests.memory}"
    assert cluster.kubectl(
        "get", "pod", "quantities", "-n", plain_ns, "-o", f"jsonpath={jsonpath}"
    ).stdout == ("500m 512Mi")


def test_limit_range_defaults_reach_pods(cluster: Cluster, applied: Applied) -> None:
    pod = cluster.kubectl_json("get", "pod", "web-pod", "-n", applied.ns)
    init = {c["name"]: c["resources"] for c in pod["spec"]["initContainers"]}
    assert init["migrate"] == {
        "limits": {"cpu": "500m", "memory": "256Mi"},
        "requests": {"cpu": "100m", "memory": "128Mi"},
    }
    assert pod["spec"]["priority"] == 100000  # from the PriorityClass


def test_runtime_class_admission_sets_pod_overhead(cluster: Cluster, applied: Applied) -> None:
    pod = cluster.kubectl_json("get", "pod", "web-pod", "-n", applied.ns)
    assert pod["spec"].get("overhead") == {"cpu": "50m", "memory": "32Mi"}


def test_new_nodes_are_tainted_not_ready(cluster: Cluster, applied: Applied) -> None:
    # TaintNodesByCondition acts on create only (re-applying a manifest may drop the taint, as on
    # Kubernetes, until the node lifecycle controller puts it back): check a node of its own.
    name = f"fresh-{applied.suffix}"
    cluster.kubectl("create", "-f", "-", input=f"apiVersion: v1\nkind: Node\nmetadata: {{name: {name}}}\n")
    path = "{.spec.taints[?(@.key=='node.kubernetes.io/not-ready')].effect}"
    assert cluster.kubectl("get", "node", name, "-o", f"jsonpath={path}").stdout == "NoSchedule"
    cluster.kubectl("delete", "node", name)


@pytest.mark.parametrize(
    "check",
    [
        pytest.param(
            (
                "pod",
                "web-pod",
                "{.spec.tolerations[?(@.key=='node.kubernetes.io/unreachable')].tolerationSeconds}",
                "300",
            ),
            id="DefaultTolerationSeconds",
        ),
        pytest.param(
            ("pvc", "data", "{.metadata.finalizers}", '["kubernetes.io/pvc-protection"]'),
            id="StorageObjectInUseProtection-pvc",
        ),
        pytest.param(
            ("pv", "pv-{suffix}", "{.metadata.finalizers}", '["kubernetes.io/pv-protection"]'),
            id="StorageObjectInUseProtection-pv",
        ),
    ],
)
def test_default_admission_plugins(
    cluster: Cluster, applied: Applied, check: tuple[str, str, str, str]
) -> None:
    resource, name, path, want = check
    got = cluster.kubectl("get", resource, _fill(name, applied), "-n", applied.ns, "-o", f"jsonpath={path}")
    assert got.stdout == want


def test_quota_charges_sidecar_containers(cluster: Cluster) -> None:
    ns = cluster.namespace()
    quota = "apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q}\nspec: {hard: {requests.cpu: '4'}}\n"
    cluster.kubectl("create", "-n", ns, "-f", "-", input=quota)
    pod = """
apiVersion: v1
kind: Pod
metadata: {name: sidecar}
spec:
  initContainers:
  - {name: proxy, image: envoy, restartPolicy: Always, resources: {requests: {cpu: 100m}}}
  containers:
  - {name: web, image: nginx, resources: {requests: {cpu: 250m}}}
"""
    cluster.kubectl("create", "-n", ns, "-f", "-", input=pod)
    used = cluster.kubectl_json("get", "resourcequota", "q", "-n", ns)["status"]["used"]
    assert used["requests.cpu"] == "350m"


# 5. conversion between served versions

HPA = """
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  minReplicas: 2
  maxReplicas: 10
  metrics:
  - type: Resource
    resource: {name: memory, target: {type: AverageValue, averageValue: 300Mi}}
  - type: Pods
    pods:
      metric: {name: queue_depth}
      target: {type: AverageValue, averageValue: "30"}
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 120
      policies: [{type: Pods, value: 1, periodSeconds: 60}]
"""


def test_hpa_round_trip_through_autoscaling_v1(cluster: Cluster, plain_ns: str) -> None:
    cluster.kubectl("create", "-n", plain_ns, "-f", "-", input=HPA)
    v2 = cluster.kubectl_json("get", "hpa", "api", "-n", plain_ns)
    # kubectl drops the version of a short name (`hpa.v1.autoscaling` reads v2): name the resource.
    v1_yaml = cluster.kubectl(
        "get", "horizontalpodautoscalers.v1.autoscaling", "api", "-n", plain_ns, "-o", "yaml"
    )
    v1 = yaml.safe_load(v1_yaml.stdout)
    assert v1["apiVersion"] == "autoscaling/v1"
    assert v1["spec"]["targetCPUUtilizationPercentage"] == 60
    assert "metrics" not in v1["spec"]
    annotations = v1["metadata"]["annotations"]
    # What v1 cannot say travels in Kubernetes' annotations, in autoscaling/v1's MetricSpec form.
    assert json.loads(annotations["autoscaling.alpha.kubernetes.io/metrics"]) == [
        {"type": "Resource", "resource": {"name": "memory", "targetAverageValue": "300Mi"}},
        {"type": "Pods", "pods": {"metricName": "queue_depth", "targetAverageValue": "30"}},
    ]
    assert "autoscaling.alpha.kubernetes.io/behavior" in annotations
    out = cluster.kubectl("replace", "-f", "-", input=v1_yaml.stdout)
    assert "horizontalpodautoscaler.autoscaling/api replaced" in out.stdout
    after = cluster.kubectl_json("get", "hpa", "api", "-n", plain_ns)
    assert after["spec"] == v2["spec"]
    assert after["metadata"].get("generation", 1) == v2["metadata"].get("generation", 1)
    assert "autoscaling.alpha.kubernetes.io/metrics" not in after["metadata"].get("annotations", {})


def test_hpa_v1_manifest_exported_from_kubernetes(cluster: Cluster, plain_ns: str) -> None:
    # A v1 HPA as `kubectl get -o yaml` prints it on Kubernetes, annotations included.
    metrics = [
        {"type": "Resource", "resource": {"name": "memory", "targetAverageValue": "400Mi"}},
        {
            "type": "External",
            "external": {
                "metricName": "queue",
                "metricSelector": {"matchLabels": {"q": "jobs"}},
                "targetValue": "10",
            },
        },
    ]
    manifest = f"""
apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata:
  name: exported
  annotations:
    autoscaling.alpha.kubernetes.io/metrics: '{json.dumps(metrics, separators=(",", ":"))}'
spec:
  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: web}}
  minReplicas: 1
  maxReplicas: 5
  targetCPUUtilizationPercentage: 60
"""
    cluster.kubectl("create", "-n", plain_ns, "-f", "-", input=manifest)
    metrics = cluster.kubectl_json("get", "hpa", "exported", "-n", plain_ns)["spec"]["metrics"]
    assert metrics == [
        {
            "type": "Resource",
            "resource": {"name": "memory", "target": {"type": "AverageValue", "averageValue": "400Mi"}},
        },
        {
            "type": "External",
            "external": {
                "metric": {"name": "queue", "selector": {"matchLabels": {"q": "jobs"}}},
                "target": {"type": "Value", "value": "10"},
            },
        },
        {
            "type": "Resource",
            "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 60}},
        },
    ]


def test_core_event_read_as_events_k8s_io(cluster: Cluster, applied: Applied) -> None:
    name = "web-pod.17f1a2b3c4d5e6f7"
    event = cluster.kubectl_json("get", "events.v1.events.k8s.io", name, "-n", applied.ns)
    assert event["apiVersion"] == "events.k8s.io/v1"
    assert event["regarding"] == {
        "apiVersion": "v1",
        "kind": "Pod",
        "name": "web-pod",
        "namespace": applied.ns,
        "fieldPath": "spec.containers{web}",
    }
    assert event["note"] == 'Container image "nginx:1.27" already present on machine'
    assert event["deprecatedSource"] == {"component": "kubelet", "host": f"node-{applied.suffix}"}
    assert event["deprecatedCount"] == 3
    assert event["deprecatedFirstTimestamp"] == "2025-01-01T00:00:00Z"
    assert event["deprecatedLastTimestamp"] == "2025-01-01T00:05:00Z"
    assert "involvedObject" not in event and "message" not in event
    # and the other way: an events.k8s.io event as a core one
    core = cluster.kubectl_json("get", "events", "web-pod.17f1a2b3c4d5e6f8", "-n", applied.ns)
    assert core["apiVersion"] == "v1"
    assert core["involvedObject"]["name"] == "web-pod"
    assert core["message"] == f"Successfully assigned the pod to node-{applied.suffix}"
    assert core["reportingComponent"] == "example.com/scheduler"
    assert core["eventTime"] == "2025-01-01T00:00:01.000000Z"
