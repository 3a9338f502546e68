"""The API server side of streams, as pure decisions: which container a request means, log
option validation, proxy names and ports, parsing a proxied response, and which node
addresses may be dialled."""

from __future__ import annotations

import pytest

from pyk8s.api import errors
from pyk8s.apiserver.metrics_api import cpu_quantity, memory_quantity
from pyk8s.apiserver.proxy import (
    container_port,
    http_response,
    is_local_address,
    pick_container,
    split_proxy_name,
    validate_log_options,
)


def pod(*containers: str, init: tuple[str, ...] = (), ports: list[dict[str, object]] | None = None) -> dict:
    spec: dict = {"containers": [{"name": n} for n in containers]}
    if init:
        spec["initContainers"] = [{"name": n} for n in init]
    if ports:
        spec["containers"][0]["ports"] = ports
    return {"metadata": {"name": "web"}, "spec": spec}


def test_container_choice_and_messages() -> None:
    assert pick_container(pod("main"), "") == "main"
    assert pick_container(pod("a", "b", init=("setup",)), "setup") == "setup"
    with pytest.raises(errors.BadRequestError) as err:
        pick_container(pod("a", "b", init=("setup",)), "")
    assert err.value.message == (
        "a container name must be specified for pod web, choose one of: [a b]"
        " or one of the init containers: [setup]"
    )
    with pytest.raises(errors.BadRequestError) as err:
        pick_container(pod("a"), "nope")
    assert err.value.message == "container nope is not valid for pod web"


def test_log_option_validation() -> None:
    assert validate_log_options({"tailLines": "0", "limitBytes": "1", "sinceSeconds": "5"}) == []
    messages = [
        str(e) for e in validate_log_options({"tailLines": "-1", "limitBytes": "0", "sinceSeconds": "0"})
    ]
    assert messages == [
        "tailLines: Invalid value: -1: must be greater than or equal to 0",
        "limitBytes: Invalid value: 0: must be greater than 0",
        "sinceSeconds: Invalid value: 0: must be greater than 0",
    ]
    both = validate_log_options({"sinceSeconds": "5", "sinceTime": "2026-01-01T00:00:00Z"})
    assert "at most one of `sinceTime` or `sinceSeconds` may be specified" in str(both[0])
    assert validate_log_options({"stream": "Stderr"}) == []
    assert len(validate_log_options({"stream": "Everything"})) == 1


def test_proxy_names_and_ports() -> None:
    assert split_proxy_name("web") == ("", "web", "")
    assert split_proxy_name("web:8080") == ("", "web", "8080")
    assert split_proxy_name("https:web:443") == ("https", "web", "443")
    declared = pod("main", ports=[{"containerPort": 8080, "name": "http"}, {"containerPort": 9090}])
    assert container_port(declared, "") == 8080
    assert container_port(declared, "http") == 8080
    assert container_port(declared, "9999") == 9999
    assert container_port(pod("main"), "") == 80
    with pytest.raises(errors.BadRequestError):
        container_port(declared, "grpc")


def test_a_proxied_response() -> None:
    response = http_response(
        b"HTTP/1.0 404 Not Found\r\nContent-Type: text/plain\r\nConnection: close\r\n"
        b"X-Thing: 1\r\n\r\nmissing"
    )
    assert response.status == 404 and response.body == b"missing"
    assert response.headers["Content-Type"].startswith("text/plain") and response.headers["X-Thing"] == "1"
    assert "Connection" not in response.headers
    with pytest.raises(errors.ServiceUnavailableError):
        http_response(b"SSH-2.0-OpenSSH\r\n")


def test_only_local_addresses_are_dialled() -> None:
    assert is_local_address("127.0.0.1") and is_local_address("127.0.0.53") and is_local_address("::1")
    assert not is_local_address("10.240.0.9")  # a simulated node's address
    assert not is_local_address("192.0.2.1")  # TEST-NET-1
    assert not is_local_address("node-1")


def test_metrics_quantities() -> None:
    assert cpu_quantity(0) == "0"
    assert cpu_quantity(5_068_541) == "5068541n"
    assert cpu_quantity(250_000_000) == "250m"
    assert cpu_quantity(2_000_000_000) == "2"
    assert memory_quantity(28_794_880) == "28120Ki"
    assert memory_quantity(64 << 20) == "64Mi"
