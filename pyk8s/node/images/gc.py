"""Image garbage collection when the image store's filesystem fills, as the kubelet's image
GC manager does it.

Every pass (the Kubelet runs one every 5 minutes) first notes when each image was first
seen and last used (used: a pod on this node names it). If the filesystem holding the
store is at or above `high_threshold_percent` used, images are removed until usage would
be down to `low_threshold_percent` (kubelet defaults 85 and 80): least recently used
first (never-used ones before any used one, then by first sighting), skipping images in
use and images first seen less than `min_age_seconds` ago (2 minutes, so an image just
pulled for a pod about to start is not taken away). Freed space is counted with the
images' sizes, as the kubelet counts it; removing an image deletes the blobs and unpacked
layers no other image shares.

What is remembered is in memory: after an agent restart every image is new again, so
nothing is collected for `min_age_seconds` (the kubelet behaves the same).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pyk8s._aio.clock import Clock, RealClock
from pyk8s.node.images.store import Image, ImageError, ImageStore

log = logging.getLogger("pyk8s.node.images.gc")

GC_PERIOD_SECONDS = 300.0  # the kubelet's ImageGCPeriod


@dataclass(frozen=True, slots=True)
class ImageGCPolicy:
    """The kubelet's imageGCHighThresholdPercent, imageGCLowThresholdPercent and
    imageMinimumGCAge."""

    high_threshold_percent: int = 85
    low_threshold_percent: int = 80
    min_age_seconds: float = 120.0

    def __post_init__(self) -> None:
        if not 0 <= self.low_threshold_percent <= self.high_threshold_percent <= 100:
            raise ValueError("image GC thresholds need 0 <= low <= high <= 100")


@dataclass(frozen=True, slots=True)
class DiskUsage:
    """Bytes of the filesystem holding the image store."""

    capacity: int
    available: int

    @property
    def used(self) -> int:
        return self.capacity - self.available

    def percent(self) -> float:
        return 100.0 * self.used / self.capacity if self.capacity else 0.0


def filesystem_usage(path: Path) -> DiskUsage:
    """Capacity and space available to unprivileged users, as `df` reports them."""
    stats = os.statvfs(path)
    return DiskUsage(capacity=stats.f_blocks * stats.f_frsize, available=stats.f_bavail * stats.f_frsize)


@dataclass(slots=True)
class ImageRecord:
    """What the collector remembers about one image (monotonic seconds)."""

    first_detected: float
    last_used: float | None = None


@dataclass(slots=True)
class GCResult:
    """One pass: the usage seen, the bytes it wanted to free, what it removed."""

    usage: DiskUsage
    bytes_to_free: int = 0
    freed: int = 0
    removed: list[str] = field(default_factory=list)  # image IDs

    @property
    def satisfied(self) -> bool:
        return self.freed >= self.bytes_to_free


def bytes_to_free(usage: DiskUsage, policy: ImageGCPolicy) -> int:
    """How much to free: 0 below the high threshold, else down to the low one."""
    if usage.capacity <= 0 or usage.percent() < policy.high_threshold_percent:
        return 0
    return max(0, usage.used - usage.capacity * policy.low_threshold_percent // 100)


def images_to_remove(
    images: Iterable[Image],
    records: dict[str, ImageRecord],
    in_use: set[str],
    amount: int,
    now: float,
    min_age: float,
) -> list[Image]:
    """The images to remove to free `amount` bytes, in removal order (may free less when
    not enough images may go)."""
    candidates = [
        image
        for image in images
        if image.id not in in_use
        and image.id in records
        and now - records[image.id].first_detected >= min_age
    ]
    candidates.sort(
        key=lambda image: (
            records[image.id].last_used is not None,
            records[image.id].last_used or 0.0,
            records[image.id].first_detected,
            image.id,
        )
    )
    chosen: list[Image] = []
    freed = 0
    for image in candidates:
        if freed >= amount:
            break
        chosen.append(image)
        freed += image.size
    return chosen


class ImageGCManager:
    """Frees the image store's disk when it fills (see the module docstring)."""

    def __init__(
        self,
        store: ImageStore,
        *,
        policy: ImageGCPolicy | None = None,
        clock: Clock | None = None,
        usage: Callable[[Path], DiskUsage] = filesystem_usage,
    ) -> None:
        self.store = store
        self.policy = policy or ImageGCPolicy()
        self.clock = clock or RealClock()
        self.usage = usage
        self.records: dict[str, ImageRecord] = {}

    def in_use_ids(self, references: Iterable[str]) -> set[str]:
        """The IDs of the stored images `references` name (unknown names are skipped)."""
        ids = set()
        for reference in references:
            with contextlib.suppress(ValueError, ImageError):
                image = self.store.resolve(reference)
                if image is not None:
                    ids.add(image.id)
        return ids

    def detect(self, images: list[Image], in_use: set[str]) -> None:
        """Note new images and the use of images pods name; forget removed ones."""
        now = self.clock.monotonic()
        present = {image.id for image in images}
        for image_id in list(self.records):
            if image_id not in present:
                del self.records[image_id]
        for image_id in present:
            record = self.records.setdefault(image_id, ImageRecord(first_detected=now))
            if image_id in in_use:
                record.last_used = now

    def collect(self, in_use_references: Iterable[str]) -> GCResult:
        """One pass (blocking file work: run it in a thread)."""
        in_use = self.in_use_ids(in_use_references)
        images = self.store.images()
        self.detect(images, in_use)
        usage = self.usage(self.store.root)
        result = GCResult(usage=usage, bytes_to_free=bytes_to_free(usage, self.policy))
        if result.bytes_to_free == 0:
            return result
        now = self.clock.monotonic()
        for image in images_to_remove(
            images, self.records, in_use, result.bytes_to_free, now, self.policy.min_age_seconds
        ):
            try:
                self.store.remove(image.id)
            except ImageError as err:
                log.warning("image GC: could not remove %s: %s", image.id, err)
                continue
            self.records.pop(image.id, None)
            result.removed.append(image.id)
            result.freed += image.size
            log.info("image GC: removed %s (%s, %d bytes)", image.id, ", ".join(image.repo_tags), image.size)
        if not result.satisfied:
            log.warning(
                "image GC: disk usage %.0f%% is over the high threshold of %d%%, but only %d of the %d "
                "bytes wanted could be freed",
                usage.percent(),
                self.policy.high_threshold_percent,
                result.freed,
                result.bytes_to_free,
            )
        return result

    async def run(
        self,
        in_use_references: Callable[[], Iterable[str]],
        stop: asyncio.Event,
        *,
        period: float = GC_PERIOD_SECONDS,
    ) -> None:
        """A pass every `period` seconds (on the clock) until `stop` is set; a failing pass is
        logged, never fatal."""
        while not stop.is_set():
            try:
                references = list(in_use_references())
                await asyncio.to_thread(self.collect, references)
            except Exception:  # a full disk must not take the node agent down
                log.exception("image GC pass failed")
            sleeper = asyncio.ensure_future(self.clock.sleep(period))
            stopper = asyncio.ensure_future(stop.wait())
            try:
                await asyncio.wait({sleeper, stopper}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                sleeper.cancel()
                stopper.cancel()
