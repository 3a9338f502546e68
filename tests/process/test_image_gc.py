"""Image GC on a real image store with a fake disk (its used bytes follow the store's real
files) and a fake clock: thresholds, least recently used first, images in use and young
images kept, and the periodic pass."""

from __future__ import annotations

import asyncio
import io
import json
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from pyk8s._aio.clock import FakeClock
from pyk8s.node.images.gc import (
    DiskUsage,
    ImageGCManager,
    ImageGCPolicy,
    ImageRecord,
    bytes_to_free,
    images_to_remove,
)
from pyk8s.node.images.store import OCI_CONFIG, OCI_LAYER, OCI_MANIFEST, Image, ImageStore

CAPACITY = 1_000_000


def add_image(store: ImageStore, tag: str, size: int) -> Image:
    """A one-layer image whose layer holds `size` bytes of its own (no blob is shared)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        data = (tag.encode() * (size // len(tag) + 1))[:size]
        info = tarfile.TarInfo("payload")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    layer = buffer.getvalue()
    layer_digest = store.write_blob(layer)
    config = json.dumps(
        {"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": [layer_digest]}}
    ).encode()
    config_digest = store.write_blob(config)
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "config": {"mediaType": OCI_CONFIG, "digest": config_digest, "size": len(config)},
            "layers": [{"mediaType": OCI_LAYER, "digest": layer_digest, "size": len(layer)}],
        }
    ).encode()
    return store.add(manifest, [tag])


class FakeDisk:
    """A filesystem of CAPACITY bytes: `base` used by others plus the store's files."""

    def __init__(self, store: ImageStore, base: int) -> None:
        self.store = store
        self.base = base

    def __call__(self, path: Path) -> DiskUsage:
        used = self.base + sum(p.stat().st_size for p in self.store.root.rglob("*") if p.is_file())
        return DiskUsage(capacity=CAPACITY, available=CAPACITY - used)


@pytest.fixture
def store(tmp_path: Path) -> ImageStore:
    return ImageStore(tmp_path / "images", privileged=False)


def test_nothing_is_removed_below_the_high_threshold(store: ImageStore) -> None:
    add_image(store, "old:1", 20_000)
    clock = FakeClock()
    gc = ImageGCManager(store, clock=clock, usage=FakeDisk(store, base=800_000))
    gc.collect([])
    clock.advance(600)
    result = gc.collect([])
    assert result.usage.percent() < 85 and result.removed == [] and result.bytes_to_free == 0


def test_least_recently_used_images_go_first_down_to_the_low_threshold(store: ImageStore) -> None:
    clock = FakeClock()
    disk = FakeDisk(store, base=0)  # room to spare while the history below is made
    gc = ImageGCManager(store, clock=clock, usage=disk)
    unused = add_image(store, "never-used:1", 60_000)
    older = add_image(store, "used-long-ago:1", 60_000)
    recent = add_image(store, "used-recently:1", 60_000)
    running = add_image(store, "in-use:1", 60_000)
    gc.collect(["used-long-ago:1", "used-recently:1", "in-use:1"])
    clock.advance(300)
    gc.collect(["used-recently:1", "in-use:1"])
    clock.advance(300)
    disk.base = 600_000
    assert disk(store.root).percent() >= 85  # 600k + 4 images of 72k (tar records)
    result = gc.collect(["docker.io/library/in-use:1"])  # the same image under its full name
    # Down to 80 % means freeing the overshoot: the never-used image, then the one used longest ago.
    assert result.removed == [unused.id, older.id]
    assert result.satisfied
    assert disk(store.root).percent() <= 80
    assert {image.id for image in store.images()} == {recent.id, running.id}


def test_images_in_use_or_younger_than_the_minimum_age_stay(store: ImageStore) -> None:
    clock = FakeClock()
    gc = ImageGCManager(store, clock=clock, usage=FakeDisk(store, base=850_000))
    kept = add_image(store, "in-use:1", 30_000)
    gc.collect(["in-use:1"])
    clock.advance(300)
    young = add_image(store, "just-pulled:1", 30_000)
    result = gc.collect(["in-use:1"])
    assert result.bytes_to_free > 0 and result.removed == [] and not result.satisfied
    assert {image.id for image in store.images()} == {kept.id, young.id}
    clock.advance(ImageGCPolicy().min_age_seconds)
    assert gc.collect(["in-use:1"]).removed == [young.id]


def test_removing_an_image_keeps_layers_another_image_shares(store: ImageStore, tmp_path: Path) -> None:
    clock = FakeClock()
    first = add_image(store, "app:1", 50_000)
    manifest = store.read_blob(first.manifest_digest)
    store.add(manifest, ["app:alias"])  # the same image under a second tag: still one image
    gc = ImageGCManager(store, clock=clock, usage=FakeDisk(store, base=900_000))
    gc.collect(["app:alias"])
    clock.advance(600)
    assert gc.collect(["app:alias"]).removed == []  # in use under any of its names


@pytest.mark.parametrize(
    ("used", "expected"),
    [
        pytest.param(849_999, 0, id="below-high"),
        pytest.param(850_000, 50_000, id="at-high"),
        pytest.param(990_000, 190_000, id="nearly-full"),
    ],
)
def test_bytes_to_free_bring_usage_down_to_the_low_threshold(used: int, expected: int) -> None:
    usage = DiskUsage(capacity=CAPACITY, available=CAPACITY - used)
    assert bytes_to_free(usage, ImageGCPolicy()) == expected


def test_thresholds_must_be_ordered() -> None:
    with pytest.raises(ValueError):
        ImageGCPolicy(high_threshold_percent=70, low_threshold_percent=80)


def test_the_choice_stops_once_enough_is_freed() -> None:
    images = [Image(f"sha256:{c * 64}", f"sha256:{c * 64}", size=10) for c in "abcd"]
    records = {
        images[0].id: ImageRecord(first_detected=0, last_used=50),
        images[1].id: ImageRecord(first_detected=5),
        images[2].id: ImageRecord(first_detected=1),
        images[3].id: ImageRecord(first_detected=0, last_used=40),
    }
    chosen = images_to_remove(images, records, set(), amount=25, now=1000, min_age=120)
    assert [image.id for image in chosen] == [images[2].id, images[1].id, images[3].id]


async def until(condition: Callable[[], bool]) -> None:
    deadline = asyncio.get_running_loop().time() + 10
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "never happened"
        await asyncio.sleep(0.01)


async def test_the_periodic_pass_runs_on_the_clock_until_stopped(store: ImageStore) -> None:
    clock = FakeClock()
    passes: list[list[str]] = []
    gc = ImageGCManager(store, clock=clock, usage=FakeDisk(store, base=0))

    def in_use() -> list[str]:
        passes.append([])
        return []

    stop = asyncio.Event()
    task = asyncio.create_task(gc.run(in_use, stop, period=300))
    await until(lambda: clock.sleepers > 0)
    assert len(passes) == 1
    clock.advance(300)
    await until(lambda: len(passes) == 2 and clock.sleepers > 0)
    stop.set()
    await asyncio.wait_for(task, 5)
    assert len(passes) == 2
