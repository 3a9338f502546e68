"""Content negotiation: what a client accepts (JSON, YAML, Table, aggregated discovery) and
how to read its request body (JSON, YAML, Kubernetes protobuf, the patch types)."""

from __future__ import annotations

from dataclasses import dataclass

from pyk8s.api.errors import NotAcceptableError, UnsupportedMediaTypeError

JSON = "application/json"
YAML = "application/yaml"
PROTOBUF = "application/vnd.kubernetes.protobuf"
JSON_PATCH = "application/json-patch+json"
MERGE_PATCH = "application/merge-patch+json"
STRATEGIC_PATCH = "application/strategic-merge-patch+json"
APPLY_PATCH = "application/apply-patch+yaml"
APPLY_PATCH_CBOR = "application/apply-patch+cbor"

BODY_TYPES = (JSON, YAML, PROTOBUF)
PATCH_TYPES = (JSON_PATCH, MERGE_PATCH, STRATEGIC_PATCH, APPLY_PATCH)

TABLE_V1 = "application/json;as=Table;v=v1;g=meta.k8s.io"
DISCOVERY_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
DISCOVERY_V2BETA1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList"


@dataclass(frozen=True, slots=True)
class MediaRange:
    type: str  # "application/json", "*/*", ...
    params: dict[str, str]
    q: float = 1.0

    def matches(self, media: str) -> bool:
        if self.type in ("*/*", media):
            return True
        major = media.split("/", 1)[0]
        return self.type == f"{major}/*"


def parse_media_type(text: str) -> tuple[str, dict[str, str]]:
    parts = [p.strip() for p in text.split(";")]
    params = {}
    for p in parts[1:]:
        if "=" in p:
            k, v = p.split("=", 1)
            params[k.strip().lower()] = v.strip().strip('"')
    return parts[0].lower(), params


def parse_accept(header: str) -> list[MediaRange]:
    """Media ranges in preference order (by q, then as written)."""
    ranges = []
    for i, item in enumerate(header.split(",")):
        item = item.strip()
        if not item:
            continue
        media, params = parse_media_type(item)
        try:
            q = float(params.pop("q", "1"))
        except ValueError:
            q = 1.0
        ranges.append((-q, i, MediaRange(media, params, q)))
    ranges.sort(key=lambda t: (t[0], t[1]))
    return [r for _, _, r in ranges] or [MediaRange("*/*", {})]


@dataclass(frozen=True, slots=True)
class Output:
    """How to answer: the serialisation and whether a Table or discovery document was asked for."""

    format: str  # "json" | "yaml"
    table: bool = False
    discovery: str = ""  # "" | "v2" | "v2beta1"
    pretty: bool = False

    @property
    def content_type(self) -> str:
        if self.table:
            return TABLE_V1
        if self.discovery == "v2":
            return DISCOVERY_V2
        if self.discovery == "v2beta1":
            return DISCOVERY_V2BETA1
        return YAML if self.format == "yaml" else JSON


_NEGOTIATED: dict[tuple[str, bool, bool], Output | NotAcceptableError] = {}


def negotiate(accept: str, *, allow_table: bool = False, allow_discovery: bool = False) -> Output:
    """Pick the response form from the Accept header; 406 when only unsupported types are acceptable.

    Clients send a handful of distinct Accept headers, so answers are remembered.
    """
    key = (accept, allow_table, allow_discovery)
    known = _NEGOTIATED.get(key)
    if known is None:
        try:
            known = _negotiate(accept, allow_table, allow_discovery)
        except NotAcceptableError as err:
            known = err
        if len(_NEGOTIATED) < 1024:
            _NEGOTIATED[key] = known
    if isinstance(known, NotAcceptableError):
        raise NotAcceptableError(known.message)
    return known


def _negotiate(accept: str, allow_table: bool, allow_discovery: bool) -> Output:
    for media in parse_accept(accept or "*/*"):
        params = media.params
        group, as_kind, version = params.get("g", ""), params.get("as", ""), params.get("v", "")
        if media.type == JSON or media.type == "application/*" or media.type == "*/*":
            if as_kind == "Table":
                if allow_table and group == "meta.k8s.io" and version in ("v1", "v1beta1"):
                    return Output("json", table=True)
                continue
            if as_kind == "APIGroupDiscoveryList":
                if allow_discovery and group == "apidiscovery.k8s.io" and version in ("v2", "v2beta1"):
                    return Output("json", discovery=version)
                continue
            if as_kind:
                continue  # PartialObjectMetadata and friends: not served, let a later choice win
            return Output("json")
        if media.type in (YAML, "application/x-yaml", "text/yaml"):
            return Output("yaml")
    raise NotAcceptableError(
        "only the following media types are accepted: application/json, application/yaml"
    )


def body_type(content_type: str | None, *, patch: bool = False) -> str:
    """The media type of a request body; a missing Content-Type means JSON (as Kubernetes does)."""
    if not content_type:
        return JSON
    media, _ = parse_media_type(content_type)
    allowed = PATCH_TYPES if patch else BODY_TYPES
    if media in allowed:
        return media
    if not patch and media in ("application/x-yaml", "text/yaml"):
        return YAML
    accepted = ", ".join(allowed)
    raise UnsupportedMediaTypeError(
        f"the body of the request was in an unknown format - accepted media types include: {accepted}"
    )
