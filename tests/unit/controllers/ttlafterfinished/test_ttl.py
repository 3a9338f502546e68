"""When a finished Job expires under ttlSecondsAfterFinished."""

from __future__ import annotations

from typing import Any

import pytest

from pyk8s.api.meta import rfc3339
from pyk8s.controllers.ttlafterfinished import finish_time, needs_cleanup, time_left

NOW = 1_800_000_000.0


def job(
    ttl: int | None = 60, *, finished: str | None = "Complete", at: float = NOW - 10, deleting: bool = False
) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": "j", "namespace": "default"}
    if deleting:
        meta["deletionTimestamp"] = rfc3339(NOW)
    spec = {} if ttl is None else {"ttlSecondsAfterFinished": ttl}
    conditions = [{"type": "SuccessCriteriaMet", "status": "True", "lastTransitionTime": rfc3339(at - 5)}]
    if finished:
        conditions.append({"type": finished, "status": "True", "lastTransitionTime": rfc3339(at)})
    return {"metadata": meta, "spec": spec, "status": {"conditions": conditions}}


@pytest.mark.parametrize(
    ("obj", "due"),
    [
        pytest.param(job(), True, id="finished-with-ttl"),
        pytest.param(job(finished="Failed"), True, id="failed-with-ttl"),
        pytest.param(job(None), False, id="no-ttl"),
        pytest.param(job(finished=None), False, id="still-running"),
        pytest.param(job(deleting=True), False, id="already-being-deleted"),
    ],
)
def test_needs_cleanup(obj: dict[str, Any], due: bool) -> None:
    assert needs_cleanup(obj) is due


def test_finish_time_is_the_final_conditions_transition() -> None:
    assert finish_time(job(at=NOW - 30)) == NOW - 30


def test_time_left_counts_from_the_finish() -> None:
    assert time_left(job(60, at=NOW - 10), NOW) == 50
    assert time_left(job(0, at=NOW - 10), NOW) == -10
    assert time_left(job(None), NOW) is None
