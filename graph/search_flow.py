"""The search use case, written once: parse, recall (the store's part), rank and highlight."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from graph.models import Document, Level
from graph.ranking import rank
from graph.search import SearchFilters, SearchHit, SearchQuery, candidate_cap, parse_query, type_filter

# A store's recall: the candidate documents of a query under filters, at most about ``cap`` per
# recall of the plan, with typo-tolerant words expanded or not.
Recall = Callable[[SearchQuery, SearchFilters, int, bool], Awaitable[list[Document]]]


async def run_search(
    recall: Recall,
    text: str,
    *,
    limit: int,
    type: str | None = None,
    level: Level | None = None,
    jurisdiction: str | None = None,
) -> list[SearchHit]:
    """Documents matching ``text``, best first; typo tolerance only when the exact recall finds nothing."""
    query = parse_query(text)
    if query is None:
        return []
    filters = SearchFilters(type_filter(type) if type else None, level.value if level else None, jurisdiction)
    cap = candidate_cap(limit)
    documents = await recall(query, filters, cap, False) or await recall(query, filters, cap, True)
    return rank(query, documents, limit)
