"""Shortest undirected chains between two documents, over any store's neighbour function.

A store gives the neighbours of a frontier (``(neighbour, frontier document)`` pairs, any relation,
either direction) and the links among a set of documents; the search itself is written once here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

from graph.models import Document, GraphPath, Link, Relation
from graph.records import link_sort_key

# (neighbour, frontier document) pairs one step from the frontier, either direction, any relation.
Neighbours = Callable[[list[str]], Iterable[tuple[str, str]]]
RawPath = tuple[list[str], list[Link]]
RELATION_PREFERENCE = {relation: rank for rank, relation in enumerate(Relation)}
# Chains enumerated per path asked for: distinct_paths then keeps one per node sequence.
CHAINS_PER_PATH = 8


@dataclass
class WalkEnd:
    """One end of a bidirectional breadth-first walk: depths, and every predecessor one level nearer the end."""

    root: str
    depths: dict[str, int] = field(default_factory=dict)
    predecessors: dict[str, list[str]] = field(default_factory=dict)
    frontier: list[str] = field(default_factory=list)
    level: int = 0

    def __post_init__(self) -> None:
        self.depths[self.root] = 0
        self.frontier = [self.root]

    def expand(self, found: Iterable[tuple[str, str]]) -> None:
        """Record (neighbour, frontier document) pairs as the next level."""
        self.level += 1
        frontier = []
        for key, predecessor in found:
            if key not in self.depths:
                self.depths[key] = self.level
                frontier.append(key)
            if self.depths[key] == self.level:
                self.predecessors.setdefault(key, []).append(predecessor)
        self.frontier = sorted(frontier)

    def keep_chains_to(self, keys: Iterable[str]) -> None:
        """Keep only the depths of documents on a shortest chain from the root to one of ``keys``."""
        kept: dict[str, int] = {}
        layer = set(keys)
        while layer:
            kept.update((key, self.depths[key]) for key in layer)
            layer = {p for key in layer for p in self.predecessors.get(key, [])}
        self.depths = kept


def shortest_chain_depths(source: str, target: str, max_length: int, neighbours: Neighbours) -> dict[str, int]:
    """Distance from ``source`` of every document on a shortest undirected chain to ``target``
    ({} if there is none within ``max_length``).

    Walks from both ends, always expanding the smaller frontier, until the two walks meet.
    """
    ends = WalkEnd(source), WalkEnd(target)
    while ends[0].frontier and ends[1].frontier and ends[0].level + ends[1].level < max_length:
        near, far = sorted(ends, key=lambda end: len(end.frontier))
        near.expand(neighbours(near.frontier))
        met = {key: far.depths[key] for key in near.frontier if key in far.depths}
        if met:
            closest = min(met.values())
            length = near.level + closest
            ends[0].keep_chains_to([k for k, d in met.items() if d == closest])
            ends[1].keep_chains_to([k for k, d in met.items() if d == closest])
            return ends[0].depths | {key: length - depth for key, depth in ends[1].depths.items()}
    return {}


def shortest_chains(
    source: str, target: str, from_source: dict[str, int], edges: Iterable[Link], limit: int
) -> list[RawPath]:
    """Up to ``limit`` × 8 chains from ``source`` to ``target`` along ``edges`` that step one level at a time."""
    length = from_source[target]
    from_target = {key: length - depth for key, depth in from_source.items()}
    step: dict[str, list[tuple[str, Link]]] = {}
    for link in edges:
        for a, b in ((link.source, link.target), (link.target, link.source)):
            if from_source.get(a, -9) + 1 == from_source.get(b) and from_target.get(b, -9) + 1 == from_target.get(a):
                step.setdefault(a, []).append((b, link))
    raw: list[RawPath] = []

    def extend(keys: list[str], hops: list[Link]) -> None:
        if len(raw) >= limit * CHAINS_PER_PATH:
            return
        if keys[-1] == target:
            raw.append((keys, hops))
            return
        for nxt, link in sorted(step.get(keys[-1], []), key=lambda s: (s[0], link_sort_key(s[1]))):
            extend([*keys, nxt], [*hops, link])

    extend([source], [])
    return raw


def distinct_paths(raw: Iterable[RawPath], documents: dict[str, Document], limit: int) -> list[GraphPath]:
    """One path per node sequence, the link of each hop chosen by relation order; sorted and capped."""
    best: dict[tuple[str, ...], list[Link]] = {}
    for keys, hops in raw:
        seq = tuple(keys)
        current = best.get(seq)
        if current is None or [RELATION_PREFERENCE[h.relation] for h in hops] < [
            RELATION_PREFERENCE[h.relation] for h in current
        ]:
            best[seq] = hops
    ordered = sorted(best.items(), key=lambda kv: kv[0])[:limit]
    return [GraphPath(nodes=[documents[k] for k in seq], edges=hops) for seq, hops in ordered]


async def distinct_ends(require_document: Callable[[str], Awaitable[object]], source: str, target: str) -> bool:
    """Raise NotFoundError for an unknown end; whether the two ends differ (a path joins two documents)."""
    await require_document(source)
    await require_document(target)
    return source != target
