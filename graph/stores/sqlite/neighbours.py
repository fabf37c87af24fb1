"""The links touching a batch of documents, for the chain search of :mod:`graph.paths`: one query a batch."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from graph.clock import iso_day
from graph.models import Link, LinkDirection, Relation, View
from graph.stores.sqlite.db import SqliteRole
from graph.stores.sqlite.rows import LINK_COLUMNS, LINK_FROM, link_from_row, relations_json

# A document is seen on :as_of when issued by then (its date, else its year; undated ones always).
ISSUED_BY = "coalesce({end}.date <= :as_of, {end}.year <= :year, 1)"
SEEN_ON_DAY = f"(:as_of IS NULL OR ({ISSUED_BY.format(end='s')} AND {ISSUED_BY.format(end='t')}))"
# Links from (out) or to (in) the batch, over the primary key and links_target.
FROM_BATCH = (
    f"SELECT {LINK_COLUMNS} FROM {LINK_FROM} WHERE l.source IN (SELECT value FROM json_each(:keys)) "
    f"AND l.relation IN (SELECT value FROM json_each(:relations)) AND {SEEN_ON_DAY}"
)
TO_BATCH = (
    f"SELECT {LINK_COLUMNS} FROM {LINK_FROM} WHERE l.target IN (SELECT value FROM json_each(:keys)) "
    f"AND l.relation IN (SELECT value FROM json_each(:relations)) AND {SEEN_ON_DAY}"
)
NEIGHBOUR_QUERIES = {
    LinkDirection.out: FROM_BATCH,
    LinkDirection.in_: TO_BATCH,
    LinkDirection.both: f"{FROM_BATCH} UNION ALL {TO_BATCH}",
}


class SqliteNeighbours(SqliteRole):
    """The neighbour function of the embedded store."""

    async def neighbours(
        self, keys: Sequence[str], *, direction: LinkDirection, relations: Sequence[Relation], view: View
    ) -> list[Link]:
        if not keys or not relations:
            return []
        return await self.db.run(self._neighbours, list(keys), direction, relations, view)

    def _neighbours(
        self, keys: list[str], direction: LinkDirection, relations: Sequence[Relation], view: View
    ) -> list[Link]:
        conn = self.db.connection()
        params: dict[str, Any] = {
            "keys": json.dumps(keys),
            "relations": relations_json(relations),
            "as_of": iso_day(view.as_of),
            "year": view.as_of.year if view.as_of else None,
        }
        return _seen(conn.execute(NEIGHBOUR_QUERIES[direction], params), view)


def _seen(rows: Iterable[sqlite3.Row], view: View) -> list[Link]:
    """The links of ``rows`` whose review state the view counts, each once (a link within the batch comes
    from both ends)."""
    found: dict[tuple[str, str, str], Link] = {}
    for row in rows:
        link = link_from_row(row)
        if view.review.counts(link.review):
            found.setdefault((link.source, link.relation.value, link.target), link)
    return list(found.values())
