"""The audit's walk on the embedded store: in the in-memory adjacency index while it holds the graph as it is
now, else breadth first from many documents at once, one query per step."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from graph.audit_index import indexed_reaches
from graph.audit_reach import ImplementationGraph, Reaches, reach_levels, reaches_in
from graph.models import IMPLEMENTATION_RELATIONS, MAX_DEPTH, Document, Level, ReviewScope
from graph.records import trusted_document
from graph.stores.sqlite.adjacency import AdjacencyCache
from graph.stores.sqlite.db import SqliteRole
from graph.stores.sqlite.rows import document_rows, links_by_keys, relations_json

# The implementation links into the frontier from documents of the levels entered (or of none): keys only, over
# the covering indexes links_target and documents_key_level (V0016), so the links left out are never read.
STEP = """
SELECT l.source, l.relation, l.target FROM links l JOIN documents s ON s.key = l.source
WHERE l.target IN (SELECT value FROM json_each(:frontier)) AND l.relation IN (SELECT value FROM json_each(:relations))
  AND (s.level IS NULL OR s.level IN (SELECT value FROM json_each(:levels)))
"""
# Then the kept links' rows by primary key.

# What an audit reads of each implementing document (graph.audit_index.FactsFetch), by primary key.
IMPLEMENTING = """
SELECT d.key, d.symbol, d.date, d.year, d.issuer, d.jurisdiction, d.level
FROM json_each(?) j JOIN documents d ON d.key = j.value
"""


class SqliteReach(SqliteRole):
    """The audit's walk of the embedded store."""

    adjacency: AdjacencyCache

    async def implementation_graph(self, roots: Sequence[str], levels: Sequence[Level]) -> ImplementationGraph:
        wanted = [level.value for level in levels]
        return await self.db.run(lambda: _graph(self.db.connection(), list(roots), wanted))

    async def implementation_reach(self, roots: Sequence[str], level: Level, review: ReviewScope) -> Reaches:
        return await self.db.run(self._reach, list(roots), level, review)

    def _reach(self, roots: list[str], level: Level, review: ReviewScope) -> Reaches:
        conn = self.db.connection()
        levels = reach_levels(level)
        if (index := self.adjacency.current(conn)) is not None:
            answer = indexed_reaches(
                index,
                roots,
                levels,
                review,
                rows=lambda keys: document_rows(conn, keys),
                facts=lambda keys: {r[0]: r for r in conn.execute(IMPLEMENTING, (json.dumps(keys),))},
            )
            if answer is not None:
                return answer
        return reaches_in(_graph(conn, roots, [v.value for v in levels]), roots, level, review)


def _graph(conn: sqlite3.Connection, roots: list[str], levels: list[str]) -> ImplementationGraph:
    seen = set(roots)
    frontier = sorted(seen)
    keys: list[tuple[str, str, str]] = []
    params = {"relations": relations_json(IMPLEMENTATION_RELATIONS), "levels": json.dumps(levels)}
    for _ in range(MAX_DEPTH):
        if not frontier:
            break
        step = [tuple(r) for r in conn.execute(STEP, params | {"frontier": json.dumps(frontier)})]
        keys.extend(step)
        frontier = sorted({source for source, _, _ in step} - seen)
        seen.update(frontier)
    rows = document_rows(conn, sorted(seen))
    links = links_by_keys(conn, keys, rows)
    documents = {key: trusted_document(row, Document) for key, row in rows.items()}
    return ImplementationGraph(links, documents)
