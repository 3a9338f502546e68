"""The `/openapi/v2` skeleton kubectl needs to apply a `kind: List` file: a gnostic
`openapi.v2.Document` in protobuf (no definitions), or JSON, with an ETag."""

from __future__ import annotations

import orjson
from aiohttp.test_utils import make_mocked_request
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

from pyk8s.apiserver.openapi import V2_PROTOBUF, V2_PROTOBUF_DEPRECATED, v2_skeleton_protobuf

from .conftest import Api

LABEL_OPTIONAL, TYPE_STRING, TYPE_MESSAGE = 1, 9, 11


def _document_class() -> type:
    """`openapi.v2.Document` with the fields the skeleton uses and `definitions` (9), built
    from gnostic's field numbers, so the bytes are checked by a real protobuf parser."""
    file = descriptor_pb2.FileDescriptorProto(
        name="s7_openapiv2.proto", package="openapi.v2", syntax="proto3"
    )

    def message(name: str, *fields: tuple[str, int, int, str]) -> None:
        msg = file.message_type.add(name=name)
        for field_name, number, kind, type_name in fields:
            field = msg.field.add(name=field_name, number=number, label=LABEL_OPTIONAL, type=kind)
            if type_name:
                field.type_name = type_name

    message("Info", ("title", 1, TYPE_STRING, ""), ("version", 2, TYPE_STRING, ""))
    message("Paths")
    message("Definitions")
    message(
        "Document",
        ("swagger", 1, TYPE_STRING, ""),
        ("info", 2, TYPE_MESSAGE, ".openapi.v2.Info"),
        ("paths", 8, TYPE_MESSAGE, ".openapi.v2.Paths"),
        ("definitions", 9, TYPE_MESSAGE, ".openapi.v2.Definitions"),
    )
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("openapi.v2.Document"))


def test_skeleton_is_a_gnostic_document() -> None:
    doc = _document_class()()
    doc.ParseFromString(v2_skeleton_protobuf("v1.37.0"))
    assert (doc.swagger, doc.info.title, doc.info.version) == ("2.0", "Kubernetes", "v1.37.0")
    assert doc.HasField("paths") and not doc.HasField("definitions")


async def test_served_by_accept_header(api: Api) -> None:
    openapi = api.dispatcher.openapi

    def get(accept: str, **headers: str) -> tuple[int, str, bytes, str]:
        request = make_mocked_request("GET", "/openapi/v2", headers={"Accept": accept, **headers})
        response = openapi.v2_response(request)
        return (
            response.status,
            response.content_type,
            bytes(response.body or b""),
            response.headers.get("Etag", ""),
        )

    # kubectl sends only the deprecated spelling; the answer uses the one Go can parse
    status, content_type, body, etag = get(V2_PROTOBUF_DEPRECATED)
    assert (status, content_type) == (200, V2_PROTOBUF) and "@" not in content_type
    assert body == v2_skeleton_protobuf("v1.37.0") and etag.startswith('"')
    assert get(V2_PROTOBUF_DEPRECATED, **{"If-None-Match": etag})[0] == 304
    status, content_type, body, _ = get("application/json")
    assert (status, content_type) == (200, "application/json")
    assert orjson.loads(body) == {
        "swagger": "2.0",
        "info": {"title": "Kubernetes", "version": "v1.37.0"},
        "paths": {},
    }
    assert get("text/html")[0] == 406
