"""Search recall of the embedded store through FTS5; the flow and the ranking are graph.search_flow's."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from graph.models import Document, Level
from graph.search import (
    DEFAULT_LIMIT,
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
from graph.search_flow import run_search
from graph.stores.sqlite.db import SqliteRole
from graph.stores.sqlite.rows import documents_by_key

FILTERS = (
    "(:level IS NULL OR d.level = :level) AND (:jurisdiction IS NULL OR d.jurisdiction = :jurisdiction) "
    "AND (:type IS NULL OR lexgraph_fold(d.type) = :type)"
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
# Match keys are folded ASCII, so every key with the prefix sorts below prefix || U+10FFFF.
RECALL_SYMBOL_PREFIX = f"""
SELECT d.key, min(s.match_key) AS first FROM document_symbols s JOIN documents d ON d.key = s.document_key
WHERE s.match_key >= :prefix AND s.match_key < :prefix || char(1114111) AND {FILTERS}
GROUP BY d.key ORDER BY first, d.key LIMIT :cap
"""
VOCABULARY = "SELECT term FROM document_search_vocabulary WHERE term IN (SELECT value FROM json_each(?))"


class SqliteSearch(SqliteRole):
    """Search recall of the embedded store."""

    async def search(
        self,
        text: str,
        *,
        limit: int = DEFAULT_LIMIT,
        type: str | None = None,
        level: Level | None = None,
        jurisdiction: str | None = None,
    ) -> list[SearchHit]:
        """Documents matching ``text``, best first (see :mod:`graph.search`)."""
        return await run_search(self.recall, text, limit=limit, type=type, level=level, jurisdiction=jurisdiction)

    async def recall(self, query: SearchQuery, filters: SearchFilters, cap: int, typos: bool) -> list[Document]:
        """The candidates of every recall of the plan, up to a settling one (see graph.search.settles)."""

        def recall() -> list[Document]:
            conn = self.db.connection()
            keys = _recall_keys(conn, query, filters, cap, typos=typos)
            return list(documents_by_key(conn, keys).values())

        return await self.db.run(recall)


def _recall_keys(
    conn: sqlite3.Connection, query: SearchQuery, filters: SearchFilters, cap: int, *, typos: bool
) -> list[str]:
    params: dict[str, Any] = {
        "level": filters.level,
        "jurisdiction": filters.jurisdiction,
        "type": filters.type,
        "cap": cap,
    }
    keys: dict[str, None] = {}
    for recall in recall_plan(query, typos=typos):
        rows: Iterable[Sequence[Any]]
        if isinstance(recall, SymbolRecall):
            rows = conn.execute(RECALL_SYMBOL, params | {"match_key": recall.match_key})
        elif isinstance(recall, SymbolPrefixRecall):
            rows = conn.execute(RECALL_SYMBOL_PREFIX, params | {"prefix": recall.prefix})
        else:
            rows = _recall_text(conn, recall, params)
        found = [r[0] for r in rows]
        keys.update(dict.fromkeys(found))
        if settles(recall, len(found), cap):
            break
    return list(keys)


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
