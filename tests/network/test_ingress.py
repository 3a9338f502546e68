"""The Ingress controller against a real API server, with real sockets.

The backends stand in for pods: aiohttp servers whose sockets live in a network namespace
this test creates (addresses 10.244.250.x on its loopback; EndpointSlices may not name
127.0.0.0/8), reached through the controller's `upstream_netns` as pods are reached through
the node host namespace. Clients talk to the controller on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import base64
import os
import shutil
import socket
import ssl
import subprocess
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from pyk8s.apiserver.app import ApiServerConfig, RunningServer, start_apiserver
from pyk8s.apiserver.certs import ensure_pki
from pyk8s.client import Client
from pyk8s.client.resources import ENDPOINTSLICES, INGRESSCLASSES, INGRESSES, SECRETS, SERVICES
from pyk8s.network.dns.netns import make_socket
from pyk8s.network.ingress import IngressConfig, IngressController, run_ingress
from pyk8s.network.ingress.tls import self_signed

from ..conftest import IN_CI, require_binary

ALPHA, ALPHA_2, BETA = ("10.244.250.1", 8080), ("10.244.250.1", 8081), ("10.244.250.2", 9000)


def need_root_tools() -> None:
    """Network namespaces need root and iproute2: skip without them, fail in CI."""
    if os.geteuid() != 0:
        if IN_CI:
            pytest.fail("network namespace tests need root (CI runs as root)")
        pytest.skip("network namespace tests need root")
    require_binary("ip", shutil.which("ip"), "iproute2")


@pytest.fixture(scope="module")
def pki_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("pki") / "pki"
    ensure_pki(directory)
    return directory


@pytest.fixture
async def api(tmp_path: Path, pki_template: Path) -> AsyncIterator[tuple[RunningServer, Client]]:
    shutil.copytree(pki_template, tmp_path / "data" / "pki")
    config = ApiServerConfig(data_dir=tmp_path / "data", port=0, storage_url=f"memory://{uuid.uuid4().hex}")
    running = await start_apiserver(config)
    client = Client.from_kubeconfig(running.kubeconfig, component="test")
    try:
        yield running, client
    finally:
        await client.aclose()
        await running.stop()


@pytest.fixture
def pod_netns() -> Iterator[str]:
    need_root_tools()
    name = f"n3ing-{uuid.uuid4().hex[:8]}"
    subprocess.run(["ip", "netns", "add", name], check=True, capture_output=True)
    try:
        subprocess.run(["ip", "-n", name, "link", "set", "lo", "up"], check=True, capture_output=True)
        for address in (ALPHA[0], BETA[0]):
            subprocess.run(
                ["ip", "-n", name, "addr", "add", f"{address}/32", "dev", "lo"],
                check=True,
                capture_output=True,
            )
        yield name
    finally:
        subprocess.run(["ip", "netns", "del", name], capture_output=True)


@pytest.fixture
async def backends(pod_netns: str) -> AsyncIterator[None]:
    """Three echo servers inside the namespace: alpha, alpha-2 and beta."""
    runners = []

    def echo(name: str) -> Any:
        async def handler(request: web.Request) -> web.Response:
            body = await request.read()
            return web.json_response(
                {
                    "backend": name,
                    "host": request.headers.get("Host"),
                    "path": request.path_qs,
                    "forwarded_for": request.headers.get("X-Forwarded-For"),
                    "proto": request.headers.get("X-Forwarded-Proto"),
                    "body": len(body),
                }
            )

        return handler

    for name, address in (("alpha", ALPHA), ("alpha-2", ALPHA_2), ("beta", BETA)):
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", echo(name))
        runner = web.AppRunner(app)
        await runner.setup()
        sock = make_socket(socket.SOCK_STREAM, address, netns=pod_netns, reuse_address=True)
        await web.SockSite(runner, sock).start()
        runners.append(runner)
    try:
        yield
    finally:
        for runner in runners:
            await runner.cleanup()


async def selectorless_service(
    client: Client, name: str, port: Obj, endpoints: list[tuple[str, int]]
) -> None:
    await client.create(
        SERVICES,
        {"metadata": {"name": name, "namespace": "default"}, "spec": {"ports": [port]}},
        namespace="default",
    )
    await client.create(
        ENDPOINTSLICES,
        {
            "apiVersion": "discovery.k8s.io/v1",
            "kind": "EndpointSlice",
            "metadata": {
                "name": f"{name}-1",
                "namespace": "default",
                "labels": {"kubernetes.io/service-name": name},
            },
            "addressType": "IPv4",
            "endpoints": [{"addresses": [ip], "conditions": {"ready": True}} for ip, _ in endpoints],
            "ports": [{"name": port.get("name", ""), "port": endpoints[0][1], "protocol": "TCP"}]
            if endpoints
            else [],
        },
        namespace="default",
    )


Obj = dict[str, Any]


async def eventually(check: Any, timeout: float = 15.0) -> Any:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        try:
            result = await check()
            if result:
                return result
        except (AssertionError, aiohttp.ClientError):
            if loop.time() > deadline:
                raise
        if loop.time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.05)


async def test_two_hosts_two_backends_tls_by_sni_and_status(
    api: tuple[RunningServer, Client], pod_netns: str, backends: None
) -> None:
    _, client = api
    await selectorless_service(client, "alpha", {"name": "http", "port": 80, "targetPort": 8080}, [ALPHA])
    await selectorless_service(client, "beta", {"name": "web", "port": 8000, "targetPort": 9000}, [BETA])
    await selectorless_service(client, "empty", {"name": "http", "port": 80}, [])
    cert, key = self_signed("alpha.test", ("alpha.test",))
    await client.create(
        SECRETS,
        {
            "metadata": {"name": "alpha-tls", "namespace": "default"},
            "type": "kubernetes.io/tls",
            "data": {"tls.crt": base64.b64encode(cert).decode(), "tls.key": base64.b64encode(key).decode()},
        },
        namespace="default",
    )

    config = IngressConfig(kubeconfig=client, http_port=0, https_port=0, upstream_netns=pod_netns)
    controller = IngressController(config, client)
    await controller.start()
    try:
        ingress_class = await client.get(INGRESSCLASSES, "pyk8s")
        assert ingress_class["spec"]["controller"] == "pyk8s.io/ingress"
        assert (
            ingress_class["metadata"]["annotations"]["ingressclass.kubernetes.io/is-default-class"] == "true"
        )

        created = await client.create(
            INGRESSES,
            {
                "metadata": {"name": "sites", "namespace": "default"},
                "spec": {
                    "tls": [{"hosts": ["alpha.test"], "secretName": "alpha-tls"}],
                    "rules": [
                        {
                            "host": "alpha.test",
                            "http": {
                                "paths": [
                                    {
                                        "path": "/",
                                        "pathType": "Prefix",
                                        "backend": {"service": {"name": "alpha", "port": {"number": 80}}},
                                    }
                                ]
                            },
                        },
                        {
                            "host": "beta.test",
                            "http": {
                                "paths": [
                                    {
                                        "path": "/api",
                                        "pathType": "Prefix",
                                        "backend": {"service": {"name": "beta", "port": {"name": "web"}}},
                                    },
                                    {
                                        "path": "/empty",
                                        "pathType": "Exact",
                                        "backend": {"service": {"name": "empty", "port": {"number": 80}}},
                                    },
                                ]
                            },
                        },
                    ],
                },
            },
            namespace="default",
        )
        assert created["spec"]["ingressClassName"] == "pyk8s"  # the default class, by admission

        http = f"http://127.0.0.1:{controller.http_port}"
        async with aiohttp.ClientSession() as session:

            async def get(host: str, path: str, **kwargs: Any) -> tuple[int, Any]:
                async with session.get(http + path, headers={"Host": host}, **kwargs) as resp:
                    is_json = resp.content_type == "application/json"
                    return resp.status, await (resp.json() if is_json else resp.text())

            async def alpha_routed() -> Any:
                status, body = await get("alpha.test", "/")
                return status == 200 and body

            body = await eventually(alpha_routed)
            assert body["backend"] == "alpha" and body["host"] == "alpha.test" and body["path"] == "/"
            assert body["forwarded_for"] == "127.0.0.1" and body["proto"] == "http"

            status, body = await get("beta.test", "/api/items?page=2")
            assert status == 200 and body["backend"] == "beta" and body["path"] == "/api/items?page=2"
            assert (await get("beta.test", "/"))[0] == 404  # the host's paths only
            assert (await get("gamma.test", "/"))[0] == 404
            assert (await get("beta.test", "/empty"))[0] == 503  # no endpoints

            async with session.post(
                http + "/upload", headers={"Host": "alpha.test"}, data=b"x" * 200_000
            ) as resp:
                assert resp.status == 200 and (await resp.json())["body"] == 200_000

            # TLS: the Secret's certificate for alpha.test, the default one for other names
            trust = ssl.create_default_context(cadata=cert.decode())
            https = f"https://127.0.0.1:{controller.https_port}"
            async with session.get(
                https + "/", server_hostname="alpha.test", ssl=trust, headers={"Host": "alpha.test"}
            ) as resp:
                assert resp.status == 200
                answer = await resp.json()
                assert answer["backend"] == "alpha" and answer["proto"] == "https"
            insecure = ssl.create_default_context()
            insecure.check_hostname, insecure.verify_mode = False, ssl.CERT_NONE
            async with session.get(
                https + "/api/x", server_hostname="beta.test", ssl=insecure, headers={"Host": "beta.test"}
            ) as resp:
                assert resp.status == 200 and (await resp.json())["backend"] == "beta"
            _, writer = await asyncio.open_connection(
                "127.0.0.1", controller.https_port, ssl=insecure, server_hostname="beta.test"
            )
            peer = writer.get_extra_info("ssl_object").getpeercert(binary_form=True)
            writer.close()
            assert peer == ssl.PEM_cert_to_DER_cert(controller.certificates.default_certificate.decode())
            with pytest.raises(aiohttp.ClientConnectorCertificateError):  # not alpha's certificate
                async with session.get(https + "/", server_hostname="beta.test", ssl=trust):
                    pass

            # endpoints follow the EndpointSlice: a second alpha endpoint joins the rotation
            slice_ = await client.get(ENDPOINTSLICES, "alpha-1", namespace="default")
            slice_["endpoints"] = [{"addresses": [ALPHA[0]], "conditions": {"ready": True}}]
            slice_["ports"] = [{"name": "http", "port": ALPHA_2[1], "protocol": "TCP"}]
            await client.update(ENDPOINTSLICES, slice_)

            async def moved() -> bool:
                return (await get("alpha.test", "/"))[1]["backend"] == "alpha-2"

            await eventually(moved)

        async def status_written() -> bool:
            obj = await client.get(INGRESSES, "sites", namespace="default")
            return obj.get("status", {}).get("loadBalancer", {}).get("ingress") == [{"ip": "127.0.0.1"}]

        await eventually(status_written)
    finally:
        await controller.aclose()


async def test_run_ingress_refuses_pod_addresses_without_an_upstream_namespace(
    api: tuple[RunningServer, Client],
) -> None:
    """Without a node host namespace to dial from, a pod address is never dialled from the
    host's network: the request gets 503 and no packet leaves."""
    _, client = api
    await selectorless_service(client, "web", {"name": "http", "port": 80}, [("10.244.9.9", 8080)])
    await client.create(
        INGRESSES,
        {
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {
                "ingressClassName": "pyk8s",
                "defaultBackend": {"service": {"name": "web", "port": {"number": 80}}},
            },
        },
        namespace="default",
    )
    with socket.socket() as probe:  # a free port to point run_ingress at
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = IngressConfig(kubeconfig=client, http_port=port, https_port=-1)
    stop = asyncio.Event()
    task = asyncio.create_task(run_ingress(config, stop))
    try:
        await asyncio.wait_for(config.ready.wait(), 30)

        async def status_written() -> bool:
            obj = await client.get(INGRESSES, "web", namespace="default")
            return bool(obj.get("status", {}).get("loadBalancer", {}).get("ingress"))

        await eventually(status_written)
        async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{port}/") as resp:
            assert resp.status == 503
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)
