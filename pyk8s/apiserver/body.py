"""Reading request bodies: size limit, JSON/YAML/protobuf decoding, kind and version checks,
and schema decoding with `fieldValidation` (Strict, Warn, Ignore)."""

from __future__ import annotations

from typing import Any

import orjson
import yaml

from pyk8s.api import errors
from pyk8s.api.resource import ResourceInfo
from pyk8s.api.schema import DecodeError, Schema, decode
from pyk8s.apiserver.negotiation import JSON, PROTOBUF, YAML

MAX_BODY_BYTES = 3 * 1024 * 1024
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_document(raw: bytes, media: str) -> Any:
    """Bytes to a JSON-shaped value, by media type; malformed input is a 400."""
    if media == PROTOBUF:
        from pyk8s.api.protobuf import ProtobufError
        from pyk8s.api.protobuf import decode as decode_protobuf

        try:
            return decode_protobuf(raw)
        except ProtobufError as err:
            raise errors.BadRequestError(f"unable to decode protobuf body: {err}") from None
    if media == YAML:
        try:
            docs = list(yaml.load_all(raw.decode("utf-8"), Loader=_YAML_LOADER))
        except (yaml.YAMLError, UnicodeDecodeError) as err:
            raise errors.BadRequestError(f"error converting YAML to JSON: {_first_line(err)}") from None
        docs = [d for d in docs if d is not None]
        if len(docs) != 1:
            raise errors.BadRequestError("the request body must contain exactly one YAML document")
        return _jsonable(docs[0])
    try:
        return orjson.loads(raw) if raw.strip() else None
    except orjson.JSONDecodeError as err:
        raise errors.BadRequestError(f"the object provided is unrecognized (not valid JSON: {err})") from None


def _first_line(err: Exception) -> str:
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__


def _jsonable(value: Any) -> Any:
    """YAML scalars JSON cannot carry (timestamps, dates) become strings, as Kubernetes does."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text.replace("+00:00", "Z")
    return str(value)


def decode_object(
    raw: bytes, media: str, info: ResourceInfo, schema: Schema, *, field_validation: str
) -> tuple[dict[str, Any], list[str]]:
    """A request body as an object of `info`'s kind, and the warnings to send.

    Checks that apiVersion and kind (when given) fit the endpoint, decodes against the
    schema and applies `fieldValidation`: Strict refuses unknown fields (400), Warn
    reports them as warnings, Ignore drops them silently.
    """
    obj = parse_document(raw, media)
    if not isinstance(obj, dict):
        raise errors.BadRequestError(
            f'{info.kind} in version "{info.version}" cannot be handled as a {info.kind}: '
            "the body must be a JSON object"
        )
    check_type_meta(obj, info)
    try:
        result = decode(obj, schema)
    except DecodeError as err:
        raise errors.BadRequestError(
            f'{info.kind} in version "{info.version}" cannot be handled as a {info.kind}: {err}'
        ) from None
    return obj, field_warnings(result.unknown, field_validation)


def check_type_meta(obj: dict[str, Any], info: ResourceInfo) -> None:
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    if api_version and api_version != info.api_version:
        raise errors.BadRequestError(
            f"the API version in the data ({api_version}) does not match the expected API version "
            f"({info.api_version})"
        )
    if kind and kind != info.kind:
        raise errors.BadRequestError(
            f"the kind in the data ({kind}) does not match the expected kind ({info.kind})"
        )
    obj["apiVersion"], obj["kind"] = info.api_version, info.kind


def field_warnings(unknown: list[str], field_validation: str) -> list[str]:
    """Apply `fieldValidation` to the unknown fields of a decoded object."""
    if not unknown or field_validation == "Ignore":
        return []
    messages = [f'unknown field "{path}"' for path in unknown]
    if field_validation == "Strict":
        raise errors.BadRequestError("strict decoding error: " + ", ".join(messages))
    return messages


def field_validation_mode(value: str | None) -> str:
    if value is None or value == "":
        return "Warn"
    if value not in ("Strict", "Warn", "Ignore"):
        raise errors.BadRequestError(
            f'fieldValidation parameter unsupported: "{value}". Must be one of "Ignore", "Warn", or "Strict"'
        )
    return value


JSON_TYPES = (JSON, YAML, PROTOBUF)
