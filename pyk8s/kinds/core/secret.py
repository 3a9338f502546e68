"""Secret: sensitive data for pods, base64-encoded on the wire.

`stringData` is write-only: it is merged into `data` (winning over the same keys) before
validation, as kube-apiserver's v1 conversion does, and never stored.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from pyk8s.api.fields import FieldErrors, FieldPath, forbidden, invalid, required, too_long
from pyk8s.api.resource import AGE, NAME, Column, Obj, RequestContext, ResourceInfo, ResourceStrategy
from pyk8s.api.table import age
from pyk8s.api.validation import validate_immutable
from pyk8s.kinds.core import types
from pyk8s.kinds.core.configmap import IMMUTABLE_SET
from pyk8s.kinds.core.validation import MAX_CONFIG_SIZE, validate_config_keys

RESOURCE = ResourceInfo(group="", version="v1", kind="Secret", plural="secrets", singular="secret")
MAX_SECRET_SIZE = MAX_CONFIG_SIZE
REDACTED = "<secret contents redacted>"
SERVICE_ACCOUNT_NAME = "kubernetes.io/service-account.name"

OPAQUE = "Opaque"
SERVICE_ACCOUNT_TOKEN = "kubernetes.io/service-account-token"
DOCKERCFG = "kubernetes.io/dockercfg"
DOCKER_CONFIG_JSON = "kubernetes.io/dockerconfigjson"
BASIC_AUTH = "kubernetes.io/basic-auth"
SSH_AUTH = "kubernetes.io/ssh-auth"
TLS = "kubernetes.io/tls"


def _decode(value: Any) -> bytes | None:
    try:
        return base64.b64decode(str(value), validate=True)
    except (binascii.Error, ValueError):
        return None


def fold_string_data(obj: Obj) -> None:
    """Merge stringData into data (base64-encoded) and drop it."""
    string_data = obj.pop("stringData", None) or {}
    if string_data:
        data = obj.get("data")
        if not isinstance(data, dict):
            data = obj["data"] = {}
        for key, value in string_data.items():
            data[key] = base64.b64encode(str(value).encode()).decode()


def _json_problem(raw: bytes) -> str | None:
    """Why `raw` is not a JSON object, in the words of Go's encoding/json (roughly)."""
    try:
        value = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as err:
        text = raw.decode(errors="replace").lstrip()
        if not text:
            return "unexpected end of JSON input"
        position = getattr(err, "pos", 0)
        char = text[min(position, len(text) - 1)] if text else ""
        return f"invalid character '{char}' looking for beginning of value"
    if not isinstance(value, dict):
        kind = {list: "array", str: "string", bool: "bool", int: "number", float: "number"}.get(
            type(value), ""
        )
        if value is None:
            return None
        return f"json: cannot unmarshal {kind} into Go value of type map[string]interface {{}}"
    return None


class SecretStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.Secret
    has_status = False
    columns = (
        NAME,
        Column("Type", description="The type of the secret."),
        Column("Data", description="How many keys the secret holds."),
        AGE,
    )
    field_selectors = {"type": lambda o: o.get("type", "")}

    def default(self, obj: Obj) -> None:
        fold_string_data(obj)
        if not obj.get("type"):
            obj["type"] = OPAQUE

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        data = obj.get("data") or {}
        path = FieldPath("data")
        errs = validate_config_keys(data, path)
        decoded = {key: _decode(value) for key, value in data.items()}
        total = sum(len(v) if v is not None else len(str(data[k])) for k, v in decoded.items())
        if total > MAX_SECRET_SIZE:
            errs.append(too_long(path, MAX_SECRET_SIZE))
        kind = obj.get("type", "")
        if kind == SERVICE_ACCOUNT_TOKEN:
            annotations = (obj.get("metadata") or {}).get("annotations") or {}
            if not annotations.get(SERVICE_ACCOUNT_NAME):
                errs.append(required(FieldPath("metadata").child("annotations").key(SERVICE_ACCOUNT_NAME)))
        elif kind in (DOCKERCFG, DOCKER_CONFIG_JSON):
            key = ".dockercfg" if kind == DOCKERCFG else ".dockerconfigjson"
            if key not in data:
                errs.append(required(path.key(key)))
            else:
                problem = _json_problem(decoded[key] or b"")
                if problem:
                    errs.append(invalid(path.key(key), REDACTED, problem))
        elif kind == BASIC_AUTH:
            if "username" not in data and "password" not in data:
                errs.append(required(path.key("username")))
                errs.append(required(path.key("password")))
        elif kind == SSH_AUTH:
            if not decoded.get("ssh-privatekey"):
                errs.append(required(path.key("ssh-privatekey")))
        elif kind == TLS:
            for key in ("tls.crt", "tls.key"):
                if key not in data:
                    errs.append(required(path.key(key)))
        return errs

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        errs = validate_immutable(obj.get("type", ""), old.get("type", ""), "type")
        if old.get("immutable"):
            if not obj.get("immutable"):
                errs.append(forbidden("immutable", IMMUTABLE_SET))
            if (obj.get("data") or {}) != (old.get("data") or {}):
                errs.append(forbidden("data", IMMUTABLE_SET))
        return errs + self.validate(ctx, obj)

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        return [
            (obj.get("metadata") or {}).get("name", ""),
            obj.get("type", ""),
            len(obj.get("data") or {}),
            age(obj, now),
        ]
