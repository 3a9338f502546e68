"""Which namespaces get a default ServiceAccount."""

from __future__ import annotations

from pyk8s.controllers.garbagecollector.discovery import parse_group_version
from pyk8s.controllers.serviceaccount.controller import is_active


def test_terminating_namespaces_are_not_active() -> None:
    assert is_active({"metadata": {"name": "a"}, "status": {"phase": "Active"}})
    assert not is_active({"metadata": {"name": "a", "deletionTimestamp": "2026-01-01T00:00:00Z"}})
    assert not is_active({"metadata": {"name": "a"}, "status": {"phase": "Terminating"}})


def test_group_versions_parse_as_kubernetes_does() -> None:
    assert parse_group_version("v1") == ("", "v1")
    assert parse_group_version("apps/v1") == ("apps", "v1")
    for bad in ("", "a/b/c", "/v1", "apps/"):
        try:
            parse_group_version(bad)
        except ValueError as err:
            assert "unexpected GroupVersion string" in str(err)
        else:
            raise AssertionError(bad)
