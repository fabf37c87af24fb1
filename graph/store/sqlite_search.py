"""SQLite part of the search capability (mixed into SqliteStore): recall through FTS5, ranking in graph.search."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from graph.models import Document, Level
from graph.search import (
    CANDIDATE_LIMIT,
    DEFAULT_LIMIT,
    SearchFilters,
    SearchHit,
    SearchQuery,
    SymbolPrefixRecall,
    SymbolRecall,
    TermMatch,
    TextRecall,
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
# Ordering matches by bm25 scores every one of them: worth it for up to this many matches. A query
# matching more ("về", "công tác") tells little by bm25, and takes the most recently indexed instead.
RANKED_MATCHES = 1000
_MATCHES = """
SELECT rowid, rank FROM document_search WHERE document_search MATCH :match ORDER BY rowid DESC LIMIT :probe
"""
_FILTERED_KEYS = f"""
SELECT t.id, d.key FROM document_search_text t JOIN documents d ON d.key = t.key
WHERE t.id IN (SELECT value FROM json_each(:ids)) AND {_FILTERS}
"""
_RECALL_TEXT_RECENT = f"""
SELECT d.key FROM document_search m
JOIN document_search_text t ON t.id = m.rowid JOIN documents d ON d.key = t.key
WHERE document_search MATCH :match AND {_FILTERS}
ORDER BY m.rowid DESC LIMIT :cap
"""
_RECALL_SYMBOL = f"""
SELECT d.key FROM document_symbols s JOIN documents d ON d.key = s.document_key
WHERE s.match_key = :match_key AND {_FILTERS}
ORDER BY d.key LIMIT :cap
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
        keys = self._recall(conn, query, filters, typos=False) or self._recall(conn, query, filters, typos=True)
        return rank(query, self._documents_by_key(keys).values(), limit)

    def _recall(self, conn: sqlite3.Connection, query: SearchQuery, filters: SearchFilters, *, typos: bool) -> list[str]:
        params: dict[str, Any] = {
            "level": filters.level,
            "jurisdiction": filters.jurisdiction,
            "type": filters.type,
            "cap": CANDIDATE_LIMIT,
        }
        keys: dict[str, None] = {}
        for recall in recall_plan(query, typos=typos):
            if isinstance(recall, SymbolRecall):
                rows = conn.execute(_RECALL_SYMBOL, params | {"match_key": recall.match_key})
            elif isinstance(recall, SymbolPrefixRecall):
                rows = conn.execute(_RECALL_SYMBOL_PREFIX, params | {"prefix": recall.prefix})
            else:
                match = _fts_expression(conn, recall)
                if match is None:
                    continue
                rows = self._recall_text(conn, match, params, unfiltered=filters == SearchFilters())
            found = [r[0] for r in rows]
            keys.update(dict.fromkeys(found))
            if settles(recall, len(found)):
                break
        return list(keys)


    def _recall_text(
        self, conn: sqlite3.Connection, match: str, params: dict[str, Any], *, unfiltered: bool
    ) -> Iterable[Sequence[Any]]:
        """Keys of the best full-text matches passing the filters: by bm25 when there are few matches
        (one pass over the index), else the most recently indexed."""
        matches = conn.execute(_MATCHES, {"match": match, "probe": RANKED_MATCHES + 1}).fetchall()
        if len(matches) > RANKED_MATCHES:
            return conn.execute(_RECALL_TEXT_RECENT, params | {"match": match})
        ranks = {row[0]: row[1] for row in matches}
        ids = sorted(ranks, key=ranks.__getitem__)[: CANDIDATE_LIMIT if unfiltered else None]
        found = conn.execute(_FILTERED_KEYS, params | {"ids": json.dumps(ids)}).fetchall()
        return [(key,) for _, key in sorted(found, key=lambda row: (ranks[row[0]], row[1]))[:CANDIDATE_LIMIT]]


def index_words_json(text: str | None) -> str | None:
    """SQL function ``lexgraph_words``: the words of indexed search text as a JSON array (for the vocabulary)."""
    return json.dumps(index_words(text)) if text is not None else None


def _fts_expression(conn: sqlite3.Connection, recall: TextRecall) -> str | None:
    """An FTS5 query requiring every term; ``None`` when a typo-tolerant word has no indexed variant."""
    parts = []
    for term in recall.terms:
        options = _expansions(conn, term) if term.typo else [term.word]
        alternatives = [f'"{w}"' for w in options] + ([f'"{term.word}"*'] if term.prefix else [])
        if not alternatives:
            return None
        parts.append(f"({' OR '.join(alternatives)})")
    return " AND ".join(parts)


def _expansions(conn: sqlite3.Connection, term: TermMatch) -> list[str]:
    found = [r[0] for r in conn.execute(_VOCABULARY, (json.dumps(sorted(edit_variants(term.word))),))]
    return pick_expansions(term.word, found)
