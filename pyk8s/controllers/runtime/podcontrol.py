"""Creating and deleting pods on behalf of an owner, with the events Kubernetes records
(`PodControl` in kube-controller-manager).

    SuccessfulCreate  "Created pod: web-7k2xq"        on the owner, after a create
    FailedCreate      "Error creating: <message>"     on the owner, Warning
    SuccessfulDelete  "Deleted pod: web-7k2xq"        on the owner, after a delete
    FailedDelete      "Error deleting: <message>"     on the owner, Warning

A pod made from a template gets the template's labels, annotations, finalizers and spec,
`generateName: <owner name>-`, and the owner's controller reference.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from pyk8s.api.errors import NotFoundError, StatusError
from pyk8s.client.events import NORMAL, WARNING, EventRecorder
from pyk8s.client.resources import PODS
from pyk8s.client.rest import Client

Obj = dict[str, Any]

# Pod names are DNS subdomains; generateName leaves room for a 5-character suffix.
MAX_GENERATE_NAME_PREFIX = 253 - 5


def pod_from_template(template: Mapping[str, Any], owner: Mapping[str, Any], controller_ref: Obj) -> Obj:
    """A new pod for `owner` from its pod template (GetPodFromTemplate)."""
    tmeta = template.get("metadata") or {}
    owner_meta = owner.get("metadata") or {}
    meta: Obj = {
        "generateName": f"{owner_meta.get('name', '')}-"[:MAX_GENERATE_NAME_PREFIX],
        "namespace": owner_meta.get("namespace", ""),
        "ownerReferences": [dict(controller_ref)],
    }
    for field in ("labels", "annotations", "finalizers"):
        if tmeta.get(field):
            meta[field] = copy.deepcopy(tmeta[field])
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta,
        "spec": copy.deepcopy(template.get("spec") or {}),
    }


class PodControl:
    """Creates and deletes pods through the client, recording events on the owner."""

    def __init__(self, client: Client, recorder: EventRecorder) -> None:
        self.client = client
        self.recorder = recorder

    async def create_pod(self, template: Mapping[str, Any], owner: Obj, controller_ref: Obj) -> Obj:
        """Create one pod from `template`; raises the API error (after a FailedCreate event)."""
        pod = pod_from_template(template, owner, controller_ref)
        if not (pod["metadata"].get("labels") or {}):
            raise ValueError("unable to create pods: no labels")
        try:
            created = await self.client.create(PODS, pod)
        except StatusError as err:
            self.recorder.event(owner, WARNING, "FailedCreate", f"Error creating: {err.message}")
            raise
        name = (created.get("metadata") or {}).get("name", "")
        self.recorder.event(owner, NORMAL, "SuccessfulCreate", f"Created pod: {name}")
        return created

    async def delete_pod(self, namespace: str, name: str, owner: Obj) -> None:
        """Delete one pod; NotFound is raised without an event (it is already gone)."""
        try:
            await self.client.delete(PODS, name, namespace=namespace)
        except NotFoundError:
            raise
        except StatusError as err:
            self.recorder.event(owner, WARNING, "FailedDelete", f"Error deleting: {err.message}")
            raise
        self.recorder.event(owner, NORMAL, "SuccessfulDelete", f"Deleted pod: {name}")
