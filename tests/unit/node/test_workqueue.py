"""The deduplicating key queue."""

from __future__ import annotations

from pyk8s.node.workqueue import KeyQueue


async def test_a_key_added_twice_is_handed_out_once() -> None:
    queue: KeyQueue[str] = KeyQueue()
    queue.add("a")
    queue.add("b")
    queue.add("a")
    assert len(queue) == 2
    assert [await queue.get(), await queue.get()] == ["a", "b"]
    assert len(queue) == 0 and queue.processing == 2


async def test_a_key_added_while_processed_waits_for_done() -> None:
    queue: KeyQueue[str] = KeyQueue()
    queue.add("a")
    key = await queue.get()
    queue.add("a")  # changed again while a worker holds it
    queue.add("a")
    assert queue._ready.empty()  # not handed to a second worker
    queue.done(key)
    assert await queue.get() == "a"
    queue.done("a")
    assert len(queue) == 0 and queue.processing == 0 and queue._ready.empty()
