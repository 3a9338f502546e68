"""Priority admission keeps the PriorityClasses it parsed for pod creates: a class replaced
(deleted and created again with another value) or a new default is what the next pod gets."""

from __future__ import annotations

import asyncio
from typing import Any

from .conftest import Api

NS = "/api/v1/namespaces/default"
CLASSES = "/apis/scheduling.k8s.io/v1/priorityclasses"


def pod(name: str, **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {"containers": [{"name": "c", "image": "busybox"}], **spec},
    }


async def cached(api: Api, name: str, resource_version: str | None) -> None:
    """Wait until the PriorityClass cache holds `name` at `resource_version` (None: gone)."""
    endpoint = api.server.endpoint("scheduling.k8s.io", "v1", "priorityclasses")
    assert endpoint is not None and endpoint.store is not None
    store = endpoint.store
    for _ in range(1000):
        item = store.cache.get(store.key("", name))
        if (item is None and resource_version is None) or (
            item is not None and str(item.revision) == resource_version
        ):
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"the cache never caught up with {name} at {resource_version}")


async def make_class(api: Api, name: str, value: int, *, default: bool = False) -> None:
    body = {"metadata": {"name": name}, "value": value, "globalDefault": default}
    created = await api.json("POST", CLASSES, body, expect=201)
    await cached(api, name, created["metadata"]["resourceVersion"])


async def test_replaced_classes_and_new_defaults_reach_new_pods(api: Api) -> None:
    await make_class(api, "web", 100)
    first = await api.json("POST", f"{NS}/pods", pod("a", priorityClassName="web"), expect=201)
    assert first["spec"]["priority"] == 100
    await api.json("DELETE", f"{CLASSES}/web", expect=200)
    await cached(api, "web", None)
    err = await api.json("POST", f"{NS}/pods", pod("b", priorityClassName="web"), expect=403)
    assert "no PriorityClass with name web was found" in err["message"]
    await make_class(api, "web", 200)
    again = await api.json("POST", f"{NS}/pods", pod("c", priorityClassName="web"), expect=201)
    assert again["spec"]["priority"] == 200
    plain = await api.json("POST", f"{NS}/pods", pod("d"), expect=201)
    assert plain["spec"]["priority"] == 0 and "priorityClassName" not in plain["spec"]
    await make_class(api, "everyone", 7, default=True)
    defaulted = await api.json("POST", f"{NS}/pods", pod("e"), expect=201)
    assert (defaulted["spec"]["priority"], defaulted["spec"]["priorityClassName"]) == (7, "everyone")
