"""The audit's walk on the embedded store: breadth first from many documents at once, one query per step."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from graph.audit_reach import ImplementationGraph
from graph.models import IMPLEMENTATION_RELATIONS, MAX_DEPTH, Document, Level, Link
from graph.records import trusted_document, trusted_link
from graph.stores.sqlite.db import SqliteRole
from graph.stores.sqlite.rows import LINK_COLUMNS, LINK_FROM, document_rows, relations_json

# The implementation links into the frontier from documents of the levels entered (or of none).
STEP = f"""
SELECT {LINK_COLUMNS} FROM {LINK_FROM}
WHERE l.target IN (SELECT value FROM json_each(:frontier)) AND l.relation IN (SELECT value FROM json_each(:relations))
  AND (s.level IS NULL OR s.level IN (SELECT value FROM json_each(:levels)))
"""


class SqliteReach(SqliteRole):
    """The audit's walk of the embedded store."""

    async def implementation_graph(self, roots: Sequence[str], levels: Sequence[Level]) -> ImplementationGraph:
        wanted = [level.value for level in levels]
        return await self.db.run(lambda: _graph(self.db.connection(), list(roots), wanted))


def _graph(conn: sqlite3.Connection, roots: list[str], levels: list[str]) -> ImplementationGraph:
    seen = set(roots)
    frontier = sorted(seen)
    links: list[Link] = []
    params = {"relations": relations_json(IMPLEMENTATION_RELATIONS), "levels": json.dumps(levels)}
    for _ in range(MAX_DEPTH):
        if not frontier:
            break
        step = [trusted_link(dict(r)) for r in conn.execute(STEP, params | {"frontier": json.dumps(frontier)})]
        links.extend(step)
        frontier = sorted({link.source for link in step} - seen)
        seen.update(frontier)
    rows = document_rows(conn, sorted(seen))
    documents = {key: trusted_document(row, Document) for key, row in rows.items()}
    return ImplementationGraph(links, documents)
