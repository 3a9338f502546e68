"""Model-based test of the `Storage` contract: random operation sequences against a dict model.

A hypothesis state machine drives one store (memory, sqlite or real etcd) and a plain model:
the current key -> `KeyValue` map, plus a snapshot of that map at every revision the machine
wrote, so reads at older revisions, paginated lists at a fixed revision and compaction can be
checked exactly. Keys come from a small alphabet, some nested and some sharing a prefix with
a sibling ("a/b" vs "ab"), so creates collide, preconditions go stale and prefix boundaries
are exercised.

Hypothesis state machines are synchronous, so each machine instance runs its own event loop
and opens its own store inside it. etcd is shared by the test session: each machine writes
under a key root of its own, and every revision it sees is one it wrote itself, so the test
session must not write to etcd concurrently (pytest runs tests one at a time).

`PYK8S_HYPOTHESIS_EXAMPLES` overrides the number of examples (machine runs) per backend.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from pyk8s.storage import (
    KeyExistsError,
    KeyNotFoundError,
    KeyValue,
    RevisionCompactedError,
    RevisionConflictError,
    RevisionTooNewError,
    Storage,
    open_storage,
)

from ..conftest import BACKENDS

T = TypeVar("T")

EXAMPLES = int(os.environ.get("PYK8S_HYPOTHESIS_EXAMPLES", "25"))
STEPS = 30

SETTINGS = settings(
    max_examples=EXAMPLES,
    stateful_step_count=STEPS,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Relative to the machine's root. "a/" covers "a/b" and "a/c" but neither "a" nor "ab".
NAMES = ("a", "a/b", "a/c", "ab", "b", "b/a/c")
PREFIXES = ("", "a/", "b/", "b/a/")

names = st.sampled_from(NAMES)
values = st.binary(max_size=8)

State = dict[str, KeyValue]


class StorageModel(RuleBasedStateMachine):
    """Drives a fresh store against the model; subclasses set `new_url` for a backend."""

    @staticmethod
    def new_url() -> str:
        raise NotImplementedError

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.store: Storage | None = None
        self.root = f"/registry/model-{uuid.uuid4().hex[:12]}/"
        try:
            self.store = self.run(open_storage(self.new_url(), retention=None))
            self.base = self.run(self.store.current_revision())
        except BaseException:
            self.teardown()  # hypothesis tears down only machines that were built
            raise
        self.writes = 0  # successful writes so far: the model's revision counter
        self.state: State = {}
        self.snapshots: dict[int, State] = {self.base: {}}  # state after each revision we wrote
        self.compacted = 0  # the compaction point this machine set (0: none)

    @property
    def revision(self) -> int:
        return self.base + self.writes

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coro)

    def teardown(self) -> None:
        try:
            if self.store is not None:
                self.run(self.store.aclose())
            self.run(self.loop.shutdown_asyncgens())
            self.run(self.loop.shutdown_default_executor())
        finally:
            self.loop.close()

    # model helpers

    def key(self, name: str) -> str:
        return self.root + name

    @property
    def db(self) -> Storage:
        assert self.store is not None
        return self.store

    def commit(self, key: str, kv: KeyValue | None) -> None:
        """Record one successful write: the next revision sets `key` to `kv` (None: deleted)."""
        self.writes += 1
        state = dict(self.state)
        if kv is None:
            del state[key]
        else:
            state[key] = kv
        self.state = state
        self.snapshots[self.revision] = state

    def readable(self) -> list[int]:
        return sorted(r for r in self.snapshots if r >= self.compacted)

    def expect_write(self, key: str, value: bytes, prev: KeyValue | None) -> KeyValue:
        rev = self.revision + 1
        if prev is None:
            return KeyValue(key, value, rev, rev, 1)
        return KeyValue(key, value, prev.create_revision, rev, prev.version + 1)

    def some_revision(self, data: st.DataObject, *, other_than: int = 0) -> int:
        """A non-zero revision up to a little ahead of the store, never `other_than`.

        Drawn relative to `base`, so a replayed example draws the same choices on a shared etcd.
        """
        offset = data.draw(
            st.integers(-1, self.writes + 3).filter(lambda o: self.base + o not in (0, other_than)),
            label="revision offset",
        )
        return self.base + offset

    def upsert(self, name: str, value: bytes) -> None:
        key = self.key(name)
        prev = self.state.get(key)
        if prev is None:
            kv = self.run(self.db.create(key, value))
        else:
            kv = self.run(self.db.update(key, value, expected_revision=0))
        assert kv == self.expect_write(key, value, prev)
        self.commit(key, kv)

    # writes

    @rule(name=names, value=values)
    def create(self, name: str, value: bytes) -> None:
        key = self.key(name)
        if key in self.state:
            with pytest.raises(KeyExistsError):
                self.run(self.db.create(key, value))
            return
        kv = self.run(self.db.create(key, value))
        assert kv == self.expect_write(key, value, None)
        self.commit(key, kv)

    @rule(name=names, value=values)
    def update_at_expected_revision(self, name: str, value: bytes) -> None:
        key = self.key(name)
        current = self.state.get(key)
        if current is None:
            with pytest.raises(KeyNotFoundError):
                self.run(self.db.update(key, value, expected_revision=self.revision))
            return
        kv = self.run(self.db.update(key, value, expected_revision=current.mod_revision))
        assert kv == self.expect_write(key, value, current)
        self.commit(key, kv)

    @precondition(lambda self: self.state)
    @rule(value=values, data=st.data())
    def update_at_stale_revision(self, value: bytes, data: st.DataObject) -> None:
        key = data.draw(st.sampled_from(sorted(self.state)), label="key")
        current = self.state[key]
        stale = self.some_revision(data, other_than=current.mod_revision)
        with pytest.raises(RevisionConflictError) as info:
            self.run(self.db.update(key, value, expected_revision=stale))
        assert info.value.current == current
        assert info.value.expected_revision == stale

    @rule(name=names, value=values)
    def update_unconditionally(self, name: str, value: bytes) -> None:
        key = self.key(name)
        current = self.state.get(key)
        if current is None:
            with pytest.raises(KeyNotFoundError):
                self.run(self.db.update(key, value, expected_revision=0))
            return
        kv = self.run(self.db.update(key, value, expected_revision=0))
        assert kv == self.expect_write(key, value, current)
        self.commit(key, kv)

    @rule(name=names, how=st.sampled_from(["unconditional", "expected", "stale"]), data=st.data())
    def delete(self, name: str, how: str, data: st.DataObject) -> None:
        key = self.key(name)
        current = self.state.get(key)
        if current is None:
            expected = 0 if how == "unconditional" else self.some_revision(data)
            with pytest.raises(KeyNotFoundError):
                self.run(self.db.delete(key, expected_revision=expected))
            return
        if how == "stale":
            stale = self.some_revision(data, other_than=current.mod_revision)
            with pytest.raises(RevisionConflictError) as info:
                self.run(self.db.delete(key, expected_revision=stale))
            assert info.value.current == current
            return
        expected = current.mod_revision if how == "expected" else 0
        gone = self.run(self.db.delete(key, expected_revision=expected))
        rev = self.revision + 1
        assert gone == KeyValue(key, current.value, current.create_revision, rev, current.version)
        self.commit(key, None)

    # reads

    @rule(name=names, data=st.data())
    def get(self, name: str, data: st.DataObject) -> None:
        """Read a key now (revision 0) or at any revision this machine recorded."""
        key = self.key(name)
        revision = data.draw(st.sampled_from([0, *sorted(self.snapshots)]), label="revision")
        if 0 < revision < self.compacted:
            with pytest.raises(RevisionCompactedError):
                self.run(self.db.get(key, revision=revision))
        else:
            assert self.run(self.db.get(key, revision=revision)) == self.snapshots[
                revision or self.revision
            ].get(key)

    @rule(name=names, ahead=st.integers(1, 3))
    def ahead_of_the_store(self, name: str, ahead: int) -> None:
        """Reads and compaction at revisions the store has not reached are refused."""
        with pytest.raises(RevisionTooNewError):
            self.run(self.db.get(self.key(name), revision=self.revision + ahead))
        with pytest.raises(RevisionTooNewError):
            self.run(self.db.list(self.root, revision=self.revision + ahead))
        with pytest.raises(RevisionTooNewError):
            self.run(self.db.compact(self.revision + ahead))

    @rule(
        prefix=st.sampled_from(PREFIXES),
        limit=st.integers(1, 4),
        writes=st.lists(st.tuples(names, values), max_size=3),
        data=st.data(),
    )
    def list_in_pages(
        self, prefix: str, limit: int, writes: list[tuple[str, bytes]], data: st.DataObject
    ) -> None:
        """Page through a prefix at one revision (0: latest), writing between pages."""
        full = self.root + prefix
        revision = data.draw(st.sampled_from([0, *sorted(self.snapshots)]), label="revision")
        if 0 < revision < self.compacted:
            with pytest.raises(RevisionCompactedError):
                self.run(self.db.list(full, revision=revision, limit=limit))
            return
        at = revision or self.revision
        expected = [kv for key, kv in sorted(self.snapshots[at].items()) if key.startswith(full)]
        seen: list[KeyValue] = []
        page = self.run(self.db.list(full, revision=revision, limit=limit))
        assert page.revision == at
        pending = list(writes)
        while True:
            assert 0 < len(page.items) <= limit or (not page.items and not seen and not page.more)
            seen += page.items
            if not page.more:
                break
            if pending:
                self.upsert(*pending.pop())
            page = self.run(self.db.list(full, revision=at, start_after=seen[-1].key, limit=limit))
            assert page.revision == at
        assert seen == expected

    # compaction

    @rule(data=st.data())
    def compact(self, data: st.DataObject) -> None:
        revision = data.draw(st.sampled_from(sorted(self.snapshots)), label="revision")
        self.run(self.db.compact(revision))  # at or below the compaction point: a no-op
        moved = revision > self.compacted
        self.compacted = max(self.compacted, revision)
        # Asked only when the point moved: etcd answers after its watch sync (about 0.1 s).
        # Compacting at revision 1 forgets nothing, and a store may then still report 0 (etcd
        # does, after a one-second wait for a compaction notice that never comes): not asked.
        if moved and self.compacted > 1:
            assert self.run(self.db.compact_revision()) == self.compacted
        # Everything still readable is exactly the model's snapshot.
        for rev in self.readable():
            listed = self.run(self.db.list(self.root, revision=rev))
            assert listed.items == [kv for _, kv in sorted(self.snapshots[rev].items())]
        if self.compacted > self.base:
            with pytest.raises(RevisionCompactedError):
                self.run(self.db.list(self.root, revision=self.compacted - 1))

    # invariants

    @invariant()
    def revision_counts_the_writes(self) -> None:
        assert self.run(self.db.current_revision()) == self.base + self.writes

    @invariant()
    def list_and_count_match_the_model_now(self) -> None:
        for prefix in PREFIXES:
            full = self.root + prefix
            expected = [kv for key, kv in sorted(self.state.items()) if key.startswith(full)]
            result = self.run(self.db.list(full))
            assert (result.items, result.revision, result.more) == (expected, self.revision, False)
            assert self.run(self.db.count(full)) == len(expected)


def url_factory(name: str, tmp_path: Path, request: pytest.FixtureRequest) -> Callable[[], str]:
    if name == "memory":
        return lambda: "memory://"  # a private store per machine
    if name == "sqlite":
        return lambda: f"sqlite://{tmp_path}/{uuid.uuid4().hex}/state.db"
    if name == "sqlite-shared":
        return lambda: f"sqlite://{tmp_path}/{uuid.uuid4().hex}/state.db?shared=1"
    server = request.getfixturevalue("etcd_server")  # skips (or fails in CI) without etcd
    return lambda: server.url


@pytest.mark.parametrize("backend_name", BACKENDS)
def test_storage_behaves_like_a_dict_model(
    backend_name: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    machine = type(
        f"{backend_name.title()}StorageModel",
        (StorageModel,),
        {"new_url": staticmethod(url_factory(backend_name, tmp_path, request))},
    )
    run_state_machine_as_test(machine, settings=SETTINGS)
