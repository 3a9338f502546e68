"""PodTemplate: template defaults and validation paths, generation, table."""

from __future__ import annotations

import copy
from typing import Any

from pyk8s.api.fields import ErrorType
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.core.podtemplate import RESOURCE, PodTemplateStrategy

S = PodTemplateStrategy()
CTX = RequestContext(namespace="default")


def template(**spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "PodTemplate",
        "metadata": {"name": "t", "namespace": "default"},
        "template": {
            "metadata": {"labels": {"app": "web", "tier": "front"}},
            "spec": {"containers": [{"name": "app", "image": "nginx"}], **spec},
        },
    }


def test_resource_info_defaults_and_table() -> None:
    assert (RESOURCE.plural, RESOURCE.short_names, RESOURCE.subresources) == ("podtemplates", (), ())
    obj = template()
    S.default(obj)
    S.prepare_for_create(CTX, obj)
    assert obj["template"]["spec"]["containers"][0]["imagePullPolicy"] == "Always"
    assert obj["metadata"]["generation"] == 1
    assert S.validate(CTX, obj) == []
    assert [c["name"] for c in S.table_columns()] == ["Name", "Containers", "Images", "Pod Labels"]
    assert S.table_row(obj, 0) == ["t", "app", "nginx", "app=web,tier=front"]
    new = copy.deepcopy(obj)
    new["template"]["spec"]["containers"][0]["image"] = "nginx:2"
    S.prepare_for_update(CTX, new, obj)
    assert new["metadata"]["generation"] == 2


def test_validation_paths() -> None:
    obj = template(restartPolicy="Sometimes", ephemeralContainers=[{"name": "d", "image": "x"}])
    obj["template"]["metadata"]["labels"]["bad key!"] = "x"
    S.default(obj)
    errs = {(e.field, e.type) for e in S.validate(CTX, obj)}
    assert ("template.spec.restartPolicy", ErrorType.NOT_SUPPORTED) in errs
    assert ("template.spec.ephemeralContainers", ErrorType.FORBIDDEN) in errs
    assert ("template.labels", ErrorType.INVALID) in errs
