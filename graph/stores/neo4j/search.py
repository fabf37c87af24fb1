"""Search recall of the Neo4j store through its full-text index; the flow and the ranking are graph.search_flow's."""

from __future__ import annotations

from typing import Any

from graph.models import Document, Level
from graph.search import (
    DEFAULT_LIMIT,
    SearchFilters,
    SearchHit,
    SearchQuery,
    SymbolPrefixRecall,
    SymbolRecall,
    TextRecall,
    recall_plan,
)
from graph.search_flow import run_search
from graph.stores.neo4j.cypher import DOCUMENT_FIELDS
from graph.stores.neo4j.db import Neo4jRole

_FILTERS = """($level IS NULL OR d.level = $level) AND ($jurisdiction IS NULL OR d.jurisdiction = $jurisdiction)
  AND ($type IS NULL OR d.type_folded = $type)"""
# One round trip per search: the recalls of a plan (graph.search.recall_plan) and the found
# documents' fields (not their search text), in one record (the driver reads each record apart). An
# exact symbol held by a full candidate list settles the search (graph.search.settles): the later
# recalls are skipped. The documents of an exact symbol are taken unsorted: sorting the thousands
# sharing one ("5/KH-UBND") reads a property of each, and they all rank in one tier, ordered by
# graph.ranking.rank. Without filters, Lucene itself keeps only the best $cap hits ($options); a filter
# applies to them all first.
SEARCH = f"""
CALL () {{
  MATCH (:SymbolKey {{key: $match_key}})-[:SPELLS]->(d:Document)
  WHERE {_FILTERS}
  WITH d LIMIT $cap
  RETURN collect(d) AS exact
}}
CALL (exact) {{
  MATCH (s:SymbolKey)-[:SPELLS]->(d:Document)
  WHERE size(exact) < $cap AND s.key STARTS WITH $prefix AND {_FILTERS}
  WITH d, min(s.key) AS first ORDER BY first, d.key LIMIT $cap
  RETURN collect(d) AS prefixed
}}
CALL (exact) {{
  UNWIND CASE WHEN size(exact) < $cap THEN $texts ELSE [] END AS text
  CALL (text) {{
    CALL db.index.fulltext.queryNodes('document_search', text, $options) YIELD node AS d, score
    WHERE {_FILTERS}
    RETURN d ORDER BY score DESC, d.key LIMIT $cap
  }}
  RETURN collect(d) AS matched
}}
UNWIND exact + prefixed + matched AS d
WITH DISTINCT d
RETURN collect(d {DOCUMENT_FIELDS}) AS documents
"""


class Neo4jSearch(Neo4jRole):
    """Search recall of the Neo4j store."""

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
        """The candidates of every recall of the plan, in one query."""
        params: dict[str, Any] = {
            "level": filters.level,
            "jurisdiction": filters.jurisdiction,
            "type": filters.type,
            "cap": cap,
            "options": {"limit": cap} if filters == SearchFilters() else {},
            "match_key": None,
            "prefix": None,
            "texts": [],
        }
        for recall in recall_plan(query, typos=typos):
            if isinstance(recall, SymbolRecall):
                params["match_key"] = recall.match_key
            elif isinstance(recall, SymbolPrefixRecall):
                params["prefix"] = recall.prefix
            else:
                params["texts"].append(_lucene_expression(recall))
        [record] = await self.db.read(SEARCH, **params)
        return [Document.model_validate({k: v for k, v in doc.items() if v is not None}) for doc in record["documents"]]


def _lucene_expression(recall: TextRecall) -> str:
    """A Lucene query requiring every term. Words are letters and digits only, so need no escaping;
    a typo-tolerant word uses Lucene's own edit-distance-1 expansion, the same distance as
    :func:`graph.search.within_one_edit`."""
    parts = []
    for term in recall.terms:
        # A prefix query holds its word too: "so*" alone, not "so OR so*", which merges two lists.
        alternatives = [f"{term.word}~1"] if term.typo else [] if term.prefix else [term.word]
        alternatives += [f"{term.word}*"] if term.prefix else []
        parts.append(f"({' OR '.join(alternatives)})")
    return " AND ".join(parts)
