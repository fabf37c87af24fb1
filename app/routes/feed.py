"""The public change feed: documents and links created, changed or removed, as JSON Feed or Atom."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from app.deps import get_store
from app.routing import StrictJsonRoute
from app.versioning import versioned
from graph.events import EventFilter
from graph.feed import FeedPage, atom_feed, json_feed
from graph.models import Level, jurisdiction_key
from graph.ports import Events

router = APIRouter(route_class=StrictJsonRoute, tags=["feed"])

EventsDep = Annotated[Events, Depends(get_store)]
MAX_FEED_PAGE = 200
ATOM_TYPE = "application/atom+xml"
JSON_FEED_TYPE = "application/feed+json"
# An empty feed names a fixed time, so that its ETag holds until something happens.
EMPTY_FEED_UPDATED = "1970-01-01T00:00:00Z"


class FeedFormat(StrEnum):
    json = "json"
    atom = "atom"


@router.get(
    "/feed",
    responses={
        200: {
            "description": "one page of events, newest first",
            "content": {JSON_FEED_TYPE: {}, ATOM_TYPE: {"schema": {"type": "string"}}},
        }
    },
)
async def feed(
    request: Request,
    store: EventsDep,
    format: FeedFormat = FeedFormat.json,
    jurisdiction: Annotated[str | None, Query(max_length=200, description="an administrative unit key or name")] = None,
    level: Level | None = None,
    type: Annotated[str | None, Query(max_length=80, description="document type, e.g. Kế hoạch")] = None,
    implements: Annotated[
        str | None, Query(max_length=200, description="only documents implementing this document key directly")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_FEED_PAGE)] = 50,
    next: Annotated[
        str | None, Query(max_length=18, pattern=r"^\d+$", description="the cursor of the next page (its next_url)")
    ] = None,
) -> Response:
    """Events of documents and links, newest first: creations, updates, deletions, merges, review decisions and
    status changes. JSON Feed 1.1 (``format=json``, each item's event under ``_lexgraph``) or Atom 1.0."""
    query = EventFilter(
        jurisdiction=jurisdiction_key(jurisdiction) if jurisdiction else None,
        level=level,
        type=type or None,
        implements=implements or None,
    )
    found = await store.list_events(query, before=int(next) if next else None, limit=limit + 1)
    events = found[:limit]
    more = len(found) > limit
    page = FeedPage(
        events=events,
        self_url=str(request.url),
        home_url=str(request.base_url),
        document_url=str(request.base_url).rstrip("/") + versioned("/documents/{key}"),
        next_url=str(request.url.include_query_params(next=str(events[-1].seq))) if more else None,
    )
    if format == FeedFormat.atom:
        updated = events[0].at if events else EMPTY_FEED_UPDATED
        return Response(atom_feed(page, updated), media_type=ATOM_TYPE)
    content: dict[str, Any] = json_feed(page)
    return JSONResponse(content, media_type=JSON_FEED_TYPE)
