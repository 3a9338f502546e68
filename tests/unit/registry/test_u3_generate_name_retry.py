"""A generated name that is already taken is replaced and the create retried, 8 attempts
in all (kube-apiserver's RetryGenerateName); a name given by the client never is."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from pyk8s.api import errors
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.core.pod import PodStrategy
from pyk8s.registry import store as store_module
from pyk8s.registry.store import GENERATE_NAME_ATTEMPTS, ResourceStore
from pyk8s.storage.memory import MemoryStorage

CTX = RequestContext(namespace="ns", field_manager="test", now=1_800_000_000.0)


def pod(**metadata: Any) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"namespace": "ns", **metadata},
        "spec": {"containers": [{"name": "c", "image": "busybox"}]},
    }


@pytest.fixture
async def store() -> AsyncIterator[ResourceStore]:
    storage = MemoryStorage()
    await storage.start()
    resources = ResourceStore(PodStrategy(), storage)
    await resources.start()
    yield resources
    await resources.stop()
    await storage.aclose()


@pytest.fixture
def suffixes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The suffixes the generator hands out, in order (the test fills the list)."""
    handed: list[str] = []
    monkeypatch.setattr(store_module, "generate_name", lambda base: base + handed.pop(0))
    return handed


async def test_a_taken_generated_name_is_replaced(store: ResourceStore, suffixes: list[str]) -> None:
    suffixes.extend(["aaaaa", "aaaaa", "aaaaa", "bbbbb"])
    first = await store.create(CTX, pod(generateName="web-"))
    second = await store.create(CTX, pod(generateName="web-"))
    assert (first["metadata"]["name"], second["metadata"]["name"]) == ("web-aaaaa", "web-bbbbb")
    assert second["metadata"]["generateName"] == "web-"
    stored = await store.get("ns", "web-bbbbb")
    assert stored["metadata"]["uid"] == second["metadata"]["uid"]
    assert (await store.get("ns", "web-aaaaa"))["metadata"]["uid"] == first["metadata"]["uid"]


async def test_after_eight_taken_names_the_create_fails_with_already_exists(
    store: ResourceStore, suffixes: list[str]
) -> None:
    suffixes.extend(["aaaaa"] * (1 + GENERATE_NAME_ATTEMPTS))
    await store.create(CTX, pod(generateName="web-"))
    with pytest.raises(errors.AlreadyExistsError) as raised:
        await store.create(CTX, pod(generateName="web-"))
    assert raised.value.code == 409
    assert str(raised.value) == (
        'pods "web-aaaaa" already exists, the server was not able to generate a unique name for the object'
    )
    assert raised.value.details["retryAfterSeconds"] == 1
    assert suffixes == []  # exactly 8 attempts
    assert GENERATE_NAME_ATTEMPTS == 8


async def test_a_name_given_by_the_client_is_never_replaced(
    store: ResourceStore, suffixes: list[str]
) -> None:
    await store.create(CTX, pod(name="web-x"))
    suffixes.append("never")
    with pytest.raises(errors.AlreadyExistsError):
        await store.create(CTX, pod(name="web-x", generateName="web-"))
    assert suffixes == ["never"]
