"""Neo4j part of the search capability (mixed into Neo4jStore): recall through the full-text index, ranking in graph.search."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from graph.models import Document, Level
from graph.search import (
    CANDIDATE_LIMIT,
    DEFAULT_LIMIT,
    SearchFilters,
    SearchHit,
    SearchQuery,
    SymbolPrefixRecall,
    SymbolRecall,
    TextRecall,
    parse_query,
    rank,
    recall_plan,
    settles,
    type_filter,
)

if TYPE_CHECKING:
    import neo4j

_FILTERS = """($level IS NULL OR d.level = $level) AND ($jurisdiction IS NULL OR d.jurisdiction = $jurisdiction)
  AND ($type IS NULL OR d.type_folded = $type)"""
RECALL_TEXT = f"""
CALL db.index.fulltext.queryNodes('document_search', $query) YIELD node AS d, score
WHERE {_FILTERS}
RETURN d.key AS key
ORDER BY score DESC, key
LIMIT $cap
"""
RECALL_SYMBOL = f"""
MATCH (:SymbolKey {{key: $match_key}})-[:SPELLS]->(d:Document)
WHERE {_FILTERS}
RETURN d.key AS key
ORDER BY key
LIMIT $cap
"""

RECALL_SYMBOL_PREFIX = f"""
MATCH (s:SymbolKey) WHERE s.key STARTS WITH $prefix
MATCH (s)-[:SPELLS]->(d:Document)
WHERE {_FILTERS}
RETURN d.key AS key, min(s.key) AS first
ORDER BY first, key
LIMIT $cap
"""


class Neo4jSearch:
    """Search queries of the Neo4j store."""

    if TYPE_CHECKING:

        async def _read(self, query: str, /, **params: Any) -> list[neo4j.Record]: ...

        async def _documents_by_key(self, keys: Sequence[str]) -> dict[str, Document]: ...

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
        keys = await self._recall(query, filters, typos=False) or await self._recall(query, filters, typos=True)
        return rank(query, (await self._documents_by_key(keys)).values(), limit)

    async def _recall(self, query: SearchQuery, filters: SearchFilters, *, typos: bool) -> list[str]:
        params = {"level": filters.level, "jurisdiction": filters.jurisdiction, "type": filters.type, "cap": CANDIDATE_LIMIT}
        keys: dict[str, None] = {}
        for recall in recall_plan(query, typos=typos):
            if isinstance(recall, SymbolRecall):
                records = await self._read(RECALL_SYMBOL, match_key=recall.match_key, **params)
            elif isinstance(recall, SymbolPrefixRecall):
                records = await self._read(RECALL_SYMBOL_PREFIX, prefix=recall.prefix, **params)
            else:
                records = await self._read(RECALL_TEXT, query=_lucene_expression(recall), **params)
            keys.update(dict.fromkeys(r["key"] for r in records))
            if settles(recall, len(records)):
                break
        return list(keys)


def _lucene_expression(recall: TextRecall) -> str:
    """A Lucene query requiring every term. Words are letters and digits only, so need no escaping;
    a typo-tolerant word uses Lucene's own edit-distance-1 expansion, the same distance as
    :func:`graph.search.within_one_edit`."""
    parts = []
    for term in recall.terms:
        alternatives = [f"{term.word}~1" if term.typo else term.word] + ([f"{term.word}*"] if term.prefix else [])
        parts.append(f"({' OR '.join(alternatives)})")
    return " AND ".join(parts)
