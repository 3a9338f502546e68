"""Compiled forms of the pod and node fields the plugins match against.

Pods and nodes are plain JSON dicts; matching them field by field on every node of every
scheduling cycle would dominate the scheduler's time. Each term is compiled once, when its
pod or node enters the cache or the queue, into a small immutable object with a
`matches()` method, following component-helpers' semantics:

- `NodeSelector`: required node affinity (terms ORed; expressions and fields within a term
  ANDed; a term with neither matches nothing). Operators In, NotIn, Exists, DoesNotExist,
  Gt, Lt; `matchFields` knows only `metadata.name`.
- `Toleration` / `Taint`: a toleration tolerates a taint when the effects agree (an empty
  toleration effect means all), the keys agree (an empty key with Exists means all) and,
  for Equal, the values agree.
- `AffinityTerm`: a pod (anti-)affinity term: a label selector over pods in a set of
  namespaces (the pod's own when none is named) or matching a namespace selector.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from pyk8s.api.selectors import LabelSelector, SelectorError

Obj = dict[str, Any]
Labels = Mapping[str, str]

NO_SCHEDULE = "NoSchedule"
NO_EXECUTE = "NoExecute"
PREFER_NO_SCHEDULE = "PreferNoSchedule"


# node selectors (required and preferred node affinity)


def _int_or_none(text: str) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


class Requirement(NamedTuple):
    """One NodeSelectorRequirement: `key op values`."""

    key: str
    op: str
    values: frozenset[str]
    number: int | None  # the single value of Gt/Lt

    def matches(self, labels: Labels) -> bool:
        op = self.op
        if op == "In":
            return labels.get(self.key) in self.values
        if op == "NotIn":
            return labels.get(self.key) not in self.values
        if op == "Exists":
            return self.key in labels
        if op == "DoesNotExist":
            return self.key not in labels
        if op in ("Gt", "Lt") and self.number is not None and self.key in labels:
            have = _int_or_none(labels[self.key])
            if have is None:
                return False
            return have > self.number if op == "Gt" else have < self.number
        return False


def _requirement(expr: Mapping[str, Any]) -> Requirement:
    values = [str(v) for v in expr.get("values") or ()]
    op = str(expr.get("operator") or "")
    number = _int_or_none(values[0]) if op in ("Gt", "Lt") and len(values) == 1 else None
    return Requirement(str(expr.get("key") or ""), op, frozenset(values), number)


class NodeSelectorTerm(NamedTuple):
    """matchExpressions over node labels and matchFields over `metadata.name`, ANDed."""

    expressions: tuple[Requirement, ...]
    fields: tuple[Requirement, ...]

    @classmethod
    def compile(cls, term: Mapping[str, Any] | None) -> NodeSelectorTerm:
        term = term or {}
        expressions = tuple(_requirement(e) for e in term.get("matchExpressions") or ())
        fields = tuple(_requirement(f) for f in term.get("matchFields") or ())
        return cls(expressions, fields)

    def matches(self, labels: Labels, name: str) -> bool:
        if not self.expressions and not self.fields:
            return False
        for req in self.expressions:
            if not req.matches(labels):
                return False
        for req in self.fields:
            if req.key != "metadata.name" or not req.matches({"metadata.name": name}):
                return False
        return True


class NodeSelector(NamedTuple):
    """Required node affinity: any term may match."""

    terms: tuple[NodeSelectorTerm, ...]

    @classmethod
    def compile(cls, selector: Mapping[str, Any] | None) -> NodeSelector:
        terms = (selector or {}).get("nodeSelectorTerms") or ()
        return cls(tuple(NodeSelectorTerm.compile(t) for t in terms))

    def matches(self, labels: Labels, name: str) -> bool:
        return any(term.matches(labels, name) for term in self.terms)

    def node_names(self) -> set[str] | None:
        """The only node names this selector can match, when every term pins names with
        `metadata.name In (...)` (lets NodeAffinity narrow the nodes in PreFilter)."""
        names: set[str] = set()
        for term in self.terms:
            pinned = [f.values for f in term.fields if f.key == "metadata.name" and f.op == "In"]
            if not pinned:
                return None
            allowed = set(pinned[0])
            for values in pinned[1:]:
                allowed &= values
            names |= allowed
        return names


class PreferredTerm(NamedTuple):
    weight: int
    term: NodeSelectorTerm


# taints and tolerations


class Taint(NamedTuple):
    key: str
    value: str
    effect: str

    @classmethod
    def parse(cls, taint: Mapping[str, Any]) -> Taint:
        return cls(str(taint.get("key") or ""), str(taint.get("value") or ""), str(taint.get("effect") or ""))


class Toleration(NamedTuple):
    key: str
    operator: str
    value: str
    effect: str

    @classmethod
    def parse(cls, toleration: Mapping[str, Any]) -> Toleration:
        return cls(
            str(toleration.get("key") or ""),
            str(toleration.get("operator") or "Equal"),
            str(toleration.get("value") or ""),
            str(toleration.get("effect") or ""),
        )

    def tolerates(self, taint: Taint) -> bool:
        if self.effect and self.effect != taint.effect:
            return False
        if self.key and self.key != taint.key:
            return False
        if self.operator == "Exists":
            return True
        return self.operator == "Equal" and self.value == taint.value


def tolerates(tolerations: tuple[Toleration, ...], taint: Taint) -> bool:
    return any(t.tolerates(taint) for t in tolerations)


def first_untolerated(
    taints: tuple[Taint, ...], tolerations: tuple[Toleration, ...], wanted: Callable[[Taint], bool]
) -> Taint | None:
    """The first taint `wanted` selects that no toleration tolerates (FindMatchingUntoleratedTaint)."""
    for taint in taints:
        if wanted(taint) and not tolerates(tolerations, taint):
            return taint
    return None


# pod (anti-)affinity terms


def compile_label_selector(selector: Mapping[str, Any] | None) -> LabelSelector | None:
    """A metav1.LabelSelector; None (matches nothing) for a null or invalid selector."""
    if selector is None:
        return None
    try:
        return LabelSelector.from_object(selector)
    except SelectorError:
        return None


class AffinityTerm(NamedTuple):
    """A PodAffinityTerm, compiled, with its weight (1 for required terms)."""

    selector: LabelSelector | None
    namespaces: frozenset[str]
    namespace_selector: LabelSelector | None
    topology_key: str
    weight: int

    @classmethod
    def compile(cls, term: Mapping[str, Any], own_namespace: str, weight: int = 1) -> AffinityTerm:
        namespaces = frozenset(str(n) for n in term.get("namespaces") or ())
        ns_selector_obj = term.get("namespaceSelector")
        ns_selector = compile_label_selector(ns_selector_obj) if ns_selector_obj is not None else None
        if not namespaces and ns_selector_obj is None:
            namespaces = frozenset((own_namespace,))
        return cls(
            compile_label_selector(term.get("labelSelector")),
            namespaces,
            ns_selector,
            str(term.get("topologyKey") or ""),
            weight,
        )

    def matches(
        self, namespace: str, labels: Labels, namespace_labels: Callable[[str], Labels | None]
    ) -> bool:
        """Whether a pod in `namespace` with `labels` is selected by this term."""
        if self.selector is None:
            return False
        if namespace not in self.namespaces:
            if self.namespace_selector is None:
                return False
            ns_labels = namespace_labels(namespace)
            if ns_labels is None or not self.namespace_selector.matches(ns_labels):
                return False
        return self.selector.matches(labels)


def compile_affinity_terms(
    terms: list[Any] | None, namespace: str, *, weighted: bool = False
) -> tuple[AffinityTerm, ...]:
    """Required terms (`weighted=False`) or WeightedPodAffinityTerms (`weighted=True`)."""
    out: list[AffinityTerm] = []
    for item in terms or ():
        if not isinstance(item, dict):
            continue
        if weighted:
            term = item.get("podAffinityTerm") or {}
            out.append(AffinityTerm.compile(term, namespace, int(item.get("weight") or 0)))
        else:
            out.append(AffinityTerm.compile(item, namespace))
    return tuple(out)
