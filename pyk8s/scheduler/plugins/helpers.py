"""Score normalisation shared by plugins (kube-scheduler's helper.DefaultNormalizeScore)."""

from __future__ import annotations

from pyk8s.scheduler.framework import MAX_NODE_SCORE


def default_normalize_score(
    scores: list[int], *, reverse: bool = False, max_priority: int = MAX_NODE_SCORE
) -> None:
    """Scale `scores` in place so the highest becomes `max_priority` (integer division, as
    Go does); `reverse` turns it around so the lowest raw score is best. All zeros stay
    zero, or all become `max_priority` when reversed."""
    highest = max(scores, default=0)
    if highest == 0:
        if reverse:
            scores[:] = [max_priority] * len(scores)
        return
    if reverse:
        scores[:] = [max_priority - max_priority * s // highest for s in scores]
    else:
        scores[:] = [max_priority * s // highest for s in scores]
