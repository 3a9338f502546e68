"""OpenAPI v3: the `/openapi/v3` index and one document per group-version, generated from
the kinds' schemas. kubectl needs PATCH operations carrying `x-kubernetes-group-version-kind`
and a `fieldValidation` parameter to validate on the server; `kubectl explain` and
client-side apply read the component schemas (with their patch strategies).

OpenAPI v2 (`/openapi/v2`) is served as a skeleton without definitions. kubectl asks for it
in one case only: a `kind: List` file (`v1, Kind=List` never has a v3 PATCH operation, so
kubectl validates such files on the client against the v2 document, in gnostic protobuf).
Without v2, `kubectl apply -f list.yaml` fails; with no definitions, kubectl finds no
client-side schema for the items and leaves their validation to the server, which still
gets `fieldValidation` on every item's request.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import orjson
from aiohttp import web

from pyk8s.api.protobuf import length_delimited
from pyk8s.api.schema import Schema, openapi_components
from pyk8s.apiserver.server import KUBERNETES_VERSION, ApiServer, Endpoint, GroupVersion
from pyk8s.kinds import meta
from pyk8s.kinds.schemas import schema_for

PATCH_CONTENT = (
    "application/json-patch+json",
    "application/merge-patch+json",
    "application/strategic-merge-patch+json",
    "application/apply-patch+yaml",
)
META = "io.k8s.apimachinery.pkg.apis.meta.v1."
# kubectl asks for the deprecated `@` spelling; the answer names the other one, which Go's
# media-type parser accepts (it refuses `@` in a Content-Type)
V2_PROTOBUF = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"
V2_PROTOBUF_DEPRECATED = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"


def _param(
    name: str, where: str, kind: str = "string", description: str = "", required: bool = False
) -> dict:
    out: dict[str, Any] = {"name": name, "in": where, "schema": {"type": kind, "uniqueItems": True}}
    if description:
        out["description"] = description
    if required:
        out["required"] = True
    return out


DRY_RUN = _param("dryRun", "query", description='"All" processes the request without persisting it.')
FIELD_MANAGER = _param("fieldManager", "query", description="The name of the actor making the change.")
FIELD_VALIDATION = _param(
    "fieldValidation",
    "query",
    description="How to treat unknown and duplicate fields: Ignore, Warn or Strict.",
)
FORCE = _param("force", "query", "boolean", "Take ownership of conflicting fields (apply only).")
PRETTY = _param("pretty", "query", description="Indent the output.")
LIST_PARAMS = [
    _param("allowWatchBookmarks", "query", "boolean", "Ask for BOOKMARK events."),
    _param("continue", "query", description="The token of the next page."),
    _param("fieldSelector", "query", description="Select by fields."),
    _param("labelSelector", "query", description="Select by labels."),
    _param("limit", "query", "integer", "At most this many items."),
    _param("resourceVersion", "query", description="Freshness of the result."),
    _param("resourceVersionMatch", "query", description="How resourceVersion applies."),
    _param("sendInitialEvents", "query", "boolean", "Stream the current state first (watch-list)."),
    _param("timeoutSeconds", "query", "integer", "End the request after this many seconds."),
    _param("watch", "query", "boolean", "Watch instead of list."),
]
DELETE_PARAMS = [
    DRY_RUN,
    _param("gracePeriodSeconds", "query", "integer", "Seconds before deletion."),
    _param("propagationPolicy", "query", description="Orphan, Background or Foreground."),
]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json_response(schema_name: str, code: str = "200") -> dict[str, Any]:
    content = {t: {"schema": _ref(schema_name)} for t in ("application/json", "application/yaml")}
    return {code: {"description": "OK", "content": content}}


def _camel(group: str, version: str) -> str:
    base = "Core" if not group else "".join(p.capitalize() for p in group.replace(".k8s.io", "").split("."))
    return base + version.capitalize()


@dataclass(slots=True)
class Document:
    body: bytes
    hash: str


class OpenApi:
    """Builds and caches the v3 documents of a server."""

    def __init__(self, server: ApiServer) -> None:
        self.server = server
        self._docs: dict[str, Document] = {}

    def key(self, gv: GroupVersion) -> str:
        return f"api/{gv.version}" if not gv.group else f"apis/{gv.group}/{gv.version}"

    def document(self, key: str) -> Document | None:
        doc = self._docs.get(key)
        if doc is None:
            for gv in self.server.group_versions.values():
                if self.key(gv) == key:
                    body = orjson.dumps(self._build(gv))
                    doc = self._docs[key] = Document(body, hashlib.sha512(body).hexdigest().upper())
                    break
        return doc

    def v2_document(self, *, protobuf: bool) -> Document:
        """The v2 skeleton: gnostic `openapi.v2.Document` protobuf, or the same as JSON."""
        key = "v2/protobuf" if protobuf else "v2/json"
        doc = self._docs.get(key)
        if doc is None:
            major, minor, patch = KUBERNETES_VERSION
            version = f"v{major}.{minor}.{patch}"
            if protobuf:
                body = v2_skeleton_protobuf(version)
            else:
                body = orjson.dumps(
                    {"swagger": "2.0", "info": {"title": "Kubernetes", "version": version}, "paths": {}}
                )
            doc = self._docs[key] = Document(body, hashlib.sha512(body).hexdigest().upper())
        return doc

    def v2_response(self, request: web.Request) -> web.Response:
        """Answer `GET /openapi/v2`: protobuf when the client accepts it (kubectl accepts only
        that), JSON when it accepts JSON, else 406; with an ETag so kubectl's HTTP cache can
        revalidate."""
        accept = request.headers.get("Accept", "") or "*/*"
        protobuf = V2_PROTOBUF in accept or V2_PROTOBUF_DEPRECATED in accept
        if not protobuf and not any(t in accept for t in ("application/json", "application/*", "*/*")):
            return web.Response(status=406, headers={"Vary": "Accept"})
        doc = self.v2_document(protobuf=protobuf)
        etag = f'"{doc.hash}"'
        headers = {"Etag": etag, "Vary": "Accept"}
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers=headers)
        content_type = V2_PROTOBUF if protobuf else "application/json"
        return web.Response(body=doc.body, headers={**headers, "Content-Type": content_type})

    def index(self) -> dict[str, Any]:
        paths = {}
        for gv in self.server.group_versions.values():
            key = self.key(gv)
            doc = self.document(key)
            assert doc is not None
            paths[key] = {"serverRelativeURL": f"/openapi/v3/{key}?hash={doc.hash}"}
        return {"paths": paths}

    def _build(self, gv: GroupVersion) -> dict[str, Any]:
        paths: dict[str, Any] = {}
        roots: list[Schema] = [meta.STATUS, meta.DELETE_OPTIONS, meta.PATCH, meta.WATCH_EVENT]
        for endpoint in gv.resources:
            roots.append(endpoint.schema)
            list_schema = schema_for(endpoint.info.group, endpoint.info.version, endpoint.info.list_kind)
            if list_schema is not None:
                roots.append(list_schema)
            for sub in endpoint.info.subresources:
                if sub.kind:
                    sub_schema = schema_for(
                        sub.group or endpoint.info.group, sub.version or endpoint.info.version, sub.kind
                    )
                    if sub_schema is not None:
                        roots.append(sub_schema)
            paths.update(self._paths(gv, endpoint))
        major, minor, patch = KUBERNETES_VERSION
        return {
            "openapi": "3.0.0",
            "info": {"title": "Kubernetes", "version": f"v{major}.{minor}.{patch}"},
            "paths": paths,
            "components": {"schemas": openapi_components(roots)},
        }

    def _paths(self, gv: GroupVersion, endpoint: Endpoint) -> dict[str, Any]:
        info = endpoint.info
        base = f"/api/{gv.version}" if not gv.group else f"/apis/{gv.group}/{gv.version}"
        gvk = {"group": info.group, "version": info.version, "kind": info.kind}
        kind_schema = endpoint.schema.name
        list_schema = schema_for(info.group, info.version, info.list_kind)
        camel = _camel(info.group, info.version)
        scope = "Namespaced" if info.namespaced else ""
        collection = (
            f"{base}/namespaces/{{namespace}}/{info.plural}" if info.namespaced else f"{base}/{info.plural}"
        )
        item = collection + "/{name}"
        ns_param = [_param("namespace", "path", required=True)] if info.namespaced else []
        name_param = [_param("name", "path", required=True)]

        def op(verb: str, action: str, schema: str, kind: dict[str, str], **extra: Any) -> dict[str, Any]:
            out = {
                "operationId": f"{verb}{camel}{scope}{kind['kind']}{extra.pop('suffix', '')}",
                "tags": [f"{camel[0].lower()}{camel[1:]}"],
                "x-kubernetes-action": action,
                "x-kubernetes-group-version-kind": kind,
                "responses": _json_response(schema),
            }
            out.update(extra)
            return out

        body = {"content": {"*/*": {"schema": _ref(kind_schema)}}, "required": True}
        patch_body = {
            "content": {t: {"schema": _ref(META + "Patch")} for t in PATCH_CONTENT},
            "required": True,
        }
        paths: dict[str, Any] = {}
        coll: dict[str, Any] = {"parameters": [*ns_param, PRETTY]}
        if "list" in info.verbs and list_schema is not None:
            coll["get"] = op("list", "list", list_schema.name, gvk, parameters=LIST_PARAMS)
        if "create" in info.verbs:
            coll["post"] = op(
                "create",
                "post",
                kind_schema,
                gvk,
                requestBody=body,
                parameters=[DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION],
            )
        if "deletecollection" in info.verbs:
            coll["delete"] = op(
                "deleteCollection",
                "deletecollection",
                META + "Status",
                gvk,
                parameters=DELETE_PARAMS + LIST_PARAMS[:-1],
            )
        paths[collection] = coll
        one: dict[str, Any] = {"parameters": name_param + ns_param + [PRETTY]}
        if "get" in info.verbs:
            one["get"] = op("read", "get", kind_schema, gvk)
        if "update" in info.verbs:
            one["put"] = op(
                "replace",
                "put",
                kind_schema,
                gvk,
                requestBody=body,
                parameters=[DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION],
            )
        if "patch" in info.verbs:
            one["patch"] = op(
                "patch",
                "patch",
                kind_schema,
                gvk,
                requestBody=patch_body,
                parameters=[DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE],
            )
        if "delete" in info.verbs:
            one["delete"] = op("delete", "delete", META + "Status", gvk, parameters=DELETE_PARAMS)
        if len(one) > 1:  # create-only kinds (reviews, bindings) have no item path
            paths[item] = one
        for sub in info.subresources:
            if sub.kind and sub.group is None:
                continue  # e.g. pods/binding: a create-only action, documented by its own kind below
            sub_kind = {
                "group": sub.group if sub.group is not None else info.group,
                "version": sub.version if sub.version is not None else info.version,
                "kind": sub.kind or info.kind,
            }
            schema = schema_for(sub_kind["group"], sub_kind["version"], sub_kind["kind"])
            if schema is None:
                continue
            suffix = sub.name.capitalize()
            sub_body = {"content": {"*/*": {"schema": _ref(schema.name)}}, "required": True}
            entry: dict[str, Any] = {"parameters": name_param + ns_param + [PRETTY]}
            if "get" in sub.verbs:
                entry["get"] = op("read", "get", schema.name, sub_kind, suffix=suffix)
            if "update" in sub.verbs:
                entry["put"] = op(
                    "replace",
                    "put",
                    schema.name,
                    sub_kind,
                    suffix=suffix,
                    requestBody=sub_body,
                    parameters=[DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION],
                )
            if "patch" in sub.verbs:
                entry["patch"] = op(
                    "patch",
                    "patch",
                    schema.name,
                    sub_kind,
                    suffix=suffix,
                    requestBody=patch_body,
                    parameters=[DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE],
                )
            paths[f"{item}/{sub.name}"] = entry
        return paths


def v2_skeleton_protobuf(version: str) -> bytes:
    """gnostic `openapi.v2.Document` with `swagger` (1), `info` (2: `title` 1, `version` 2)
    and an empty `paths` (8): valid, and without definitions."""
    info = length_delimited(1, b"Kubernetes") + length_delimited(2, version.encode())
    return length_delimited(1, b"2.0") + length_delimited(2, info) + length_delimited(8, b"")
