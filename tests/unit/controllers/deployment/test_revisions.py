"""Revision bookkeeping on the ReplicaSets of a Deployment."""

from __future__ import annotations

from pyk8s.controllers.deployment import revisions
from pyk8s.controllers.deployment.revisions import (
    DESIRED_REPLICAS,
    MAX_REPLICAS,
    REVISION,
    REVISION_HISTORY,
    last_revision,
    max_revision,
    rollback_annotations,
    rollback_to,
    set_new_replica_set_annotations,
)

from .builders import deployment, replica_set


def test_max_and_last_revision() -> None:
    rss = [replica_set("a", 0, revision=1), replica_set("b", 0, revision=3), replica_set("c", 0, revision=2)]
    assert max_revision(rss) == 3
    assert last_revision(rss) == 2
    assert max_revision([]) == 0
    assert last_revision([replica_set("a", 0, revision=4)]) == 0


def test_unreadable_revisions_are_skipped() -> None:
    rs = replica_set("a", 0)
    rs["metadata"]["annotations"][REVISION] = "x"
    assert max_revision([rs, replica_set("b", 0, revision=2)]) == 2


def test_new_replica_set_gets_revision_replica_annotations_and_copied_ones() -> None:
    d = deployment(10, annotations={"kubernetes.io/change-cause": "v2", REVISION: "7"})
    rs = replica_set("web-new", 0)
    assert set_new_replica_set_annotations(d, rs, 3, exists=False)
    found = rs["metadata"]["annotations"]
    assert found[REVISION] == "3"
    assert found["kubernetes.io/change-cause"] == "v2"
    assert (found[DESIRED_REPLICAS], found[MAX_REPLICAS]) == ("10", "13")
    assert REVISION_HISTORY not in found


def test_existing_new_replica_set_is_left_alone_when_current() -> None:
    d = deployment(10)
    rs = replica_set("web-new", 10, revision=3)
    assert not set_new_replica_set_annotations(d, rs, 3, exists=True)
    assert not set_new_replica_set_annotations(d, rs, 2, exists=True)  # never lowered
    assert rs["metadata"]["annotations"][REVISION] == "3"


def test_rollback_moves_revision_forward_and_keeps_history() -> None:
    d = deployment(10)
    rs = replica_set("web-old", 0, revision=1)
    set_new_replica_set_annotations(d, rs, 4, exists=True)
    assert rs["metadata"]["annotations"][REVISION] == "4"
    assert rs["metadata"]["annotations"][REVISION_HISTORY] == "1"
    set_new_replica_set_annotations(d, rs, 6, exists=True)
    assert rs["metadata"]["annotations"][REVISION_HISTORY] == "1,4"


def test_revision_history_is_bounded() -> None:
    d = deployment(10)
    rs = replica_set("web-old", 0, revision=1)
    for new in range(2, 40):
        set_new_replica_set_annotations(d, rs, new, exists=True, history_limit=20)
    history = rs["metadata"]["annotations"][REVISION_HISTORY]
    assert len(history) <= 20
    assert history.endswith(",38")


def test_rollback_annotations_take_the_replica_sets_and_keep_the_skipped() -> None:
    d = deployment(annotations={REVISION: "5", "kubernetes.io/change-cause": "v5", "team": "a"})
    rs = replica_set("web-old", 0, revision=2)
    rs["metadata"]["annotations"]["kubernetes.io/change-cause"] = "v2"
    assert rollback_annotations(d, rs) == {REVISION: "5", "kubernetes.io/change-cause": "v2"}


def test_rollback_to_annotation() -> None:
    assert rollback_to(deployment()) is None
    assert rollback_to(deployment(annotations={revisions.ROLLBACK_TO: "3"})) == 3
    assert rollback_to(deployment(annotations={revisions.ROLLBACK_TO: "x"})) is None
