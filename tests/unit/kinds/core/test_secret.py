"""Secret: types and their keys, stringData, size, immutability, table."""

from __future__ import annotations

import base64
import copy
from typing import Any

import pytest

from pyk8s.api.fields import ErrorType, FieldErrors
from pyk8s.api.meta import parse_time
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.core.secret import RESOURCE, SecretStrategy

S = SecretStrategy()
CREATED = "2026-01-01T00:00:00Z"
NOW = parse_time(CREATED) + 90
CTX = RequestContext(namespace="default", now=NOW)
R, INV, F, TL = ErrorType.REQUIRED, ErrorType.INVALID, ErrorType.FORBIDDEN, ErrorType.TOO_LONG


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def secret(kind: str | None = None, data: dict[str, str] | None = None, **extra: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "s", "namespace": "default", "creationTimestamp": CREATED},
    }
    if kind:
        obj["type"] = kind
    if data is not None:
        obj["data"] = {k: b64(v) for k, v in data.items()}
    obj.update(extra)
    return obj


def errors(obj: dict[str, Any]) -> FieldErrors:
    S.default(obj)
    S.prepare_for_create(CTX, obj)
    return S.validate(CTX, obj)


def has(errs: FieldErrors, field: str, kind: ErrorType, detail: str | None = None) -> bool:
    return any(e.field == field and e.type == kind and (detail is None or detail in e.detail) for e in errs)


def test_resource_info() -> None:
    assert (RESOURCE.plural, RESOURCE.singular, RESOURCE.short_names) == ("secrets", "secret", ())


def test_defaults_and_string_data() -> None:
    obj = secret(data={"a": "1", "b": "2"}, stringData={"b": "two", "c": "3"})
    assert errors(obj) == []
    assert obj["type"] == "Opaque"
    assert "stringData" not in obj
    assert obj["data"] == {"a": b64("1"), "b": b64("two"), "c": b64("3")}


@pytest.mark.parametrize(
    "obj",
    [
        pytest.param(
            secret("kubernetes.io/dockerconfigjson", {".dockerconfigjson": '{"auths":{}}'}), id="docker"
        ),
        pytest.param(secret("kubernetes.io/dockercfg", {".dockercfg": "{}"}), id="dockercfg"),
        pytest.param(secret("kubernetes.io/basic-auth", {"username": "u"}), id="basic-auth"),
        pytest.param(secret("kubernetes.io/ssh-auth", {"ssh-privatekey": "k"}), id="ssh"),
        pytest.param(secret("kubernetes.io/tls", {"tls.crt": "c", "tls.key": "k"}), id="tls"),
        pytest.param(secret("example.com/custom", {"anything": "x"}), id="custom-type"),
    ],
)
def test_valid_types(obj: dict[str, Any]) -> None:
    assert errors(obj) == []


def test_service_account_token_needs_its_account() -> None:
    obj = secret("kubernetes.io/service-account-token")
    assert has(errors(obj), "metadata.annotations[kubernetes.io/service-account.name]", R)
    obj = secret("kubernetes.io/service-account-token")
    obj["metadata"]["annotations"] = {"kubernetes.io/service-account.name": "default"}
    assert errors(obj) == []


@pytest.mark.parametrize(
    ("obj", "field", "kind", "detail"),
    [
        pytest.param(
            secret("kubernetes.io/dockerconfigjson", {}), "data[.dockerconfigjson]", R, None, id="docker-key"
        ),
        pytest.param(
            secret("kubernetes.io/dockerconfigjson", {".dockerconfigjson": "not json"}),
            "data[.dockerconfigjson]",
            INV,
            "invalid character",
            id="docker-json",
        ),
        pytest.param(
            secret("kubernetes.io/dockercfg", {".dockercfg": "[]"}),
            "data[.dockercfg]",
            INV,
            "cannot unmarshal array",
            id="dockercfg-object",
        ),
        pytest.param(secret("kubernetes.io/basic-auth", {}), "data[username]", R, None, id="basic-username"),
        pytest.param(secret("kubernetes.io/basic-auth", {}), "data[password]", R, None, id="basic-password"),
        pytest.param(
            secret("kubernetes.io/ssh-auth", {"ssh-privatekey": ""}),
            "data[ssh-privatekey]",
            R,
            None,
            id="ssh-key",
        ),
        pytest.param(secret("kubernetes.io/tls", {"tls.crt": "c"}), "data[tls.key]", R, None, id="tls-key"),
        pytest.param(secret(data={"bad/key": "x"}), "data[bad/key]", INV, "a valid config key", id="key"),
        pytest.param(secret(data={"..": "x"}), "data[..]", INV, "must not be '..'", id="dot-dot"),
        pytest.param(
            secret(data={"big": "x" * (1024 * 1024 + 1)}),
            "data",
            TL,
            "may not be more than 1048576 bytes",
            id="too-big",
        ),
    ],
)
def test_invalid_secrets(obj: dict[str, Any], field: str, kind: ErrorType, detail: str | None) -> None:
    errs = errors(obj)
    assert has(errs, field, kind, detail), [str(e) for e in errs]


def test_redacted_value_in_messages() -> None:
    errs = errors(secret("kubernetes.io/dockerconfigjson", {".dockerconfigjson": "nope"}))
    assert str(errs[0]).startswith('data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": ')


def test_updates() -> None:
    old = secret(data={"a": "1"}, immutable=True)
    errors(old)
    new = copy.deepcopy(old)
    new["type"] = "kubernetes.io/tls"
    new["data"] = {"a": b64("2")}
    new["immutable"] = False
    S.default(new)
    S.prepare_for_update(CTX, new, old)
    errs = S.validate_update(CTX, new, old)
    assert has(errs, "type", INV, "field is immutable")
    assert has(errs, "data", F, "field is immutable when `immutable` is set")
    assert has(errs, "immutable", F, "field is immutable when `immutable` is set")
    mutable = secret(data={"a": "1"})
    errors(mutable)
    changed = copy.deepcopy(mutable)
    changed["stringData"] = {"a": "2"}
    S.default(changed)
    S.prepare_for_update(CTX, changed, mutable)
    assert S.validate_update(CTX, changed, mutable) == []
    assert changed["data"]["a"] == b64("2")


def test_table_and_field_selector() -> None:
    obj = secret("kubernetes.io/tls", {"tls.crt": "c", "tls.key": "k"})
    errors(obj)
    assert [c["name"] for c in S.table_columns()] == ["Name", "Type", "Data", "Age"]
    assert S.table_row(obj, NOW) == ["s", "kubernetes.io/tls", 2, "90s"]
    assert S.selectable_fields(obj)["type"] == "kubernetes.io/tls"
