"""The search use case, written once: parse, recall (the store's part), rank and highlight."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence

from graph.models import Document
from graph.ranking import RankedHit, ranked
from graph.search import (
    MAX_LIMIT,
    RECALL_DEPTH,
    TYPO_RECALL_DEPTH,
    Candidate,
    SearchAsk,
    SearchFilters,
    SearchHit,
    SearchQuery,
    parse_query,
    type_filter,
)

# A store's recall: the candidate documents of a query under filters, at most ``depth`` per recall of
# the plan, with typo-tolerant words expanded or not.
Recall = Callable[[SearchQuery, SearchFilters, int, bool], Awaitable[list[Candidate]]]
# A store's documents by key, as stored now (absent keys left out).
DocumentsByKey = Callable[[list[str]], Awaitable[Mapping[str, Document]]]
# Searches whose rankings a store keeps by default: up to 50 hits each with their titles, 19 KB a ranking on the 1M
# bench's mix (4.8 MB for 256, measured with sys.getsizeof over the kept hits).
SEARCH_RANKINGS = 256


async def run_search(recall: Recall, documents: DocumentsByKey, ask: SearchAsk, limit: int) -> list[SearchHit]:
    """Documents matching the query, best first: :func:`run_ranking`'s first ``limit``, read whole."""
    return await search_page(await run_ranking(recall, ask), limit, documents)


async def search_page(ranking: Sequence[RankedHit], limit: int, documents: DocumentsByKey) -> list[SearchHit]:
    """The first ``limit`` hits of a ranking with their documents as stored now (a document deleted since the
    ranking was read is left out, as a later ranking would leave it)."""
    page = ranking[:limit]
    found = await documents([hit.key for hit in page])
    return [hit.hit(found[hit.key]) for hit in page if hit.key in found]


async def run_ranking(recall: Recall, ask: SearchAsk) -> list[RankedHit]:
    """The first :data:`MAX_LIMIT` hits of ``ask``, best first, without their documents; typo tolerance only when
    the exact recall finds nothing.

    Every recall fetches the same number of candidates whatever the page size is, and a page is cut from their
    ranking: a smaller page is a prefix of a larger one.
    """
    found = await _recalled(recall, ask)
    return ranked(*found, central_first=ask.jurisdiction is None)[:MAX_LIMIT] if found else []


async def _recalled(recall: Recall, ask: SearchAsk) -> tuple[SearchQuery, list[Candidate]] | None:
    query = parse_query(ask.text)
    if query is None:
        return None
    filters = SearchFilters(
        type_filter(ask.type) if ask.type else None, ask.level.value if ask.level else None, ask.jurisdiction, ask.year
    )
    candidates = await recall(query, filters, RECALL_DEPTH, False) or await recall(
        query, filters, TYPO_RECALL_DEPTH, True
    )
    return query, candidates
