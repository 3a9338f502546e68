"""`PodFacts.matches_any` (the related pods of a scale-down) agrees with matching every
selector, also when the selectors or the pods change between calls."""

from __future__ import annotations

import random

from pyk8s.api.selectors import LabelSelector
from pyk8s.controllers.runtime.podfacts import PodFactsCache


def test_matches_any_agrees_with_matching_each_selector() -> None:
    rng = random.Random(7)
    cache = PodFactsCache()
    selectors = [LabelSelector.parse(s) for s in ("app=web", "app=web,tier=a", "tier in (b,c)", "!tier")]
    for _ in range(300):
        labels = {k: rng.choice(("web", "db", "a", "b", "c")) for k in ("app", "tier") if rng.random() < 0.7}
        facts = cache.facts({"metadata": {"name": "p", "namespace": "ns", "labels": labels}})
        for _ in range(3):  # the same pod asked with several sets, in turn
            chosen = rng.sample(selectors, rng.randint(1, len(selectors)))
            key = cache.selectors_key(chosen)
            assert facts.matches_any(key) == any(s.matches(labels) for s in chosen)


def test_selectors_key_is_one_object_per_set_of_selector_objects() -> None:
    cache = PodFactsCache()
    a, b = LabelSelector.parse("app=web"), LabelSelector.parse("app=db")
    assert cache.selectors_key([a, b]) is cache.selectors_key((a, b))
    assert cache.selectors_key([a, b]) is not cache.selectors_key([b, a])
    assert cache.selectors_key([a]) is not cache.selectors_key([LabelSelector.parse("app=web")])
