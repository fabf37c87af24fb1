"""Lineage and implementers answers from a breadth-first walk, the same for every store.

A store walks (its own queries) and hands over the depths, parents and stored rows; what a page holds,
its order and its counts are decided here.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from pydantic import TypeAdapter

from graph.models import Implementer, Implementers, Level, Lineage, LineageNode, LineageOutline, Link
from graph.paging import page_of
from graph.records import LEVEL_BY_VALUE, RELATION_BY_VALUE, document_json, link_sort_key, trusted_document

UNKNOWN_LEVEL = "unknown"
# What a kept lineage page holds a document beside the links' JSON: a key string, a depth, a tuple.
SHAPE_BYTES_PER_NODE = 120
# The bytes of lineage pages a store keeps by default while its data is unchanged (LineageShape.size).
LINEAGE_PAGES_BYTES = 12 << 20


class Facts(NamedTuple):
    """What ordering, filtering and counting implementers need of a reached document, without all of it."""

    level: str | None
    jurisdiction: str | None
    year: int | None


@dataclass
class Walk:
    """The keys a breadth-first walk reached: each one's depth, and its parent on one shortest chain.

    The parent is the smallest key one level nearer the root that the document links with, so both
    stores choose the same chains.
    """

    root: str
    depths: dict[str, int]
    parents: dict[str, str]

    @classmethod
    def start(cls, root: str) -> Walk:
        return cls(root, {root: 0}, {})

    @classmethod
    def from_depths(cls, root: str, reached: Sequence[tuple[str, int, Iterable[str]]]) -> Walk:
        """A walk from each reached key's depth and the keys it links with toward the root."""
        walk = cls.start(root)
        walk.depths.update((key, depth) for key, depth, _ in reached)
        for key, depth, nearer in reached:
            parents = [n for n in nearer if walk.depths.get(n) == depth - 1]
            walk.parents[key] = min(parents)
        return walk

    def add_level(self, found: Iterable[tuple[str, str]], depth: int) -> list[str]:
        """Record the (document, parent) pairs one step beyond the frontier; return the new frontier, sorted."""
        frontier = []
        for key, parent in found:
            if key not in self.depths:
                self.depths[key] = depth
                frontier.append(key)
            if self.depths[key] == depth and (key not in self.parents or parent < self.parents[key]):
                self.parents[key] = parent
        return sorted(frontier)

    def ordered(self) -> list[str]:
        """Every reached key in the canonical order: depth, then key."""
        return sorted(self.depths, key=lambda key: (self.depths[key], key))

    def via(self, key: str) -> list[str]:
        """The keys strictly between the root and ``key`` on its chain, nearest to the root first."""
        chain = []
        step = self.parents.get(key)
        while step is not None and step != self.root:
            chain.append(step)
            step = self.parents.get(step)
        return chain[::-1]


def lineage_page(walk: Walk, offset: int, limit: int | None) -> tuple[list[str], list[str]]:
    """The keys of one lineage page in canonical order, and every key up to the page's end.

    A page carries the edges between its documents and those up to its end, so each edge comes
    exactly once, with the page that holds its later end, and the pages add up to the whole lineage.
    """
    ordered = walk.ordered()
    page = page_of(ordered, offset, limit)
    return page, ordered[: offset + len(page)]


def count_levels(levels: Iterable[tuple[str | None, int]]) -> dict[str, int]:
    """Counts per level from (level, count) pairs; ``unknown`` for documents without a level."""
    counts: Counter[str] = Counter()
    for level, count in levels:
        counts[level or UNKNOWN_LEVEL] += count
    return dict(sorted(counts.items()))


def count_depths(depths: Iterable[int]) -> dict[int, int]:
    return dict(sorted(Counter(depths).items()))


def lineage_answer(
    walk: Walk,
    level_counts: dict[str, int],
    page: Sequence[str],
    rows: Mapping[str, Mapping[str, Any]],
    edges: Iterable[Link],
) -> Lineage:
    """A lineage page from stored rows: the page's documents with their depths, the edges sorted,
    counts over the whole walk."""
    return lineage_of_rows(
        walk.root,
        ((walk.depths[key], rows[key]) for key in page if key in rows),
        edges,
        total=len(walk.depths),
        depth_counts=count_depths(walk.depths.values()),
        level_counts=level_counts,
    )


def lineage_of_rows(
    root: str,
    rows: Iterable[tuple[int, Mapping[str, Any]]],
    edges: Iterable[Link],
    *,
    total: int,
    depth_counts: dict[int, int],
    level_counts: dict[str, int],
) -> Lineage:
    """A lineage page from the stored rows of its documents, each with its depth, in page order; the edges
    sorted; counts as the store made them."""
    return Lineage.model_construct(
        root=root,
        nodes=[trusted_document(row, LineageNode, depth=depth) for depth, row in rows],
        edges=sorted(edges, key=link_sort_key),
        total=total,
        depth_counts=depth_counts,
        level_counts=level_counts,
    )


class LineageRows(NamedTuple):
    """A lineage page before its documents are built: each one's depth and stored row in page order, the
    edges sorted, counts over the whole walk."""

    root: str
    rows: list[tuple[int, Mapping[str, Any]]]
    edges: list[Link]
    total: int
    depth_counts: dict[int, int]
    level_counts: dict[str, int]

    def lineage(self) -> Lineage:
        """The page with its documents built from their rows."""
        return lineage_of_rows(
            self.root,
            self.rows,
            self.edges,
            total=self.total,
            depth_counts=self.depth_counts,
            level_counts=self.level_counts,
        )


# A page's links as one JSON array, as the API sends them.
LINKS_JSON = TypeAdapter(list[Link])


def links_json(links: Sequence[Link]) -> str:
    """The JSON array of ``links``, as an answer carries them."""
    return LINKS_JSON.dump_json(list(links)).decode()


@dataclass(frozen=True)
class LineageJson:
    """A lineage page whose documents and links are already JSON (each document a :class:`LineageNode`'s, the links
    one array), for an answer that sends them as they are."""

    root: str
    nodes: list[str]
    edges: str
    total: int
    depth_counts: dict[int, int]
    level_counts: dict[str, int]

    @classmethod
    def of(cls, lineage: Lineage) -> LineageJson:
        """The page of a built lineage, serialized."""
        nodes = [document_json(node) for node in lineage.nodes]
        edges = links_json(lineage.edges)
        return cls(lineage.root, nodes, edges, lineage.total, lineage.depth_counts, lineage.level_counts)

    @classmethod
    def of_rows(cls, page: LineageRows) -> LineageJson:
        """The page of rows holding each document's JSON (``json``, as :func:`graph.records.document_json`)."""
        nodes = [node_json(row["json"], depth) for depth, row in page.rows]
        return cls(page.root, nodes, links_json(page.edges), page.total, page.depth_counts, page.level_counts)


@dataclass(frozen=True)
class LineageShape:
    """A lineage page without its documents: each one's key and depth in page order, the links' JSON (compressed:
    it is most of a page) and the counts. What a store may keep while its data is unchanged: the documents' JSON,
    with today's status, is read for each answer."""

    root: str
    nodes: list[tuple[str, int]]
    edges: bytes
    total: int
    depth_counts: dict[int, int]
    level_counts: dict[str, int]

    @classmethod
    def of(cls, found: LineageJson, nodes: list[tuple[str, int]]) -> LineageShape:
        """The shape of a page, given its documents' keys and depths."""
        edges = zlib.compress(found.edges.encode(), 1)
        return cls(found.root, nodes, edges, found.total, found.depth_counts, found.level_counts)

    def page(self, documents: Mapping[str, Mapping[str, Any]]) -> LineageJson:
        """The page with its documents' JSON (``json`` of each by key); one deleted since is left out."""
        nodes = [node_json(documents[key]["json"], depth) for key, depth in self.nodes if key in documents]
        edges = zlib.decompress(self.edges).decode()
        return LineageJson(self.root, nodes, edges, self.total, self.depth_counts, self.level_counts)

    def size(self) -> int:
        """About the bytes it holds: its links' compressed JSON and a key and a depth a document."""
        return len(self.edges) + SHAPE_BYTES_PER_NODE * len(self.nodes)


def node_json(document: str, depth: int) -> str:
    """A :class:`LineageNode`'s JSON from its document's: the depth is the node's last field."""
    return f'{document[:-1]},"depth":{depth}}}'


def outline_of(
    root: str,
    depths: Mapping[str, int],
    facts: Mapping[str, Facts],
    links: Iterable[tuple[str, str, str]],
    *,
    down: bool,
) -> LineageOutline:
    """The outline of a whole walk: its documents' depths and facts, and every (source, relation, target) link
    the walk could follow between two of them. Each document's parent is chosen among those links (a walk down
    goes from a link's target to its source)."""
    keys = sorted(depths, key=lambda key: (depths[key], key))
    position = {key: i for i, key in enumerate(keys)}
    parents = [-1] * len(keys)
    placed = []
    for source, relation, target in sorted(links):
        s, t = position[source], position[target]
        placed.append((s, RELATION_BY_VALUE[relation], t))
        child, parent = (s, t) if down else (t, s)
        nearer = depths[keys[parent]] == depths[keys[child]] - 1
        if nearer and (parents[child] == -1 or parent < parents[child]):
            parents[child] = parent
    rows = [facts[key] for key in keys]
    return LineageOutline.model_construct(
        root=root,
        total=len(keys),
        depth_counts=count_depths(depths.values()),
        level_counts=count_levels((fact.level, 1) for fact in rows),
        keys=keys,
        depths=[depths[key] for key in keys],
        parents=parents,
        levels=[LEVEL_BY_VALUE[fact.level] if fact.level else None for fact in rows],
        jurisdictions=[fact.jurisdiction for fact in rows],
        years=[fact.year or None for fact in rows],
        links=placed,
    )


def implementer_keys(
    walk: Walk, facts: dict[str, Facts], *, level: Level | None, jurisdiction_keys: set[str] | None
) -> list[str]:
    """The implementers of a downward walk's root matching level and jurisdiction: nearest, then newest, then key."""
    matching = [
        key
        for key, fact in facts.items()
        if key != walk.root
        and (level is None or fact.level == level)
        and (jurisdiction_keys is None or fact.jurisdiction in jurisdiction_keys)
    ]
    return sorted(matching, key=lambda key: (walk.depths[key], f"{9999 - (facts[key].year or 0):04d}", key))


def implementers_answer(
    walk: Walk,
    facts: dict[str, Facts],
    matching: Sequence[str],
    page: Sequence[str],
    rows: Mapping[str, Mapping[str, Any]],
) -> Implementers:
    """An implementers page from stored rows, each with its chain, and counts over every matching implementer."""
    items = [trusted_document(rows[key], Implementer, via=walk.via(key)) for key in page if key in rows]
    return Implementers.model_construct(
        items=items,
        total=len(matching),
        depth_counts=count_depths(walk.depths[key] for key in matching),
        level_counts=count_levels((facts[key].level, 1) for key in matching),
    )


def implementers_from_lineage(
    lineage: Lineage, *, level: Level | None, jurisdiction: str | None, jurisdiction_keys: set[str] | None
) -> list[Implementer]:
    """Filter a whole downward lineage to implementers of a level/jurisdiction, each with its chain."""
    depths = {n.key: n.depth for n in lineage.nodes}
    parents: dict[str, str] = {}
    for link in lineage.edges:
        child, parent = link.source, link.target
        if depths.get(parent, -2) == depths.get(child, -1) - 1 and (child not in parents or parent < parents[child]):
            parents[child] = parent
    walk = Walk(lineage.root, depths, parents)
    facts = {n.key: Facts(n.level, n.jurisdiction, n.year) for n in lineage.nodes}
    scope = None if jurisdiction is None else (jurisdiction_keys or set())
    matching = implementer_keys(walk, facts, level=level, jurisdiction_keys=scope)
    return implementers_answer(
        walk, facts, matching, matching, {n.key: n.model_dump(mode="json") for n in lineage.nodes}
    ).items
