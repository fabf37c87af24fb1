"""Accent-insensitive, symbol-aware document search."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.deps import DocumentsDep, SearchDep
from app.routes.effects import AsOf, InForce, StatusParam, hits_as_of
from app.routing import StrictJsonRoute
from app.schemas import SearchResults
from graph.models import Level, jurisdiction_key
from graph.search import DEFAULT_LIMIT, MAX_LIMIT, MAX_QUERY_LENGTH

router = APIRouter(route_class=StrictJsonRoute, tags=["search"])


@router.get("/search", response_model=SearchResults)
async def search(
    store: SearchDep,
    documents: DocumentsDep,
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
    as_of: AsOf = None,
    status: StatusParam = None,
    in_force: InForce = None,
) -> SearchResults:
    """Documents best matching ``q``: exact symbol, then symbol prefix, then title words (one typo tolerated).

    Each item carries ``score`` and ``highlight``: the title HTML-escaped, matched words in ``<mark>``.
    A query under two characters gives no items.
    """
    filtered = as_of is not None or status is not None or in_force is not None
    hits = await store.search(
        q,
        limit=MAX_LIMIT if filtered else limit,
        type=type or None,
        level=level,
        jurisdiction=jurisdiction_key(jurisdiction) if jurisdiction else None,
    )
    if filtered:
        hits = await hits_as_of(hits, documents, as_of, status, in_force)
    return SearchResults(items=hits[:limit])
