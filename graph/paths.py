"""The k shortest simple chains of links between two documents (Yen's algorithm), written once over a
store's neighbour function.

The store answers one question, the links touching a batch of documents (:meth:`Traversal.neighbours`);
each breadth-first level asks it once for the documents of the frontier not asked about before, so a whole
search costs about one query per level, whatever the number of documents on a level. The number of
documents whose links are read is capped: past the cap the search stops and the answer says it is partial.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import heapq
import itertools
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from pydantic import BaseModel, Field

from graph.errors import NotFoundError
from graph.models import MAX_DEPTH, Document, Link, LinkDirection, Relation, Review, View

# The links touching a batch of documents, in one direction, as the store sees them (relations and view bound).
NeighbourFn = Callable[[list[str], LinkDirection], Awaitable[list[Link]]]
# (from, to): one hop of a chain in the chain's own order, whichever way its link points.
Hop = tuple[str, str]
RELATION_PREFERENCE = {relation: rank for rank, relation in enumerate(Relation)}
DEFAULT_MAX_LENGTH = 6
DEFAULT_K = 10
MAX_K = 100
# Documents whose links one search may read: enough for six levels around national hubs, bounded per request.
MAX_EXPANDED = 20_000


class TooWide(Exception):
    """The search would read the links of more documents than its cap."""


class PathReads(Protocol):
    """What a chain search reads: documents by key, and the links touching a batch of them."""

    async def get_document(self, key: str) -> Document: ...

    async def neighbours(
        self, keys: Sequence[str], *, direction: LinkDirection, relations: Sequence[Relation], view: View
    ) -> list[Link]: ...


class ChainLink(Link):
    """A link on a chain, with the day it was stated (the issue date of its source document)."""

    date: dt.date | None = None


class Chain(BaseModel):
    """One simple chain of documents, first the one asked from, each hop with its link."""

    length: int
    nodes: list[Document]
    edges: list[ChainLink]


class Chains(BaseModel):
    """The shortest chains, shortest first (then by their documents' keys)."""

    paths: list[Chain]
    partial: bool = Field(description="the search stopped at its cap on documents read: longer chains may exist")
    expanded: int = Field(description="documents whose links were read")


@dataclass(frozen=True)
class PathQuery:
    """What a chain search is asked: at most ``k`` chains of at most ``max_length`` links."""

    max_length: int = DEFAULT_MAX_LENGTH
    k: int = DEFAULT_K
    directed: bool = False
    relations: tuple[Relation, ...] = tuple(Relation)
    view: View = field(default_factory=View)
    max_expanded: int = MAX_EXPANDED

    def __post_init__(self) -> None:
        if not 1 <= self.max_length <= MAX_DEPTH:
            raise ValueError(f"max_length must be within 1..{MAX_DEPTH}")
        if not 1 <= self.k <= MAX_K:
            raise ValueError(f"k must be within 1..{MAX_K}")


def preference(link: Link) -> tuple[int, bool, str, str]:
    """Which of several links joining two documents a chain shows: by relation order, accepted first."""
    return (RELATION_PREFERENCE[link.relation], link.review != Review.accepted, link.source, link.target)


@dataclass
class Adjacency:
    """Each document's neighbours read from the store once per direction, a whole frontier per read, capped.

    ``directed`` walks follow links forward from the source and backward from the target; undirected ones
    follow links either way. Several links between two documents count as one hop (see :func:`preference`).
    """

    fetch: NeighbourFn
    directed: bool
    cap: int = MAX_EXPANDED
    known: dict[tuple[LinkDirection, str], dict[str, Link]] = field(default_factory=dict)
    expanded: int = 0

    def direction(self, forward: bool) -> LinkDirection:
        if not self.directed:
            return LinkDirection.both
        return LinkDirection.out if forward else LinkDirection.in_

    async def steps(self, keys: Sequence[str], forward: bool) -> dict[str, dict[str, Link]]:
        """Per key, its neighbours one hop away (forward: along the links; backward: against them)."""
        direction = self.direction(forward)
        missing = sorted({key for key in keys if (direction, key) not in self.known})
        if missing:
            if self.expanded + len(missing) > self.cap:
                raise TooWide
            self.expanded += len(missing)
            fresh: dict[str, dict[str, Link]] = {key: {} for key in missing}
            for link in await self.fetch(missing, direction):
                for at, other in _ends(link, direction):
                    bucket = fresh.get(at)
                    if bucket is not None and other != at and (other not in bucket or _better(link, bucket[other])):
                        bucket[other] = link
            # In key order once here, so that every search breaks ties alike without sorting again.
            self.known.update(((direction, key), dict(sorted(found.items()))) for key, found in fresh.items())
        return {key: self.known[(direction, key)] for key in keys}

    def link(self, hop: Hop) -> Link:
        """The link a hop found (from either end's reading)."""
        a, b = hop
        ahead, behind = self.direction(True), self.direction(False)
        found = self.known.get((ahead, a), {}).get(b) or self.known.get((behind, b), {}).get(a)
        if found is None:
            raise KeyError(hop)
        return found


def _ends(link: Link, direction: LinkDirection) -> list[tuple[str, str]]:
    """(document asked about, neighbour) pairs a link gives in ``direction``."""
    ends = []
    if direction != LinkDirection.in_:
        ends.append((link.source, link.target))
    if direction != LinkDirection.out:
        ends.append((link.target, link.source))
    return ends


def _better(link: Link, than: Link) -> bool:
    return preference(link) < preference(than)


@dataclass
class Side:
    """One end of a bidirectional breadth-first search: depths and the parent each document was reached from."""

    forward: bool
    parents: dict[str, str | None]
    depths: dict[str, int]
    frontier: list[str]

    @classmethod
    def at(cls, root: str, forward: bool) -> Side:
        return cls(forward, {root: None}, {root: 0}, [root])

    def chain(self, key: str) -> list[str]:
        """The keys from this side's root to ``key``."""
        keys: list[str] = []
        at: str | None = key
        while at is not None:
            keys.append(at)
            at = self.parents[at]
        return keys[::-1]


async def shortest(
    graph: Adjacency, source: str, target: str, max_length: int, banned: frozenset[str], cut: frozenset[Hop]
) -> list[str] | None:
    """The keys of a shortest chain from ``source`` to ``target`` of at most ``max_length`` hops, avoiding the
    documents ``banned`` and the hops ``cut`` (None if there is none). Ties go to the smaller keys.

    Expands the smaller frontier a whole level at a time until the two searches meet.
    """
    if source == target:
        return [source]
    ahead, behind = Side.at(source, True), Side.at(target, False)
    depth = 0
    while ahead.frontier and behind.frontier and depth < max_length:
        near, far = (ahead, behind) if len(ahead.frontier) <= len(behind.frontier) else (behind, ahead)
        steps = await graph.steps(near.frontier, near.forward)
        level = near.depths[near.frontier[0]] + 1
        reached: list[str] = []
        for key in near.frontier:
            for other in steps[key]:
                hop = (key, other) if near.forward else (other, key)
                if other in banned or other in near.parents or hop in cut:
                    continue
                near.parents[other] = key
                near.depths[other] = level
                reached.append(other)
        near.frontier = reached
        depth += 1
        met = [key for key in reached if key in far.depths]
        if met:
            meet = min(met, key=lambda key: (far.depths[key], key))
            return ahead.chain(meet)[:-1] + behind.chain(meet)[::-1]
    return None


async def k_shortest(graph: Adjacency, source: str, target: str, max_length: int, k: int) -> AsyncIterator[list[str]]:
    """Up to ``k`` shortest simple chains (Yen's algorithm), each as soon as it is certain, shortest first.

    Equal lengths come in no particular order: sort what is kept. :class:`TooWide` from the adjacency's cap
    ends the iteration early.
    """
    first = await shortest(graph, source, target, max_length, frozenset(), frozenset())
    if first is None:
        return
    found = [first]
    yield first
    seen = {tuple(first)}
    candidates: list[tuple[int, tuple[str, ...]]] = []
    while len(found) < k:
        last = found[-1]
        for i in range(len(last) - 1):
            root = last[: i + 1]
            cut = frozenset((p[i], p[i + 1]) for p in found if p[: i + 1] == root)
            spur = await shortest(graph, root[-1], target, max_length - i, frozenset(root[:-1]), cut)
            if spur is not None and (chain := tuple(root[:-1] + spur)) not in seen:
                seen.add(chain)
                heapq.heappush(candidates, (len(chain), chain))
        if not candidates:
            return
        found.append(list(heapq.heappop(candidates)[1]))
        yield found[-1]


async def search_chains(
    fetch: NeighbourFn, source: str, target: str, query: PathQuery
) -> tuple[list[list[str]], Adjacency, bool]:
    """The chains' keys (shortest first, then by keys), the adjacency they were read from, and whether the
    cap cut the search short (the chains certain before it are kept)."""
    graph = Adjacency(fetch, query.directed, query.max_expanded)
    found: list[list[str]] = []
    partial = False
    try:
        async for chain in k_shortest(graph, source, target, query.max_length, query.k):
            found.append(chain)
    except TooWide:
        partial = True
    return sorted(found, key=lambda keys: (len(keys), keys)), graph, partial


async def find_paths(store: PathReads, source: str, target: str, query: PathQuery) -> Chains:
    """The k shortest simple chains of links joining two documents (NotFoundError for an unknown end, or one
    not yet issued on the view's day)."""
    for key in (source, target):
        if not query.view.shows(await store.get_document(key)):
            raise NotFoundError("document", key)
    if source == target:
        return Chains(paths=[], partial=False, expanded=0)

    async def fetch(keys: list[str], direction: LinkDirection) -> list[Link]:
        return await store.neighbours(keys, direction=direction, relations=query.relations, view=query.view)

    found, graph, partial = await search_chains(fetch, source, target, query)
    keys = sorted({key for chain in found for key in chain})
    documents = dict(zip(keys, await asyncio.gather(*map(store.get_document, keys)), strict=True))
    return Chains(paths=[chain_of(keys, graph, documents) for keys in found], partial=partial, expanded=graph.expanded)


def chain_of(keys: list[str], graph: Adjacency, documents: dict[str, Document]) -> Chain:
    """A chain's documents and links, each link dated by its source document."""
    links = [graph.link((a, b)) for a, b in itertools.pairwise(keys)]
    edges = [ChainLink(**link.model_dump(), date=documents[link.source].date) for link in links]
    return Chain(length=len(edges), nodes=[documents[key] for key in keys], edges=edges)
