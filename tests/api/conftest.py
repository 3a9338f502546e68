"""An API server in this process (memory storage, plain HTTP with a token) for fast HTTP tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiohttp import ClientResponse, ClientSession
from aiohttp.test_utils import RawTestServer

from pyk8s.apiserver import components, reviews
from pyk8s.apiserver.admission import BuiltinAdmission
from pyk8s.apiserver.app import Dispatcher
from pyk8s.apiserver.auth import Authenticator, UserInfo
from pyk8s.apiserver.bootstrap import ensure_system_objects
from pyk8s.apiserver.metrics import Metrics
from pyk8s.apiserver.server import ApiServer
from pyk8s.apiserver.tokens import ServiceAccountTokens
from pyk8s.kinds import builtin_strategies
from pyk8s.storage import open_storage

TOKEN = "test-token"


class Api:
    """A small HTTP helper: JSON in, JSON out, admin token by default."""

    def __init__(self, session: ClientSession, base: str, server: ApiServer, dispatcher: Dispatcher) -> None:
        self.session, self.base, self.server, self.dispatcher = session, base, server, dispatcher

    async def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        token: str | None = TOKEN,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
    ) -> ClientResponse:
        hdrs = dict(headers or {})
        if token:
            hdrs["Authorization"] = f"Bearer {token}"
        data = raw if raw is not None else (orjson.dumps(body) if body is not None else None)
        if data is not None and "Content-Type" not in hdrs:
            hdrs["Content-Type"] = "application/json"
        return await self.session.request(method, self.base + path, data=data, headers=hdrs)

    async def json(
        self, method: str, path: str, body: Any = None, *, expect: int | None = None, **kwargs: Any
    ) -> Any:
        resp = await self.request(method, path, body, **kwargs)
        data = orjson.loads(await resp.read())
        if expect is not None:
            assert resp.status == expect, data
        return data


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    storage = await open_storage("memory://", retention=None)
    admission = BuiltinAdmission()
    server = ApiServer(storage, builtin_strategies(), admission=admission, cache_capacity=50)
    admission.bind(server)
    await server.start()
    await ensure_system_objects(server, service_cidr="10.96.0.0/12", host="127.0.0.1", port=6443)
    tokens = ServiceAccountTokens(tmp_path / "sa.key")
    service_account_user = reviews.token_validator(server, tokens)

    authenticator = Authenticator(
        tokens={TOKEN: UserInfo("admin", ("system:masters",))}, validator=service_account_user
    )
    reviews.install(server, authenticator, tokens)
    components.install(server)
    dispatcher = Dispatcher(server, authenticator, Metrics(), advertise="127.0.0.1:6443")
    dispatcher.ready = True
    test_server = RawTestServer(dispatcher.handle, host="127.0.0.1")
    await test_server.start_server()
    async with ClientSession() as session:
        yield Api(session, str(test_server.make_url("")).rstrip("/"), server, dispatcher)
    await test_server.close()
    await server.stop()
    await storage.aclose()
