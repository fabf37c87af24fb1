"""Accent-insensitive, symbol-aware document search, and full-text search of stored texts."""

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from app.deps import KEY_FOR_SOME_USES, DocumentsDep, KeyCheckDep, SearchDep
from app.routes.effects import AsOf, InForce, StatusParam, hits_as_of
from app.routing import StrictJsonRoute
from app.schemas import Items, SearchResults, search_results_json
from graph.keys import KeyScope
from graph.models import Level, jurisdiction_key
from graph.ports import SearchIndex
from graph.search import DEFAULT_LIMIT, MAX_LIMIT, MAX_QUERY_LENGTH, SearchAsk
from graph.text_search import TextHit

router = APIRouter(route_class=StrictJsonRoute, tags=["search"])

TextResults = Items[TextHit]


class SearchIn(StrEnum):
    """What a search looks in: documents (symbols, titles) or the stored texts."""

    documents = "documents"
    text = "text"


@router.get(
    "/search",
    response_model=SearchResults | TextResults,
    openapi_extra={KEY_FOR_SOME_USES: "in=text needs a key with read scope"},
)
async def search(
    store: SearchDep,
    documents: DocumentsDep,
    keys: KeyCheckDep,
    q: Annotated[
        str,
        Query(
            max_length=MAX_QUERY_LENGTH,
            description="symbol (25-NQ/TW, nq 25, KL43, nghị quyết 25) or title words, with or without accents",
        ),
    ] = "",
    search_in: Annotated[SearchIn, Query(alias="in", description="documents (default) or stored texts")] = (
        SearchIn.documents
    ),
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    type: Annotated[str | None, Query(max_length=80, description="type name or code: Nghị quyết, NQ")] = None,
    level: Level | None = None,
    jurisdiction: Annotated[
        str | None, Query(max_length=200, description="a unit key or name: thanh-hoa, Thanh Hóa")
    ] = None,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    as_of: AsOf = None,
    status: StatusParam = None,
    in_force: InForce = None,
) -> SearchResults | TextResults | Response:
    """Documents best matching ``q``: exact symbol, then symbol prefix, then title words (one typo tolerated).

    Among documents of the number a query names ("KL 1", "NQ3", "nghị quyết 18 khóa XII"), central
    ones come first (unless ``jurisdiction`` is given), the most cited first; ``limit`` only cuts the
    ranked list. Each item carries ``score``, ``cited_by`` and ``highlight``: the title HTML-escaped,
    matched words in ``<mark>``. A query under two characters gives no items.

    With ``in=text`` (a key with read scope: uploaded texts are often internal), the stored texts holding every word
    of ``q`` (accent-insensitive): each item names ``text_id``, its ``document_key`` if any, and a ``snippet``,
    HTML-escaped with the matched words in ``<mark>``; the document filters do not apply.
    """
    if search_in == SearchIn.text:
        await keys(KeyScope.read)  # uploaded texts are often internal
        return TextResults(items=await store.search_texts(q, limit=limit))
    unit = jurisdiction_key(jurisdiction) if jurisdiction else None
    if as_of is None and status is None and in_force is None:
        return await documents_searched(store, SearchAsk(q, type or None, level, unit, year), limit)
    hits = await store.search(q, limit=MAX_LIMIT, type=type or None, level=level, jurisdiction=unit, year=year)
    hits = await hits_as_of(hits, documents, as_of, status, in_force)
    return SearchResults(items=hits[:limit])


async def documents_searched(store: SearchIndex, ask: SearchAsk, limit: int = DEFAULT_LIMIT) -> Response:
    """The documents ``ask`` finds, as ``GET /search`` answers them with today's status: the store's JSON."""
    hits = await store.search_json(ask, limit=limit)
    return Response(search_results_json(hits), media_type="application/json")
