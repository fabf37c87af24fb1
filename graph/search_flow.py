"""The search use case, written once: parse, recall (the store's part), rank and highlight."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from graph.models import Level
from graph.ranking import rank
from graph.search import (
    RECALL_DEPTH,
    TYPO_RECALL_DEPTH,
    Candidate,
    SearchFilters,
    SearchHit,
    SearchQuery,
    parse_query,
    type_filter,
)

# A store's recall: the candidate documents of a query under filters, at most ``depth`` per recall of
# the plan, with typo-tolerant words expanded or not.
Recall = Callable[[SearchQuery, SearchFilters, int, bool], Awaitable[list[Candidate]]]


async def run_search(
    recall: Recall,
    text: str,
    *,
    limit: int,
    type: str | None = None,
    level: Level | None = None,
    jurisdiction: str | None = None,
    year: int | None = None,
) -> list[SearchHit]:
    """Documents matching ``text``, best first; typo tolerance only when the exact recall finds nothing.

    Every recall fetches the same number of candidates whatever ``limit`` is, and the page is cut
    from their ranking: a smaller page is a prefix of a larger one.
    """
    query = parse_query(text)
    if query is None:
        return []
    filters = SearchFilters(type_filter(type) if type else None, level.value if level else None, jurisdiction, year)
    candidates = await recall(query, filters, RECALL_DEPTH, False) or await recall(
        query, filters, TYPO_RECALL_DEPTH, True
    )
    return rank(query, candidates, limit, central_first=jurisdiction is None)
