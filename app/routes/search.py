"""Accent-insensitive, symbol-aware document search."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.deps import SearchDep
from app.routing import StrictJsonRoute
from app.schemas import SearchResults
from graph.models import Level, jurisdiction_key
from graph.search import DEFAULT_LIMIT, MAX_LIMIT, MAX_QUERY_LENGTH

router = APIRouter(route_class=StrictJsonRoute, tags=["search"])


@router.get("/search", response_model=SearchResults)
async def search(
    store: SearchDep,
    q: Annotated[
        str,
        Query(
            max_length=MAX_QUERY_LENGTH,
            description="symbol (25-NQ/TW, nq 25, KL43, nghị quyết 25) or title words, with or without accents",
        ),
    ] = "",
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    type: Annotated[str | None, Query(max_length=80, description="type name or code: Nghị quyết, NQ")] = None,
    level: Level | None = None,
    jurisdiction: Annotated[
        str | None, Query(max_length=200, description="a unit key or name: thanh-hoa, Thanh Hóa")
    ] = None,
) -> SearchResults:
    """Documents best matching ``q``: exact symbol, then symbol prefix, then title words (one typo tolerated).

    Each item carries ``score`` and ``highlight``: the title HTML-escaped, matched words in ``<mark>``.
    A query under two characters gives no items.
    """
    hits = await store.search(
        q,
        limit=limit,
        type=type or None,
        level=level,
        jurisdiction=jurisdiction_key(jurisdiction) if jurisdiction else None,
    )
    return SearchResults(items=hits)
