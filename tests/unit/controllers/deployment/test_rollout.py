"""The pure decisions of the rollout paths: resize detection, Recreate's wait for old pods."""

from __future__ import annotations

from pyk8s.controllers.deployment.rollout import is_scaling_event, old_pods_running

from .builders import deployment, replica_set


def test_scaling_event_when_an_active_replica_set_was_sized_for_another_size() -> None:
    d = deployment(5)
    assert is_scaling_event(d, replica_set("web-new", 3, desired=3), [])
    assert not is_scaling_event(d, replica_set("web-new", 5, desired=5), [])
    assert not is_scaling_event(d, replica_set("web-new", 3), [])  # no annotation: no opinion
    assert not is_scaling_event(d, None, [replica_set("web-old", 0, desired=3)])  # inactive


def _pod(phase: str) -> dict:
    return {"metadata": {"name": "p"}, "status": {"phase": phase}}


def test_recreate_waits_for_old_pods() -> None:
    new = replica_set("web-new", 0)
    old = replica_set("web-old", 0, running=0)
    assert not old_pods_running(new, [old], {"web-old-uid": []})
    assert old_pods_running(new, [old], {"web-old-uid": [_pod("Running")]})
    assert old_pods_running(new, [old], {"web-old-uid": [_pod("Unknown")]})
    assert not old_pods_running(new, [old], {"web-old-uid": [_pod("Succeeded"), _pod("Failed")]})
    assert not old_pods_running(new, [old], {"web-new-uid": [_pod("Running")]})  # the new one's
    assert old_pods_running(None, [replica_set("web-old", 0, running=1)], {})
