"""What implements a document, walked from the links a store hands over: each chain, and which links were only
proposed (rejected links never count)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from graph.lineage import Walk
from graph.models import IMPLEMENTATION_RELATIONS, Document, Implementer, Level, Lineage, Link, Review, ReviewScope


class ImplementingDocument(Protocol):
    """What an audit reads of a document implementing its source (an :class:`Implementer` is one)."""

    @property
    def key(self) -> str: ...
    @property
    def symbol(self) -> str: ...
    @property
    def date(self) -> dt.date | None: ...
    @property
    def year(self) -> int | None: ...
    @property
    def issuer(self) -> str | None: ...
    @property
    def jurisdiction(self) -> str | None: ...
    @property
    def level(self) -> Level | None: ...
    @property
    def via(self) -> list[str]: ...


@dataclass(frozen=True, slots=True)
class Implementing:
    """An implementing document with only what an audit reads: a walk over a million documents hands over tens
    of thousands, and a whole :class:`Implementer` costs tens of microseconds to build."""

    key: str
    symbol: str
    date: dt.date | None
    year: int | None
    issuer: str | None
    jurisdiction: str | None
    level: Level | None
    via: list[str]


@dataclass(frozen=True)
class Reached:
    """The documents implementing a source, and those among them reached only through proposed links."""

    implementers: Sequence[ImplementingDocument]
    proposed: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ImplementationGraph:
    """The implements/continues links reached walking down from some documents, and the documents they join."""

    links: Sequence[Link]
    documents: Mapping[str, Document]


class ReachIndex:
    """The links of an :class:`ImplementationGraph` that ``scope`` counts, indexed for a walk from any root."""

    def __init__(self, graph: ImplementationGraph, scope: ReviewScope = ReviewScope.not_rejected) -> None:
        counted = [e for e in graph.links if e.relation in IMPLEMENTATION_RELATIONS and scope.counts(e.review)]
        self.documents = graph.documents
        self.children = _children(counted)
        self.accepted = _children(e for e in counted if e.review == Review.accepted)

    def reached(self, root: str, level: Level | None = None) -> Reached:
        """The documents implementing ``root`` (of ``level`` only, when given) with their chains; those reached
        only through proposed links marked. Rejected links never count."""
        walk = _walk(root, self.children)
        accepted = _walk(root, self.accepted).depths
        found = (self.documents.get(key) for key in walk.ordered() if key != root)
        implementers = [
            Implementer.model_construct(**doc.__dict__, via=walk.via(doc.key))
            for doc in found
            if doc is not None and (level is None or doc.level == level)
        ]
        return Reached(implementers, frozenset(k for k in walk.depths if k not in accepted))


@dataclass(frozen=True)
class Reaches:
    """Some documents walked from, and what implements each of them."""

    documents: Mapping[str, Document]
    reached: Mapping[str, Reached]


def reaches_in(graph: ImplementationGraph, roots: Sequence[str], level: Level, scope: ReviewScope) -> Reaches:
    """What implements each of ``roots`` at ``level`` in ``graph`` over the links ``scope`` counts; the roots
    missing from ``graph`` are left out."""
    index = ReachIndex(graph, scope)
    keys = sorted({root for root in roots if root in graph.documents})
    return Reaches({key: graph.documents[key] for key in keys}, {key: index.reached(key, level) for key in keys})


def reached_implementers(lineage: Lineage, scope: ReviewScope = ReviewScope.not_rejected) -> Reached:
    """The documents a downward lineage reaches over the implementation links ``scope`` counts."""
    documents = {n.key: Document.model_construct(**{k: v for k, v in n if k != "depth"}) for n in lineage.nodes}
    return ReachIndex(ImplementationGraph(lineage.edges, documents), scope).reached(lineage.root)


def _children(edges: Iterable[Link]) -> dict[str, list[str]]:
    """For each document, the documents implementing it directly (an edge's source implements its target)."""
    children: dict[str, list[str]] = defaultdict(list)
    for edge in edges:
        children[edge.target].append(edge.source)
    return children


def _walk(root: str, children: Mapping[str, list[str]]) -> Walk:
    """Breadth first from ``root`` down ``children``."""
    walk = Walk.start(root)
    frontier, depth = [root], 0
    while frontier:
        depth += 1
        frontier = walk.add_level(((child, p) for p in frontier for child in children.get(p, ())), depth)
    return walk


def reach_levels(level: Level) -> list[Level]:
    """The levels a walk for an audit at ``level`` enters: that one and those above it (a plan of a lower level
    is not what a higher one implements through)."""
    order = list(Level)
    return order[: order.index(level) + 1]
