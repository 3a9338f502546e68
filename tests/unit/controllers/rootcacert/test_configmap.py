"""The kube-root-ca.crt ConfigMap the publisher writes."""

from __future__ import annotations

from pyk8s.controllers.rootcacert.controller import (
    CONFIGMAP_NAME,
    DESCRIPTION_ANNOTATION,
    desired_configmap,
    needs_update,
)

CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"


def test_desired_configmap() -> None:
    cm = desired_configmap("team-a", CA)
    assert cm["metadata"]["name"] == CONFIGMAP_NAME == "kube-root-ca.crt"
    assert cm["metadata"]["namespace"] == "team-a"
    assert cm["data"] == {"ca.crt": CA}
    assert DESCRIPTION_ANNOTATION in cm["metadata"]["annotations"]
    assert not needs_update(cm, CA)


def test_edits_are_undone() -> None:
    cm = desired_configmap("team-a", CA)
    assert needs_update({**cm, "data": {"ca.crt": "other"}}, CA)
    assert needs_update({**cm, "data": {"ca.crt": CA, "extra": "x"}}, CA)
    assert needs_update({**cm, "metadata": {"name": CONFIGMAP_NAME}}, CA)
