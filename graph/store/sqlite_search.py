"""SQLite part of the search capability (mixed into SqliteStore): recall through FTS5, ranking in graph.search."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

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
    candidate_cap,
    edit_variants,
    index_words,
    parse_query,
    pick_expansions,
    rank,
    recall_plan,
    settles,
    type_filter,
)

T = TypeVar("T")

_FILTERS = (
    "(:level IS NULL OR d.level = :level) AND (:jurisdiction IS NULL OR d.jurisdiction = :jurisdiction) "
    "AND (:type IS NULL OR lexgraph_fold(d.type) = :type)"
)
# The most recently indexed matches: FTS5 walks its index backwards and stops at the cap. Ordering
# by bm25 instead would read the whole document list of every query word to count the documents
# holding it, which for a word most documents hold ("so", "kh") costs tens of milliseconds at 1M.
_RECALL_TEXT = f"""
SELECT d.key FROM document_search m
JOIN document_search_text t ON t.id = m.rowid JOIN documents d ON d.key = t.key
WHERE document_search MATCH :match AND {_FILTERS}
ORDER BY m.rowid DESC LIMIT :cap
"""
# Ordered by the symbol index's own document column, so a symbol thousands of documents share
# ("4/KH-UBND": every district's) stops after the cap instead of sorting them all.
_RECALL_SYMBOL = f"""
SELECT s.document_key FROM document_symbols s JOIN documents d ON d.key = s.document_key
WHERE s.match_key = :match_key AND {_FILTERS}
ORDER BY s.document_key LIMIT :cap
"""
# Match keys are folded ASCII, so every key with the prefix sorts below prefix || U+10FFFF.
_RECALL_SYMBOL_PREFIX = f"""
SELECT d.key, min(s.match_key) AS first FROM document_symbols s JOIN documents d ON d.key = s.document_key
WHERE s.match_key >= :prefix AND s.match_key < :prefix || char(1114111) AND {_FILTERS}
GROUP BY d.key ORDER BY first, d.key LIMIT :cap
"""
_VOCABULARY = "SELECT term FROM document_search_vocabulary WHERE term IN (SELECT value FROM json_each(?))"


class SqliteSearch:
    """Search queries of the embedded store."""

    if TYPE_CHECKING:

        def _connection(self) -> sqlite3.Connection: ...

        async def _run(self, fn: Callable[..., T], *args: Any) -> T: ...

        def _documents_by_key(self, keys: Sequence[str]) -> dict[str, Document]: ...

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
        query = parse_query(text)
        if query is None:
            return []
        filters = SearchFilters(type_filter(type) if type else None, level.value if level else None, jurisdiction)
        return await self._run(self._search, query, filters, limit)

    def _search(self, query: SearchQuery, filters: SearchFilters, limit: int) -> list[SearchHit]:
        conn = self._connection()
        cap = candidate_cap(limit)
        keys = self._recall(conn, query, filters, cap, typos=False) or self._recall(
            conn, query, filters, cap, typos=True
        )
        return rank(query, self._documents_by_key(keys).values(), limit)

    def _recall(
        self, conn: sqlite3.Connection, query: SearchQuery, filters: SearchFilters, cap: int, *, typos: bool
    ) -> list[str]:
        params: dict[str, Any] = {
            "level": filters.level,
            "jurisdiction": filters.jurisdiction,
            "type": filters.type,
            "cap": cap,
        }
        keys: dict[str, None] = {}
        for recall in recall_plan(query, typos=typos):
            if isinstance(recall, SymbolRecall):
                rows = conn.execute(_RECALL_SYMBOL, params | {"match_key": recall.match_key})
            elif isinstance(recall, SymbolPrefixRecall):
                rows = conn.execute(_RECALL_SYMBOL_PREFIX, params | {"prefix": recall.prefix})
            else:
                rows = self._recall_text(conn, recall, params)
            found = [r[0] for r in rows]
            keys.update(dict.fromkeys(found))
            if settles(recall, len(found), cap):
                break
        return list(keys)

    def _recall_text(self, conn: sqlite3.Connection, recall: TextRecall, params: dict[str, Any]) -> list[tuple[str]]:
        """Keys of the most recent documents holding the words side by side, then of those holding
        them anywhere: the ones ranking puts first among equals, without scoring every match."""
        keys: dict[str, None] = {}
        for match in _fts_expressions(conn, recall):
            keys.update((row[0], None) for row in conn.execute(_RECALL_TEXT, params | {"match": match}))
            if len(keys) >= params["cap"]:
                break
        return [(key,) for key in list(keys)[: params["cap"]]]


def index_words_json(text: str | None) -> str | None:
    """SQL function ``lexgraph_words``: the words of indexed search text as a JSON array (for the vocabulary)."""
    return json.dumps(index_words(text)) if text is not None else None


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
    found = [r[0] for r in conn.execute(_VOCABULARY, (json.dumps(sorted(edit_variants(term.word))),))]
    return pick_expansions(term.word, found)
