"""Search recall of the embedded store through FTS5; the flow and the ranking are graph.search_flow's."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from graph.models import Document, Level
from graph.ranking import RankedHit
from graph.search import (
    DEFAULT_LIMIT,
    RECALL_DEPTH,
    Candidate,
    NumberRecall,
    SearchAsk,
    SearchFilters,
    SearchHit,
    SearchQuery,
    SymbolPrefixRecall,
    SymbolRecall,
    TermMatch,
    TextRecall,
    edit_variants,
    pick_expansions,
    recall_plan,
    settles,
)
from graph.search_flow import run_ranking, search_page
from graph.stores.sqlite.db import SqliteRole
from graph.stores.sqlite.rows import (
    DOCUMENT_COLUMNS,
    data_version,
    document_json_rows,
    documents_by_key,
    primitive_rows,
)
from graph.text_search import TextHit, fts_expression, holds, parse_text_query, snippet
from graph.versioned_cache import VersionedCache

FILTERS = (
    "(:level IS NULL OR d.level = :level) AND (:jurisdiction IS NULL OR d.jurisdiction = :jurisdiction) "
    "AND (:type IS NULL OR lexgraph_fold(d.type) = :type) AND (:year IS NULL OR d.year = :year)"
)
# The most recently indexed matches: FTS5 walks its index backwards and stops at the cap. Ordering
# by bm25 instead would read the whole document list of every query word to count the documents
# holding it, which for a word most documents hold ("so", "kh") costs tens of milliseconds at 1M.
RECALL_TEXT = f"""
SELECT d.key FROM document_search m
JOIN document_search_text t ON t.id = m.rowid JOIN documents d ON d.key = t.key
WHERE document_search MATCH :match AND {FILTERS}
ORDER BY m.rowid DESC LIMIT :cap
"""
# Ordered by the symbol index's own document column, so a symbol thousands of documents share
# ("4/KH-UBND": every district's) stops after the cap instead of sorting them all.
RECALL_SYMBOL = f"""
SELECT s.document_key FROM document_symbols s JOIN documents d ON d.key = s.document_key
WHERE s.match_key = :match_key AND {FILTERS}
ORDER BY s.document_key LIMIT :cap
"""
# The spellings under a prefix ("7/KH-UB", typed on the way to a symbol) in the order of their index
# (V0019): by match key, newest first, then key. The reader keeps each document's first spelling and stops
# at the cap (_first_distinct), so a prefix thousands of documents share reads a page of rows, not all of
# them. Match keys are folded ASCII, so every key with the prefix sorts below prefix || U+10FFFF.
RECALL_SYMBOL_PREFIX = f"""
SELECT o.document_key FROM document_symbol_order o JOIN documents d ON d.key = o.document_key
WHERE o.match_key >= :prefix AND o.match_key < :prefix || char(1114111) AND {FILTERS}
ORDER BY o.match_key, o.sort_year DESC, o.document_key
"""
# Every document of a type and number (or of a number, any type), central first, the most cited first,
# read in that order from the index (migrations V0019, V0026): the depth taken is the first of the
# complete ranked list by number.
_RECALL_RANKED = """
SELECT r.document_key FROM document_ranks r JOIN documents d ON d.key = r.document_key
WHERE r.{column} = :number AND {filters}
ORDER BY r.central DESC, r.cited_by DESC, r.document_key LIMIT :cap
"""
RECALL_NUMBER = _RECALL_RANKED.format(column="type_number", filters=FILTERS)
RECALL_BARE_NUMBER = _RECALL_RANKED.format(column="bare_number", filters=FILTERS)
# The candidates' fields and link counts, by key.
CANDIDATES = (
    f"SELECT {DOCUMENT_COLUMNS}, coalesce(r.cited_by, 0) AS cited_by FROM documents d "
    "LEFT JOIN document_ranks r ON r.document_key = d.key WHERE d.key IN (SELECT value FROM json_each(?))"
)
# The texts holding every word, best (bm25) first; the text itself for the snippet.
RECALL_TEXTS = """
SELECT i.text_id, t.document_key, t.jurisdiction, t.text FROM source_text_search s
JOIN source_text_index i ON i.id = s.rowid JOIN source_texts t ON t.id = i.text_id
WHERE source_text_search MATCH :match ORDER BY s.rank LIMIT :cap
"""
# The rank triggers (migration V0019), set aside by a bulk first load like the search triggers, and
# what they would have done, for every document at once (graph.stores.sqlite.bulk ends a load with it).
RANK_DOCUMENT_TRIGGERS = (
    "document_ranks_insert",
    "document_ranks_update",
    "document_ranks_delete",
    "document_symbol_order_insert",
    "document_symbol_order_delete",
    "document_symbol_order_year",
)
RANK_LINK_TRIGGERS = ("document_ranks_link_insert", "document_ranks_link_delete", "document_ranks_link_update")
REBUILD_RANKS = (
    "DELETE FROM document_ranks WHERE document_key NOT IN (SELECT key FROM documents)",
    "INSERT OR REPLACE INTO document_ranks SELECT d.key, CASE WHEN d.type IS NOT NULL AND d.number IS NOT NULL "
    "THEN lexgraph_fold(d.type) || ' ' || ltrim(d.number, '0') END, coalesce(d.level = 'central', 0), "
    "coalesce(c.n, 0), ltrim(d.number, '0') FROM documents d "
    "LEFT JOIN (SELECT target, count(*) AS n FROM links GROUP BY target) c ON c.target = d.key",
    "DELETE FROM document_symbol_order",
    "INSERT INTO document_symbol_order SELECT s.match_key, coalesce(d.year, 0), s.document_key "
    "FROM document_symbols s JOIN documents d ON d.key = s.document_key",
)
VOCABULARY = "SELECT term FROM document_search_vocabulary WHERE term IN (SELECT value FROM json_each(?))"


class SqliteSearch(SqliteRole):
    """Search recall of the embedded store, and the rankings it keeps while its data is unchanged."""

    rankings: VersionedCache[SearchAsk, list[RankedHit]]

    async def search(
        self,
        text: str,
        *,
        limit: int = DEFAULT_LIMIT,
        type: str | None = None,
        level: Level | None = None,
        jurisdiction: str | None = None,
        year: int | None = None,
    ) -> list[SearchHit]:
        """Documents matching ``text``, best first (see :mod:`graph.search`)."""
        ranking = await self._ranking(SearchAsk(text, type, level, jurisdiction, year))
        return await search_page(ranking, limit, self._documents)

    async def search_json(self, ask: SearchAsk, *, limit: int = DEFAULT_LIMIT) -> list[str]:
        """The JSON of :meth:`search`'s hits, from the documents' JSON as stored."""
        page = (await self._ranking(ask))[:limit]
        documents = self.db.read_now(lambda: document_json_rows(self.db.connection(), [hit.key for hit in page]))
        return [hit.hit_json(documents[hit.key]["json"]) for hit in page if hit.key in documents]

    async def _ranking(self, ask: SearchAsk) -> list[RankedHit]:
        """The ranking of ``ask``: held since the data last changed, or made now."""
        version = self.db.read_now(data_version, self.db.connection())
        ranking = self.rankings.get(ask, version)
        if ranking is None:
            ranking = await run_ranking(self.recall, ask)
            self.rankings.put(ask, version, ranking)
        return ranking

    async def _documents(self, keys: list[str]) -> dict[str, Document]:
        return self.db.read_now(lambda: documents_by_key(self.db.connection(), keys))

    async def recall(self, query: SearchQuery, filters: SearchFilters, cap: int, typos: bool) -> list[Candidate]:
        """The candidates of every recall of the plan, up to a settling one (see graph.search.settles)."""

        def recall() -> list[Candidate]:
            conn = self.db.connection()
            keys = _recall_keys(conn, query, filters, cap, typos=typos)
            rows = primitive_rows(conn, CANDIDATES, (json.dumps(keys),))
            return [Candidate.of(row, row["cited_by"]) for row in rows]

        # At most ``cap`` candidates by index reads: bounded, so read on the loop's thread (see SqliteDb.read_now).
        return self.db.read_now(recall)

    async def search_texts(self, text: str, *, limit: int = DEFAULT_LIMIT) -> list[TextHit]:
        """Stored texts holding every word of ``text``, best first, each with a marked snippet."""
        query = parse_text_query(text)
        if query is None:
            return []
        params = {"match": fts_expression(query), "cap": RECALL_DEPTH}

        def read() -> list[TextHit]:
            rows = self.db.connection().execute(RECALL_TEXTS, params).fetchall()
            kept = [r for r in rows if holds(query, r[3])][:limit]
            return [
                TextHit(text_id=r[0], document_key=r[1], jurisdiction=r[2], snippet=snippet(query, r[3])) for r in kept
            ]

        return await self.db.run(read)


def rebuild_ranks(tx: sqlite3.Connection) -> None:
    """Recount every document's rank row in one pass: the end of a bulk load that set the triggers aside."""
    for statement in REBUILD_RANKS:
        tx.execute(statement)


def _recall_keys(
    conn: sqlite3.Connection, query: SearchQuery, filters: SearchFilters, cap: int, *, typos: bool
) -> list[str]:
    params: dict[str, Any] = filters.params() | {"cap": cap}
    keys: dict[str, None] = {}
    for recall in recall_plan(query, typos=typos):
        rows: Iterable[Sequence[Any]]
        if isinstance(recall, SymbolRecall):
            rows = conn.execute(RECALL_SYMBOL, params | {"match_key": recall.match_key})
        elif isinstance(recall, SymbolPrefixRecall):
            rows = _first_distinct(conn.execute(RECALL_SYMBOL_PREFIX, params | {"prefix": recall.prefix}), cap)
        elif isinstance(recall, NumberRecall) and recall.type_number is None:
            rows = conn.execute(RECALL_BARE_NUMBER, params | {"number": recall.number})
        elif isinstance(recall, NumberRecall):
            rows = conn.execute(RECALL_NUMBER, params | {"number": recall.type_number})
        else:
            rows = _recall_text(conn, recall, params)
        found = [r[0] for r in rows]
        keys.update(dict.fromkeys(found))
        if settles(recall, len(found), cap):
            break
    return list(keys)


def _first_distinct(rows: Iterable[Sequence[Any]], cap: int) -> list[tuple[str]]:
    """The first ``cap`` distinct keys of ``rows``, in their order, reading no row past the last one kept."""
    keys: dict[str, None] = {}
    for row in rows:
        keys.setdefault(row[0])
        if len(keys) == cap:
            break
    return [(key,) for key in keys]


def _recall_text(conn: sqlite3.Connection, recall: TextRecall, params: dict[str, Any]) -> list[tuple[str]]:
    """Keys of the most recent documents holding the words side by side, then of those holding
    them anywhere: the ones ranking puts first among equals, without scoring every match."""
    keys: dict[str, None] = {}
    for match in _fts_expressions(conn, recall):
        keys.update((row[0], None) for row in conn.execute(RECALL_TEXT, params | {"match": match}))
        if len(keys) >= params["cap"]:
            break
    return [(key,) for key in list(keys)[: params["cap"]]]


def _fts_expressions(conn: sqlite3.Connection, recall: TextRecall) -> list[str]:
    """FTS5 queries requiring every term: as a phrase first when there are several exact words, then
    anywhere; none when a typo-tolerant word has no indexed variant."""
    parts = []
    for term in recall.terms:
        options = _expansions(conn, term) if term.typo else [term.word]
        # A prefix query holds its word too: "so"* alone, not "so" OR "so"*, which merges two lists.
        alternatives = [f'"{w}"' for w in options if not (term.prefix and w == term.word)]
        alternatives += [f'"{term.word}"*'] if term.prefix else []
        if not alternatives:
            return []
        parts.append(f"({' OR '.join(alternatives)})")
    anywhere = " AND ".join(parts)
    if len(recall.terms) < 2 or any(term.typo for term in recall.terms):
        return [anywhere]
    phrase = " ".join(term.word for term in recall.terms)
    return [f'"{phrase}"' + ("*" if recall.terms[-1].prefix else ""), anywhere]


def _expansions(conn: sqlite3.Connection, term: TermMatch) -> list[str]:
    found = [r[0] for r in conn.execute(VOCABULARY, (json.dumps(sorted(edit_variants(term.word))),))]
    return pick_expansions(term.word, found)
