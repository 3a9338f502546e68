"""Completion indexes of Indexed Jobs: the compressed `completedIndexes`/`failedIndexes`
strings ("1,3-5,7"), which indexes still need a pod, and which active pods repeat an index.

`Intervals` is an ordered tuple of disjoint, non-adjacent closed ranges; it never holds an
index at or above `completions`.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pyk8s.api.meta import MAX_GENERATED_NAME_LENGTH
from pyk8s.controllers.job.pods import UNKNOWN_INDEX, completion_index, deletion_order, go_atoi

Obj = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Intervals:
    """A set of indexes as sorted `(first, last)` ranges."""

    ranges: tuple[tuple[int, int], ...] = ()

    @classmethod
    def parse(cls, text: str | None, completions: int) -> Intervals:
        """Read `completedIndexes`; corrupt parts are skipped, indexes at or above
        `completions` dropped (a scaled-down Job forgets them)."""
        ranges: list[tuple[int, int]] = []
        for part in (text or "").split(",") if text else []:
            limits = part.split("-")
            first = go_atoi(limits[0])
            if first is None:
                continue
            if first >= completions:
                break
            last = first
            if len(limits) > 1:
                parsed = go_atoi(limits[1])
                if parsed is None:
                    continue
                last = min(parsed, completions - 1)
            if ranges and ranges[-1][1] == first - 1:
                ranges[-1] = (ranges[-1][0], last)
            else:
                ranges.append((first, last))
        return cls(tuple(ranges))

    @classmethod
    def of(cls, indexes: Iterable[int]) -> Intervals:
        return cls().with_indexes(indexes)

    def __str__(self) -> str:
        parts = []
        for first, last in self.ranges:
            if last == first:
                parts.append(str(first))
            elif last == first + 1:
                parts.append(f"{first},{last}")
            else:
                parts.append(f"{first}-{last}")
        return ",".join(parts)

    def total(self) -> int:
        return sum(last - first + 1 for first, last in self.ranges)

    def __contains__(self, index: object) -> bool:
        if not isinstance(index, int):
            return False
        pos = bisect.bisect_left(self.ranges, index, key=lambda r: r[1])
        return pos < len(self.ranges) and self.ranges[pos][0] <= index

    def __iter__(self) -> Iterator[int]:
        for first, last in self.ranges:
            yield from range(first, last + 1)

    def merge(self, other: Intervals) -> Intervals:
        merged: list[tuple[int, int]] = []
        for first, last in sorted(self.ranges + other.ranges):
            if merged and first <= merged[-1][1] + 1:
                if last > merged[-1][1]:
                    merged[-1] = (merged[-1][0], last)
            else:
                merged.append((first, last))
        return Intervals(tuple(merged))

    def with_indexes(self, indexes: Iterable[int]) -> Intervals:
        return self.merge(Intervals(tuple((i, i) for i in sorted(set(indexes)))))


def first_pending_indexes(non_pending: Intervals, count: int, completions: int) -> list[int]:
    """The `count` lowest indexes below `completions` not in `non_pending` (succeeded, failed
    or with an active pod)."""
    result: list[int] = []
    candidate = 0
    for first, last in non_pending.ranges:
        while candidate < completions and len(result) < count and candidate < first:
            result.append(candidate)
            candidate += 1
        candidate = max(candidate, last + 1)
    while candidate < completions and len(result) < count:
        result.append(candidate)
        candidate += 1
    return result


def indexes_of(pods: Iterable[Obj]) -> set[int]:
    return {i for i in (completion_index(p) for p in pods) if i != UNKNOWN_INDEX}


def duplicate_index_pods(pods: list[Obj], completions: int) -> tuple[list[Obj], list[Obj]]:
    """Split active pods into those to remove (no index, index out of range, or all but the
    most valuable pod of a repeated index) and those to keep."""
    remove: list[Obj] = []
    keep: list[Obj] = []
    by_index: dict[int, list[Obj]] = {}
    for pod in pods:
        index = completion_index(pod)
        if index == UNKNOWN_INDEX or index >= completions:
            remove.append(pod)
        else:
            by_index.setdefault(index, []).append(pod)
    for index in sorted(by_index):
        group = sorted(by_index[index], key=deletion_order)
        remove += group[:-1]
        keep.append(group[-1])
    return remove, keep


def pod_generate_name(job_name: str, index: int) -> str:
    """`<job>-<index>-`, the job name cut so that the random suffix still fits."""
    suffix = f"-{index}-"
    prefix = job_name + suffix
    if len(prefix) > MAX_GENERATED_NAME_LENGTH:
        prefix = prefix[: MAX_GENERATED_NAME_LENGTH - len(suffix)] + suffix
    return prefix
