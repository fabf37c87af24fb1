"""Search recall of the Neo4j store through its full-text index; the flow and the ranking are graph.search_flow's."""

from __future__ import annotations

from typing import Any

from graph.models import Document, Level
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
    TextRecall,
    recall_plan,
)
from graph.search_flow import run_search
from graph.stores.neo4j.cypher import ALL_RELATIONS, DOCUMENT_FIELDS
from graph.stores.neo4j.db import Neo4jRole
from graph.stores.neo4j.rows import documents_by_key
from graph.text_search import TextHit, holds, lucene_expression, parse_text_query, snippet

_FILTERS = """($level IS NULL OR d.level = $level) AND ($jurisdiction IS NULL OR d.jurisdiction = $jurisdiction)
  AND ($type IS NULL OR d.type_folded = $type) AND ($year IS NULL OR d.year = $year)"""
# How many links point at a document: its degree, which Neo4j keeps with each relationship write.
_CITED_BY = f"COUNT {{ (d)<-[:{ALL_RELATIONS}]-() }}"
# A stored number may carry leading zeros ("04"): the number is looked up in each spelling.
NUMBER_SPELLINGS = 4
# The documents of a type and number (index V0019 on type, number and level), or of a bare number
# (V0026 on number and level): the central ones all,
# by degree; of the others ("KH 1": a fifth of a national graph) the first $cap in index order,
# since ordering them by degree would read every one. SQLite keeps a counter in its index instead.
LOCAL_LEVELS = [level.value for level in Level if level != Level.central]
# One round trip per search: the recalls of a plan (graph.search.recall_plan) and the found
# documents' fields (not their search text), in one record (the driver reads each record apart). An
# exact symbol held by a full candidate list settles the search (graph.search.settles): the later
# recalls are skipped. The documents of an exact symbol are taken unsorted: sorting the thousands
# sharing one ("5/KH-UBND") reads a property of each, and they all rank in one tier, ordered by
# graph.ranking.rank. A symbol prefix ("7/KH-UB", typed on the way to a symbol) reads the spellings' order
# index (V0027): its documents by their first matching spelling, newest first, stopping at $cap, as SQLite
# does. Without filters, Lucene itself keeps only the best $cap hits ($options); a filter applies to them all
# first. A last word that may be typed half-way ("triển kh") is first matched as the whole word: Lucene stops
# early on a query of whole words, by its score bounds, but must score every match of a prefix query ("kế
# hoạch triển khai*": 206,874 matches, 25 ms at 1M, against 7.5 ms for the whole word), so the prefix is
# asked only when whole words find fewer than $cap. Not for a query naming a number ("NQ 103"): there the
# prefix query alone, whose Lucene order favours the words, recalls documents the ranking scores higher
# (a third of the first pages of such queries changed, below the central documents).


def _search(numbered: str) -> str:
    """The search query whose number recalls find their documents by ``numbered`` (a type and a number, or
    a bare number: index V0026 on number and level)."""
    return f"""
CALL () {{
  MATCH (:SymbolKey {{key: $match_key}})-[:SPELLS]->(d:Document)
  WHERE {_FILTERS}
  WITH d LIMIT $cap
  RETURN collect(d) AS exact
}}
CALL (exact) {{
  UNWIND CASE WHEN size(exact) < $cap THEN [$prefix] ELSE [] END AS prefix
  CALL (prefix) {{
    MATCH ()-[s:SPELLS]->(d:Document) USING INDEX SEEK s:SPELLS(order)
    WHERE s.order STARTS WITH prefix AND {_FILTERS}
    WITH d ORDER BY s.order
    WITH DISTINCT d LIMIT $cap
    RETURN d
  }}
  RETURN collect(d) AS prefixed
}}
CALL (exact) {{
  UNWIND CASE WHEN size(exact) < $cap THEN $numbers ELSE [] END AS number
  MATCH (d:Document)
  WHERE {numbered} AND d.level = 'central' AND {_FILTERS}
  WITH d, {_CITED_BY} AS cited_by ORDER BY cited_by DESC, d.key LIMIT $cap
  RETURN collect(d) AS central
}}
CALL (exact, central) {{
  UNWIND CASE WHEN size(exact) < $cap AND size(central) < $cap THEN $numbers ELSE [] END AS number
  MATCH (d:Document)
  WHERE {numbered} AND d.level IN $local_levels AND {_FILTERS}
  WITH d LIMIT $cap
  RETURN collect(d) AS local
}}
WITH exact, prefixed, central + local AS numbered
CALL (exact, numbered) {{
  UNWIND CASE WHEN size(exact) < $cap AND size(numbered) < $cap THEN $texts ELSE [] END AS text
  CALL (text) {{
    CALL db.index.fulltext.queryNodes('document_search', text.first, $options) YIELD node AS d, score
    WHERE {_FILTERS}
    WITH d ORDER BY score DESC, d.key LIMIT $cap
    RETURN collect(d) AS first
  }}
  CALL (text, first) {{
    UNWIND CASE WHEN size(first) < $cap AND text.fallback IS NOT NULL THEN [text.fallback] ELSE [] END AS fallback
    CALL db.index.fulltext.queryNodes('document_search', fallback, $options) YIELD node AS d, score
    WHERE {_FILTERS}
    WITH d ORDER BY score DESC, d.key LIMIT $cap
    RETURN collect(d) AS extended
  }}
  UNWIND first + extended AS d
  WITH DISTINCT d LIMIT $cap
  RETURN collect(d) AS matched
}}
UNWIND exact + prefixed + numbered + matched AS d
WITH DISTINCT d
RETURN collect({{document: d {DOCUMENT_FIELDS}, cited_by: {_CITED_BY}}}) AS candidates
"""


SEARCH = _search("d.type_folded = $type_name AND d.number = number")
SEARCH_BY_BARE_NUMBER = _search("d.number = number")


SEARCH_TEXTS = """
CALL db.index.fulltext.queryNodes('source_text_search', $match, {limit: $cap}) YIELD node AS t, score
RETURN t.id AS id, t.document_key AS document_key, t.jurisdiction AS jurisdiction, t.text AS text
ORDER BY score DESC, id
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
        year: int | None = None,
    ) -> list[SearchHit]:
        """Documents matching ``text``, best first (see :mod:`graph.search`)."""
        return await run_search(self.recall, self._documents, SearchAsk(text, type, level, jurisdiction, year), limit)

    async def search_json(self, ask: SearchAsk, *, limit: int = DEFAULT_LIMIT) -> list[str]:
        """The JSON of :meth:`search`'s hits."""
        return [hit.model_dump_json() for hit in await run_search(self.recall, self._documents, ask, limit)]

    async def _documents(self, keys: list[str]) -> dict[str, Document]:
        return await documents_by_key(self.db, keys)

    async def recall(self, query: SearchQuery, filters: SearchFilters, cap: int, typos: bool) -> list[Candidate]:
        """The candidates of every recall of the plan, in one query."""
        params: dict[str, Any] = filters.params() | {
            "cap": cap,
            "options": {"limit": cap} if filters == SearchFilters() else {},
            "match_key": None,
            "prefix": None,
            "type_name": None,
            "numbers": [],
            "local_levels": LOCAL_LEVELS,
            "texts": [],
        }
        statement = SEARCH
        for recall in recall_plan(query, typos=typos):
            if isinstance(recall, SymbolRecall):
                params["match_key"] = recall.match_key
            elif isinstance(recall, SymbolPrefixRecall):
                params["prefix"] = recall.prefix
            elif isinstance(recall, NumberRecall):
                statement = SEARCH if recall.type_name is not None else SEARCH_BY_BARE_NUMBER
                params["type_name"] = recall.type_name
                params["numbers"] = ["0" * zeros + recall.number for zeros in range(NUMBER_SPELLINGS)]
            else:
                params["texts"].append(_lucene_queries(recall, whole_first=query.number is None))
        [record] = await self.db.read(statement, **params)
        return [
            Candidate.of({k: v for k, v in c["document"].items() if v is not None}, c["cited_by"])
            for c in record["candidates"]
        ]

    async def search_texts(self, text: str, *, limit: int = DEFAULT_LIMIT) -> list[TextHit]:
        """Stored texts holding every word of ``text``, best first, each with a marked snippet."""
        query = parse_text_query(text)
        if query is None:
            return []
        records = await self.db.read(SEARCH_TEXTS, match=lucene_expression(query), cap=RECALL_DEPTH)
        kept = [r for r in records if holds(query, r["text"])][:limit]
        return [
            TextHit(
                text_id=r["id"],
                document_key=r["document_key"],
                jurisdiction=r["jurisdiction"],
                snippet=snippet(query, r["text"]),
            )
            for r in kept
        ]


def _lucene_queries(recall: TextRecall, *, whole_first: bool) -> dict[str, str | None]:
    """The recall as Lucene queries requiring every term: ``first``, and ``fallback`` (or None), asked only when
    ``first`` finds too few. With ``whole_first``, a recall with a prefix word asks for it whole first."""
    prefixed = _lucene_query(recall, prefixes=True)
    if not whole_first or not any(term.prefix for term in recall.terms):
        return {"first": prefixed, "fallback": None}
    return {"first": _lucene_query(recall, prefixes=False), "fallback": prefixed}


def _lucene_query(recall: TextRecall, *, prefixes: bool) -> str:
    """Words are letters and digits only, so need no escaping; a typo-tolerant word uses Lucene's own
    edit-distance-1 expansion, the same distance as :func:`graph.search.within_one_edit`."""
    parts = []
    for term in recall.terms:
        prefix = prefixes and term.prefix
        # A prefix query holds its word too: "so*" alone, not "so OR so*", which merges two lists.
        alternatives = [f"{term.word}~1"] if term.typo else [] if prefix else [term.word]
        alternatives += [f"{term.word}*"] if prefix else []
        parts.append(f"({' OR '.join(alternatives)})")
    return " AND ".join(parts)
