"""Walks of the embedded store: breadth-first, one query per level over the covering indexes."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from graph.adjacency import indexed_implementers, indexed_lineage
from graph.errors import NotFoundError
from graph.lineage import Facts, Walk, count_levels, implementer_keys, implementers_answer, lineage_answer, lineage_page
from graph.models import (
    IMPLEMENTATION_RELATIONS,
    GraphPath,
    Implementers,
    Level,
    Lineage,
    LineageDirection,
    Link,
    Relation,
    View,
)
from graph.paging import DEFAULT_GRAPH_PAGE, check_page, page_of
from graph.paths import distinct_ends, distinct_paths, shortest_chain_depths, shortest_chains
from graph.records import trusted_link
from graph.stores.sqlite.adjacency import AdjacencyCache
from graph.stores.sqlite.db import SqliteRole
from graph.stores.sqlite.rows import (
    LINK_COLUMNS,
    document_exists,
    document_rows,
    documents_by_key,
    links_where,
    relations_json,
)

# One breadth-first step: (document reached, the frontier document it links with) pairs, over the
# covering indexes (links_target for links into the frontier, the primary key for links out of it).
STEP_DOWN = """
SELECT l.source, l.target FROM links l
WHERE l.target IN (SELECT value FROM json_each(:frontier)) AND l.relation IN (SELECT value FROM json_each(:relations))
"""
STEP_UP = """
SELECT l.target, l.source FROM links l
WHERE l.source IN (SELECT value FROM json_each(:frontier)) AND l.relation IN (SELECT value FROM json_each(:relations))
"""
# Either direction, any relation: for shortest paths.
STEP_EITHER = """
SELECT l.target, l.source FROM links l WHERE l.source IN (SELECT value FROM json_each(:frontier))
UNION ALL
SELECT l.source, l.target FROM links l WHERE l.target IN (SELECT value FROM json_each(:frontier))
"""
FACTS = "SELECT key, level, jurisdiction, year FROM documents WHERE key IN (SELECT value FROM json_each(?))"
LEVEL_COUNTS = "SELECT level, count(*) FROM documents WHERE key IN (SELECT value FROM json_each(?)) GROUP BY level"
# The links of the relations at either end of the page's documents, keys only (the primary key and
# links_target cover them); then the chosen links' rows by primary key.
LINK_KEYS_AT = """
SELECT source, relation, target FROM links
WHERE source IN (SELECT value FROM json_each(:page)) AND relation IN (SELECT value FROM json_each(:relations))
UNION ALL
SELECT source, relation, target FROM links
WHERE target IN (SELECT value FROM json_each(:page)) AND relation IN (SELECT value FROM json_each(:relations))
"""
LINKS_BY_KEYS = f"""
SELECT {LINK_COLUMNS} FROM json_each(:keys) j
JOIN links l ON l.source = j.value ->> 0 AND l.relation = j.value ->> 1 AND l.target = j.value ->> 2
JOIN documents s ON s.key = l.source JOIN documents t ON t.key = l.target
"""
JURISDICTION_TREE = (
    "WITH RECURSIVE tree(key, depth) AS (SELECT :root, 0 UNION "
    "SELECT o.key, t.depth + 1 FROM tree t JOIN organizations o ON o.parent = t.key WHERE t.depth < 8) "
    "SELECT key FROM tree"
)
LINKS_AMONG = "l.source IN (SELECT value FROM json_each(:keys)) AND +l.target IN (SELECT value FROM json_each(:keys))"


class SqliteTraversal(SqliteRole):
    """Lineage, implementers and paths of the embedded store: walked in the in-memory index while it is
    current, else by SQL."""

    adjacency: AdjacencyCache

    async def lineage(
        self,
        key: str,
        direction: LineageDirection,
        relations: Sequence[Relation],
        max_depth: int,
        *,
        offset: int = 0,
        limit: int | None = DEFAULT_GRAPH_PAGE,
    ) -> Lineage:
        check_page(offset, limit)
        step = STEP_DOWN if direction == LineageDirection.down else STEP_UP
        return await self.db.run(self._lineage, key, step, relations, max_depth, offset, limit)

    def _lineage(
        self, key: str, step: str, relations: Sequence[Relation], max_depth: int, offset: int, limit: int | None
    ) -> Lineage:
        conn = self.db.connection()
        if (index := self.adjacency.current(conn)) is not None:
            answer = indexed_lineage(
                index,
                key,
                down=step == STEP_DOWN,
                relations=relations,
                max_depth=max_depth,
                page=slice(offset, None if limit is None else offset + limit),
                view=View(),
                rows=lambda keys: document_rows(conn, keys),
                links=lambda keys: _links_by_keys(conn, keys),
            )
            if answer is not None:
                return answer
        _require_document(conn, key)
        walk = _walk(conn, key, step, relations, max_depth)
        levels = conn.execute(LEVEL_COUNTS, (json.dumps(list(walk.depths)),))
        page, delivered = lineage_page(walk, offset, limit)
        edges = _edges_touching(conn, page, delivered, relations)
        return lineage_answer(walk, count_levels(levels), page, document_rows(conn, page), edges)

    async def implementers(
        self,
        key: str,
        *,
        level: Level | None,
        jurisdiction: str | None,
        max_depth: int,
        offset: int = 0,
        limit: int | None = DEFAULT_GRAPH_PAGE,
    ) -> Implementers:
        check_page(offset, limit)
        return await self.db.run(self._implementers, key, level, jurisdiction, max_depth, offset, limit)

    def _implementers(
        self, key: str, level: Level | None, jurisdiction: str | None, max_depth: int, offset: int, limit: int | None
    ) -> Implementers:
        conn = self.db.connection()
        scope = (
            {r[0] for r in conn.execute(JURISDICTION_TREE, {"root": jurisdiction})}
            if jurisdiction is not None
            else None
        )
        if (index := self.adjacency.current(conn)) is not None:
            answer = indexed_implementers(
                index,
                key,
                level=level,
                jurisdictions=scope,
                max_depth=max_depth,
                page=slice(offset, None if limit is None else offset + limit),
                view=View(),
                rows=lambda keys: document_rows(conn, keys),
            )
            if answer is not None:
                return answer
        _require_document(conn, key)
        walk = _walk(conn, key, STEP_DOWN, IMPLEMENTATION_RELATIONS, max_depth)
        facts = _facts(conn, walk.depths)
        matching = implementer_keys(walk, facts, level=level, jurisdiction_keys=scope)
        page = page_of(matching, offset, limit)
        return implementers_answer(walk, facts, matching, page, document_rows(conn, page))

    async def paths(self, source: str, target: str, *, max_length: int, limit: int) -> list[GraphPath]:
        if not await distinct_ends(self._require_document, source, target):
            return []
        return await self.db.run(self._paths, source, target, max_length, limit)

    async def _require_document(self, key: str) -> None:
        await self.db.run(lambda: _require_document(self.db.connection(), key))

    def _paths(self, source: str, target: str, max_length: int, limit: int) -> list[GraphPath]:
        conn = self.db.connection()

        def neighbours(frontier: list[str]) -> Iterable[tuple[str, str]]:
            return conn.execute(STEP_EITHER, {"frontier": json.dumps(frontier)})

        from_source = shortest_chain_depths(source, target, max_length, neighbours)
        if not from_source:
            return []
        on_path = sorted(from_source)
        edges = links_where(conn, LINKS_AMONG, {"keys": json.dumps(on_path)})
        raw = shortest_chains(source, target, from_source, edges, limit)
        return distinct_paths(raw, documents_by_key(conn, on_path), limit)


def _require_document(conn: sqlite3.Connection, key: str) -> None:
    if not document_exists(conn, key):
        raise NotFoundError("document", key)


def _walk(conn: sqlite3.Connection, root: str, step: str, relations: Sequence[Relation], max_depth: int) -> Walk:
    walk = Walk.start(root)
    frontier = [root]
    for depth in range(1, max_depth + 1):
        if not frontier:
            break
        found = conn.execute(step, {"frontier": json.dumps(frontier), "relations": relations_json(relations)})
        frontier = walk.add_level(found, depth)
    return walk


def _facts(conn: sqlite3.Connection, keys: Iterable[str]) -> dict[str, Facts]:
    return {r[0]: Facts(r[1], r[2], r[3]) for r in conn.execute(FACTS, (json.dumps(list(keys)),))}


def _edges_touching(
    conn: sqlite3.Connection, page: Sequence[str], delivered: Sequence[str], relations: Sequence[Relation]
) -> list[Link]:
    """Links of the relations between the page's documents and those delivered up to its end."""
    ends = set(delivered)
    params: dict[str, Any] = {"page": json.dumps(list(page)), "relations": relations_json(relations)}
    keys = sorted({(s, r, t) for s, r, t in conn.execute(LINK_KEYS_AT, params) if s in ends and t in ends})
    return _links_by_keys(conn, keys)


def _links_by_keys(conn: sqlite3.Connection, keys: Sequence[tuple[str, str, str]]) -> list[Link]:
    """The stored links of (source, relation, target) keys."""
    return [trusted_link(dict(r)) for r in conn.execute(LINKS_BY_KEYS, {"keys": json.dumps(list(keys))})]
