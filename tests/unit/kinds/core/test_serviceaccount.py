"""ServiceAccount: discovery (the token subresource), secret references, table."""

from __future__ import annotations

from pyk8s.api.meta import parse_time
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.core.serviceaccount import RESOURCE, ServiceAccountStrategy

S = ServiceAccountStrategy()
CREATED = "2026-01-01T00:00:00Z"


def test_resource_info() -> None:
    assert RESOURCE.short_names == ("sa",)
    token = RESOURCE.subresource("token")
    assert token is not None
    assert (token.group, token.version, token.kind, token.verbs) == (
        "authentication.k8s.io",
        "v1",
        "TokenRequest",
        ("create",),
    )


def test_secret_references_keep_only_names_and_table() -> None:
    obj = {
        "metadata": {"name": "robot", "namespace": "default", "creationTimestamp": CREATED},
        "secrets": [{"name": "robot-token", "namespace": "x", "uid": "u"}],
    }
    S.prepare_for_create(RequestContext(namespace="default"), obj)
    assert obj["secrets"] == [{"name": "robot-token"}]
    assert S.validate(RequestContext(), obj) == []
    assert [c["name"] for c in S.table_columns()] == ["Name", "Secrets", "Age"]
    assert S.table_row(obj, parse_time(CREATED) + 5) == ["robot", 1, "5s"]
