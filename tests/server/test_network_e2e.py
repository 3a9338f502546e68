"""Cluster networking end to end: `pyk8s up` on the oci runtime (root, crun, CNI plugins,
nftables) and kubectl 1.37 — a Service answers from another pod by name, load-balanced;
scaling down stops traffic to removed pods; headless and ExternalName names resolve; a
NodePort answers on the node address. `pyk8s up` removes every namespace and table it made."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ..conftest import IN_CI
from .conftest import Up, start_up


def _requirements() -> str:
    if os.geteuid() != 0:
        return "needs root"
    for binary in ("crun", "nft", "ip"):
        if shutil.which(binary) is None:
            return f"{binary} is not installed"
    if not Path("/usr/lib/cni/bridge").exists():
        return "the CNI plugins are not installed (containernetworking-plugins)"
    return ""


class Cluster:
    def __init__(self, up: Up, home: Path) -> None:
        self.up, self.home = up, home

    def kubectl(self, *args: str) -> str:
        result = self.up.kubectl(*args, home=self.home)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def wait(self, what: str, check: Callable[[], bool], timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while not check():
            assert time.monotonic() < deadline, f"timed out waiting for {what}"
            time.sleep(0.3)

    def run(self, name: str, script: str) -> str:
        """The output of a busybox pod running `script` to completion."""
        self.kubectl("run", name, "--image=busybox", "--restart=Never", "--", "sh", "-c", script)

        def finished() -> bool:
            pod = json.loads(self.kubectl("get", "pod", name, "-o", "json"))
            return (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")

        self.wait(f"pod {name}", finished)
        return self.kubectl("logs", name)

    def ready_pods(self, selector: str) -> list[dict[str, Any]]:
        pods = json.loads(self.kubectl("get", "pods", "-l", selector, "-o", "json"))["items"]
        return [
            p
            for p in pods
            if any(c["type"] == "Ready" and c["status"] == "True" for c in p["status"].get("conditions", []))
        ]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    reason = _requirements()
    if reason:
        if IN_CI:
            pytest.fail(f"the network end-to-end tests {reason} (CI must run them)")
        pytest.skip(f"the network end-to-end tests {reason}")
    base = tmp_path_factory.mktemp("net")
    up = start_up(base / "data", "--runtime", "oci", "--node-name", "netnode")
    home = base / "home"
    home.mkdir()
    cluster = Cluster(up, home)
    try:
        cluster.wait("the node", lambda: " Ready " in cluster.kubectl("get", "nodes", "--no-headers"))
        yield cluster
    finally:
        up.stop(signal.SIGTERM, timeout=60)
        namespaces = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
        assert "pyk8s-node-netnode" not in namespaces, namespaces


def test_a_service_answers_by_name_and_balances_over_its_pods(cluster: Cluster) -> None:
    cluster.kubectl(
        "create",
        "deployment",
        "web",
        "--image=busybox",
        "--replicas=2",
        "--",
        "httpd",
        "-f",
        "-p",
        "8080",
        "-h",
        "/etc",
    )
    cluster.kubectl("expose", "deployment", "web", "--port=80", "--target-port=8080")
    cluster.wait("2 ready web pods", lambda: len(cluster.ready_pods("app=web")) == 2)
    names = {p["metadata"]["name"] for p in cluster.ready_pods("app=web")}
    out = cluster.run("client", "for i in $(seq 20); do wget -q -O- http://web/hostname; done")
    assert set(out.split()) == names  # both pods answered, by the Service's short name
    cluster.kubectl("scale", "deployment", "web", "--replicas=1")
    cluster.wait("one web pod", lambda: len(cluster.ready_pods("app=web")) == 1)
    (left,) = [p["metadata"]["name"] for p in cluster.ready_pods("app=web")]
    time.sleep(1.5)  # endpoint change to rules: well under a second
    out = cluster.run(
        "client2", "for i in $(seq 10); do wget -q -O- http://web.default.svc.cluster.local/hostname; done"
    )
    assert set(out.split()) == {left}


def test_headless_external_name_and_node_port(cluster: Cluster) -> None:
    cluster.kubectl("create", "service", "clusterip", "direct", "--clusterip=None", "--tcp=8080:8080")
    cluster.kubectl("set", "selector", "service", "direct", "app=web")
    cluster.kubectl("create", "service", "externalname", "elsewhere", "--external-name=example.org")
    cluster.kubectl("create", "service", "nodeport", "open", "--tcp=80:8080", "--node-port=30080")
    cluster.kubectl("set", "selector", "service", "open", "app=web")
    node = json.loads(cluster.kubectl("get", "node", "netnode", "-o", "json"))
    node_ip = next(a["address"] for a in node["status"]["addresses"] if a["type"] == "InternalIP")
    pod_ips = {p["status"]["podIP"] for p in cluster.ready_pods("app=web")}
    out = cluster.run(
        "resolver",
        "nslookup direct.default.svc.cluster.local; nslookup elsewhere.default.svc.cluster.local; "
        f"wget -q -O- http://{node_ip}:30080/hostname",
    )
    assert pod_ips <= set(out.split()) or all(ip in out for ip in pod_ips)
    assert "canonical name = example.org" in out
    assert any(p["metadata"]["name"] in out for p in cluster.ready_pods("app=web"))


def _get(url: str, host: str) -> str:
    import urllib.request

    request = urllib.request.Request(url, headers={"Host": host})
    with urllib.request.urlopen(request, timeout=5) as resp:
        return resp.read().decode()


def test_an_ingress_routes_two_hosts_to_two_services(cluster: Cluster) -> None:
    cluster.kubectl(
        "create", "deployment", "blog", "--image=busybox", "--", "httpd", "-f", "-p", "8080", "-h", "/etc"
    )
    cluster.kubectl("expose", "deployment", "blog", "--port=80", "--target-port=8080")
    cluster.wait("the blog pod", lambda: len(cluster.ready_pods("app=blog")) == 1)
    cluster.kubectl(
        "create",
        "ingress",
        "sites",
        "--class=pyk8s",
        "--rule=web.example/*=web:80",
        "--rule=blog.example/*=blog:80",
    )
    blog = cluster.ready_pods("app=blog")[0]["metadata"]["name"]
    web = {p["metadata"]["name"] for p in cluster.ready_pods("app=web")}

    def routed() -> bool:
        try:
            return _get("http://127.0.0.1:8080/hostname", "blog.example").strip() == blog
        except OSError:
            return False

    cluster.wait("the ingress to route", routed, timeout=30)
    assert _get("http://127.0.0.1:8080/hostname", "web.example").strip() in web


def test_a_network_policy_denies_then_allows(cluster: Cluster) -> None:
    deny = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": "web-deny"},
        "spec": {"podSelector": {"matchLabels": {"app": "web"}}, "policyTypes": ["Ingress"]},
    }
    path = cluster.home / "deny.json"
    path.write_text(json.dumps(deny))
    cluster.kubectl("apply", "-f", str(path))
    time.sleep(2)
    out = cluster.run("denied", "wget -q -T 2 -O- http://web/hostname || echo blocked")
    assert "blocked" in out
    deny["spec"]["ingress"] = [{"from": [{"podSelector": {"matchLabels": {"role": "friend"}}}]}]
    path.write_text(json.dumps(deny))
    cluster.kubectl("apply", "-f", str(path))
    time.sleep(2)
    cluster.kubectl(
        "run",
        "friend",
        "--image=busybox",
        "--restart=Never",
        "--labels=role=friend",
        "--",
        "sh",
        "-c",
        "wget -q -O- http://web/hostname || echo blocked",
    )
    cluster.wait(
        "the friend pod",
        lambda: (
            json.loads(cluster.kubectl("get", "pod", "friend", "-o", "json"))["status"].get("phase")
            in ("Succeeded", "Failed")
        ),
    )
    assert "blocked" not in cluster.kubectl("logs", "friend")
